#pragma once
/**
 * Reader for the Chinese-labelled export format ("seed format") exactly as
 * shared/data/seed-format/FORMAT.md specifies it: labels inline or bare, records concatenated
 * without separators, the 相关论文 reference section, file errors bad_encoding / no_records and
 * record errors missing_title / no_fields.
 */
#include "parse/parse_result.hpp"

#include <string>
#include <string_view>

namespace scholarsearch::parse {

/**
 * Parses the whole content of one file. `file_path` is used for diagnostics and, through its
 * base name, for the `FILENAME#index` id of records without DOI. Records get `source` filled
 * (file, line of the title or first label, index among all records found, including rejected).
 * Never throws on bad input.
 */
ParseResult parse_seed_format(std::string_view bytes, const std::string& file_path);

}  // namespace scholarsearch::parse
