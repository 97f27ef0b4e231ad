#include "http/metrics.hpp"

#include "http/search_pool.hpp"

#include <sstream>

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
    out << "# HELP scholarsearch_open_connections Client connections open now.\n"
        << "# TYPE scholarsearch_open_connections gauge\n"
        << "scholarsearch_open_connections " << open_connections_ << '\n'
        << "# HELP scholarsearch_connections_total Client connections accepted.\n"
        << "# TYPE scholarsearch_connections_total counter\n"
        << "scholarsearch_connections_total " << connections_total_ << '\n'
        << "# HELP scholarsearch_overload_rejections_total Requests answered 503 because the search queue was full.\n"
        << "# TYPE scholarsearch_overload_rejections_total counter\n"
        << "scholarsearch_overload_rejections_total " << overload_rejections_ << '\n'
        << "# HELP scholarsearch_search_queue_jobs Requests waiting for a search thread.\n"
        << "# TYPE scholarsearch_search_queue_jobs gauge\n"
        << "scholarsearch_search_queue_jobs " << queued_jobs << '\n'
        << "# HELP scholarsearch_index_up 1 if the index is open.\n"
        << "# TYPE scholarsearch_index_up gauge\n"
        << "scholarsearch_index_up " << (index.available ? 1 : 0) << '\n'
        << "# HELP scholarsearch_index_documents Documents in the open index.\n"
        << "# TYPE scholarsearch_index_documents gauge\n"
        << "scholarsearch_index_documents " << index.documents << '\n'
        << "# HELP scholarsearch_index_revision Revision of the open index.\n"
        << "# TYPE scholarsearch_index_revision gauge\n"
        << "scholarsearch_index_revision " << (index.revision.empty() ? "0" : index.revision) << '\n'
        << "# HELP scholarsearch_cache_requests_total /search answers looked up in the result cache, by outcome.\n"
        << "# TYPE scholarsearch_cache_requests_total counter\n"
        << "scholarsearch_cache_requests_total{outcome=\"hit\"} " << cache.hits << '\n'
        << "scholarsearch_cache_requests_total{outcome=\"miss\"} " << cache.misses << '\n'
        << "# HELP scholarsearch_cache_evictions_total Answers dropped from the result cache to stay in its budget.\n"
        << "# TYPE scholarsearch_cache_evictions_total counter\n"
        << "scholarsearch_cache_evictions_total " << cache.evictions << '\n'
        << "# HELP scholarsearch_cache_entries Answers in the result cache.\n"
        << "# TYPE scholarsearch_cache_entries gauge\n"
        << "scholarsearch_cache_entries " << cache.entries << '\n'
        << "# HELP scholarsearch_cache_bytes Bytes the result cache holds, of scholarsearch_cache_max_bytes.\n"
        << "# TYPE scholarsearch_cache_bytes gauge\n"
        << "scholarsearch_cache_bytes " << cache.bytes << '\n'
        << "# HELP scholarsearch_cache_max_bytes Byte budget of the result cache (0 = off).\n"
        << "# TYPE scholarsearch_cache_max_bytes gauge\n"
        << "scholarsearch_cache_max_bytes " << cache.max_bytes << '\n';
    return out.str();
}

}  // namespace scholarsearch::http
