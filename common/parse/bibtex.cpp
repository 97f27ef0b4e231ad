#include "parse/bibtex.hpp"

#include "parse/line_source.hpp"
#include "parse/seed_format_text.hpp"
#include "text/utf8.hpp"
#include "text/latex.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace scholarsearch::parse {

namespace {

// ---------------------------------------------------------------------------------------------
// Bytes and lines

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_inline_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = lower(c);
    return out;
}

/// BibTeX's identifier characters (entry types, field names, @string names): printable ASCII
/// except "#%'(),={} and any non-ASCII byte.
bool is_name_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7F) return false;
    if (byte >= 0x80) return true;
    return std::strchr("\"#%'(),={}", c) == nullptr;
}

/// Characters of an entry key: anything up to white space, ',', a brace, a parenthesis or '='.
bool is_key_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7F) return false;
    if (byte >= 0x80) return true;
    return std::strchr("\",={}()", c) == nullptr;
}

/// 1-based line of a byte offset. Lookups move mostly forward, so counting newlines from the
/// previous lookup keeps the whole parse linear.
class LineCounter {
public:
    explicit LineCounter(std::string_view text) : text_(text) {}
    int line_at(std::size_t pos) {
        pos = std::min(pos, text_.size());
        if (pos >= pos_) line_ += newlines(pos_, pos);
        else line_ -= newlines(pos, pos_);
        pos_ = pos;
        return line_;
    }

private:
    int newlines(std::size_t from, std::size_t to) const {
        return static_cast<int>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(from),
                                           text_.begin() + static_cast<std::ptrdiff_t>(to), '\n'));
    }
    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1;
};

// ---------------------------------------------------------------------------------------------
// Values

/// Offset of the '}' matching the '{' at `open` (braces count whatever precedes them, as in
/// BibTeX), or npos.
std::size_t matching_brace(std::string_view text, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
        if (text[i] == '{') ++depth;
        else if (text[i] == '}' && --depth == 0) return i;
    }
    return std::string_view::npos;
}

/// A field value as text: LaTeX converted, white space collapsed and trimmed.
std::string text_value(std::string_view raw) {
    return seed::normalize_space(text::latex_to_unicode(raw));
}

std::string verbatim_value(std::string_view raw) {
    return seed::normalize_space(text::latex_verbatim(raw));
}

bool is_verbatim_field(std::string_view name) {
    return name == "url" || name == "doi" || name == "eprint" || name == "file" || name == "pdf" ||
           name == "biburl";
}

// ---------------------------------------------------------------------------------------------
// Field helpers

/// Splits a raw name list at " and " (any case, any white space around it) outside braces:
/// "{Barnes and Noble} and Smith, J." is two names.
std::vector<std::string_view> split_names(std::string_view raw) {
    std::vector<std::string_view> names;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '{') ++depth;
        else if (c == '}') --depth;
        else if (depth == 0 && is_space(c) && i + 4 < raw.size() && lower(raw[i + 1]) == 'a' &&
                 lower(raw[i + 2]) == 'n' && lower(raw[i + 3]) == 'd' && is_space(raw[i + 4])) {
            names.push_back(raw.substr(start, i - start));
            start = i + 4;
            i += 3;
        }
    }
    names.push_back(raw.substr(start));
    return names;
}

std::vector<std::string> name_list(std::string_view raw) {
    std::vector<std::string> out;
    for (std::string_view piece : split_names(raw)) {
        std::string name = text_value(piece);
        if (name.empty() || lower_ascii(name) == "others") continue;
        out.push_back(std::move(name));
    }
    return out;
}

std::string language_value(std::string value) {
    const bool code = (value.size() == 2 || value.size() == 3) &&
                      std::all_of(value.begin(), value.end(), [](char c) { return is_letter(c); });
    return code ? lower_ascii(value) : value;
}

// ---------------------------------------------------------------------------------------------
// The parser

const std::map<std::string, std::string, std::less<>>& month_macros() {
    static const std::map<std::string, std::string, std::less<>> months{
        {"jan", "January"}, {"feb", "February"}, {"mar", "March"},     {"apr", "April"},
        {"may", "May"},     {"jun", "June"},     {"jul", "July"},      {"aug", "August"},
        {"sep", "September"}, {"oct", "October"}, {"nov", "November"}, {"dec", "December"}};
    return months;
}

/// Why an entry is rejected. `to_end`: it never closes and takes the rest of the text.
struct EntryError {
    std::size_t pos = 0;
    std::string message;
    bool to_end = false;
    std::string code = "bad_entry";
    std::size_t reported_at = std::string_view::npos;   ///< where to report, when not at `pos`
};

struct RawField {
    std::string name;    ///< lower-cased
    std::string value;   ///< the pieces' contents concatenated, LaTeX still in it
};

struct UnknownMacro {
    std::size_t pos;
    std::string name;
};

class BibtexParser {
public:
    BibtexParser(std::string_view text, ParseResult& result, BibtexStrings& macros)
        : text_(text), result_(result), macros_(macros), lines_(text) {}

    void run() {
        std::size_t pos = 0;
        while (pos < text_.size()) {
            // `pos` is at the start of a line or just after an entry: only an '@' first on it
            // (after white space) starts an entry, anything else is a comment.
            std::size_t at = pos;
            while (true) {
                if (at < text_.size() && is_inline_space(text_[at])) ++at;
                else if (text_.substr(at, utf8_bom.size()) == utf8_bom) at += utf8_bom.size();
                else break;
            }
            if (at < text_.size() && text_[at] == '@') {
                pos = entry(at);
                continue;
            }
            pos = next_line(at);
        }
        if (entries_ == 0)
            result_.file_error = record::Diagnostic{result_.file, 0, "no_records", "no BibTeX entries in file", -1};
    }

private:
    std::size_t next_line(std::size_t pos) const {
        const std::size_t newline = text_.find('\n', pos);
        return newline == std::string_view::npos ? text_.size() : newline + 1;
    }

    std::size_t line_start(std::size_t pos) const {
        if (pos == 0) return 0;
        const std::size_t newline = text_.rfind('\n', pos - 1);
        return newline == std::string_view::npos ? 0 : newline + 1;
    }

    [[noreturn]] void fail(std::size_t pos, std::string message) const { throw EntryError{pos, std::move(message), false}; }
    [[noreturn]] void fail_to_end(std::string message) const { throw EntryError{text_.size(), std::move(message), true}; }

    std::string unclosed_message() const {
        return "the entry is never closed: missing '" + std::string(1, close_) +
               "' (or an unbalanced '{' or '\"' in a value) before the end of the file";
    }

    /// Skips white space and %-comments between tokens of an entry; the end of the text there
    /// means the entry never closes.
    void skip_space(std::size_t& pos) const {
        while (pos < text_.size()) {
            if (is_space(text_[pos])) ++pos;
            else if (text_[pos] == '%') pos = next_line(pos);
            else return;
        }
        fail_to_end(unclosed_message());
    }

    std::string_view read_name(std::size_t& pos) const {
        const std::size_t start = pos;
        while (pos < text_.size() && is_name_char(text_[pos])) ++pos;
        return text_.substr(start, pos - start);
    }

    std::string shown(std::size_t pos) const {
        if (pos >= text_.size()) return "the end of the file";
        const char c = text_[pos];
        if (c == '\n' || c == '\r') return "the end of the line";
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) return "a non-ASCII character";
        return "'" + std::string(1, c) + "'";
    }

    /// Where a line in text_(from, limit) starts an entry ("@article{", "  @Misc ("), or npos.
    std::size_t entry_start_between(std::size_t from, std::size_t limit) const {
        limit = std::min(limit, text_.size());
        for (std::size_t at = text_.find('@', from); at < limit; at = text_.find('@', at + 1)) {
            std::size_t before = at;
            while (before > from && is_inline_space(text_[before - 1])) --before;
            if (before <= from || text_[before - 1] != '\n') continue;
            std::size_t after = at + 1;
            const std::size_t name_start = after;
            while (after < text_.size() && is_name_char(text_[after])) ++after;
            if (after == name_start) continue;
            while (after < text_.size() && is_inline_space(text_[after])) ++after;
            if (after < text_.size() && (text_[after] == '{' || text_[after] == '(')) return at;
        }
        return std::string_view::npos;
    }

    /// A value left open until a line that starts the next entry almost always lost its closing
    /// brace or quote: the entry is rejected there and reading goes on with that entry, instead
    /// of every later entry being swallowed by the open value.
    void stop_at_next_entry(std::size_t open, std::size_t close, std::string_view field) const {
        const std::size_t next = entry_start_between(open + 1, close);
        if (next == std::string_view::npos) return;
        throw EntryError{next,
                         "the " + std::string(text_[open] == '{' ? "'{'" : "quote") + " of field '" + std::string(field) +
                             "' is not closed before the next entry (line " + std::to_string(lines_.line_at(next)) + ")",
                         false, "bad_entry", open};
    }

    /// value = piece ('#' piece)*; piece = {braced} | "quoted" | number | macro name.
    std::string value(std::size_t& pos, std::string_view field, std::vector<UnknownMacro>& unknown) const {
        std::string out;
        while (true) {
            skip_space(pos);
            const char c = text_[pos];
            if (c == '{') {
                const std::size_t close = matching_brace(text_, pos);
                stop_at_next_entry(pos, close, field);
                if (close == std::string_view::npos)
                    fail_to_end("unbalanced braces: the '{' of field '" + std::string(field) + "' is never closed");
                out.append(text_, pos + 1, close - pos - 1);
                pos = close + 1;
            } else if (c == '"') {
                int depth = 0;
                std::size_t end = pos + 1;
                for (; end < text_.size(); ++end) {
                    const char d = text_[end];
                    if (d == '{') ++depth;
                    else if (d == '}' && --depth < 0)
                        fail(end, "unbalanced '}' in the quoted value of field '" + std::string(field) + "'");
                    else if (d == '"' && depth == 0) break;
                }
                stop_at_next_entry(pos, end, field);
                if (end >= text_.size())
                    fail_to_end("the quoted value of field '" + std::string(field) + "' is never closed (missing '\"')");
                out.append(text_, pos + 1, end - pos - 1);
                pos = end + 1;
            } else if (is_name_char(c)) {
                const std::size_t start = pos;
                const std::string_view name = read_name(pos);
                if (is_digit(c)) {
                    out += name;   // a bare number (2012), kept as written
                } else {
                    const std::string key = lower_ascii(name);
                    if (auto found = macros_.find(key); found != macros_.end()) out += found->second;
                    else if (auto month = month_macros().find(key); month != month_macros().end()) out += month->second;
                    else {
                        out += name;
                        unknown.push_back({start, std::string(name)});
                    }
                }
            } else {
                fail(pos, "expected a value for field '" + std::string(field) +
                              "' ({...}, \"...\", a number or a @string name), found " + shown(pos));
            }
            if (out.size() > max_record_bytes)
                throw EntryError{pos, "the value of field '" + std::string(field) + "' is longer than the " +
                                          megabytes(max_record_bytes) + " limit (after @string expansion)",
                                 false, "record_too_long"};
            std::size_t after = pos;
            skip_space(after);
            if (text_[after] != '#') return out;
            pos = after + 1;
        }
    }

    /// Where to look for the next entry after one rejected at `problem`: that line if the problem
    /// is an '@' starting it (the next entry, as when a '}' is missing), else the line after it.
    std::size_t resume_after(std::size_t at, std::size_t problem) const {
        const std::size_t start = line_start(problem);
        if (start > at && problem < text_.size() && text_[problem] == '@') {
            std::size_t first = start;
            while (first < problem && is_inline_space(text_[first])) ++first;
            if (first == problem) return start;
        }
        return next_line(problem);
    }

    void report(std::size_t pos, std::string code, std::string message, int index) {
        result_.errors.push_back({result_.file, lines_.line_at(pos), std::move(code), std::move(message), index});
    }

    /// The entry is kept: the diagnostic is a warning.
    void warn(std::size_t pos, std::string code, std::string message, int index) {
        report(pos, std::move(code), std::move(message), index);
        result_.errors.back().warning = true;
    }

    /// Reports an entry longer than max_record_bytes (text_[at, end)); true if it is.
    bool too_long(std::size_t at, std::size_t end, int index) {
        if (end - at <= max_record_bytes) return false;
        report(at, "record_too_long",
               "entry of " + megabytes(end - at) + " is longer than the " + megabytes(max_record_bytes) +
                   " limit: entry skipped",
               index);
        return true;
    }

    /// Reports invalid UTF-8 or a NUL byte in text_[from, to); true if there is one.
    bool bad_encoding(std::size_t from, std::size_t to, int index) {
        const auto problem = text::find_encoding_problem(text_.substr(from, to - from));
        if (!problem) return false;
        const std::size_t pos = from + problem->offset;
        std::string message;
        if (problem->nul) {
            message = "NUL byte in the entry: the file is binary or UTF-16, not a UTF-8 BibTeX file";
        } else {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text_[pos]));
            message = std::string("invalid UTF-8 (byte ") + byte +
                      "): BibTeX files must be UTF-8 (convert Latin-1, GBK or other encodings first)";
        }
        report(pos, "bad_encoding", message + ": entry skipped", index);
        return true;
    }

    /// Parses the entry whose '@' is at `at`; returns where scanning goes on.
    std::size_t entry(std::size_t at) {
        std::size_t pos = at + 1;
        while (pos < text_.size() && is_inline_space(text_[pos])) ++pos;
        const std::string type = lower_ascii(read_name(pos));
        if (type == "comment") {
            // A comment: its {group} is skipped when it closes; else the word alone (BibTeX's rule).
            std::size_t open = pos;
            while (open < text_.size() && is_space(text_[open])) ++open;
            if (open < text_.size() && text_[open] == '{') {
                const std::size_t close = matching_brace(text_, open);
                if (close != std::string_view::npos) return close + 1;
            } else if (open < text_.size() && text_[open] == '(') {
                const std::size_t close = text_.find(')', open);
                if (close != std::string_view::npos) return close + 1;
            }
            return pos;
        }
        const bool is_string = type == "string", is_preamble = type == "preamble";
        const int index = (is_string || is_preamble) ? -1 : entries_++;
        close_ = '}';
        try {
            if (type.empty())
                fail(pos, "expected an entry type after '@' (like @article{key, ...}), found " + shown(pos));
            skip_space(pos);
            if (text_[pos] != '{' && text_[pos] != '(')
                fail(pos, "expected '{' after @" + type + ", found " + shown(pos));
            close_ = text_[pos] == '{' ? '}' : ')';
            ++pos;
            if (is_preamble) return preamble(at, pos);
            if (is_string) return string_definition(at, pos);
            return regular_entry(at, pos, type, index);
        } catch (const EntryError& error) {
            if (!error.to_end && bad_encoding(at, error.pos, index)) return resume_after(at, error.pos);
            const std::size_t line_pos = error.reported_at != std::string_view::npos ? error.reported_at
                                         : error.to_end || error.code != "bad_entry" ? at
                                                                                     : error.pos;
            std::string where = is_string ? "@string: " : is_preamble ? "@preamble: " : "";
            report(line_pos, error.code, where + error.message + ": entry skipped", index);
            return error.to_end ? text_.size() : resume_after(at, error.pos);
        }
    }

    std::size_t preamble(std::size_t at, std::size_t pos) {
        // Contents are not used: only find where it closes.
        int depth = 0;
        for (; pos < text_.size(); ++pos) {
            const char c = text_[pos];
            if (c == '{') ++depth;
            else if (c == '}' && depth > 0) --depth;
            else if (c == close_ && depth == 0) break;
        }
        if (pos >= text_.size()) {
            report(at, "bad_entry", "@preamble: " + unclosed_message() + ": entry skipped", -1);
            return text_.size();
        }
        return pos + 1;
    }

    /// `name = value` pairs separated by ',' up to the closing delimiter (a trailing ',' is
    /// fine), left at `pos`; each is handed to `take(name, value)`. `in_string`: the pairs of a
    /// @string (macro definitions), else an entry's fields — only the messages differ.
    template <class Take>
    void assignments(std::size_t& pos, std::vector<UnknownMacro>& unknown, bool in_string, Take&& take) const {
        const std::string closer = "'" + std::string(1, close_) + "'";
        while (true) {
            skip_space(pos);
            if (text_[pos] == close_) return;
            const std::string_view name = read_name(pos);
            if (name.empty())
                fail(pos, in_string ? "expected a macro name (@string{name = {value}}), found " + shown(pos)
                                    : "expected a field name or " + closer + ", found " + shown(pos));
            const std::size_t name_end = pos;
            skip_space(pos);
            if (text_[pos] != '=')
                fail(name_end, (in_string ? "missing '=' after macro name '" : "missing '=' after field '") +
                                   std::string(name) + "'");
            ++pos;
            take(name, value(pos, name, unknown));
            const std::size_t value_end = pos;
            skip_space(pos);
            if (text_[pos] == ',') {
                ++pos;
                continue;
            }
            if (text_[pos] == close_) return;
            fail(value_end, in_string ? "expected ',' or " + closer + " after the value of @string '" + std::string(name) + "'"
                                      : "expected ',' or " + closer + " after the value of field '" + std::string(name) +
                                            "', found " + shown(pos));
        }
    }

    std::size_t string_definition(std::size_t at, std::size_t pos) {
        std::vector<std::pair<std::string, std::string>> definitions;
        std::vector<UnknownMacro> unknown;
        assignments(pos, unknown, true, [&](std::string_view name, std::string text) {
            definitions.emplace_back(lower_ascii(name), std::move(text));
        });
        ++pos;
        if (too_long(at, pos, -1) || bad_encoding(at, pos, -1)) return pos;
        for (auto& [name, text] : definitions) macros_[name] = std::move(text);
        for (const auto& macro : unknown)
            warn(macro.pos, "unknown_string", unknown_message(macro.name), -1);
        return pos;
    }

    static std::string unknown_message(const std::string& name) {
        return "unknown @string macro '" + name + "': kept as the text \"" + name +
               "\" (define it with @string{" + name + " = {...}} before use, or put the value in braces)";
    }

    std::size_t regular_entry(std::size_t at, std::size_t pos, const std::string& type, int index) {
        skip_space(pos);
        const std::size_t key_start = pos;
        while (pos < text_.size() && is_key_char(text_[pos])) ++pos;
        const std::string_view key = text_.substr(key_start, pos - key_start);
        if (key.empty()) fail(key_start, "missing key: expected @" + type + "{key, field = {value}, ...}");
        const std::size_t key_end = pos;
        skip_space(pos);
        if (text_[pos] == '=')
            fail(key_start, "missing key: '" + std::string(key) + "' is followed by '=' (expected @" + type +
                                "{key, " + std::string(key) + " = ...})");
        std::vector<RawField> fields;
        std::unordered_set<std::string> seen;
        std::vector<UnknownMacro> unknown;
        if (text_[pos] == ',') {
            ++pos;
            assignments(pos, unknown, false, [&](std::string_view name, std::string field_value) {
                std::string field_name = lower_ascii(name);
                if (seen.insert(field_name).second) fields.push_back({std::move(field_name), std::move(field_value)});
            });
        } else if (text_[pos] != close_) {
            fail(key_end, "expected ',' after the key '" + std::string(key) + "', found " + shown(pos));
        }
        ++pos;   // the closing '}' or ')'
        if (too_long(at, pos, index) || bad_encoding(at, pos, index)) return pos;
        build_record(at, index, type, key, fields, unknown);
        return pos;
    }

    void build_record(std::size_t at, int index, const std::string& type, std::string_view key,
                      const std::vector<RawField>& fields, const std::vector<UnknownMacro>& unknown) {
        record::Record record;
        record::ExtraBuilder extra(record);
        record.id = std::string(key);
        extra.add("type", type);
        const bool has_journal = std::any_of(fields.begin(), fields.end(), [](const RawField& field) {
            return field.name == "journal" || field.name == "journaltitle";
        });
        const bool booktitle_is_venue =
            !has_journal && (type == "inproceedings" || type == "incollection" || type == "conference");
        std::optional<int> date_year;
        bool have_keywords = false, have_affiliations = false;
        for (const auto& [name, raw] : fields) {
            if (is_verbatim_field(name)) {
                std::string text = verbatim_value(raw);
                if (text.empty()) continue;
                if (name == "doi") {
                    if (std::string_view doi = record::doi_without_prefix(text); !doi.empty()) record.doi = std::string(doi);
                    continue;
                }
                extra.add(name, std::move(text));
                continue;
            }
            if (name == "author") {
                for (auto& author : name_list(raw)) record.authors.push_back({std::move(author), {}});
                continue;
            }
            if (name == "affiliation" || name == "affiliations") {
                if (have_affiliations) continue;
                have_affiliations = true;
                for (auto& affiliation : name_list(raw))
                    record.affiliations.push_back({static_cast<int>(record.affiliations.size()) + 1, std::move(affiliation)});
                continue;
            }
            std::string text = text_value(raw);
            if (text.empty()) continue;
            if (name == "title") {
                record.title = std::move(text);
            } else if (name == "abstract") {
                record.abstract = std::move(text);
            } else if (name == "journal" || name == "journaltitle") {
                if (!record.venue) record.venue = std::move(text);
            } else if (name == "booktitle" && booktitle_is_venue) {
                record.venue = std::move(text);
            } else if (name == "keywords" || name == "keyword") {
                if (have_keywords) continue;
                have_keywords = true;
                // Semicolons when there are any (full-width ones too), else commas.
                const bool semicolons = text.find(';') != std::string::npos || text.find("；") != std::string::npos;
                for (std::string_view keyword : seed::split_at(text, semicolons ? U";；" : U",，")) {
                    keyword = seed::trim(keyword);
                    if (!keyword.empty()) record.keywords.emplace_back(keyword);
                }
            } else if (name == "year") {
                if (auto year = record::year_in(text)) record.year = year;
                else extra.add(name, std::move(text));   // "in press": kept as written
            } else if (name == "date") {
                date_year = record::year_in(text);
                extra.add(name, std::move(text));
            } else if (name == "pages") {
                record.pages = seed::split_page_range(text);
            } else if (name == "language") {
                record.language = language_value(std::move(text));
            } else if (name == "type") {
                // The entry type is extra "type": the field (@techreport's "Technical Note") gets its own label.
                extra.add("type_field", std::move(text));
            } else {
                extra.add(name, std::move(text));
            }
        }
        if (!record.year && date_year) record.year = date_year;
        if (!record.doi) {
            for (const auto& [label, value] : record.extra) {
                if (label != "url") continue;
                if (std::string_view doi = record::doi_of_url(value); !doi.empty()) record.doi = std::string(doi);
                break;
            }
        }
        if (record.title.empty() && !record.abstract && !record.doi) {
            report(at, "empty_record",
                   "entry '" + std::string(key) + "' has no title, abstract or doi: nothing to index", index);
            return;
        }
        for (const auto& macro : unknown) warn(macro.pos, "unknown_string", unknown_message(macro.name), index);
        record.source = {result_.file, lines_.line_at(at), index};
        result_.records.push_back(std::move(record));
    }

    std::string_view text_;
    ParseResult& result_;
    BibtexStrings& macros_;
    mutable LineCounter lines_;   // a cache of where it last counted: lookups stay cheap in const members
    int entries_ = 0;
    char close_ = '}';   ///< the current entry's closing delimiter
};

}  // namespace

ParseResult parse_bibtex(std::string_view text, const std::string& file_path, BibtexStrings* strings) {
    ParseResult result;
    result.file = file_path;
    if (text.substr(0, utf8_bom.size()) == utf8_bom) text.remove_prefix(utf8_bom.size());
    BibtexStrings local;
    BibtexParser parser(text, result, strings ? *strings : local);
    try {
        parser.run();
    } catch (const std::exception& problem) {
        // Out of memory or a bug: what was read so far is kept, the rest of the file is reported.
        result.file_error = record::Diagnostic{file_path, 0, "parse_failed", problem.what(), -1};
    }
    return result;
}

}  // namespace scholarsearch::parse
