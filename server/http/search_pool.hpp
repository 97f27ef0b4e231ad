#pragma once
/**
 * The threads that call Xapian. Xapian calls block and Xapian::Database is not thread-safe, so
 * network threads never touch it: they submit jobs here, and each pool thread owns its own
 * Searcher. The queue is bounded: when it is full, submit() refuses and the server answers 503
 * rather than letting latency grow without limit.
 *
 * Each thread checks for a new commit or a swapped index every `refresh_interval`, busy or idle
 * (answers from the result cache never reach a thread, yet must follow the index too), so new
 * data is served within that interval plus one request, with no restart and no failed request.
 */
#include "search/searcher.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace scholarsearch::http {

struct IndexSnapshot {
    bool available = false;
    std::size_t documents = 0;
    std::string revision;
    std::string generation;   ///< search::IndexInfo::generation of the newest refresh
    std::string built_at;
    std::string error;   ///< why the index cannot be opened, when !available
    std::vector<search::ShardStatus> shards;   ///< search::IndexInfo::shards
};

class SearchPool {
public:
    /// `searcher` is null when the index cannot be opened (the job answers 503 with `error`).
    using Job = std::function<void(search::Searcher* searcher, const std::string& error)>;

    SearchPool(std::string index_path, search::SearcherOptions options, unsigned threads, std::size_t max_queued,
               std::chrono::milliseconds refresh_interval = std::chrono::milliseconds(250));
    ~SearchPool();
    SearchPool(const SearchPool&) = delete;
    SearchPool& operator=(const SearchPool&) = delete;

    /// Queues a job; false when the queue is full or the pool is stopping.
    bool submit(Job job);

    /// Runs queued jobs to the end, then joins the threads.
    void stop();

    std::size_t queued() const;
    IndexSnapshot snapshot() const;
    /// snapshot().generation alone: asked for every /search request, so no copy of the rest.
    std::string generation() const;

private:
    void run();

    std::string index_path_;
    search::SearcherOptions options_;
    std::size_t max_queued_;
    std::chrono::milliseconds refresh_interval_;
    mutable std::mutex mutex_;
    std::condition_variable work_;
    std::deque<Job> jobs_;
    bool stopping_ = false;
    IndexSnapshot snapshot_;
    std::vector<std::thread> threads_;
};

}  // namespace scholarsearch::http
