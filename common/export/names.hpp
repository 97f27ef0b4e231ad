#pragma once
/**
 * Personal names as citation formats want them: a family name and given names. The record model
 * keeps a name as written ("Picazo-Vela, Sergio", "Sergio Picazo-Vela", "张伟"); CSL-JSON needs
 * the parts. No ICU beyond the script tests of parse/seed_format_text.
 */
#include <string>
#include <string_view>

namespace scholarsearch::exporting {

struct PersonName {
    std::string family;
    std::string given;
    std::string suffix;            ///< "Jr.", "III"
    std::string literal;           ///< a name that cannot be split (one word, an organisation)
    bool operator==(const PersonName&) const = default;
};

/**
 * Splits a name as written:
 * - "Family, Given" and "Family, Suffix, Given" (BibTeX's forms) at the commas;
 * - Chinese, Japanese and Korean names in their own script: written family name first, so with
 *   a space at the first space ("山田 太郎"), else after the family name — one character, or two
 *   for the compound surnames of Chinese (欧阳, 司马, 诸葛 ...) and Korean (남궁, 황보 ...);
 *   a name with a middle dot ("玛丽·居里", a transliterated foreign name) stays literal;
 * - otherwise "Given Family" at the last word; lower-case particles before it stay with the family
 *   name ("Ludwig van Beethoven" -> "van Beethoven", as citeproc-js parses them out of `family`
 *   itself) and a trailing "Jr."/"Sr."/"II"/"III"/"IV" goes to `suffix`;
 * - a single word, or a name that looks like an organisation (University, Institute,
 *   Consortium, ... or digits), is `literal`.
 */
PersonName split_name(std::string_view name);

}  // namespace scholarsearch::exporting
