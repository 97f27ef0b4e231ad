#pragma once
/**
 * Lines of a file (or of text in memory) with bounded memory: a line longer than the limit is
 * never held whole. Its first bytes are kept, the rest is counted and skipped, so one damaged
 * line (100 MB without a newline) costs no more memory than the limit, and finding line ends
 * never rescans what was already searched.
 */
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace scholarsearch::parse {

/// Longest line (JSON Lines line, seed-format line) and longest record (a seed-format record,
/// a record inside a JSON document) the readers accept. Longer ones are reported and skipped
/// without being held in memory: indexing a record costs up to ~300 times its size (a Xapian
/// document with a distinct term per CJK bigram), so this bounds the indexer's memory
/// (docs/DECISIONS.md).
constexpr std::size_t max_record_bytes = std::size_t(1) << 20;
/// Longest JSON document (a file holding one array of records): it is parsed whole.
constexpr std::size_t max_document_bytes = std::size_t(16) << 20;

/// "1 MB", "100.5 MB" for messages (1 MB = 2^20 bytes).
std::string megabytes(std::uint64_t bytes);

/// Reads up to `size` bytes into `buffer`; returns how many were read (0 at the end).
using ReadFn = std::function<std::size_t(char* buffer, std::size_t size)>;

struct SourceLine {
    std::string_view text;       ///< without its line end; for a truncated line its first bytes
    std::int64_t number = 0;     ///< 1-based
    std::uint64_t offset = 0;    ///< byte offset of the line's first byte in the input
    std::uint64_t bytes = 0;     ///< length of the whole line without its line end
    bool truncated = false;      ///< longer than the limit: only the first bytes are in `text`
    /// With check_utf8: offset in the input of the line's first NUL byte or invalid UTF-8.
    std::optional<std::uint64_t> bad_byte;
    bool bad_byte_is_nul = false;
};

struct LineOptions {
    bool cr_ends_line = false;       ///< seed format: "\r\n", "\n" and a lone "\r" end a line
    std::size_t max_line = max_record_bytes;
    std::size_t kept_prefix = 4096;  ///< bytes of a truncated line kept (cut at a code point)
    bool check_utf8 = false;         ///< fill SourceLine::bad_byte (also for skipped bytes)
};

class LineSource {
public:
    /// Lines of a stream; `initial` holds bytes already read from it.
    LineSource(ReadFn read, std::string initial, LineOptions options);
    /// Lines of text in memory (not copied; it must outlive the source).
    LineSource(std::string_view text, LineOptions options);

    /// The next line, or nullopt at the end. Its text stays valid until the next call.
    std::optional<SourceLine> next();

private:
    bool refill();
    void start_long_line();
    void absorb(std::size_t to);
    SourceLine make_line(std::size_t end, std::size_t after);

    ReadFn read_;
    LineOptions options_;
    std::string owned_;
    std::string_view data_;          ///< owned_, or the text given
    std::size_t pos_ = 0;            ///< start of the current line in data_
    std::size_t scanned_ = 0;        ///< data_[pos_, scanned_) holds no line end
    bool at_end_ = false;
    std::uint64_t consumed_ = 0;     ///< input offset of data_[0]
    std::int64_t number_ = 0;

    // The line being skipped because it is too long.
    bool long_line_ = false;
    std::uint64_t long_offset_ = 0;
    std::uint64_t long_bytes_ = 0;
    std::string prefix_;
    std::string carry_;              ///< an incomplete UTF-8 sequence cut by a read
    std::uint64_t carry_offset_ = 0;
    std::optional<std::uint64_t> long_bad_byte_;
    bool long_bad_is_nul_ = false;
};

}  // namespace scholarsearch::parse
