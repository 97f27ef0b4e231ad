#include "record/record.hpp"
#include "record/record_json.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <optional>
#include <tuple>
#include <vector>

using namespace scholarsearch::record;

namespace {

Record full_record() {
    Record record;
    record.title = "社交媒体与政府透明度 & <tags>";
    record.cited_by = 12;
    record.authors = {{"王晓明", {1, 2}}, {"Picazo-Vela, Sergio", {}}};
    record.affiliations = {{1, "清华大学"}, {2, "Univ Americas Puebla"}};
    record.keywords = {"社交媒体", "Open data"};
    record.doi = "10.5555/ABC.1";
    record.clc = {{"G25", "图书馆学"}, {"TP391", std::nullopt}};
    record.disciplines = {"1205", "120501"};
    record.abstract = "line one\nline two";
    record.pages = Pages{"504", "511"};
    record.page_count = 8;
    record.references = {{1, "Bertot, 2010, GIQ", std::nullopt, {"Bertot"}, "GIQ", 2010}};
    record.extra = {{"基金", "国家自然科学基金"}, {"年份", "2019"}};
    record.id = "sample-001";
    record.year = 2019;
    record.venue = "情报杂志";
    record.language = "zh";
    record.source = {"dir/file.txt", 7, 3};
    return record;
}

}  // namespace

TEST_CASE("record json: the stored form round-trips every field") {
    const Record record = full_record();
    CHECK(from_stored_json(to_stored_json(record)) == record);
}

TEST_CASE("record json: an empty record round-trips") {
    Record record;
    record.title = "";
    CHECK(from_stored_json(to_stored_json(record)) == record);
}

TEST_CASE("record json: the seed form has all keys in the documented order") {
    const auto object = to_seed_json(full_record());
    std::vector<std::string> keys;
    for (const auto& item : object) keys.emplace_back(item.key());
    CHECK(keys == std::vector<std::string>{"title", "cited_by", "authors", "affiliations", "keywords", "doi", "clc",
                                           "disciplines", "abstract", "pages", "page_count", "references", "extra"});
    CHECK(object.at("clc").as_array()[1].as_object().at("label").is_null());
    CHECK(object.at("extra").as_object().at("基金") == "国家自然科学基金");
}

TEST_CASE("record json: the corpus.jsonl layout is read") {
    auto value = boost::json::parse(
        R"({"id": 17, "title": "t", "abstract": "a", "keywords": "x; y ;", "authors": ["Smith, J."], "year": "1999", "venue": null, "note": {"k": 1}})");
    Record record = record_from_json_object(value.as_object());
    CHECK(record.id == "17");
    CHECK(record.keywords == std::vector<std::string>{"x", "y"});
    CHECK(record.authors.at(0).name == "Smith, J.");
    CHECK(record.year == 1999);
    CHECK_FALSE(record.venue);
    REQUIRE(record.extra.size() == 1);
    CHECK(record.extra[0] == std::pair<std::string, std::string>{"note", R"({"k":1})"});
}

TEST_CASE("record json: a field of the wrong type is named in the error") {
    // Rows: JSON text, field named in the message.
    const std::vector<std::pair<std::string, std::string>> rows{
        {R"({"title": "t", "year": "nineteen"})", "year"},
        {R"({"title": ["t"]})", "title"},
        {R"({"title": "t", "authors": 5})", "authors"},
        {R"({"title": "t", "cited_by": {"n": 1}})", "cited_by"},
        {R"({"title": "t", "year": 123456})", "year"},
    };
    for (const auto& [text, field] : rows) {
        INFO(text);
        auto value = boost::json::parse(text);
        CHECK_THROWS_WITH(record_from_json_object(value.as_object()), Catch::Contains("\"" + field + "\""));
    }
}

TEST_CASE("record: unique id is the external id, else the lower-cased DOI, else FILE#index") {
    Record record;
    record.source = {"some/dir/export.txt", 3, 4};
    CHECK(unique_id(record) == "export.txt#4");
    record.doi = "https://doi.org/10.5555/ABC";
    CHECK(unique_id(record) == "10.5555/abc");
    record.id = "W123";
    CHECK(unique_id(record) == "W123");
}

TEST_CASE("record: DOIs are normalized") {
    CHECK(normalized_doi("  DOI: 10.1016/J.GIQ ") == "10.1016/j.giq");
    CHECK(normalized_doi("http://dx.doi.org/10.1/X") == "10.1/x");
    CHECK(normalized_doi("https://doi.org/doi:10.1/y") == "10.1/y");
    CHECK(normalized_doi("") == "");
}

TEST_CASE("record: year and venue fall back to the seed format's extra labels") {
    Record record;
    CHECK_FALSE(effective_year(record));
    record.extra = {{"出版年", "2019年第3期"}, {"期刊", "情报学报\n第二行"}};
    CHECK(effective_year(record) == 2019);
    CHECK(effective_venue(record) == "情报学报");
    record.extra = {{"年份", "12345"}};
    CHECK_FALSE(effective_year(record));
    record.year = 2001;
    record.venue = "GIQ";
    CHECK(effective_year(record) == 2001);
    CHECK(effective_venue(record) == "GIQ");
}

TEST_CASE("record: diagnostics read file:line: error: message") {
    CHECK(format_diagnostic({"a.txt", 41, "missing_title", "record has no title", 2}) ==
          "a.txt:41: error: record has no title");
    CHECK(format_diagnostic({"a.txt", 0, "bad_encoding", "not UTF-8", -1}) == "a.txt: error: not UTF-8");
}

TEST_CASE("record: years and DOIs as every reader reads them") {
    // Rows: text, year found in it.
    const std::vector<std::pair<std::string, std::optional<int>>> years{
        {"2019", 2019}, {"2019/05/12/", 2019}, {"Spring 2007", 2007}, {"2019年第3期", 2019},
        {"20190512", std::nullopt}, {"in press", std::nullopt}, {"0999 then 1999", 1999}, {"3000", std::nullopt}};
    for (const auto& [text, year] : years) {
        INFO(text);
        CHECK(year_in(text) == year);
    }
    // Rows: value, DOI without prefixes (case kept), DOI of it as a URL.
    const std::vector<std::tuple<std::string, std::string, std::string>> dois{
        {"10.1000/ABC", "10.1000/ABC", ""},
        {" https://doi.org/10.1000/ABC ", "10.1000/ABC", "10.1000/ABC"},
        {"HTTP://DX.DOI.ORG/10.1/x", "10.1/x", "10.1/x"},
        {"https://www.doi.org/10.1/x", "10.1/x", "10.1/x"},
        {"doi: 10.1/x", "10.1/x", ""},
        {"doi:https://doi.org/10.1/x", "10.1/x", ""},
        {"https://example.org/10.1/x", "https://example.org/10.1/x", ""},
    };
    for (const auto& [value, bare, of_url] : dois) {
        INFO(value);
        CHECK(doi_without_prefix(value) == bare);
        CHECK(doi_of_url(value) == of_url);
        CHECK(normalized_doi(value) == normalized_doi(bare));
    }
}
