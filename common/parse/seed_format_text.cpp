#include "parse/seed_format_text.hpp"

#include "text/utf8.hpp"

#include <unicode/uchar.h>

#include <algorithm>

namespace scholarsearch::parse::seed {

using text::next_code_point;

namespace {

bool ascii_white_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

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

bool is_white_space(char32_t c) {
    if (c < 0x80) return ascii_white_space(static_cast<unsigned char>(c));
    return u_isUWhiteSpace(static_cast<UChar32>(c));
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
        const std::size_t start = std::max(text::char_boundary(text, end - 1), begin);   // the last code point
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
