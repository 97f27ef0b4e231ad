#pragma once
/**
 * The JSON document the `parse` command prints for one file (FORMAT.md §9): records, their
 * meta (index, line, id), record errors and the file error. The seed-format tests compare it
 * with the *.expected.json files.
 */
#include "parse/parse_result.hpp"

#include <boost/json/object.hpp>

namespace scholarsearch::parse {

/// {"file": base name, "records": [...], "meta": [...], "errors": [...], "file_error": ...}.
boost::json::object parse_result_to_json(const ParseResult& result);

}  // namespace scholarsearch::parse
