#include "parse/seed_format.hpp"

#include "parse/seed_format_fields.hpp"
#include "parse/seed_format_text.hpp"
#include "text/normalize.hpp"
#include "text/script.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <unordered_map>
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
        if (seed::is_white_space(text::next_code_point(label_part, pos))) continue;
        if (++code_points > kMaxLabelCodePoints) return std::nullopt;
        compact.append(label_part, start, pos - start);
    }
    if (!text::is_ascii(compact)) compact = seed::remove_white_space(text::nfkc(compact));
    if (seed::equals_ascii_ci(compact, "DOI")) return LabelId::doi;
    for (const auto& label : kLabels)
        if (label.name == compact) return label.id;
    return std::nullopt;
}

/// §2: a label part of 1 to 10 Han characters, white space inside ignored.
bool is_unknown_label_part(std::string_view label_part) {
    std::size_t han = 0;
    for (std::size_t pos = 0; pos < label_part.size();) {
        const char32_t c = text::next_code_point(label_part, pos);
        if (seed::is_white_space(c)) continue;
        if (!text::is_han_ideograph(c) || ++han > kMaxUnknownLabelHan) return false;
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
    std::uint64_t bytes = 0;       ///< length of the line as read (a truncated line's whole length)
    bool truncated = false;        ///< longer than max_record_bytes: `text` is its first bytes only
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
    int last_line = 0;
    int index = 0;
    std::uint64_t bytes = 0;            ///< its non-blank lines with their line ends
    int long_line = 0;                  ///< first line longer than max_record_bytes, 0 if none
    std::uint64_t long_line_bytes = 0;
    std::optional<std::string> title;   ///< absent: missing_title
    std::vector<RawField> fields;
    bool has_core = false;
    bool has_core_besides_cited_by = false;
    int last_reference_n = 0;
};

/// Applies the rules of §5 line by line, with one line of look-ahead, so that it can run over a
/// file of any size: records before the one still open are complete and can be taken out.
class Segmenter {
public:
    /// Processes a non-blank line; `next` is the next non-blank line (nullptr at the end).
    void add(const Line& line, const Line* next) {
        next_ = next;
        step(line);
        account(line);
    }

    /// Moves out the complete records: all but the one still open.
    std::vector<RawRecord> take_finished() {
        std::vector<RawRecord> done;
        if (records_.size() < 2) return done;
        done.assign(std::make_move_iterator(records_.begin()), std::make_move_iterator(records_.end() - 1));
        records_.erase(records_.begin(), records_.end() - 1);
        return done;
    }

    /// Moves out every record (at the end of the input).
    std::vector<RawRecord> take_all() { return std::move(records_); }

private:
    enum class Mode { after_title, waiting_value, closed, block, references };

    /// Size limits: a record with a line longer than max_record_bytes, or longer itself, will be
    /// rejected, so its values are not kept (only the last field, which the rules look at).
    void account(const Line& line) {
        RawRecord& record = records_.back();
        record.last_line = line.number;
        record.bytes += line.bytes + 1;
        if (line.truncated && !record.long_line) {
            record.long_line = line.number;
            record.long_line_bytes = line.bytes;
        }
        if (!record.long_line && record.bytes <= max_record_bytes) return;
        if (record.fields.size() > 1) record.fields.erase(record.fields.begin(), record.fields.end() - 1);
        if (!record.fields.empty()) {
            record.fields.back().lines.clear();
            record.fields.back().items.clear();
        }
    }

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
        if (!has_record() || !next_) return false;
        return next_->kind == LineKind::label && is_opening(next_->label) && opens_new_record(next_->label);
    }

    bool in_abstract() const {
        return mode_ == Mode::block && records_.back().fields.back().label == LabelId::abstract;
    }

    void start_titled_record(const Line& line) { start_record(line, normalize_space(line.text)); }

    void start_record(const Line& line, std::optional<std::string> title) {
        RawRecord record;
        record.first_line = line.number;
        record.index = record_count_++;
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

    const Line* next_ = nullptr;   ///< the non-blank line after the one being processed
    std::vector<RawRecord> records_;
    int record_count_ = 0;
    Mode mode_ = Mode::after_title;
};

// ---- record assembly (§6) ---------------------------------------------------------------------

std::string join_lines(const std::vector<std::string>& lines) { return seed::join(lines, "\n"); }

record::Record build_record(const RawRecord& raw, const std::string& file_path) {
    record::Record record;
    record.title = raw.title.value_or("");
    record.source = {file_path, raw.first_line, raw.index};
    std::vector<std::string> abstract;
    record::ExtraBuilder extra(record);
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
                extra.add(field.key, join_lines(field.lines));
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
    return std::string(text::utf8_prefix(text, kMaxBytes)) + "...";
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

record::Diagnostic too_long_error(const RawRecord& raw, const std::string& file_path) {
    const std::string what = raw.title ? "record \"" + excerpt(*raw.title) + "\"" : "record";
    if (raw.long_line)
        return {file_path, raw.long_line, "line_too_long",
                "line of " + megabytes(raw.long_line_bytes) + " is longer than the " +
                    megabytes(max_record_bytes) + " limit: " + what + " (line " + std::to_string(raw.first_line) +
                    ") skipped",
                raw.index};
    return {file_path, raw.first_line, "record_too_long",
            what + " is longer than the " + megabytes(max_record_bytes) + " limit (lines " +
                std::to_string(raw.first_line) + " to " + std::to_string(raw.last_line) + "): skipped",
            raw.index};
}

record::Diagnostic file_error(const std::string& file_path, std::string code, std::string message) {
    return record::Diagnostic{file_path, 0, std::move(code), std::move(message), -1};
}

constexpr std::string_view kBom = "\xEF\xBB\xBF";

/// The line with every U+FEFF deleted (FORMAT.md §3), in `storage` if there was one to delete.
std::string_view without_byte_order_marks(std::string_view text, std::string& storage) {
    if (text.find(kBom) == std::string_view::npos) return text;
    storage.clear();
    for (std::size_t start = 0;;) {
        const std::size_t bom = text.find(kBom, start);
        storage.append(text.substr(start, bom == std::string_view::npos ? bom : bom - start));
        if (bom == std::string_view::npos) break;
        start = bom + kBom.size();
    }
    return storage;
}

int clamped_line_number(std::int64_t number) {
    return static_cast<int>(std::min<std::int64_t>(number, std::numeric_limits<int>::max()));
}

/// bad_encoding for the first bad byte of `line`; the diagnostic names that line.
record::Diagnostic encoding_error(const SourceLine& line, const std::string& file_path) {
    const std::uint64_t offset = *line.bad_byte;
    const std::uint64_t column = offset - line.offset;
    record::Diagnostic error{file_path, clamped_line_number(line.number), "bad_encoding", "", -1};
    const bool utf16_bom = line.text.substr(0, 2) == "\xFF\xFE" || line.text.substr(0, 2) == "\xFE\xFF";
    if (line.number == 1 && (utf16_bom || (line.bad_byte_is_nul && offset <= 1))) {
        error.message = std::string(utf16_bom ? "UTF-16 text (byte order mark at the start)"
                                              : "NUL byte at byte offset " + std::to_string(offset) +
                                                    " (UTF-16 text without a byte order mark?)") +
                        ": records must be UTF-8, so the whole file is skipped (convert it first, e.g. "
                        "iconv -f UTF-16 -t UTF-8)";
        return error;
    }
    error.message = std::string(line.bad_byte_is_nul ? "NUL byte" : "invalid UTF-8") + " at byte offset " +
                    std::to_string(offset) + " (column " + std::to_string(column + 1);
    if (!line.bad_byte_is_nul && column < line.text.size()) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(line.text[column]));
        error.message += std::string(", byte ") + byte;
    }
    error.message += "): the seed format must be UTF-8, so the whole file is skipped (convert GBK, GB18030, "
                     "Latin-1 or UTF-16 files to UTF-8 first)";
    return error;
}

}  // namespace

LineOptions seed_line_options(bool check_utf8) {
    LineOptions options;
    options.cr_ends_line = true;
    options.check_utf8 = check_utf8;
    return options;
}

std::optional<record::Diagnostic> check_seed_file(LineSource& lines, const std::string& file_path) {
    bool has_core_label = false;
    std::string storage;
    while (auto line = lines.next()) {
        if (line->bad_byte) return encoding_error(*line, file_path);
        if (has_core_label) continue;
        const auto classified = classify_line(without_byte_order_marks(line->text, storage), 1);
        has_core_label = classified && classified->kind == LineKind::label && is_core(classified->label);
    }
    if (has_core_label) return std::nullopt;
    return file_error(file_path, "no_records",
                      "no seed-format record: the file has no line with a core label such as 作者, 摘要 or 相关论文");
}

struct SeedFormatStream::Impl {
    std::string file;
    Segmenter segmenter;
    std::string storage[2];        ///< the pending line's text and the newest line's text
    int newest = 0;
    std::optional<Line> pending;   ///< waits for the next non-blank line (rule 3 looks ahead)

    ParseResult collect(std::vector<RawRecord> raws) const {
        ParseResult result;
        result.file = file;
        for (const RawRecord& raw : raws) {
            if (raw.long_line || raw.bytes > max_record_bytes)
                result.errors.push_back(too_long_error(raw, file));
            else if (!raw.title || raw.fields.empty())
                result.errors.push_back(record_error(raw, file));
            else
                result.records.push_back(build_record(raw, file));
        }
        return result;
    }
};

SeedFormatStream::SeedFormatStream(std::string file_path) : impl_(std::make_unique<Impl>()) {
    impl_->file = std::move(file_path);
}

SeedFormatStream::~SeedFormatStream() = default;

void SeedFormatStream::add_line(const SourceLine& source) {
    // The pending line's views point into the other storage, which this does not touch.
    std::string& storage = impl_->storage[impl_->newest];
    std::string cleaned;
    const std::string_view text = without_byte_order_marks(source.text, cleaned);
    storage.assign(text);
    std::optional<Line> line = classify_line(storage, clamped_line_number(source.number));
    if (!line) return;
    line->bytes = source.bytes;
    line->truncated = source.truncated;
    if (impl_->pending) impl_->segmenter.add(*impl_->pending, &*line);
    impl_->pending = line;
    impl_->newest ^= 1;
}

ParseResult SeedFormatStream::take_finished() { return impl_->collect(impl_->segmenter.take_finished()); }

ParseResult SeedFormatStream::finish() {
    if (impl_->pending) impl_->segmenter.add(*impl_->pending, nullptr);
    impl_->pending.reset();
    return impl_->collect(impl_->segmenter.take_all());
}

ParseResult parse_seed_format(std::string_view bytes, const std::string& file_path) {
    ParseResult result;
    result.file = file_path;
    LineSource survey(bytes, seed_line_options(true));
    if (auto problem = check_seed_file(survey, file_path)) {
        result.file_error = std::move(problem);
        return result;
    }
    LineSource lines(bytes, seed_line_options(false));
    SeedFormatStream stream(file_path);
    while (auto line = lines.next()) stream.add_line(*line);
    return stream.finish();
}

}  // namespace scholarsearch::parse
