#include "text/normalize.hpp"

#include "text/utf8.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace scholarsearch::text {

namespace {

/// The process-wide NFKC and NFKC_Casefold instances: ICU owns them, so each is loaded once and
/// never freed (nullptr if ICU's data lacks it: text is then left as it is).
const icu::Normalizer2* loaded(const icu::Normalizer2* (*get)(UErrorCode&)) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = get(status);
    return U_SUCCESS(status) ? normalizer : nullptr;
}

const icu::Normalizer2* nfkc_instance() {
    static const icu::Normalizer2* instance = loaded(&icu::Normalizer2::getNFKCInstance);
    return instance;
}

const icu::Normalizer2* nfkc_casefold_instance() {
    static const icu::Normalizer2* instance = loaded(&icu::Normalizer2::getNFKCCasefoldInstance);
    return instance;
}

std::string normalized(std::string_view text, const icu::Normalizer2* normalizer) {
    if (!normalizer) return std::string(text);
    UErrorCode status = U_ZERO_ERROR;
    std::string out;
    if (!is_valid_utf8(text)) {
        // fromUTF8 puts U+FFFD for each ill-formed subpart; normalizeUTF8 would leave them to ICU.
        const icu::UnicodeString unicode =
            icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
        const icu::UnicodeString result = normalizer->normalize(unicode, status);
        (U_SUCCESS(status) ? result : unicode).toUTF8String(out);
        return out;
    }
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(text.size()));
    normalizer->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink, nullptr,
                              status);
    if (U_FAILURE(status)) return std::string(text);
    return out;
}

}  // namespace

std::string nfkc(std::string_view text) {
    if (is_ascii(text)) return std::string(text);
    return normalized(text, nfkc_instance());
}

std::string nfkc_casefold(std::string_view text) { return normalized(text, nfkc_casefold_instance()); }

char nfkc_ascii(char32_t c) {
    if (c < 0x80) return static_cast<char>(c);
    // Full-width ASCII variants map one to one; no ICU call needed for the common case.
    if (c >= 0xFF01 && c <= 0xFF5E) return static_cast<char>(c - 0xFEE0);
    const icu::Normalizer2* normalizer = nfkc_instance();
    if (!normalizer) return 0;
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString normalized = normalizer->normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
    if (U_FAILURE(status) || normalized.length() != 1 || normalized.charAt(0) >= 0x80) return 0;
    return static_cast<char>(normalized.charAt(0));
}

}  // namespace scholarsearch::text
