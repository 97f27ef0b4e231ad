#pragma once
/**
 * Web of Science tagged text ("FN Clarivate Analytics Web of Science", "VR 1.0", "PT J" ... "ER",
 * "EF"), the "Plain text" / "Other file format" export. See docs/FORMATS.md for the field mapping.
 * Parsers never throw on bad data.
 */
#include "parse/parse_result.hpp"

#include <string>
#include <string_view>

namespace scholarsearch::parse {

/**
 * Parses whole lines of WoS tagged text: a whole file, or a piece of one cut just after an "ER"
 * line. Records get source.line = 1-based line of their "PT" line within `text` and
 * source.index = 0-based count of records started before them in `text` (a rejected record takes
 * an index too, and its Diagnostic carries it). file_error "no_records" when `text` holds none.
 */
ParseResult parse_wos(std::string_view text, const std::string& file_path);

}  // namespace scholarsearch::parse
