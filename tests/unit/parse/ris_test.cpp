#include "parse/ris.hpp"
#include "parse/seed_format_text.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <tuple>
#include <string>
#include <utility>
#include <vector>

using namespace scholarsearch;
using namespace scholarsearch::parse;

namespace {

using Extra = std::vector<std::pair<std::string, std::string>>;

std::string example_text() {
    std::string text = testing::read_file(TEST_DATA_DIR "/ris/example.ris");
    REQUIRE(text.size() > 1000);
    return text;
}

/// One record made of `body` lines between "TY  - JOUR" and "ER  - ".
ParseResult parse_one(const std::string& body, const std::string& type = "JOUR") {
    return parse_ris("TY  - " + type + "\n" + body + "ER  - \n", "one.ris");
}

/// The single record of `body`; fails the test if there is not exactly one and no error.
record::Record one(const std::string& body, const std::string& type = "JOUR") {
    ParseResult result = parse_one(body, type);
    INFO(body);
    REQUIRE(result.errors.empty());
    REQUIRE_FALSE(result.file_error);
    REQUIRE(result.records.size() == 1);
    return result.records[0];
}

std::vector<std::string> names(const record::Record& record) {
    std::vector<std::string> out;
    for (const auto& author : record.authors) out.push_back(author.name);
    return out;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size())
        text.replace(pos, from.size(), to);
    return text;
}

}  // namespace

TEST_CASE("ris: the example file gives four records with every mapped field") {
    ParseResult result = parse_ris(example_text(), "example.ris");
    CHECK(result.file == "example.ris");
    CHECK(result.errors.empty());
    CHECK_FALSE(result.file_error);
    REQUIRE(result.records.size() == 4);

    const record::Record& journal = result.records[0];
    CHECK(journal.source == record::SourceLocation{"example.ris", 1, 0});
    CHECK(journal.title == "Open government data portals and citizen participation: a survey of municipal practice");
    CHECK(names(journal) == std::vector<std::string>{"Picazo-Vela, Sergio", "Okafor, Adaeze N.", "Lindqvist, Maja"});
    for (const auto& author : journal.authors) CHECK(author.affiliation_refs.empty());
    CHECK(journal.affiliations ==
          std::vector<record::Affiliation>{
              {1, "Universidad de las Américas Puebla, Department of Business Administration, Mexico"},
              {2, "School of Information, Northbridge University, USA"}});
    CHECK(journal.year == 2019);
    CHECK(journal.venue == "Government Information Quarterly");
    CHECK(journal.pages == record::Pages{"233", "248"});
    CHECK(journal.doi == "10.1016/j.giq.2019.01.007");
    CHECK(journal.keywords ==
          std::vector<std::string>{"open data", "e-government", "transparency", "citizen participation"});
    CHECK(journal.abstract ==
          "Municipal open data portals promise more transparent government, yet little is known about how "
          "citizens actually use them. We surveyed 312 municipalities and 1,204 portal users and find that "
          "participation depends more on data quality than on portal features.");
    CHECK(journal.language == "en");
    CHECK(journal.id == "giq-2019-0007");
    CHECK_FALSE(journal.cited_by);
    CHECK(journal.extra == Extra{{"TY", "JOUR"},
                                 {"PY", "2019/05/12/"},
                                 {"DA", "2019/05/12/"},
                                 {"J2", "Gov. Inf. Q."},
                                 {"VL", "36"},
                                 {"IS", "2"},
                                 {"UR", "https://www.example.org/article/S0740-624X(19)30007-1"},
                                 {"SN", "0740-624X"},
                                 {"PB", "Elsevier"},
                                 {"AN", "WOS:000467000100004"},
                                 {"N1", "Special issue on digital government"},
                                 {"M3", "Article"}});

    const record::Record& chapter = result.records[1];
    CHECK(chapter.source == record::SourceLocation{"example.ris", 34, 1});
    CHECK(chapter.title == "Evaluating retrieval systems with graded relevance");
    CHECK(names(chapter) == std::vector<std::string>{"Moreau, Claire"});
    CHECK(chapter.venue == "Handbook of Information Retrieval Evaluation");   // BT of a CHAP
    CHECK(chapter.year == 2018);
    CHECK(chapter.pages == record::Pages{"45", "67"});
    CHECK(chapter.abstract ==
          "Graded relevance judgements change which system looks best. This chapter reviews nDCG, ERR and their "
          "pitfalls.");
    CHECK(chapter.doi == "10.1007/978-3-030-12345-6_4");
    CHECK(chapter.extra == Extra{{"TY", "CHAP"},
                                 {"ED", "Hartmann, Jonas"},
                                 {"A2", "Suzuki, Haruto"},
                                 {"Y1", "2018"},
                                 {"CY", "Cham"},
                                 {"PB", "Springer"}});

    const record::Record& chinese = result.records[2];
    CHECK(chinese.source == record::SourceLocation{"example.ris", 49, 2});
    CHECK(chinese.title == "高校图书馆数字资源 使用行为研究");
    CHECK(names(chinese) == std::vector<std::string>{"张伟", "李娜"});
    CHECK(chinese.affiliations == std::vector<record::Affiliation>{{1, "武汉大学信息管理学院"}});
    CHECK(chinese.venue == "中国图书馆学报");
    CHECK(chinese.year == 2021);
    CHECK(chinese.keywords == std::vector<std::string>{"数字图书馆", "知识服务", "用户行为"});
    CHECK(chinese.abstract ==
          "本文基于某高校图书馆三年的访问日志，分析了读者使用数字资源的行为特征， 并提出了改进服务的建议。");
    CHECK(chinese.language == "zh");
    CHECK(chinese.pages == record::Pages{"e1023", std::nullopt});
    CHECK_FALSE(chinese.doi);

    const record::Record& conference = result.records[3];
    CHECK(conference.source == record::SourceLocation{"example.ris", 66, 3});
    CHECK(conference.venue == "Proceedings of the 43rd International ACM SIGIR Conference");
    CHECK(conference.year == 2020);
    CHECK(conference.doi == "10.1145/3397271.3401075");   // from the doi.org UR
    CHECK(conference.abstract == "We show that sparse lexical features remain competitive.");
    CHECK(conference.extra == Extra{{"TY", "CONF"},
                                    {"PY", "2020///"},
                                    {"UR", "https://doi.org/10.1145/3397271.3401075"},
                                    {"N2", "An earlier abstract kept by the reference manager."}});
}

TEST_CASE("ris: CRLF line ends, a byte order mark and trailing spaces give the same records") {
    const std::string lf = example_text();
    const ParseResult expected = parse_ris(lf, "x.ris");
    REQUIRE(expected.records.size() == 4);
    const std::vector<std::string> variants{
        "\xEF\xBB\xBF" + replace_all(lf, "\n", "\r\n"),
        replace_all(lf, "\n", "   \n"),
        "\xEF\xBB\xBF" + replace_all(lf, "\n", " \t\r\n"),
        replace_all(lf, "\n", "\r"),   // classic Mac OS line ends
    };
    for (std::size_t i = 0; i < variants.size(); ++i) {
        INFO("variant " << i);
        ParseResult result = parse_ris(variants[i], "x.ris");
        CHECK(result.errors.empty());
        CHECK_FALSE(result.file_error);
        CHECK(result.records == expected.records);
    }
}

TEST_CASE("ris: single-valued fields take the first match in the documented order") {
    struct Row {
        std::string body;
        std::string type;
        std::string title;
        std::optional<std::string> venue;
    };
    const std::vector<Row> rows{
        {"TI  - Main\nT1  - Other\n", "JOUR", "Main", std::nullopt},
        {"T1  - First\nTI  - Second\n", "JOUR", "First", std::nullopt},
        {"TI  -\nT1  - Not empty\n", "JOUR", "Not empty", std::nullopt},
        {"CT  - Caption\nBT  - Whole book\n", "BOOK", "Caption", std::nullopt},
        {"BT  - Whole book\n", "BOOK", "Whole book", std::nullopt},
        {"TI  - Chapter\nBT  - The book\n", "CHAP", "Chapter", "The book"},
        {"TI  - T\nJ2  - Abbr.\nJA  - Abbrev\nJO  - Journal\nJF  - Full\nT2  - Secondary\n", "JOUR", "T", "Secondary"},
        {"TI  - T\nJ2  - Abbr.\nJA  - Abbrev\nJO  - Journal\nJF  - Full\n", "JOUR", "T", "Full"},
        {"TI  - T\nJ2  - Abbr.\nJA  - Abbrev\nJO  - Journal\n", "JOUR", "T", "Journal"},
        {"TI  - T\nJ2  - Abbr.\nJA  - Abbrev\n", "JOUR", "T", "Abbrev"},
        {"TI  - T\nJ1  - One\nJ2  - Two\n", "JOUR", "T", "One"},
        {"TI  - T\nBT  - Book\nJ2  - Two\n", "CHAP", "T", "Two"},
        {"TI  - T\nBT  - Book title\n", "JOUR", "T", std::nullopt},
    };
    for (const auto& row : rows) {
        record::Record record = one(row.body, row.type);
        CHECK(record.title == row.title);
        CHECK(record.venue == row.venue);
    }
    // The fields not used go to extra, in file order.
    record::Record record = one("TI  - Main\nT1  - Other\nJO  - Journal\nT2  - Secondary\nST  - Short\n");
    CHECK(record.extra == Extra{{"TY", "JOUR"}, {"T1", "Other"}, {"JO", "Journal"}, {"ST", "Short"}});
}

TEST_CASE("ris: abstract, year, DOI, pages, language and id") {
    SECTION("AB wins over N2, whichever comes first") {
        record::Record record = one("N2  - Notes abstract\nAB  - Real abstract\n");
        CHECK(record.abstract == "Real abstract");
        CHECK(record.extra == Extra{{"TY", "JOUR"}, {"N2", "Notes abstract"}});
        CHECK(one("N2  - Only N2\n").abstract == "Only N2");
    }
    SECTION("year: PY, then Y1, then DA; raw values kept") {
        const std::vector<std::pair<std::string, std::optional<int>>> rows{
            {"PY  - 2019///\n", 2019},
            {"DA  - 2001/02/03\nY1  - 1999\nPY  - 2015\n", 2015},
            {"DA  - 2001/02/03\nY1  - 1999\n", 1999},
            {"PY  - n.d.\nDA  - Spring 2007\n", 2007},
            {"PY  - 20190512\n", std::nullopt},
            {"PY  - 0999/3000/12345\n", std::nullopt},
            {"PY  - 3000 or 1888\n", 1888},
            {"", std::nullopt},
        };
        for (const auto& [body, year] : rows) {
            INFO(body);
            record::Record record = one("TI  - T\n" + body);
            CHECK(record.year == year);
        }
        CHECK(one("TI  - T\nPY  - 2019/05/12/\n").extra == Extra{{"TY", "JOUR"}, {"PY", "2019/05/12/"}});
    }
    SECTION("DOI prefixes are removed, case is kept") {
        const std::vector<std::pair<std::string, std::string>> rows{
            {"DO  - 10.1000/ABC.def\n", "10.1000/ABC.def"},
            {"DO  - https://doi.org/10.1000/X\n", "10.1000/X"},
            {"DO  - http://dx.doi.org/10.1000/X\n", "10.1000/X"},
            {"DO  - HTTPS://DOI.ORG/10.1000/X\n", "10.1000/X"},
            {"DO  - doi:10.1000/X\n", "10.1000/X"},
            {"DO  - DOI: 10.1000/X\n", "10.1000/X"},
            {"DO  - 10.1000/first\nDO  - 10.1000/second\n", "10.1000/first"},
            {"UR  - http://example.org/x\nUR  - http://dx.doi.org/10.1000/Y\n", "10.1000/Y"},
            {"DO  - 10.1000/from-do\nUR  - https://doi.org/10.1000/from-ur\n", "10.1000/from-do"},
        };
        for (const auto& [body, doi] : rows) {
            INFO(body);
            CHECK(one(body).doi == doi);   // no title: the DOI alone keeps the record
        }
        CHECK(one("DO  - 10.1000/first\nDO  - 10.1000/second\n").extra ==
              Extra{{"TY", "JOUR"}, {"DO", "10.1000/second"}});
        CHECK_FALSE(one("TI  - T\nUR  - https://example.org/10.1000/X\n").doi);
    }
    SECTION("pages") {
        const std::vector<std::pair<std::string, record::Pages>> rows{
            {"SP  - 100\nEP  - 110\n", {"100", "110"}},
            {"SP  - 100-110\n", {"100", "110"}},
            {"SP  - S12 - S15\n", {"S12", "S15"}},
            {"SP  - 100\xE2\x80\x93" "110\n", {"100", "110"}},
            {"SP  - 12\xE2\x80\x94" "15\n", {"12", "15"}},   // em dash
            {"SP  - 100-\n", {"100", std::nullopt}},
            {"SP  - e1023\n", {"e1023", std::nullopt}},
            {"EP  - 9\n", {std::nullopt, "9"}},
            {"SP  - 100-110\nEP  - 120\n", {"100-110", "120"}},
        };
        for (const auto& [body, pages] : rows) {
            INFO(body);
            CHECK(one("TI  - T\n" + body).pages == pages);
        }
        CHECK_FALSE(one("TI  - T\n").pages);
    }
    SECTION("language, id and accession number") {
        CHECK(one("TI  - T\nLA  - EN\n").language == "en");
        CHECK(one("TI  - T\nLA  - ENG\n").language == "eng");
        CHECK(one("TI  - T\nLA  - English\n").language == "English");
        CHECK(one("TI  - T\nLA  - 中文\n").language == "中文");
        record::Record record = one("TI  - T\nID  - ref-42\nAN  - 12345\nID  - second\n");
        CHECK(record.id == "ref-42");
        CHECK(record.extra == Extra{{"TY", "JOUR"}, {"AN", "12345"}, {"ID", "second"}});
        CHECK_FALSE(one("TI  - T\n").id);
    }
}

TEST_CASE("ris: repeated tags, keywords, authors and unknown tags") {
    record::Record record = one(
        "TI  - T\nAU  - Smith, John\nA1  - 王芳\nAU  -\nA2  - Editor, Ed\nA3  - Series, Ed\n"
        "KW  - alpha ; beta;;gamma\nKW  - 数据挖掘；机器学习\nKW  -\nKW  - delta\n"
        "AD  - Lab A\nAD  - Lab B\nAD  - Lab C\nZZ  - unknown   tag value\nC7  - 101\nL1  - file:///x.pdf\n");
    CHECK(names(record) == std::vector<std::string>{"Smith, John", "王芳"});
    CHECK(record.keywords == std::vector<std::string>{"alpha", "beta", "gamma", "数据挖掘", "机器学习", "delta"});
    CHECK(record.affiliations ==
          std::vector<record::Affiliation>{{1, "Lab A"}, {2, "Lab B"}, {3, "Lab C"}});
    CHECK(record.extra == Extra{{"TY", "JOUR"},
                                {"A2", "Editor, Ed"},
                                {"A3", "Series, Ed"},
                                {"ZZ", "unknown tag value"},
                                {"C7", "101"},
                                {"L1", "file:///x.pdf"}});
}

TEST_CASE("ris: continuation lines and lenient tag lines") {
    SECTION("a line that is not a tag line continues the previous field") {
        record::Record record = one(
            "TI  - A title that\n   wraps\nAB  - First line\n\n  second   line\nthird line\n"
            "KW  - one;\n two\n");
        CHECK(record.title == "A title that wraps");
        CHECK(record.abstract == "First line second line third line");
        CHECK(record.keywords == std::vector<std::string>{"one", "two"});
    }
    SECTION("one or more spaces before the dash; value may be missing") {
        ParseResult result = parse_ris("TY - JOUR\nTI - One space\nAU     - Wide, Gap\nPY\t- 2001\nER -\n", "l.ris");
        REQUIRE(result.records.size() == 1);
        CHECK(result.errors.empty());
        CHECK(result.records[0].title == "One space");
        CHECK(names(result.records[0]) == std::vector<std::string>{"Wide, Gap"});
        CHECK(result.records[0].year == 2001);
    }
    SECTION("lines that only look like tags continue the value") {
        record::Record record = one("AB  - Growth in the\nUS -based firms\nab  - lower case\nT - short\n");
        CHECK(record.abstract == "Growth in the US -based firms ab - lower case T - short");
        CHECK(record.extra == Extra{{"TY", "JOUR"}});
    }
}

TEST_CASE("ris: a record without ER ends at the next TY or at the end of the text") {
    const std::string text =
        "TY  - JOUR\nTI  - No ER here\nAU  - A, B\n"
        "TY  - JOUR\nTI  - Second\nER  - \n"
        "TY  - BOOK\nTI  - Truncated at the end\nAB  - The file was cut in the mid";
    ParseResult result = parse_ris(text, "t.ris");
    CHECK(result.errors.empty());
    CHECK_FALSE(result.file_error);
    REQUIRE(result.records.size() == 3);
    CHECK(result.records[0].title == "No ER here");
    CHECK(result.records[0].source == record::SourceLocation{"t.ris", 1, 0});
    CHECK(result.records[1].source == record::SourceLocation{"t.ris", 4, 1});
    CHECK(result.records[2].source == record::SourceLocation{"t.ris", 7, 2});
    CHECK(result.records[2].abstract == "The file was cut in the mid");

    // Cut right after the TY line: nothing to keep, reported as empty.
    ParseResult cut = parse_ris("TY  - JOUR\nTI  - Kept\nER  -\nTY  - JOUR", "c.ris");
    REQUIRE(cut.records.size() == 1);
    REQUIRE(cut.errors.size() == 1);
    CHECK(cut.errors[0].code == "empty_record");
    CHECK(cut.errors[0].line == 4);
    CHECK(cut.errors[0].index == 1);
}

TEST_CASE("ris: a record with bad bytes is rejected with its line and index, the others are kept") {
    struct Row {
        std::string bad_line;
        std::string message_start;
    };
    const std::vector<Row> rows{
        {"AB  - caf\xE9 au lait", "invalid UTF-8 at column 10 (0xE9)"},
        {std::string("AB  - nul\0byte", 14), "NUL byte at column 10"},
        {"KW  - \xED\xA0\x80 surrogate", "invalid UTF-8 at column 7 (0xED)"},
        {"TI  - truncated \xE4\xB8", "invalid UTF-8 at column 17 (0xE4)"},
        {"   continuation \xFF", "invalid UTF-8 at column 17 (0xFF)"},
    };
    for (const auto& row : rows) {
        INFO(row.message_start);
        const std::string text = "TY  - JOUR\nTI  - Good one\nER  - \n\n"
                                 "TY  - JOUR\nTI  - Bad one\nAU  - X, Y\n" +
                                 row.bad_line + "\nER  - \n"
                                 "TY  - JOUR\nTI  - Good two\nER  - \n";
        ParseResult result = parse_ris(text, "bad.ris");
        REQUIRE(result.records.size() == 2);
        CHECK(result.records[0].title == "Good one");
        CHECK(result.records[1].title == "Good two");
        CHECK(result.records[1].source == record::SourceLocation{"bad.ris", 10, 2});
        REQUIRE(result.errors.size() == 1);
        const record::Diagnostic& error = result.errors[0];
        CHECK(error.code == "bad_encoding");
        CHECK(error.line == 8);
        CHECK(error.index == 1);
        CHECK(error.message.rfind(row.message_start, 0) == 0);
        CHECK(record::format_diagnostic(error).rfind("bad.ris:8: error: ", 0) == 0);
        CHECK_FALSE(result.file_error);
    }
    // Bad bytes on the TY line itself, the first line of the file.
    ParseResult first = parse_ris("TY  - JO\xC0\xAFUR\nTI  - T\nER  -\nTY  - JOUR\nTI  - Fine\nER  -\n", "f.ris");
    REQUIRE(first.errors.size() == 1);
    CHECK(first.errors[0].line == 1);
    CHECK(first.errors[0].index == 0);
    REQUIRE(first.records.size() == 1);
    CHECK(first.records[0].source.index == 1);
}

TEST_CASE("ris: a record with no title, abstract or DOI is rejected and keeps its index") {
    const std::string text =
        "TY  - JOUR\nTI  - First\nER  - \n"
        "TY  - JOUR\nAU  - Lonely, Author\nPY  - 2000\nKW  - nothing\nTI  -   \nER  - \n"
        "TY  - JOUR\nER  - \n"
        "TY  - JOUR\nAB  - Only an abstract\nER  - \n"
        "TY  - JOUR\nDO  - 10.1/only-doi\nER  - \n";
    ParseResult result = parse_ris(text, "e.ris");
    REQUIRE(result.errors.size() == 2);
    CHECK(result.errors[0].code == "empty_record");
    CHECK(result.errors[0].line == 4);
    CHECK(result.errors[0].index == 1);
    CHECK(result.errors[0].message.find("no title") != std::string::npos);
    CHECK(result.errors[1].line == 10);
    CHECK(result.errors[1].index == 2);
    REQUIRE(result.records.size() == 3);
    CHECK(result.records[1].source == record::SourceLocation{"e.ris", 12, 3});
    CHECK(result.records[1].title.empty());
    CHECK(result.records[2].doi == "10.1/only-doi");
    CHECK(result.records[2].source.index == 4);
}

TEST_CASE("ris: text outside records is reported once per stretch and takes no index") {
    const std::string text =
        "Exported from SomeManager 9\nDate: today\n\n"
        "TY  - JOUR\nTI  - One\nER  - \n"
        "\n"
        "stray line\n\nTI  - tag line outside a record\nER  - \n\n"
        "TY  - JOUR\nTI  - Two\nER  - \n"
        "\n   \n"
        "TY  - JOUR\nTI  - Three\nER  - \n"
        "trailing junk";
    ParseResult result = parse_ris(text, "g.ris");
    REQUIRE(result.records.size() == 3);
    CHECK(result.records[1].source == record::SourceLocation{"g.ris", 13, 1});
    CHECK(result.records[2].source == record::SourceLocation{"g.ris", 18, 2});
    REQUIRE(result.errors.size() == 3);
    for (const auto& error : result.errors) {
        CHECK(error.code == "stray_text");
        CHECK(error.index == -1);
    }
    CHECK(result.errors[0].line == 1);
    CHECK(result.errors[0].message.find("lines 1 to 2") != std::string::npos);
    CHECK(result.errors[1].line == 8);
    CHECK(result.errors[1].message.find("lines 8 to 11") != std::string::npos);
    CHECK(result.errors[2].line == 21);
    CHECK(result.errors[2].message.find("line 21)") != std::string::npos);
    CHECK_FALSE(result.file_error);
}

TEST_CASE("ris: input without a record is a file error") {
    const std::vector<std::string> inputs{"", "\n\n", "\xEF\xBB\xBF", "  \r\n\t\n", "just some text\n",
                                          "TI  - no TY line\nER  -\n"};
    for (const auto& text : inputs) {
        INFO(text);
        ParseResult result = parse_ris(text, "empty.ris");
        CHECK(result.records.empty());
        REQUIRE(result.file_error);
        CHECK(result.file_error->code == "no_records");
        CHECK(result.file_error->index == -1);
    }
    CHECK(parse_ris("", "empty.ris").errors.empty());
    CHECK(parse_ris("text\n", "empty.ris").errors.size() == 1);
}

TEST_CASE("ris: a record longer than the limit is skipped and the next one is read") {
    std::string text = "TY  - JOUR\nTI  - Huge\nAB  - ";
    const std::string chunk(1000, 'x');
    for (int i = 0; i < 1100; ++i) text += chunk + "\n";
    text += "ER  - \nTY  - JOUR\nTI  - After\nER  - \n";
    ParseResult result = parse_ris(text, "big.ris");
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].code == "record_too_long");
    CHECK(result.errors[0].line == 1);
    CHECK(result.errors[0].index == 0);
    REQUIRE(result.records.size() == 1);
    CHECK(result.records[0].title == "After");
    CHECK(result.records[0].source == record::SourceLocation{"big.ris", 1104, 1});
}

TEST_CASE("ris: many records in linear time with the right lines and indexes") {
    std::string text;
    for (int i = 0; i < 20000; ++i)
        text += "TY  - JOUR\nTI  - Record " + std::to_string(i) + "\nAB  - line one\n  line two\nER  - \n\n";
    ParseResult result = parse_ris(text, "many.ris");
    REQUIRE(result.records.size() == 20000);
    CHECK(result.errors.empty());
    CHECK(result.records[12345].title == "Record 12345");
    CHECK(result.records[12345].source == record::SourceLocation{"many.ris", 12345 * 6 + 1, 12345});
    CHECK(result.records[12345].abstract == "line one line two");
}

TEST_CASE("page ranges split at the first run of dashes, for RIS and BibTeX alike") {
    // Rows: text, first page, last page.
    const std::vector<std::tuple<std::string, std::string, std::optional<std::string>>> rows{
        {"12-15", "12", "15"},
        {"12--15", "12", "15"},
        {"12---15", "12", "15"},
        {"12\u201015", "12", "15"},   // hyphen
        {"12\u201115", "12", "15"},   // non-breaking hyphen
        {"12\u201215", "12", "15"},   // figure dash
        {"12\u201315", "12", "15"},   // en dash
        {"12\u201415", "12", "15"},   // em dash
        {"12\u221215", "12", "15"},   // minus sign
        {"12\u2015" "15", "12\u2015" "15", std::nullopt},   // horizontal bar is no page-range dash
        {"12 - 15", "12", "15"},
        {"  12  \u2013\u00A015 ", "12", "15"},
        {"12-\u201315", "12", "15"},
        {"S12\u2013S15", "S12", "S15"},
        {"\u7B2C12\u2013\u7B2C15", "\u7B2C12", "\u7B2C15"},
        {"12-15-20", "12", "15-20"},
        {"e1023", "e1023", std::nullopt},
        {" 45 ", "45", std::nullopt},
        {"12\u00B7" "15", "12\u00B7" "15", std::nullopt},   // middle dot: multi-byte but no dash
        {"12\u0413" "15", "12\u0413" "15", std::nullopt},   // a continuation byte 0x93 as in U+2013
        {"-12", "-12", std::nullopt},
        {"12-", "12", std::nullopt},   // an open range: from page 12
        {"12 \u2014 ", "12", std::nullopt},
        {"12\uFF0D15", "12", "15"},   // full-width hyphen-minus
        {"-12-15", "-12-15", std::nullopt},
        {"--", "--", std::nullopt},
        {"12\uFF0E15", "12\uFF0E15", std::nullopt},   // full-width full stop: no dash
        {"", "", std::nullopt},
    };
    for (const auto& [text, first, last] : rows) {
        INFO(text);
        CHECK(parse::seed::split_page_range(text) == record::Pages{first, last});
    }
}
