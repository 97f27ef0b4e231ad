#include "parse/wos.hpp"

#include "parse/line_source.hpp"
#include "text/utf8.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <random>
#include <set>

using namespace scholarsearch;
using namespace scholarsearch::parse;
using scholarsearch::testing::read_file;

namespace {

const std::string example_path = TEST_DATA_DIR "/wos/example.txt";

using Extra = std::vector<std::pair<std::string, std::string>>;

/// The value of the first extra entry with this tag, or "" (absent).
std::string extra_of(const record::Record& record, const std::string& tag) {
    for (const auto& [key, value] : record.extra)
        if (key == tag) return value;
    return "";
}

std::vector<std::string> extras_of(const record::Record& record, const std::string& tag) {
    std::vector<std::string> values;
    for (const auto& [key, value] : record.extra)
        if (key == tag) values.push_back(value);
    return values;
}

/// One record from the given field lines (wrapped in PT J ... ER); fails the test if it is rejected.
record::Record one(const std::string& lines) {
    ParseResult result = parse_wos("PT J\n" + lines + "\nER\n", "one.txt");
    INFO(lines);
    REQUIRE(result.errors.empty());
    REQUIRE(result.records.size() == 1);
    return result.records[0];
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

/// Every string a record holds.
std::vector<std::string> strings_of(const record::Record& r) {
    std::vector<std::string> all{r.title};
    for (const auto& a : r.authors) all.push_back(a.name);
    for (const auto& a : r.affiliations) all.push_back(a.name);
    all.insert(all.end(), r.keywords.begin(), r.keywords.end());
    all.insert(all.end(), r.disciplines.begin(), r.disciplines.end());
    for (const auto& field : {r.doi, r.abstract, r.id, r.venue, r.language})
        if (field) all.push_back(*field);
    if (r.pages) {
        if (r.pages->first) all.push_back(*r.pages->first);
        if (r.pages->last) all.push_back(*r.pages->last);
    }
    for (const auto& ref : r.references) {
        all.push_back(ref.text);
        all.insert(all.end(), ref.authors.begin(), ref.authors.end());
        if (ref.venue) all.push_back(*ref.venue);
    }
    for (const auto& [key, value] : r.extra) {
        all.push_back(key);
        all.push_back(value);
    }
    return all;
}

}  // namespace

TEST_CASE("wos: a realistic export becomes records with every mapped field") {
    const ParseResult result = parse_wos(read_file(example_path), example_path);
    CHECK(result.errors.empty());
    CHECK_FALSE(result.file_error);
    REQUIRE(result.records.size() == 3);

    record::Record expected;
    expected.title = "Open data portals and municipal trust: a panel study of forty Latin American cities";
    expected.venue = "GOVERNMENT INFORMATION QUARTERLY";
    expected.authors = {{"Moreno-Alvarez, Ramona", {1}}, {"Okafor, Chidi N.", {2}}, {"Lindqvist, Elin", {1}}};
    expected.affiliations = {{1, "Univ Nacl Autonoma Mexico, Inst Invest Sociales, Mexico City 04510, Mexico"},
                             {2, "Univ Lagos, Dept Polit Sci, Lagos, Nigeria"},
                             {3, "Natl Council Sci & Technol, Mexico City, Mexico"}};
    expected.language = "English";
    expected.keywords = {"open government data", "municipal trust", "Panel data", "E-GOVERNMENT", "TRUST",
                         "ADOPTION"};
    expected.abstract =
        "Municipal open data portals are often said to raise trust in local government. We follow forty cities "
        "over six years and find a small positive effect that fades without regular updates.";
    expected.cited_by = 12;
    expected.year = 2019;
    expected.pages = record::Pages{"101", "115"};
    expected.page_count = 15;
    expected.disciplines = {"Information Science & Library Science"};
    expected.id = "WOS:000493827100007";
    expected.doi = "10.1016/j.giq.2019.101384";
    expected.references = {
        {1, "[Anonymous], 2015, OP DAT CHART", std::nullopt, {"[Anonymous]"}, "OP DAT CHART", 2015},
        {2, "Bertot JC, 2010, GOV INFORM Q, V27, P264, DOI 10.1016/j.giq.2010.03.001", std::nullopt, {"Bertot JC"},
         "GOV INFORM Q", 2010},
        {3, "Welch EW, 2005, J PUBL ADM RES THEOR, V15, P371", std::nullopt, {"Welch EW"}, "J PUBL ADM RES THEOR",
         2005},
    };
    expected.extra = Extra{
        {"PT", "J"},
        {"AU", "Moreno-Alvarez, R\nOkafor, CN\nLindqvist, E"},   // one entry per label, a value per line
        {"DT", "Article"},
        {"RP",
         "Moreno-Alvarez, R (corresponding author), Univ Nacl Autonoma Mexico, Inst Invest Sociales, Mexico City "
         "04510, Mexico."},
        {"EM", "r.moreno@example.org"},
        {"FU", "Example Foundation [EF-2017-114]"},
        {"NR", "3"},
        {"Z9", "14"},
        {"U1", "2"},
        {"U2", "19"},
        {"PU", "ELSEVIER INC"},
        {"PI", "SAN DIEGO"},
        {"PA", "525 B ST, STE 1900, SAN DIEGO, CA 92101-4495 USA"},
        {"SN", "0740-624X"},
        {"EI", "1872-9517"},
        {"J9", "GOV INFORM Q"},
        {"JI", "Gov. Inf. Q."},
        {"PD", "OCT"},
        {"VL", "36"},
        {"IS", "4"},
        {"GA", "JB1XY"},
        {"XZ", "an unknown tag"},
    };
    expected.source = {example_path, 3, 0};
    CHECK(result.records[0] == expected);

    const record::Record& chinese = result.records[1];
    CHECK(chinese.source == record::SourceLocation{example_path, 56, 1});
    CHECK(chinese.title == "基于深度学习的中文科技文献自动分类研究");
    CHECK(chinese.abstract == "本文提出一种基于深度学习的中文科技文献自动分类方法， 在三个数据集上取得了较好的效果。");
    CHECK(chinese.venue == "情报学报");
    CHECK(chinese.language == "Chinese");
    CHECK(chinese.authors == std::vector<record::Author>{{"王晓明", {1}}, {"李娜", {1}}});
    CHECK(chinese.affiliations == std::vector<record::Affiliation>{{1, "北京大学信息管理系, 北京 100871, 中国"}});
    CHECK(chinese.keywords == std::vector<std::string>{"深度学习", "文本分类", "科技文献"});
    CHECK(chinese.disciplines == std::vector<std::string>{"Information Science & Library Science",
                                                          "Computer Science, Information Systems",
                                                          "Computer Science"});
    CHECK(chinese.year == 2021);
    CHECK(chinese.cited_by == 0);
    CHECK(chinese.pages == record::Pages{"245", "256"});
    CHECK(chinese.page_count == 12);
    CHECK(chinese.id == "WOS:000612345600003");
    CHECK_FALSE(chinese.doi);

    const record::Record& paper = result.records[2];
    CHECK(paper.source == record::SourceLocation{example_path, 80, 2});
    CHECK(paper.title == "Incremental indexing of citation graphs");
    CHECK(paper.venue == "PROCEEDINGS OF THE 12TH WORKSHOP ON SCHOLARLY SEARCH");
    // No AF: the AU names are the authors; an address without brackets names nobody.
    CHECK(paper.authors == std::vector<record::Author>{{"Tanaka, H", {}}, {"Novak, P", {}}});
    CHECK(paper.affiliations ==
          std::vector<record::Affiliation>{{1, "Brno Univ Technol, Fac Informat Technol, Brno, Czech Republic"}});
    CHECK(paper.language == "en");
    CHECK(paper.year == 2020);
    CHECK(paper.pages == record::Pages{"e1023", std::nullopt});
    CHECK(paper.doi == "10.5555/SSW.2020.e1023");
    CHECK_FALSE(paper.id);
    CHECK(paper.extra == Extra{{"PT", "C"},
                               {"CT", "12th Workshop on Scholarly Search"},
                               {"CY", "JUN 03-05, 2020"},
                               {"CL", "Brno, CZECH REPUBLIC"}});
}

TEST_CASE("wos: each tag goes to its field") {
    using Check = std::function<void(const record::Record&)>;
    // Rows: the field lines of one record (a TI is added when the row has none) and what to expect.
    const std::vector<std::pair<std::string, Check>> rows{
        {"TI  A   spaced   title  ", [](auto& r) { CHECK(r.title == "A spaced title"); }},
        {"SO NATURE COMMUNICATIONS", [](auto& r) { CHECK(r.venue == "NATURE COMMUNICATIONS"); }},
        {"J9 NAT COMMUN\nJI Nat. Commun.",
         [](auto& r) { CHECK(r.extra == Extra{{"PT", "J"}, {"J9", "NAT COMMUN"}, {"JI", "Nat. Commun."}}); }},
        {"AF Smith, John\nAU Smith, J", [](auto& r) {
             CHECK(r.authors == std::vector<record::Author>{{"Smith, John", {}}});
             CHECK(extra_of(r, "AU") == "Smith, J");
         }},
        {"AU Smith, J\n   Doe, A", [](auto& r) {
             CHECK(r.authors == std::vector<record::Author>{{"Smith, J", {}}, {"Doe, A", {}}});
             CHECK(extras_of(r, "AU").empty());
         }},
        {"AB An abstract.", [](auto& r) { CHECK(r.abstract == "An abstract."); }},
        {"PY 2008", [](auto& r) { CHECK(r.year == 2008); }},
        {"PD DEC 15\nPY 2008", [](auto& r) {
             CHECK(r.year == 2008);
             CHECK(extra_of(r, "PD") == "DEC 15");
         }},
        {"PD DEC 2008", [](auto& r) { CHECK(r.year == 2008); }},           // no PY: the date's year
        {"EA JAN 2021", [](auto& r) { CHECK(r.year == 2021); }},           // early access, no PY
        {"PY 20081", [](auto& r) {
             CHECK_FALSE(r.year);
             CHECK(extra_of(r, "PY") == "20081");
         }},
        {"DI 10.1000/ABC.def", [](auto& r) { CHECK(r.doi == "10.1000/ABC.def"); }},
        {"DI doi:10.1000/X", [](auto& r) { CHECK(r.doi == "10.1000/X"); }},
        {"DI https://doi.org/10.1000/X", [](auto& r) { CHECK(r.doi == "10.1000/X"); }},
        {"BP 5\nEP 9", [](auto& r) { CHECK(r.pages == record::Pages{"5", "9"}); }},
        {"BP S12", [](auto& r) { CHECK(r.pages == record::Pages{"S12", std::nullopt}); }},
        {"AR 104512", [](auto& r) { CHECK(r.pages == record::Pages{"104512", std::nullopt}); }},
        {"AR 104512\nBP 1\nEP 20", [](auto& r) {
             CHECK(r.pages == record::Pages{"1", "20"});
             CHECK(extra_of(r, "AR") == "104512");
         }},
        {"PG 15", [](auto& r) { CHECK(r.page_count == 15); }},
        {"PG XV", [](auto& r) {
             CHECK_FALSE(r.page_count);
             CHECK(extra_of(r, "PG") == "XV");
         }},
        {"TC 42\nZ9 45", [](auto& r) {
             CHECK(r.cited_by == 42);
             CHECK(extra_of(r, "Z9") == "45");
         }},
        {"TC -3", [](auto& r) {
             CHECK_FALSE(r.cited_by);
             CHECK(extra_of(r, "TC") == "-3");
         }},
        {"LA English", [](auto& r) { CHECK(r.language == "English"); }},
        {"LA ZH", [](auto& r) { CHECK(r.language == "zh"); }},
        {"LA Eng", [](auto& r) { CHECK(r.language == "eng"); }},
        {"UT WOS:000123456700001", [](auto& r) { CHECK(r.id == "WOS:000123456700001"); }},
        {"DE alpha; Beta;gamma ;\nID BETA; DELTA; Alpha", [](auto& r) {
             CHECK(r.keywords == std::vector<std::string>{"alpha", "Beta", "gamma", "DELTA"});
         }},
        {"ID ONLY PLUS", [](auto& r) { CHECK(r.keywords == std::vector<std::string>{"ONLY PLUS"}); }},
        {"WC Physics, Applied; Optics\nSC Physics; Optics", [](auto& r) {
             CHECK(r.disciplines == std::vector<std::string>{"Physics, Applied", "Optics", "Physics"});
         }},
        {"DT Book Chapter", [](auto& r) {
             CHECK(r.extra == Extra{{"PT", "J"}, {"DT", "Book Chapter"}});
         }},
        {"NR 40\nVL 7\nIS 2\nSN 1234-5678\nOA Green Published\nHC Y\nHP N\nDA 2023-01-05", [](auto& r) {
             CHECK(r.extra == Extra{{"PT", "J"}, {"NR", "40"}, {"VL", "7"}, {"IS", "2"},
                                    {"SN", "1234-5678"}, {"OA", "Green Published"}, {"HC", "Y"}, {"HP", "N"},
                                    {"DA", "2023-01-05"}});
         }},
    };
    for (const auto& [lines, check] : rows) {
        INFO(lines);
        const bool has_title = lines.rfind("TI ", 0) == 0 || lines.find("\nTI ") != std::string::npos;
        // Rows without a TI get one (it is the title, never in extra).
        check(one(has_title ? lines : "TI x\n" + lines));
    }
}

TEST_CASE("wos: continuation lines are new values for lists and joined for text") {
    const record::Record r = one(
        "AF Curie, Marie\n"
        "   Sklodowska, Bronislawa\n"
        "TI Radioactive\n"
        "   substances\n"
        "   and their rays\n"
        "DE first keyword; second\n"
        "   keyword; third\n"
        "RP Curie, M (corresponding author), Sorbonne, Paris, France.\n"
        "   Sklodowska, B (corresponding author), Warsaw Univ, Warsaw, Poland.\n"
        "FX We thank the\n"
        "   lab.\n"
        "CR Becquerel H, 1896, CR HEBD ACAD SCI, V122, P420\n"
        "   \n"
        "   Rutherford E, 1899, PHILOS MAG, V47, P109\n"
        "  Two spaces only, joined to the list as a value\n"
        "AB Hand-edited file:\n"
        "the indentation was lost\n"
        "\tand a tab was used.");
    CHECK(r.title == "Radioactive substances and their rays");
    CHECK(r.authors == std::vector<record::Author>{{"Curie, Marie", {}}, {"Sklodowska, Bronislawa", {}}});
    CHECK(r.keywords == std::vector<std::string>{"first keyword", "second keyword", "third"});
    CHECK(extras_of(r, "RP") == std::vector<std::string>{
                                    "Curie, M (corresponding author), Sorbonne, Paris, France.\n"
                                    "Sklodowska, B (corresponding author), Warsaw Univ, Warsaw, Poland."});
    CHECK(extra_of(r, "FX") == "We thank the lab.");
    REQUIRE(r.references.size() == 3);   // the blank continuation is no reference
    CHECK(r.references[1].n == 2);
    CHECK(r.references[1].text == "Rutherford E, 1899, PHILOS MAG, V47, P109");
    CHECK(r.references[2].text == "Two spaces only, joined to the list as a value");
    CHECK(r.abstract == "Hand-edited file: the indentation was lost and a tab was used.");
}

TEST_CASE("wos: CRLF, a stray CR, CR-only line ends and byte order marks read like LF") {
    const std::string lf = read_file(example_path);
    const ParseResult reference = parse_wos(lf, example_path);
    REQUIRE(reference.records.size() == 3);
    const std::vector<std::pair<std::string, std::string>> variants{
        {"CRLF", replace_all(lf, "\n", "\r\n")},
        {"CR CR LF", replace_all(lf, "\n", "\r\r\n")},
        {"CR only", replace_all(lf, "\n", "\r")},
        {"BOM", "\xEF\xBB\xBF" + lf},
        {"BOM and CRLF", "\xEF\xBB\xBF" + replace_all(lf, "\n", "\r\n")},
        {"trailing spaces", replace_all(lf, "\n", "  \n")},
    };
    for (const auto& [name, text] : variants) {
        INFO(name);
        const ParseResult result = parse_wos(text, example_path);
        CHECK(result.errors.empty());
        CHECK(result.records == reference.records);
    }

    // A lone CR inside a value is white space; a BOM where two files were concatenated is ignored.
    const ParseResult stray = parse_wos("PT J\nTI Broken\rline\nER\n\xEF\xBB\xBFPT J\nTI Second\nER\n", "cr.txt");
    REQUIRE(stray.records.size() == 2);
    CHECK(stray.records[0].title == "Broken line");
    CHECK(stray.records[1].title == "Second");
    CHECK(stray.records[1].source.line == 4);
    CHECK(stray.errors.empty());
}

TEST_CASE("wos: unknown, repeated and empty tags") {
    const record::Record r = one(
        "TI First title\n"
        "TI Second title\n"
        "Q1 unknown with a digit\n"
        "ZZ\n"
        "AB \n"
        "DI\n"
        "DE one\n"
        "DE two\n"
        "SO VENUE A\n"
        "SO VENUE B\n"
        "UT WOS:1\n"
        "UT WOS:2\n"
        "AB The abstract.");
    CHECK(r.title == "First title");
    CHECK(r.venue == "VENUE A");
    CHECK(r.id == "WOS:1");
    CHECK(r.abstract == "The abstract.");
    CHECK_FALSE(r.doi);
    CHECK(r.keywords == std::vector<std::string>{"one", "two"});
    // Later copies of single-valued fields are kept; empty values are dropped everywhere.
    CHECK(r.extra == Extra{{"PT", "J"},
                           {"TI", "Second title"},
                           {"Q1", "unknown with a digit"},
                           {"SO", "VENUE B"},
                           {"UT", "WOS:2"}});
}

TEST_CASE("wos: C1 addresses link the authors named in their brackets") {
    const record::Record r = one(
        "TI x\n"
        "AF Luna-Reyes, Luis F.\n"
        "   Picazo-Vela, Sergio\n"
        "   Gil-Garcia, J. Ramon\n"
        "C1 [Picazo-Vela, Sergio;  Luna-Reyes, Luis F. ] Univ Americas Puebla, Dept Business Adm, Puebla, Mexico.\n"
        "   [Gil-Garcia, J. Ramon; Someone Else, A.] SUNY Albany, Ctr Technol Govt, Albany, NY 12222 USA\n"
        "   [Picazo-Vela, Sergio] Univ Americas Puebla, Dept Business Adm, Puebla, Mexico.\n"
        "   [picazo-vela, sergio] Lower-case names do not match\n"
        "   [Luna-Reyes, Luis F.]\n"
        "   [No closing bracket, Univ X\n"
        "   Plain Address Without Names.");
    CHECK(r.affiliations == std::vector<record::Affiliation>{
                                {1, "Univ Americas Puebla, Dept Business Adm, Puebla, Mexico"},
                                {2, "SUNY Albany, Ctr Technol Govt, Albany, NY 12222 USA"},
                                {3, "Univ Americas Puebla, Dept Business Adm, Puebla, Mexico"},
                                {4, "Lower-case names do not match"},
                                {5, "[No closing bracket, Univ X"},
                                {6, "Plain Address Without Names"}});
    CHECK(r.authors == std::vector<record::Author>{{"Luna-Reyes, Luis F.", {1}},
                                                   {"Picazo-Vela, Sergio", {1, 3}},
                                                   {"Gil-Garcia, J. Ramon", {2}}});

    // Without AF the bracket names are matched against AU; the same name twice gets the ref twice.
    const record::Record au = one("TI x\nAU Wang, L\n   Wang, L\nC1 [Wang, L] Tsinghua Univ, Beijing, Peoples R China.");
    CHECK(au.authors == std::vector<record::Author>{{"Wang, L", {1}}, {"Wang, L", {1}}});
}

TEST_CASE("wos: cited references are split into author, year and source") {
    struct Row {
        std::string text;
        std::vector<std::string> authors;
        std::optional<int> year;
        std::optional<std::string> venue;
    };
    const std::vector<Row> rows{
        {"Smith J, 2010, J APPL PHYS, V10, P100, DOI 10.1000/xyz", {"Smith J"}, 2010, "J APPL PHYS"},
        {"[Anonymous], 2001, WORLD DEV REP", {"[Anonymous]"}, 2001, "WORLD DEV REP"},
        {"Smith J., 2010, J APPL PHYS, V10, DOI [10.1/a, 10.2/b]", {"Smith J."}, 2010, "J APPL PHYS"},
        {"Lee K, 2019, V5, P1", {"Lee K"}, 2019, std::nullopt},
        {"Lee K, J APPL PHYS, V5", {"Lee K"}, std::nullopt, "J APPL PHYS"},
        {"2004, NATURE, V430, P1", {}, 2004, "NATURE"},
        {"Lee K", {"Lee K"}, std::nullopt, std::nullopt},
        {"Lee K, 2019", {"Lee K"}, 2019, std::nullopt},
        {"Lee K, , , ,", {"Lee K"}, std::nullopt, std::nullopt},
        {", 1999, ORPHAN SOURCE", {}, 1999, "ORPHAN SOURCE"},
        {"张伟, 2018, 情报学报, V37, P1", {"张伟"}, 2018, "情报学报"},
    };
    std::string lines = "TI x\nCR " + rows[0].text;
    for (std::size_t i = 1; i < rows.size(); ++i) lines += "\n   " + rows[i].text;
    const record::Record r = one(lines);
    REQUIRE(r.references.size() == rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO(rows[i].text);
        const auto& reference = r.references[i];
        CHECK(reference.n == static_cast<int>(i) + 1);
        CHECK(reference.text == rows[i].text);
        CHECK(reference.authors == rows[i].authors);
        CHECK(reference.year == rows[i].year);
        CHECK(reference.venue == rows[i].venue);
        CHECK_FALSE(reference.title);
    }
}

TEST_CASE("wos: a record with bad bytes is rejected alone, at the line of the bad byte") {
    // Rows: a bad value placed in the middle record, and the start of the message expected.
    const std::vector<std::pair<std::string, std::string>> rows{
        {"AB caf\xE9 au lait", "invalid UTF-8 at column 7 (0xE9)"},
        {"AB GBK \xB1\xBE\xCE\xC4", "invalid UTF-8 at column 8 (0xB1)"},
        {std::string("AB nul\0byte", 11), "NUL byte at column 7"},
        {"   \xC0\xAF overlong continuation", "invalid UTF-8 at column 4 (0xC0)"},
        {"ZZ truncated \xE4\xB8", "invalid UTF-8 at column 14 (0xE4)"},
    };
    for (const auto& [bad, message] : rows) {
        INFO(bad);
        const std::string text = "FN Clarivate Analytics Web of Science\nVR 1.0\n"
                                 "PT J\nTI First\nER\n\n"
                                 "PT J\nTI Second\nAU Someone\n" + bad + "\nDE more\nER\n\n"
                                 "PT J\nTI Third\nER\nEF\n";
        const ParseResult result = parse_wos(text, "bad.txt");
        REQUIRE(result.records.size() == 2);
        CHECK(result.records[0].title == "First");
        CHECK(result.records[1].title == "Third");
        CHECK(result.records[1].source == record::SourceLocation{"bad.txt", 14, 2});
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].code == "bad_encoding");
        CHECK(result.errors[0].line == 10);
        CHECK(result.errors[0].index == 1);
        CHECK(result.errors[0].message.rfind(message, 0) == 0);
        CHECK(record::format_diagnostic(result.errors[0]).rfind("bad.txt:10: error: ", 0) == 0);
    }
}

TEST_CASE("wos: a record without title, abstract and DOI is rejected and keeps its index") {
    const ParseResult result =
        parse_wos("PT J\nAU Nobody, N\nDT Article\nPY 2001\nER\nPT J\nER\nPT J\nDI 10.1/only-doi\nER\n"
                  "PT J\nAB Only an abstract.\nER\n",
                  "empty.txt");
    REQUIRE(result.errors.size() == 2);
    CHECK(result.errors[0].code == "empty_record");
    CHECK(result.errors[0].line == 1);
    CHECK(result.errors[0].index == 0);
    CHECK(result.errors[0].message.find("TI") != std::string::npos);
    CHECK(result.errors[0].message.find("\"ER\"") == std::string::npos);   // it has its ER
    CHECK(result.errors[1].line == 6);
    CHECK(result.errors[1].index == 1);
    REQUIRE(result.records.size() == 2);
    CHECK(result.records[0].doi == "10.1/only-doi");
    CHECK(result.records[0].source == record::SourceLocation{"empty.txt", 8, 2});
    CHECK(result.records[1].abstract == "Only an abstract.");
    CHECK(result.records[1].source.index == 3);
    CHECK_FALSE(result.file_error);
}

TEST_CASE("wos: a truncated file keeps its last record when it has content") {
    const std::string full = read_file(example_path);
    // Cut inside the third record's C1 line: it still has its title.
    const std::string cut = full.substr(0, full.find("Fac Informat"));
    ParseResult result = parse_wos(cut, "cut.txt");
    CHECK(result.errors.empty());
    REQUIRE(result.records.size() == 3);
    CHECK(result.records[2].title == "Incremental indexing of citation graphs");
    CHECK(result.records[2].affiliations == std::vector<record::Affiliation>{{1, "Brno Univ Technol,"}});

    // Cut before the title: reported, with a hint about the missing ER.
    result = parse_wos(full.substr(0, full.find("TI Incremental")), "cut.txt");
    REQUIRE(result.records.size() == 2);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].code == "empty_record");
    CHECK(result.errors[0].line == 80);
    CHECK(result.errors[0].index == 2);
    CHECK(result.errors[0].message.find("\"ER\"") != std::string::npos);

    // Every cut point: never a crash, and never more than the three records.
    for (std::size_t size = 0; size <= full.size(); size += 7) {
        const ParseResult piece = parse_wos(full.substr(0, size), "cut.txt");
        CHECK(piece.records.size() <= 3);
        for (const auto& record : piece.records)
            for (const auto& text : strings_of(record)) CHECK_FALSE(text::find_encoding_problem(text));
    }
}

TEST_CASE("wos: a PT, FN or EF inside an unterminated record ends it") {
    const ParseResult result = parse_wos(
        "PT J\nTI One\nPT J\nTI Two\n   continued\nEF\nFN Clarivate Analytics Web of Science\nVR 1.0\n"
        "PT J\nTI Three\nFN Clarivate Analytics Web of Science\nVR 1.0\nPT B\nTI Four\nER\nEF\n",
        "concatenated.txt");
    CHECK(result.errors.empty());
    REQUIRE(result.records.size() == 4);
    CHECK(result.records[0].title == "One");
    CHECK(result.records[1].title == "Two continued");
    CHECK(result.records[1].source == record::SourceLocation{"concatenated.txt", 3, 1});
    CHECK(result.records[2].title == "Three");
    CHECK(result.records[3].title == "Four");
    CHECK(result.records[3].source == record::SourceLocation{"concatenated.txt", 13, 3});
    CHECK(result.records[0].extra == Extra{{"PT", "J"}});
}

TEST_CASE("wos: text outside records is reported once per run and never shifts indexes") {
    const ParseResult result = parse_wos(
        "FN Clarivate Analytics Web of Science\n"   // 1
        "VR 1.0\n"                                   // 2
        "Exported on Tuesday\n"                      // 3  stray
        "\n"                                         // 4
        "by the library\n"                           // 5  same run
        "PT J\nTI One\nER\n"                         // 6-8
        "TI A title without PT\n"                    // 9  stray
        "   its continuation\n"                      // 10
        "ER\n"                                       // 11
        "PT J\nTI Two\nER\n"                         // 12-14
        "\n\n"                                       // 15-16
        "EF\n"                                       // 17
        "trailing \xFF junk\n",                      // 18 stray
        "stray.txt");
    REQUIRE(result.records.size() == 2);
    CHECK(result.records[0].source.index == 0);
    CHECK(result.records[1].source == record::SourceLocation{"stray.txt", 12, 1});
    REQUIRE(result.errors.size() == 3);
    const std::vector<int> lines{3, 9, 18};
    const std::vector<std::string> counts{"2 lines", "3 lines", "1 line "};
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(result.errors[i].code == "stray_text");
        CHECK(result.errors[i].line == lines[i]);
        CHECK(result.errors[i].index == -1);
        CHECK(result.errors[i].message.rfind(counts[i], 0) == 0);
        CHECK(result.errors[i].message.find("PT") != std::string::npos);
    }
    CHECK_FALSE(result.file_error);
}

TEST_CASE("wos: input without records is a file error, not a crash") {
    for (std::string text : {"", "\n\n", "   \n", "\xEF\xBB\xBF",
                             "FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n",
                             "FN Thomson Reuters Web of Science\xE2\x84\xA2\r\nVR 1.0\r\n\r\nEF"}) {
        INFO(text);
        const ParseResult result = parse_wos(text, "empty.txt");
        CHECK(result.records.empty());
        CHECK(result.errors.empty());
        REQUIRE(result.file_error);
        CHECK(result.file_error->code == "no_records");
        CHECK(result.file_error->index == -1);
    }
    // Only garbage: reported, and still no records.
    const ParseResult garbage = parse_wos("hello\nworld\n", "garbage.txt");
    REQUIRE(garbage.file_error);
    CHECK(garbage.file_error->code == "no_records");
    REQUIRE(garbage.errors.size() == 1);
    CHECK(garbage.errors[0].code == "stray_text");
}

TEST_CASE("wos: a record longer than the limit is skipped and the next one is read") {
    std::string text = "PT J\nTI Huge\nCR first\n";
    const std::string reference_line = "   " + std::string(1000, 'x') + "\n";
    while (text.size() <= max_record_bytes) text += reference_line;
    const int last_line = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    text += "ER\nPT J\nTI Small\nER\n";
    const ParseResult result = parse_wos(text, "huge.txt");
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].code == "record_too_long");
    CHECK(result.errors[0].line == 1);
    CHECK(result.errors[0].index == 0);
    CHECK(result.errors[0].message.find("to " + std::to_string(last_line)) != std::string::npos);
    REQUIRE(result.records.size() == 1);
    CHECK(result.records[0].title == "Small");
    CHECK(result.records[0].source.index == 1);
}

TEST_CASE("wos: damaged copies of the example never throw and never hold invalid UTF-8") {
    const std::string full = read_file(example_path);
    std::mt19937 random(12345);
    const std::string noise[] = {"\n", "\r", "\xFF", std::string(1, '\0'), "\xE4\xB8", "ER\n", "PT J\n", "[", "]",
                                 ";", ",", "   ", "\xEF\xBB\xBF", "C1 [", "CR ,"};
    for (int round = 0; round < 300; ++round) {
        std::string text = full;
        const int edits = 1 + static_cast<int>(random() % 8);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = random() % (text.size() + 1);
            if (random() % 3 == 0) text.erase(at, random() % 20);
            else text.insert(at, noise[random() % std::size(noise)]);
        }
        ParseResult result;
        REQUIRE_NOTHROW(result = parse_wos(text, "noise.txt"));
        std::set<int> indexes;
        for (const auto& record : result.records) {
            CHECK(indexes.insert(record.source.index).second);
            for (const auto& value : strings_of(record)) CHECK_FALSE(text::find_encoding_problem(value));
            CHECK(!(record.title.empty() && !record.abstract && !record.doi));
        }
        for (const auto& error : result.errors)
            if (error.index >= 0) CHECK(indexes.insert(error.index).second);
        // Indexes are 0..n-1 without gaps.
        if (!indexes.empty()) CHECK(*indexes.rbegin() == static_cast<int>(indexes.size()) - 1);
    }
}
