#include "search/batch_runner.hpp"

#include "record/error.hpp"
#include "search/searcher.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

namespace scholarsearch::search {

std::vector<BatchQuery> read_batch_queries(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error("cannot read " + path);
    std::vector<BatchQuery> queries;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto tab = line.find('\t');
        if (tab != std::string::npos) queries.push_back({line.substr(0, tab), line.substr(tab + 1)});
    }
    return queries;
}

double BatchReport::percentile_ms(double p) const {
    if (latencies_ms.empty()) return 0.0;
    return latencies_ms[std::min(latencies_ms.size() - 1, static_cast<std::size_t>(p * double(latencies_ms.size())))];
}

double BatchReport::queries_per_second() const { return seconds > 0 ? double(latencies_ms.size()) / seconds : 0.0; }

namespace {

// Pages of the API's maximum size until `hits` are collected, from the base request's offset on.
SearchResult collect_hits(Searcher& searcher, SearchRequest request, std::size_t hits) {
    const std::size_t first = request.offset;
    SearchResult result;
    for (std::size_t collected = 0; collected < hits;) {
        request.offset = first + collected;
        request.size = std::min(hits - collected, max_page_size);
        if (request.offset + request.size > max_result_window) break;
        SearchResult page = searcher.search(request);
        const std::size_t got = page.hits.size();
        if (collected == 0) result = std::move(page);
        else std::move(page.hits.begin(), page.hits.end(), std::back_inserter(result.hits));
        collected += got;
        if (got < request.size) break;
    }
    return result;
}

std::string run_lines(const std::string& qid, const SearchResult& result, const std::string& tag) {
    std::string lines;
    for (const auto& hit : result.hits) {
        char score[32];
        std::snprintf(score, sizeof score, "%.12f", hit.score);
        lines += qid + " Q0 " + hit.id + " " + std::to_string(hit.rank) + " " + score + " " + tag + "\n";
    }
    return lines;
}

}  // namespace

BatchReport run_batch(const std::string& db, const std::vector<BatchQuery>& queries, const BatchOptions& options,
                      const SearchRequest& base, const SearcherOptions& searcher_options) {
    BatchReport report;
    std::vector<std::string> lines(queries.size());
    std::mutex report_mutex;
    std::atomic<std::size_t> next{0};
    const std::size_t total = queries.size() * std::max(1u, options.repeat);
    const auto started = std::chrono::steady_clock::now();
    std::exception_ptr failure;
    auto worker = [&] {
        try {
            Searcher searcher(db, searcher_options);
            std::vector<double> latencies;
            for (std::size_t n; (n = next++) < total;) {
                const BatchQuery& query = queries[n % queries.size()];
                SearchRequest request = base;
                request.query = query.text;
                request.load_records = options.full_hits;
                request.highlight = options.full_hits && base.highlight;
                if (!options.full_hits) request.facets.clear();
                request.cursor.reset();   // a batch pages by offset, up to `hits`
                const auto t0 = std::chrono::steady_clock::now();
                SearchResult result;
                try {
                    result = collect_hits(searcher, request, options.hits);
                } catch (const QueryError& error) {
                    std::lock_guard lock(report_mutex);
                    report.errors.push_back("query " + query.id + ": " + error.what());
                }
                latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
                if (n < queries.size()) lines[n] = run_lines(query.id, result, options.tag);
            }
            std::lock_guard lock(report_mutex);
            report.latencies_ms.insert(report.latencies_ms.end(), latencies.begin(), latencies.end());
        } catch (...) {
            std::lock_guard lock(report_mutex);
            if (!failure) failure = std::current_exception();
            next = total;   // the other threads stop too
        }
    };
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < std::max(1u, options.threads); ++i) threads.emplace_back(worker);
    for (auto& thread : threads) thread.join();
    if (failure) std::rethrow_exception(failure);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::sort(report.latencies_ms.begin(), report.latencies_ms.end());
    for (const auto& query_lines : lines) report.run += query_lines;
    return report;
}

}  // namespace scholarsearch::search
