#include "parse/bibtex.hpp"

#include "text/utf8.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

using namespace scholarsearch;
using namespace scholarsearch::parse;

namespace {

const std::string* extra(const record::Record& record, const std::string& label) {
    for (const auto& [key, value] : record.extra)
        if (key == label) return &value;
    return nullptr;
}

std::vector<std::string> author_names(const record::Record& record) {
    std::vector<std::string> names;
    for (const auto& author : record.authors) names.push_back(author.name);
    return names;
}

/// The one record of `text`, which must parse without any diagnostic.
record::Record only_record(const std::string& text) {
    ParseResult result = parse_bibtex(text, "t.bib");
    INFO(text);
    for (const auto& error : result.errors) INFO(record::format_diagnostic(error));
    CHECK(result.errors.empty());
    CHECK_FALSE(result.file_error);
    REQUIRE(result.records.size() == 1);
    return result.records[0];
}

std::string title_of(const std::string& raw_title) {
    return only_record("@article{k, title = {" + raw_title + "}}").title;
}

}  // namespace

TEST_CASE("bibtex: a realistic file gives every record with its line, index and fields") {
    const std::string path = TEST_DATA_DIR "/bibtex/example.bib";
    ParseResult result = parse_bibtex(testing::read_file(path), path);
    CHECK_FALSE(result.file_error);
    REQUIRE(result.records.size() == 4);

    const record::Record& picazo = result.records[0];
    CHECK(picazo.source == record::SourceLocation{path, 11, 0});
    CHECK(picazo.id == "picazo2012open");
    CHECK(author_names(picazo) ==
          std::vector<std::string>{"Picazo-Vela, Sergio", "Gutiérrez-Martínez, Isis", "Luna-Reyes, Luis F."});
    CHECK(picazo.title ==
          "Understanding Risks, Benefits, and Strategic Alternatives of Social Media Applications in the Public Sector");
    CHECK(picazo.venue == "Journal of Documentation");
    CHECK(picazo.year == 2012);
    CHECK(picazo.pages == record::Pages{"504", "511"});
    CHECK(picazo.doi == "10.1016/j.giq.2012.07.002");
    CHECK(picazo.keywords == std::vector<std::string>{"social media", "public sector", "risk"});
    CHECK(picazo.abstract ==
          "Social media applications are changing the way governments communicate with citizens. "
          "We interview officials of several agencies.");
    CHECK(picazo.language == "en");
    CHECK(picazo.extra == std::vector<std::pair<std::string, std::string>>{
                              {"type", "article"}, {"month", "October"}, {"volume", "29"}, {"number", "4"},
                              {"publisher", "Elsevier"}});

    const record::Record& muller = result.records[1];
    CHECK(muller.source == record::SourceLocation{path, 29, 1});
    CHECK(author_names(muller) == std::vector<std::string>{"Müller, Jörg", "François, Renée"});
    CHECK(muller.title == "BERT for Scholarly Search – a Study");
    CHECK(muller.venue == "Proceedings of the 12th Workshop on Retrieval");
    CHECK(muller.year == 2019);
    CHECK(muller.pages == record::Pages{"e1023", std::nullopt});
    CHECK(muller.keywords == std::vector<std::string>{"retrieval", "language models", "ranking"});
    CHECK(muller.extra == std::vector<std::pair<std::string, std::string>>{
                              {"type", "inproceedings"}, {"editor", "Nowak, Małgorzata"}, {"address", "Kraków"},
                              {"url", "https://example.org/~muller/bert_search.pdf"}});
    CHECK_FALSE(muller.doi);

    const record::Record& zhang = result.records[2];
    CHECK(zhang.source == record::SourceLocation{path, 41, 2});
    CHECK(author_names(zhang) == std::vector<std::string>{"张伟", "李娜"});
    CHECK(zhang.title == "高校图书馆数字资源利用研究");
    CHECK(zhang.venue == "图书情报工作");
    CHECK(zhang.abstract == "本文以五所高校为例，分析数字资源的使用情况。 结果表明，移动端访问比例逐年上升。");
    CHECK(zhang.keywords == std::vector<std::string>{"数字资源", "图书馆", "用户行为"});
    CHECK(zhang.pages == record::Pages{"45", "52"});
    CHECK(zhang.language == "zh");
    CHECK(zhang.affiliations ==
          std::vector<record::Affiliation>{{1, "北京大学信息管理系"}, {2, "武汉大学信息管理学院"}});
    CHECK(zhang.authors[0].affiliation_refs.empty());

    const record::Record& garcia = result.records[3];
    CHECK(garcia.source == record::SourceLocation{path, 54, 3});
    CHECK(garcia.title == "Atlas de la Península Ibérica");
    CHECK(garcia.year == 2015);
    CHECK(garcia.extra == std::vector<std::pair<std::string, std::string>>{
                              {"type", "book"},
                              {"publisher", "Revista de Geografía Aplicada (Madrid)"},
                              {"date", "2015-05-01"},
                              {"isbn", "978-84-00-00000-0"}});

    // The @misc entry has neither title, abstract nor DOI.
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].code == "empty_record");
    CHECK(result.errors[0].line == 62);
    CHECK(result.errors[0].index == 4);
}

TEST_CASE("bibtex: LaTeX in values becomes composed Unicode") {
    const std::vector<std::pair<std::string, std::string>> rows{
        {"{BERT}: {Pre-training} of {{Deep}} Transformers", "BERT: Pre-training of Deep Transformers"},
        {"\\'e \\`e \\^e \\\"o \\~n \\=a \\.z", "é è ê ö ñ ā ż"},
        {"\\u{a} \\v{c} \\H{o} \\c{c} \\k{a} \\r{a}", "ă č ő ç ą å"},
        {"\\u a\\v c", "ăč"},
        {"{\\\"o} \\\"{o} \\'{\\i} \\'\\i {\\'{E}}cole", "ö ö í í École"},
        {"Erd{\\H o}s and Dvo{\\v{r}}{\\'a}k", "Erdős and Dvořák"},
        {"\\ss{} {\\o} \\O{} {\\aa} {\\AA} {\\ae} {\\AE} {\\oe} {\\l} {\\L} {\\i} {\\j}", "ß ø Ø å Å æ Æ œ ł Ł ı ȷ"},
        {"\\o \\O \\aa", "øØå"},   // TeX drops the spaces after a control word
        {"Stra\\ss e, Bj\\o rn, {\\L}{\\'o}d{\\'z}", "Straße, Bjørn, Łódź"},
        {"R\\&D 50\\% \\$5 \\#1 a\\_b \\{x\\}", "R&D 50% $5 #1 a_b {x}"},
        {"pages 1--2, a---b, well-known", "pages 1–2, a—b, well-known"},
        {"Fig.~1 and~2", "Fig. 1 and 2"},
        {"\\emph{Deep} \\textit{learning} and \\textbf{{NLP}}", "Deep learning and NLP"},
        {"``quoted'' text", "“quoted” text"},
        {"$\\alpha$-helix and $H_2O$", "α-helix and H2O"},
        {"\\\"{\\i}\\^{u}", "ïû"},
        {"\\v{\\i}", "ǐ"},
        {"\\d{s}\\b{k}", "ṣḵ"},
        {"\\'{\\AE}", "Ǽ"},
        {"\\v{g}\\'{w}", "ǧẃ"},
        {"\\=\\i", "ī"},
        {"\\c{k}\\\"{x}q\\u{q}", "ķẍqq\xCC\x86"},           // no precomposed q̆: base + combining breve
        {"Already Unicode: Müller, 北京, ǅ", "Already Unicode: Müller, 北京, ǅ"},
        {"  spread \n  over \t lines  ", "spread over lines"},
        {"see \\url{http://x.org/~a/b--c}", "see http://x.org/~a/b--c"},
        {"\\href{http://x.org}{the site}", "the site"},
        {"\\LaTeX{} and \\TeX", "LaTeX and TeX"},
        {"10\\,000 \\- x\\/y", "10 000 xy"},
        {"{\\'E}\\\"{}x", "Éx"},
        {"\\~{}user \\^{}", "~user ^"},
        {"trailing backslash \\", "trailing backslash"},
    };
    for (const auto& [raw, expected] : rows) {
        INFO(raw);
        CHECK(title_of(raw) == expected);
    }
}

TEST_CASE("bibtex: an accent on a non-ASCII control symbol keeps whole UTF-8 characters") {
    // \'\é and \"\中: the accent's argument is a control symbol whose character is multi-byte.
    for (const std::string title : {"caf\\'\\\xC3\xA9 au lait", "\\\"\\\xE4\xB8\xAD\xE6\x96\x87"}) {
        INFO(title);
        ParseResult result = parse_bibtex("@misc{k, title = {" + title + "}}\n", "a.bib");
        REQUIRE(result.records.size() == 1);
        const std::string& converted = result.records[0].title;
        // Valid UTF-8 throughout: every lead byte is followed by its continuation bytes.
        std::size_t at = 0;
        while (at < converted.size()) {
            const auto lead = static_cast<unsigned char>(converted[at]);
            const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
            REQUIRE(length > 0);
            REQUIRE(at + length <= converted.size());
            for (std::size_t k = 1; k < length; ++k) CHECK((static_cast<unsigned char>(converted[at + k]) & 0xC0) == 0x80);
            at += length;
        }
    }
}

TEST_CASE("bibtex: every mapped field lands in its place") {
    const record::Record r = only_record(
        "@InProceedings{Key:2020/a,\n"
        "  TITLE = {The Title},\n"
        "  Booktitle = {Proc. of Something},\n"
        "  author = {A. One AND {Barnes and Noble} and\n   Two, B.},\n"
        "  editor = {E. Ditor and F. Ditor},\n"
        "  abstract = {An abstract.},\n"
        "  keyword = {a, b,, c},\n"
        "  year = {(c) 2020},\n"
        "  doi = {doi:10.1000/ABC},\n"
        "  pages = {S12 -- S15},\n"
        "  language = {English},\n"
        "  affiliation = {Univ. A and Univ. B and others},\n"
        "  volume = 7, number = {3}, url = {http://example.org/a{\\_}b}, note = {Some \\emph{note}},\n"
        "  type = {Invited talk},\n"
        "  Custom-Field = {kept verbatim},\n"
        "}\n");
    CHECK(r.id == "Key:2020/a");
    CHECK(r.title == "The Title");
    CHECK(r.venue == "Proc. of Something");
    CHECK(author_names(r) == std::vector<std::string>{"A. One", "Barnes and Noble", "Two, B."});
    CHECK(r.abstract == "An abstract.");
    CHECK(r.keywords == std::vector<std::string>{"a", "b", "c"});
    CHECK(r.year == 2020);
    CHECK(r.doi == "10.1000/ABC");
    CHECK(r.pages == record::Pages{"S12", "S15"});
    CHECK(r.language == "English");
    CHECK(r.affiliations == std::vector<record::Affiliation>{{1, "Univ. A"}, {2, "Univ. B"}});
    CHECK(r.extra == std::vector<std::pair<std::string, std::string>>{
                         {"type", "inproceedings"},
                         {"editor", "E. Ditor and F. Ditor"},
                         {"volume", "7"},
                         {"number", "3"},
                         {"url", "http://example.org/a_b"},
                         {"note", "Some note"},
                         {"type_field", "Invited talk"},
                         {"custom-field", "kept verbatim"}});
}

TEST_CASE("bibtex: venue, year, DOI, pages and language rules") {
    SECTION("journal wins over booktitle, which is then kept in extra") {
        const auto r = only_record("@incollection{k, booktitle = {The Book}, title = {T}, journal = {The Journal}}");
        CHECK(r.venue == "The Journal");
        REQUIRE(extra(r, "booktitle"));
        CHECK(*extra(r, "booktitle") == "The Book");
    }
    SECTION("booktitle is the venue of proceedings and collections only") {
        CHECK(only_record("@incollection{k, title = {T}, booktitle = {B}}").venue == "B");
        const auto book = only_record("@inbook{k, title = {T}, booktitle = {B}}");
        CHECK_FALSE(book.venue);
        CHECK(extra(book, "booktitle"));
    }
    SECTION("year: a year field wins, else the date field, a yearless value stays in extra") {
        CHECK(only_record("@misc{k, title = {T}, date = {2012-05-01}}").year == 2012);
        CHECK(only_record("@misc{k, title = {T}, date = {2012-05-01}, year = 2011}").year == 2011);
        const auto press = only_record("@misc{k, title = {T}, year = {in press}}");
        CHECK_FALSE(press.year);
        REQUIRE(extra(press, "year"));
        CHECK(*extra(press, "year") == "in press");
        CHECK_FALSE(only_record("@misc{k, title = {T}, year = {20120}}").year);
        CHECK_FALSE(only_record("@misc{k, title = {T}, year = {0999}}").year);
    }
    SECTION("DOI prefixes are removed, the case is kept, a doi.org URL stands in for a missing DOI") {
        const std::vector<std::pair<std::string, std::string>> rows{
            {"doi = {10.1/Ab}", "10.1/Ab"},
            {"doi = {https://doi.org/10.1/Ab}", "10.1/Ab"},
            {"doi = {http://dx.doi.org/10.1/Ab}", "10.1/Ab"},
            {"doi = {DOI: 10.1/Ab}", "10.1/Ab"},
            {"doi = {10.1/a{\\_}b}", "10.1/a_b"},
            {"url = {https://doi.org/10.1/Ab}", "10.1/Ab"},
            {"doi = {10.2/x}, url = {https://doi.org/10.1/Ab}", "10.2/x"},
        };
        for (const auto& [fields, doi] : rows) {
            INFO(fields);
            CHECK(only_record("@article{k, " + fields + "}").doi == doi);
        }
        CHECK_FALSE(only_record("@article{k, title = {T}, url = {https://example.org/10.1/x}}").doi);
    }
    SECTION("pages") {
        const std::vector<std::pair<std::string, record::Pages>> rows{
            {"100--110", {"100", "110"}}, {"100-110", {"100", "110"}}, {"100 - 110", {"100", "110"}},
            {"e1023", {"e1023", std::nullopt}}, {"100–110", {"100", "110"}}, {"7--", {"7", std::nullopt}},
            {"S12---S15", {"S12", "S15"}},
        };
        for (const auto& [pages, expected] : rows) {
            INFO(pages);
            CHECK(only_record("@article{k, title = {T}, pages = {" + pages + "}}").pages == expected);
        }
    }
    SECTION("language codes are lower-cased, names are kept") {
        CHECK(only_record("@article{k, title = {T}, language = {DE}}").language == "de");
        CHECK(only_record("@article{k, title = {T}, language = {eng}}").language == "eng");
        CHECK(only_record("@article{k, title = {T}, language = {Chinese}}").language == "Chinese");
    }
    SECTION("keywords: semicolons when there are any, else commas") {
        CHECK(only_record("@article{k, title = {T}, keywords = {a, b; c}}").keywords ==
              std::vector<std::string>{"a, b", "c"});
        CHECK(only_record("@article{k, title = {T}, keywords = {a, b ,c}}").keywords ==
              std::vector<std::string>{"a", "b", "c"});
        CHECK(only_record("@article{k, title = {T}, keywords = {检索，排序}}").keywords ==
              std::vector<std::string>{"检索", "排序"});
    }
    SECTION("authors: 'and' in any case between spaces, not inside words or braces, 'others' dropped") {
        CHECK(author_names(only_record("@article{k, title = {T}, author = {Anderson, A. and Sandy Band and Others}}")) ==
              std::vector<std::string>{"Anderson, A.", "Sandy Band"});
        CHECK(author_names(only_record("@article{k, title = {T}, author = {Z. Wang\nAnd\tL. Li}}")) ==
              std::vector<std::string>{"Z. Wang", "L. Li"});
        CHECK(author_names(only_record("@article{k, title = {T}, author = \"{Anna and Ben Ltd.}\"}")) ==
              std::vector<std::string>{"Anna and Ben Ltd."});
    }
}

TEST_CASE("bibtex: entry syntax - case, parentheses, quotes, concatenation, comments") {
    const record::Record r = only_record(
        "@ARTICLE ( k1 ,\n"
        "  title = \"Quoted {with \"inner\" braces}\" # { and } # \"more\",\n"
        "  % a comment line between fields\n"
        "  year = 2019 ,\n"
        "  note = {a (paren) inside}\n"
        ")\n");
    CHECK(r.id == "k1");
    CHECK(r.title == "Quoted with \"inner\" braces and more");
    CHECK(r.year == 2019);
    CHECK(*extra(r, "note") == "a (paren) inside");
    CHECK(extra(r, "type") != nullptr);
    CHECK(*extra(r, "type") == "article");

    // Two entries on one line, a trailing comma, an entry with a key only.
    ParseResult both = parse_bibtex("@misc{a, title={A},} @misc{b, title={B}}\n@misc{c}\n", "t.bib");
    REQUIRE(both.records.size() == 2);
    CHECK(both.records[1].id == "b");
    CHECK(both.records[1].source == record::SourceLocation{"t.bib", 1, 1});
    REQUIRE(both.errors.size() == 1);
    CHECK(both.errors[0].code == "empty_record");
    CHECK(both.errors[0].index == 2);
    CHECK(both.errors[0].line == 2);
}

TEST_CASE("bibtex: @string macros, month names and the carried BibtexStrings") {
    BibtexStrings strings;
    ParseResult first = parse_bibtex(
        "@STRING{ACM = \"ACM\"}\n@string(tois = acm # { Trans. Inf. Syst.})\n"
        "@string{may = {Maytime}}\n"
        "@article{a, title = {T}, journal = TOIS, month = jun, number = may}\n",
        "one.bib", &strings);
    REQUIRE(first.records.size() == 1);
    CHECK(first.records[0].venue == "ACM Trans. Inf. Syst.");
    CHECK(*extra(first.records[0], "month") == "June");
    CHECK(*extra(first.records[0], "number") == "Maytime");   // a @string overrides a month name
    CHECK(first.records[0].source.index == 0);                  // @string takes no index
    CHECK(strings.count("tois") == 1);

    // The next piece of the same file sees the macros.
    ParseResult second = parse_bibtex("@article{b, title = {T}, journal = tois}\n", "one.bib", &strings);
    REQUIRE(second.records.size() == 1);
    CHECK(second.records[0].venue == "ACM Trans. Inf. Syst.");
    CHECK(second.errors.empty());

    // Without the map the macro is unknown: reported, the entry kept with the name as its text.
    ParseResult alone = parse_bibtex("\n@article{b, title = {T},\n journal = tois}\n", "two.bib");
    REQUIRE(alone.records.size() == 1);
    CHECK(alone.records[0].venue == "tois");
    REQUIRE(alone.errors.size() == 1);
    CHECK(alone.errors[0].code == "unknown_string");
    CHECK(alone.errors[0].line == 3);
    CHECK(alone.errors[0].index == 0);
    // The entry was kept: a warning, not a rejection.
    CHECK(alone.errors[0].warning);
    CHECK(record::format_diagnostic(alone.errors[0]).rfind("two.bib:3: warning: ", 0) == 0);
}

TEST_CASE("bibtex: a malformed entry is rejected at its line and parsing resumes at the next '@' line") {
    struct Row {
        std::string bad;   // placed between two good entries, starting at line 2
        int line;          // of the diagnostic
    };
    const std::vector<Row> rows{
        {"@article{, title = {X}}", 2},                           // missing key
        {"@article{title = {X}}", 2},                             // missing key, field found
        {"@article{k\n  title = {X}}", 2},                        // missing ',' after the key
        {"@article{k,\n  title {X}}", 3},                         // missing '='
        {"@article{k,\n  title = {X}\n  year = 2001}", 3},        // missing ',' between fields
        {"@article{k,\n  title = ,\n}", 3},                       // missing value
        {"@article{k,\n  = {X}}", 3},                             // missing field name
        {"@article{k,\n  title = \"a } b\"}", 3},                 // unbalanced '}' in quotes
        {"@article{k,\n  title = {X},\n  year = 2001\n", 4},      // missing closing '}' before the next '@'
        {"@article k, title = {X}}", 2},                          // no '{'
        {"@{k, title = {X}}", 2},                                 // no entry type
        {"@article{k, title = {X}} junk = {1}}", -1},             // extra text after the entry: a comment
    };
    for (const auto& row : rows) {
        INFO(row.bad);
        const std::string text = "@misc{a, title = {A}}\n" + row.bad + "\n@misc{b, title = {B}}\n";
        ParseResult result = parse_bibtex(text, "f.bib");
        if (row.line < 0) {
            CHECK(result.errors.empty());
            CHECK(result.records.size() == 3);
            continue;
        }
        REQUIRE(result.records.size() == 2);
        CHECK(result.records[1].id == "b");
        CHECK(result.records[1].source.index == 2);
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].code == "bad_entry");
        CHECK(result.errors[0].line == row.line);
        CHECK(result.errors[0].index == 1);
        CHECK(record::format_diagnostic(result.errors[0]).rfind("f.bib:" + std::to_string(row.line) + ": error: ", 0) == 0);
    }
}

TEST_CASE("bibtex: a bad field line inside an entry resumes at the next entry, not inside the value") {
    ParseResult result = parse_bibtex("@article{a,\n  abstract = {x\n@ not an entry},\n  title {T}}\n@misc{b, title={B}}\n",
                                      "f.bib");
    REQUIRE(result.records.size() == 1);
    CHECK(result.records[0].id == "b");
    CHECK(result.records[0].source.index == 1);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].line == 4);
}

TEST_CASE("bibtex: an entry left open stops at the next entry line, and at the end of the text otherwise") {
    for (std::string tail : {"@article{k,\n  title = {Open brace\n", "@article{k,\n  title = {T},\n  year = 2001\n",
                             "@article{k,\n  title = \"never closed\n", "@article{k, title = {T}, year"}) {
        INFO(tail);
        ParseResult result = parse_bibtex("@misc{a, title={A}}\n\n" + tail + "\n@misc{b, title={B}}\n", "t.bib");
        // The broken entry is rejected; @misc{b} on its own line is still read.
        REQUIRE(result.records.size() == 2);
        CHECK(result.records[1].id == "b");
        CHECK(result.records[1].source.index == 2);
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].code == "bad_entry");
        CHECK(result.errors[0].index == 1);
        const bool value_left_open = tail.find("Open") != std::string::npos || tail.find("never") != std::string::npos;
        if (value_left_open) {
            // Reported where the value opens, naming the entry line it ran into.
            CHECK(result.errors[0].line == 4);
            CHECK_THAT(result.errors[0].message, Catch::Contains("not closed before the next entry (line 6)"));
        }
    }
    // An open value runs on over lines starting with '@' that do not start an entry.
    ParseResult mention = parse_bibtex("@misc{a, abstract = {mail\n@someone about it},\n title={A}}\n", "t.bib");
    REQUIRE(mention.records.size() == 1);
    CHECK(mention.errors.empty());
    // With no entry after it, an open value takes the rest of the text.
    ParseResult open_to_end = parse_bibtex("@misc{a, title={A}}\n@article{k,\n  title = {Open\nmore text\n", "t.bib");
    REQUIRE(open_to_end.records.size() == 1);
    REQUIRE(open_to_end.errors.size() == 1);
    CHECK(open_to_end.errors[0].line == 2);
    // A file truncated mid-entry.
    ParseResult truncated = parse_bibtex("@misc{a, title={A}}\n@article{k,\n  title = {Trunc", "t.bib");
    REQUIRE(truncated.records.size() == 1);
    REQUIRE(truncated.errors.size() == 1);
    CHECK(truncated.errors[0].code == "bad_entry");
    CHECK(truncated.errors[0].line == 2);
    CHECK(truncated.errors[0].message.find("never closed") != std::string::npos);
}

TEST_CASE("bibtex: CRLF, a byte order mark, a stray CR and trailing spaces") {
    const std::string lf = "@article{a,  \n  title = {First\n  line},  \n  year = 2001}  \n\n@misc{b, title = {B}}\n";
    std::string crlf;
    for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    for (const std::string& text : {lf, crlf, "\xEF\xBB\xBF" + crlf, std::string("@article{a, title = {First\r line}, year=2001}\n\n\n\n\n@misc{b, title = {B}}")}) {
        ParseResult result = parse_bibtex(text, "t.bib");
        REQUIRE(result.records.size() == 2);
        CHECK(result.records[0].title == "First line");
        CHECK(result.records[0].year == 2001);
        CHECK(result.records[1].source.line == 6);
        CHECK(result.errors.empty());
    }
    // A byte order mark left inside by concatenating files.
    ParseResult joined = parse_bibtex("@misc{a, title = {A}}\n\xEF\xBB\xBF@misc{b, title = {B}}\n", "t.bib");
    CHECK(joined.records.size() == 2);
}

TEST_CASE("bibtex: invalid UTF-8 or a NUL byte rejects that entry only") {
    const std::vector<std::pair<std::string, std::string>> rows{
        {"M\xFCller", "invalid UTF-8"},
        {"caf\xC3", "invalid UTF-8"},
        {std::string("nul\0byte", 8), "NUL"},
    };
    for (const auto& [bad, what] : rows) {
        INFO(what);
        const std::string text = "@misc{a, title = {A}}\n@article{k,\n  title = {X},\n  author = {" + bad +
                                 "}}\n@misc{b, title = {B}}\n";
        ParseResult result = parse_bibtex(text, "t.bib");
        REQUIRE(result.records.size() == 2);
        CHECK(result.records[1].source.index == 2);
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].code == "bad_encoding");
        CHECK(result.errors[0].line == 4);
        CHECK(result.errors[0].index == 1);
        CHECK(result.errors[0].message.find(what) != std::string::npos);
    }
    // Outside entries bad bytes are comment text: ignored.
    ParseResult outside = parse_bibtex("caf\xE9 \xFF\n@misc{a, title = {A}}\n", "t.bib");
    CHECK(outside.records.size() == 1);
    CHECK(outside.errors.empty());
    // A @string with bad bytes is not defined.
    ParseResult macro = parse_bibtex("@string{j = {\xFF}}\n@article{a, title = {A}, journal = j}\n", "t.bib");
    REQUIRE(macro.records.size() == 1);
    CHECK(macro.records[0].venue == "j");
    REQUIRE(macro.errors.size() == 2);
    CHECK(macro.errors[0].code == "bad_encoding");
    CHECK(macro.errors[0].index == -1);
    CHECK(macro.errors[1].code == "unknown_string");
}

TEST_CASE("bibtex: duplicate fields keep the first and empty values are dropped") {
    const auto r = only_record("@article{k, title = {First}, Title = {Second}, note = {}, volume = { },"
                               " keywords = {a}, keyword = {b}, abstract = {}}");
    CHECK(r.title == "First");
    CHECK(r.keywords == std::vector<std::string>{"a"});
    CHECK_FALSE(r.abstract);
    CHECK(r.extra == std::vector<std::pair<std::string, std::string>>{{"type", "article"}});
}

TEST_CASE("bibtex: records need a title, an abstract or a DOI") {
    for (std::string fields : {"title = {T}", "abstract = {A}", "doi = {10.1/x}"}) {
        INFO(fields);
        CHECK(parse_bibtex("@article{k, " + fields + "}", "t.bib").records.size() == 1);
    }
    for (std::string fields : {"", "title = {}", "title = {{}}", "author = {A}, year = 2001"}) {
        INFO(fields);
        ParseResult result = parse_bibtex("\n@article{k, " + fields + "}", "t.bib");
        CHECK(result.records.empty());
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].code == "empty_record");
        CHECK(result.errors[0].line == 2);
        CHECK(result.errors[0].index == 0);
        CHECK_FALSE(result.file_error);
    }
}

TEST_CASE("bibtex: text outside entries, @comment and @preamble are ignored silently") {
    ParseResult result = parse_bibtex(
        "This is a free comment with an email a@b.org\n"
        "%% and a percent line\n"
        "@comment{ @article{inside, title = {not an entry}} }\n"
        "@Comment this whole line is a comment\n"
        "@preamble(\"\\newcommand{\\x}{y}\")\n"
        "garbage } { here\n"
        "@misc{m, title = {Kept}}\n",
        "t.bib");
    CHECK(result.errors.empty());
    REQUIRE(result.records.size() == 1);
    CHECK(result.records[0].id == "m");
    CHECK(result.records[0].source == record::SourceLocation{"t.bib", 7, 0});
}

TEST_CASE("bibtex: empty input or no entries is the file error no_records") {
    for (std::string text : {"", "\n\n", "   \n", "\xEF\xBB\xBF", "% only a comment\n",
                             "@string{a = {b}}\n@comment{x}\n"}) {
        INFO(text);
        ParseResult result = parse_bibtex(text, "empty.bib");
        CHECK(result.records.empty());
        CHECK(result.errors.empty());
        REQUIRE(result.file_error);
        CHECK(result.file_error->code == "no_records");
    }
    // A rejected entry is an entry: no file error.
    CHECK_FALSE(parse_bibtex("@article{k}", "t.bib").file_error);
}

TEST_CASE("bibtex: deep nesting and long input stay linear and safe") {
    std::string nested = "@article{k, title = {";
    for (int i = 0; i < 5000; ++i) nested += "\\'{";
    nested += "e";
    for (int i = 0; i < 5000; ++i) nested += "}";
    nested += "}}";
    ParseResult deep = parse_bibtex(nested, "t.bib");
    CHECK(deep.records.size() == 1);

    std::string many;
    for (int i = 0; i < 20000; ++i)
        many += "@article{k" + std::to_string(i) + ", title = {Title " + std::to_string(i) + "}, year = 2001}\n";
    ParseResult result = parse_bibtex(many, "many.bib");
    REQUIRE(result.records.size() == 20000);
    CHECK(result.records.back().source == record::SourceLocation{"many.bib", 20000, 19999});
}

TEST_CASE("bibtex: damaged copies of the example never crash and never give invalid UTF-8") {
    const std::string original = testing::read_file(TEST_DATA_DIR "/bibtex/example.bib");
    REQUIRE(!original.empty());
    std::mt19937 random(20240601);
    static const char letters[] = "@{}()\"=,#%\\ \n\r\xC3\xFF\0aZ9-~$'`^";
    const std::string alphabet(letters, sizeof letters - 1);   // with its NUL byte
    auto valid = [](const std::string& text) { return !text::find_encoding_problem(text); };
    for (int round = 0; round < 3000; ++round) {
        std::string text = original;
        const int edits = 1 + static_cast<int>(random() % 6);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = random() % (text.size() + 1);
            switch (random() % 3) {
                case 0: text.insert(at, 1, alphabet[random() % alphabet.size()]); break;
                case 1: if (at < text.size()) text.erase(at, 1 + random() % 40); break;
                default: text = text.substr(0, at); break;
            }
        }
        ParseResult result = parse_bibtex(text, "m.bib");
        int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
        for (const auto& r : result.records) {
            CHECK(valid(r.title));
            for (const auto& [label, value] : r.extra) CHECK((valid(label) && valid(value)));
            for (const auto& a : r.authors) CHECK(valid(a.name));
            for (const auto& k : r.keywords) CHECK(valid(k));
            if (r.abstract) CHECK(valid(*r.abstract));
            if (r.id) CHECK(valid(*r.id));
            CHECK((r.source.line >= 1 && r.source.line <= lines));
        }
        for (const auto& error : result.errors) CHECK((error.line >= 1 && error.line <= lines));
    }
}

TEST_CASE("bibtex: entries and expanded values longer than the record limit are rejected") {
    const std::string big(std::size_t(1) << 20, 'x');
    ParseResult result = parse_bibtex("@misc{a, title = {A}}\n\n@article{k,\n title = {T},\n abstract = {" + big +
                                          "}}\n@misc{b, title = {B}}\n",
                                      "t.bib");
    REQUIRE(result.records.size() == 2);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].code == "record_too_long");
    CHECK(result.errors[0].line == 3);
    CHECK(result.errors[0].index == 1);
    CHECK(result.records[1].source.index == 2);

    // @string doubling would need 2^40 bytes: stopped at the limit.
    std::string doubling = "@string{a = {xxxxxxxxxxxxxxxx}}\n";
    for (int i = 0; i < 40; ++i) doubling += "@string{a = a # a}\n";
    doubling += "@article{k, title = a # a}\n@misc{b, title = {B}}\n";
    ParseResult bomb = parse_bibtex(doubling, "t.bib");
    REQUIRE(bomb.records.size() == 1);
    CHECK(bomb.records[0].id == "b");
    REQUIRE_FALSE(bomb.errors.empty());
    for (const auto& error : bomb.errors) CHECK(error.code == "record_too_long");
    CHECK(bomb.errors.back().index == 0);
}
