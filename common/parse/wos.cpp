#include "parse/wos.hpp"

#include "parse/line_source.hpp"
#include "parse/seed_format_text.hpp"
#include "text/utf8.hpp"

#include <charconv>
#include <cstdio>
#include <exception>
#include <unordered_map>
#include <unordered_set>

/*
 * Web of Science tagged text, read in one pass over the lines (docs/formats/wos.md):
 *
 *   FN Clarivate Analytics Web of Science      header, ignored
 *   VR 1.0                                     header, ignored
 *   PT J                                       a record starts
 *   AF Picazo-Vela, Sergio                     tag at column 0, one space, value
 *      Luna-Reyes, Luis F.                     three spaces: continues the previous tag
 *   ER                                         the record ends
 *   EF                                         the file ends
 *
 * Lines of a record are gathered as raw fields (tag, value, line); continuation lines either
 * start a new value (multi-valued tags: AU, AF, C1, CR, ...) or are joined to the previous line
 * with a space (text tags). The record is checked (encoding, size, content) and built when it
 * ends: at ER, at the next PT, at FN or EF, or at the end of the text.
 */

namespace scholarsearch::parse {

namespace {

using seed::normalize_space;

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

using Tag = std::string_view;   // two bytes inside the text

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// A field line: [A-Z][A-Z0-9] at column 0, then a space, a tab or the end of the line.
bool is_tag_line(std::string_view line) {
    return line.size() >= 2 && is_upper(line[0]) && (is_upper(line[1]) || is_digit(line[1])) &&
           (line.size() == 2 || line[2] == ' ' || line[2] == '\t');
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos; }

/// Tags whose continuation lines are values of their own (one author, address, reference per line).
bool is_multi_valued(Tag tag) {
    static constexpr std::string_view tags[] = {"AU", "AF", "BA", "BF", "BE", "CA", "GP",
                                                "C1", "C3", "RP", "CR"};
    for (auto t : tags)
        if (t == tag) return true;
    return false;
}

struct RawField {
    Tag tag;
    std::string value;   ///< raw bytes (continuations of text tags joined with a space)
};

struct RawRecord {
    int first_line = 0;
    int last_line = 0;
    int index = 0;
    std::size_t bytes = 0;         ///< from the PT line to the last line, line ends included
    bool terminated = false;       ///< ended by ER
    std::vector<RawField> fields;
    std::optional<record::Diagnostic> bad;   ///< first encoding problem
};

std::string encoding_message(std::string_view line, const text::EncodingProblem& problem) {
    const std::string column = std::to_string(problem.offset + 1);
    if (problem.nul) return "NUL byte at column " + column + ": the record is damaged (or the file is not text)";
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(line[problem.offset]));
    return "invalid UTF-8 at column " + column + " (" + byte +
           "): Web of Science text must be UTF-8 (convert GBK, GB18030, Latin-1 or UTF-16 files first)";
}

// ---------------------------------------------------------------------------------------------
// Values

/// A whole value that is a non-negative integer ("12"), else nullopt.
std::optional<long long> parse_count(std::string_view text) {
    long long value = 0;
    if (text.empty() || !is_digit(text.front())) return std::nullopt;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) { return seed::starts_with_ascii_ci(text, prefix); }

/// "EN", "eng" -> lower case; "English" stays as written.
std::string normalized_language(std::string value) {
    if (value.size() >= 2 && value.size() <= 3) {
        bool letters = true;
        for (char c : value) letters = letters && (is_upper(c) || (c >= 'a' && c <= 'z'));
        if (letters)
            for (char& c : value)
                if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
    }
    return value;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
    return out;
}

/// Pieces of a "; "-separated list, trimmed, empty ones dropped (input already normalized).
std::vector<std::string_view> split_list(std::string_view text) {
    std::vector<std::string_view> pieces;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(';', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view piece = seed::trim(text.substr(start, end - start));
        if (!piece.empty()) pieces.push_back(piece);
        start = end + 1;
    }
    return pieces;
}

/// Adds `items` to `out`, skipping ASCII-case-insensitive duplicates of what it already holds.
void add_unique(std::vector<std::string>& out, std::unordered_set<std::string>& seen,
                const std::vector<std::string_view>& items) {
    for (auto item : items)
        if (seen.insert(ascii_lower(item)).second) out.emplace_back(item);
}

bool is_year_part(std::string_view part) { return part.size() == 4 && record::year_in(part).has_value(); }

/// "V10", "P100", "DOI 10.1/x", "DOI [10.1/x": the parts after the venue.
bool is_locator_part(std::string_view part) {
    if (part.size() >= 2 && (part[0] == 'V' || part[0] == 'P') && is_digit(part[1])) return true;
    return starts_with_ci(part, "DOI ") || starts_with_ci(part, "DOI[") || part == "DOI";
}

/// One CR value: "Smith J, 2010, J APPL PHYS, V10, P100, DOI 10.1000/xyz".
record::Reference parse_reference(int n, std::string text) {
    record::Reference reference;
    reference.n = n;
    std::vector<std::string_view> parts;
    std::string_view rest = text;
    while (true) {
        const std::size_t comma = rest.find(',');
        parts.push_back(seed::trim(rest.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    std::size_t next = 0;
    if (!parts.empty() && !is_year_part(parts[0])) {
        if (!parts[0].empty() && !is_locator_part(parts[0])) reference.authors.emplace_back(parts[0]);
        next = 1;
    }
    if (next < parts.size() && is_year_part(parts[next])) {
        reference.year = record::year_in(parts[next]);
        ++next;
    }
    if (next < parts.size() && !parts[next].empty() && !is_locator_part(parts[next]) && !is_year_part(parts[next]))
        reference.venue = std::string(parts[next]);
    reference.text = std::move(text);
    return reference;
}

/// One C1 value: "[A; B] Univ X, Dept Y, City, Country." -> names A, B and the address.
struct Address {
    std::vector<std::string> names;
    std::string name;
};

Address parse_address(std::string_view value) {
    Address address;
    std::string_view rest = value;
    if (!rest.empty() && rest.front() == '[') {
        const std::size_t close = rest.find(']');
        if (close != std::string_view::npos) {
            for (auto name : split_list(rest.substr(1, close - 1))) address.names.push_back(normalize_space(name));
            rest.remove_prefix(close + 1);
        }
    }
    rest = seed::trim(rest);
    if (!rest.empty() && rest.back() == '.') rest = seed::trim(rest.substr(0, rest.size() - 1));
    address.name = std::string(rest);
    return address;
}

// ---------------------------------------------------------------------------------------------
// Building a record

record::Record build_record(const RawRecord& raw, const std::string& file_path) {
    record::Record out;
    out.source = {file_path, raw.first_line, raw.index};

    bool has_af = false, has_bp = false;
    for (const auto& field : raw.fields) {
        const bool filled = !seed::trim(field.value).empty();
        has_af = has_af || (field.tag == "AF" && filled);
        has_bp = has_bp || (field.tag == "BP" && filled);
    }

    std::vector<std::string> author_names;
    std::vector<std::string> addresses;
    std::vector<std::string_view> author_keywords, plus_keywords;
    std::vector<std::string> keyword_values;   // owns what the views above point to
    keyword_values.reserve(raw.fields.size());
    std::vector<std::string_view> discipline_items;
    std::optional<int> pd_year, ea_year;   // when there is no usable PY
    int reference_n = 0;

    record::ExtraBuilder extra_builder(out);
    auto extra = [&](Tag tag, std::string value) { extra_builder.add(std::string(tag), std::move(value)); };
    auto first_page = [&]() -> std::optional<std::string>& {
        if (!out.pages) out.pages.emplace();
        return out.pages->first;
    };

    for (const auto& field : raw.fields) {
        std::string value = normalize_space(field.value);
        if (value.empty()) continue;
        const Tag tag = field.tag;
        if (tag == "TI") {
            if (out.title.empty()) out.title = std::move(value);
            else extra(tag, std::move(value));
        } else if (tag == "SO") {
            if (!out.venue) out.venue = std::move(value);
            else extra(tag, std::move(value));
        } else if (tag == "AF") {
            author_names.push_back(std::move(value));
        } else if (tag == "AU") {
            if (has_af) extra(tag, std::move(value));
            else author_names.push_back(std::move(value));
        } else if (tag == "C1") {
            addresses.push_back(std::move(value));
        } else if (tag == "DE" || tag == "ID" || tag == "WC" || tag == "SC") {
            keyword_values.push_back(std::move(value));
            auto items = split_list(keyword_values.back());
            auto& into = tag == "DE" ? author_keywords : tag == "ID" ? plus_keywords : discipline_items;
            into.insert(into.end(), items.begin(), items.end());
        } else if (tag == "AB") {
            if (!out.abstract) out.abstract = std::move(value);
            else extra(tag, std::move(value));
        } else if (tag == "PY") {
            auto year = out.year ? std::nullopt : record::year_in(value);
            if (year) out.year = year;
            else extra(tag, std::move(value));
        } else if (tag == "PD" || tag == "EA") {
            auto& fallback = tag == "PD" ? pd_year : ea_year;
            if (!fallback) fallback = record::year_in(value);
            extra(tag, std::move(value));
        } else if (tag == "DI") {
            std::string doi = out.doi ? std::string() : std::string(record::doi_without_prefix(value));
            if (!doi.empty()) out.doi = std::move(doi);
            else extra(tag, std::move(value));
        } else if (tag == "BP") {
            if (!first_page()) first_page() = std::move(value);
            else extra(tag, std::move(value));
        } else if (tag == "EP") {
            if (!out.pages) out.pages.emplace();
            if (!out.pages->last) out.pages->last = std::move(value);
            else extra(tag, std::move(value));
        } else if (tag == "AR") {
            if (!has_bp && !first_page()) first_page() = std::move(value);
            else extra(tag, std::move(value));
        } else if (tag == "PG" || tag == "TC") {
            auto& target = tag == "PG" ? out.page_count : out.cited_by;
            auto count = target ? std::nullopt : parse_count(value);
            if (count) target = count;
            else extra(tag, std::move(value));
        } else if (tag == "LA") {
            if (!out.language) out.language = normalized_language(std::move(value));
            else extra(tag, std::move(value));
        } else if (tag == "UT") {
            if (!out.id) out.id = std::move(value);
            else extra(tag, std::move(value));
        } else if (tag == "CR") {
            out.references.push_back(parse_reference(++reference_n, std::move(value)));
        } else {
            extra(tag, std::move(value));
        }
    }
    if (out.pages && !out.pages->first && !out.pages->last) out.pages.reset();
    if (!out.year) out.year = pd_year ? pd_year : ea_year;

    std::unordered_set<std::string> seen;
    add_unique(out.keywords, seen, author_keywords);
    add_unique(out.keywords, seen, plus_keywords);
    seen.clear();
    add_unique(out.disciplines, seen, discipline_items);

    // Authors, then the addresses that name them.
    std::unordered_map<std::string, std::vector<std::size_t>> by_name;
    out.authors.reserve(author_names.size());
    for (auto& name : author_names) {
        by_name[name].push_back(out.authors.size());
        out.authors.push_back(record::Author{std::move(name), {}});
    }
    for (const auto& value : addresses) {
        Address address = parse_address(value);
        if (address.name.empty()) continue;
        const int ref = static_cast<int>(out.affiliations.size()) + 1;
        out.affiliations.push_back(record::Affiliation{ref, std::move(address.name)});
        for (const auto& name : address.names) {
            auto found = by_name.find(name);
            if (found == by_name.end()) continue;
            for (std::size_t i : found->second) {
                auto& refs = out.authors[i].affiliation_refs;
                // refs only grow, so a duplicate can only be the last one added
                if (refs.empty() || refs.back() != ref) refs.push_back(ref);
            }
        }
    }
    return out;
}

class Reader {
public:
    Reader(std::string_view text, const std::string& file_path) : text_(text) { result_.file = file_path; }

    ParseResult run() {
        if (text_.substr(0, utf8_bom.size()) == utf8_bom) text_.remove_prefix(utf8_bom.size());
        // Line ends: "\n" and "\r\n"; a file without any "\n" (classic Mac) ends lines with "\r".
        const char eol = text_.find('\n') == std::string_view::npos ? '\r' : '\n';
        std::size_t start = 0;
        int number = 0;
        while (start < text_.size()) {
            std::size_t end = text_.find(eol, start);
            const std::size_t next = end == std::string_view::npos ? text_.size() : end + 1;
            if (end == std::string_view::npos) end = text_.size();
            std::string_view line = text_.substr(start, end - start);
            while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            // Concatenated files leave a byte order mark at the start of a line.
            if (line.substr(0, utf8_bom.size()) == utf8_bom) line.remove_prefix(utf8_bom.size());
            on_line(line, ++number, next - start);
            start = next;
        }
        if (current_) finish_record();
        flush_stray();
        if (index_ == 0)
            result_.file_error = record::Diagnostic{result_.file, 0, "no_records",
                                                    "no records in file (a Web of Science record starts with a "
                                                    "\"PT\" line)",
                                                    -1};
        return std::move(result_);
    }

private:
    void on_line(std::string_view line, int number, std::size_t bytes) {
        const bool tag_line = is_tag_line(line);
        const Tag tag = tag_line ? line.substr(0, 2) : Tag();
        if (tag_line && tag == "PT") {
            if (current_) finish_record();
            flush_stray();
            current_.emplace();
            current_->first_line = number;
            current_->index = index_++;
        } else if (!current_) {
            if (is_blank(line) || (tag_line && (tag == "FN" || tag == "VR" || tag == "EF"))) return;
            if (!stray_first_) stray_first_ = number;
            ++stray_lines_;
            return;
        } else if (tag_line && (tag == "FN" || tag == "EF")) {
            // The next file's header, or the end of the file, inside an unterminated record.
            finish_record();
            return;
        }

        RawRecord& raw = *current_;
        raw.last_line = number;
        raw.bytes += bytes;
        if (tag_line && tag == "ER") {
            raw.terminated = true;
            finish_record();
            return;
        }
        if (raw.bad) return;
        if (auto problem = text::find_encoding_problem(line)) {
            raw.bad = record::Diagnostic{result_.file, number, "bad_encoding", encoding_message(line, *problem),
                                         raw.index};
            raw.fields.clear();
            return;
        }
        if (raw.bytes > max_record_bytes) {
            raw.fields.clear();   // reported when the record ends; keep no more of it
            return;
        }
        if (tag_line) {
            raw.fields.push_back(RawField{tag, std::string(line.size() > 3 ? line.substr(3) : std::string_view())});
            return;
        }
        // A continuation: three spaces in the format; any other line inside a record is read as
        // one too (hand-edited files lose the indentation).
        if (is_blank(line) || raw.fields.empty()) return;
        RawField& last = raw.fields.back();
        if (is_multi_valued(last.tag)) {
            raw.fields.push_back(RawField{last.tag, std::string(line)});
        } else {
            last.value += ' ';
            last.value += line;
        }
    }

    void finish_record() {
        RawRecord raw = std::move(*current_);
        current_.reset();
        if (raw.bad) {
            result_.errors.push_back(std::move(*raw.bad));
            return;
        }
        if (raw.bytes > max_record_bytes) {
            result_.errors.push_back({result_.file, raw.first_line, "record_too_long",
                                      "record is longer than the " + megabytes(max_record_bytes) + " limit (lines " +
                                          std::to_string(raw.first_line) + " to " + std::to_string(raw.last_line) +
                                          "): skipped",
                                      raw.index});
            return;
        }
        try {
            record::Record built = build_record(raw, result_.file);
            if (built.title.empty() && !built.abstract && !built.doi) {
                std::string message = "record has no title (TI), abstract (AB) or DOI (DI): skipped";
                if (!raw.terminated) message += " (it has no \"ER\" line: a truncated file?)";
                result_.errors.push_back({result_.file, raw.first_line, "empty_record", std::move(message), raw.index});
                return;
            }
            result_.records.push_back(std::move(built));
        } catch (const std::exception& problem) {   // std::bad_alloc and the like: lose this record only
            result_.errors.push_back({result_.file, raw.first_line, "bad_record",
                                      std::string("record could not be read: ") + problem.what(), raw.index});
        }
    }

    void flush_stray() {
        if (!stray_first_) return;
        const std::string lines = stray_lines_ == 1 ? "1 line" : std::to_string(stray_lines_) + " lines";
        result_.errors.push_back({result_.file, stray_first_, "stray_text",
                                  lines + " of text outside any record, ignored: a record starts with a \"PT\" line "
                                          "and ends with \"ER\"",
                                  -1});
        stray_first_ = 0;
        stray_lines_ = 0;
    }

    std::string_view text_;
    ParseResult result_;
    std::optional<RawRecord> current_;
    int index_ = 0;
    int stray_first_ = 0;   ///< first line of the current run of stray text, 0 if none
    int stray_lines_ = 0;
};

}  // namespace

ParseResult parse_wos(std::string_view text, const std::string& file_path) {
    try {
        return Reader(text, file_path).run();
    } catch (const std::exception& problem) {
        ParseResult result;
        result.file = file_path;
        result.file_error =
            record::Diagnostic{file_path, 0, "unreadable", std::string("could not read: ") + problem.what(), -1};
        return result;
    }
}

}  // namespace scholarsearch::parse
