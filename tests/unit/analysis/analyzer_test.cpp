#include "analysis/analyzer.hpp"
#include "analysis/analyzer_testing.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using scholarsearch::analysis::Analyzer;
using scholarsearch::analysis::QueryWord;
using scholarsearch::analysis::Token;
using scholarsearch::analysis::TokenKind;

namespace {

std::vector<Token> analyze(Analyzer& analyzer, std::string_view text, std::uint32_t first = 0) {
    std::vector<Token> tokens;
    analyzer.analyze(text, tokens, first);
    return tokens;
}

std::vector<std::string> terms_of(const std::vector<Token>& tokens) {
    std::vector<std::string> terms;
    for (const Token& token : tokens) terms.push_back(token.term);
    return terms;
}

std::vector<std::uint32_t> positions_of(const std::vector<Token>& tokens) {
    std::vector<std::uint32_t> positions;
    for (const Token& token : tokens) positions.push_back(token.position);
    return positions;
}

std::string describe(const std::vector<Token>& tokens) {
    std::ostringstream out;
    for (const Token& t : tokens) {
        out << "[" << t.term << "|" << t.stem << "|" << t.variant << "|" << t.position << "|" << t.byte_begin << "-"
            << t.byte_end << "|" << (t.kind == TokenKind::cjk ? "cjk" : "word") << "] ";
    }
    return out.str();
}

std::string describe(const std::vector<QueryWord>& words) {
    std::ostringstream out;
    for (const QueryWord& w : words) {
        out << "[" << w.text << "|" << (w.kind == TokenKind::cjk ? "cjk" : "word") << "|"
            << w.stem << "|" << w.variant << "|";
        for (const std::string& term : w.terms) out << term << ",";
        out << "] ";
    }
    return out.str();
}

/// Splits well-formed UTF-8 into code points.
std::vector<std::string> code_points(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        out.emplace_back(text.substr(i, len));
        i += len;
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::size_t first, std::size_t count) {
    std::string out;
    for (std::size_t i = first; i < first + count; ++i) out += parts[i];
    return out;
}

/// True when `terms` occur in `tokens` at consecutive positions (a phrase match).
bool has_phrase(const std::vector<Token>& tokens, const std::vector<std::string>& terms) {
    for (const Token& start : tokens) {
        if (start.term != terms.front()) continue;
        bool all = true;
        for (std::size_t k = 1; k < terms.size() && all; ++k) {
            bool found = false;
            for (const Token& t : tokens) {
                if (t.term == terms[k] && t.position == start.position + k) found = true;
            }
            all = found;
        }
        if (all) return true;
    }
    return false;
}

/// An Analyzer without fast paths: the reference the fast paths must agree with.
Analyzer make_plain_icu_analyzer() {
    scholarsearch::analysis::testing::set_fast_paths_enabled(false);
    Analyzer analyzer;
    scholarsearch::analysis::testing::set_fast_paths_enabled(true);
    return analyzer;
}

bool same_tokens(const std::vector<Token>& a, const std::vector<Token>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].term != b[i].term || a[i].stem != b[i].stem || a[i].position != b[i].position ||
            a[i].byte_begin != b[i].byte_begin || a[i].byte_end != b[i].byte_end ||
            a[i].kind != b[i].kind || a[i].variant != b[i].variant) {
            return false;
        }
    }
    return true;
}

bool same_words(const std::vector<QueryWord>& a, const std::vector<QueryWord>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].text != b[i].text || a[i].kind != b[i].kind || a[i].terms != b[i].terms ||
            a[i].stem != b[i].stem || a[i].variant != b[i].variant) {
            return false;
        }
    }
    return true;
}

using Terms = std::vector<std::string>;

}  // namespace

TEST_CASE("Normalization folds compatibility forms and case into plain terms", "[analyzer]") {
    Analyzer analyzer;
    const std::vector<std::pair<std::string, Terms>> rows = {
        // full-width forms
        {"ＤＥＥＰ　ＬＥＡＲＮＩＮＧ", {"deep", "learning"}},
        {"Ｇ２５", {"g25"}},
        {"ｄａｔａ２０２０", {"data2020"}},
        // case folding, including characters whose folded form is longer
        {"Deep LEARNING", {"deep", "learning"}},
        {"Straße", {"strasse"}},
        {"ΣΟΦΙΑ", {"σοφια"}},
        // ligatures
        {"ﬁnding ﬂows", {"finding", "flows"}},
        // soft hyphen (default ignorable) disappears and joins the word
        {"hy\u00ADphen\u00ADation", {"hyphenation"}},
        // composed and decomposed accents give the same term (without the accent: see below)
        {"caf\u00E9 cafe\u0301", {"cafe", "cafe"}},
        // no-break and ideographic spaces separate words
        {"a\u00A0b\u3000c", {"a", "b", "c"}},
    };
    for (const auto& [text, expected] : rows) {
        INFO(text);
        CHECK(terms_of(analyze(analyzer, text)) == expected);
    }
}

TEST_CASE("Latin letters are folded to ASCII; umlauts also give their German spelling", "[analyzer]") {
    Analyzer analyzer;
    struct Row {
        std::string text;
        Terms terms, variants;
    };
    const std::vector<Row> rows = {
        {"Gutiérrez Gutierrez", {"gutierrez", "gutierrez"}, {"", ""}},
        {"Müller Muller Mueller", {"muller", "muller", "mueller"}, {"mueller", "", ""}},
        {"Größe Zürich Bär", {"grosse", "zurich", "bar"}, {"groesse", "zuerich", "baer"}},
        // letters without a decomposition, marks without a precomposed letter, Vietnamese
        {"Łukasz Søren Ærø Đặng Nguyễn x\u0301", {"lukasz", "soren", "aero", "dang", "nguyen", "x"},
         {"", "", "", "", "", ""}},
        {"naïve résumé coöperation", {"naive", "resume", "cooperation"}, {"", "", "cooeperation"}},
        // a typographic apostrophe inside a word is the ASCII one
        {"don\u2019t", {"don't"}, {""}},
        // other scripts keep their letters and marks
        {"ΣΟΦΙΑ йод हिन्दी", {"σοφια", "йод", "हिन्दी"}, {"", "", ""}},
    };
    for (const auto& row : rows) {
        INFO(row.text);
        const std::vector<Token> tokens = analyze(analyzer, row.text);
        CHECK(terms_of(tokens) == row.terms);
        Terms variants;
        for (const Token& token : tokens) variants.push_back(token.variant);
        variants.resize(row.terms.size());
        Terms expected = row.variants;
        expected.resize(row.terms.size());
        CHECK(variants == expected);
    }
    // Stems are of the folded word, so both spellings share the stemmed term.
    CHECK(analyze(analyzer, "résumés").at(0).stem == analyze(analyzer, "resumes").at(0).stem);
    // Offsets still cover the word as written.
    const std::string text = "Dr. Gutiérrez";
    const Token name = analyze(analyzer, text).at(1);
    CHECK(text.substr(name.byte_begin, name.byte_end - name.byte_begin) == "Gutiérrez");
    // The query side gives the same terms and variants.
    const std::vector<QueryWord> words = analyzer.query_words("GUTIÉRREZ Müller");
    REQUIRE(words.size() == 2);
    CHECK(words[0].text == "gutierrez");
    CHECK(words[0].terms == Terms{"gutierrez"});
    CHECK(words[0].variant.empty());
    CHECK(words[1].text == "muller");
    CHECK(words[1].variant == "mueller");
    // Whole values for filters and facets keep their accents (they are shown to users).
    CHECK(analyzer.fold("Gutiérrez, Ana") == "gutiérrez, ana");
}

TEST_CASE("Words, codes and numbers come out as ICU segments them", "[analyzer]") {
    Analyzer analyzer;
    const std::vector<std::pair<std::string, Terms>> rows = {
        // codes and numbers
        {"G25 2012 3.14 1,000", {"g25", "2012", "3.14", "1,000"}},
        // hyphen splits, apostrophe and full stop between letters do not
        {"e-mail", {"e", "mail"}},
        {"don't e.g. a:b", {"don't", "e.g", "a", "b"}},
        // underscores join; a lone underscore is no word
        {"snake_case _ __init__", {"snake_case", "__init__"}},
        // punctuation only
        {"... --- !!!", {}},
    };
    for (const auto& [text, expected] : rows) {
        INFO(text);
        CHECK(terms_of(analyze(analyzer, text)) == expected);
    }
}

TEST_CASE("Chinese text is indexed as overlapping bigrams over each run", "[analyzer]") {
    Analyzer analyzer;
    const std::vector<std::pair<std::string, Terms>> rows = {
        // traditional characters are indexed in their simplified form
        {"資訊檢索", {"资讯", "讯检", "检索"}},
        // simplified
        {"社交媒体", {"社交", "交媒", "媒体"}},
        // a run of one character is a unigram
        {"水", {"水"}},
        // punctuation and spaces end a run
        {"政府，社会 网络", {"政府", "社会", "网络"}},
        // kana and hangul count as CJK
        {"コーヒー", {"コー", "ーヒ", "ヒー"}},
        {"한국어", {"한국", "국어"}},
        // CJK compatibility ideographs fold to the unified ones (U+8C48 豈, then simplified 岂)
        {"\uF900", {"\u5C82"}},
    };
    for (const auto& [text, expected] : rows) {
        INFO(text);
        const std::vector<Token> tokens = analyze(analyzer, text);
        CHECK(terms_of(tokens) == expected);
        for (const Token& token : tokens) {
            CHECK(token.kind == TokenKind::cjk);
            CHECK(token.stem.empty());
        }
    }
}

TEST_CASE("Traditional and simplified Chinese give the same terms; offsets stay on the text as written", "[analyzer]") {
    Analyzer analyzer;
    // Each row is one text in both scripts (ICU's Simplified-Traditional wrote the traditional).
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"社會網絡分析", "社会网络分析"},
        {"資訊檢索與自然語言處理", "资讯检索与自然语言处理"},
        {"臺灣的學術記錄", "台湾的学术记录"},
        // 著 is simplified 着 outside ICU's phrase rules: both scripts get that one form
        {"顯著提高", "显著提高"},
        {"隨著時間", "随着时间"},
        // mixed with Latin, kana and punctuation, which are left alone
        {"深度學習deep learning模型，コーヒー", "深度学习deep learning模型，コーヒー"},
    };
    for (const auto& [traditional, simplified] : rows) {
        INFO(traditional << " / " << simplified);
        const std::vector<Token> a = analyze(analyzer, traditional);
        const std::vector<Token> b = analyze(analyzer, simplified);
        CHECK(terms_of(a) == terms_of(b));
        CHECK(positions_of(a) == positions_of(b));
        // Every traditional character has a simplified one of the same UTF-8 length, so a token
        // covers the same bytes of either text: snippets mark the characters as written.
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].byte_begin == b[i].byte_begin);
            CHECK(a[i].byte_end == b[i].byte_end);
        }
        std::vector<std::vector<std::string>> terms_a, terms_b;
        for (const QueryWord& w : analyzer.query_words(traditional)) terms_a.push_back(w.terms);
        for (const QueryWord& w : analyzer.query_words(simplified)) terms_b.push_back(w.terms);
        CHECK(terms_a == terms_b);
        CHECK(analyzer.fold(traditional) == analyzer.fold(simplified));
    }
    // Offsets point at the traditional characters themselves.
    const std::string text = "論社會";
    const std::vector<Token> tokens = analyze(analyzer, text);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[1].term == "社会");
    CHECK(text.substr(tokens[1].byte_begin, tokens[1].byte_end - tokens[1].byte_begin) == "社會");
    // Simplified text is its own simplified form (only ICU's character mappings apply, the same
    // in every context), so a substring of a text always has the terms of that part of the text.
    for (const std::string& simplified : {std::string("社会网络"), std::string("信息检索系统需要处理来源各异的学术记录")})
        CHECK(analyzer.fold(analyzer.fold(simplified)) == analyzer.fold(simplified));
    const std::vector<Token> whole = analyze(analyzer, "統計畫面");
    const std::vector<Token> part = analyze(analyzer, "畫面");
    REQUIRE(whole.size() == 3);
    REQUIRE(part.size() == 1);
    CHECK(whole[2].term == part[0].term);
    // ICU's one cycle (苎 <-> 苧) and its chain (薴 -> 苧) end on one character.
    CHECK(analyzer.fold("苎") == analyzer.fold("苧"));
    CHECK(analyzer.fold("薴") == analyzer.fold("苧"));
    // Other CJK scripts and other Han-script symbols are not touched.
    CHECK(analyzer.fold("コーヒー 한국어 「引用」") == "コーヒー 한국어 「引用」");
}

TEST_CASE("Mixed Chinese and English text keeps both kinds apart", "[analyzer]") {
    Analyzer analyzer;
    const std::string text = "深度学习deep learning模型";
    const std::vector<Token> tokens = analyze(analyzer, text);
    INFO(describe(tokens));
    CHECK(terms_of(tokens) == Terms{"深度", "度学", "学习", "deep", "learning", "模型"});
    // the run of four characters takes positions 0-3, so "deep" is at 4
    CHECK(positions_of(tokens) == std::vector<std::uint32_t>{0, 1, 2, 4, 5, 6});
    const std::vector<TokenKind> kinds = {TokenKind::cjk,  TokenKind::cjk,  TokenKind::cjk,
                                          TokenKind::word, TokenKind::word, TokenKind::cjk};
    for (std::size_t i = 0; i < tokens.size() && i < kinds.size(); ++i) {
        CHECK(tokens[i].kind == kinds[i]);
    }
    CHECK(tokens[3].stem == "deep");
    CHECK(tokens[4].stem == "learn");
}

TEST_CASE("Words get English stems only when they contain a Latin letter", "[analyzer]") {
    Analyzer analyzer;
    const std::vector<std::pair<std::string, std::string>> rows = {
        // ordinary English words
        {"learning", "learn"},
        {"governments", "govern"},
        {"Networks", "network"},
        // codes with letters are stemmed (usually unchanged)
        {"g25", "g25"},
        // numbers and non-Latin words get no stem
        {"2012", ""},
        {"3.14", ""},
        {"σοφια", ""},
    };
    for (const auto& [text, stem] : rows) {
        INFO(text);
        const std::vector<Token> tokens = analyze(analyzer, text);
        REQUIRE(tokens.size() == 1);
        CHECK(tokens[0].stem == stem);
    }
    CHECK(analyzer.stem("learning") == "learn");
    CHECK(analyzer.stem("governments") == "govern");
}

TEST_CASE("Invalid UTF-8 never fails and keeps the valid words", "[analyzer]") {
    Analyzer analyzer;
    const std::vector<std::pair<std::string, Terms>> rows = {
        // stray bytes
        {"abc\xff\xfe" "def", {"abc", "def"}},
        {"\xff", {}},
        // truncated sequences, at the end and in the middle
        {"abc \xe4\xb8", {"abc"}},
        {"中\xe4\xb8文", {"中", "文"}},
        // lone continuation byte, overlong encoding, encoded surrogate
        {"x\x80y", {"x", "y"}},
        {"\xc0\xafword", {"word"}},
        {"\xed\xa0\x80" "ok", {"ok"}},
    };
    for (const auto& [text, expected] : rows) {
        INFO(text);
        const std::vector<Token> tokens = analyze(analyzer, text);
        CHECK(terms_of(tokens) == expected);
        for (const Token& token : tokens) {
            CHECK(token.byte_end <= text.size());
            CHECK(text.substr(token.byte_begin, token.byte_end - token.byte_begin) == token.term);
        }
    }
    CHECK(analyzer.fold("a\xff" "b") == "a\uFFFDb");
    const std::vector<QueryWord> words = analyzer.query_words("abc\xff" "def");
    REQUIRE(words.size() == 2);
    CHECK(words[0].text == "abc");
    CHECK(words[1].text == "def");
}

TEST_CASE("Empty and whitespace-only text yields no tokens", "[analyzer]") {
    Analyzer analyzer;
    const std::vector<std::string> rows = {"", " ", "\t\n\r\n  ", "\u3000\u00A0", "\u00AD"};
    for (const std::string& text : rows) {
        INFO(text);
        std::vector<Token> tokens;
        CHECK(analyzer.analyze(text, tokens, 7) == 7);
        CHECK(tokens.empty());
        CHECK(analyzer.query_words(text).empty());
        CHECK(analyzer.fold(text).empty());
    }
}

TEST_CASE("Positions are consecutive and continue from first_position", "[analyzer]") {
    Analyzer analyzer;
    std::vector<Token> tokens;
    const std::uint32_t next = analyzer.analyze("one two, three", tokens);
    CHECK(positions_of(tokens) == std::vector<std::uint32_t>{0, 1, 2});
    CHECK(next == 3);

    // a second value after a gap: phrases cannot span the two
    const std::uint32_t after = analyzer.analyze("four 信息检索", tokens, next + 100);
    CHECK(positions_of(tokens) == std::vector<std::uint32_t>{0, 1, 2, 103, 104, 105, 106});
    CHECK(after == 103 + 1 + 4);  // one word, then a run of four characters

    // appends, never clears
    CHECK(terms_of(tokens) == Terms{"one", "two", "three", "four", "信息", "息检", "检索"});
}

TEST_CASE("Words longer than 64 bytes are dropped without taking a position", "[analyzer]") {
    Analyzer analyzer;
    const std::string long_word(65, 'x');
    const std::string just_fits(64, 'y');
    const std::vector<Token> tokens = analyze(analyzer, "a " + long_word + " " + just_fits + " b");
    CHECK(terms_of(tokens) == Terms{"a", just_fits, "b"});
    CHECK(positions_of(tokens) == std::vector<std::uint32_t>{0, 1, 2});
    CHECK(analyzer.query_words(long_word).empty());
}

TEST_CASE("Byte offsets point into the original text", "[analyzer]") {
    Analyzer analyzer;

    // ASCII: the original substring is the visible word
    const std::string ascii = "  Deep, learning-based G25 (2012).";
    for (const Token& token : analyze(analyzer, ascii)) {
        const std::string original = ascii.substr(token.byte_begin, token.byte_end - token.byte_begin);
        std::string lower = original;
        for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        CHECK(lower == token.term);
    }

    // rows: text, then the original substring of each token
    const std::vector<std::pair<std::string, Terms>> rows = {
        // full-width input: the range covers the full-width characters
        {"model Ｇ２５ data", {"model", "Ｇ２５", "data"}},
        {"ＤＥＥＰ　ＬＥＡＲＮＩＮＧ", {"ＤＥＥＰ", "ＬＥＡＲＮＩＮＧ"}},
        // ligature and soft hyphen stay inside the word's range
        {"the ﬁnal hy\u00ADphen", {"the", "ﬁnal", "hy\u00ADphen"}},
        // decomposed accent: the combining mark belongs to the word
        {"cafe\u0301 au lait", {"cafe\u0301", "au", "lait"}},
        // bigrams cover their two characters
        {"用深度学习。", {"用深", "深度", "度学", "学习"}},
        {"ＡＩ模型", {"ＡＩ", "模型"}},
    };
    for (const auto& [text, originals] : rows) {
        INFO(text);
        const std::vector<Token> tokens = analyze(analyzer, text);
        INFO(describe(tokens));
        REQUIRE(tokens.size() == originals.size());
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            CHECK(text.substr(tokens[i].byte_begin, tokens[i].byte_end - tokens[i].byte_begin) ==
                  originals[i]);
        }
    }
}

TEST_CASE("Query words follow ICU's words with the index's terms", "[analyzer]") {
    Analyzer analyzer;

    SECTION("Chinese words become bigram phrases, English words keep their stem") {
        const std::vector<QueryWord> words = analyzer.query_words("社交媒体 政府 Learning");
        INFO(describe(words));
        REQUIRE(words.size() == 4);
        CHECK(words[0].text == "社交");
        CHECK(words[0].terms == Terms{"社交"});
        CHECK(words[1].text == "媒体");
        CHECK(words[1].terms == Terms{"媒体"});
        CHECK(words[2].text == "政府");
        CHECK(words[2].terms == Terms{"政府"});
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(words[i].kind == TokenKind::cjk);
            CHECK(words[i].stem.empty());
        }
        CHECK(words[3].kind == TokenKind::word);
        CHECK(words[3].text == "learning");
        CHECK(words[3].terms == Terms{"learning"});
        CHECK(words[3].stem == "learn");
    }

    SECTION("a longer Chinese word is the phrase of its bigrams") {
        const std::vector<QueryWord> words = analyzer.query_words("資訊檢索");
        INFO(describe(words));
        Terms all;
        for (const QueryWord& w : words) all.insert(all.end(), w.terms.begin(), w.terms.end());
        // however ICU splits it, the terms are bigrams of the run
        for (const std::string& term : all) CHECK(code_points(term).size() == 2);
    }

    SECTION("one-character words are unigrams unless the whole run is split into them") {
        const std::vector<std::pair<std::string, std::vector<Terms>>> rows = {
            // a run of one character
            {"水", {{"水"}}},
            // next to a longer word, a particle stays a unigram
            {"研究了", {{"研究"}, {"了"}}},
            // a run ICU splits into single characters becomes one phrase of bigrams
            {"了一", {{"了一"}}},
        };
        for (const auto& [text, expected] : rows) {
            INFO(text);
            const std::vector<QueryWord> words = analyzer.query_words(text);
            INFO(describe(words));
            std::vector<Terms> got;
            for (const QueryWord& w : words) got.push_back(w.terms);
            CHECK(got == expected);
        }
    }

    SECTION("full-width and mixed queries fold like the index") {
        const std::vector<QueryWord> words = analyzer.query_words("Ｇ２５深度学习deep");
        INFO(describe(words));
        REQUIRE(words.size() >= 3);
        CHECK(words.front().text == "g25");
        CHECK(words.front().kind == TokenKind::word);
        CHECK(words.back().text == "deep");
    }
}

TEST_CASE("Every substring of a Chinese sentence is found as a bigram phrase", "[analyzer]") {
    Analyzer analyzer;
    const std::vector<std::string> sentences = {
        "信息检索系统需要处理来源各异的学术记录",
        "研究了一个关于社交媒体与政府回应的问题",
        "資訊檢索與自然語言處理",
    };
    for (const std::string& sentence : sentences) {
        INFO(sentence);
        const std::vector<Token> tokens = analyze(analyzer, sentence);
        const std::vector<std::string> chars = code_points(sentence);
        for (std::size_t first = 0; first + 1 < chars.size(); ++first) {
            // every two-character substring is exactly one bigram of the index
            const std::string pair = join(chars, first, 2);
            INFO(pair);
            const std::vector<QueryWord> pair_words = analyzer.query_words(pair);
            REQUIRE(pair_words.size() == 1);
            CHECK(pair_words[0].terms == Terms{tokens.at(first).term});   // the bigram at that place
            CHECK(has_phrase(tokens, pair_words[0].terms));

            // longer substrings: each query word of two or more characters is a phrase of
            // consecutive bigrams; single characters only stand beside such a word
            for (std::size_t count = 3; first + count <= chars.size(); ++count) {
                const std::string query = join(chars, first, count);
                INFO(query);
                const std::vector<QueryWord> words = analyzer.query_words(query);
                bool any_phrase = false;
                for (const QueryWord& word : words) {
                    INFO(word.text);
                    if (code_points(word.text).size() == 1) continue;
                    any_phrase = true;
                    CHECK(word.terms.size() + 1 == code_points(word.text).size());
                    CHECK(has_phrase(tokens, word.terms));
                }
                CHECK(any_phrase);
            }
        }
    }
}

TEST_CASE("fold normalizes, trims and collapses whitespace", "[analyzer]") {
    Analyzer analyzer;
    const std::vector<std::pair<std::string, std::string>> rows = {
        // trimming and collapsing
        {"  Machine   Learning  ", "machine learning"},
        {"\tsocial\n media\r\n", "social media"},
        // compatibility forms, ideographic space, soft hyphen
        {"ＤＥＥＰ　Ｌｅａｒｎｉｎｇ", "deep learning"},
        {"hy\u00ADphen", "hyphen"},
        // punctuation is kept as it is, Han characters are simplified as in the index
        {"資訊檢索, IR", "资讯检索, ir"},
        {"", ""},
    };
    for (const auto& [text, expected] : rows) {
        INFO(text);
        CHECK(analyzer.fold(text) == expected);
    }
}

TEST_CASE("Fast paths give exactly the tokens of the plain ICU pipeline", "[analyzer]") {
    Analyzer fast;
    Analyzer plain = make_plain_icu_analyzer();
    std::size_t compared = 0;

    auto check_same = [&](const std::string& text) {
        ++compared;
        std::vector<Token> a;
        std::vector<Token> b;
        const std::uint32_t next_a = fast.analyze(text, a, 3);
        const std::uint32_t next_b = plain.analyze(text, b, 3);
        const bool tokens_ok = same_tokens(a, b) && next_a == next_b;
        const std::vector<QueryWord> qa = fast.query_words(text);
        const std::vector<QueryWord> qb = plain.query_words(text);
        const bool words_ok = same_words(qa, qb);
        if (!tokens_ok || !words_ok) {
            INFO("text: " << text);
            INFO("fast:  " << describe(a) << " / " << describe(qa));
            INFO("plain: " << describe(b) << " / " << describe(qb));
            CHECK(false);
        }
        return tokens_ok && words_ok;
    };

    SECTION("every ASCII character in every word-break context") {
        std::size_t failures = 0;
        for (int code = 0; code < 128; ++code) {
            const std::string c(1, static_cast<char>(code));
            const std::vector<std::string> contexts = {
                c, c + c, "a" + c + "b", "1" + c + "2", "a" + c + "1", "1" + c + "a",
                "a" + c, c + "a", "1" + c, c + "1", "_" + c + "_", c + "\u0301", "中" + c + "文",
                "é" + c + "é"};
            for (const std::string& text : contexts) {
                if (!check_same(text) && ++failures > 10) FAIL("too many differences");
            }
        }
        CHECK(compared == 128 * 14);
    }

    SECTION("all short strings over the ASCII characters that matter to word breaks") {
        const std::string alphabet = "aZ1.,;:'_ -@\"\n";
        std::size_t failures = 0;
        std::string text;
        // every string of length 1..4, then a sample of length 5
        for (std::size_t length = 1; length <= 4; ++length) {
            std::vector<std::size_t> digits(length, 0);
            while (true) {
                text.clear();
                for (std::size_t d : digits) text.push_back(alphabet[d]);
                if (!check_same(text) && ++failures > 10) FAIL("too many differences");
                std::size_t k = 0;
                while (k < length && ++digits[k] == alphabet.size()) digits[k++] = 0;
                if (k == length) break;
            }
        }
        CHECK(compared == 14 + 14 * 14 + 14 * 14 * 14 + 14 * 14 * 14 * 14);
    }

    SECTION("random mixed-script texts") {
        // Fragments chosen to hit every case the fast paths must get right: ASCII word-break
        // classes, case, non-ASCII letters and marks next to ASCII, Han runs of all lengths
        // next to kana, hangul, Thai, riders and punctuation, compatibility forms, bad bytes.
        const std::vector<std::string> fragments = {
            "a", "Z", "x", "7", "0", ".", ",", ";", ":", "'", "_", "-", "\"", " ", " ", "  ",
            "\t", "\n", "\r\n", "(", ")", "word", "Learning", "3.14", "e.g.", "1,000",
            "é", "e\u0301", "\u0301", "ß", "ﬁ", "Ω", "σ", "\u00AD", "\u00A0", "\u3000",
            "Ｇ", "２", "ＡＢ", "\u200B", "\u2019", "\u00B7", "ü", "Ö", "ł",
            "中", "文", "資", "訊", "检索", "社交媒体", "社會", "檢索", "著", "苧", "了", "的", "⺀", "々", "〇", "\uF900",
            "、", "。", "，", "「", "」",
            "か", "カ", "ー", "ｶ", "ﾞ", "한", "국어", "ไทย", "\U0001F600", "\U00020000",
            "\xff", "\xe4\xb8", "\x80",
        };
        std::mt19937 rng(20240531);
        std::uniform_int_distribution<std::size_t> pick(0, fragments.size() - 1);
        std::uniform_int_distribution<int> length(0, 24);
        std::size_t failures = 0;
        for (int round = 0; round < 20000; ++round) {
            std::string text;
            for (int n = length(rng); n > 0; --n) text += fragments[pick(rng)];
            if (!check_same(text) && ++failures > 10) FAIL("too many differences");
        }
        CHECK(compared == 20000);
    }

    SECTION("realistic abstracts") {
        const std::vector<std::string> texts = {
            "We study Retrieval-Augmented Generation (RAG) on 1,204 papers; "
            "recall@10 improves from 0.61 to 0.74 (p < 0.01).",
            "本文研究了基于深度学习的中文信息检索方法，在2019年的数据集上取得了较好的效果。",
            "社交媒体social media上的公共政策讨论：a case study of Weibo与Twitter。",
            "Ｆｕｌｌ－ｗｉｄｔｈ ＴＥＸＴ and naïve café résumé coöperation.",
        };
        for (const std::string& text : texts) CHECK(check_same(text));
    }
}
