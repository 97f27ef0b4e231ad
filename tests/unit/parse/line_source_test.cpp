// Reading damaged and very large input with bounded memory: LineSource (line ends, over-long
// lines, UTF-8 checks across reads) and read_chunks (the seed format parsed as a stream must give
// exactly what parse_seed_format gives for the whole text; JSON Lines lines over the limit).
#include "parse/input.hpp"
#include "parse/line_source.hpp"
#include "parse/parse_json.hpp"
#include "parse/seed_format.hpp"

#include "../../support/temp_dir.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

using namespace scholarsearch;
using namespace scholarsearch::parse;
namespace fs = std::filesystem;
using testing::read_file;

namespace {

struct ReadLine {
    std::string text;
    std::int64_t number;
    std::uint64_t offset, bytes;
    bool truncated;
    std::optional<std::uint64_t> bad_byte;
    bool operator==(const ReadLine&) const = default;
};

std::vector<ReadLine> all_lines(LineSource& source) {
    std::vector<ReadLine> lines;
    while (auto line = source.next())
        lines.push_back({std::string(line->text), line->number, line->offset, line->bytes, line->truncated, line->bad_byte});
    return lines;
}

/// The same text read from memory and from a stream that returns `piece` bytes per read.
std::vector<ReadLine> lines_read_in_pieces(const std::string& text, std::size_t piece, LineOptions options) {
    std::size_t position = 0;
    LineSource source(
        [&](char* buffer, std::size_t size) {
            const std::size_t count = std::min({size, piece, text.size() - position});
            std::copy_n(text.data() + position, count, buffer);
            position += count;
            return count;
        },
        std::string(), options);
    return all_lines(source);
}

std::vector<ReadLine> lines_in_memory(const std::string& text, LineOptions options) {
    LineSource source(std::string_view(text), options);
    return all_lines(source);
}

/// Everything read_chunks gives for a file, merged, in the parse command's JSON.
boost::json::object chunked(const std::string& path, std::size_t chunk_bytes, std::size_t* chunks = nullptr) {
    ParseResult merged;
    merged.file = path;
    read_chunks(path, chunk_bytes, [&](Chunk&& chunk) {
        if (chunks) ++*chunks;
        ParseResult part = parse_chunk(chunk);
        if (part.file_error) merged.file_error = part.file_error;
        for (auto& record : part.records) merged.records.push_back(std::move(record));
        for (auto& error : part.errors) merged.errors.push_back(std::move(error));
    });
    return parse_result_to_json(merged);
}

}  // namespace

TEST_CASE("line source: line ends as FORMAT.md §3 counts them, whatever the read sizes") {
    LineOptions seed;
    seed.cr_ends_line = true;
    const std::string text = "a\r\nb\rc\n\nd\r\xEF\xBB\xBF\ne\r\xEF\xBB\xBF" "f\r";
    const auto expected = lines_in_memory(text, seed);
    REQUIRE(expected.size() == 7);
    CHECK(expected[3].text.empty());
    CHECK(expected[4].text == "d");   // "\r", U+FEFF, "\n" is one line end
    CHECK(expected[5].text == "e");
    CHECK(expected[6].text == "\xEF\xBB\xBF" "f");
    CHECK(expected[6].number == 7);
    for (std::size_t piece : {1, 2, 3, 5, 64}) {
        INFO("piece " << piece);
        CHECK(lines_read_in_pieces(text, piece, seed) == expected);
    }
    // JSON Lines: only "\n" ends a line.
    const auto jsonl = lines_in_memory("x\ry\nz", LineOptions{});
    REQUIRE(jsonl.size() == 2);
    CHECK(jsonl[0].text == "x\ry");
}

TEST_CASE("line source: a line over the limit is cut to its first bytes and the rest is skipped") {
    LineOptions options;
    options.cr_ends_line = true;
    options.max_line = 100;
    options.kept_prefix = 10;
    options.check_utf8 = true;
    // "é" (2 bytes) straddles byte 10: the kept part ends before it.
    const std::string long_line = "abcdefghi\xC3\xA9" + std::string(500, 'z');
    const std::string text = "short\n" + long_line + "\n" + std::string(100, 'y') + "\nlast";
    for (std::size_t piece : {1, 7, 64, 4096}) {
        INFO("piece " << piece);
        const auto lines = lines_read_in_pieces(text, piece, options);
        REQUIRE(lines.size() == 4);
        CHECK(lines[1] == ReadLine{"abcdefghi", 2, 6, long_line.size(), true, std::nullopt});
        CHECK_FALSE(lines[2].truncated);   // exactly the limit is allowed
        CHECK(lines[2].number == 3);
        CHECK(lines[3].text == "last");
    }
    CHECK(lines_in_memory(text, options) == lines_read_in_pieces(text, 3, options));
}

TEST_CASE("line source: UTF-8 is checked in the skipped part of a long line too") {
    LineOptions options;
    options.max_line = 16;
    options.kept_prefix = 4;
    options.check_utf8 = true;
    const std::string good = std::string(20, 'a') + "冰川" + std::string(20, 'b');
    const std::string bad = std::string(30, 'a') + "\xB1\xF9" + std::string(20, 'b');
    const std::string cut = std::string(30, 'a') + "\xE5\x86";   // the line ends inside "冰"
    const std::string nul = std::string(30, 'a') + '\0';
    const std::string text = good + "\n" + bad + "\n" + cut + "\n" + nul + "\n";
    for (std::size_t piece : {1, 2, 5, 31, 4096}) {
        INFO("piece " << piece);
        const auto lines = lines_read_in_pieces(text, piece, options);
        REQUIRE(lines.size() == 4);
        CHECK_FALSE(lines[0].bad_byte);
        CHECK(lines[1].bad_byte == good.size() + 1 + 30);
        CHECK(lines[2].bad_byte == good.size() + bad.size() + 2 + 30);
        CHECK(lines[3].bad_byte == text.size() - 2);
    }
}

TEST_CASE("line source: limits are printed in MB") {
    CHECK(megabytes(max_record_bytes) == "1 MB");
    CHECK(megabytes(100 * (std::uint64_t(1) << 20)) == "100 MB");
    CHECK(megabytes(3 * (std::uint64_t(1) << 19)) == "1.5 MB");
}

TEST_CASE("read_chunks: the seed format read as a stream gives what the whole text gives") {
    testing::TempDir dir;
    std::vector<fs::path> files;
    std::vector<fs::path> directories{fs::path(TEST_DATA_DIR) / "seed_format"};
#if HAVE_SHARED_DATA
    directories.push_back(fs::path(SHARED_DATA_DIR) / "seed-format");
#endif
    for (const auto& directory : directories)
        for (const auto& entry : fs::directory_iterator(directory))
            if (entry.path().extension() == ".txt") files.push_back(entry.path());
    std::string all;
    for (const auto& file : files) {
        const std::string text = read_file(file);
        const ParseResult parsed = parse_seed_format(text, file.string());
        if (!parsed.file_error) all += text + "\n";
        const boost::json::object whole = parse_result_to_json(parsed);
        for (std::size_t chunk_bytes : {std::size_t(1), std::size_t(200), std::size_t(1) << 20}) {
            INFO(file << " in chunks of " << chunk_bytes);
            CHECK(chunked(file.string(), chunk_bytes) == whole);
        }
    }
    // All fixtures in one file: many records, many chunks, indexes and lines continue across.
    const std::string path = dir.write("all.txt", all);
    std::size_t chunks = 0;
    const boost::json::object expected = parse_result_to_json(parse_seed_format(all, path));
    CHECK(chunked(path, 512, &chunks) == expected);
    CHECK(chunks > 5);

    // Standard input is read the same way (spooled for the second reading).
    std::istringstream input(all);
    std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
    boost::json::object from_stdin = chunked("-", 512);
    std::cin.rdbuf(saved);
    from_stdin["file"] = expected.at("file");
    CHECK(from_stdin.at("records") == expected.at("records"));
    CHECK(from_stdin.at("errors") == expected.at("errors"));
}

TEST_CASE("read_chunks: seed-format records and lines over the limit are rejected and reading goes on") {
    testing::TempDir dir;
    const std::string record = "Good title\n\n被引:1\n作者\nLi, Na\n摘要\nShort.\n";
    const std::string long_line = "Long line title\n\n被引:2\n作者\nLi, Na\n摘要\n" + std::string(max_record_bytes + 1, 'x') + "\n";
    std::string long_record = "Long record title\n\n被引:3\n作者\nLi, Na\n摘要\n";
    while (long_record.size() <= max_record_bytes + 2000) long_record += std::string(1000, 'y') + "\n";
    const std::string text = record + long_line + record + long_record + record;
    const std::string path = dir.write("limits.txt", text);
    const ParseResult whole = parse_seed_format(text, path);
    REQUIRE(whole.records.size() == 3);
    REQUIRE(whole.errors.size() == 2);
    CHECK(whole.errors[0].code == "line_too_long");
    CHECK(whole.errors[0].line == 14);
    CHECK(whole.errors[0].index == 1);
    CHECK(whole.errors[0].message == "line of 1.0 MB is longer than the 1 MB limit: record \"Long line title\" (line 8) skipped");
    CHECK(whole.errors[1].code == "record_too_long");
    CHECK(whole.errors[1].line == 22);
    CHECK(whole.errors[1].index == 3);
    CHECK(whole.records[2].source == record::SourceLocation{path, 1 + static_cast<int>(std::count(text.begin(), text.end() - static_cast<std::ptrdiff_t>(record.size()), '\n')), 4});
    CHECK(chunked(path, 4096) == parse_result_to_json(whole));
}

TEST_CASE("read_chunks: bad_encoding names the line of the first bad byte") {
    testing::TempDir dir;
    const std::string text = "Title\n\n被引:1\n作者\n\xD5\xC5\xCE\xB0\n";
    const ParseResult result = parse_file(dir.write("gbk.txt", text));
    REQUIRE(result.file_error);
    CHECK(result.file_error->code == "bad_encoding");
    CHECK(result.file_error->line == 5);
    const std::string expected = dir / "gbk.txt" + ":5: error: invalid UTF-8 at byte offset " +
                                 std::to_string(text.find('\xD5')) + " (column 1, byte 0xD5)";
    CHECK(record::format_diagnostic(*result.file_error).rfind(expected, 0) == 0);
    const ParseResult utf16 = parse_file(dir.write("utf16.txt", std::string("T\0i\0\n\0", 6)));
    REQUIRE(utf16.file_error);
    CHECK_THAT(utf16.file_error->message, Catch::Contains("UTF-16"));
}

TEST_CASE("read_chunks: a JSON Lines line over the limit is skipped, the lines after it keep their numbers") {
    testing::TempDir dir;
    std::string text;
    for (int i = 0; i < 300; ++i) {
        if (i == 100 || i == 200) text += "{\"id\": \"huge\", \"title\": \"" + std::string(max_record_bytes, 'h') + "\"}\n";
        else text += "{\"title\": \"record " + std::to_string(i) + "\"}\n";   // id from FILENAME#index
    }
    const std::string path = dir.write("long.jsonl", text);
    const boost::json::object result = chunked(path, 1000);
    const auto& errors = result.at("errors").as_array();
    REQUIRE(errors.size() == 2);
    CHECK(errors[0] == boost::json::parse(R"({"index": 100, "line": 101, "code": "line_too_long"})"));
    CHECK(errors[1] == boost::json::parse(R"({"index": 200, "line": 201, "code": "line_too_long"})"));
    const auto& meta = result.at("meta").as_array();
    REQUIRE(meta.size() == 298);
    CHECK(meta[150] == boost::json::parse(R"({"index": 151, "line": 152, "id": "long.jsonl#151"})"));
    // The first line is the long one: still JSON Lines, not one JSON document.
    const std::string first = dir.write("first.jsonl", text.substr(text.find("{\"id\": \"huge\"")));
    CHECK(chunked(first, 1000).at("errors").as_array().front() == boost::json::parse(R"({"index": 0, "line": 1, "code": "line_too_long"})"));
}

TEST_CASE("read_chunks: a JSON document on one line is read as records") {
    testing::TempDir dir;
    const std::string array = R"([{"id": "a", "title": "A"}, {"id": "b", "title": "B"}])";
    CHECK(parse_file(dir.write("array.json", array)).records.size() == 2);
    CHECK(parse_file(dir.write("array.jsonl", array + "\n")).records.size() == 2);
    // What `parse` prints for a seed file, indexed again.
    const ParseResult seed = parse_seed_format("T1\n\n被引:1\n作者\nLi\nT2\n\n被引:2\n作者\nWu\n", "x.txt");
    REQUIRE(seed.records.size() == 2);
    const std::string printed = boost::json::serialize(parse_result_to_json(seed));
    const ParseResult again = parse_file(dir.write("printed.json", printed + "\n"));
    REQUIRE(again.records.size() == 2);
    CHECK(again.records[1].title == "T2");
    // parse's output for two files, one per line: reported, not indexed as empty records.
    const ParseResult two = parse_file(dir.write("two_printed.jsonl", printed + "\n" + printed + "\n"));
    CHECK(two.records.empty());
    REQUIRE(two.errors.size() == 2);
    CHECK(two.errors[1].code == "not_a_record");
    CHECK(two.errors[1].line == 2);
    // Two records on two lines are still JSON Lines.
    const ParseResult lines = parse_file(dir.write("two.json", "[1, 2]\n{\"id\": \"x\"}\n"));
    CHECK(lines.errors.size() == 1);
    CHECK(lines.records.size() == 1);
}
