#pragma once
/**
 * A search result as text for a person at a terminal (scholarsearch-query without --json): the
 * counts, the spelling notes, a ranked list with ids, authors and snippets, the facets and the
 * cursor. <mark> in titles and snippets becomes bold on a terminal and is dropped elsewhere.
 */
#include "search/search_types.hpp"

#include <string>

namespace scholarsearch::search {

std::string readable_text(const SearchResult& result, bool bold_marks);

}  // namespace scholarsearch::search
