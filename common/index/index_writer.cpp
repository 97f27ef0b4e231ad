#include "index/index_writer.hpp"

#include "index/database.hpp"
#include "index/document_builder.hpp"
#include "parse/input.hpp"
#include "schema/schema.hpp"

#include <xapian.h>

#include <unistd.h>

#include <condition_variable>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace scholarsearch::index {

namespace {

struct WorkItem {
    std::size_t sequence = 0;
    parse::Chunk chunk;
};

struct WorkResult {
    std::vector<BuiltDocument> documents;
    std::vector<record::Diagnostic> diagnostics;
    std::optional<record::Diagnostic> file_error;
    std::size_t bytes = 0;
    bool first_chunk_of_file = false;
};

// Bounded hand-over between the reader, the workers and the writer.
class Pipeline {
public:
    explicit Pipeline(std::size_t max_in_flight) : max_in_flight_(max_in_flight) {}

    // Reader: blocks while too many chunks are in flight.
    void push(parse::Chunk&& chunk) {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return in_flight_ < max_in_flight_; });
        ++in_flight_;
        queue_.push_back(WorkItem{next_sequence_++, std::move(chunk)});
        work_.notify_one();
    }
    void close_input() {
        std::lock_guard lock(mutex_);
        input_closed_ = true;
        work_.notify_all();
        done_.notify_all();
    }
    std::optional<WorkItem> pop_work() {
        std::unique_lock lock(mutex_);
        work_.wait(lock, [&] { return !queue_.empty() || input_closed_; });
        if (queue_.empty()) return std::nullopt;
        WorkItem item = std::move(queue_.front());
        queue_.pop_front();
        return item;
    }
    void finish(std::size_t sequence, WorkResult&& result) {
        std::lock_guard lock(mutex_);
        results_.emplace(sequence, std::move(result));
        done_.notify_all();
    }
    // Writer: the next result in input order; nullopt when everything has been consumed.
    std::optional<WorkResult> next_result(std::chrono::milliseconds wait) {
        std::unique_lock lock(mutex_);
        for (;;) {
            auto found = results_.find(next_to_write_);
            if (found != results_.end()) {
                WorkResult result = std::move(found->second);
                results_.erase(found);
                ++next_to_write_;
                --in_flight_;
                space_.notify_one();
                return result;
            }
            if (input_closed_ && next_to_write_ == next_sequence_) {
                finished_ = true;
                return std::nullopt;
            }
            if (done_.wait_for(lock, wait) == std::cv_status::timeout) return WorkResult{};
        }
    }
    bool finished() {
        std::lock_guard lock(mutex_);
        return finished_;
    }

private:
    std::mutex mutex_;
    std::condition_variable space_, work_, done_;
    std::deque<WorkItem> queue_;
    std::map<std::size_t, WorkResult> results_;
    std::size_t max_in_flight_;
    std::size_t in_flight_ = 0;
    std::size_t next_sequence_ = 0;
    std::size_t next_to_write_ = 0;
    bool input_closed_ = false;
    bool finished_ = false;
};

WorkResult process(const parse::Chunk& chunk, DocumentBuilder& builder) {
    WorkResult result;
    result.bytes = chunk.text.size();
    result.first_chunk_of_file = chunk.first_line == 1;
    parse::ParseResult parsed = parse::parse_chunk(chunk);
    result.file_error = std::move(parsed.file_error);
    result.diagnostics = std::move(parsed.errors);
    result.documents.reserve(parsed.records.size());
    for (const auto& record : parsed.records) result.documents.push_back(builder.build(record));
    return result;
}

std::string now_utc() {
    std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return text;
}

}  // namespace

struct IndexWriter::Impl {
    std::string path;
    Xapian::WritableDatabase database;
};

IndexWriter::IndexWriter(const std::string& path) : impl_(new Impl{path, open_writable(path)}) {
    // Lets a second writer name the process that holds the lock (see database.cpp).
    std::ofstream(path + "/scholarsearch.pid") << getpid() << '\n';
}

IndexWriter::~IndexWriter() {
    std::error_code ignored;
    std::filesystem::remove(impl_->path + "/scholarsearch.pid", ignored);
    delete impl_;
}

IndexStats IndexWriter::add_inputs(const std::vector<std::string>& paths, const IndexOptions& options,
                                   const DiagnosticFn& on_diagnostic, const ProgressFn& on_progress,
                                   std::chrono::milliseconds progress_interval) {
    const auto started = std::chrono::steady_clock::now();
    IndexStats stats;
    std::vector<record::Diagnostic> path_errors;
    const std::vector<std::string> files = parse::expand_inputs(paths, path_errors);
    for (const auto& error : path_errors) {
        on_diagnostic(error);
        ++stats.files_rejected;
    }
    stats.files = files.size();

    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    Pipeline pipeline(2 * threads + 2);
    std::exception_ptr reader_failure;
    std::thread reader([&] {
        try {
            for (const auto& file : files)
                parse::read_chunks(file, options.chunk_bytes, [&](parse::Chunk&& chunk) { pipeline.push(std::move(chunk)); });
        } catch (...) {
            reader_failure = std::current_exception();
        }
        pipeline.close_input();
    });
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < threads; ++i) {
        workers.emplace_back([&] {
            DocumentBuilder builder;
            while (auto item = pipeline.pop_work()) {
                WorkResult result;
                try {
                    result = process(item->chunk, builder);
                } catch (const std::exception& error) {
                    result.file_error = record::Diagnostic{item->chunk.file, item->chunk.first_line, "internal",
                                                           std::string("could not index: ") + error.what(), -1};
                }
                pipeline.finish(item->sequence, std::move(result));
            }
        });
    }

    std::size_t uncommitted = 0;
    auto last_progress = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    try {
        while (auto result = pipeline.next_result(progress_interval)) {
            if (result->file_error) {
                on_diagnostic(*result->file_error);
                ++stats.files_rejected;
            }
            for (const auto& diagnostic : result->diagnostics) on_diagnostic(diagnostic);
            stats.records_rejected += result->diagnostics.size();
            stats.bytes += result->bytes;
            for (auto& built : result->documents) {
                impl_->database.replace_document(built.id_term, built.document);
                if (options.seen_id_terms) options.seen_id_terms->insert(built.id_term);
                for (const auto& word : built.spelling_words) impl_->database.add_spelling(word);
                ++stats.records_indexed;
                if (++uncommitted >= options.batch_size) {
                    commit();
                    ++stats.commits;
                    uncommitted = 0;
                }
            }
            if (on_progress && std::chrono::steady_clock::now() - last_progress >= progress_interval) {
                stats.seconds = elapsed();
                on_progress(stats);
                last_progress = std::chrono::steady_clock::now();
            }
        }
    } catch (...) {
        // Unblock the reader and workers before unwinding; what was committed stays committed.
        while (!pipeline.finished() && pipeline.next_result(progress_interval)) {
        }
        reader.join();
        for (auto& worker : workers) worker.join();
        throw;
    }
    reader.join();
    for (auto& worker : workers) worker.join();
    if (reader_failure) std::rethrow_exception(reader_failure);
    commit();
    ++stats.commits;
    stats.seconds = elapsed();
    if (on_progress) on_progress(stats);
    return stats;
}

bool IndexWriter::remove(const std::string& unique_id) {
    std::string term = std::string(schema::prefix::unique_id) + std::string(utf8_prefix(unique_id, schema::max_boolean_term_bytes));
    if (!impl_->database.term_exists(term)) return false;
    impl_->database.delete_document(term);
    return true;
}

std::vector<std::string> IndexWriter::ids_not_in(const std::unordered_set<std::string>& keep) const {
    std::vector<std::string> missing;
    const std::string prefix(schema::prefix::unique_id);
    for (auto it = impl_->database.allterms_begin(prefix); it != impl_->database.allterms_end(prefix); ++it)
        if (!keep.count(*it)) missing.push_back(*it);
    return missing;
}

void IndexWriter::remove_id_terms(const std::vector<std::string>& id_terms) {
    for (const auto& term : id_terms) impl_->database.delete_document(term);
}

void IndexWriter::set_metadata(const std::string& key, const std::string& value) {
    impl_->database.set_metadata(key, value);
}

void IndexWriter::commit() {
    impl_->database.set_metadata(std::string(schema::built_at_metadata_key), now_utc());
    impl_->database.commit();
}

std::size_t IndexWriter::document_count() const { return impl_->database.get_doccount(); }

}  // namespace scholarsearch::index
