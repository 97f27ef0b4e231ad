#pragma once
/**
 * Request parameters that both scholarsearch-query and the HTTP server accept, read here once so
 * that both take the same spellings and refuse the same mistakes with the same message. Every
 * refusal is a QueryError whose message is for the user.
 */
#include "search/search_types.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::search {

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
 * Identifies what a walk ranks: the query, filters, sort, duplicate collapsing, spelling and
 * ranking options — not page size, facets or highlighting, which a client may change between
 * pages without changing which hit comes next.
 */
std::uint64_t walk_fingerprint(const SearchRequest& request);

}  // namespace scholarsearch::search
