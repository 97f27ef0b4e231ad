#pragma once
/**
 * Input files: which files a path stands for, which format a file is in (by content, the
 * extension only breaks ties), and reading a file as chunks that can be parsed on any thread.
 *
 * A JSON Lines file is cut into chunks of whole lines so that memory stays bounded by the chunk
 * size however large the file is; a seed-format file is one chunk because its record boundaries
 * need look-ahead and its encoding check covers the whole file (FORMAT.md §3).
 */
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
    std::string text;
    int first_line = 1;                           ///< line number of text's first line
    int first_index = 0;                          ///< record index of its first record
    std::optional<record::Diagnostic> file_error; ///< set when the file could not be read at all
};

/**
 * Files named by `paths`: plain files as given, directories walked recursively in sorted order
 * (only *.txt, *.jsonl, *.ndjson, *.json; hidden files and *.expected.json skipped), "-" kept as
 * stdin. Paths that do not exist are reported in `errors`.
 */
std::vector<std::string> expand_inputs(const std::vector<std::string>& paths,
                                       std::vector<record::Diagnostic>& errors);

/**
 * Reads `path` ("-" = stdin) and hands its chunks to `sink` in file order. JSON Lines chunks hold
 * about `chunk_bytes` bytes of whole lines. Never throws for I/O problems: an unreadable file
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
