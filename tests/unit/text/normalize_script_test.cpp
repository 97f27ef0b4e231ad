// NFKC and script detection as the readers, the query parser and the exporters use them.
#include "text/normalize.hpp"
#include "text/script.hpp"
#include "text/utf8.hpp"

#include <catch2/catch.hpp>

using namespace scholarsearch;

TEST_CASE("normalize: NFKC of full-width, compatibility and plain text") {
    CHECK(text::nfkc("plain ascii") == "plain ascii");
    CHECK(text::nfkc("ＴＲＡＮＳＰＡＲＥＮＣＹ ２０２１") == "TRANSPARENCY 2021");
    CHECK(text::nfkc("ﬁnite") == "finite");
    CHECK(text::nfkc("㌀") == "アパート");
    CHECK(text::nfkc("e\u0301") == "é");   // composed
    CHECK(text::nfkc("政府信息") == "政府信息");
}

TEST_CASE("normalize: ill-formed UTF-8 becomes U+FFFD, the rest is still normalized") {
    CHECK(text::nfkc("Ｘ\xFFＹ") == "X\uFFFDY");
    CHECK(text::nfkc("caf\xE9 ﬁ") == "caf\uFFFD fi");
    CHECK(text::nfkc("\xED\xA0\x80") == "\uFFFD\uFFFD\uFFFD");   // a surrogate: three ill-formed bytes
    CHECK(text::is_valid_utf8(text::nfkc("\xC3 ２ \xF0\x9F")));
}

TEST_CASE("normalize: NFKC_Casefold folds case after NFKC, ill-formed bytes included") {
    CHECK(text::nfkc_casefold("ＳＴＲＡßＥ Title") == "strasse title");
    CHECK(text::nfkc_casefold("ﬁnite ΣΑΣ") == "finite σασ");
    CHECK(text::nfkc_casefold("Ｘ\xFFＹ") == "x\uFFFDy");
}

TEST_CASE("normalize: the ASCII a character stands for") {
    CHECK(text::nfkc_ascii(U'7') == '7');
    CHECK(text::nfkc_ascii(U'\uFF12') == '2');
    CHECK(text::nfkc_ascii(U'\uFF3B') == '[');
    CHECK(text::nfkc_ascii(U'\u2460') == '1');   // circled digit one
    CHECK(text::nfkc_ascii(U'\u738B') == 0);
    CHECK(text::nfkc_ascii(U'\u00E9') == 0);
}

TEST_CASE("script: Han as a script and Han as the seed format's ideographs") {
    for (const char32_t c : {U'\u738B', U'\u4E00', U'\u9FFF', U'\u3400', U'\U00020000', U'\uF900', U'\U0002F800'}) {
        CHECK(text::is_han(c));
        CHECK(text::is_han_ideograph(c));
    }
    // Signs of the Han script that are not ideographs: 〇 and 々, a radical.
    for (const char32_t c : {U'\u3007', U'\u3005', U'\u2E80'}) {
        CHECK(text::is_han(c));
        CHECK_FALSE(text::is_han_ideograph(c));
    }
    for (const char32_t c : {U'a', U'\u00E9', U'\u3042', U'\u30A2', U'\uAC00', U'\u3001', U'\uFF0C'}) {
        CHECK_FALSE(text::is_han(c));
        CHECK_FALSE(text::is_han_ideograph(c));
    }
}

TEST_CASE("script: the letters of CJK names") {
    CHECK(text::is_hangul(U'\uAC00'));   // 가
    CHECK(text::is_hangul(U'\u1100'));   // a leading jamo
    CHECK_FALSE(text::is_hangul(U'\u738B'));
    CHECK(text::is_kana(U'\u3042'));     // あ
    CHECK(text::is_kana(U'\u30A2'));     // ア
    CHECK_FALSE(text::is_kana(U'\u30FB'));   // the katakana middle dot separates names
    for (const char32_t c : {U'\u738B', U'\uAC00', U'\u3042'}) CHECK(text::is_cjk_letter(c));
    for (const char32_t c : {U'a', U'\u30FB', U'\u00B7', U' ', U'\u3007'}) CHECK_FALSE(text::is_cjk_letter(c));
}
