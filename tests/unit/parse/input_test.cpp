#include "parse/input.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace scholarsearch;
using namespace scholarsearch::parse;

TEST_CASE("input: the format is chosen by content, not by extension") {
    // Rows: first bytes, file name, expected format.
    const std::vector<std::tuple<std::string, std::string, Format>> rows{
        {"{\"id\": 1}\n{\"id\": 2}\n", "records.txt", Format::jsonl},
        {"\xEF\xBB\xBF  {\"id\": 1}\n", "x", Format::jsonl},
        {"{\n  \"records\": []\n}", "x.json", Format::json_document},
        {"[{\"id\": 1}]", "x.jsonl", Format::json_document},
        {"Some title\n\n被引:3\n作者\n", "export.jsonl", Format::seed},
        {"TY  - JOUR\nTI  - x\n", "x.txt", Format::ris},
        {"@article{key,\n title={x}}", "x.txt", Format::bibtex},
        {"FN Clarivate Analytics Web of Science\nVR 1.0\n", "x.txt", Format::wos},
        {"", "empty.jsonl", Format::jsonl},
        {"", "empty.txt", Format::seed},
    };
    for (const auto& [head, name, format] : rows) {
        INFO(name << ": " << head);
        CHECK(format_name(detect_format(head, name)) == format_name(format));
    }
}

TEST_CASE("input: directories are walked recursively in sorted order, skipping what is not records") {
    testing::TempDir dir;
    dir.write("b/two.jsonl", "{}");
    dir.write("a/one.txt", "x");
    dir.write("a/one.expected.json", "{}");
    dir.write("a/notes.md", "x");
    dir.write(".hidden/three.txt", "x");
    dir.write("c/.four.txt", "x");
    std::vector<record::Diagnostic> errors;
    const auto files = expand_inputs({dir.path().string(), dir / "missing.txt"}, errors);
    REQUIRE(files.size() == 2);
    CHECK(files[0] == dir / "a/one.txt");
    CHECK(files[1] == dir / "b/two.jsonl");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].file == dir / "missing.txt");
}

TEST_CASE("input: an unreadable path is a file error, never an exception") {
    testing::TempDir dir;
    CHECK(parse_file(dir / "missing.txt").file_error);
    CHECK(parse_file(dir.path().string()).file_error);
}

TEST_CASE("input: formats we cannot read yet are named in the error") {
    testing::TempDir dir;
    ParseResult result = parse_file(dir.write("refs.ris", "TY  - JOUR\nTI  - A title\nER  - \n"));
    REQUIRE(result.file_error);
    CHECK(result.file_error->code == "unsupported_format");
    CHECK_THAT(result.file_error->message, Catch::Contains("ris"));
}
