#pragma once
/**
 * IndexWriter: the one owner of a WritableDatabase. It runs the indexing pipeline
 *
 *   reader thread: files -> chunks (parse::read_chunks)
 *   N workers:     chunk -> records -> Xapian documents (parse + analysis, the expensive part)
 *   this thread:   documents in input order -> routed by unique id to a shard writer
 *   shard writers: replace_document by unique id, commit per batch
 *
 * Into an empty database there is one temporary shard per worker (Xapian allows one writer per
 * database), merged by compaction at the end; otherwise one shard, the database itself.
 * Input order is kept so that a record repeated later in the input wins, as it would in a
 * sequential run. At most `max_chunks_in_flight` chunks exist at once, so memory is bounded by
 * chunk size and batch size, not by corpus size. A commit happens every `batch_size` documents
 * and at the end: a run killed at any moment leaves the database at its last commit (a
 * parallel build into an empty database commits only temporary shards, in shorter batches while
 * they are small: killed, it leaves the database empty).
 */
#include "record/record.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

namespace scholarsearch::index {

struct IndexOptions {
    std::size_t batch_size = 2000;           ///< documents per commit (split among the shards)
    /// When set, receives the id term ("Q...") of every record indexed (for --delete-missing).
    std::unordered_set<std::string>* seen_id_terms = nullptr;
    unsigned threads = 0;                    ///< parse/analysis workers; 0 = hardware threads
    std::size_t chunk_bytes = 256 << 10;     ///< JSON Lines chunk size
    /// Into an empty database: one writer thread and database per worker, merged at the end.
    bool parallel_build = true;
    /// Smaller inputs go through one writer: the merge's fixed cost would outweigh the gain.
    std::uintmax_t parallel_build_min_bytes = 1 << 20;
    /// For a new database: abstract words with positions (schema::abstract_positions_metadata_key).
    /// A database that has records keeps the layout it was built with.
    bool abstract_positions = true;
    /// The citation graph's keys, Work values and in-collection counts (docs/GRAPH.md). Off only
    /// to measure what the graph costs (scripts/bench-graph-cost.sh): on such an index the graph
    /// endpoints find nothing and every count is 0.
    bool citation_graph = true;
};

struct IndexStats {
    std::size_t files = 0;
    std::size_t files_rejected = 0;          ///< unreadable, bad encoding, no records
    std::size_t records_indexed = 0;
    std::size_t records_rejected = 0;
    std::size_t bytes = 0;                   ///< input bytes read
    std::size_t commits = 0;
    double seconds = 0;
};

using ProgressFn = std::function<void(const IndexStats&)>;
using DiagnosticFn = std::function<void(const record::Diagnostic&)>;

class IndexWriter {
public:
    /// Opens or creates the database at `path`; throws IndexLocked / IndexUnavailable.
    explicit IndexWriter(const std::string& path);
    ~IndexWriter();
    IndexWriter(const IndexWriter&) = delete;
    IndexWriter& operator=(const IndexWriter&) = delete;

    /**
     * Indexes every record of `paths` (files, directories, "-"), replacing records with the
     * same unique id. Bad records and files are reported to `on_diagnostic` and skipped.
     * `on_progress` is called from this thread about every `progress_interval`.
     */
    IndexStats add_inputs(const std::vector<std::string>& paths, const IndexOptions& options,
                          const DiagnosticFn& on_diagnostic, const ProgressFn& on_progress = {},
                          std::chrono::milliseconds progress_interval = std::chrono::milliseconds(200));

    /// Deletes the record with this unique id; false if there was none.
    bool remove(const std::string& unique_id);

    /// Id terms of the records not in `keep`.
    std::vector<std::string> ids_not_in(const std::unordered_set<std::string>& keep) const;
    /// Deletes records by id term; not committed.
    void remove_id_terms(const std::vector<std::string>& id_terms);

    /// Stores a metadata value, committed with the next commit.
    void set_metadata(const std::string& key, const std::string& value);

    void commit();
    std::size_t document_count() const;

private:
    struct Impl;
    Impl* impl_;
};

}  // namespace scholarsearch::index
