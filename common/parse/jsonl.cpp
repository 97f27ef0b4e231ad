#include "parse/jsonl.hpp"

#include "parse/line_source.hpp"
#include "text/utf8.hpp"
#include "record/record_json.hpp"

#include <boost/json.hpp>

#include <cstdio>

namespace scholarsearch::parse {

namespace json = boost::json;

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

std::string_view without_bom(std::string_view line) {
    if (line.substr(0, utf8_bom.size()) == utf8_bom) line.remove_prefix(utf8_bom.size());
    return line;
}

/// Why a line is not JSON, as precisely as we can say it.
std::string bad_json_message(std::string_view line, const boost::system::error_code& error) {
    if (auto problem = text::find_encoding_problem(line)) {
        const std::string column = std::to_string(problem->offset + 1);
        if (problem->nul) return "NUL byte at column " + column + ": not valid JSON";
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(line[problem->offset]));
        return "invalid UTF-8 at column " + column + " (" + byte +
               "): JSON Lines must be UTF-8 (convert GBK, GB18030, Latin-1 or UTF-16 files first)";
    }
    if (error == json::error::incomplete)
        return "not valid JSON: the line ends inside a value (a truncated record?)";
    return "not valid JSON: " + error.message();
}

bool holds_records(const json::value& value) {
    if (value.is_array()) return true;
    if (!value.is_object()) return false;
    auto found = value.get_object().find("records");
    return found != value.get_object().end() && found->value().is_array();
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

bool jsonl_line_is_blank(std::string_view line) {
    return without_bom(line).find_first_not_of(" \t\r\n") == std::string_view::npos;
}

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
        // A U+FEFF at the start of a line is left by concatenating files that start with one.
        const std::string_view line = without_bom(bytes.substr(start, end - start));
        start = end + 1;
        ++line_number;
        if (jsonl_line_is_blank(line)) continue;
        // The first line is parsed whatever its length: the whole text may be one JSON document
        // (an array of records, or parse's output), on one line or spread over several.
        const bool too_long = line.size() > max_record_bytes;
        boost::system::error_code error;
        json::value value;
        if (!too_long || first_content_line) {
            parser.reset();
            parser.write(line.data(), line.size(), error);
            if (!error) parser.finish(error);
            value = error ? json::value() : parser.release();
            if (first_content_line && (error || holds_records(value)) && try_single_document(bytes, result))
                return result;
        }
        first_content_line = false;
        if (too_long) {
            result.errors.push_back({file_path, line_number, "line_too_long",
                                     "line of " + megabytes(line.size()) + " is longer than the " +
                                         megabytes(max_record_bytes) + " limit: record skipped",
                                     index++});
            continue;
        }
        if (error) {
            result.errors.push_back({file_path, line_number, "bad_json", bad_json_message(line, error), index++});
            continue;
        }
        if (value.is_object() && holds_records(value)) {
            // parse's output for several files, one per line: not records (and read as one
            // document only when it is the whole file).
            result.errors.push_back({file_path, line_number, "not_a_record",
                                     "a document with a \"records\" array, not a record: give it as a file of its own",
                                     index++});
            continue;
        }
        add_record(result, value, line_number, index++);
    }
    if (result.records.empty() && result.errors.empty())
        result.file_error = record::Diagnostic{file_path, 0, "no_records", "no records in file", -1};
    return result;
}

}  // namespace scholarsearch::parse
