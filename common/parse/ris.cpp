#include "parse/ris.hpp"

#include "parse/line_source.hpp"
#include "parse/seed_format_text.hpp"
#include "text/utf8.hpp"

#include <cstdint>
#include <cstdio>
#include <exception>

namespace scholarsearch::parse {

/*
 * One pass over the lines; a record's fields are collected raw (tag, value, line) and mapped to a
 * Record when the record ends (ER, the next TY, or the end of the text). The mapping is in
 * docs/formats/ris.md. Lines end at "\n", "\r\n" or a lone "\r" (as in the seed format).
 */

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// A two-character tag as one number, for switch statements: tag("TI").
constexpr std::uint16_t tag(const char (&name)[3]) {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(name[0]) << 8) | static_cast<unsigned char>(name[1]));
}

std::string tag_name(std::uint16_t code) {
    return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool is_blank(std::string_view line) {
    for (char c : line)
        if (!is_ascii_space(c)) return false;
    return true;
}

/// "XY  - value" (one or more spaces or tabs before '-', then a space or the end of the line):
/// the tag's code and the raw value, or nullopt when the line is not a tag line.
struct TagLine {
    std::uint16_t code = 0;
    std::string_view value;
};

std::optional<TagLine> read_tag_line(std::string_view line) {
    if (line.size() < 4 || !is_upper(line[0]) || !(is_upper(line[1]) || is_digit(line[1]))) return std::nullopt;
    std::size_t pos = 2;
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    if (pos == 2 || pos == line.size() || line[pos] != '-') return std::nullopt;
    ++pos;
    if (pos < line.size() && !is_ascii_space(line[pos])) return std::nullopt;   // "US -based": prose
    return TagLine{static_cast<std::uint16_t>((static_cast<unsigned char>(line[0]) << 8) |
                                              static_cast<unsigned char>(line[1])),
                   line.substr(pos)};
}

/// "en", "ZH", "eng" -> lower case; "English", "zh-CN" stay as written.
std::string language_of(std::string value) {
    if (value.size() != 2 && value.size() != 3) return value;
    for (char c : value)
        if (!is_upper(c) && !(c >= 'a' && c <= 'z')) return value;
    for (char& c : value)
        if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
    return value;
}

/// Keyword pieces of one KW value: split at ';' and at the full-width '；' (U+FF1B).
void add_keywords(std::string_view value, std::vector<std::string>& keywords) {
    constexpr std::string_view full_width = "\xEF\xBC\x9B";
    std::size_t start = 0;
    while (start <= value.size()) {
        std::size_t end = start;
        std::size_t separator = 0;
        for (; end < value.size(); ++end) {
            if (value[end] == ';') {
                separator = 1;
                break;
            }
            if (value.compare(end, full_width.size(), full_width) == 0) {
                separator = full_width.size();
                break;
            }
        }
        std::string keyword = seed::normalize_space(value.substr(start, end - start));
        if (!keyword.empty()) keywords.push_back(std::move(keyword));
        if (separator == 0) break;
        start = end + separator;
    }
}

struct RawField {
    std::uint16_t code = 0;
    std::string value;   // raw: continuation lines appended after a space
};

struct RawRecord {
    int first_line = 0;
    int last_line = 0;
    int index = 0;
    std::vector<RawField> fields;
    std::uint64_t bytes = 0;
    bool too_long = false;
    // First NUL byte or invalid UTF-8.
    int bad_line = 0;
    std::size_t bad_column = 0;   // 1-based byte column
    unsigned char bad_byte = 0;
    bool bad_is_nul = false;
};

record::Diagnostic encoding_error(const RawRecord& raw, const std::string& file_path) {
    std::string message;
    if (raw.bad_is_nul) {
        message = "NUL byte at column " + std::to_string(raw.bad_column) +
                  ": record skipped (a binary or UTF-16 file? RIS must be UTF-8 text)";
    } else {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(raw.bad_byte));
        message = "invalid UTF-8 at column " + std::to_string(raw.bad_column) + " (" + byte +
                  "): record skipped (RIS must be UTF-8: convert GBK, GB18030, Latin-1 or UTF-16 files first)";
    }
    return {file_path, raw.bad_line, "bad_encoding", std::move(message), raw.index};
}

bool is_section_type(std::string_view type) { return type == "CHAP" || type == "ECHAP"; }

/// Maps the fields of a well-formed record (valid UTF-8) to a Record.
record::Record build_record(const RawRecord& raw) {
    const std::size_t count = raw.fields.size();
    std::vector<std::string> values(count);
    for (std::size_t i = 0; i < count; ++i) values[i] = seed::normalize_space(raw.fields[i].value);

    constexpr std::size_t none = static_cast<std::size_t>(-1);
    // The first non-empty field with one of `codes`, the codes tried in the order given.
    auto first_of = [&](std::initializer_list<std::uint16_t> codes) {
        for (std::uint16_t code : codes)
            for (std::size_t i = 0; i < count; ++i)
                if (raw.fields[i].code == code && !values[i].empty()) return i;
        return none;
    };
    // The first non-empty field with any of `codes`, in file order (TI and T1 are synonyms).
    auto first_in_file = [&](std::initializer_list<std::uint16_t> codes) {
        for (std::size_t i = 0; i < count; ++i)
            for (std::uint16_t code : codes)
                if (raw.fields[i].code == code && !values[i].empty()) return i;
        return none;
    };

    const std::size_t type = first_of({tag("TY")});
    const bool section = type != none && is_section_type(values[type]);

    std::size_t title = first_in_file({tag("TI"), tag("T1")});
    if (title == none) title = section ? first_of({tag("CT")}) : first_of({tag("CT"), tag("BT")});
    const std::size_t abstract = first_of({tag("AB"), tag("N2")});
    std::size_t venue = first_of({tag("T2"), tag("JF"), tag("JO"), tag("JA")});
    if (venue == none) venue = first_in_file({tag("J2"), tag("J1")});
    if (venue == none && section) venue = first_of({tag("BT")});
    const std::size_t doi = first_of({tag("DO")});
    const std::size_t first_page = first_of({tag("SP")});
    const std::size_t last_page = first_of({tag("EP")});
    const std::size_t language = first_of({tag("LA")});
    const std::size_t id = first_of({tag("ID")});

    record::Record record;
    record::ExtraBuilder extra(record);
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint16_t code = raw.fields[i].code;
        std::string& value = values[i];
        if (value.empty()) continue;   // "KW  -": nothing to keep
        switch (code) {
            case tag("AU"):
            case tag("A1"):
                record.authors.push_back(record::Author{std::move(value), {}});
                continue;
            case tag("KW"):
                add_keywords(raw.fields[i].value, record.keywords);
                continue;
            case tag("AD"): {
                const int ref = static_cast<int>(record.affiliations.size()) + 1;
                record.affiliations.push_back(record::Affiliation{ref, std::move(value)});
                continue;
            }
            case tag("PY"):
            case tag("Y1"):
            case tag("DA"):
                // Raw dates carry more than the year: always kept in extra; the year comes below.
                break;
            case tag("UR"):
                // Kept in extra even when it gives the DOI.
                if (doi == none && !record.doi)
                    if (std::string_view from_url = record::doi_of_url(value); !from_url.empty())
                        record.doi = std::string(from_url);
                break;
            default:
                if (i == title) {
                    record.title = std::move(value);
                } else if (i == abstract) {
                    record.abstract = std::move(value);
                } else if (i == venue) {
                    record.venue = std::move(value);
                } else if (i == doi) {
                    const std::string_view cleaned = record::doi_without_prefix(value);
                    if (!cleaned.empty()) record.doi = std::string(cleaned);
                } else if (i == first_page || i == last_page) {
                    if (!record.pages) record.pages.emplace();
                    if (i == first_page) record.pages->first = std::move(value);
                    else record.pages->last = std::move(value);
                } else if (i == language) {
                    record.language = language_of(std::move(value));
                } else if (i == id) {
                    record.id = std::move(value);
                } else {
                    break;   // to extra
                }
                continue;
        }
        extra.add(tag_name(code), std::move(value));
    }

    // An SP without EP may hold the whole range; with EP it is taken as written.
    if (record.pages && record.pages->first && !record.pages->last)
        record.pages = seed::split_page_range(*record.pages->first);

    for (std::uint16_t code : {tag("PY"), tag("Y1"), tag("DA")}) {
        for (std::size_t i = 0; i < count && !record.year; ++i)
            if (raw.fields[i].code == code) record.year = record::year_in(raw.fields[i].value);
        if (record.year) break;
    }
    return record;
}

class RisParser {
public:
    RisParser(std::string_view text, const std::string& file_path) : text_(text), file_(file_path) {
        result_.file = file_path;
    }

    ParseResult run() {
        if (text_.substr(0, utf8_bom.size()) == utf8_bom) text_.remove_prefix(utf8_bom.size());
        std::size_t pos = 0;
        int number = 0;
        while (pos < text_.size()) {
            std::size_t end = pos;
            while (end < text_.size() && text_[end] != '\n' && text_[end] != '\r') ++end;
            std::string_view line = text_.substr(pos, end - pos);
            pos = end;
            if (pos < text_.size()) pos += (text_[pos] == '\r' && pos + 1 < text_.size() && text_[pos + 1] == '\n') ? 2 : 1;
            ++number;
            // A U+FEFF starting a line is left by concatenating files that start with one.
            const std::size_t bom = line.substr(0, utf8_bom.size()) == utf8_bom ? utf8_bom.size() : 0;
            line.remove_prefix(bom);
            take_line(line, number, bom);
        }
        if (in_record_) finish_record();
        end_garbage();
        if (next_index_ == 0)
            result_.file_error = record::Diagnostic{
                file_, 0, "no_records", "no RIS record in the file (a record starts with a \"TY  - \" line)", -1};
        return std::move(result_);
    }

private:
    void take_line(std::string_view line, int number, std::size_t column_shift) {
        const std::optional<TagLine> tagged = read_tag_line(line);
        if (tagged && tagged->code == tag("TY")) {
            if (in_record_) finish_record();   // no ER: the record ends where the next one starts
            end_garbage();
            start_record(number);
        }
        if (!in_record_) {
            if (is_blank(line)) return;
            if (garbage_first_ == 0) garbage_first_ = number;
            garbage_last_ = number;
            return;
        }
        raw_.last_line = number;
        if (tagged && tagged->code == tag("ER")) {
            finish_record();
            return;
        }
        raw_.bytes += line.size() + 1;
        if (raw_.too_long) return;
        if (raw_.bytes > max_record_bytes) {
            raw_.too_long = true;
            raw_.fields.clear();   // do not hold more of a record that will be skipped
            raw_.fields.shrink_to_fit();
            return;
        }
        if (!raw_.bad_line)
            if (auto problem = text::find_encoding_problem(line)) {
                raw_.bad_line = number;
                raw_.bad_column = column_shift + problem->offset + 1;
                raw_.bad_byte = static_cast<unsigned char>(line[problem->offset]);
                raw_.bad_is_nul = problem->nul;
            }
        if (raw_.bad_line) return;   // rejected anyway: nothing more to collect
        if (tagged) {
            raw_.fields.push_back(RawField{tagged->code, std::string(tagged->value)});
        } else if (!is_blank(line) && !raw_.fields.empty()) {
            // Continuation of the previous field's value (wrapped abstracts).
            std::string& value = raw_.fields.back().value;
            value += ' ';
            value.append(line);
        }
    }

    void start_record(int number) {
        in_record_ = true;
        raw_ = RawRecord{};
        raw_.first_line = raw_.last_line = number;
        raw_.index = next_index_++;
    }

    void finish_record() {
        in_record_ = false;
        record::Diagnostic error{file_, raw_.first_line, "", "", raw_.index};
        if (raw_.too_long) {
            error.code = "record_too_long";
            error.message = "record (lines " + std::to_string(raw_.first_line) + " to " +
                            std::to_string(raw_.last_line) + ") is longer than the " +
                            megabytes(max_record_bytes) + " limit: skipped";
            result_.errors.push_back(std::move(error));
            return;
        }
        if (raw_.bad_line) {
            result_.errors.push_back(encoding_error(raw_, file_));
            return;
        }
        try {
            record::Record record = build_record(raw_);
            if (record.title.empty() && !record.abstract && !record.doi) {
                error.code = "empty_record";
                error.message = "record has no title (TI or T1), abstract (AB or N2) or DOI (DO): skipped";
                result_.errors.push_back(std::move(error));
                return;
            }
            record.source = {file_, raw_.first_line, raw_.index};
            result_.records.push_back(std::move(record));
        } catch (const std::exception& problem) {   // std::bad_alloc: report the record, go on
            error.code = "bad_record";
            error.message = std::string("record could not be read: ") + problem.what();
            result_.errors.push_back(std::move(error));
        }
    }

    void end_garbage() {
        if (garbage_first_ == 0) return;
        const std::string lines = garbage_first_ == garbage_last_
                                      ? "line " + std::to_string(garbage_first_)
                                      : "lines " + std::to_string(garbage_first_) + " to " +
                                            std::to_string(garbage_last_);
        result_.errors.push_back({file_, garbage_first_, "stray_text",
                                  "text outside a record (" + lines +
                                      ") ignored: a record starts with a \"TY  - \" line and ends with \"ER  - \"",
                                  -1});
        garbage_first_ = garbage_last_ = 0;
    }

    std::string_view text_;
    const std::string& file_;
    ParseResult result_;
    bool in_record_ = false;
    RawRecord raw_;
    int next_index_ = 0;
    int garbage_first_ = 0;   // 0: not in a run of text outside records
    int garbage_last_ = 0;
};

}  // namespace

ParseResult parse_ris(std::string_view text, const std::string& file_path) {
    return RisParser(text, file_path).run();
}

}  // namespace scholarsearch::parse
