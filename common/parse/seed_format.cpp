#include "parse/seed_format.hpp"

#include "parse/seed_format_fields.hpp"
#include "parse/seed_format_text.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace scholarsearch::parse {

namespace {

using seed::normalize_space;

// ---- labels (FORMAT.md §2, §4) ----------------------------------------------------------------

enum class LabelId {
    cited_by, authors, affiliations, keywords, doi, clc, disciplines, abstract, cite, save,
    pages, page_count, references,
    known_extra,     ///< 基金, 来源, 年份, ...: recognised like core labels, stored in extra
    unknown_extra,   ///< any other 1-10 Han label followed by a colon
};

enum class LabelKind { one_line, valueless, block, references };

struct LabelName {
    std::string_view name;   ///< canonical: NFKC, no white space
    LabelId id;
};

constexpr std::array<LabelName, 23> kLabels{{
    {"被引", LabelId::cited_by},      {"作者", LabelId::authors},
    {"机构", LabelId::affiliations},  {"关键词", LabelId::keywords},
    {"DOI", LabelId::doi},            {"中图分类号", LabelId::clc},
    {"学科分类号", LabelId::disciplines}, {"摘要", LabelId::abstract},
    {"引用", LabelId::cite},          {"收藏", LabelId::save},
    {"页码", LabelId::pages},         {"页数", LabelId::page_count},
    {"相关论文", LabelId::references},
    {"基金", LabelId::known_extra},   {"基金项目", LabelId::known_extra},
    {"来源", LabelId::known_extra},   {"期刊", LabelId::known_extra},
    {"年份", LabelId::known_extra},   {"出版年", LabelId::known_extra},
    {"卷期", LabelId::known_extra},   {"语种", LabelId::known_extra},
    {"文献类型", LabelId::known_extra}, {"出版日期", LabelId::known_extra},
}};

// No label is longer than this many code points; longer label parts skip the NFKC call.
constexpr std::size_t kMaxLabelCodePoints = 16;
constexpr std::size_t kMaxUnknownLabelHan = 10;

LabelKind kind_of(LabelId id) {
    switch (id) {
        case LabelId::cited_by:
        case LabelId::doi:
        case LabelId::pages:
        case LabelId::page_count: return LabelKind::one_line;
        case LabelId::cite:
        case LabelId::save: return LabelKind::valueless;
        case LabelId::references: return LabelKind::references;
        default: return LabelKind::block;
    }
}

bool is_core(LabelId id) { return id != LabelId::known_extra && id != LabelId::unknown_extra; }
bool is_opening(LabelId id) { return id == LabelId::cited_by || id == LabelId::authors; }

std::string_view canonical_name(LabelId id) {
    for (const auto& label : kLabels)
        if (label.id == id) return label.name;
    return {};
}

/// The label a label part names (§4: NFKC, white space deleted, DOI in any ASCII case).
std::optional<LabelId> find_label(std::string_view label_part) {
    std::string compact;
    std::size_t code_points = 0;
    for (std::size_t pos = 0; pos < label_part.size();) {
        const std::size_t start = pos;
        if (seed::is_white_space(seed::next_code_point(label_part, pos))) continue;
        if (++code_points > kMaxLabelCodePoints) return std::nullopt;
        compact.append(label_part, start, pos - start);
    }
    if (!seed::is_ascii(compact)) compact = seed::remove_white_space(seed::nfkc(compact));
    if (seed::equals_ascii_ci(compact, "DOI")) return LabelId::doi;
    for (const auto& label : kLabels)
        if (label.name == compact) return label.id;
    return std::nullopt;
}

/// §2: a label part of 1 to 10 Han characters, white space inside ignored.
bool is_unknown_label_part(std::string_view label_part) {
    std::size_t han = 0;
    for (std::size_t pos = 0; pos < label_part.size();) {
        const char32_t c = seed::next_code_point(label_part, pos);
        if (seed::is_white_space(c)) continue;
        if (!seed::is_han(c) || ++han > kMaxUnknownLabelHan) return false;
    }
    return han > 0;
}

// ---- line classifier (§3, §4) -----------------------------------------------------------------

enum class LineKind { text, label, unknown_label };

struct Line {
    std::string_view text;         ///< trimmed
    int number = 0;                ///< 1-based
    bool indented = false;         ///< starts with white space (matters inside 相关论文 only)
    LineKind kind = LineKind::text;
    LabelId label = LabelId::known_extra;   ///< for label and unknown_label lines
    std::string_view label_part;   ///< text before the first colon, as written
    std::string_view value;        ///< text after the first colon, as written (N not applied)
};

/// Position and byte length of the first ':' or '：'.
std::pair<std::size_t, std::size_t> find_colon(std::string_view text) {
    static constexpr std::string_view kFullWidthColon = "\uFF1A";
    const std::size_t ascii = text.find(':');
    const std::size_t full = text.substr(0, ascii).find(kFullWidthColon);
    if (full != std::string_view::npos) return {full, kFullWidthColon.size()};
    return {ascii, 1};
}

/// Classifies a non-blank line without context; nullopt for blank lines.
std::optional<Line> classify_line(std::string_view raw, int number) {
    Line line;
    line.text = seed::trim(raw);
    if (line.text.empty()) return std::nullopt;
    line.number = number;
    line.indented = line.text.data() != raw.data();
    const auto [colon, colon_size] = find_colon(line.text);
    line.label_part = line.text.substr(0, colon);
    if (colon != std::string_view::npos) line.value = line.text.substr(colon + colon_size);
    if (auto label = find_label(line.label_part)) {
        line.kind = LineKind::label;
        line.label = *label;
    } else if (colon != std::string_view::npos && is_unknown_label_part(line.label_part)) {
        line.kind = LineKind::unknown_label;
        line.label = LabelId::unknown_extra;
    }
    return line;
}

/// Splits at "\r\n", "\n" or a lone "\r" and classifies every non-blank line.
std::vector<Line> classify_lines(std::string_view text) {
    std::vector<Line> lines;
    int number = 1;
    std::size_t start = 0;
    for (;;) {
        std::size_t end = start;
        while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
        if (end == text.size()) end = std::string_view::npos;
        const std::string_view raw = text.substr(start, end == std::string_view::npos ? end : end - start);
        if (auto line = classify_line(raw, number)) lines.push_back(*line);
        if (end == std::string_view::npos) break;
        start = end + 1;
        if (text[end] == '\r' && start < text.size() && text[start] == '\n') ++start;
        ++number;
    }
    return lines;
}

/// Decoded text without any U+FEFF (a leading BOM or one left in the middle by concatenation).
std::string without_byte_order_marks(std::string_view bytes) {
    static constexpr std::string_view kBom = "\xEF\xBB\xBF";
    std::string text;
    text.reserve(bytes.size());
    for (std::size_t start = 0;;) {
        const std::size_t bom = bytes.find(kBom, start);
        text.append(bytes.substr(start, bom == std::string_view::npos ? bom : bom - start));
        if (bom == std::string_view::npos) break;
        start = bom + kBom.size();
    }
    return text;
}

// ---- record segmenter (§5) --------------------------------------------------------------------

struct RawItem {
    int n = 0;
    std::vector<std::string> lines;   ///< N applied, empty lines dropped
};

struct RawField {
    LabelId label;
    std::string key;                  ///< extra labels: as written, white space removed
    std::vector<std::string> lines;   ///< N applied, empty lines dropped
    std::vector<RawItem> items;       ///< 相关论文 only
};

struct RawRecord {
    int first_line = 0;
    int index = 0;
    std::optional<std::string> title;   ///< absent: missing_title
    std::vector<RawField> fields;
    bool has_core = false;
    bool has_core_besides_cited_by = false;
    int last_reference_n = 0;
};

class Segmenter {
public:
    explicit Segmenter(const std::vector<Line>& lines) : lines_(lines) {}

    std::vector<RawRecord> run() {
        for (next_ = 0; next_ < lines_.size();) step(lines_[next_++]);
        return std::move(records_);
    }

private:
    enum class Mode { after_title, waiting_value, closed, block, references };

    /// The rules of §5, in order; the first that applies wins.
    void step(const Line& line) {
        if (has_record() && mode_ == Mode::references) return step_in_references(line);   // 1
        if (line.kind == LineKind::label) return apply_label(line);                        // 2
        if (next_line_opens_record() || !has_record()) return start_titled_record(line);   // 3, 4
        if (line.kind == LineKind::unknown_label && !in_abstract()) {                      // 5
            start_field(LabelId::unknown_extra, seed::remove_white_space(line.label_part));
            append_value(line.value);
            mode_ = Mode::block;
            return;
        }
        if (mode_ == Mode::waiting_value) {                                                // 6
            append_value(line.text);
            mode_ = Mode::closed;
            return;
        }
        if (mode_ == Mode::block) return append_value(line.text);                          // 7
        start_titled_record(line);                                                          // 8
    }

    void step_in_references(const Line& line) {
        if (line.kind == LineKind::label && !line.indented) return apply_label(line);      // 1a
        if (take_reference_line(line.text, line.indented)) return;                          // 1b, 1c
        start_titled_record(line);                                                          // 1d
    }

    /// Count, item or continuation line of the open 相关论文 section; false if it is none.
    bool take_reference_line(std::string_view text, bool indented) {
        if (seed::is_count_line(text)) return true;
        RawRecord& record = records_.back();
        auto& items = record.fields.back().items;
        if (auto item = seed::parse_item_line(text)) {
            const int n = item->n ? *item->n : record.last_reference_n + 1;
            record.last_reference_n = n;
            items.push_back({n, {}});
            append_line(items.back().lines, item->first_line);
            return true;
        }
        if (!indented) return false;
        // A continuation before the first item has nothing to continue: dropped.
        if (!items.empty()) append_line(items.back().lines, text);
        return true;
    }

    void apply_label(const Line& line) {
        const LabelId id = line.label;
        if (!has_record() || (is_opening(id) && opens_new_record(id))) start_record(line, std::nullopt);
        RawRecord& record = records_.back();
        if (is_core(id)) {
            record.has_core = true;
            if (id != LabelId::cited_by) record.has_core_besides_cited_by = true;
        }
        start_field(id, id == LabelId::known_extra ? seed::remove_white_space(line.label_part)
                                                   : std::string(canonical_name(id)));
        switch (kind_of(id)) {
            case LabelKind::one_line:
                append_value(line.value);
                mode_ = records_.back().fields.back().lines.empty() ? Mode::waiting_value
                                                                    : Mode::closed;
                break;
            case LabelKind::valueless:
                mode_ = Mode::closed;
                break;
            case LabelKind::block:
                append_value(line.value);
                mode_ = Mode::block;
                break;
            case LabelKind::references:
                mode_ = Mode::references;
                // An inline value is the section's first line; if it is neither a count nor an
                // item it is treated like a continuation, never as the next record's title.
                if (const std::string_view value = seed::trim(line.value); !value.empty())
                    take_reference_line(value, true);
                break;
        }
    }

    bool opens_new_record(LabelId id) const {
        if (!has_record()) return true;
        const RawRecord& record = records_.back();
        if (id == LabelId::cited_by) return record.has_core;
        if (id == LabelId::authors) return record.has_core_besides_cited_by;
        return false;
    }

    /// Rule 3: the next non-blank line is an opening label that would open a new record.
    bool next_line_opens_record() const {
        if (!has_record() || next_ >= lines_.size()) return false;
        const Line& next = lines_[next_];
        return next.kind == LineKind::label && is_opening(next.label) && opens_new_record(next.label);
    }

    bool in_abstract() const {
        return mode_ == Mode::block && records_.back().fields.back().label == LabelId::abstract;
    }

    void start_titled_record(const Line& line) { start_record(line, normalize_space(line.text)); }

    void start_record(const Line& line, std::optional<std::string> title) {
        RawRecord record;
        record.first_line = line.number;
        record.index = static_cast<int>(records_.size());
        record.title = std::move(title);
        records_.push_back(std::move(record));
        mode_ = Mode::after_title;
    }

    void start_field(LabelId id, std::string key) {
        records_.back().fields.push_back(RawField{id, std::move(key), {}, {}});
    }

    void append_value(std::string_view text) { append_line(records_.back().fields.back().lines, text); }

    static void append_line(std::vector<std::string>& lines, std::string_view text) {
        std::string value = normalize_space(text);
        if (!value.empty()) lines.push_back(std::move(value));
    }

    bool has_record() const { return !records_.empty(); }

    const std::vector<Line>& lines_;
    std::size_t next_ = 0;   ///< index of the line after the one being processed
    std::vector<RawRecord> records_;
    Mode mode_ = Mode::after_title;
};

// ---- record assembly (§6) ---------------------------------------------------------------------

std::string join_lines(const std::vector<std::string>& lines) { return seed::join(lines, "\n"); }

void add_extra(record::Record& record, const RawField& field) {
    std::string value = join_lines(field.lines);
    for (auto& [key, existing] : record.extra)
        if (key == field.key) {
            existing += '\n';
            existing += value;
            return;
        }
    record.extra.emplace_back(field.key, std::move(value));
}

record::Record build_record(const RawRecord& raw, const std::string& file_path) {
    record::Record record;
    record.title = raw.title.value_or("");
    record.source = {file_path, raw.first_line, raw.index};
    std::vector<std::string> abstract;
    // One-line labels: the first occurrence with a non-empty value wins.
    bool cited_by_seen = false, doi_seen = false, pages_seen = false, page_count_seen = false;
    auto first_value = [](const RawField& field, bool& seen) -> const std::string* {
        if (seen || field.lines.empty()) return nullptr;
        seen = true;
        return &field.lines.front();
    };
    for (const RawField& field : raw.fields) {
        switch (field.label) {
            case LabelId::cited_by:
                if (auto* value = first_value(field, cited_by_seen)) record.cited_by = seed::parse_count(*value);
                break;
            case LabelId::doi:
                if (auto* value = first_value(field, doi_seen)) record.doi = seed::parse_doi(*value);
                break;
            case LabelId::pages:
                if (auto* value = first_value(field, pages_seen)) record.pages = seed::parse_pages(*value);
                break;
            case LabelId::page_count:
                if (auto* value = first_value(field, page_count_seen))
                    record.page_count = seed::parse_count(*value);
                break;
            case LabelId::authors:
                for (auto& author : seed::parse_authors(field.lines)) record.authors.push_back(std::move(author));
                break;
            case LabelId::affiliations:
                seed::append_affiliations(field.lines, record.affiliations);
                break;
            case LabelId::keywords:
                for (auto& keyword : seed::parse_keywords(field.lines)) record.keywords.push_back(std::move(keyword));
                break;
            case LabelId::clc:
                for (auto& code : seed::parse_clc(field.lines)) record.clc.push_back(std::move(code));
                break;
            case LabelId::disciplines:
                for (auto& code : seed::parse_disciplines(field.lines))
                    record.disciplines.push_back(std::move(code));
                break;
            case LabelId::abstract:
                abstract.insert(abstract.end(), field.lines.begin(), field.lines.end());
                break;
            case LabelId::references:
                for (const RawItem& item : field.items)
                    record.references.push_back(seed::build_reference(item.n, item.lines));
                break;
            case LabelId::known_extra:
            case LabelId::unknown_extra:
                add_extra(record, field);
                break;
            case LabelId::cite:
            case LabelId::save:
                break;
        }
    }
    if (!abstract.empty()) record.abstract = join_lines(abstract);
    return record;
}

/// A title shortened for messages, cut at a code point boundary.
std::string excerpt(const std::string& text) {
    constexpr std::size_t kMaxBytes = 60;
    if (text.size() <= kMaxBytes) return text;
    std::size_t cut = kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "...";
}

record::Diagnostic record_error(const RawRecord& raw, const std::string& file_path) {
    record::Diagnostic diagnostic{file_path, raw.first_line, "", "", raw.index};
    if (!raw.title) {
        diagnostic.code = "missing_title";
        diagnostic.message = "record starts with label " + raw.fields.front().key + " but has no title line";
    } else {
        diagnostic.code = "no_fields";
        diagnostic.message = "record \"" + excerpt(*raw.title) + "\" has a title but no labelled field";
    }
    return diagnostic;
}

record::Diagnostic file_error(const std::string& file_path, std::string code, std::string message) {
    return record::Diagnostic{file_path, 0, std::move(code), std::move(message), -1};
}

}  // namespace

ParseResult parse_seed_format(std::string_view bytes, const std::string& file_path) {
    ParseResult result;
    result.file = file_path;
    if (auto problem = seed::find_encoding_problem(bytes)) {
        result.file_error = file_error(
            file_path, "bad_encoding",
            (problem->nul ? "NUL byte at byte offset " : "invalid UTF-8 at byte offset ") +
                std::to_string(problem->offset) + " (the seed format must be UTF-8)");
        return result;
    }
    // Copy only when there is a U+FEFF to delete; the lines are views into `text`.
    std::string cleaned;
    std::string_view text = bytes;
    if (bytes.find("\xEF\xBB\xBF") != std::string_view::npos) {
        cleaned = without_byte_order_marks(bytes);
        text = cleaned;
    }
    const std::vector<Line> lines = classify_lines(text);
    const bool has_core_label = std::any_of(lines.begin(), lines.end(), [](const Line& line) {
        return line.kind == LineKind::label && is_core(line.label);
    });
    if (!has_core_label) {
        result.file_error = file_error(file_path, "no_records",
                                       "no seed-format record: the file has no line with a core label "
                                       "such as 作者, 摘要 or 相关论文");
        return result;
    }
    for (const RawRecord& raw : Segmenter(lines).run()) {
        if (!raw.title || raw.fields.empty())
            result.errors.push_back(record_error(raw, file_path));
        else
            result.records.push_back(build_record(raw, file_path));
    }
    return result;
}

}  // namespace scholarsearch::parse
