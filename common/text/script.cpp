#include "text/script.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

namespace scholarsearch::text {

bool is_han(char32_t c) {
    if (c >= 0x4E00 && c <= 0x9FFF) return true;
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(static_cast<UChar32>(c), &status) == USCRIPT_HAN;
}

bool is_han_ideograph(char32_t c) {
    if (c < 0x2E80) return false;
    const auto code_point = static_cast<UChar32>(c);
    if (u_hasBinaryProperty(code_point, UCHAR_UNIFIED_IDEOGRAPH)) return true;
    // Compatibility ideographs (U+F900.., U+2F800..) are not Unified_Ideograph but count as Han.
    const UBlockCode block = ublock_getCode(code_point);
    return (block == UBLOCK_CJK_COMPATIBILITY_IDEOGRAPHS || block == UBLOCK_CJK_COMPATIBILITY_IDEOGRAPHS_SUPPLEMENT) &&
           u_hasBinaryProperty(code_point, UCHAR_IDEOGRAPHIC);
}

bool is_hangul(char32_t c) {
    return (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F);
}

bool is_kana(char32_t c) { return c >= 0x3040 && c <= 0x30FF && c != 0x30FB; }

bool is_cjk_letter(char32_t c) { return is_han_ideograph(c) || is_hangul(c) || is_kana(c); }

}  // namespace scholarsearch::text
