#include "index/index_writer.hpp"

#include "index/citation_graph.hpp"
#include "index/document_builder.hpp"
#include "index/stored_record.hpp"
#include "parse/input.hpp"
#include "record/error.hpp"
#include "schema/schema.hpp"
#include "store/database.hpp"
#include "store/writer_lock.hpp"

#include <xapian.h>


#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
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

namespace fs = std::filesystem;

// Hands batches of documents from the dispatching thread to one shard's writer thread.
class DocumentQueue {
public:
    explicit DocumentQueue(std::size_t capacity) : capacity_(capacity) {}
    // False once the consumer has failed: the producer stops sending.
    bool push(std::vector<BuiltDocument>&& documents) {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return queue_.size() < capacity_ || abandoned_; });
        if (abandoned_) return false;
        queue_.push_back(std::move(documents));
        ready_.notify_one();
        return true;
    }
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        ready_.notify_all();
    }
    void abandon() {
        std::lock_guard lock(mutex_);
        abandoned_ = true;
        space_.notify_all();
    }
    std::optional<std::vector<BuiltDocument>> pop() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !queue_.empty() || closed_; });
        if (queue_.empty()) return std::nullopt;
        std::vector<BuiltDocument> documents = std::move(queue_.front());
        queue_.pop_front();
        space_.notify_one();
        return documents;
    }

private:
    std::mutex mutex_;
    std::condition_variable space_, ready_;
    std::deque<std::vector<BuiltDocument>> queue_;
    std::size_t capacity_;
    bool closed_ = false;
    bool abandoned_ = false;
};


constexpr std::size_t first_batch_documents = 200;
// Records the data dictionary is trained on (about 15 MB of JSON). On the real corpus, whose
// first records all come from one source, 10000 records and a 256 KB dictionary store a record
// in 6% less than 2000 and 64 KB (docs/FORMATS.md).
constexpr std::size_t dictionary_training_documents = 10000;

// One database written by its own thread (a temporary one in a parallel build). Documents are
// routed to shards by unique id, so a record repeated in the input always meets its earlier copy
// in the same shard and replaces it.
struct Shard {
    Xapian::WritableDatabase database;
    std::string temporary_path;               // empty when it is the target database itself
    DocumentQueue queue{8};
    std::thread thread;
    std::exception_ptr failure;
    std::size_t batch_size = 1;
    std::atomic<std::size_t>* commits = nullptr;
    // Set before the first batch is pushed (the queue orders it before the thread reads it).
    StoredRecordCodec codec;
    std::string new_dictionary;   // trained for this build: stored in the database's metadata
    // The target database's citation counts, kept per commit; none for a temporary shard, whose
    // records are counted all at once before the merge.
    CitationCounts* counts = nullptr;

    // Xapian holds a batch's postings in maps that get slower as they grow, while each commit
    // rewrites the tail of every posting list the batch touched, which costs more as the database
    // grows. A temporary shard's commits are nobody's checkpoint, so its batch is as long as the
    // shard is large, between first_batch_documents and batch_size. The target database commits
    // every batch_size documents, as documented.
    std::size_t next_batch() {
        if (temporary_path.empty()) return batch_size;
        return std::min(batch_size, std::max<std::size_t>(first_batch_documents, database.get_doccount()));
    }

    void run() {
        try {
            std::size_t uncommitted = 0;
            std::size_t batch = next_batch();
            bool first_batch = true;
            auto commit = [&] {
                if (counts) counts->recount(database);
                store::commit(database);
                ++*commits;
                uncommitted = 0;
                batch = next_batch();
            };
            while (auto documents = queue.pop()) {
                if (first_batch && !new_dictionary.empty())
                    database.set_metadata(std::string(data_dictionary_metadata_key), new_dictionary);
                first_batch = false;
                // With counts kept per commit, the documents go in slices that end at a commit, each
                // noted before and after (CitationCounts).
                for (std::size_t begin = 0; begin < documents->size();) {
                    const std::size_t end =
                        counts ? std::min(documents->size(), begin + (batch - uncommitted)) : documents->size();
                    std::vector<std::string> ids;
                    std::vector<graph::Work> works;
                    if (counts) {
                        for (std::size_t i = begin; i < end; ++i) {
                            const auto& built = (*documents)[i];
                            ids.push_back(built.id_term);
                            works.push_back(graph::work_from_value(built.document.get_value(schema::slot(schema::Slot::work))));
                        }
                        works = counts->note(database, ids, works);
                    }
                    for (std::size_t i = begin; i < end; ++i) {
                        auto& built = (*documents)[i];
                        built.document.set_data(codec.compress(built.document.get_data()));
                        database.replace_document(built.id_term, built.document);
                        for (const auto& word : built.spelling_words) database.add_spelling(word);
                        if (++uncommitted >= batch && !counts) commit();
                    }
                    if (counts) {
                        counts->note(database, ids, works);
                        if (uncommitted >= batch) commit();
                    }
                    begin = end;
                }
            }
            commit();
        } catch (...) {
            failure = std::current_exception();
            queue.abandon();
        }
    }
};

constexpr const char* shard_directory_prefix = "shard-";
constexpr const char* merged_directory = "merged.tmp";

// Leftovers of a build that was killed before its merge: nothing reads them, and we hold the
// lock, so they can go.
void remove_build_leftovers(const std::string& path) {
    std::error_code ignored;
    for (fs::directory_iterator it(path, ignored), end; !ignored && it != end; it.increment(ignored)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(shard_directory_prefix, 0) == 0 || name == merged_directory) fs::remove_all(it->path(), ignored);
    }
}

bool is_database_file(const fs::path& file) {
    return file.extension() == ".glass" || file.filename() == "iamglass";
}

// Moves the database in `merged` over the one at `target`, the version file last, so that a
// reader sees either the old revision or the new one.
void move_database_over(const std::string& merged, const std::string& target) {
    std::set<std::string> incoming;
    for (const auto& entry : fs::directory_iterator(merged))
        if (is_database_file(entry.path())) incoming.insert(entry.path().filename().string());
    for (const auto& entry : fs::directory_iterator(target))
        if (is_database_file(entry.path()) && !incoming.count(entry.path().filename().string())) fs::remove(entry.path());
    for (const auto& name : incoming)
        if (name != "iamglass") fs::rename(fs::path(merged) / name, fs::path(target) / name);
    fs::rename(fs::path(merged) / "iamglass", fs::path(target) / "iamglass");
    fs::remove_all(merged);
}

}  // namespace

struct IndexWriter::Impl {
    std::string path;
    std::optional<store::WriterLock> lock;     // released after the database is closed
    Xapian::WritableDatabase database;
    CitationCounts counts;             // of the changes since the last commit

    std::vector<std::unique_ptr<Shard>> start_shards(unsigned count, std::size_t batch_size,
                                                     std::atomic<std::size_t>& commits, bool citation_graph);
    void merge_shards(std::vector<std::unique_ptr<Shard>>& shards);
};

IndexWriter::IndexWriter(const std::string& path) : impl_(new Impl{path, std::nullopt, {}, {}}) {
    try {
        std::error_code error;
        fs::create_directories(path, error);
        if (error) throw IndexUnavailable("cannot create index directory " + path + ": " + error.message());
        // Our lock, beside Xapian's: it is held across the moment a parallel build closes the
        // database to move the merged one in.
        impl_->lock.emplace(store::index_lock_path(path), "index " + path);
        impl_->database = store::open_writable(path);
    } catch (...) {
        delete impl_;
        throw;
    }
    remove_build_leftovers(path);
}

IndexWriter::~IndexWriter() { delete impl_; }

std::vector<std::unique_ptr<Shard>> IndexWriter::Impl::start_shards(unsigned count, std::size_t batch_size,
                                                                    std::atomic<std::size_t>& commits, bool citation_graph) {
    std::vector<std::unique_ptr<Shard>> shards;
    for (unsigned i = 0; i < count; ++i) {
        auto shard = std::make_unique<Shard>();
        if (count == 1) {
            shard->database = database;
        } else {
            shard->temporary_path = path + "/" + shard_directory_prefix + std::to_string(i);
            fs::remove_all(shard->temporary_path);
            // A temporary shard is merged or thrown away, never read after a crash: its commits
            // need not reach the disk (the merge's output does).
            shard->database = Xapian::WritableDatabase(shard->temporary_path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
        }
        shard->batch_size = std::max<std::size_t>(1, batch_size / count);
        if (count == 1 && citation_graph) shard->counts = &counts;
        shard->commits = &commits;
        shards.push_back(std::move(shard));
    }
    for (auto& shard : shards) shard->thread = std::thread([s = shard.get()] { s->run(); });
    return shards;
}

// Xapian has one writer per database, so a build into an empty database writes one temporary
// database per core and merges them with compaction, which also packs the blocks full (a
// smaller index). The target stays empty until the merged database moves in: a killed build
// leaves it as it was.
void IndexWriter::Impl::merge_shards(std::vector<std::unique_ptr<Shard>>& shards) {
    if (shards.size() < 2) return;
    if (!shards.front()->new_dictionary.empty())
        database.set_metadata(std::string(data_dictionary_metadata_key), shards.front()->new_dictionary);
    store::commit(database);        // still empty, but the merge takes its metadata from it
    Xapian::Database sources(path);
    for (auto& shard : shards) {
        shard->database.close();
        sources.add_database(Xapian::Database(shard->temporary_path));
    }
    const std::string merged = path + "/" + merged_directory;
    fs::remove_all(merged);
    sources.compact(merged);
    sources.close();
    database.close();
    move_database_over(merged, path);
    database = store::open_writable(path);
    for (auto& shard : shards) fs::remove_all(shard->temporary_path);
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
    const std::string positions_key(schema::abstract_positions_metadata_key);
    bool abstract_positions = options.abstract_positions;
    if (impl_->database.get_doccount() > 0) abstract_positions = impl_->database.get_metadata(positions_key) != "0";
    else impl_->database.set_metadata(positions_key, abstract_positions ? "1" : "0");
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < threads; ++i) {
        workers.emplace_back([&, abstract_positions] {
            DocumentBuilder builder(abstract_positions, options.citation_graph);
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

    // Updating a database that has documents goes through one writer (merging would rewrite
    // the whole index for a few records); filling an empty one uses a shard per core.
    std::uintmax_t input_bytes = 0;
    for (const auto& file : files) {
        std::error_code unknown_size;   // stdin, a pipe: assume large
        const auto size = file == "-" ? options.parallel_build_min_bytes : fs::file_size(file, unknown_size);
        input_bytes += unknown_size ? options.parallel_build_min_bytes : size;
    }
    const bool parallel_build = options.parallel_build && threads > 1 && input_bytes >= options.parallel_build_min_bytes &&
                                impl_->database.get_doccount() == 0;
    std::atomic<std::size_t> commits{0};
    auto shards = impl_->start_shards(parallel_build ? threads : 1, options.batch_size, commits, options.citation_graph);
    auto stop_shards = [&] {
        for (auto& shard : shards) shard->queue.close();
        for (auto& shard : shards) shard->thread.join();
    };
    auto shard_failure = [&]() -> std::exception_ptr {
        for (auto& shard : shards)
            if (shard->failure) return shard->failure;
        return nullptr;
    };
    std::hash<std::string> route;
    std::vector<std::vector<BuiltDocument>> routed(shards.size());
    // A new database gets a data dictionary trained on its first records (stored_record.hpp):
    // they wait here until it is made, then every shard compresses with it.
    StoredRecordCodec codec = StoredRecordCodec::for_database(impl_->database);
    bool training = codec.dictionary().empty() && impl_->database.get_doccount() == 0;
    std::vector<BuiltDocument> held;
    auto finish_training = [&] {
        std::vector<std::string> samples;
        for (const auto& built : held) samples.push_back(built.document.get_data());
        const std::string dictionary = StoredRecordCodec::train(samples);
        codec = StoredRecordCodec(dictionary);
        for (auto& shard : shards) {
            shard->codec = codec;
            shard->new_dictionary = dictionary;
        }
        training = false;
        for (auto& built : held) routed[route(built.id_term) % shards.size()].push_back(std::move(built));
        held.clear();
    };
    if (!training)
        for (auto& shard : shards) shard->codec = codec;
    auto push_routed = [&] {
        for (std::size_t i = 0; i < shards.size(); ++i) {
            if (routed[i].empty()) continue;
            if (!shards[i]->queue.push(std::move(routed[i]))) std::rethrow_exception(shards[i]->failure);
            routed[i].clear();
        }
    };

    auto last_progress = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    try {
        while (auto result = pipeline.next_result(progress_interval)) {
            if (result->file_error) {
                on_diagnostic(*result->file_error);
                ++stats.files_rejected;
            }
            for (const auto& diagnostic : result->diagnostics) on_diagnostic(diagnostic);
            stats.records_rejected += static_cast<std::size_t>(std::count_if(
                result->diagnostics.begin(), result->diagnostics.end(), [](const auto& d) { return !d.warning; }));
            stats.bytes += result->bytes;
            for (auto& built : result->documents) {
                if (options.seen_id_terms) options.seen_id_terms->insert(built.id_term);
                if (training) held.push_back(std::move(built));
                else routed[route(built.id_term) % shards.size()].push_back(std::move(built));
                ++stats.records_indexed;
            }
            if (training && held.size() >= dictionary_training_documents) finish_training();
            push_routed();
            if (on_progress && std::chrono::steady_clock::now() - last_progress >= progress_interval) {
                stats.seconds = elapsed();
                stats.commits = commits;
                on_progress(stats);
                last_progress = std::chrono::steady_clock::now();
            }
        }
        if (training) {
            finish_training();
            push_routed();
        }
    } catch (...) {
        // Unblock the reader and workers before unwinding; what was committed stays committed.
        while (!pipeline.finished() && pipeline.next_result(progress_interval)) {
        }
        reader.join();
        for (auto& worker : workers) worker.join();
        stop_shards();
        throw;
    }
    reader.join();
    for (auto& worker : workers) worker.join();
    stop_shards();
    if (auto failure = shard_failure()) std::rethrow_exception(failure);
    if (reader_failure) std::rethrow_exception(reader_failure);
    if (shards.size() > 1 && options.citation_graph) {
        // Every record is known now: counted once, before the merge packs the shards.
        std::vector<Xapian::WritableDatabase*> databases;
        std::vector<std::string> shard_paths;
        for (auto& shard : shards) {
            databases.push_back(&shard->database);
            shard_paths.push_back(shard->temporary_path);
        }
        count_all_citations(databases, shard_paths, threads);
        for (auto& shard : shards) shard->database.commit();
    }
    impl_->merge_shards(shards);
    stats.commits = commits;
    stats.seconds = elapsed();
    if (on_progress) on_progress(stats);
    return stats;
}

bool IndexWriter::remove(const std::string& unique_id) {
    std::string term = boolean_term(schema::prefix::unique_id, unique_id);
    if (!impl_->database.term_exists(term)) return false;
    const auto works = impl_->counts.note(impl_->database, {term}, {});
    impl_->database.delete_document(term);
    impl_->counts.note(impl_->database, {term}, works);
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
    const auto works = impl_->counts.note(impl_->database, id_terms, {});
    for (const auto& term : id_terms) impl_->database.delete_document(term);
    impl_->counts.note(impl_->database, id_terms, works);
}

void IndexWriter::set_metadata(const std::string& key, const std::string& value) {
    impl_->database.set_metadata(key, value);
}

void IndexWriter::commit() {
    impl_->counts.recount(impl_->database);
    store::commit(impl_->database);
}

std::size_t IndexWriter::document_count() const { return impl_->database.get_doccount(); }

}  // namespace scholarsearch::index
