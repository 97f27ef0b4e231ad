#include "http/result_cache.hpp"

#include "search/request_params.hpp"

#include <cstdio>

namespace scholarsearch::http {

ResultCache::ResultCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

std::optional<std::string> ResultCache::find(const std::string& key, bool count_miss) {
    if (!enabled()) return std::nullopt;
    std::lock_guard lock(mutex_);
    const auto found = by_key_.find(key);
    if (found == by_key_.end()) {
        if (count_miss) ++stats_.misses;
        return std::nullopt;
    }
    recency_.splice(recency_.begin(), recency_, found->second);
    ++stats_.hits;
    return found->second->body;
}

void ResultCache::insert(const std::string& key, std::string body) {
    if (!enabled()) return;
    Entry entry{key, std::move(body)};
    const std::size_t entry_cost = cost(entry);
    if (entry_cost > max_bytes_ / 10) return;
    std::lock_guard lock(mutex_);
    if (const auto found = by_key_.find(key); found != by_key_.end()) {
        // Two threads missed on the same key and both searched: keep the one stored first.
        recency_.splice(recency_.begin(), recency_, found->second);
        return;
    }
    while (!recency_.empty() && stats_.bytes + entry_cost > max_bytes_) {
        stats_.bytes -= cost(recency_.back());
        by_key_.erase(recency_.back().key);
        recency_.pop_back();
        ++stats_.evictions;
    }
    recency_.push_front(std::move(entry));
    by_key_.emplace(key, recency_.begin());
    stats_.bytes += entry_cost;
}

ResultCache::Stats ResultCache::stats() const {
    std::lock_guard lock(mutex_);
    Stats copy = stats_;
    copy.entries = by_key_.size();
    copy.max_bytes = max_bytes_;
    return copy;
}

namespace {

// Length-prefixed, so that no two different requests can spell the same key.
void append_field(std::string& key, std::string_view value) {
    key += std::to_string(value.size());
    key += ':';
    key += value;
}

void append_number(std::string& key, double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    append_field(key, text);
}

void append_list(std::string& key, const std::vector<std::string>& values) {
    append_number(key, static_cast<double>(values.size()));
    for (const auto& value : values) append_field(key, value);
}

}  // namespace

std::string search_cache_key(const std::string& generation, const search::SearchRequest& request) {
    // Such a page is never computed (the walk has expired, or this thread has not caught up), so
    // nothing may be found for it: above all not a page of this generation at that offset.
    if (request.cursor && !request.cursor->start() && request.cursor->generation != generation) return {};
    std::string key;
    key.reserve(generation.size() + request.query.size() + 96);
    append_field(key, generation);
    append_field(key, request.query);
    append_number(key, static_cast<double>(request.offset));
    append_number(key, static_cast<double>(request.size));
    append_number(key, static_cast<double>(static_cast<int>(request.sort)));
    append_field(key, request.year_from ? std::to_string(*request.year_from) : "-");
    append_field(key, request.year_to ? std::to_string(*request.year_to) : "-");
    append_list(key, request.authors);
    append_list(key, request.keywords);
    append_list(key, request.clc);
    append_list(key, request.venues);
    append_number(key, static_cast<double>(request.facet_size));
    append_number(key, static_cast<double>(request.facets.size()));
    for (search::Facet facet : request.facets) append_field(key, search::facet_name(facet));
    append_field(key, request.cursor ? search::format_cursor(*request.cursor) : "-");
    key += request.highlight ? 'H' : 'h';
    key += request.load_records ? 'L' : 'l';
    key += request.collapse_duplicates ? 'C' : 'c';
    key += request.spelling ? 'S' : 's';
    const search::RankingOptions& r = request.ranking;
    for (double value : {r.bm25_k1, r.bm25_k2, r.bm25_k3, r.bm25_b, r.bm25_min_normlen, r.author_weight,
                         r.affiliation_weight, r.all_words_weight, r.cited_by_prior, static_cast<double>(r.feedback_documents),
                         static_cast<double>(r.feedback_terms), r.feedback_weight})
        append_number(key, value);
    return key;
}

}  // namespace scholarsearch::http
