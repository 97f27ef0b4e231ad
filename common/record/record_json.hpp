#pragma once
/**
 * Record <-> JSON. Two shapes:
 * - the seed-format RECORD of FORMAT.md §9 (all keys, fixed order), used by `scholarsearch-index
 *   parse` and compared against the *.expected.json files;
 * - the stored form: compact JSON kept as Xapian document data, with the extra model fields
 *   (id, year, venue, language) and without empty fields, so a hit needs no second lookup.
 */
#include "record/record.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace scholarsearch::record {

/// FORMAT.md §9 RECORD object, keys in the documented order.
boost::json::object to_seed_json(const Record& record);

/// Compact stored form (document data). Round-trips through from_stored_json.
std::string to_stored_json(const Record& record);

/// Reads the stored form; throws std::runtime_error on malformed input.
Record from_stored_json(std::string_view json);

/// Reads a record from a JSON object in the stored form or in the corpus.jsonl layout
/// (authors as strings or {"name","affiliation_refs"} objects, keywords as list or ';'-string).
/// Unknown keys go to `extra` as strings. Throws std::runtime_error naming the bad field.
Record record_from_json_object(const boost::json::object& object);

}  // namespace scholarsearch::record
