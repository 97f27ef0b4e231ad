#include "http/search_pool.hpp"

#include <iostream>
#include <optional>

namespace scholarsearch::http {

SearchPool::SearchPool(std::string index_path, unsigned threads, std::size_t max_queued,
                       std::chrono::milliseconds refresh_interval)
    : index_path_(std::move(index_path)), max_queued_(max_queued), refresh_interval_(refresh_interval) {
    for (unsigned i = 0; i < std::max(1u, threads); ++i) threads_.emplace_back([this] { run(); });
}

SearchPool::~SearchPool() { stop(); }

bool SearchPool::submit(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || jobs_.size() >= max_queued_) return false;
        jobs_.push_back(std::move(job));
    }
    work_.notify_one();
    return true;
}

void SearchPool::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
    }
    work_.notify_all();
    for (auto& thread : threads_)
        if (thread.joinable()) thread.join();
    threads_.clear();
}

std::size_t SearchPool::queued() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

IndexSnapshot SearchPool::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

std::string SearchPool::generation() const {
    std::lock_guard lock(mutex_);
    return snapshot_.generation;
}

void SearchPool::run() {
    std::optional<search::Searcher> searcher;
    std::string open_error;
    auto last_check = std::chrono::steady_clock::now() - refresh_interval_;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            // A timeout with no job still goes on to the refresh below.
            work_.wait_for(lock, refresh_interval_, [&] { return stopping_ || !jobs_.empty(); });
            if (stopping_ && jobs_.empty()) return;
            if (!jobs_.empty()) {
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - last_check >= refresh_interval_) {
            last_check = now;
            IndexSnapshot fresh;
            try {
                if (!searcher) searcher.emplace(index_path_);
                else searcher->refresh_if_changed();
                const search::IndexInfo info = searcher->info();
                fresh = {true, info.documents, info.revision, info.generation, info.built_at, {}};
                open_error.clear();
            } catch (const std::exception& error) {
                fresh.error = error.what();
                if (open_error != fresh.error) std::cerr << "scholarsearch-server: index unavailable: " << fresh.error << '\n';
                open_error = fresh.error;
            }
            std::lock_guard lock(mutex_);
            snapshot_ = fresh;
        }
        if (job) job(searcher ? &*searcher : nullptr, open_error);
    }
}

}  // namespace scholarsearch::http
