#pragma once
/**
 * Input files: which files a path stands for, which format a file is in (by content, the
 * extension only breaks ties), and reading a file as chunks that can be parsed on any thread.
 *
 * Memory stays bounded by the chunk size and max_record_bytes however large a file is:
 * - a JSON Lines file is cut into chunks of whole lines; a line longer than max_record_bytes is
 *   skipped without being held (error line_too_long);
 * - a seed-format file is read twice: first every line is checked (FORMAT.md §3 rejects a file
 *   with one bad byte as a whole, §8 one without core labels), then the reader parses it line by
 *   line (record boundaries need the lines before them) and hands over chunks of parsed records;
 *   standard input (or a pipe) is spooled to a temporary file for the second reading;
 * - a JSON document (one array of records) is parsed whole, so it may be at most
 *   max_document_bytes; the reader parses it and hands its records on in chunks.
 */
#include "parse/line_source.hpp"
#include "parse/parse_result.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::parse {

enum class Format { seed, jsonl, json_document, ris, bibtex, wos, binary };

std::string_view format_name(Format format);

/// Guesses the format from the first bytes of a file (a few KB are enough).
Format detect_format(std::string_view head, std::string_view path);

/// A piece of one file that parses on its own.
struct Chunk {
    std::string file;
    Format format = Format::seed;
    std::string text;                             ///< the lines of this piece (as read)
    int first_line = 1;                           ///< line number of text's first line
    int first_index = 0;                          ///< record index of its first record
    std::optional<record::Diagnostic> file_error; ///< set when the file could not be read at all
    std::vector<record::Diagnostic> errors;       ///< records rejected by the reader (too long)
    /// Set by read_chunks for the seed format and JSON documents, which the reader parses
    /// itself (`text` is then what was read, for byte counts); lines and indexes are absolute.
    /// parse_chunk returns this.
    std::optional<ParseResult> parsed;
};

/**
 * Files named by `paths`: plain files as given, directories walked recursively in sorted order
 * (only *.txt, *.jsonl, *.ndjson, *.json; hidden files and *.expected.json skipped), "-" kept as
 * stdin. Paths that do not exist are reported in `errors`.
 */
std::vector<std::string> expand_inputs(const std::vector<std::string>& paths,
                                       std::vector<record::Diagnostic>& errors);

/**
 * Reads `path` ("-" = stdin) and hands its chunks to `sink` in file order. Chunks hold about
 * `chunk_bytes` bytes of whole lines. Never throws for I/O problems: an unreadable file
 * becomes one chunk with file_error set.
 */
void read_chunks(const std::string& path, std::size_t chunk_bytes,
                 const std::function<void(Chunk&&)>& sink);

/// Parses one chunk; thread-safe (no shared state).
ParseResult parse_chunk(const Chunk& chunk);

/// Whole file in one result (for `parse`, tests and small inputs).
ParseResult parse_file(const std::string& path);

/// Content already in memory, format detected from it.
ParseResult parse_content(std::string_view content, const std::string& path);

}  // namespace scholarsearch::parse
