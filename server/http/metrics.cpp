#include "http/metrics.hpp"

#include "http/search_pool.hpp"

#include <sstream>
#include <string_view>

namespace scholarsearch::http {

void Metrics::record(const std::string& endpoint, unsigned status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{endpoint, status}];
    Histogram& histogram = latency_[endpoint];
    for (std::size_t i = 0; i < bucket_bounds.size(); ++i)
        if (seconds <= bucket_bounds[i]) ++histogram.buckets[i];
    ++histogram.count;
    histogram.sum += seconds;
}

void Metrics::connection_opened() {
    std::lock_guard lock(mutex_);
    ++open_connections_;
    ++connections_total_;
}

void Metrics::connection_closed() {
    std::lock_guard lock(mutex_);
    --open_connections_;
}

void Metrics::rejected_overload() {
    std::lock_guard lock(mutex_);
    ++overload_rejections_;
}

std::string Metrics::render(const IndexSnapshot& index, std::size_t queued_jobs, const ResultCache::Stats& cache) const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    out << "# HELP scholarsearch_requests_total HTTP requests by endpoint and status.\n"
        << "# TYPE scholarsearch_requests_total counter\n";
    for (const auto& [key, count] : requests_)
        out << "scholarsearch_requests_total{endpoint=\"" << key.first << "\",status=\"" << key.second << "\"} " << count
            << '\n';
    out << "# HELP scholarsearch_request_duration_seconds Time from a complete request to its response.\n"
        << "# TYPE scholarsearch_request_duration_seconds histogram\n";
    for (const auto& [endpoint, histogram] : latency_) {
        for (std::size_t i = 0; i < bucket_bounds.size(); ++i)
            out << "scholarsearch_request_duration_seconds_bucket{endpoint=\"" << endpoint << "\",le=\""
                << bucket_bounds[i] << "\"} " << histogram.buckets[i] << '\n';
        out << "scholarsearch_request_duration_seconds_bucket{endpoint=\"" << endpoint << "\",le=\"+Inf\"} "
            << histogram.count << '\n'
            << "scholarsearch_request_duration_seconds_sum{endpoint=\"" << endpoint << "\"} " << histogram.sum << '\n'
            << "scholarsearch_request_duration_seconds_count{endpoint=\"" << endpoint << "\"} " << histogram.count << '\n';
    }
    // One sample without labels: its name is written once, so HELP, TYPE and the sample agree.
    auto single = [&out](std::string_view name, std::string_view type, std::string_view help, const auto& value) {
        out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
            << name << ' ' << value << '\n';
    };
    single("scholarsearch_open_connections", "gauge", "Client connections open now.", open_connections_);
    single("scholarsearch_connections_total", "counter", "Client connections accepted.", connections_total_);
    single("scholarsearch_overload_rejections_total", "counter",
           "Requests answered 503 because the search queue was full.", overload_rejections_);
    single("scholarsearch_search_queue_jobs", "gauge", "Requests waiting for a search thread.", queued_jobs);
    single("scholarsearch_index_up", "gauge", "1 if the index is open.", index.available ? 1 : 0);
    single("scholarsearch_index_documents", "gauge", "Documents in the open index.", index.documents);
    single("scholarsearch_index_revision", "gauge", "Revision of the open index.",
           index.revision.empty() ? std::string("0") : index.revision);
    // Label values are stub lines, which may hold any character of a path.
    auto label = [](const std::string& value) {
        std::string escaped;
        for (const char c : value) {
            if (c == '\\' || c == '"') escaped += '\\';
            if (c == '\n') escaped += "\\n";
            else escaped += c;
        }
        return escaped;
    };
    if (!index.shards.empty()) {
        out << "# HELP scholarsearch_shard_up 1 if the database the stub lists answered at the last refresh.\n"
            << "# TYPE scholarsearch_shard_up gauge\n";
        for (const auto& shard : index.shards)
            out << "scholarsearch_shard_up{shard=\"" << label(shard.name) << "\"} " << (shard.available ? 1 : 0) << '\n';
    }
    out << "# HELP scholarsearch_shard_errors_total Times a shard was found not answering (left out of answers).\n"
        << "# TYPE scholarsearch_shard_errors_total counter\n";
    for (const auto& [shard, count] : search::Searcher::shard_errors())
        out << "scholarsearch_shard_errors_total{shard=\"" << label(shard) << "\"} " << count << '\n';
    out << "# HELP scholarsearch_cache_requests_total /search answers looked up in the result cache, by outcome.\n"
        << "# TYPE scholarsearch_cache_requests_total counter\n"
        << "scholarsearch_cache_requests_total{outcome=\"hit\"} " << cache.hits << '\n'
        << "scholarsearch_cache_requests_total{outcome=\"miss\"} " << cache.misses << '\n';
    single("scholarsearch_cache_evictions_total", "counter",
           "Answers dropped from the result cache to stay in its budget.", cache.evictions);
    single("scholarsearch_cache_entries", "gauge", "Answers in the result cache.", cache.entries);
    single("scholarsearch_cache_bytes", "gauge", "Bytes the result cache holds, of scholarsearch_cache_max_bytes.",
           cache.bytes);
    single("scholarsearch_cache_max_bytes", "gauge", "Byte budget of the result cache (0 = off).", cache.max_bytes);
    return out.str();
}

}  // namespace scholarsearch::http
