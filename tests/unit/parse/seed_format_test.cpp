// Tests of the seed-format parser against FORMAT.md: the shared examples, our own fixtures,
// one table per variation of §10 and robustness against garbage.
#include "parse/parse_json.hpp"
#include "parse/seed_format.hpp"
#include "record/record_json.hpp"

#include "../../support/temp_dir.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace json = boost::json;
using scholarsearch::parse::parse_result_to_json;
using scholarsearch::parse::parse_seed_format;
using scholarsearch::parse::ParseResult;
using scholarsearch::record::Record;
using scholarsearch::testing::read_file;

namespace {

/// Indented JSON, so that a failed comparison is readable.
void pretty(std::ostream& out, const json::value& value, int indent = 0) {
    const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
    const std::string close_pad(static_cast<std::size_t>(indent), ' ');
    if (value.is_object() && !value.get_object().empty()) {
        out << "{\n";
        bool first = true;
        for (const auto& [key, member] : value.get_object()) {
            out << (first ? "" : ",\n") << pad << json::serialize(json::value(key)) << ": ";
            pretty(out, member, indent + 2);
            first = false;
        }
        out << "\n" << close_pad << "}";
    } else if (value.is_array() && !value.get_array().empty()) {
        out << "[\n";
        bool first = true;
        for (const auto& element : value.get_array()) {
            out << (first ? "" : ",\n") << pad;
            pretty(out, element, indent + 2);
            first = false;
        }
        out << "\n" << close_pad << "]";
    } else {
        out << json::serialize(value);
    }
}

std::string pretty(const json::value& value) {
    std::ostringstream out;
    pretty(out, value);
    return out.str();
}

/// Path and values of the first place where two documents differ ("" if equal).
std::string first_difference(const json::value& actual, const json::value& expected,
                             const std::string& path = "$") {
    if (actual == expected) return "";
    if (actual.is_object() && expected.is_object()) {
        for (const auto& [key, member] : expected.get_object()) {
            const json::value* other = actual.get_object().if_contains(key);
            if (!other) return path + "." + std::string(key) + ": missing in actual";
            if (auto diff = first_difference(*other, member, path + "." + std::string(key)); !diff.empty())
                return diff;
        }
        return path + ": actual has extra keys";
    }
    if (actual.is_array() && expected.is_array()) {
        const auto& a = actual.get_array();
        const auto& e = expected.get_array();
        for (std::size_t i = 0; i < std::min(a.size(), e.size()); ++i)
            if (auto diff = first_difference(a[i], e[i], path + "[" + std::to_string(i) + "]"); !diff.empty())
                return diff;
        return path + ": " + std::to_string(a.size()) + " elements, expected " + std::to_string(e.size());
    }
    return path + ": actual " + json::serialize(actual) + ", expected " + json::serialize(expected);
}

/// Parses NAME.txt and compares the `parse` document with NAME.expected.json.
void check_against_expected(const fs::path& text_file) {
    const fs::path expected_file =
        text_file.parent_path() / (text_file.stem().string() + ".expected.json");
    REQUIRE(fs::exists(expected_file));
    const ParseResult result = parse_seed_format(read_file(text_file), text_file.string());
    const json::value actual = parse_result_to_json(result);
    const json::value expected = json::parse(read_file(expected_file));
    INFO("file: " << text_file.string());
    INFO("first difference: " << first_difference(actual, expected));
    INFO("actual:\n" << pretty(actual));
    INFO("expected:\n" << pretty(expected));
    CHECK(actual == expected);
}

std::vector<fs::path> text_files_in(const fs::path& directory) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(directory))
        if (entry.path().extension() == ".txt") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

ParseResult parse(std::string_view text) { return parse_seed_format(text, "dir/test.txt"); }

/// The single good record of `text` (fails the test otherwise).
Record only_record(std::string_view text) {
    const ParseResult result = parse(text);
    INFO("input:\n" << text);
    REQUIRE_FALSE(result.file_error);
    REQUIRE(result.errors.empty());
    REQUIRE(result.records.size() == 1);
    return result.records.front();
}

/// One key of the §9 RECORD object of the single record in `text`.
json::value field(std::string_view text, std::string_view key) {
    return scholarsearch::record::to_seed_json(only_record(text)).at(key);
}

json::value js(std::string_view text) { return json::parse(text); }

/// A record with a title line and the given body.
std::string titled(std::string_view body) { return "A title for the test record\n\n" + std::string(body); }

struct FieldCase {
    const char* name;
    std::string input;
    const char* key;
    const char* expected;   ///< JSON
};

void check_cases(const std::vector<FieldCase>& cases) {
    for (const auto& c : cases) {
        INFO("case: " << c.name);
        INFO("input:\n" << c.input);
        CHECK(field(c.input, c.key) == js(c.expected));
    }
}

std::string file_error_code(std::string_view bytes) {
    const ParseResult result = parse(bytes);
    if (!result.file_error) return "";
    CHECK(result.records.empty());
    CHECK(result.errors.empty());
    // bad_encoding names the line of the first bad byte; no_records is about the whole file.
    CHECK((result.file_error->line == 0) == (result.file_error->code == "no_records"));
    return result.file_error->code;
}

/// A full record in the specimen's layout (all fields, one of each reference kind).
const std::string kFullRecord =
    "Mapping volunteer cartography in rural flood warning networks\n"
    "\n"
    "被引:21\n"
    "作者\n"
    "Oduya, Kesi [1 ]\n"
    "Marwick, Tomas [1 ] [2 ]\n"
    "机构\n"
    "[1] Fenmoor Univ, Dept Geog, Fenmoor 1234, Ruritania\n"
    "[2] Coastal Risk Lab, Port Imber, Ruritania\n"
    "关键词\n"
    "Volunteered geographic information; Flood warning; Rural areas;\n"
    "D O I\n"
    "10.5555/vgi.2019.0042\n"
    "中图分类号\n"
    "P208 [测绘数据库与信息系统]; X43 [灾害及其防治];\n"
    "学科分类号\n"
    "0705 ; 070503 ;\n"
    "摘要\n"
    "We mapped the volunteer networks that relay flood warnings in four river valleys.\n"
    "引用\n"
    "收藏\n"
    "页码:77 / 90\n"
    "页数:14\n"
    "相关论文\n"
    "共 12 条\n"
    "  • [1] Peller J, 2015, RIVER WATCH Q, V3, P11\n"
    "  • [2] Maps made by neighbours: a field study\n"
    "    Grey, Anselm\n"
    "    [J]. JOURNAL OF PARISH GEOGRAPHY, 2017, 6 (02) : 40 - 52";

json::value full_record_json(std::string_view text) {
    const Record record = only_record(text);
    return scholarsearch::record::to_seed_json(record);
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}

}  // namespace

// ---- shared examples and our fixtures ---------------------------------------------------------

#if HAVE_SHARED_DATA
TEST_CASE("seed format: every shared example parses to its expected.json", "[seed]") {
    const fs::path directory = fs::path(SHARED_DATA_DIR) / "seed-format";
    const auto files = text_files_in(directory);
    REQUIRE(files.size() >= 7);
    for (const auto& file : files) DYNAMIC_SECTION(file.filename().string()) { check_against_expected(file); }
}
#endif

TEST_CASE("seed format: every fixture in tests/data/seed_format parses to its expected.json", "[seed]") {
    const fs::path directory = fs::path(TEST_DATA_DIR) / "seed_format";
    const auto files = text_files_in(directory);
    REQUIRE(files.size() >= 4);
    for (const auto& file : files) DYNAMIC_SECTION(file.filename().string()) { check_against_expected(file); }
}

TEST_CASE("seed format: the parse document has the documented shape", "[seed]") {
    const ParseResult result = parse_seed_format(kFullRecord, "some/dir/paper.txt");
    const json::object document = parse_result_to_json(result);
    std::vector<std::string> keys;
    for (const auto& [key, value] : document) keys.emplace_back(key);
    CHECK(keys == std::vector<std::string>{"file", "records", "meta", "errors", "file_error"});
    CHECK(document.at("file") == "paper.txt");
    CHECK(document.at("meta") == js(R"([{"index":0,"line":1,"id":"10.5555/vgi.2019.0042"}])"));
    CHECK(document.at("file_error").is_null());
    CHECK(parse_result_to_json(parse("")).at("file_error") == js(R"({"code":"no_records"})"));
}

// ---- lexical layer (§3) -----------------------------------------------------------------------

TEST_CASE("seed format: LF, CRLF, CR and mixed line ends give the same record", "[seed]") {
    const json::value expected = full_record_json(kFullRecord);
    const std::string crlf = replace_all(kFullRecord, "\n", "\r\n");
    const std::string cr = replace_all(kFullRecord, "\n", "\r");
    std::string mixed;
    int n = 0;
    for (char c : kFullRecord) {
        if (c != '\n') {
            mixed += c;
            continue;
        }
        static const char* const kEnds[] = {"\n", "\r\n", "\r"};
        mixed += kEnds[n++ % 3];
    }
    CHECK(full_record_json(crlf) == expected);
    CHECK(full_record_json(cr) == expected);
    CHECK(full_record_json(mixed) == expected);
    CHECK(full_record_json(kFullRecord + "\n") == expected);
    CHECK(full_record_json(crlf + "\r\n\r\n") == expected);
}

TEST_CASE("seed format: line numbers count a CRLF pair once and a lone CR as a line end", "[seed]") {
    const std::string two = "First title\n被引:1\n作者\nA, B\nSecond title\n被引:2\n作者\nC, D\n";
    for (std::string_view end : {"\n", "\r\n", "\r"}) {
        const ParseResult result = parse(replace_all(two, "\n", end));
        REQUIRE(result.records.size() == 2);
        CHECK(result.records[0].source.line == 1);
        CHECK(result.records[1].source.line == 5);
    }
    // "\n\r" is two line ends, so the second title moves down one line.
    const ParseResult result = parse("First title\n被引:1\n作者\nA, B\n\rSecond title\n被引:2\n");
    REQUIRE(result.records.size() == 2);
    CHECK(result.records[1].source.line == 6);
}

TEST_CASE("seed format: a leading BOM and U+FEFF in the middle are deleted", "[seed]") {
    const json::value expected = full_record_json(kFullRecord);
    CHECK(full_record_json("\xEF\xBB\xBF" + kFullRecord) == expected);
    const std::string inside = replace_all(kFullRecord, "摘要", "摘\xEF\xBB\xBF要");
    CHECK(full_record_json(inside) == expected);

    // Two files concatenated, the second with its own BOM at the start of its title.
    const std::string twice = "\xEF\xBB\xBF" + kFullRecord + "\n\xEF\xBB\xBF" +
                              replace_all(kFullRecord, "10.5555/vgi.2019.0042", "10.5555/other");
    const ParseResult result = parse(twice);
    REQUIRE(result.errors.empty());
    REQUIRE(result.records.size() == 2);
    CHECK(result.records[1].title == "Mapping volunteer cartography in rural flood warning networks");
    CHECK(result.records[1].source.line == 30);
    CHECK(result.records[1].source.index == 1);
}

TEST_CASE("seed format: blank lines of spaces, tabs and U+3000 are ignored everywhere", "[seed]") {
    const json::value expected = full_record_json(kFullRecord);
    const std::string blanks = replace_all(kFullRecord, "\n", "\n \t\n\u3000\u3000\n\u00A0\n");
    CHECK(full_record_json(blanks) == expected);
    // Also between a bare one-line label and its value.
    CHECK(field(titled("D O I\n\u3000\n\t\n10.5555/x\n"), "doi") == "10.5555/x");
}

TEST_CASE("seed format: values are trimmed and inner white-space runs collapse to one space", "[seed]") {
    check_cases({
        {"title", "  \tA   spaced\u3000\u3000title \t\n被引:1\n", "title", R"("A spaced title")"},
        {"keywords", titled("关键词\n  Flood\t\twarning ;\u00A0 Rural   areas ;\n"), "keywords",
         R"(["Flood warning","Rural areas"])"},
        {"abstract lines", titled("摘要\n  First   line. \n\t\tSecond\u2003line.\n"), "abstract",
         R"("First line.\nSecond line.")"},
        {"extra", titled("基金：\tGrant \u3000 A-1 \n收藏\n"), "extra", R"({"基金":"Grant A-1"})"},
    });
}

TEST_CASE("seed format: U+2028, form feed and NEL do not end a line", "[seed]") {
    CHECK(field(titled("摘要\nOne\u2028two\fthree\u0085four\n"), "abstract") == "One two three four");
}

// ---- labels (§2, §4) --------------------------------------------------------------------------

TEST_CASE("seed format: full-width colon and white space around the colon in inline labels", "[seed]") {
    check_cases({
        {"被引 full-width", titled("被引：12\n"), "cited_by", "12"},
        {"被引 spaced", titled("被引 ： 12\n"), "cited_by", "12"},
        {"被引 leading space", titled(" 被引 : 12\n"), "cited_by", "12"},
        {"页码", titled("页码： 504 / 511\n"), "pages", R"({"first":"504","last":"511"})"},
        {"页数", titled("页数\u3000：\u30008\n"), "page_count", "8"},
        {"DOI", titled("D O I ： 10.5555/x\n"), "doi", R"("10.5555/x")"},
        {"作者", titled("作者：Grey, Anselm [1]\n"), "authors",
         R"([{"name":"Grey, Anselm","affiliation_refs":[1]}])"},
        {"机构", titled("机构：[1] Fenmoor Univ\n"), "affiliations", R"([{"ref":1,"name":"Fenmoor Univ"}])"},
        {"关键词", titled("关键词：甲；乙\n"), "keywords", R"(["甲","乙"])"},
        {"中图分类号", titled("中图分类号：G25 [图书馆学]\n"), "clc", R"([{"code":"G25","label":"图书馆学"}])"},
        {"学科分类号", titled("学科分类号：1205；120501\n"), "disciplines", R"(["1205","120501"])"},
        {"摘要", titled("摘要：Short abstract.\n"), "abstract", R"("Short abstract.")"},
        {"extra", titled("来源：情报学报\n收藏\n"), "extra", R"({"来源":"情报学报"})"},
    });
}

TEST_CASE("seed format: labels with stray white space and DOI in any case", "[seed]") {
    check_cases({
        {"D O I", titled("D O I\n10.5555/a\n"), "doi", R"("10.5555/a")"},
        {"doi", titled("doi\n10.5555/a\n"), "doi", R"("10.5555/a")"},
        {"Doi inline", titled("Doi:10.5555/a\n"), "doi", R"("10.5555/a")"},
        {"full-width DOI", titled("ＤＯＩ：10.5555/a\n"), "doi", R"("10.5555/a")"},
        {"摘 要", titled("摘 要\ntext\n"), "abstract", R"("text")"},
        {"摘　要", titled("摘\u3000要\ntext\n"), "abstract", R"("text")"},
        {"摘要：", titled("摘要：\ntext\n"), "abstract", R"("text")"},
        {"关 键 词", titled("关 键 词\nA; B\n"), "keywords", R"(["A","B"])"},
        {"中 图 分 类 号", titled("中 图 分 类 号\nG25\n"), "clc", R"([{"code":"G25","label":null}])"},
        {"tab-indented label", titled("\t作者\n\tGrey, Anselm\n"), "authors",
         R"([{"name":"Grey, Anselm","affiliation_refs":[]}])"},
        {"基 金", titled("基 金：G-1\n收藏\n"), "extra", R"({"基金":"G-1"})"},
    });
}

TEST_CASE("seed format: text after a label without a colon is not a label line", "[seed]") {
    // "被引 194" is text: here it is appended to the open 摘要 block.
    check_cases({
        {"被引 194", titled("摘要\nabstract\n被引 194\n"), "abstract", R"("abstract\n被引 194")"},
        {"cited_by stays null", titled("摘要\nabstract\n被引 194\n"), "cited_by", "null"},
    });
}

TEST_CASE("seed format: every label may be written inline or bare", "[seed]") {
    struct LabelForms {
        const char* label;
        const char* value;
        const char* key;
    };
    const std::vector<LabelForms> forms = {
        {"被引", "12", "cited_by"},
        {"作者", "Grey, Anselm [1]; Lind, Ola [2]", "authors"},
        {"机构", "[1] Fenmoor Univ", "affiliations"},
        {"关键词", "A; B；C，D", "keywords"},
        {"D O I", "10.5555/z", "doi"},
        {"中图分类号", "G25 [图书馆学]; TP391", "clc"},
        {"学科分类号", "1205 ; 120501", "disciplines"},
        {"摘要", "An abstract.", "abstract"},
        {"页码", "e1023", "pages"},
        {"页数", "9", "page_count"},
        {"相关论文", "• [1] Peller J, 2015, RIVER WATCH Q", "references"},
        {"基金", "Grant 7", "extra"},
        {"年份", "2021", "extra"},
    };
    for (const auto& form : forms) {
        INFO("label: " << form.label);
        // 收藏 after the value: every file needs a core label (else no_records).
        const std::string inline_form = titled(std::string(form.label) + "：" + form.value + "\n收藏\n");
        const std::string bare_form = titled(std::string(form.label) + "\n" + form.value + "\n收藏\n");
        const json::value inline_value = field(inline_form, form.key);
        CHECK(inline_value == field(bare_form, form.key));
        CHECK(inline_value != js(R"(null)"));
        CHECK(inline_value != js(R"([])"));
        CHECK(inline_value != js(R"({})"));
    }
    // Valueless labels ignore an inline value; the next text line is a new title.
    const ParseResult result = parse(titled("被引:1\n引用：12 次\n收藏\n页数:3\n"));
    REQUIRE(result.records.size() == 1);
    CHECK(result.records[0].page_count == 3);
}

TEST_CASE("seed format: a bare one-line label takes the next line only if rule 6 reaches it", "[seed]") {
    check_cases({
        {"value on next line", titled("被引\n12\n"), "cited_by", "12"},
        {"next line is a label", titled("D O I\n摘要\nText.\n"), "doi", "null"},
        {"next line is an unknown label", titled("D O I\n收稿日期：2021\n"), "doi", "null"},
        {"unknown label becomes extra", titled("D O I\n收稿日期：2021\n"), "extra", R"({"收稿日期":"2021"})"},
        {"first non-empty value wins", titled("页码\n页数:3\n页码:5-9\n页码:1-2\n"), "pages",
         R"({"first":"5","last":"9"})"},
    });
    // The value line is not taken when it is the title of the next record (rule 3).
    const ParseResult result = parse("First\n被引:1\nD O I\nSecond title\n被引:2\n");
    REQUIRE(result.records.size() == 2);
    CHECK_FALSE(result.records[0].doi);
    CHECK(result.records[1].title == "Second title");
}

TEST_CASE("seed format: unknown and known extra labels go to extra in order of appearance", "[seed]") {
    const std::string text = titled(
        "被引：8\n来源：城乡规划评论\n年份：2022\n卷期：46（3）\n作者\n许文杰\n"
        "基金：课题一\n续行\n通讯作者：欧阳明\n关 键 词\n甲；乙\n收稿日期：2021-11-02\n"
        "基金：课题二\n出版日期：\n语种\n中文\n文献类型：期刊论文\n");
    CHECK(field(text, "extra") ==
          js(R"({"来源":"城乡规划评论","年份":"2022","卷期":"46（3）","基金":"课题一\n续行\n课题二",)"
             R"("通讯作者":"欧阳明","收稿日期":"2021-11-02","出版日期":"","语种":"中文","文献类型":"期刊论文"})"));
    // Extra labels are not core labels: they neither open records nor count for no_records.
    CHECK(file_error_code("Title\n来源：情报学报\n年份：2020\n") == "no_records");
}

TEST_CASE("seed format: what counts as an unknown label line", "[seed]") {
    check_cases({
        {"one Han character", titled("被引:1\n注：说明\n"), "extra", R"({"注":"说明"})"},
        {"ten Han characters", titled("被引:1\n一二三四五六七八九十：x\n"), "extra", R"({"一二三四五六七八九十":"x"})"},
        {"white space inside ignored", titled("被引:1\n通 讯\u3000作者 ：欧阳明\n"), "extra",
         R"({"通讯作者":"欧阳明"})"},
        {"compatibility ideograph", titled("被引:1\n\uF900注：x\n"), "extra", "{\"\uF900注\":\"x\"}"},
        {"extension B ideograph", titled("被引:1\n\U00020000注：x\n"), "extra", "{\"\U00020000注\":\"x\"}"},
    });
    // Not labels: eleven Han characters, a Latin label, kana, or no colon. After a closed
    // one-line label such text is the next record's title (rule 8), so the record has no extra.
    for (const char* line : {"一二三四五六七八九十一：x", "Note：x", "ノート：x", "备注"}) {
        INFO("line: " << line);
        const ParseResult result = parse(titled(std::string("被引:1\n") + line + "\n"));
        REQUIRE(result.records.size() == 1);
        CHECK(result.records[0].extra.empty());
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].code == "no_fields");
    }
}

TEST_CASE("seed format: structured Chinese abstract keeps its 目的：… lines", "[seed]") {
    const std::string text = titled(
        "摘　要\n目的：评价服务公平性。\n方法：综合使用多源数据。\n\n结果：差异明显。\n结论：优先补充。\n页数：9\n");
    CHECK(field(text, "abstract") == "目的：评价服务公平性。\n方法：综合使用多源数据。\n结果：差异明显。\n结论：优先补充。");
    CHECK(field(text, "extra") == js("{}"));
    CHECK(field(text, "page_count") == 9);
}

TEST_CASE("seed format: Chinese titles with a colon", "[seed]") {
    // At the start of the file a title is expected: rule 4 does not read it as a label.
    CHECK(field("数字政府：理论与实践\n\n被引：3\n", "title") == "数字政府：理论与实践");
    CHECK(field("数字政府：理论与实践\n\n作者：张伟\n", "extra") == js("{}"));

    // After a reference section (rule 1d) and before 被引 after a block (rule 3) too.
    const ParseResult result = parse(
        "第一篇\n被引:1\n相关论文\n  • [1] A, 2001, B\n数字政府：理论与实践\n被引:2\n摘要\n文本\n"
        "智慧城市：评述\n被引:3\n");
    REQUIRE(result.errors.empty());
    REQUIRE(result.records.size() == 3);
    CHECK(result.records[1].title == "数字政府：理论与实践");
    CHECK(result.records[2].title == "智慧城市：评述");

    // After a closed one-line label and without 被引 / 作者 after it, rule 5 reads it as an
    // unknown label of the previous record (documented limitation).
    const ParseResult merged = parse("第一篇\n被引:1\n页数:8\n数字政府：理论与实践\n摘要\n文本\n");
    REQUIRE(merged.records.size() == 1);
    CHECK(merged.records[0].extra ==
          std::vector<std::pair<std::string, std::string>>{{"数字政府", "理论与实践"}});
}

// ---- full-width forms and NFKC (§3.5) ---------------------------------------------------------

TEST_CASE("seed format: full-width brackets, digits and codes are stored NFKC-normalised", "[seed]") {
    check_cases({
        {"被引：１２", titled("被引：１２\n"), "cited_by", "12"},
        {"页数：１６", titled("页数：１６\n"), "page_count", "16"},
        {"页码：５０４／５１１", titled("页码：５０４／５１１\n"), "pages", R"({"first":"504","last":"511"})"},
        {"author ［１］", titled("作者\n张伟［１］\n李娜 ［１，２］\n"), "authors",
         R"([{"name":"张伟","affiliation_refs":[1]},{"name":"李娜","affiliation_refs":[1,2]}])"},
        {"affiliation ［２］", titled("机构\n［２］江城大学\n"), "affiliations", R"([{"ref":2,"name":"江城大学"}])"},
        {"clc Ｇ２５", titled("中图分类号\nＧ２５ ［图书馆学］；ＴＰ３９１\n"), "clc",
         R"([{"code":"G25","label":"图书馆学"},{"code":"TP391","label":null}])"},
        {"disciplines", titled("学科分类号\n１２０５，０８１２\n"), "disciplines", R"(["1205","0812"])"},
        {"reference ［３］", titled("相关论文\n• ［３］ Peller J, 2015, RIVER WATCH Q\n"), "references",
         R"([{"n":3,"text":"Peller J, 2015, RIVER WATCH Q","title":null,"authors":["Peller J"],"venue":"RIVER WATCH Q","year":2015}])"},
        {"title kept as written", "Ｆｕｌｌ－ｗｉｄｔｈ title\n被引:1\n", "title", R"("Ｆｕｌｌ－ｗｉｄｔｈ title")"},
        {"keywords kept as written", titled("关键词\nＧＩＳ；Ａ１\n"), "keywords", R"(["ＧＩＳ","Ａ１"])"},
    });
}

// ---- field values (§6) ------------------------------------------------------------------------

TEST_CASE("seed format: cited_by and page_count numbers", "[seed]") {
    check_cases({
        {"thousands comma", titled("被引:1,024\n"), "cited_by", "1024"},
        {"two thousands groups", titled("被引:1,024,512\n"), "cited_by", "1024512"},
        {"zero", titled("被引:0\n"), "cited_by", "0"},
        {"trailing text", titled("被引：12 次\n"), "cited_by", "12"},
        {"not numeric", titled("被引:many\n"), "cited_by", "null"},
        {"absent", titled("作者\nA\n"), "cited_by", "null"},
        {"empty and nothing follows", titled("被引:\n"), "cited_by", "null"},
        {"huge number", titled("被引:99999999999999999999999\n"), "cited_by", "null"},
        {"page count with unit", titled("页数：8页\n"), "page_count", "8"},
        {"comma not a thousands group", titled("页数：12,3\n"), "page_count", "12"},
    });
}

TEST_CASE("seed format: author affiliation markers", "[seed]") {
    check_cases({
        {"[1 ]", titled("作者\nPicazo, Sergio [1 ]\n"), "authors", R"([{"name":"Picazo, Sergio","affiliation_refs":[1]}])"},
        {"[1,2]", titled("作者\n许文杰 [1,2]\n"), "authors", R"([{"name":"许文杰","affiliation_refs":[1,2]}])"},
        {"[1, 3 ]", titled("作者\nGrey, A. [1, 3 ]\n"), "authors", R"([{"name":"Grey, A.","affiliation_refs":[1,3]}])"},
        {"[1 ] [2 ]", titled("作者\nGrey, A. [1 ] [2 ]\n"), "authors", R"([{"name":"Grey, A.","affiliation_refs":[1,2]}])"},
        {"[1][2]", titled("作者\nGrey, A.[1][2]\n"), "authors", R"([{"name":"Grey, A.","affiliation_refs":[1,2]}])"},
        {"[1、2]", titled("作者\n张伟[1、2]\n"), "authors", R"([{"name":"张伟","affiliation_refs":[1,2]}])"},
        {"duplicates dropped", titled("作者\nGrey [2,1] [2]\n"), "authors", R"([{"name":"Grey","affiliation_refs":[2,1]}])"},
        {"no marker", titled("作者\nDelacroix, Amélie\n"), "authors", R"([{"name":"Delacroix, Amélie","affiliation_refs":[]}])"},
        {"semicolon-separated", titled("作者\n张伟 [1]; 李娜 [2]；王芳\n"), "authors",
         R"([{"name":"张伟","affiliation_refs":[1]},{"name":"李娜","affiliation_refs":[2]},{"name":"王芳","affiliation_refs":[]}])"},
        {"empty pieces dropped", titled("作者\n; A ;; B ;\n"), "authors",
         R"([{"name":"A","affiliation_refs":[]},{"name":"B","affiliation_refs":[]}])"},
        {"only a marker", titled("作者\n[3]\n"), "authors", R"([{"name":"[3]","affiliation_refs":[]}])"},
        {"marker not at the end", titled("作者\nGrey [1] Jr\n"), "authors", R"([{"name":"Grey [1] Jr","affiliation_refs":[]}])"},
        {"not a number marker", titled("作者\nGrey [a]\n"), "authors", R"([{"name":"Grey [a]","affiliation_refs":[]}])"},
        {"only the valid trailing groups", titled("作者\nGrey [x] [2]\n"), "authors",
         R"([{"name":"Grey [x]","affiliation_refs":[2]}])"},
        {"space inside a number", titled("作者\nGrey [1 2]\n"), "authors", R"([{"name":"Grey [1 2]","affiliation_refs":[]}])"},
        {"inline and following lines", titled("作者：A [1]\nB [2]\n"), "authors",
         R"([{"name":"A","affiliation_refs":[1]},{"name":"B","affiliation_refs":[2]}])"},
    });
}

TEST_CASE("seed format: affiliations with and without [n]", "[seed]") {
    check_cases({
        {"numbered", titled("机构\n[1] Univ A\n[ 2 ] Univ B\n"), "affiliations",
         R"([{"ref":1,"name":"Univ A"},{"ref":2,"name":"Univ B"}])"},
        {"no numbers", titled("机构\nUniv A\nUniv B\n"), "affiliations",
         R"([{"ref":1,"name":"Univ A"},{"ref":2,"name":"Univ B"}])"},
        {"mixed continues from the largest", titled("机构\n[3] Univ A\nUniv B\n[1] Univ C\nUniv D\n"), "affiliations",
         R"([{"ref":3,"name":"Univ A"},{"ref":4,"name":"Univ B"},{"ref":1,"name":"Univ C"},{"ref":5,"name":"Univ D"}])"},
        {"repeated label appends", titled("机构\n[1] Univ A\n关键词\nk\n机构\nUniv B\n"), "affiliations",
         R"([{"ref":1,"name":"Univ A"},{"ref":2,"name":"Univ B"}])"},
        {"commas kept", titled("机构\n[1] Hollis Coll, Dept Publ Adm, Portland, ME 04101 USA\n"), "affiliations",
         R"([{"ref":1,"name":"Hollis Coll, Dept Publ Adm, Portland, ME 04101 USA"}])"},
    });
}

TEST_CASE("seed format: keywords, CLC codes and discipline codes", "[seed]") {
    check_cases({
        {"specimen keywords", titled("关键词\nElectronic government; Web; 2.0; GOVERNMENT;\n"), "keywords",
         R"(["Electronic government","Web","2.0","GOVERNMENT"])"},
        {"Chinese separators", titled("关键词\n古籍数字化；用户参与，众包\n"), "keywords", R"(["古籍数字化","用户参与","众包"])"},
        {"ASCII comma is not a separator", titled("关键词\nSearch, information; Reading\n"), "keywords",
         R"(["Search, information","Reading"])"},
        {"keywords over lines, duplicates kept", titled("关键词\nA; B\nA\n"), "keywords", R"(["A","B","A"])"},
        {"clc with and without label", titled("中图分类号\nG25 [图书馆学、图书馆事业]; TP391;\nD63 [];\n"), "clc",
         R"([{"code":"G25","label":"图书馆学、图书馆事业"},{"code":"TP391","label":null},{"code":"D63","label":null}])"},
        {"clc bracket inside label", titled("中图分类号\nX43 [灾害 [自然] 防治]\n"), "clc",
         R"([{"code":"X43","label":"灾害 [自然] 防治"}])"},
        {"disciplines keep leading zero", titled("学科分类号\n0812 , 081201 ；1205\n"), "disciplines",
         R"(["0812","081201","1205"])"},
    });
}

TEST_CASE("seed format: DOI prefixes are removed and the case is kept", "[seed]") {
    check_cases({
        {"https://doi.org/", titled("D O I\nhttps://doi.org/10.5555/ABC\n"), "doi", R"("10.5555/ABC")"},
        {"http://dx.doi.org/", titled("DOI:HTTP://DX.DOI.ORG/10.5555/x\n"), "doi", R"("10.5555/x")"},
        {"doi： repeated", titled("D O I：doi：https://doi.org/10.5555/y\n"), "doi", R"("10.5555/y")"},
        {"only a prefix", titled("D O I：https://doi.org/\n"), "doi", "null"},
    });
    const ParseResult result = parse(titled("D O I\n10.5555/ABC\n"));
    REQUIRE(result.records.size() == 1);
    CHECK(parse_result_to_json(result).at("meta") == js(R"([{"index":0,"line":1,"id":"10.5555/abc"}])"));
}

TEST_CASE("seed format: pages", "[seed]") {
    check_cases({
        {"range", titled("页码:504 / 511\n"), "pages", R"({"first":"504","last":"511"})"},
        {"single article number", titled("页码:e1023\n"), "pages", R"({"first":"e1023","last":null})"},
        {"full-width", titled("页码：５０４／５１１\n"), "pages", R"({"first":"504","last":"511"})"},
        {"en dash", titled("页码：S12–S19\n"), "pages", R"({"first":"S12","last":"S19"})"},
        {"tilde", titled("页码：7~9\n"), "pages", R"({"first":"7","last":"9"})"},
        {"open range", titled("页码：12-\n"), "pages", R"({"first":"12","last":null})"},
        {"first separator wins", titled("页码：1-2/3\n"), "pages", R"({"first":"1","last":"2/3"})"},
        {"absent", titled("页数:3\n"), "pages", "null"},
    });
}

TEST_CASE("seed format: abstract joins its lines with newlines and repeated 摘要 appends", "[seed]") {
    check_cases({
        {"paragraphs", titled("摘要\nFirst paragraph.\n\nSecond paragraph\nwrapped.\n"), "abstract",
         R"("First paragraph.\nSecond paragraph\nwrapped.")"},
        {"empty abstract", titled("被引:1\n摘要\n引用\n"), "abstract", "null"},
        {"repeated", titled("摘要\nOne.\n关键词\nk\n摘要：Two.\n"), "abstract", R"("One.\nTwo.")"},
    });
}

TEST_CASE("seed format: repeated list labels append", "[seed]") {
    const std::string text = titled("作者\nA\n关键词\nk1\n中图分类号\nG25\n学科分类号\n1205\n机构\nU\n"
                                    "关键词\nk2\n中图分类号\nG35\n学科分类号\n1206\n");
    CHECK(field(text, "keywords") == js(R"(["k1","k2"])"));
    CHECK(field(text, "clc") == js(R"([{"code":"G25","label":null},{"code":"G35","label":null}])"));
    CHECK(field(text, "disciplines") == js(R"(["1205","1206"])"));
}

// ---- reference section (§7) -------------------------------------------------------------------

TEST_CASE("seed format: reference sections", "[seed]") {
    check_cases({
        {"no count line", titled("相关论文\n  • [1] Peller J, 2015, RIVER WATCH Q\n"), "references",
         R"([{"n":1,"text":"Peller J, 2015, RIVER WATCH Q","title":null,"authors":["Peller J"],"venue":"RIVER WATCH Q","year":2015}])"},
        {"共 0 条", titled("相关论文\n共 0 条\n"), "references", "[]"},
        {"count inline", titled("相关论文：共 0 条\n"), "references", "[]"},
        {"count without spaces, full width", titled("相关论文\n共１２条\n• [1] A, 2001, B\n"), "references",
         R"([{"n":1,"text":"A, 2001, B","title":null,"authors":["A"],"venue":"B","year":2001}])"},
        {"absent", titled("被引:1\n"), "references", "[]"},
        {"anonymous, no year", titled("相关论文\n• [8] [Anonymous], ELECT J E GOVT\n"), "references",
         R"([{"n":8,"text":"[Anonymous], ELECT J E GOVT","title":null,"authors":[],"venue":"ELECT J E GOVT","year":null}])"},
        {"anonymous any case", titled("相关论文\n• [1] [ANONYMOUS], 2011, X\n"), "references",
         R"([{"n":1,"text":"[ANONYMOUS], 2011, X","title":null,"authors":[],"venue":"X","year":2011}])"},
        {"compact with only an author", titled("相关论文\n• [1] Peller J\n"), "references",
         R"([{"n":1,"text":"Peller J","title":null,"authors":["Peller J"],"venue":null,"year":null}])"},
        {"compact, full-width comma", titled("相关论文\n• [1] 张伟，2019，情报学报\n"), "references",
         R"([{"n":1,"text":"张伟，2019，情报学报","title":null,"authors":["张伟"],"venue":"情报学报","year":2019}])"},
        {"items keep n as written", titled("相关论文\n• [4] A, 2001, B\n• [2] C, 2002, D\n"), "references",
         R"([{"n":4,"text":"A, 2001, B","title":null,"authors":["A"],"venue":"B","year":2001},)"
         R"({"n":2,"text":"C, 2002, D","title":null,"authors":["C"],"venue":"D","year":2002}])"},
        {"bullet without [n]", titled("相关论文\n• [5] A, 2001, B\n· C, 2002, D\n● [Anonymous], E\n"), "references",
         R"([{"n":5,"text":"A, 2001, B","title":null,"authors":["A"],"venue":"B","year":2001},)"
         R"({"n":6,"text":"C, 2002, D","title":null,"authors":["C"],"venue":"D","year":2002},)"
         R"({"n":7,"text":"[Anonymous], E","title":null,"authors":[],"venue":"E","year":null}])"},
        {"first bullet without [n] is 1", titled("相关论文\n▪ A, 2001, B\n"), "references",
         R"([{"n":1,"text":"A, 2001, B","title":null,"authors":["A"],"venue":"B","year":2001}])"},
        {"items at column 1 without bullet", titled("相关论文\n[1] A, 2001, B\n"), "references",
         R"([{"n":1,"text":"A, 2001, B","title":null,"authors":["A"],"venue":"B","year":2001}])"},
        {"continuation before first item dropped", titled("相关论文\n    stray\n◦ [1] A, 2001, B\n"), "references",
         R"([{"n":1,"text":"A, 2001, B","title":null,"authors":["A"],"venue":"B","year":2001}])"},
    });
}

TEST_CASE("seed format: expanded references with document-type markers", "[seed]") {
    auto reference = [](const std::string& source_line) {
        const json::value references =
            field(titled("相关论文\n  • [1] A title\n    Grey, Anselm\n    " + source_line + "\n"), "references");
        return references.at(0);
    };
    struct MarkerCase {
        const char* source_line;
        const char* venue;   ///< JSON
        const char* year;    ///< JSON
    };
    const std::vector<MarkerCase> cases = {
        {"[J]. GOVERNMENT INFORMATION QUARTERLY, 2010, 27 (03) : 264 - 271", R"("GOVERNMENT INFORMATION QUARTERLY")", "2010"},
        {"[C]. Proceedings of the Fen Symposium, 2018: 1-8", R"("Proceedings of the Fen Symposium")", "2018"},
        {"[M]. Cambridge, MA: MIT Press, 2008", R"("Cambridge, MA: MIT Press")", "2008"},
        {"[D]. 江城大学, 2016", R"("江城大学")", "2016"},
        {"[R]. Port Imber: Coastal Risk Lab, 2020", R"("Port Imber: Coastal Risk Lab")", "2020"},
        {"[EB/OL]. https://example.org/report, 2021-03-01", R"("https://example.org/report")", "2021"},
        {"［Ｊ］． 图书情报研究，2018，11（03）", R"("图书情报研究")", "2018"},
        {"[J] No dot after marker, 2011", R"("No dot after marker")", "2011"},
        {"[J]. Journal without year", R"("Journal without year")", "null"},
        {"Fen Journal of Maps, 2019, 4: 1-9", R"("Fen Journal of Maps")", "2019"},
        {"[J]. Journal, 20190, 2019", R"("Journal, 20190")", "2019"},
    };
    for (const auto& c : cases) {
        INFO("source line: " << c.source_line);
        const json::value item = reference(c.source_line);
        CHECK(item.at("title") == "A title");
        CHECK(item.at("authors") == js(R"(["Grey, Anselm"])"));
        CHECK(item.at("venue") == js(c.venue));
        CHECK(item.at("year") == js(c.year));
    }
}

TEST_CASE("seed format: expanded references without a source line", "[seed]") {
    const json::value references = field(
        titled("相关论文\n• [1] A title\n    Grey, Anselm\n    Lind, Ola\n• [2] Title two\n    [j] not a marker\n"),
        "references");
    CHECK(references == js(R"([
        {"n":1,"text":"A title Grey, Anselm Lind, Ola","title":"A title","authors":["Grey, Anselm","Lind, Ola"],"venue":null,"year":null},
        {"n":2,"text":"Title two [j] not a marker","title":"Title two","authors":["[j] not a marker"],"venue":null,"year":null}])"));
    // Title and source line only: no authors.
    CHECK(field(titled("相关论文\n• [1] T\n  [M]. P, 2000\n"), "references") ==
          js(R"([{"n":1,"text":"T [M]. P, 2000","title":"T","authors":[],"venue":"P","year":2000}])"));
}

TEST_CASE("seed format: inside a reference section indentation decides", "[seed]") {
    // An indented label-like line is a continuation of the reference item.
    const Record record = only_record(titled("相关论文\n• [1] T\n    DOI: 10.1/x\n    作者\n  [J]. V, 2001\n"));
    CHECK_FALSE(record.doi);
    REQUIRE(record.references.size() == 1);
    CHECK(record.references[0].authors == std::vector<std::string>{"DOI: 10.1/x", "作者"});

    // A label at column 1 ends the section and applies to the same record.
    const Record after = only_record(titled("相关论文\n• [1] A, 2001, B\nD O I\n10.5555/after\n"));
    CHECK(after.doi == "10.5555/after");
    CHECK(after.references.size() == 1);

    // Text at column 1 is the next record's title, even an unknown-label lookalike.
    const ParseResult result = parse(titled("相关论文\n• [1] A, 2001, B\n通讯作者：张伟\n作者\n张伟\n"));
    REQUIRE(result.records.size() == 2);
    CHECK(result.records[1].title == "通讯作者：张伟");
}

// ---- records and boundaries (§5, §8) ----------------------------------------------------------

TEST_CASE("seed format: several records per file keep file order, lines and indices", "[seed]") {
    const std::string text =
        "First record\n被引:1\n作者\nA\n摘要\nText one.\n"   // after a block: found by look-ahead
        "Second record\n\n作者\nB\n页数:3\n"                   // no 被引
        "Third record\n被引:5\n相关论文\n• [1] X, 2001, Y\n"   // after a closed label
        "Fourth record\n摘要\nOnly an abstract.\n";            // after references, no 被引 / 作者
    const ParseResult result = parse(text);
    REQUIRE(result.errors.empty());
    REQUIRE(result.records.size() == 4);
    const std::vector<std::string> titles = {"First record", "Second record", "Third record", "Fourth record"};
    const std::vector<int> lines = {1, 7, 12, 16};
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(result.records[i].title == titles[i]);
        CHECK(result.records[i].source.line == lines[i]);
        CHECK(result.records[i].source.index == static_cast<int>(i));
        CHECK(result.records[i].source.file == "dir/test.txt");
    }
    CHECK(parse_result_to_json(result).at("meta").at(3) ==
          js(R"({"index":3,"line":16,"id":"test.txt#3"})"));
}

TEST_CASE("seed format: a record after an open block without 被引 or 作者 merges into the block", "[seed]") {
    const Record record = only_record("First\n摘要\nText.\nNot a title\n关键词\nk\n");
    CHECK(record.abstract == "Text.\nNot a title");
}

TEST_CASE("seed format: missing_title is reported and parsing continues", "[seed]") {
    const std::string text =
        "Good one\n被引:1\n作者\nA\n页数:2\n"
        "被引:7\n作者\nB\n"                        // opens a record without title (index 1, line 6)
        "Good two\n\n被引:3\n作者\nC\n";
    const ParseResult result = parse(text);
    REQUIRE(result.records.size() == 2);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].code == "missing_title");
    CHECK(result.errors[0].index == 1);
    CHECK(result.errors[0].line == 6);
    CHECK(result.errors[0].file == "dir/test.txt");
    CHECK(result.errors[0].message.find("被引") != std::string::npos);
    CHECK(result.records[0].source.index == 0);
    CHECK(result.records[1].source.index == 2);
    CHECK(result.records[1].source.line == 9);
    CHECK(parse_result_to_json(result).at("errors") == js(R"([{"index":1,"line":6,"code":"missing_title"}])"));

    // A file that starts with a label, and 作者 after a closed core label.
    const ParseResult first = parse("作者\nA\n页数:2\n作者\nB\n");
    REQUIRE(first.errors.size() == 2);
    CHECK(first.errors[0].line == 1);
    CHECK(first.errors[1].line == 4);
    CHECK(first.errors[1].index == 1);
    CHECK(first.records.empty());
    CHECK_FALSE(first.file_error);
    CHECK(parse("D O I\n10.5555/x\n").errors.at(0).message ==
          "record starts with label DOI but has no title line");
}

TEST_CASE("seed format: after an open block the last line becomes the next title (accepted reading)", "[seed]") {
    const ParseResult result = parse("Title\n被引:1\n摘要\nLine one.\nLine two.\n被引:2\n作者\nB\n");
    REQUIRE(result.errors.empty());
    REQUIRE(result.records.size() == 2);
    CHECK(result.records[0].abstract == "Line one.");
    CHECK(result.records[1].title == "Line two.");
}

TEST_CASE("seed format: no_fields for a title without any label", "[seed]") {
    const ParseResult result = parse("EXPORT 2024-05-01 (3 records)\nReal title\n\n被引:4\n作者\nA\n");
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].code == "no_fields");
    CHECK(result.errors[0].line == 1);
    CHECK(result.errors[0].index == 0);
    REQUIRE(result.records.size() == 1);
    CHECK(result.records[0].title == "Real title");
    CHECK(result.records[0].source.index == 1);
    CHECK(result.records[0].source.line == 2);

    // Two text lines after a closed label: each is its own title.
    const ParseResult trailing = parse("Title\n页数:2\nstray one\nstray two\n");
    REQUIRE(trailing.records.size() == 1);
    REQUIRE(trailing.errors.size() == 2);
    CHECK(trailing.errors[1].line == 4);
}

TEST_CASE("seed format: a record with only a valueless or extra label is a record", "[seed]") {
    const ParseResult result = parse("Title one\n收藏\nTitle two\n基金：G\n被引:1\n");
    REQUIRE(result.errors.empty());
    REQUIRE(result.records.size() == 2);
    CHECK(result.records[1].extra == std::vector<std::pair<std::string, std::string>>{{"基金", "G"}});
    CHECK(result.records[1].cited_by == 1);
}

TEST_CASE("seed format: bad_encoding for NUL bytes and anything that is not strict UTF-8", "[seed]") {
    const std::string good = kFullRecord;
    struct EncodingCase {
        const char* name;
        std::string bytes;
    };
    const std::vector<EncodingCase> cases = {
        {"invalid byte", good + "\xFF"},
        {"lone continuation byte", "\x80" + good},
        {"truncated sequence at the end", good + "\xE6\x91"},
        {"overlong slash", good + "\xC0\xAF"},
        {"overlong three-byte", good + "\xE0\x80\xAF"},
        {"overlong four-byte", good + "\xF0\x80\x80\xAF"},
        {"UTF-16 surrogate", good + "\xED\xA0\x80"},
        {"beyond U+10FFFF", good + "\xF4\x90\x80\x80"},
        {"NUL byte", good.substr(0, 10) + std::string(1, '\0') + good.substr(10)},
        {"UTF-16LE with BOM", std::string("\xFF\xFE", 2) + std::string("T\0i\0t\0\n\0", 8)},
        {"UTF-16BE with BOM", std::string("\xFE\xFF", 2) + std::string("\0T\0i\0t\0\n", 8)},
        {"UTF-16LE of 作者", std::string("\x5C\x4F\x05\x80\x0A\x00", 6)},
        {"GBK title and label", "\xB5\xE7\xD7\xD3\xD5\xFE\xCE\xF1\n\xD7\xF7\xD5\xDF\n\xD5\xC5\xCE\xB0\n"},
        {"GBK 作者 after a good record", good + "\n\xD7\xF7\xD5\xDF\n"},
    };
    for (const auto& c : cases) {
        INFO("case: " << c.name);
        CHECK(file_error_code(c.bytes) == "bad_encoding");
    }
    const ParseResult result = parse(good + "\xFF");
    REQUIRE(result.file_error);
    CHECK(result.file_error->message.find("offset") != std::string::npos);
    // The largest valid code points are accepted.
    CHECK_FALSE(parse(titled("摘要\n\xF4\x8F\xBF\xBF \xEF\xBF\xBD\n")).file_error);
}

TEST_CASE("seed format: no_records for files without any core label line", "[seed]") {
    for (const char* text : {"", "\n\n", " \t\u3000\n\r\n", "\xEF\xBB\xBF",
                             "Just some prose about libraries.\nIt has two lines: and a colon.\n",
                             "被引 12\n作者们都很好\n", "备注：没有核心标签\n"}) {
        INFO("input: " << text);
        CHECK(file_error_code(text) == "no_records");
    }
}

// ---- robustness -------------------------------------------------------------------------------

namespace {

/// Invariants that hold for every input: a file error excludes records and errors; otherwise
/// there is at least one record or error, and indices are unique and ascending in line order.
void check_invariants(std::string_view bytes) {
    const ParseResult result = parse(bytes);
    if (result.file_error) {
        CHECK(result.records.empty());
        CHECK(result.errors.empty());
        return;
    }
    REQUIRE((!result.records.empty() || !result.errors.empty()));
    std::vector<std::pair<int, int>> found;   // (index, line)
    for (const auto& record : result.records) found.emplace_back(record.source.index, record.source.line);
    for (const auto& error : result.errors) found.emplace_back(error.index, error.line);
    std::sort(found.begin(), found.end());
    for (std::size_t i = 0; i < found.size(); ++i) {
        CHECK(found[i].first == static_cast<int>(i));
        if (i > 0) CHECK(found[i].second > found[i - 1].second);
    }
    for (const auto& record : result.records) CHECK_NOTHROW(scholarsearch::record::to_seed_json(record));
}

/// Deterministic generator so that a failure is reproducible.
class Lcg {
public:
    explicit Lcg(std::uint64_t seed) : state_(seed) {}
    std::uint32_t next() {
        state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>(state_ >> 33);
    }

private:
    std::uint64_t state_;
};

std::vector<std::string> fixture_texts() {
    std::vector<std::string> texts{kFullRecord};
    std::vector<fs::path> directories{fs::path(TEST_DATA_DIR) / "seed_format"};
#if HAVE_SHARED_DATA
    directories.push_back(fs::path(SHARED_DATA_DIR) / "seed-format");
#endif
    for (const auto& directory : directories)
        for (const auto& file : text_files_in(directory)) texts.push_back(read_file(file));
    return texts;
}

}  // namespace

TEST_CASE("seed format: random bytes never crash", "[seed][robustness]") {
    Lcg random(20240501);
    for (int round = 0; round < 2000; ++round) {
        std::string bytes(random.next() % 300, '\0');
        for (char& byte : bytes) byte = static_cast<char>(random.next() & 0xFF);
        check_invariants(bytes);
    }
}

TEST_CASE("seed format: random sequences of format tokens never crash", "[seed][robustness]") {
    static const std::vector<std::string> kTokens = {
        "被引", "作者", "机构", "关键词", "D O I", "中图分类号", "学科分类号", "摘　要", "引用", "收藏",
        "页码", "页数", "相关论文", "基金", "通讯作者", "目的", ":", "：", "\n", "\r\n", "\r", "\n\n",
        " ", "\t", "\u3000", "  • ", "·", "[", "]", "［", "］", "[1]", "[J].", "[EB/OL]", "共 3 条",
        "1", "２", ",", "，", ";", "；", "、", "/", "-", "2019", "1,024", "e12", "Title", "张伟",
        "\xEF\xBB\xBF", "[Anonymous]", "https://doi.org/", "10.5555/x", "\u2028", "\U00020000"};
    Lcg random(7);
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const std::uint32_t count = random.next() % 60;
        for (std::uint32_t i = 0; i < count; ++i) text += kTokens[random.next() % kTokens.size()];
        check_invariants(text);
    }
}

TEST_CASE("seed format: every truncation of the fixtures parses without crashing", "[seed][robustness]") {
    for (const std::string& text : fixture_texts())
        for (std::size_t length = 0; length <= text.size(); ++length) check_invariants(std::string_view(text).substr(0, length));
}

TEST_CASE("seed format: fixtures with single corrupted bytes never crash", "[seed][robustness]") {
    Lcg random(99);
    for (const std::string& text : fixture_texts())
        for (int round = 0; round < 200 && !text.empty(); ++round) {
            std::string corrupted = text;
            corrupted[random.next() % corrupted.size()] = static_cast<char>(random.next() & 0xFF);
            check_invariants(corrupted);
        }
}
