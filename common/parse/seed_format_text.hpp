#pragma once
/**
 * Lexical helpers for the seed format (FORMAT.md §3): strict UTF-8 checking, code point
 * iteration, Unicode White_Space, the value normaliser N, NFKC and Han detection.
 * Written for the seed-format parser and shared by the other readers; everything assumes valid
 * UTF-8 unless it says otherwise.
 */
#include "record/record.hpp"

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

/// A page range as both pages ("100-110", "100--110", "S12 – S15"), split at the first run of
/// dashes: ASCII '-', U+2010 to U+2014, U+2212 and the full-width U+FF0D of Chinese exports, with
/// White_Space trimmed off both sides. "12-" (an open range) gives first page 12; without a dash,
/// or with nothing before it ("e1023", "-12"), the whole trimmed text is the first page.
record::Pages split_page_range(std::string_view text);

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
