#pragma once
/**
 * Lexical helpers for the seed format (FORMAT.md §3): Unicode White_Space, the value normaliser
 * N, page ranges and splitting. Written for the seed-format parser and shared by the other
 * readers; everything assumes valid UTF-8. UTF-8 itself, NFKC and scripts are common/text's.
 */
#include "record/record.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::parse::seed {

bool is_white_space(char32_t c);

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

/// Splits at every occurrence of any of `separators`; pieces are views into `text`.
std::vector<std::string_view> split_at(std::string_view text, std::u32string_view separators);

bool equals_ascii_ci(std::string_view a, std::string_view b);
bool starts_with_ascii_ci(std::string_view text, std::string_view prefix);

/// Joins `parts` with `separator`.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace scholarsearch::parse::seed
