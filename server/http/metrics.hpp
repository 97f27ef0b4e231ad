#pragma once
/**
 * Request counters and a latency histogram in the Prometheus text format. Thread-safe; the
 * cost per request is one short lock.
 */
#include "http/result_cache.hpp"

#include <array>
#include <map>
#include <mutex>
#include <string>

namespace scholarsearch::http {

struct IndexSnapshot;

class Metrics {
public:
    void record(const std::string& endpoint, unsigned status, double seconds);
    void connection_opened();
    void connection_closed();
    void rejected_overload();

    /// The exposition text for GET /metrics.
    std::string render(const IndexSnapshot& index, std::size_t queued_jobs, const ResultCache::Stats& cache) const;

private:
    static constexpr std::array<double, 12> bucket_bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                         0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
    struct Histogram {
        std::array<unsigned long long, bucket_bounds.size()> buckets{};
        unsigned long long count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, unsigned>, unsigned long long> requests_;
    std::map<std::string, Histogram> latency_;
    long long open_connections_ = 0;
    unsigned long long connections_total_ = 0;
    unsigned long long overload_rejections_ = 0;
};

}  // namespace scholarsearch::http
