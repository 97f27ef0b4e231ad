#pragma once
/**
 * UTF-8 primitives, the one home of each: what a well-formed sequence is (RFC 3629: no overlong
 * forms, no UTF-16 surrogates, nothing past U+10FFFF, no truncated or stray bytes), decoding and
 * encoding code points, and cutting text without splitting a character. Every reader, the
 * analyzer, the index and the HTTP layer use these.
 */
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace scholarsearch::text {

/// Length (1 to 4) of the well-formed UTF-8 sequence starting at `pos`, or 0 if the bytes there
/// are not one. `pos` must be inside `text`.
inline std::size_t valid_sequence_length(std::string_view text, std::size_t pos) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(pos);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;   // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead == 0xE0) {
        length = 3, low = 0xA0;    // lower: overlong
    } else if (lead == 0xED) {
        length = 3, high = 0x9F;   // higher: UTF-16 surrogates
    } else if (lead >= 0xE1 && lead <= 0xEF) {
        length = 3;
    } else if (lead == 0xF0) {
        length = 4, low = 0x90;    // lower: overlong
    } else if (lead >= 0xF1 && lead <= 0xF3) {
        length = 4;
    } else if (lead == 0xF4) {
        length = 4, high = 0x8F;   // higher: beyond U+10FFFF
    } else {
        return 0;   // a continuation byte, C0/C1 (overlong), F5..FF
    }
    if (pos + length > text.size() || byte(pos + 1) < low || byte(pos + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k)
        if ((byte(pos + k) & 0xC0) != 0x80) return 0;
    return length;
}

/// Offset of the first ill-formed sequence, or npos when `bytes` is well-formed UTF-8.
std::size_t first_invalid_utf8(std::string_view bytes);

inline bool is_valid_utf8(std::string_view bytes) { return first_invalid_utf8(bytes) == std::string_view::npos; }

struct EncodingProblem {
    std::size_t offset = 0;   ///< byte offset of the offending byte or sequence
    bool nul = false;         ///< true for a NUL byte, false for invalid UTF-8
};

/// The first NUL byte or ill-formed sequence: what text read from a file must not hold.
std::optional<EncodingProblem> find_encoding_problem(std::string_view bytes);

bool is_ascii(std::string_view text);

/// Decodes the code point starting at `pos` and moves `pos` past it (input must be valid UTF-8;
/// a sequence cut off by the end of `text` gives U+FFFD and moves `pos` to the end).
char32_t next_code_point(std::string_view text, std::size_t& pos);

/// Appends the UTF-8 encoding of `c`.
void append_utf8(std::string& out, char32_t c);

/// How many bytes the sequence `lead` begins has: 2 to 4 for a lead byte, 1 for ASCII and for a
/// byte that cannot begin a sequence (first_invalid_utf8 reports those).
std::size_t lead_length(unsigned char lead);

/// Where a sequence that `text` cuts off at its end begins; text.size() when `text` ends between
/// characters (a block of a file read in pieces keeps the cut character for the next one).
std::size_t incomplete_tail(std::string_view text);

/// `at` (at most text.size()) moved back to the start of the character it falls inside.
std::size_t char_boundary(std::string_view text, std::size_t at);

/// The longest prefix of `text` of at most `max_bytes` that does not end inside a character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace scholarsearch::text
