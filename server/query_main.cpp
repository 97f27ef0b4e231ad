// scholarsearch-query: the search API from the command line. A readable ranked list by default,
// --json for the document the HTTP server returns, --format for the records as RIS, BibTeX,
// CSL-JSON or JSON Lines (as GET /export), --batch for TREC runs and latency figures.
// Exit status: 0 ok, 1 bad query, 2 could not run (index missing, bad options).
#include "export/writers.hpp"
#include "record/error.hpp"
#include "record/record_json.hpp"
#include "search/request_params.hpp"
#include "search/result_json.hpp"
#include "search/searcher.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <unistd.h>
#include <fstream>
#include <iostream>
#include <mutex>
#include <regex>
#include <thread>

namespace {

using namespace scholarsearch;

std::string strip_marks(std::string text) {
    static const std::regex tags("</?mark>");
    text = std::regex_replace(text, tags, "");
    for (auto [entity, plain] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
        for (std::size_t at; (at = text.find(entity)) != std::string::npos;) text.replace(at, std::strlen(entity), plain);
    }
    return text;
}

// On a terminal, <mark> becomes bold; elsewhere it is dropped.
std::string terminal_text(const std::string& html, bool color) {
    std::string text = html;
    if (color) {
        for (std::size_t at; (at = text.find("<mark>")) != std::string::npos;) text.replace(at, 6, "\x1b[1m");
        for (std::size_t at; (at = text.find("</mark>")) != std::string::npos;) text.replace(at, 7, "\x1b[0m");
    }
    return strip_marks(text);
}

void print_readable(const search::SearchResult& result, bool color) {
    std::printf("%zu results (estimated; between %zu and %zu), %.1f ms\n", result.total_estimated,
                result.total_lower_bound, result.total_upper_bound, result.elapsed_ms);
    if (result.query_relaxed) std::printf("(the query's operators could not be parsed; searched its words)\n");
    if (result.corrected_query)
        std::printf("Showing results for: %s (no results for \"%s\")\n", result.corrected_query->c_str(), result.query.c_str());
    else if (result.spelling_suggestion)
        std::printf("Did you mean: %s\n", result.spelling_suggestion->c_str());
    for (const auto& hit : result.hits) {
        std::string authors;
        for (std::size_t i = 0; i < hit.authors.size() && i < 3; ++i) authors += (i ? "; " : "") + hit.authors[i];
        if (hit.authors.size() > 3) authors += "; et al.";
        std::printf("\n%3zu. [%.3f] %s%s\n", hit.rank, hit.score, hit.year ? (std::to_string(*hit.year) + " ").c_str() : "",
                    terminal_text(hit.title_html.empty() ? hit.title : hit.title_html, color).c_str());
        std::printf("     id: %s%s%s\n", hit.id.c_str(), authors.empty() ? "" : "  by ", authors.c_str());
        if (!hit.snippet.empty()) std::printf("     %s\n", terminal_text(hit.snippet, color).c_str());
    }
    for (const auto& [name, values] : result.facets) {
        std::printf("\n%s:", name.c_str());
        for (const auto& value : values) std::printf("  %s (%zu)", value.value.c_str(), value.count);
        std::printf("\n");
    }
    if (result.walking) {
        if (result.next_cursor) std::printf("\nnext cursor: %s\n", result.next_cursor->c_str());
        else std::printf("\nend of the walk\n");
    }
}

// `--facets year,venue` as well as `--facets=year,venue`: the word after a bare --facets is its
// list only when it names facets and nothing else, so `--facets social media` still searches
// "social media" with the default facets.
std::vector<std::string> joined_facet_lists(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    for (std::size_t i = 1; i + 1 < args.size(); ++i)
        if (args[i] == "--facets" && search::is_facet_list(args[i + 1])) {
            args[i] += "=" + args[i + 1];
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        }
    return args;
}

struct BatchOptions {
    std::string queries_path, run_path, tag = "scholarsearch";
    std::size_t hits = 100;
    unsigned threads = 1;
    unsigned repeat = 1;
    bool full_hits = false;   ///< decode records and make snippets, as the HTTP server does
};

int run_batch(const std::string& db, const BatchOptions& options, const search::SearchRequest& base) {
    std::vector<std::pair<std::string, std::string>> queries;
    std::ifstream in(options.queries_path);
    if (!in) throw Error("cannot read " + options.queries_path);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto tab = line.find('\t');
        if (tab != std::string::npos) queries.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    }
    std::vector<std::string> run_lines(queries.size());
    std::vector<double> latencies;
    std::mutex latencies_mutex;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> failures{0};
    const std::size_t total = queries.size() * options.repeat;
    const auto started = std::chrono::steady_clock::now();
    auto worker = [&] {
        search::Searcher searcher(db);
        std::vector<double> mine;
        for (std::size_t n; (n = next++) < total;) {
            const auto& [qid, text] = queries[n % queries.size()];
            search::SearchRequest request = base;
            request.query = text;
            request.load_records = options.full_hits;
            request.highlight = options.full_hits && base.highlight;
            if (!options.full_hits) request.facets.clear();
            request.cursor.reset();   // batch pages by offset, up to --hits
            const auto t0 = std::chrono::steady_clock::now();
            search::SearchResult result;
            try {
                // Pages of the API's maximum size until --hits are collected, from --offset on.
                for (std::size_t collected = 0; collected < options.hits;) {
                    request.offset = base.offset + collected;
                    request.size = std::min(options.hits - collected, search::max_page_size);
                    if (request.offset + request.size > search::max_result_window) break;
                    search::SearchResult page = searcher.search(request);
                    const std::size_t got = page.hits.size();
                    if (collected == 0) result = std::move(page);
                    else std::move(page.hits.begin(), page.hits.end(), std::back_inserter(result.hits));
                    collected += got;
                    if (got < request.size) break;
                }
            } catch (const QueryError& error) {
                ++failures;
                std::cerr << "query " << qid << ": " << error.what() << '\n';
            }
            mine.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            if (n < queries.size()) {
                std::string lines;
                for (const auto& hit : result.hits) {
                    char score[32];
                    std::snprintf(score, sizeof score, "%.6f", hit.score);
                    lines += qid + " Q0 " + hit.id + " " + std::to_string(hit.rank) + " " + score + " " + options.tag + "\n";
                }
                run_lines[n] = std::move(lines);
            }
        }
        std::lock_guard lock(latencies_mutex);
        latencies.insert(latencies.end(), mine.begin(), mine.end());
    };
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < std::max(1u, options.threads); ++i) threads.emplace_back(worker);
    for (auto& thread : threads) thread.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    if (!options.run_path.empty()) {
        std::ofstream run(options.run_path);
        for (const auto& lines : run_lines) run << lines;
        if (!run) throw Error("cannot write " + options.run_path);
    }
    std::sort(latencies.begin(), latencies.end());
    auto percentile = [&](double p) {
        return latencies.empty() ? 0.0 : latencies[std::min(latencies.size() - 1, std::size_t(p * latencies.size()))];
    };
    std::fprintf(stderr, "queries=%zu threads=%u p50_ms=%.3f p99_ms=%.3f qps=%.1f failures=%zu\n", latencies.size(),
                 options.threads, percentile(0.5), percentile(0.99), latencies.size() / seconds, failures.load());
    return failures ? 1 : 0;
}

std::optional<std::pair<int, int>> parse_year_range(const std::string& text) {
    static const std::regex pattern(R"((\d{1,4})?(?:\.\.(\d{1,4})?)?)");
    std::smatch match;
    if (!std::regex_match(text, match, pattern) || text.empty()) return std::nullopt;
    const bool range = text.find("..") != std::string::npos;
    int from = match[1].matched ? std::stoi(match[1]) : 0;
    int to = match[2].matched ? std::stoi(match[2]) : (range ? 9999 : from);
    return std::pair{from, to};
}

/// Writes the records of `ids` in `format` to stdout, reading them by id as /export does.
void write_records(search::Searcher& searcher, const std::vector<std::string>& ids, exporting::Format format) {
    exporting::Writer writer(format);
    std::string out;
    for (const auto& id : ids) {
        if (auto record = searcher.document(id)) writer.add(*record, out);
        if (out.size() > (1u << 20)) {
            std::cout << out;
            out.clear();
        }
    }
    writer.finish(out);
    std::cout << out << std::flush;
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"scholarsearch-query: search a scholarsearch index.\n"
                 "Query language: words, \"phrases\", AND OR NOT, ( ), +word -word, NEAR, word*, fields\n"
                 "title: author: keyword: abstract: affiliation: doi: clc: venue: year:2010..2012 (and 标题: 作者: ...).\n"
                 "Exit status: 0 ok, 1 bad query, 2 could not run."};
    std::string db, sort = "relevance", years, similar_id, document_id, format_name, facets, cursor, references_id, cited_by_id;
    std::size_t export_limit = search::default_export_records;
    std::vector<std::string> words;
    search::SearchRequest request;
    bool as_json = false, no_highlight = false;
    BatchOptions batch;
    std::size_t page = 0;
    app.add_option("--db", db, "Index directory or stub file")->required();
    app.add_option("query", words, "Query words (joined by spaces)");
    app.add_flag("--json", as_json, "Print the result as JSON (the HTTP server's document)");
    app.add_option("-n,--size", request.size, "Hits per page")->capture_default_str();
    app.add_option("--offset", request.offset, "Hits to skip")->capture_default_str();
    app.add_option("--page", page, "Page number from 1 (sets --offset)");
    app.add_option("--sort", sort, "relevance | year | year-asc | cited-by")->capture_default_str();
    app.add_option("--year", years, "Year or range: 2012, 2010..2012, 2010.., ..2012");
    app.add_option("--author", request.authors, "Only records with this author name (exact, repeatable: any)");
    app.add_option("--keyword", request.keywords, "Only records with this keyword (exact, repeatable: all)");
    app.add_option("--clc", request.clc, "Only records with a CLC code starting with this (repeatable: any)");
    app.add_option("--venue", request.venues, "Only records from this venue (exact, repeatable: any)");
    app.add_flag("--facets{true}", facets,
                 "Count these facets over every match: --facets year,venue (year venue keyword author clc); "
                 "alone: all of them");
    app.add_option("--facet-size", request.facet_size, "Values per facet, most frequent first (the year facet has every year)")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t(1), search::max_facet_size));
    app.add_option("--cursor", cursor,
                   "Walk every hit: '*' for the first page, then the printed next cursor (replaces --offset/--page)");
    app.add_flag("--no-highlight", no_highlight, "No snippets");
    app.add_option("--similar", similar_id, "Records like the record with this id");
    app.add_option("--references", references_id,
                   "The references of the record with this id, each with the record of the index it cites (docs/GRAPH.md)");
    app.add_option("--cited-by", cited_by_id,
                   "The records of the index that cite the record with this id (--sort year, year-asc or cited-by; --size, --offset)");
    app.add_option("--doc", document_id, "Print the stored record with this id");
    app.add_option("--format", format_name,
                   "Write records instead of a result list: ris | bibtex | csljson | jsonl. Every match of the query "
                   "(up to --limit, from the first; as GET /export), the record of --doc, or the records of --similar")
        ->excludes("--json");
    app.add_option("--limit", export_limit, "Records --format writes for a query at most")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t(1), search::max_export_records));
    auto* ranking = app.add_option_group("Ranking");
    ranking->add_option("--k1", request.ranking.bm25_k1, "BM25 k1")->capture_default_str();
    ranking->add_option("--b", request.ranking.bm25_b, "BM25 b")->capture_default_str();
    ranking->add_option("--author-weight", request.ranking.author_weight, "Free-text weight of author names")->capture_default_str();
    ranking->add_option("--affiliation-weight", request.ranking.affiliation_weight, "Free-text weight of affiliations")->capture_default_str();
    ranking->add_option("--all-words", request.ranking.all_words_weight, "Bonus for records with every plain query word (0 = off)")->capture_default_str();
    ranking->add_option("--prior", request.ranking.cited_by_prior, "Weight of the cited-by prior (0 = off)")->capture_default_str();
    ranking->add_option("--feedback", request.ranking.feedback_documents, "Pseudo-relevance feedback documents, for queries of more than six plain words (0 = off)")->capture_default_str();
    ranking->add_option("--feedback-terms", request.ranking.feedback_terms, "Expansion terms")->capture_default_str();
    ranking->add_option("--feedback-weight", request.ranking.feedback_weight, "Expansion weight")->capture_default_str();
    auto* batch_group = app.add_option_group("Batch");
    batch_group->add_option("--batch", batch.queries_path, "Run every query of a TSV file (qid<TAB>text)");
    batch_group->add_option("--run", batch.run_path, "Write a TREC run file (qid Q0 docid rank score tag)");
    batch_group->add_option("--hits", batch.hits, "Hits per query in batch mode (at most 10000)")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t(1), search::max_result_window));
    batch_group->add_option("--tag", batch.tag, "Run tag")->capture_default_str();
    batch_group->add_option("--threads", batch.threads, "Search threads in batch mode")->capture_default_str();
    batch_group->add_option("--repeat", batch.repeat, "Run the query set this many times (latency figures)")->capture_default_str();
    batch_group->add_flag("--full-hits", batch.full_hits, "Decode records and make snippets as the HTTP server does (benchmarks)");
    try {
        std::vector<std::string> args = joined_facet_lists(argc, argv);
        std::reverse(args.begin(), args.end());
        args.pop_back();   // the program name
        app.parse(args);
    } catch (const CLI::ParseError& error) {
        // --help and --version exit 0; every usage error is "could not run".
        return app.exit(error) == 0 ? 0 : 2;
    }

    if (sort == "relevance") request.sort = search::SortOrder::relevance;
    else if (sort == "year") request.sort = search::SortOrder::year_desc;
    else if (sort == "year-asc") request.sort = search::SortOrder::year_asc;
    else if (sort == "cited-by") request.sort = search::SortOrder::cited_by;
    else throw CLI::ValidationError("--sort", "expected relevance, year, year-asc or cited-by");
    if (!years.empty()) {
        auto range = parse_year_range(years);
        if (!range) throw CLI::ValidationError("--year", "expected 2012, 2010..2012, 2010.. or ..2012");
        request.year_from = range->first;
        request.year_to = range->second;
    }
    if (page > 0) request.offset = (page - 1) * request.size;
    // A bad value here is a usage error (exit 2), not a bad query.
    auto option = [](const char* name, auto&& parse) {
        try {
            return parse();
        } catch (const QueryError& error) {
            throw CLI::ValidationError(name, error.what());
        }
    };
    if (!facets.empty()) request.facets = option("--facets", [&] { return search::parse_facets(facets); });
    if (!cursor.empty()) {
        if (page > 0 || request.offset > 0) throw CLI::ValidationError("--cursor", "replaces --offset and --page: give only the cursor");
        request.cursor = option("--cursor", [&] { return search::parse_cursor(cursor); });
    }
    request.highlight = !no_highlight;
    for (const auto& word : words) request.query += (request.query.empty() ? "" : " ") + word;

    std::optional<exporting::Format> format;
    if (!format_name.empty() && format_name != "json") {
        format = exporting::format_named(format_name);
        if (!format)
            throw CLI::ValidationError("--format", "expected one of " + std::string(exporting::format_names));
    }

    if (!batch.queries_path.empty()) return run_batch(db, batch, request);

    search::Searcher searcher(db);
    if (!document_id.empty()) {
        auto record = searcher.document(document_id);
        if (!record) {
            std::cerr << "scholarsearch-query: no record with id \"" << document_id << "\"\n";
            return 1;
        }
        if (format) std::cout << exporting::write_one(*format, *record);
        else std::cout << record::to_stored_json(*record) << '\n';
        return 0;
    }
    if (!references_id.empty()) {
        const auto links = searcher.references(references_id);
        if (!links) {
            std::cerr << "scholarsearch-query: no record with id \"" << references_id << "\"\n";
            return 1;
        }
        if (as_json) {
            std::cout << search::serialize(search::to_json(references_id, *links)) << '\n';
        } else {
            for (const auto& link : *links)
                std::cout << '[' << link.reference.n << "] " << link.reference.text << "\n    -> "
                          << (link.id ? *link.id + "  " + link.title.value_or("") + "  (" + link.rule.value_or("") + ")"
                                      : std::string("not in the index"))
                          << '\n';
        }
        return 0;
    }
    if (!cited_by_id.empty()) {
        const auto citing = searcher.cited_by(cited_by_id, request.offset, request.size, request.sort);
        if (!citing) {
            std::cerr << "scholarsearch-query: no record with id \"" << cited_by_id << "\"\n";
            return 1;
        }
        if (as_json) std::cout << search::serialize(*citing) << '\n';
        else print_readable(*citing, isatty(STDOUT_FILENO));
        return 0;
    }
    if (format) {
        const search::SearchResult matches =
            similar_id.empty() ? searcher.matches(request, export_limit) : searcher.similar(similar_id, request.size);
        std::vector<std::string> ids;
        for (const auto& hit : matches.hits) ids.push_back(hit.id);
        write_records(searcher, ids, *format);
        return 0;
    }
    search::SearchResult result =
        similar_id.empty() ? searcher.search(request) : searcher.similar(similar_id, request.size);
    if (as_json) std::cout << search::serialize(result) << '\n';
    else print_readable(result, isatty(STDOUT_FILENO));
    return 0;
} catch (const scholarsearch::QueryError& error) {
    std::cerr << "scholarsearch-query: bad query: " << error.what() << '\n';
    return 1;
} catch (const std::exception& error) {
    std::cerr << "scholarsearch-query: error: " << error.what() << '\n';
    return 2;
} catch (...) {
    // The library translates Xapian's errors; this keeps any other from ending in terminate().
    std::cerr << "scholarsearch-query: error: unexpected failure\n";
    return 2;
}
