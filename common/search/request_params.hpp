#pragma once
/**
 * Request parameters that both scholarsearch-query and the HTTP server accept, read here once so
 * that both take the same spellings and refuse the same mistakes with the same message. Every
 * refusal is a QueryError whose message is for the user.
 */
#include "search/search_types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::search {

/// "relevance" (or empty), "year" (or "year-desc"), "year-asc", "cited-by" (or "cited_by"),
/// "cited-by-in-collection" (or "cited_by_in_collection").
/// Throws QueryError naming the valid ones.
SortOrder parse_sort(std::string_view name);

struct YearRange {
    std::optional<int> from, to;   ///< an open end is empty
    bool range = false;            ///< written FROM..TO (one year is a range of one only if written so)
};

/// The one year grammar, for the year parameter and the year: field alike: "2012", "2010..2012",
/// "2010.." or "..2012", years of 1 to 4 digits. Throws QueryError.
YearRange parse_year_range(std::string_view text);

/// "year", "venue", "keyword", "author", "clc".
std::string_view facet_name(Facet facet);

/// Every facet, in the order of facet_name's list.
const std::vector<Facet>& all_facets();

/// What `facets=true` (and a bare `--facets`) counts.
const std::vector<Facet>& default_facets();

/**
 * A facets parameter: a comma-separated list of names ("year,venue", spaces allowed, repeats
 * ignored), or "true"/"1"/"yes"/"on"/"" for default_facets(), or "false"/"0"/"no"/"off" for none.
 * An unknown name throws QueryError listing the valid ones.
 */
std::vector<Facet> parse_facets(std::string_view text);

/// True if `text` is a list of facet names only (no true/false words): how the CLI tells
/// `--facets year,venue` from a bare `--facets` followed by query words.
bool is_facet_list(std::string_view text);

/// "*" starts a walk; anything else must be a next_cursor this program wrote. Throws QueryError.
Cursor parse_cursor(std::string_view text);

/// The opaque, URL-safe text of a cursor (parse_cursor reads it back).
std::string format_cursor(const Cursor& cursor);

/**
 * The parameters of a search as a client writes them, the same for `scholarsearch-query`'s
 * options and GET /search's query string: read by apply_parameters, so both accept the same
 * spellings and refuse the same mistakes with the same message. Paging (size, page, offset) stays
 * with each caller: the CLI and the HTTP layer bound numbers their own way.
 */
struct RequestParameters {
    std::string query;                    ///< q / the query words
    std::string sort;                     ///< parse_sort
    std::string year;                     ///< parse_year_range; empty: any year
    std::optional<std::string> facets;    ///< parse_facets; absent: none
    std::optional<std::string> cursor;    ///< parse_cursor; absent: pages by offset
    std::vector<std::string> authors, keywords, clc, venues;   ///< filters, repeatable
};

/// Sets query, sort, years, filters, facets and cursor of `request` from `parameters`. Throws
/// QueryError for a bad sort, year, facet list or cursor (the query itself is read by search()).
void apply_parameters(const RequestParameters& parameters, SearchRequest& request);

/**
 * Identifies what a walk ranks: the query, filters, sort, duplicate collapsing, spelling and
 * ranking options — not page size, facets or highlighting, which a client may change between
 * pages without changing which hit comes next.
 */
std::uint64_t walk_fingerprint(const SearchRequest& request);

}  // namespace scholarsearch::search
