#pragma once
/**
 * Finished /search response bodies, by index generation and request, so that a query asked again
 * (a search box's popular queries, a user going back to a page) costs a lookup instead of a
 * search. Least recently used entries go first once the byte budget is spent. Thread-safe.
 *
 * An entry is only ever found under the generation (store::generation: UUID and commit stamp) of the searcher
 * that computed it, so a commit or a nightly swap makes every older entry unreachable at once;
 * they age out of the budget without being served.
 */
#include "search/search_types.hpp"

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace scholarsearch::http {

class ResultCache {
public:
    struct Stats {
        unsigned long long hits = 0;
        unsigned long long misses = 0;
        unsigned long long evictions = 0;
        std::size_t entries = 0;
        std::size_t bytes = 0;
        std::size_t max_bytes = 0;
    };

    /// `max_bytes` 0 turns the cache off: nothing is stored, every find() misses.
    explicit ResultCache(std::size_t max_bytes);

    bool enabled() const { return max_bytes_ > 0; }
    /// `count_miss` false: a first look whose miss is looked up again (and counted) later.
    std::optional<std::string> find(const std::string& key, bool count_miss = true);
    /// Stores `body` unless it alone is larger than a tenth of the budget (one huge facet answer
    /// must not flush everything else).
    void insert(const std::string& key, std::string body);
    Stats stats() const;

private:
    struct Entry {
        std::string key;
        std::string body;
    };
    std::size_t cost(const Entry& entry) const { return entry.key.size() + entry.body.size() + entry_overhead; }
    static constexpr std::size_t entry_overhead = 96;   // list node, hash node, two string headers

    const std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::list<Entry> recency_;   ///< front = most recently used
    std::unordered_map<std::string, std::list<Entry>::iterator> by_key_;
    Stats stats_;
};

/// The cache key of a search: the generation of the index that answers it and every field of the
/// request that can change the response, in one unambiguous string. Empty (do not cache, do not
/// look up) for a cursor page of another generation than `generation`.
std::string search_cache_key(const std::string& generation, const search::SearchRequest& request);

}  // namespace scholarsearch::http
