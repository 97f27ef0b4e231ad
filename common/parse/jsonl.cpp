#include "parse/jsonl.hpp"

#include "record/record_json.hpp"

#include <boost/json.hpp>

namespace scholarsearch::parse {

namespace json = boost::json;

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

void add_record(ParseResult& result, const json::value& value, int line, int index) {
    record::Diagnostic error{result.file, line, "", "", index};
    if (!value.is_object()) {
        error.code = "not_an_object";
        error.message = "expected a JSON object for a record";
        result.errors.push_back(std::move(error));
        return;
    }
    try {
        record::Record record = record::record_from_json_object(value.get_object());
        record.source = {result.file, line, index};
        result.records.push_back(std::move(record));
    } catch (const std::exception& problem) {
        error.code = "bad_field";
        error.message = problem.what();
        result.errors.push_back(std::move(error));
    }
}

// The whole file as one JSON document: an array of records, or {"records": [...]}.
bool try_single_document(std::string_view bytes, ParseResult& result) {
    boost::system::error_code error;
    json::value document = json::parse(bytes, error);
    if (error) return false;
    const json::array* records = nullptr;
    if (document.is_array()) records = &document.get_array();
    else if (document.is_object()) {
        auto found = document.get_object().find("records");
        if (found != document.get_object().end() && found->value().is_array())
            records = &found->value().get_array();
    }
    if (!records) return false;
    int index = 0;
    for (const auto& value : *records) add_record(result, value, 1, index++);
    return true;
}

}  // namespace

ParseResult parse_jsonl(std::string_view bytes, const std::string& file_path) {
    ParseResult result;
    result.file = file_path;
    if (bytes.substr(0, utf8_bom.size()) == utf8_bom) bytes.remove_prefix(utf8_bom.size());

    json::stream_parser parser;
    int line_number = 0;
    int index = 0;
    std::size_t start = 0;
    bool first_content_line = true;
    while (start < bytes.size()) {
        std::size_t end = bytes.find('\n', start);
        if (end == std::string_view::npos) end = bytes.size();
        std::string_view line = bytes.substr(start, end - start);
        start = end + 1;
        ++line_number;
        if (is_blank(line)) continue;

        parser.reset();
        boost::system::error_code error;
        parser.write(line.data(), line.size(), error);
        if (!error) parser.finish(error);
        if (error && first_content_line && try_single_document(bytes, result)) return result;
        first_content_line = false;
        if (error) {
            result.errors.push_back({file_path, line_number, "bad_json",
                                     "not valid JSON: " + error.message(), index++});
            continue;
        }
        add_record(result, parser.release(), line_number, index++);
    }
    if (result.records.empty() && result.errors.empty())
        result.file_error = record::Diagnostic{file_path, 0, "no_records", "no records in file", -1};
    return result;
}

}  // namespace scholarsearch::parse
