#pragma once
/**
 * Lexical helpers for the seed format (FORMAT.md §3): strict UTF-8 checking, code point
 * iteration, Unicode White_Space, the value normaliser N, NFKC and Han detection.
 * Private to the seed-format parser; everything assumes valid UTF-8 unless it says otherwise.
 */
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::parse::seed {

struct EncodingProblem {
    std::size_t offset = 0;   ///< byte offset of the offending byte or sequence
    bool nul = false;         ///< true for a NUL byte, false for invalid UTF-8
};

/// First NUL byte or invalid UTF-8 sequence (overlong, surrogate, > U+10FFFF, truncated).
std::optional<EncodingProblem> find_encoding_problem(std::string_view bytes);

/// Decodes the code point starting at `pos` and moves `pos` past it (input must be valid UTF-8).
char32_t next_code_point(std::string_view text, std::size_t& pos);

bool is_ascii(std::string_view text);
bool is_white_space(char32_t c);
/// CJK Unified Ideographs (all extensions) and CJK Compatibility Ideographs.
bool is_han(char32_t c);

/// Text without White_Space at both ends.
std::string_view trim(std::string_view text);
/// FORMAT.md's N: trim, then every inner run of White_Space becomes one U+0020.
std::string normalize_space(std::string_view text);
/// The text with every White_Space character deleted.
std::string remove_white_space(std::string_view text);

/// NFKC of UTF-8 text (the shared ICU instance; ASCII is returned unchanged without ICU).
std::string nfkc(std::string_view text);
/// The ASCII character `c` becomes under NFKC ('２' -> '2', '［' -> '['), or 0 if it is not one.
char nfkc_ascii(char32_t c);

/// Splits at every occurrence of any of `separators`; pieces are views into `text`.
std::vector<std::string_view> split_at(std::string_view text, std::u32string_view separators);

bool equals_ascii_ci(std::string_view a, std::string_view b);
bool starts_with_ascii_ci(std::string_view text, std::string_view prefix);

/// Joins `parts` with `separator`.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace scholarsearch::parse::seed
