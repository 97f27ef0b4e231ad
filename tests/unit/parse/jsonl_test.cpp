#include "parse/input.hpp"
#include "parse/jsonl.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace scholarsearch;
using namespace scholarsearch::parse;

TEST_CASE("jsonl: good lines become records with file, line and index") {
    const std::string text = "{\"id\": \"a\", \"title\": \"First\"}\n\n{\"id\": \"b\", \"title\": \"Second\"}\n";
    ParseResult result = parse_jsonl(text, "c.jsonl");
    REQUIRE(result.records.size() == 2);
    CHECK(result.records[1].title == "Second");
    CHECK(result.records[1].source == record::SourceLocation{"c.jsonl", 3, 1});
    CHECK(result.errors.empty());
    CHECK_FALSE(result.file_error);
}

TEST_CASE("jsonl: a bad line is reported with its line number and the others are kept") {
    // Rows: a bad line placed between two good ones, and the code expected for it.
    const std::vector<std::pair<std::string, std::string>> rows{
        {"{\"id\": \"x\", \"title\": \"broken", "bad_json"},
        {"[1, 2, 3]", "not_an_object"},
        {"{\"id\": \"x\", \"title\": \"bad \xff\xfe bytes\"}", "bad_json"},
        {std::string("{\"id\": \"x\", \"title\": \"nul\0byte\"}", 33), "bad_json"},
        {"{\"id\": \"x\", \"year\": \"MMXII\"}", "bad_field"},
        {"garbage", "bad_json"},
    };
    for (const auto& [bad, code] : rows) {
        INFO(bad);
        const std::string text = "{\"id\": \"a\", \"title\": \"A\"}\n" + bad + "\n{\"id\": \"b\", \"title\": \"B\"}";
        ParseResult result = parse_jsonl(text, "f.jsonl");
        REQUIRE(result.records.size() == 2);
        CHECK(result.records[1].source.index == 2);
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].line == 2);
        CHECK(result.errors[0].code == code);
        CHECK(record::format_diagnostic(result.errors[0]).rfind("f.jsonl:2: error: ", 0) == 0);
    }
}

TEST_CASE("jsonl: an empty file is a file error, not a crash") {
    for (std::string text : {"", "\n\n", "   \n"}) {
        ParseResult result = parse_jsonl(text, "empty.jsonl");
        CHECK(result.records.empty());
        REQUIRE(result.file_error);
        CHECK(result.file_error->code == "no_records");
    }
}

TEST_CASE("jsonl: one JSON document holding records is read too") {
    ParseResult array = parse_content("[{\"id\": \"a\", \"title\": \"A\"},\n {\"id\": \"b\"}]", "list.json");
    CHECK(array.records.size() == 2);
    ParseResult printed = parse_content("{\n \"file\": \"x.txt\",\n \"records\": [{\"title\": \"T\"}]\n}", "x.expected.json");
    REQUIRE(printed.records.size() == 1);
    CHECK(printed.records[0].title == "T");
}

TEST_CASE("jsonl: reading in small chunks keeps line numbers and record indexes") {
    testing::TempDir dir;
    std::string text;
    for (int i = 0; i < 500; ++i) {
        if (i % 7 == 0) text += "\n";   // blank lines count as lines, not as records
        text += "{\"id\": \"r" + std::to_string(i) + "\", \"title\": \"record " + std::to_string(i) + "\"}\n";
    }
    text += "{\"id\": \"last\"}";        // no newline at the end
    const std::string path = dir.write("big.jsonl", text);
    std::vector<record::Record> records;
    std::size_t chunks = 0;
    read_chunks(path, 1000, [&](Chunk&& chunk) {
        ++chunks;
        ParseResult result = parse_chunk(chunk);
        CHECK(result.errors.empty());
        for (auto& record : result.records) records.push_back(std::move(record));
    });
    CHECK(chunks > 10);
    REQUIRE(records.size() == 501);
    ParseResult whole = parse_file(path);
    REQUIRE(whole.records.size() == 501);
    for (std::size_t i = 0; i < records.size(); ++i) {
        CHECK(records[i].source.line == whole.records[i].source.line);
        CHECK(records[i].source.index == static_cast<int>(i));
    }
    CHECK(records.back().id == "last");
}
