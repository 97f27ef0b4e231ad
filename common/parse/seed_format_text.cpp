#include "parse/seed_format_text.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <cstring>

namespace scholarsearch::parse::seed {

namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kLowBits = 0x0101010101010101ULL;

bool ascii_white_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/// The process-wide NFKC instance: ICU owns it, so it is created once and never freed.
const icu::Normalizer2* nfkc_instance() {
    static const icu::Normalizer2* instance = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCInstance(status);
        return U_SUCCESS(status) ? normalizer : nullptr;
    }();
    return instance;
}

}  // namespace

std::optional<EncodingProblem> find_encoding_problem(std::string_view bytes) {
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t size = bytes.size();
    std::size_t i = 0;
    while (i < size) {
        // Most input is ASCII: skip 8 bytes at a time when none is NUL or has the high bit.
        if (i + 8 <= size) {
            std::uint64_t word;
            std::memcpy(&word, data + i, sizeof word);
            bool has_zero = ((word - kLowBits) & ~word & kHighBits) != 0;
            if ((word & kHighBits) == 0 && !has_zero) {
                i += 8;
                continue;
            }
        }
        const unsigned char lead = data[i];
        if (lead < 0x80) {
            if (lead == 0) return EncodingProblem{i, true};
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;   // allowed range of the second byte
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead == 0xE0) {
            length = 3;
            low = 0xA0;   // lower: overlong
        } else if (lead == 0xED) {
            length = 3;
            high = 0x9F;  // higher: UTF-16 surrogates
        } else if (lead >= 0xE1 && lead <= 0xEF) {
            length = 3;
        } else if (lead == 0xF0) {
            length = 4;
            low = 0x90;   // lower: overlong
        } else if (lead >= 0xF1 && lead <= 0xF3) {
            length = 4;
        } else if (lead == 0xF4) {
            length = 4;
            high = 0x8F;  // higher: beyond U+10FFFF
        } else {
            return EncodingProblem{i, false};   // continuation byte, C0/C1 overlong, F5..FF
        }
        if (i + length > size || data[i + 1] < low || data[i + 1] > high)
            return EncodingProblem{i, false};
        for (std::size_t k = 2; k < length; ++k)
            if ((data[i + k] & 0xC0) != 0x80) return EncodingProblem{i, false};
        i += length;
    }
    return std::nullopt;
}

char32_t next_code_point(std::string_view text, std::size_t& pos) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(pos);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    // Defensive against misuse on a truncated view: never read past the end.
    std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (pos + length > text.size()) {
        pos = text.size();
        return 0xFFFD;
    }
    char32_t c = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) c = (c << 6) | (byte(pos + k) & 0x3F);
    pos += length;
    return c;
}

namespace {

bool is_page_range_dash(char32_t c) { return c == '-' || (c >= 0x2010 && c <= 0x2014) || c == 0x2212 || c == 0xFF0D; }

}  // namespace

record::Pages split_page_range(std::string_view text) {
    text = trim(text);
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t dash_start = pos;
        if (!is_page_range_dash(next_code_point(text, pos))) continue;
        std::size_t dash_end = pos;
        for (std::size_t next = dash_end; next < text.size() && is_page_range_dash(next_code_point(text, next));)
            dash_end = next;
        // Only the first run counts: "-12-15" is one label, not the range 12 to 15.
        const std::string_view first = trim(text.substr(0, dash_start));
        if (first.empty()) break;
        const std::string_view last = trim(text.substr(dash_end));
        return {std::string(first), last.empty() ? std::nullopt : std::optional<std::string>(last)};
    }
    return {std::string(text), std::nullopt};
}

bool is_ascii(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

bool is_white_space(char32_t c) {
    if (c < 0x80) return ascii_white_space(static_cast<unsigned char>(c));
    return u_isUWhiteSpace(static_cast<UChar32>(c));
}

bool is_han(char32_t c) {
    if (c < 0x2E80) return false;
    const auto code_point = static_cast<UChar32>(c);
    if (u_hasBinaryProperty(code_point, UCHAR_UNIFIED_IDEOGRAPH)) return true;
    // Compatibility ideographs (U+F900.., U+2F800..) are not Unified_Ideograph but count as Han.
    const UBlockCode block = ublock_getCode(code_point);
    return (block == UBLOCK_CJK_COMPATIBILITY_IDEOGRAPHS ||
            block == UBLOCK_CJK_COMPATIBILITY_IDEOGRAPHS_SUPPLEMENT) &&
           u_hasBinaryProperty(code_point, UCHAR_IDEOGRAPHIC);
}

std::string_view trim(std::string_view text) {
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t next = begin;
        if (!is_white_space(next_code_point(text, next))) break;
        begin = next;
    }
    std::size_t end = text.size();
    while (end > begin) {
        // Step back to the start of the last code point.
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
        std::size_t next = start;
        if (!is_white_space(next_code_point(text, next))) break;
        end = start;
    }
    return text.substr(begin, end - begin);
}

std::string normalize_space(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    std::size_t run_start = 0;   // start of the current run of non-space characters
    auto flush = [&](std::size_t run_end) {
        if (run_end == run_start) return;
        if (pending_space) out += ' ';
        pending_space = false;
        out.append(text, run_start, run_end - run_start);
    };
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t start = pos;
        const unsigned char byte = static_cast<unsigned char>(text[pos]);
        bool space;
        if (byte < 0x80) {
            space = ascii_white_space(byte);
            ++pos;
        } else {
            space = is_white_space(next_code_point(text, pos));
        }
        if (!space) continue;
        flush(start);
        pending_space = !out.empty();
        run_start = pos;
    }
    flush(text.size());
    return out;
}

std::string remove_white_space(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t start = pos;
        if (!is_white_space(next_code_point(text, pos))) out.append(text, start, pos - start);
    }
    return out;
}

std::string nfkc(std::string_view text) {
    if (is_ascii(text)) return std::string(text);
    const icu::Normalizer2* normalizer = nfkc_instance();
    if (!normalizer) return std::string(text);
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(text.size()));
    UErrorCode status = U_ZERO_ERROR;
    normalizer->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
                              sink, nullptr, status);
    if (U_FAILURE(status)) return std::string(text);
    return out;
}

char nfkc_ascii(char32_t c) {
    if (c < 0x80) return static_cast<char>(c);
    // Full-width ASCII variants map one to one; no ICU call needed for the common case.
    if (c >= 0xFF01 && c <= 0xFF5E) return static_cast<char>(c - 0xFEE0);
    const icu::Normalizer2* normalizer = nfkc_instance();
    if (!normalizer) return 0;
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString normalized =
        normalizer->normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
    if (U_FAILURE(status) || normalized.length() != 1 || normalized.charAt(0) >= 0x80) return 0;
    return static_cast<char>(normalized.charAt(0));
}

std::vector<std::string_view> split_at(std::string_view text, std::u32string_view separators) {
    std::vector<std::string_view> pieces;
    std::size_t piece_start = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t start = pos;
        const char32_t c = next_code_point(text, pos);
        if (separators.find(c) != std::u32string_view::npos) {
            pieces.push_back(text.substr(piece_start, start - piece_start));
            piece_start = pos;
        }
    }
    pieces.push_back(text.substr(piece_start));
    return pieces;
}

bool equals_ascii_ci(std::string_view a, std::string_view b) {
    return a.size() == b.size() && starts_with_ascii_ci(a, b);
}

bool starts_with_ascii_ci(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(text[i]) != lower(prefix[i])) return false;
    }
    return true;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += separator;
        out += parts[i];
    }
    return out;
}

}  // namespace scholarsearch::parse::seed
