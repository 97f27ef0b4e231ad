#pragma once
/**
 * What a parser returns for one input file: the records it could read, a diagnostic for every
 * record it rejected, and a file-level error when the whole file is unusable.
 * Parsers never throw on bad data and never touch Xapian.
 */
#include "record/record.hpp"

#include <optional>
#include <string>
#include <vector>

namespace scholarsearch::parse {

struct ParseResult {
    std::string file;                               ///< path as given
    std::vector<record::Record> records;            ///< good records, file order; source filled in
    std::vector<record::Diagnostic> errors;         ///< rejected records (index, line, code, message)
    std::optional<record::Diagnostic> file_error;   ///< e.g. code "bad_encoding", "no_records"
};

}  // namespace scholarsearch::parse
