#include "parse/input.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

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
        {"TY  -  JOUR\r\nTI  - x\r\n", "x", Format::ris},
        {"\xEF\xBB\xBFPT J\nTI x\n", "savedrecs.txt", Format::wos},
        {"% Encoding: UTF-8\n\n@Article{key,\n}", "x", Format::bibtex},
        {"% only a comment\n", "refs.bib", Format::bibtex},
        {"Provider: somebody\n", "refs.ris", Format::ris},
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
    dir.write("d/refs.ris", "x");
    dir.write("d/refs.bib", "x");
    dir.write("d/savedrecs.ciw", "x");
    dir.write("d/refs.pdf", "x");
    std::vector<record::Diagnostic> errors;
    const auto files = expand_inputs({dir.path().string(), dir / "missing.txt"}, errors);
    REQUIRE(files.size() == 5);
    CHECK(files[0] == dir / "a/one.txt");
    CHECK(files[1] == dir / "b/two.jsonl");
    CHECK(files[2] == dir / "d/refs.bib");
    CHECK(files[3] == dir / "d/refs.ris");
    CHECK(files[4] == dir / "d/savedrecs.ciw");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].file == dir / "missing.txt");
}

TEST_CASE("input: an unreadable path is a file error, never an exception") {
    testing::TempDir dir;
    CHECK(parse_file(dir / "missing.txt").file_error);
    CHECK(parse_file(dir.path().string()).file_error);
}

TEST_CASE("input: a binary file is named as such in the error") {
    testing::TempDir dir;
    ParseResult result = parse_file(dir.write("data.bin", std::string("\x00\x01\x02\x03 binary", 11)));
    REQUIRE(result.file_error);
}

namespace {

// Every record and error of `path` read in pieces of about `chunk_bytes`, as the indexer reads.
ParseResult read_in_pieces(const std::string& path, std::size_t chunk_bytes, int* pieces = nullptr) {
    ParseResult all;
    read_chunks(path, chunk_bytes, [&](Chunk&& chunk) {
        if (pieces) ++*pieces;
        ParseResult part = parse_chunk(chunk);
        if (part.file_error && !all.file_error) all.file_error = part.file_error;
        all.records.insert(all.records.end(), part.records.begin(), part.records.end());
        all.errors.insert(all.errors.end(), part.errors.begin(), part.errors.end());
    });
    return all;
}

std::string ris_record(int n, const std::string& extra = "") {
    return "TY  - JOUR\r\nTI  - Record number " + std::to_string(n) + "\r\nAU  - Author, A.\r\n" + extra +
           "AB  - An abstract about tagged files\r\nER  - \r\n\r\n";
}

std::string wos_record(int n) {
    return "PT J\nAU Author, A\nTI Record number " + std::to_string(n) + "\nAB An abstract about tagged files\n   that continues\nUT WOS:" +
           std::to_string(1000 + n) + "\nER\n\n";
}

std::string bibtex_record(int n) {
    return "@article{key" + std::to_string(n) + ",\n  title = {Record number " + std::to_string(n) +
           "},\n  journal = jtag,\n  year = 2020\n}\n\n";
}

}  // namespace

TEST_CASE("input: tagged files read in pieces give the same records, lines and indexes as whole") {
    testing::TempDir dir;
    // Rows: file name, header, one record, trailer. Record 7 is broken in each format.
    struct Row {
        std::string name, header;
        std::function<std::string(int)> record;
        std::string broken, trailer;
    };
    const std::vector<Row> rows{
        {"refs.ris", "", [](int n) { return ris_record(n); }, "TY  - JOUR\nTI  - bad \xff byte\nER  - \n", ""},
        {"savedrecs.txt", "\xEF\xBB\xBF" "FN Clarivate Analytics Web of Science\nVR 1.0\n", wos_record,
         "PT J\nTI bad \xff byte\nER\n", "EF\n"},
        {"refs.bib", "% exported\n@string{jtag = \"Journal of Tags\"}\n", bibtex_record,
         "@article{broken,\n  title = {bad \xff byte}\n}\n", ""},
    };
    for (const auto& row : rows) {
        INFO(row.name);
        std::string content = row.header;
        for (int n = 0; n < 40; ++n) content += n == 7 ? row.broken : row.record(n);
        content += row.trailer;
        const std::string path = dir.write(row.name, content);
        const ParseResult whole = parse_file(path);
        CHECK_FALSE(whole.file_error);
        CHECK(whole.records.size() == 39);
        REQUIRE(whole.errors.size() == 1);
        CHECK(whole.errors[0].index == 7);
        CHECK(whole.records[7].source.index == 8);
        int pieces = 0;
        const ParseResult pieced = read_in_pieces(path, 100, &pieces);
        CHECK(pieces > 10);
        CHECK(pieced.records == whole.records);
        REQUIRE(pieced.errors.size() == 1);
        CHECK(pieced.errors[0].line == whole.errors[0].line);
        CHECK(pieced.errors[0].index == whole.errors[0].index);
        CHECK_FALSE(pieced.file_error);
    }
}

TEST_CASE("input: BibTeX macros defined in one piece are used in the next") {
    testing::TempDir dir;
    std::string content = "@string{jtag = \"Journal of Tags\"}\n";
    for (int n = 0; n < 30; ++n) content += bibtex_record(n);
    const ParseResult pieced = read_in_pieces(dir.write("macros.bib", content), 64);
    REQUIRE(pieced.records.size() == 30);
    CHECK(pieced.records.back().venue == std::optional<std::string>("Journal of Tags"));
    CHECK(pieced.records.back().id == std::optional<std::string>("key29"));
}

TEST_CASE("input: an oversized tagged record is skipped at its line and keeps its index") {
    testing::TempDir dir;
    const std::string huge_line(max_record_bytes + 10, 'x');
    std::string many_lines;
    for (int i = 0; i < 30000; ++i) many_lines += "KW  - keyword number " + std::to_string(i) + " of a record far too long\n";
    // Rows: what makes record 1 too long (one huge line, or very many ordinary lines).
    for (const std::string& filler : {"AB  - " + huge_line + "\n", many_lines}) {
        const std::string content = ris_record(0) + "TY  - JOUR\nTI  - Too long\n" + filler + "ER  - \n" + ris_record(2);
        const ParseResult result = read_in_pieces(dir.write("long.ris", content), 1 << 16);
        REQUIRE(result.records.size() == 2);
        CHECK(result.records[1].title == "Record number 2");
        CHECK(result.records[1].source.index == 2);
        CHECK(result.records[1].source.line == 10 + std::count(filler.begin(), filler.end(), '\n'));
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].code == "record_too_long");
        CHECK(result.errors[0].line == 7);
        CHECK(result.errors[0].index == 1);
    }
}

TEST_CASE("input: old Mac line ends (CR only) in RIS and WoS files give the lines their readers count") {
    testing::TempDir dir;
    const std::string ris = "TY  - JOUR\rTI  - First\rER  - \rTY  - JOUR\rTI  - Second\rER  - \r";
    const std::string wos = "FN Clarivate Analytics Web of Science\rVR 1.0\rPT J\rTI First\rER\rPT J\rTI Second\rER\rEF\r";
    for (const auto& [name, content, second_line] : std::vector<std::tuple<std::string, std::string, int>>{
             {"mac.ris", ris, 4}, {"mac.txt", wos, 6}}) {
        INFO(name);
        const ParseResult result = read_in_pieces(dir.write(name, content), 8);
        REQUIRE(result.records.size() == 2);
        CHECK(result.records[1].title == "Second");
        CHECK(result.records[1].source.line == second_line);
    }
}

TEST_CASE("input: a tagged file without records is reported once as such") {
    testing::TempDir dir;
    for (const auto& [name, content] : std::vector<std::pair<std::string, std::string>>{
             {"empty.ris", "\n\n"}, {"empty.bib", "% nothing here\n"}, {"empty.ciw", "FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n"}}) {
        INFO(name);
        const ParseResult result = read_in_pieces(dir.write(name, content), 4);
        CHECK(result.records.empty());
        REQUIRE(result.file_error);
        CHECK(result.file_error->code == "no_records");
    }
}
