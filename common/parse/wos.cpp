#include "parse/wos.hpp"

namespace scholarsearch::parse {

ParseResult parse_wos(std::string_view, const std::string& file_path) {
    ParseResult result;
    result.file = file_path;
    result.file_error = record::Diagnostic{file_path, 0, "unsupported_format", "not implemented yet", -1};
    return result;
}

}  // namespace scholarsearch::parse
