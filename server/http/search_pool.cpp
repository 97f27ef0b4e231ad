#include "http/search_pool.hpp"

#include <iostream>
#include <optional>

namespace scholarsearch::http {

SearchPool::SearchPool(std::string index_path, search::SearcherOptions options, unsigned threads, std::size_t max_queued,
                       std::chrono::milliseconds refresh_interval)
    : index_path_(std::move(index_path)), options_(std::move(options)), max_queued_(max_queued),
      refresh_interval_(refresh_interval) {
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
            // The refresh's error boundary: whatever fails, the thread logs it once, serves 503
            // and opens the index afresh at the next check, so a good build swapped in is served.
            try {
                if (!searcher) searcher.emplace(index_path_, options_);
                else searcher->refresh_if_changed();
                search::IndexInfo info = searcher->info();
                fresh = {true, info.documents, info.revision, info.generation, info.built_at, {}, std::move(info.shards)};
                if (!open_error.empty()) std::cerr << "scholarsearch-server: index available again: " << index_path_ << '\n';
                open_error.clear();
            } catch (const std::exception& error) {
                fresh.error = error.what();
            } catch (...) {
                fresh.error = "unexpected error while opening index " + index_path_;
            }
            if (!fresh.available) {
                searcher.reset();
                if (open_error != fresh.error) std::cerr << "scholarsearch-server: index unavailable: " << fresh.error << '\n';
                open_error = fresh.error;
            }
            std::lock_guard lock(mutex_);
            snapshot_ = fresh;
        }
        if (!job) continue;
        // Jobs answer their own errors (handle() turns every exception into a JSON 500/503):
        // this catch only keeps a job that broke that promise from ending the server.
        try {
            job(searcher ? &*searcher : nullptr, open_error);
        } catch (...) {
            std::cerr << "scholarsearch-server: error: a search job threw; its request gets no answer\n";
        }
    }
}

}  // namespace scholarsearch::http
