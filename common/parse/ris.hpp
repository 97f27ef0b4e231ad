#pragma once
/**
 * RIS reader (the tagged export of reference managers and publishers: "TY  - JOUR" ... "ER  - ").
 * See docs/formats/ris.md for the tag -> record mapping and the diagnostics (bad_encoding,
 * empty_record, record_too_long, stray_text). Parsers never throw on bad data.
 */
#include "parse/parse_result.hpp"

#include <string>
#include <string_view>

namespace scholarsearch::parse {

/**
 * Parses whole lines of RIS: a whole file, or a piece of one cut just after an "ER  -" line.
 * Records get source.line = 1-based line of their "TY" line within `text` and source.index =
 * 0-based count of records started before them in `text` (a rejected record takes an index too,
 * and its Diagnostic carries it). file_error "no_records" when `text` holds no record at all.
 */
ParseResult parse_ris(std::string_view text, const std::string& file_path);

}  // namespace scholarsearch::parse
