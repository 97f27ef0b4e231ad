#include "parse/input.hpp"

#include "parse/bibtex.hpp"
#include "parse/jsonl.hpp"
#include "parse/ris.hpp"
#include "parse/seed_format.hpp"
#include "parse/wos.hpp"
#include "record/record_json.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>

namespace scholarsearch::parse {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t detect_bytes = 8192;

std::string_view skip_bom_and_space(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' ||
                             text.front() == '\n'))
        text.remove_prefix(1);
    return text;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool wanted_in_directory_walk(const fs::path& path) {
    const std::string name = path.filename().string();
    if (name.empty() || name.front() == '.' || ends_with(name, ".expected.json")) return false;
    for (std::string_view extension : {".txt", ".jsonl", ".ndjson", ".json", ".ris", ".bib", ".ciw"})
        if (ends_with(name, extension)) return true;
    return false;
}

// A complete JSON value on the first line means JSON Lines; otherwise the file is one document.
bool first_line_is_complete_json(std::string_view text) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    return !line.empty() && line.back() == '}';
}

record::Diagnostic file_problem(const std::string& path, std::string code, std::string message) {
    return record::Diagnostic{path, 0, std::move(code), std::move(message), -1};
}

std::string_view trim_line(std::string_view line) {
    if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    return line;
}

// "TY  - JOUR", "ER  -": a two-letter RIS tag, spaces, a dash.
bool is_ris_tag(std::string_view line, std::string_view tag) {
    line = trim_line(line);
    if (!starts_with(line, tag)) return false;
    std::size_t at = tag.size();
    if (at >= line.size() || line[at] != ' ') return false;
    while (at < line.size() && line[at] == ' ') ++at;
    return at < line.size() && line[at] == '-';
}

bool is_ris_start(std::string_view line) { return is_ris_tag(line, "TY"); }

}  // namespace

std::string_view format_name(Format format) {
    switch (format) {
        case Format::seed: return "seed";
        case Format::jsonl: return "jsonl";
        case Format::json_document: return "json";
        case Format::ris: return "ris";
        case Format::bibtex: return "bibtex";
        case Format::wos: return "wos";
        case Format::binary: return "binary";
    }
    return "unknown";
}

Format detect_format(std::string_view head, std::string_view path) {
    // A NUL among the first two bytes: UTF-16 without a byte order mark, or binary. The seed
    // reader rejects it and says so (below).
    if (head.substr(0, 2).find('\0') != std::string_view::npos) return Format::seed;
    std::string_view text = skip_bom_and_space(head);
    if (text.empty()) return (ends_with(path, ".jsonl") || ends_with(path, ".ndjson")) ? Format::jsonl : Format::seed;
    if (text.front() == '[') return Format::json_document;
    if (text.front() == '{') return first_line_is_complete_json(text) ? Format::jsonl : Format::json_document;
    if (is_ris_start(text.substr(0, text.find('\n')))) return Format::ris;
    if (starts_with(text, "FN ") || starts_with(text, "PT ")) return Format::wos;
    // BibTeX files often open with % comment lines before the first entry.
    while (text.front() == '%') {
        const auto newline = text.find('\n');
        if (newline == std::string_view::npos) break;
        text = skip_bom_and_space(text.substr(newline + 1));
        if (text.empty()) break;
    }
    if (!text.empty() && text.front() == '@') return Format::bibtex;
    // The extension breaks ties for files whose first bytes fit nothing (a comment, noise).
    if (ends_with(path, ".ris")) return Format::ris;
    if (ends_with(path, ".bib")) return Format::bibtex;
    if (ends_with(path, ".ciw")) return Format::wos;
    // UTF-16 files and binary noise go to the seed reader, which rejects them as bad_encoding
    // with the precise message FORMAT.md asks for.
    return Format::seed;
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& paths,
                                       std::vector<record::Diagnostic>& errors) {
    std::vector<std::string> files;
    for (const auto& path : paths) {
        if (path == "-") {
            files.push_back(path);
            continue;
        }
        std::error_code error;
        auto status = fs::status(path, error);
        if (error || !fs::exists(status)) {
            errors.push_back(file_problem(path, "not_found", "no such file or directory"));
            continue;
        }
        if (!fs::is_directory(status)) {
            files.push_back(path);
            continue;
        }
        std::vector<std::string> found;
        for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, error), end;
             !error && it != end; it.increment(error)) {
            if (it->path().filename().string().front() == '.' && it->is_directory()) {
                it.disable_recursion_pending();
                continue;
            }
            if (it->is_regular_file() && wanted_in_directory_walk(it->path())) found.push_back(it->path().string());
        }
        if (error) errors.push_back(file_problem(path, "unreadable", error.message()));
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

namespace {

Chunk make_chunk(const std::string& path, Format format, int first_line, int first_index) {
    Chunk chunk;
    chunk.file = path;
    chunk.format = format;
    chunk.first_line = first_line;
    chunk.first_index = first_index;
    return chunk;
}

Chunk error_chunk(const std::string& path, record::Diagnostic error) {
    Chunk chunk = make_chunk(path, Format::seed, 1, 0);
    chunk.file_error = std::move(error);
    return chunk;
}

int clamped_line(std::int64_t number) {
    return static_cast<int>(std::min<std::int64_t>(number, std::numeric_limits<int>::max()));
}

ReadFn stream_reader(std::istream& in) {
    return [&in](char* buffer, std::size_t size) -> std::size_t {
        in.read(buffer, static_cast<std::streamsize>(size));
        return static_cast<std::size_t>(in.gcount());
    };
}

std::size_t read_more(std::istream& in, std::string& buffer, std::size_t bytes) {
    const std::size_t old_size = buffer.size();
    buffer.resize(old_size + bytes);
    in.read(buffer.data() + old_size, static_cast<std::streamsize>(bytes));
    buffer.resize(old_size + static_cast<std::size_t>(in.gcount()));
    return buffer.size() - old_size;
}

// A JSON Lines file whose first record is longer than the head looks like one JSON document
// to detect_format; reading on to the end of the first line tells them apart. A first line
// longer than max_record_bytes is a JSON document if it is all the file holds (parse's output
// for a large file), else a JSON Lines line too long to read.
Format detect_with_whole_first_line(std::istream& in, std::string& head, const std::string& path) {
    const Format format = detect_format(head, path);
    const std::string_view text = skip_bom_and_space(head);
    if (format != Format::json_document || text.empty() || text.front() != '{' ||
        text.find('\n') != std::string_view::npos)
        return format;
    std::size_t searched = head.size();
    std::size_t newline = std::string::npos;
    while (newline == std::string::npos && head.size() <= max_document_bytes &&
           read_more(in, head, std::size_t(1) << 16) > 0) {
        newline = head.find('\n', searched);
        searched = head.size();
    }
    const std::size_t first_line = newline == std::string::npos ? head.size() : newline;
    if (first_line <= max_record_bytes) return detect_format(head, path);
    if (head.size() > max_document_bytes) return Format::jsonl;
    while (head.size() <= max_document_bytes && read_more(in, head, std::size_t(1) << 16) > 0) {
    }
    const bool only_line = head.find_first_not_of(" \t\r\n", first_line) == std::string::npos;
    return only_line && head.size() <= max_document_bytes ? Format::json_document : Format::jsonl;
}

void read_jsonl(const std::string& path, std::istream& in, std::string head, std::size_t chunk_bytes,
                const std::function<void(Chunk&&)>& sink) {
    LineOptions options;
    options.kept_prefix = 0;
    LineSource lines(stream_reader(in), std::move(head), options);
    int next_index = 0;
    bool emitted = false;
    Chunk chunk = make_chunk(path, Format::jsonl, 1, 0);
    auto emit = [&](std::int64_t next_line) {
        emitted = true;
        sink(std::move(chunk));
        chunk = make_chunk(path, Format::jsonl, clamped_line(next_line), next_index);
    };
    while (auto line = lines.next()) {
        if (line->truncated) {
            chunk.errors.push_back({path, clamped_line(line->number), "line_too_long",
                                    "line of " + megabytes(line->bytes) + " is longer than the " +
                                        megabytes(max_record_bytes) + " limit: record skipped",
                                    next_index++});
            emit(line->number + 1);   // the records after it keep their line numbers and indexes
            continue;
        }
        chunk.text.append(line->text);
        chunk.text += '\n';
        if (!jsonl_line_is_blank(line->text)) ++next_index;
        if (chunk.text.size() >= chunk_bytes) emit(line->number + 1);
    }
    if (!chunk.text.empty() || !emitted) sink(std::move(chunk));
}

// A JSON document is parsed whole, so its size is limited; its records are handed on in chunks
// of about chunk_bytes, so that no more documents are built at once than for JSON Lines.
void read_document(const std::string& path, std::istream& in, std::string text, std::size_t chunk_bytes,
                   const std::function<void(Chunk&&)>& sink) {
    while (text.size() <= max_document_bytes && read_more(in, text, std::size_t(1) << 16) > 0) {
    }
    if (text.size() > max_document_bytes) {
        sink(error_chunk(path, file_problem(path, "too_long",
                                            "JSON document longer than the " + megabytes(max_document_bytes) +
                                                " limit: not read (write JSON Lines, one record per line: "
                                                "only its lines are limited)")));
        return;
    }
    ParseResult all = parse_jsonl(text, path);
    std::string().swap(text);
    if (all.file_error) return sink(error_chunk(path, std::move(*all.file_error)));

    Chunk chunk = make_chunk(path, Format::json_document, 1, 0);
    chunk.parsed = ParseResult{path, {}, std::move(all.errors), std::nullopt};
    for (auto& record : all.records) {
        // `text` holds the records as stored (JSON Lines): their size, and what was indexed.
        std::string stored = record::to_stored_json(record);
        if (stored.size() > max_record_bytes) {
            chunk.parsed->errors.push_back({path, record.source.line, "record_too_long",
                                            "record " + std::to_string(record.source.index) + " of the document (" +
                                                megabytes(stored.size()) + ") is longer than the " +
                                                megabytes(max_record_bytes) + " limit: skipped",
                                            record.source.index});
            continue;
        }
        chunk.text += stored;
        chunk.text += '\n';
        chunk.parsed->records.push_back(std::move(record));
        if (chunk.text.size() >= chunk_bytes) {
            sink(std::move(chunk));
            chunk = make_chunk(path, Format::json_document, 1, 0);
            chunk.parsed = ParseResult{path, {}, {}, std::nullopt};
        }
    }
    if (!chunk.parsed->records.empty() || !chunk.parsed->errors.empty()) sink(std::move(chunk));
}

// ---- record-oriented tagged formats: RIS, Web of Science, BibTeX ----------------------------

// Where a file of a tagged format may be cut: RIS and WoS records end with an ER line, a BibTeX
// entry ends where the next line starting with '@' begins.
bool ends_tagged_record(Format format, std::string_view line) {
    if (format == Format::ris) return is_ris_tag(line, "ER");
    if (format == Format::wos) return trim_line(line) == "ER";
    return false;
}

bool starts_tagged_record(Format format, std::string_view line) {
    if (format == Format::ris) return is_ris_start(line);
    if (format == Format::wos) return starts_with(trim_line(line), "PT ");
    const std::string_view text = skip_bom_and_space(line);
    return !text.empty() && text.front() == '@';
}

ParseResult parse_tagged(Format format, std::string_view text, const std::string& path, BibtexStrings* strings) {
    if (format == Format::ris) return parse_ris(text, path);
    if (format == Format::wos) return parse_wos(text, path);
    return parse_bibtex(text, path, strings);
}

/**
 * Cuts a tagged file into pieces of whole records and parses them here, in file order: line
 * numbers and record indexes continue from piece to piece, and BibTeX @string macros carry
 * over. Parsing is cheap next to analysis and indexing, which still run on every core.
 * A record longer than max_record_bytes (or holding a longer line) is skipped without being
 * held whole, reported at its first line, and keeps its index.
 */
class TaggedReader {
public:
    TaggedReader(std::string path, Format format, std::size_t chunk_bytes, const std::function<void(Chunk&&)>& sink)
        : path_(std::move(path)), format_(format), chunk_bytes_(chunk_bytes), sink_(sink) {}

    void add(const SourceLine& line) {
        const bool starts = starts_tagged_record(format_, line.text);
        if (skipping_) {
            // The oversized record ends at its ER line, or where the next record starts.
            if (!starts) {
                if (ends_tagged_record(format_, line.text)) skipping_ = false;
                return;
            }
            skipping_ = false;
        }
        if (starts && format_ == Format::bibtex) mark_record_start(line.number);
        if (line.truncated || text_.size() - record_start_ + line.bytes > max_record_bytes) {
            skip_record(line);
            return;
        }
        if (starts && format_ != Format::bibtex) record_line_ = line.number;
        if (text_.empty()) first_line_ = line.number;
        text_.append(line.text);
        text_ += '\n';
        if (ends_tagged_record(format_, line.text)) mark_record_start(line.number + 1);
    }

    void finish() {
        flush(text_.size());
        if (!emitted_anything_) {
            Chunk chunk = make_chunk(path_, format_, 1, 0);
            chunk.parsed = ParseResult{path_, {}, {}, file_problem(path_, "no_records", "no records in file")};
            sink_(std::move(chunk));
        }
    }

private:
    // Everything before `line_number` is whole records: a safe place to cut.
    void mark_record_start(std::int64_t line_number) {
        record_start_ = text_.size();
        record_line_ = line_number;
        if (record_start_ >= chunk_bytes_) flush(record_start_);
    }

    void skip_record(const SourceLine& line) {
        const std::int64_t first = record_line_ > 0 ? record_line_ : line.number;
        flush(record_start_);
        const std::uint64_t seen = text_.size() + line.bytes;
        text_.clear();
        record_start_ = 0;
        Chunk chunk = make_chunk(path_, format_, 1, 0);
        chunk.parsed = ParseResult{path_, {}, {}, std::nullopt};
        chunk.parsed->errors.push_back(
            {path_, clamped_line(first), "record_too_long",
             "record longer than the " + megabytes(max_record_bytes) + " limit (" + megabytes(seen) +
                 " and more): skipped",
             next_index_++});
        emit(std::move(chunk));
        skipping_ = !ends_tagged_record(format_, line.text);
    }

    // Parses text_[0, end) and hands it on; the rest stays for the next piece.
    void flush(std::size_t end) {
        if (end == 0) return;
        Chunk chunk = make_chunk(path_, format_, clamped_line(first_line_), next_index_);
        chunk.text = text_.substr(0, end);
        ParseResult parsed = parse_tagged(format_, chunk.text, path_, &strings_);
        int consumed = 0;
        const int line_offset = chunk.first_line - 1;
        for (auto& record : parsed.records) {
            consumed = std::max(consumed, record.source.index + 1);
            record.source.line += line_offset;
            record.source.index += next_index_;
        }
        for (auto& error : parsed.errors) {
            if (error.index >= 0) {
                consumed = std::max(consumed, error.index + 1);
                error.index += next_index_;
            }
            if (error.line > 0) error.line += line_offset;
        }
        next_index_ += consumed;
        // One piece without records is not an empty file.
        if (parsed.file_error && parsed.file_error->code == "no_records") parsed.file_error.reset();
        const std::int64_t lines_in_piece = std::count(chunk.text.begin(), chunk.text.end(), '\n');
        first_line_ += lines_in_piece;
        text_.erase(0, end);
        record_start_ -= std::min(record_start_, end);
        chunk.parsed = std::move(parsed);
        emit(std::move(chunk));
    }

    void emit(Chunk&& chunk) {
        if (!chunk.parsed->records.empty() || !chunk.parsed->errors.empty() || chunk.parsed->file_error)
            emitted_anything_ = true;
        sink_(std::move(chunk));
    }

    std::string path_;
    Format format_;
    std::size_t chunk_bytes_;
    const std::function<void(Chunk&&)>& sink_;
    std::string text_;                 ///< lines read and not yet parsed
    std::int64_t first_line_ = 1;      ///< line number of text_'s first line
    std::size_t record_start_ = 0;     ///< text_ before this offset is whole records
    std::int64_t record_line_ = 0;     ///< line number of the record starting there
    int next_index_ = 0;
    bool skipping_ = false;
    bool emitted_anything_ = false;
    BibtexStrings strings_;
};

void read_tagged(const std::string& path, std::istream& in, std::string head, Format format, std::size_t chunk_bytes,
                 const std::function<void(Chunk&&)>& sink) {
    LineOptions options;
    options.kept_prefix = 0;
    // The RIS reader ends a line at a lone CR too, the WoS reader when a file has no LF at all
    // (old Mac exports): lines are cut and counted as they count them.
    options.cr_ends_line = format == Format::ris || (format == Format::wos && head.find('\n') == std::string::npos &&
                                                     head.find('\r') != std::string::npos);
    LineSource lines(stream_reader(in), std::move(head), options);
    TaggedReader reader(path, format, chunk_bytes, sink);
    while (auto line = lines.next()) reader.add(*line);
    reader.finish();
}

void parse_seed_lines(const std::string& path, LineSource& lines, std::size_t chunk_bytes,
                      const std::function<void(Chunk&&)>& sink) {
    SeedFormatStream stream(path);
    Chunk chunk = make_chunk(path, Format::seed, 1, 0);
    while (auto line = lines.next()) {
        if (chunk.text.empty()) chunk.first_line = clamped_line(line->number);
        stream.add_line(*line);
        chunk.text.append(line->text);
        chunk.text += '\n';
        if (chunk.text.size() >= chunk_bytes) {
            chunk.parsed = stream.take_finished();
            sink(std::move(chunk));
            chunk = make_chunk(path, Format::seed, 1, 0);
        }
    }
    chunk.parsed = stream.finish();
    sink(std::move(chunk));
}

void read_seed_file(const std::string& path, std::ifstream& file, std::string head, std::size_t chunk_bytes,
                    const std::function<void(Chunk&&)>& sink) {
    {
        LineSource survey(stream_reader(file), std::move(head), seed_line_options(true));
        if (auto problem = check_seed_file(survey, path)) return sink(error_chunk(path, std::move(*problem)));
    }
    file.clear();
    file.seekg(0);
    if (!file) return sink(error_chunk(path, file_problem(path, "unreadable", "cannot read the file a second time")));
    LineSource lines(stream_reader(file), std::string(), seed_line_options(false));
    parse_seed_lines(path, lines, chunk_bytes, sink);
}

// Standard input, a pipe or a FIFO cannot be read twice: the first reading copies it to a
// temporary file.
void read_seed_spooled(const std::string& path, std::istream& in, std::string head, std::size_t chunk_bytes,
                       const std::function<void(Chunk&&)>& sink) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> spool(std::tmpfile(), &std::fclose);
    if (!spool)
        return sink(error_chunk(path, file_problem(path, "unreadable",
                                                   std::string("cannot buffer the input: ") + std::strerror(errno))));
    bool spooled = std::fwrite(head.data(), 1, head.size(), spool.get()) == head.size();
    auto tee = [&](char* buffer, std::size_t size) -> std::size_t {
        in.read(buffer, static_cast<std::streamsize>(size));
        const auto got = static_cast<std::size_t>(in.gcount());
        spooled = spooled && std::fwrite(buffer, 1, got, spool.get()) == got;
        return got;
    };
    {
        LineSource survey(tee, std::move(head), seed_line_options(true));
        if (auto problem = check_seed_file(survey, path)) return sink(error_chunk(path, std::move(*problem)));
    }
    if (!spooled || std::fflush(spool.get()) != 0)
        return sink(error_chunk(path, file_problem(path, "unreadable", "cannot buffer the input: write failed")));
    std::rewind(spool.get());
    LineSource lines([&](char* buffer, std::size_t size) { return std::fread(buffer, 1, size, spool.get()); },
                     std::string(), seed_line_options(false));
    parse_seed_lines(path, lines, chunk_bytes, sink);
}

}  // namespace

void read_chunks(const std::string& path, std::size_t chunk_bytes,
                 const std::function<void(Chunk&&)>& sink) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (path != "-") {
        if (fs::is_directory(path)) return sink(error_chunk(path, file_problem(path, "unreadable", "is a directory")));
        file.open(path, std::ios::binary);
        if (!file) return sink(error_chunk(path, file_problem(path, "unreadable", std::strerror(errno))));
        in = &file;
    }

    std::string head;
    read_more(*in, head, detect_bytes);
    switch (const Format format = detect_with_whole_first_line(*in, head, path)) {
        case Format::jsonl: return read_jsonl(path, *in, std::move(head), chunk_bytes, sink);
        case Format::json_document: return read_document(path, *in, std::move(head), chunk_bytes, sink);
        case Format::seed: {
            std::error_code error;
            if (path != "-" && fs::is_regular_file(path, error))
                return read_seed_file(path, file, std::move(head), chunk_bytes, sink);
            return read_seed_spooled(path, *in, std::move(head), chunk_bytes, sink);
        }
        case Format::ris:
        case Format::bibtex:
        case Format::wos: return read_tagged(path, *in, std::move(head), format, chunk_bytes, sink);
        case Format::binary: {
            // Rejected as a whole (parse_chunk says why): the first bytes are enough.
            Chunk chunk = make_chunk(path, format, 1, 0);
            chunk.text = std::move(head);
            return sink(std::move(chunk));
        }
    }
}

ParseResult parse_chunk(const Chunk& chunk) {
    ParseResult result;
    result.file = chunk.file;
    if (chunk.file_error) {
        result.file_error = chunk.file_error;
        return result;
    }
    if (chunk.parsed) return *chunk.parsed;
    switch (chunk.format) {
        case Format::seed: return parse_seed_format(chunk.text, chunk.file);
        case Format::jsonl:
        case Format::json_document: {
            result = parse_jsonl(chunk.text, chunk.file);
            for (auto& record : result.records) {
                record.source.line += chunk.first_line - 1;
                record.source.index += chunk.first_index;
            }
            for (auto& error : result.errors) {
                error.line += chunk.first_line - 1;
                error.index += chunk.first_index;
            }
            result.errors.insert(result.errors.end(), chunk.errors.begin(), chunk.errors.end());
            // An all-blank chunk in the middle of a file, or one holding only a line that was too
            // long, is not an empty file.
            if ((chunk.first_line > 1 || !chunk.errors.empty()) && result.file_error &&
                result.file_error->code == "no_records")
                result.file_error.reset();
            return result;
        }
        case Format::ris:
        case Format::bibtex:
        case Format::wos:
            // read_chunks parses these itself (TaggedReader); a chunk made elsewhere is one piece.
            return parse_tagged(chunk.format, chunk.text, chunk.file, nullptr);
        case Format::binary:
            result.file_error = file_problem(chunk.file, "unsupported_format",
                                             "looks like " + std::string(format_name(chunk.format)) +
                                                 ", which this version cannot read yet");
            return result;
    }
    return result;
}

ParseResult parse_file(const std::string& path) {
    ParseResult merged;
    merged.file = path;
    read_chunks(path, std::size_t(1) << 30, [&](Chunk&& chunk) {
        ParseResult part = parse_chunk(chunk);
        if (part.file_error && !merged.file_error) merged.file_error = std::move(part.file_error);
        std::move(part.records.begin(), part.records.end(), std::back_inserter(merged.records));
        std::move(part.errors.begin(), part.errors.end(), std::back_inserter(merged.errors));
    });
    return merged;
}

ParseResult parse_content(std::string_view content, const std::string& path) {
    Chunk chunk = make_chunk(path, detect_format(content.substr(0, detect_bytes), path), 1, 0);
    chunk.text = std::string(content);
    return parse_chunk(chunk);
}

}  // namespace scholarsearch::parse
