#pragma once
/**
 * JSON Lines reader: one record object per line, in the corpus.jsonl layout
 * {"id","title","abstract","keywords","authors","year","venue"} plus any other field of the record
 * model (see record/record_json.hpp). A file holding one JSON document instead (an array of
 * records, or an object with a "records" array as printed by `scholarsearch-index parse`) is read
 * too. A bad line is reported as `file:line` and skipped; the other lines are still read.
 */
#include "parse/parse_result.hpp"

#include <string>
#include <string_view>

namespace scholarsearch::parse {

/// Lines longer than max_record_bytes are rejected (line_too_long); a U+FEFF starting a line is ignored.
ParseResult parse_jsonl(std::string_view bytes, const std::string& file_path);

/// A line that holds no record (only white space, or a byte order mark): it takes no record index.
bool jsonl_line_is_blank(std::string_view line);

}  // namespace scholarsearch::parse
