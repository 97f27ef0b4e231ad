#pragma once
/**
 * Which script a character belongs to, as the readers, the analyzer and the exporters ask it.
 * Two questions about Han have two answers, both here so neither is written twice:
 * is_han (Script=Han, UAX #24: ideographs and the signs written only with them, 〇 々 and the
 * radicals; the analyzer's bigram rule) and is_han_ideograph (the seed format's "Han character",
 * FORMAT.md: CJK Unified Ideographs with all extensions and the compatibility ideographs).
 */
namespace scholarsearch::text {

/// Script=Han (UAX #24); U+4E00..U+9FFF without a lookup.
bool is_han(char32_t c);
/// CJK Unified Ideographs (all extensions) and CJK Compatibility Ideographs.
bool is_han_ideograph(char32_t c);
/// Hangul syllables and jamo (U+AC00..U+D7AF, U+1100..U+11FF, U+3130..U+318F).
bool is_hangul(char32_t c);
/// Hiragana and katakana (U+3040..U+30FF) except the katakana middle dot U+30FB, a separator.
bool is_kana(char32_t c);
/// A letter of a Chinese, Japanese or Korean name: a Han ideograph, Hangul or kana.
bool is_cjk_letter(char32_t c);

}  // namespace scholarsearch::text
