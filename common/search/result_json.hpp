#pragma once
/// SearchResult -> JSON, the one document both `scholarsearch-query --json` and GET /search return.
#include "search/search_types.hpp"

#include <boost/json/object.hpp>

namespace scholarsearch::search {

boost::json::object to_json(const SearchResult& result);
boost::json::object to_json(const Hit& hit);

}  // namespace scholarsearch::search
