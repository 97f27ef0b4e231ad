// UTF-8 primitives on bad bytes, truncated sequences, surrogates, overlong forms and cuts inside
// a character: every row below is a byte string a file or a request really can hold.
#include "text/utf8.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace scholarsearch;

namespace {
constexpr std::size_t npos = std::string_view::npos;
}

TEST_CASE("utf8: well-formed text of every sequence length is valid") {
    for (const std::string text : {"", "plain ascii, long enough to take the eight-byte path", "é", "政府信息公开",
                                   "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "\xEF\xBF\xBD", "\xED\x9F\xBF",
                                   "\xEE\x80\x80", "mixed: Müller 王 \xF0\xA0\x80\x80 end"}) {
        INFO(text);
        CHECK(text::is_valid_utf8(text));
        CHECK(text::first_invalid_utf8(text) == npos);
        CHECK_FALSE(text::find_encoding_problem(text));
    }
}

TEST_CASE("utf8: the first ill-formed sequence is found at its offset") {
    struct Row {
        std::string bytes;
        std::size_t offset;
        const char* why;
    };
    const std::vector<Row> rows{
        {"abc\x80", 3, "a stray continuation byte"},
        {"abc\xBF def", 3, "another stray continuation byte"},
        {"ab\xC3", 2, "a two-byte sequence cut off by the end"},
        {"\xE6\x94 x", 0, "a three-byte sequence missing its last byte"},
        {"12345678\xF0\x9F\x98", 8, "a four-byte sequence cut off, after the eight-byte path"},
        {"\xC0\xAF", 0, "an overlong '/' (C0)"},
        {"\xC1\xBF", 0, "an overlong DEL (C1)"},
        {"\xE0\x80\xAF", 0, "an overlong three-byte '/'"},
        {"\xE0\x9F\xBF", 0, "an overlong three-byte U+07FF"},
        {"\xF0\x8F\xBF\xBF", 0, "an overlong four-byte U+FFFF"},
        {"ok \xED\xA0\x80", 3, "a UTF-16 high surrogate U+D800"},
        {"\xED\xBF\xBF", 0, "a UTF-16 low surrogate U+DFFF"},
        {"\xED\xA0\xBD\xED\xB8\x80", 0, "a surrogate pair written as CESU-8"},
        {"\xF4\x90\x80\x80", 0, "U+110000, past the last code point"},
        {"\xF5\x80\x80\x80", 0, "a lead byte F5"},
        {"\xFF", 0, "the byte FF"},
        {"caf\xE9", 3, "Latin-1 é"},
        {"\xD5\xFE\xB8\xAE", 0, "GBK 政府: D5 starts a two-byte sequence that FE cannot continue"},
        {"\xC3\x28", 0, "a lead byte followed by ASCII"},
    };
    for (const auto& row : rows) {
        INFO(row.why);
        CHECK(text::first_invalid_utf8(row.bytes) == row.offset);
        CHECK_FALSE(text::is_valid_utf8(row.bytes));
        const auto problem = text::find_encoding_problem(row.bytes);
        REQUIRE(problem);
        CHECK(problem->offset == row.offset);
        CHECK_FALSE(problem->nul);
    }
}

TEST_CASE("utf8: a NUL byte is valid UTF-8 but an encoding problem of a file") {
    const std::string text("title\0abc", 9);
    CHECK(text::is_valid_utf8(text));
    const auto problem = text::find_encoding_problem(text);
    REQUIRE(problem);
    CHECK(problem->offset == 5);
    CHECK(problem->nul);
    // The first problem counts, whichever it is.
    CHECK_FALSE(text::find_encoding_problem(std::string("\x80\0", 2))->nul);
}

TEST_CASE("utf8: sequence lengths") {
    CHECK(text::valid_sequence_length("a", 0) == 1);
    CHECK(text::valid_sequence_length("é", 0) == 2);
    CHECK(text::valid_sequence_length("王", 0) == 3);
    CHECK(text::valid_sequence_length("\xF0\x9F\x98\x80", 0) == 4);
    CHECK(text::valid_sequence_length("王", 1) == 0);   // inside a character
    CHECK(text::valid_sequence_length("\xE7\x8E", 0) == 0);
    CHECK(text::valid_sequence_length("\xED\xA0\x80", 0) == 0);
}

TEST_CASE("utf8: code points decode and encode both ways") {
    for (const char32_t c : {U'\0', U'a', U'\u00E9', U'\u07FF', U'\u0800', U'\u738B', U'\uFFFD', U'\U00010000',
                             U'\U0010FFFF'}) {
        std::string encoded;
        text::append_utf8(encoded, c);
        CHECK(text::is_valid_utf8(encoded));
        std::size_t pos = 0;
        CHECK(text::next_code_point(encoded, pos) == c);
        CHECK(pos == encoded.size());
    }
    // A view that cuts a character off gives U+FFFD and never reads past its end.
    const std::string wang = "王";
    std::size_t pos = 0;
    CHECK(text::next_code_point(std::string_view(wang).substr(0, 2), pos) == 0xFFFD);
    CHECK(pos == 2);
}

TEST_CASE("utf8: prefixes never end inside a character") {
    const std::string text = "ab王é";   // a b [E7 8E 8B] [C3 A9]
    CHECK(text::utf8_prefix(text, 0) == "");
    CHECK(text::utf8_prefix(text, 2) == "ab");
    CHECK(text::utf8_prefix(text, 3) == "ab");   // inside 王
    CHECK(text::utf8_prefix(text, 4) == "ab");
    CHECK(text::utf8_prefix(text, 5) == "ab王");
    CHECK(text::utf8_prefix(text, 6) == "ab王");  // inside é
    CHECK(text::utf8_prefix(text, 7) == text);
    CHECK(text::utf8_prefix(text, 100) == text);
    for (std::size_t n = 0; n <= text.size(); ++n) CHECK(text::is_valid_utf8(text::utf8_prefix(text, n)));
    const std::string emoji = "\xF0\x9F\x98\x80";
    for (std::size_t n = 0; n < 4; ++n) CHECK(text::utf8_prefix(emoji, n).empty());
    CHECK(text::char_boundary(text, 4) == 2);
    CHECK(text::char_boundary(text, 99) == text.size());
}

TEST_CASE("utf8: a character cut off at the end of a block is found where it begins") {
    const std::string text = "ab王é";   // a b [E7 8E 8B] [C3 A9]
    CHECK(text::incomplete_tail(text) == text.size());
    CHECK(text::incomplete_tail(text.substr(0, 6)) == 5);   // é's lead byte alone
    CHECK(text::incomplete_tail(text.substr(0, 4)) == 2);   // two of 王's three bytes
    CHECK(text::incomplete_tail(text.substr(0, 5)) == 5);
    CHECK(text::incomplete_tail("\xF0\x9F\x98") == 0);
    CHECK(text::incomplete_tail("a\xFF") == 2);              // not a lead byte: nothing to wait for
    CHECK(text::lead_length(0xE7) == 3);
    CHECK(text::lead_length(0x80) == 1);
}

TEST_CASE("utf8: ascii") {
    CHECK(text::is_ascii(""));
    CHECK(text::is_ascii("sixteen bytes ok"));
    CHECK_FALSE(text::is_ascii("fifteen bytes é"));
    CHECK_FALSE(text::is_ascii("\x80"));
}
