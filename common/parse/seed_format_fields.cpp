#include "parse/seed_format_fields.hpp"

#include "parse/seed_format_text.hpp"
#include "text/normalize.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <climits>

namespace scholarsearch::parse::seed {

namespace {

// Separator sets of §6 / §7, as code points.
constexpr std::u32string_view kSemicolons = U";\uFF1B";
constexpr std::u32string_view kKeywordSeparators = U";\uFF1B\uFF0C";
constexpr std::u32string_view kDisciplineSeparators = U";\uFF1B,\uFF0C";
constexpr std::u32string_view kCommas = U",\uFF0C";
constexpr std::u32string_view kBullets = U"\u2022\u00B7\u25CF\u25AA\u25E6";

constexpr int kMaxNumberDigits = 9;   // keeps every bracket number inside int

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

/// Structural class of one code point; NFKC decides, so full-width forms behave like ASCII.
enum class Unit { open, close, digit, separator, space, other };

Unit classify_marker_unit(char32_t c) {
    if (is_white_space(c)) return Unit::space;
    if (c == U'\u3001') return Unit::separator;   // 、 is its own NFKC form
    const char ascii = text::nfkc_ascii(c);
    if (ascii == '[') return Unit::open;
    if (ascii == ']') return Unit::close;
    if (ascii == ',') return Unit::separator;
    if (is_ascii_digit(ascii)) return Unit::digit;
    return Unit::other;
}

struct CodePoint {
    char32_t c;
    std::size_t begin;   // byte offset in the text
};

std::vector<CodePoint> decode(std::string_view text) {
    std::vector<CodePoint> out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t begin = pos;
        out.push_back({text::next_code_point(text, pos), begin});
    }
    return out;
}

/// Appends the number made of `digits` (NFKC ASCII digits); false if it does not fit.
bool append_number(const std::string& digits, std::vector<int>& numbers) {
    if (digits.empty() || digits.size() > kMaxNumberDigits) return false;
    numbers.push_back(std::stoi(digits));
    return true;
}

/**
 * The contents of one marker group between its brackets: numbers separated by ',' '，' '、',
 * white space allowed around them (not inside a number). False if it is not that shape.
 */
bool parse_marker_group(const std::vector<CodePoint>& units, std::size_t begin, std::size_t end,
                        std::vector<int>& numbers) {
    std::size_t i = begin;
    auto skip_space = [&] {
        while (i < end && classify_marker_unit(units[i].c) == Unit::space) ++i;
    };
    for (;;) {
        skip_space();
        std::string digits;
        while (i < end && classify_marker_unit(units[i].c) == Unit::digit)
            digits += text::nfkc_ascii(units[i++].c);
        if (!append_number(digits, numbers)) return false;
        skip_space();
        if (i == end) return true;
        if (classify_marker_unit(units[i].c) != Unit::separator) return false;
        ++i;
    }
}

/// Splits an author piece into name and trailing affiliation markers (`[1 ] [2 ]`, `［２］`).
record::Author split_author_markers(std::string_view piece) {
    const std::vector<CodePoint> units = decode(piece);
    std::size_t cut = units.size();   // first unit of the marker run
    std::vector<std::vector<int>> groups;   // right to left
    std::size_t i = units.size();
    auto skip_space_backwards = [&] {
        while (i > 0 && classify_marker_unit(units[i - 1].c) == Unit::space) --i;
    };
    skip_space_backwards();
    while (i > 0 && classify_marker_unit(units[i - 1].c) == Unit::close) {
        const std::size_t close = i - 1;
        std::size_t open = close;
        while (open > 0) {
            const Unit unit = classify_marker_unit(units[open - 1].c);
            if (unit != Unit::digit && unit != Unit::separator && unit != Unit::space) break;
            --open;
        }
        if (open == 0 || classify_marker_unit(units[open - 1].c) != Unit::open) break;
        --open;
        std::vector<int> numbers;
        if (!parse_marker_group(units, open + 1, close, numbers)) break;
        groups.push_back(std::move(numbers));
        cut = open;
        i = open;
        skip_space_backwards();
    }

    record::Author author;
    const std::size_t cut_byte = cut < units.size() ? units[cut].begin : piece.size();
    author.name = normalize_space(piece.substr(0, cut_byte));
    if (author.name.empty()) {
        // Nothing but a marker: keep the piece as the name rather than lose the author.
        author.name = normalize_space(piece);
        return author;
    }
    for (auto group = groups.rbegin(); group != groups.rend(); ++group)
        for (int number : *group)
            if (std::find(author.affiliation_refs.begin(), author.affiliation_refs.end(), number) ==
                author.affiliation_refs.end())
                author.affiliation_refs.push_back(number);
    return author;
}

/// A leading `[n]` (white space inside allowed, full-width forms too): n and the rest.
struct LeadingNumber {
    int n = 0;
    std::string_view rest;
};

std::optional<LeadingNumber> parse_leading_bracket_number(std::string_view text) {
    std::size_t pos = 0;
    auto peek = [&](std::size_t& next) -> std::optional<Unit> {
        if (pos >= text.size()) return std::nullopt;
        next = pos;
        return classify_marker_unit(text::next_code_point(text, next));
    };
    auto skip_space = [&] {
        std::size_t next;
        while (peek(next) == Unit::space) pos = next;
    };
    std::size_t next;
    if (peek(next) != Unit::open) return std::nullopt;
    pos = next;
    skip_space();
    std::string digits;
    while (peek(next) == Unit::digit) {
        std::size_t start = pos;
        digits += text::nfkc_ascii(text::next_code_point(text, start));
        pos = next;
    }
    std::vector<int> numbers;
    if (!append_number(digits, numbers)) return std::nullopt;
    skip_space();
    if (peek(next) != Unit::close) return std::nullopt;
    return LeadingNumber{numbers.front(), text.substr(next)};
}

/// Normalised, non-empty pieces of every line split at `separators`.
std::vector<std::string> split_lines(const std::vector<std::string>& lines,
                                     std::u32string_view separators) {
    std::vector<std::string> pieces;
    for (const auto& line : lines)
        for (std::string_view piece : split_at(line, separators)) {
            std::string value = normalize_space(piece);
            if (!value.empty()) pieces.push_back(std::move(value));
        }
    return pieces;
}

std::optional<std::string> non_empty(std::string value) {
    if (value.empty()) return std::nullopt;
    return value;
}

/// Exactly four ASCII digits at the start, not followed by a fifth: a year.
std::optional<int> leading_year(std::string_view field) {
    if (field.size() < 4) return std::nullopt;
    for (std::size_t i = 0; i < 4; ++i)
        if (!is_ascii_digit(field[i])) return std::nullopt;
    if (field.size() > 4 && is_ascii_digit(field[4])) return std::nullopt;
    return std::stoi(std::string(field.substr(0, 4)));
}

/// Document-type marker `[J]`, `[EB/OL]` (NFKC), with an optional '.' / '．' after it.
/// Returns the byte length of the marker, or 0.
std::size_t document_type_marker_length(std::string_view line) {
    std::size_t pos = 0;
    auto next_ascii = [&]() -> char {
        if (pos >= line.size()) return 0;
        return text::nfkc_ascii(text::next_code_point(line, pos));
    };
    auto capitals = [&](char& after) {
        int count = 0;
        for (after = next_ascii(); after >= 'A' && after <= 'Z'; after = next_ascii()) ++count;
        return count;
    };
    if (next_ascii() != '[') return 0;
    char after = 0;
    int count = capitals(after);
    if (count < 1 || count > 2) return 0;
    if (after == '/') {
        count = capitals(after);
        if (count < 1 || count > 2) return 0;
    }
    if (after != ']') return 0;
    const std::size_t marker_end = pos;
    if (next_ascii() == '.') return pos;
    return marker_end;
}

/// Venue and year of a source line (document-type marker already removed).
void read_source_line(std::string_view source, record::Reference& reference) {
    const std::vector<std::string_view> fields = split_at(source, kCommas);
    for (std::size_t k = 1; k < fields.size(); ++k) {
        if (auto year = leading_year(trim(fields[k]))) {
            // The venue runs up to the separator before the year, so it may contain commas.
            const std::string_view before = fields[k - 1];
            const auto separator = static_cast<std::size_t>(before.data() - source.data()) + before.size();
            reference.year = year;
            reference.venue = non_empty(normalize_space(source.substr(0, separator)));
            return;
        }
    }
    reference.venue = non_empty(normalize_space(fields.front()));
}

bool is_source_line(std::string_view line) {
    if (document_type_marker_length(line) > 0) return true;
    const std::vector<std::string_view> fields = split_at(line, kCommas);
    return std::any_of(fields.begin() + 1, fields.end(),
                       [](std::string_view field) { return leading_year(trim(field)).has_value(); });
}

}  // namespace

std::optional<long long> parse_count(std::string_view value) {
    const std::string normalized = text::nfkc(value);
    const std::string_view text = trim(normalized);
    std::string digits;
    std::size_t i = 0;
    while (i < text.size() && is_ascii_digit(text[i])) digits += text[i++];
    if (digits.empty()) return std::nullopt;
    // Thousands groups: ",ddd" not followed by another digit.
    while (i + 3 < text.size() && text[i] == ',' && is_ascii_digit(text[i + 1]) &&
           is_ascii_digit(text[i + 2]) && is_ascii_digit(text[i + 3]) &&
           (i + 4 == text.size() || !is_ascii_digit(text[i + 4]))) {
        digits.append(text, i + 1, 3);
        i += 4;
    }
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
    if (digits.size() > 18) return std::nullopt;   // does not fit a long long
    return std::stoll(digits);
}

std::vector<record::Author> parse_authors(const std::vector<std::string>& lines) {
    std::vector<record::Author> authors;
    for (const auto& line : lines)
        for (std::string_view piece : split_at(line, kSemicolons))
            if (!trim(piece).empty()) authors.push_back(split_author_markers(piece));
    return authors;
}

void append_affiliations(const std::vector<std::string>& lines,
                         std::vector<record::Affiliation>& affiliations) {
    for (const auto& line : lines) {
        record::Affiliation affiliation;
        if (auto leading = parse_leading_bracket_number(trim(line))) {
            affiliation.ref = leading->n;
            affiliation.name = normalize_space(leading->rest);
        } else {
            int largest = 0;
            for (const auto& previous : affiliations) largest = std::max(largest, previous.ref);
            affiliation.ref = largest == INT_MAX ? largest : largest + 1;
            affiliation.name = normalize_space(line);
        }
        affiliations.push_back(std::move(affiliation));
    }
}

std::vector<std::string> parse_keywords(const std::vector<std::string>& lines) {
    return split_lines(lines, kKeywordSeparators);
}

std::optional<std::string> parse_doi(std::string_view value) {
    static constexpr std::string_view kPrefixes[] = {
        "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
        "doi:", "doi\uFF1A"};
    std::string doi = normalize_space(value);
    for (bool stripped = true; stripped;) {
        stripped = false;
        for (std::string_view prefix : kPrefixes)
            if (starts_with_ascii_ci(doi, prefix)) {
                doi = normalize_space(std::string_view(doi).substr(prefix.size()));
                stripped = true;
            }
    }
    return non_empty(std::move(doi));
}

std::vector<record::ClcCode> parse_clc(const std::vector<std::string>& lines) {
    std::vector<record::ClcCode> codes;
    for (const std::string& piece : split_lines(lines, kSemicolons)) {
        const std::vector<CodePoint> units = decode(piece);
        const auto open = std::find_if(units.begin(), units.end(), [](const CodePoint& unit) {
            return unit.c == U'[' || unit.c == U'\uFF3B';
        });
        const char32_t last = units.back().c;
        record::ClcCode code;
        if (open != units.end() && (last == U']' || last == U'\uFF3D')) {
            const std::string_view text = piece;
            const std::size_t open_byte = open->begin;
            const std::size_t label_begin = (open + 1)->begin;
            const std::size_t label_end = units.back().begin;
            code.code = text::nfkc(normalize_space(text.substr(0, open_byte)));
            code.label = non_empty(normalize_space(text.substr(label_begin, label_end - label_begin)));
        } else {
            code.code = text::nfkc(piece);
        }
        codes.push_back(std::move(code));
    }
    return codes;
}

std::vector<std::string> parse_disciplines(const std::vector<std::string>& lines) {
    std::vector<std::string> codes;
    for (const auto& line : lines)
        for (std::string_view piece : split_at(line, kDisciplineSeparators)) {
            std::string code = normalize_space(text::nfkc(piece));
            if (!code.empty()) codes.push_back(std::move(code));
        }
    return codes;
}

std::optional<record::Pages> parse_pages(std::string_view value) {
    const std::string text = normalize_space(text::nfkc(value));
    if (text.empty()) return std::nullopt;
    const std::vector<CodePoint> units = decode(text);
    const auto separator = std::find_if(units.begin(), units.end(), [](const CodePoint& unit) {
        return unit.c == U'/' || unit.c == U'-' || unit.c == U'\u2013' || unit.c == U'\u2014' ||
               unit.c == U'~';
    });
    record::Pages pages;
    if (separator == units.end()) {
        pages.first = text;
        return pages;
    }
    const std::string_view view = text;
    const std::size_t after = separator + 1 == units.end() ? text.size() : (separator + 1)->begin;
    pages.first = non_empty(normalize_space(view.substr(0, separator->begin)));
    pages.last = non_empty(normalize_space(view.substr(after)));
    return pages;
}

bool is_count_line(std::string_view trimmed) {
    static constexpr std::string_view kTotal = "\u5171";   // 共
    static constexpr std::string_view kItems = "\u6761";   // 条
    const std::string compact = remove_white_space(text::nfkc(trimmed));
    std::string_view text = compact;
    if (text.size() <= kTotal.size() + kItems.size() || !text.starts_with(kTotal) ||
        !text.ends_with(kItems))
        return false;
    text = text.substr(kTotal.size(), text.size() - kTotal.size() - kItems.size());
    // N itself: digits, thousands commas tolerated ("共 1,024 条").
    return is_ascii_digit(text.front()) &&
           std::all_of(text.begin(), text.end(), [](char c) { return is_ascii_digit(c) || c == ','; });
}

std::optional<ItemStart> parse_item_line(std::string_view trimmed) {
    std::string_view rest = trimmed;
    bool bullet = false;
    if (!rest.empty()) {
        std::size_t pos = 0;
        if (kBullets.find(text::next_code_point(rest, pos)) != std::u32string_view::npos) {
            bullet = true;
            rest = trim(rest.substr(pos));
        }
    }
    if (auto number = parse_leading_bracket_number(rest)) return ItemStart{number->n, number->rest};
    if (bullet) return ItemStart{std::nullopt, rest};
    return std::nullopt;
}

record::Reference build_reference(int n, const std::vector<std::string>& lines) {
    record::Reference reference;
    reference.n = n;
    reference.text = normalize_space(join(lines, " "));
    if (lines.size() <= 1) {
        // Compact, Web-of-Science style: AUTHOR, YEAR, SOURCE[, VOLUME, PAGE, DOI ...].
        std::vector<std::string> fields;
        for (std::string_view field : split_at(reference.text, kCommas))
            fields.push_back(normalize_space(field));
        if (!fields[0].empty() && !equals_ascii_ci(fields[0], "[Anonymous]"))
            reference.authors.push_back(fields[0]);
        const bool year_second = fields.size() > 1 && fields[1].size() == 4 &&
                                 std::all_of(fields[1].begin(), fields[1].end(), is_ascii_digit);
        if (year_second) {
            reference.year = std::stoi(fields[1]);
            if (fields.size() > 2) reference.venue = non_empty(fields[2]);
        } else if (fields.size() > 1) {
            reference.venue = non_empty(fields[1]);
        }
        return reference;
    }
    // Expanded: title, authors one per line, then usually a source line.
    reference.title = lines.front();
    const std::string& last = lines.back();
    const bool has_source = is_source_line(last);
    const std::size_t authors_end = has_source ? lines.size() - 1 : lines.size();
    reference.authors.assign(lines.begin() + 1, lines.begin() + static_cast<long>(authors_end));
    if (has_source)
        read_source_line(std::string_view(last).substr(document_type_marker_length(last)), reference);
    return reference;
}

}  // namespace scholarsearch::parse::seed
