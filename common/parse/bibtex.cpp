#include "parse/bibtex.hpp"

namespace scholarsearch::parse {

ParseResult parse_bibtex(std::string_view, const std::string& file_path, BibtexStrings*) {
    ParseResult result;
    result.file = file_path;
    result.file_error = record::Diagnostic{file_path, 0, "unsupported_format", "not implemented yet", -1};
    return result;
}

}  // namespace scholarsearch::parse
