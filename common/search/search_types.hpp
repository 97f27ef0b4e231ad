#pragma once
/**
 * The search API's plain types: what a caller asks (SearchRequest) and gets (SearchResult).
 * The CLI and the HTTP server both speak only these, so they return the same results; no Xapian
 * type appears here.
 */
#include "record/record.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace scholarsearch::search {

enum class SortOrder { relevance, year_desc, year_asc, cited_by, cited_by_in_collection };

/// The facets that can be asked for by name (request_params.hpp parses their names).
enum class Facet { year, venue, keyword, author, clc };

/**
 * A place in a walk over every hit of one search (request_params.hpp reads and writes its text).
 * It pins the index generation the walk began on: an offset is only a place in one fixed ranking,
 * so a walk may not continue on another (docs/DECISIONS.md, "Cursor paging").
 */
struct Cursor {
    std::string generation;       ///< IndexInfo::generation of the first page; empty = start ("*")
    std::size_t offset = 0;       ///< hits already returned
    std::uint64_t fingerprint = 0;   ///< walk_fingerprint of the request that began the walk
    bool start() const { return generation.empty(); }
};

/// Ranking knobs. Defaults were chosen by scripts/eval.sh / scripts/tune.sh on ../shared/data and
/// the real known-item sets (docs/RANKING.md), judged on all of them at once.
struct RankingOptions {
    double bm25_k1 = 2.0;
    double bm25_k2 = 0.0;
    double bm25_k3 = 1.0;
    double bm25_b = 0.5;
    double bm25_min_normlen = 0.5;
    double author_weight = 0.6;        ///< free-text match in author names, relative to content
    double affiliation_weight = 0.2;   ///< free-text match in affiliations
    double all_words_weight = 0.5;     ///< bonus (times their weights again) when a record has every plain query word
    double cited_by_prior = 0.0;       ///< weight of log(1 + cited_by) added to the score; 0 = off
    /// Pseudo-relevance feedback, for questions and descriptions only (more than six plain words,
    /// not a pasted title): top documents used; 0 = off.
    unsigned feedback_documents = 5;
    unsigned feedback_terms = 30;      ///< expansion terms taken from them
    double feedback_weight = 0.15;     ///< weight of the expansion terms relative to the query
};

struct SearchRequest {
    std::string query;                    ///< the query language of docs/QUERY.md
    std::size_t offset = 0;
    std::size_t size = 10;
    SortOrder sort = SortOrder::relevance;
    std::optional<int> year_from, year_to;   ///< inclusive filters
    std::vector<std::string> authors;        ///< exact author names (any of)
    std::vector<std::string> keywords;       ///< exact keywords (all of)
    std::vector<std::string> clc;            ///< CLC code prefixes (any of)
    std::vector<std::string> venues;         ///< exact venues (any of)
    std::vector<Facet> facets;            ///< counted over every match; empty = none
    std::size_t facet_size = 10;          ///< values per facet, most frequent first (year: every year)
    /// Set: a walk over every hit, `offset` unused and no max_result_window (docs/DECISIONS.md).
    std::optional<Cursor> cursor;
    bool highlight = true;
    bool load_records = true;             ///< false: hits carry only id and score (TREC runs)
    bool collapse_duplicates = true;      ///< one hit per DOI
    bool spelling = true;                 ///< suggest a correction for unknown or rare words
    RankingOptions ranking;
};

/// Largest offset + size served; deeper pages are refused with a QueryError.
inline constexpr std::size_t max_result_window = 10000;
inline constexpr std::size_t max_page_size = 100;
inline constexpr std::size_t max_query_bytes = 4096;
/// Records one export holds unless told (GET /export, scholarsearch-query --format), and at most:
/// an export is read by id in batches (Searcher::matches), so only its ids are ever held whole.
inline constexpr std::size_t default_export_records = 1000;
inline constexpr std::size_t max_export_records = 100000;
inline constexpr std::size_t max_facet_size = 1000;

struct Hit {
    std::string id;
    std::optional<std::string> doi;
    std::string title;
    std::vector<std::string> authors;
    std::optional<int> year;
    std::optional<std::string> venue;
    std::optional<long long> cited_by;
    long long cited_by_in_collection = 0;   ///< records of the collection citing it (/doc/{id}/cited-by)
    std::vector<std::string> keywords;
    double score = 0;
    std::size_t rank = 0;                 ///< 1-based, over the whole result list
    bool identified = false;              ///< named by an identifier in the query, so ranked first
    std::string snippet;                  ///< HTML: escaped text with <mark>…</mark>
    std::string title_html;               ///< HTML-escaped title with <mark>…</mark>
};

struct FacetValue {
    std::string value;
    std::size_t count = 0;
};

struct SearchResult {
    std::string query;
    std::size_t total_estimated = 0;
    std::size_t total_lower_bound = 0;
    std::size_t total_upper_bound = 0;
    std::size_t offset = 0;
    std::size_t size = 0;
    std::vector<Hit> hits;
    std::map<std::string, std::vector<FacetValue>> facets;   ///< by facet_name
    /// Records the facets counted: every match, before duplicates collapse, identified ones included.
    std::size_t facets_counted = 0;
    /// Whether Xapian saw every match (its totals' bounds met); it is asked to, whenever facets are.
    bool facets_exact = true;
    bool walking = false;                 ///< a cursor walk: the JSON carries next_cursor
    std::optional<std::string> next_cursor;   ///< the next page of the walk; none after the last
    /// The query with its misspelt words corrected (field names and operators kept).
    std::optional<std::string> spelling_suggestion;
    /// Set when the query as typed found nothing and these are the hits of the correction.
    std::optional<std::string> corrected_query;
    bool query_relaxed = false;           ///< boolean syntax failed, the query ran as plain words
    /// The shards of the index that did not answer: the hits, totals and facets are those of the
    /// others (a partial answer). Empty for a full answer.
    std::vector<std::string> missing_shards;
    double elapsed_ms = 0;
};

/// One reference of a record and, when it cites a record of the collection, that record.
struct ReferenceLink {
    record::Reference reference;
    std::optional<std::string> id;        ///< the cited record's unique id
    std::optional<std::string> title;     ///< its title, as stored
    std::optional<std::string> rule;      ///< how it was matched: graph::rule_name
};

}  // namespace scholarsearch::search
