// The writers against our own readers: what RIS and BibTeX put out must read back as the same
// record, escapes included; CSL-JSON must have the schema's shape and sensible name parts.
#include "export/bibliographic.hpp"
#include "export/names.hpp"
#include "export/writers.hpp"
#include "parse/bibtex.hpp"
#include "parse/input.hpp"
#include "parse/ris.hpp"
#include "parse/seed_format_text.hpp"
#include "record/record_json.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace scholarsearch;
using namespace scholarsearch::exporting;

namespace {

namespace json = boost::json;

std::vector<record::Record> tricky_records() {
    parse::ParseResult parsed = parse::parse_file(TEST_DATA_DIR "/export/tricky.jsonl");
    REQUIRE(parsed.errors.empty());
    REQUIRE(parsed.records.size() == 5);
    return parsed.records;
}

record::Record only_record(const parse::ParseResult& result) {
    INFO((result.errors.empty() ? std::string() : result.errors[0].message));
    REQUIRE(result.errors.empty());
    REQUIRE_FALSE(result.file_error);
    REQUIRE(result.records.size() == 1);
    return result.records[0];
}

std::string spaced(const std::optional<std::string>& text) { return parse::seed::normalize_space(text.value_or("")); }

std::vector<std::string> names(const record::Record& record) {
    std::vector<std::string> out;
    for (const auto& author : record.authors) out.push_back(author.name);
    return out;
}

std::vector<std::string> affiliation_names(const record::Record& record) {
    std::vector<std::string> out;
    for (const auto& affiliation : record.affiliations) out.push_back(affiliation.name);
    return out;
}

/// What every format we read back carries: the record model's own fields (not extra).
void check_same_fields(const record::Record& original, const record::Record& read_back, bool bibtex) {
    INFO(original.id.value_or("?"));
    CHECK(read_back.title == original.title);
    std::vector<std::string> authors = names(original);
    if (bibtex)
        for (auto& name : authors)
            if (name == "Smith, John, Jr.") name = "Smith, Jr., John";   // BibTeX's order for suffixes
    CHECK(names(read_back) == authors);
    CHECK(read_back.year == original.year);
    CHECK(read_back.doi == original.doi);
    CHECK(read_back.venue == original.venue);
    CHECK(read_back.keywords == original.keywords);
    CHECK(spaced(read_back.abstract) == spaced(original.abstract));
    CHECK(read_back.pages == original.pages);
    CHECK(affiliation_names(read_back) == affiliation_names(original));
    CHECK(read_back.language == original.language);
}

}  // namespace

TEST_CASE("writers: BibTeX escapes every TeX special character and keeps braces balanced") {
    CHECK(bibtex_text("50% & $3 #1 a_b") == "50\\% \\& \\$3 \\#1 a\\_b");
    CHECK(bibtex_text("~ ^ \\ `") == "\\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\textasciigrave{}");
    CHECK(bibtex_text("{pair} and } lone {") == "\\{pair\\} and \\textbraceright{} lone \\textbraceleft{}");
    CHECK(bibtex_text("a -- b --- c ''q''") == "a -{}- b -{}-{}- c '{}'q'{}'");
    CHECK(bibtex_text("line one\nline two\r\n\tthree") == "line one line two three");
    CHECK(bibtex_text("Gutiérrez 张伟") == "Gutiérrez 张伟");   // UTF-8 kept as it is
    for (std::string text : {"}}}{{{", "{a}}{b", "\\{", "}{"}) {
        const std::string escaped = bibtex_text(text);
        int depth = 0;
        for (char c : escaped) {
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            CHECK(depth >= 0);
        }
        CHECK(depth == 0);
    }
}

TEST_CASE("writers: BibTeX keys are the id unless BibTeX or \\cite cannot take it") {
    CHECK(bibtex_key("novak2018orcid") == "novak2018orcid");
    CHECK(bibtex_key("arxiv:2103.00020") == "arxiv:2103.00020");
    CHECK(bibtex_key("10.1002/(sici)1097-4571") == "10.1002/_sici_1097-4571");
    CHECK(bibtex_key("key with spaces#3") == "key_with_spaces_3");
    CHECK(bibtex_key("") == "record");
    // Two ids that clean to the same key still get two keys in one file.
    record::Record a, b;
    a.id = "a b";
    a.title = "First";
    b.id = "a,b";
    b.title = "Second";
    Writer writer(Format::bibtex);
    std::string out;
    writer.add(a, out);
    writer.add(b, out);
    CHECK(out.find("@misc{a_b,") != std::string::npos);
    CHECK(out.find("@misc{a_b-2,") != std::string::npos);
}

TEST_CASE("writers: RIS puts every value on one line, with the tags our reader expects") {
    const auto records = tricky_records();
    const std::string ris = ris_record(records[0]);
    CHECK(ris.rfind("TY  - JOUR\r\nID  - tricky-1\r\n", 0) == 0);
    CHECK(ris.find("AB  - First line with 50% & $3. Second line, {braces} and \\commands. Third paragraph") != std::string::npos);
    CHECK(ris.find("\nER  - \r\n") != std::string::npos);
    std::size_t lines = 0;
    for (std::size_t at = 0; (at = ris.find("\r\n", at)) != std::string::npos; at += 2) {
        ++lines;
        const std::size_t start = ris.rfind('\n', at - 1);
        const std::string line = ris.substr(start == std::string::npos ? 0 : start + 1, 6);
        INFO(line);
        CHECK(line.size() == 6);
        CHECK(line.substr(2) == "  - ");
    }
    CHECK(std::count(ris.begin(), ris.end(), '\n') == static_cast<std::ptrdiff_t>(lines));
    CHECK(ris.find("VL  - 12\r\n") != std::string::npos);
    CHECK(ris.find("IS  - 3\r\n") != std::string::npos);
    CHECK(ris.find("UR  - https://example.org/a_b?x=1&y=2\r\n") != std::string::npos);
    // A keyword's own semicolon would split it when read back.
    record::Record semicolon;
    semicolon.title = "t";
    semicolon.keywords = {"a;b"};
    CHECK(ris_record(semicolon).find("KW  - a,b\r\n") != std::string::npos);
}

TEST_CASE("writers: records written as RIS and BibTeX read back with the same fields") {
    for (const auto& original : tricky_records()) {
        const record::Record from_ris = only_record(parse::parse_ris(ris_record(original), "x.ris"));
        CHECK(from_ris.id == original.id);
        check_same_fields(original, from_ris, false);

        const std::string key = bibtex_key(*original.id);
        const std::string bib = bibtex_entry(original, key);
        INFO(bib);
        const record::Record from_bibtex = only_record(parse::parse_bibtex(bib, "x.bib"));
        CHECK(from_bibtex.id == key);
        check_same_fields(original, from_bibtex, true);
    }
}

TEST_CASE("writers: a record read from RIS or BibTeX is written back as it was read") {
    // Its own tags and fields come back from extra, so reading the output gives the same record.
    for (const std::string path : {TEST_DATA_DIR "/ris/example.ris", SAMPLE_DIR "/tagged/sample.ris",
                                   TEST_DATA_DIR "/bibtex/example.bib", SAMPLE_DIR "/tagged/references.bib"}) {
        INFO(path);
        const bool ris = path.size() > 4 && path.substr(path.size() - 4) == ".ris";
        const parse::ParseResult first = parse::parse_file(path);
        REQUIRE(first.records.size() > 2);
        std::string written;
        Writer writer(ris ? Format::ris : Format::bibtex);
        for (auto record : first.records) writer.add(record, written);
        const parse::ParseResult second = ris ? parse::parse_ris(written, path) : parse::parse_bibtex(written, path);
        CHECK(second.errors.empty());
        REQUIRE(second.records.size() == first.records.size());
        for (std::size_t i = 0; i < first.records.size(); ++i) {
            record::Record expected = first.records[i];
            record::Record got = second.records[i];
            if (!expected.id) expected.id = record::unique_id(expected);   // the writer always names it
            if (!ris) expected.id = bibtex_key(*expected.id);
            expected.source = got.source = {};
            INFO(record::to_stored_json(expected));
            INFO(record::to_stored_json(got));
            CHECK(got == expected);
        }
    }
}

TEST_CASE("writers: records from Web of Science and the seed format keep their fields through RIS and BibTeX") {
    for (const std::string path : {TEST_DATA_DIR "/wos/example.txt", SAMPLE_DIR "/tagged/savedrecs.txt",
                                   SAMPLE_DIR "/seed/egov_zh.txt", SAMPLE_DIR "/records.jsonl"}) {
        INFO(path);
        const parse::ParseResult parsed = parse::parse_file(path);
        REQUIRE(parsed.records.size() > 1);
        for (record::Record original : parsed.records) {
            original.id = record::unique_id(original);
            check_same_fields(original, only_record(parse::parse_ris(ris_record(original), "x.ris")), false);
            check_same_fields(original, only_record(parse::parse_bibtex(bibtex_entry(original, "k"), "x.bib")), true);
        }
    }
}

TEST_CASE("writers: volume, issue, dates and types come from each format's own labels") {
    record::Record ris = only_record(parse::parse_ris(
        "TY  - CHAP\nTI  - A chapter\nPY  - 2019/05/12/\nVL  - 7\nIS  - 2\nSN  - 1234-567X\nPB  - Springer\nED  - Lee, K.\nER  - \n",
        "a.ris"));
    Details details = details_of(ris);
    CHECK(details.origin == Origin::ris);
    CHECK(details.type == WorkType::chapter);
    CHECK(details.volume == "7");
    CHECK(details.issue == "2");
    CHECK(details.issn == "1234-567X");
    CHECK(details.publisher == "Springer");
    CHECK(details.editors == std::vector<std::string>{"Lee, K."});
    CHECK(details.month == 5);
    CHECK(details.day == 12);

    record::Record bib = only_record(parse::parse_bibtex(
        "@inproceedings{k, title = {T}, year = 2020, month = oct, number = {4}, editor = {A, B and C, D}}", "a.bib"));
    details = details_of(bib);
    CHECK(details.origin == Origin::bibtex);
    CHECK(details.type == WorkType::conference_paper);
    CHECK(details.issue == "4");
    CHECK(details.month == 10);
    CHECK_FALSE(details.day);
    CHECK(details.editors == std::vector<std::string>{"A, B", "C, D"});

    record::Record wos;
    wos.title = "T";
    wos.year = 2020;
    wos.extra = {{"PT", "J"}, {"DT", "Article; Proceedings Paper"}, {"PD", "MAR 15 2020"}, {"VL", "3"}};
    details = details_of(wos);
    CHECK(details.origin == Origin::wos);
    CHECK(details.type == WorkType::conference_paper);
    CHECK(details.month == 3);
    CHECK(details.day == 15);
    CHECK(details.volume == "3");

    record::Record seed;
    seed.title = "T";
    seed.year = 2019;
    seed.extra = {{"卷期", "2019,38(3)"}, {"出版日期", "2019年5月"}};
    details = details_of(seed);
    CHECK(details.volume == "38");
    CHECK(details.issue == "3");
    CHECK(details.month == 5);
    seed.extra = {{"出版日期", "2018-05-01"}};   // another year than the record's: not its month
    CHECK_FALSE(details_of(seed).month);

    record::Record preprint;
    preprint.id = "arxiv:2103.00020";
    preprint.title = "T";
    CHECK(details_of(preprint).type == WorkType::preprint);
}

TEST_CASE("writers: names split into family and given names as CSL wants them") {
    auto split = [](std::string_view name) {
        const PersonName parts = split_name(name);
        return parts.literal.empty() ? parts.family + "|" + parts.given + "|" + parts.suffix : "literal:" + parts.literal;
    };
    CHECK(split("Picazo-Vela, Sergio") == "Picazo-Vela|Sergio|");
    CHECK(split("Sergio Picazo-Vela") == "Picazo-Vela|Sergio|");
    CHECK(split("Luis F. Luna-Reyes") == "Luna-Reyes|Luis F.|");
    CHECK(split("Ludwig van Beethoven") == "van Beethoven|Ludwig|");
    CHECK(split("van der Berg, Jan") == "van der Berg|Jan|");
    CHECK(split("Smith, Jr., John") == "Smith|John|Jr.");
    CHECK(split("Smith, John, Jr.") == "Smith|John|Jr.");
    CHECK(split("John Smith Jr.") == "Smith|John|Jr.");
    CHECK(split("Gutiérrez, Ana") == "Gutiérrez|Ana|");
    CHECK(split("张伟") == "张|伟|");
    CHECK(split("赵立群") == "赵|立群|");
    CHECK(split("欧阳娜娜") == "欧阳|娜娜|");
    CHECK(split("司马光") == "司马|光|");
    CHECK(split("王 小明") == "王|小明|");
    CHECK(split("山田 太郎") == "山田|太郎|");
    CHECK(split("김철수") == "김|철수|");
    CHECK(split("남궁민수") == "남궁|민수|");
    CHECK(split("Plato") == "Plato||");
    CHECK(split("玛丽·居里") == "literal:玛丽·居里");
    CHECK(split("World Health Organization") == "literal:World Health Organization");
    CHECK(split("Barnes and Noble Consortium") == "literal:Barnes and Noble Consortium");
}

TEST_CASE("writers: CSL-JSON items have the schema's fields and types") {
    const auto records = tricky_records();
    json::object item = csl_item(records[0]);
    CHECK(item.at("id") == "tricky-1");
    CHECK(item.at("type") == "article-journal");
    CHECK(item.at("author").as_array()[0] == json::object{{"family", "Gutiérrez"}, {"given", "Ana"}});
    CHECK(item.at("author").as_array()[1] == json::object{{"literal", "Barnes and Noble Consortium"}});
    CHECK(item.at("issued") == json::parse(R"({"date-parts": [[2019]]})"));
    CHECK(item.at("container-title") == "Journal of R&D {Special} Issue");
    CHECK(item.at("volume") == "12");
    CHECK(item.at("issue") == "3");
    CHECK(item.at("page") == "e1023");
    CHECK(item.at("DOI") == "10.1000/ABC_(x)%20;y");
    CHECK(item.at("URL") == "https://example.org/a_b?x=1&y=2");
    CHECK(item.at("keyword") == "open data, a, b, C++, x_y");
    CHECK(item.at("abstract").as_string().find('\n') != json::string::npos);   // JSON keeps paragraphs
    CHECK(item.at("custom").at("cited_by") == 7);

    item = csl_item(records[1]);
    CHECK(item.at("author").as_array()[1] == json::object{{"family", "欧阳"}, {"given", "娜娜"}});
    CHECK(item.at("page") == "45-58");
    CHECK(csl_item(records[2]).at("type") == "article");   // CSL's type for preprints

    record::Record dated = only_record(parse::parse_ris("TY  - JOUR\nTI  - T\nPY  - 2020\nDA  - 2020/03/15/\nER  - \n", "d.ris"));
    CHECK(csl_item(dated).at("issued") == json::parse(R"({"date-parts": [[2020, 3, 15]]})"));

    Writer empty(Format::csljson);
    std::string out;
    empty.finish(out);
    CHECK(json::parse(out) == json::array{});
    Writer two(Format::csljson);
    out.clear();
    two.add(records[0], out);
    two.add(records[1], out);
    two.finish(out);
    CHECK(json::parse(out).as_array().size() == 2);
}

TEST_CASE("writers: JSON Lines is the stored form the indexer reads") {
    for (const auto& original : tricky_records()) {
        const std::string line = write_one(Format::jsonl, original);
        REQUIRE(line.back() == '\n');
        CHECK(std::count(line.begin(), line.end(), '\n') == 1);
        CHECK(record::from_stored_json(line) == original);
    }
}

TEST_CASE("writers: format names, media types and file extensions") {
    CHECK(format_named("ris") == Format::ris);
    CHECK(format_named("bibtex") == Format::bibtex);
    CHECK(format_named("csljson") == Format::csljson);
    CHECK(format_named("jsonl") == Format::jsonl);
    CHECK_FALSE(format_named("xml"));
    CHECK_FALSE(format_named(""));
    CHECK(content_type(Format::ris).rfind("application/x-research-info-systems", 0) == 0);
    CHECK(content_type(Format::bibtex).rfind("application/x-bibtex", 0) == 0);
    CHECK(content_type(Format::csljson) == "application/vnd.citationstyles.csl+json");
    CHECK(content_type(Format::jsonl) == "application/x-ndjson");
    CHECK(file_extension(Format::bibtex) == "bib");
}
