#pragma once
/**
 * Reader for the Chinese-labelled export format ("seed format") exactly as
 * shared/data/seed-format/FORMAT.md specifies it: labels inline or bare, records concatenated
 * without separators, the 相关论文 reference section, file errors bad_encoding / no_records and
 * record errors missing_title / no_fields.
 */
#include "parse/line_source.hpp"
#include "parse/parse_result.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace scholarsearch::parse {

/**
 * Parses the whole content of one file. `file_path` is used for diagnostics and, through its
 * base name, for the `FILENAME#index` id of records without DOI. Records get `source` filled
 * (file, line of the title or first label, index among all records found, including rejected).
 * Never throws on bad input.
 */
ParseResult parse_seed_format(std::string_view bytes, const std::string& file_path);

/// How the seed format is split into lines (FORMAT.md §3 line ends; max_record_bytes).
LineOptions seed_line_options(bool check_utf8);

/**
 * The whole-file checks, made before any record is read: FORMAT.md §3 rejects a file with a NUL
 * byte or invalid UTF-8 anywhere as a whole (bad_encoding, with the line and byte offset of the
 * first bad byte), §8 a file without any core label line (no_records). Reads `lines` (made with
 * seed_line_options(true)) to the end, or to the first bad byte.
 */
std::optional<record::Diagnostic> check_seed_file(LineSource& lines, const std::string& file_path);

/**
 * The same reader for a file read line by line, for input that passed check_seed_file: a record
 * comes out as soon as a later line shows that it is complete, so memory is bounded by the
 * longest record, not by the file. A record with a line longer than max_record_bytes (error
 * line_too_long) or longer itself (record_too_long) is rejected without its values being kept.
 * parse_seed_format(bytes) is exactly check_seed_file + this over every line of `bytes`.
 */
class SeedFormatStream {
public:
    explicit SeedFormatStream(std::string file_path);
    ~SeedFormatStream();
    SeedFormatStream(const SeedFormatStream&) = delete;
    SeedFormatStream& operator=(const SeedFormatStream&) = delete;

    /// The next line of the input (blank ones too: they keep the line numbers).
    void add_line(const SourceLine& line);
    /// The records and record errors that are complete, moved out.
    ParseResult take_finished();
    /// Everything not taken yet, at the end of the input.
    ParseResult finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace scholarsearch::parse
