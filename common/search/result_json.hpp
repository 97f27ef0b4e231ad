#pragma once
/// SearchResult -> JSON, the one document both `scholarsearch-query --json` and GET /search return.
#include "search/search_types.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>

namespace scholarsearch::search {

boost::json::object to_json(const SearchResult& result);
boost::json::object to_json(const Hit& hit);
/// GET /doc/{id}/references: {"id", "resolved", "references": [{n, text, title, authors, venue,
/// year, "cited": {id, title, matched_by} or null}]}.
boost::json::object to_json(const std::string& id, const std::vector<ReferenceLink>& links);

/// JSON text as people and scripts read numbers: doubles as plain decimals with six significant
/// digits (a score 12.3457, not Boost's 1.23457E1; 0.000123457, never an exponent), integers as
/// integers. Everything else is Boost.JSON's serialisation.
std::string serialize(const boost::json::value& value);
/// The result's JSON text (serialize(to_json(result))), as /search and `--json` print it.
std::string serialize(const SearchResult& result);

}  // namespace scholarsearch::search
