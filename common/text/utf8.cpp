#include "text/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace scholarsearch::text {

namespace {

constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
constexpr std::uint64_t low_bits = 0x0101010101010101ULL;

std::uint64_t word_at(const char* p) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// Offset of the first ill-formed sequence (or, with `nul_is_bad`, NUL byte), or npos. Most text
// is ASCII: eight bytes at a time are skipped when none has the high bit (or is NUL).
template <bool nul_is_bad>
std::size_t first_bad_byte(std::string_view bytes) {
    const std::size_t size = bytes.size();
    std::size_t i = 0;
    while (i < size) {
        if (i + 8 <= size) {
            const std::uint64_t word = word_at(bytes.data() + i);
            const bool has_zero = nul_is_bad && ((word - low_bits) & ~word & high_bits) != 0;
            if ((word & high_bits) == 0 && !has_zero) {
                i += 8;
                continue;
            }
        }
        const auto lead = static_cast<unsigned char>(bytes[i]);
        if (lead < 0x80) {
            if (nul_is_bad && lead == 0) return i;
            ++i;
            continue;
        }
        const std::size_t length = valid_sequence_length(bytes, i);
        if (length == 0) return i;
        i += length;
    }
    return std::string_view::npos;
}

}  // namespace

std::size_t first_invalid_utf8(std::string_view bytes) { return first_bad_byte<false>(bytes); }

std::optional<EncodingProblem> find_encoding_problem(std::string_view bytes) {
    const std::size_t bad = first_bad_byte<true>(bytes);
    if (bad == std::string_view::npos) return std::nullopt;
    return EncodingProblem{bad, bytes[bad] == '\0'};
}

bool is_ascii(std::string_view text) {
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8)
        if ((word_at(text.data() + i) & high_bits) != 0) return false;
    for (; i < text.size(); ++i)
        if (static_cast<unsigned char>(text[i]) >= 0x80) return false;
    return true;
}

char32_t next_code_point(std::string_view text, std::size_t& pos) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(pos);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    // Defensive against misuse on a truncated view: never read past the end.
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (pos + length > text.size()) {
        pos = text.size();
        return 0xFFFD;
    }
    char32_t c = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) c = (c << 6) | (byte(pos + k) & 0x3F);
    pos += length;
    return c;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

std::size_t lead_length(unsigned char lead) {
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 1;
}

std::size_t incomplete_tail(std::string_view text) {
    for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back) {
        const auto byte = static_cast<unsigned char>(text[text.size() - back]);
        if ((byte & 0xC0) == 0x80) continue;
        return lead_length(byte) > back ? text.size() - back : text.size();
    }
    return text.size();
}

std::size_t char_boundary(std::string_view text, std::size_t at) {
    if (at >= text.size()) return text.size();
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    return at;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
    return text.substr(0, char_boundary(text, max_bytes));
}

}  // namespace scholarsearch::text
