#pragma once
/**
 * Unicode normalisation form NFKC, the one place it is done for stored values and queries:
 * full-width letters and digits become ASCII, compatibility characters their plain forms
 * ("ﬁ" -> "fi", "㌀" -> "アパート"). (The analyzer's NFKC_Casefold, which also records the edits
 * so tokens keep their offsets, is part of the analyzer.)
 */
#include <string>
#include <string_view>

namespace scholarsearch::text {

/// NFKC of `text` (ASCII is returned unchanged without ICU). Ill-formed UTF-8 sequences become
/// U+FFFD, one per maximal ill-formed subpart.
std::string nfkc(std::string_view text);

/// NFKC_Casefold of `text` (NFKC, then case folding: "Ｓtraße" -> "strasse"), for comparing
/// text as written by people (the citation graph's title and name keys). The analyzer has its own,
/// which also keeps the offsets of every token.
std::string nfkc_casefold(std::string_view text);

/// The ASCII character `c` becomes under NFKC ('２' -> '2', '［' -> '['), or 0 if it is not one.
char nfkc_ascii(char32_t c);

}  // namespace scholarsearch::text
