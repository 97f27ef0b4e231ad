#include "export/names.hpp"

#include "parse/seed_format_text.hpp"
#include "text/script.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace scholarsearch::exporting {

namespace {

namespace seed = parse::seed;

bool is_middle_dot(char32_t c) { return c == 0x00B7 || c == 0x30FB || c == 0x2027 || c == 0x2022; }

struct Scan {
    bool cjk = true;          ///< every letter is Han, Hangul or kana
    bool middle_dot = false;
    bool digit = false;
    bool first_is_cjk = false;
    std::vector<std::string_view> characters;   ///< UTF-8 code points, spaces excluded
};

Scan scan(std::string_view name) {
    Scan out;
    for (std::size_t pos = 0; pos < name.size();) {
        const std::size_t start = pos;
        const char32_t c = text::next_code_point(name, pos);
        if (seed::is_white_space(c)) continue;
        if (out.characters.empty()) out.first_is_cjk = text::is_cjk_letter(c);
        if (c >= '0' && c <= '9') out.digit = true;
        if (is_middle_dot(c)) out.middle_dot = true;
        else if (!text::is_cjk_letter(c)) out.cjk = false;
        out.characters.push_back(name.substr(start, pos - start));
    }
    if (out.characters.empty()) out.cjk = false;
    return out;
}

// Two-character family names, which would otherwise be cut after their first character.
constexpr std::array<std::string_view, 40> compound_surnames{
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐",
    "轩辕", "端木", "独孤", "南宫", "西门", "澹台", "公羊", "淳于", "单于", "太史", "申屠", "闻人", "呼延", "万俟",
    "歐陽", "諸葛", "長孫", "夏候", "軒轅", "獨孤", "남궁", "황보", "제갈", "선우", "독고", "사공"};

std::vector<std::string_view> words_of(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && text[pos] == ' ') ++pos;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] != ' ') ++pos;
        if (pos > start) words.push_back(text.substr(start, pos - start));
    }
    return words;
}

std::string join_words(const std::vector<std::string_view>& words, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        if (!out.empty()) out += ' ';
        out += words[i];
    }
    return out;
}

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_suffix(std::string_view word) {
    const std::string lower = lower_ascii(word);
    return lower == "jr." || lower == "jr" || lower == "sr." || lower == "sr" || lower == "ii" || lower == "iii" ||
           lower == "iv";
}

// Written in lower case before the family name, they belong to it ("van Beethoven", "de la Cruz").
bool is_particle(std::string_view word) {
    static constexpr std::array<std::string_view, 19> particles{"van", "von", "de", "der", "den", "del", "della", "di", "da",
                                                                "du", "la", "le", "dos", "das", "do", "ten", "ter", "zu", "af"};
    return std::find(particles.begin(), particles.end(), word) != particles.end();
}

bool looks_like_organisation(std::string_view name) {
    static constexpr std::array<std::string_view, 18> words{
        "university", "institute", "institut", "consortium", "committee", "association", "organization",
        "organisation", "society", "council", "group", "team", "collaboration", "ministry", "department",
        "agency", "foundation", "project"};
    const std::string lower = lower_ascii(name);
    for (std::string_view word : words_of(lower))
        if (std::find(words.begin(), words.end(), word) != words.end()) return true;
    return false;
}

std::string trimmed(std::string_view text) { return std::string(seed::trim(text)); }

}  // namespace

PersonName split_name(std::string_view written) {
    const std::string name = seed::normalize_space(written);
    PersonName out;
    if (name.empty()) return out;
    const Scan letters = scan(name);
    if (letters.digit || looks_like_organisation(name)) {
        out.literal = name;
        return out;
    }
    if (letters.middle_dot && letters.first_is_cjk) {
        out.literal = name;   // "玛丽·居里": a foreign name in Chinese, given name first
        return out;
    }
    if (letters.cjk) {
        if (const std::size_t space = name.find(' '); space != std::string::npos) {
            out.family = name.substr(0, space);
            out.given = name.substr(space + 1);
            return out;
        }
        if (letters.characters.size() < 2) {
            out.literal = name;
            return out;
        }
        std::size_t family_length = 1;
        if (letters.characters.size() >= 3) {
            const std::string first_two = std::string(letters.characters[0]) + std::string(letters.characters[1]);
            if (std::find(compound_surnames.begin(), compound_surnames.end(), first_two) != compound_surnames.end())
                family_length = 2;
        }
        for (std::size_t i = 0; i < letters.characters.size(); ++i)
            (i < family_length ? out.family : out.given) += letters.characters[i];
        return out;
    }
    if (name.find(',') != std::string::npos) {
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (true) {
            const std::size_t comma = name.find(',', start);
            parts.push_back(trimmed(std::string_view(name).substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        out.family = parts[0];
        if (parts.size() == 2) {
            out.given = parts[1];
        } else if (parts.size() >= 3) {
            // BibTeX writes "Family, Jr., Given"; RIS "Family, Given, Jr.".
            const bool bibtex_order = is_suffix(parts[1]) || !is_suffix(parts.back());
            out.suffix = bibtex_order ? parts[1] : parts.back();
            for (std::size_t i = bibtex_order ? 2 : 1; i < (bibtex_order ? parts.size() : parts.size() - 1); ++i) {
                if (!out.given.empty()) out.given += ' ';
                out.given += parts[i];
            }
        }
        if (out.family.empty()) {
            out = PersonName{};
            out.literal = name;
        }
        return out;
    }
    std::vector<std::string_view> words = words_of(name);
    if (words.size() > 2 && is_suffix(words.back())) {
        out.suffix = std::string(words.back());
        words.pop_back();
    }
    if (words.size() == 1) {
        out.family = std::string(words[0]);
        return out;
    }
    std::size_t family_start = words.size() - 1;
    while (family_start > 1 && is_particle(words[family_start - 1])) --family_start;
    out.family = join_words(words, family_start, words.size());
    out.given = join_words(words, 0, family_start);
    return out;
}

}  // namespace scholarsearch::exporting
