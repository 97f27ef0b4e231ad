#pragma once
/**
 * The one search API: SearchRequest -> SearchResult over an index directory (or stub file).
 * The query CLI and the HTTP server both call it, so both return the same results.
 *
 * A Searcher owns its Xapian::Database, which is not thread-safe: use one Searcher per thread.
 * Throws QueryError for bad queries/parameters (HTTP 400), IndexUnavailable when the index
 * cannot be opened or read (damaged or vanished files; HTTP 503) and Error for anything else
 * Xapian reports (HTTP 500): no Xapian exception leaves a Searcher.
 *
 * Over a stub with remote shards, a shard that does not answer (down, or slower than
 * SearcherOptions::shard_timeout) is left out: the request is answered by the others, and the
 * result names the shards it lacks (SearchResult::missing_shards). Left-out shards are tried
 * again every shard_retry_interval, at refresh_if_changed().
 */
#include "record/record.hpp"
#include "search/search_types.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace scholarsearch::search {

/// How a Searcher opens its index. The defaults suit one machine; the shard settings matter for
/// a stub that lists databases served by xapian-tcpsrv (docs/SCALING.md).
struct SearcherOptions {
    /// A local database holding the spelling dictionary (scholarsearch-index spelling-db), for
    /// an index with remote shards: Xapian's remote backend answers no spelling lookups. Empty:
    /// the index's own dictionary.
    std::string spelling_path;
    /// A remote shard slower than this for one operation is left out of the answer.
    std::chrono::milliseconds shard_timeout{2000};
    std::chrono::milliseconds shard_connect_timeout{1000};
    /// How often a shard that was left out is tried again.
    std::chrono::milliseconds shard_retry_interval{1000};
};

/// One database of a stub, as the last (re)open found it.
struct ShardStatus {
    std::string name;              ///< its stub line: "auto builds/B/shard-0", "remote HOST:PORT"
    bool available = false;
    std::size_t documents = 0;     ///< when available
    std::string error;             ///< why not, when not
};

struct IndexInfo {
    std::size_t documents = 0;
    std::string revision;          ///< Xapian revision of the open database
    /// Changes with every commit and every swap to another database (store::generation: each
    /// database's UUID and commit stamp): whatever was computed under one generation stays true
    /// until it changes. Empty when the index cannot tell its commits apart.
    std::string generation;
    std::string analyzer_version;
    std::string built_at;          ///< UTC time of the last commit
    std::string path;
    /// Every database a stub lists (none for a database directory).
    std::vector<ShardStatus> shards;
    /// Whether spelling suggestions can be made: not over remote shards without a spelling database.
    bool spelling_available = true;
};

class Searcher {
public:
    explicit Searcher(const std::string& index_path, const SearcherOptions& options = {});
    ~Searcher();
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    SearchResult search(const SearchRequest& request);

    /**
     * Every match of `request` in its order — identified records first, the correction's hits when
     * the query finds nothing, as search() — from the first, as ids and scores only, up to `limit`
     * (at most max_export_records; offset, size, facets and highlighting are ignored). For
     * exports, which then load the records by id in batches with document().
     */
    SearchResult matches(const SearchRequest& request, std::size_t limit);

    /// Records most like the record `id` (Xapian RSet/ESet over its words); empty if unknown id.
    SearchResult similar(const std::string& id, std::size_t size = 10);

    /// The references of the record `id`, each resolved to a record of the index where it cites
    /// one (docs/GRAPH.md); nullopt for an unknown id.
    std::optional<std::vector<ReferenceLink>> references(const std::string& id);

    /// The records of the index that cite the record `id`, every one counted (total exact),
    /// newest first (`sort` year_desc, the default for relevance), oldest first or most cited
    /// first, `size` from `offset`; nullopt for an unknown id.
    std::optional<SearchResult> cited_by(const std::string& id, std::size_t offset, std::size_t size, SortOrder sort);

    /// Records sharing the most resolved references with the record `id` (bibliographic
    /// coupling; score = how many they share), `size` of them; empty if unknown id.
    SearchResult similar_by_references(const std::string& id, std::size_t size = 10);

    /// The stored record with this unique id.
    std::optional<record::Record> document(const std::string& id);

    /// Prefix completion for search-as-you-type: titles' words, keywords and author names.
    std::vector<std::string> suggest(const std::string& prefix, std::size_t size = 10);

    /// Reopens the path: picks up new commits and a repointed stub file or symlink.
    void refresh();

    /**
     * Cheap check for a new commit or a repointed stub/symlink (a stat and Xapian's reopen());
     * refreshes when needed and returns true if it did. Keeps serving the open database when a
     * repointed stub's new build cannot be opened. Throws IndexUnavailable when the path no longer
     * exists, or when the open database failed (a damaged file) and reopening the path fails too:
     * then this Searcher has nothing to serve, and the caller should open a new one later.
     */
    bool refresh_if_changed();

    IndexInfo info();

    /// IndexInfo::generation, without the rest of info()'s lookups (it is asked per request).
    std::string generation();

    /// How many times each shard was found not answering, by stub line, in this process (all
    /// Searchers): for /metrics.
    static std::map<std::string, std::uint64_t> shard_errors();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace scholarsearch::search
