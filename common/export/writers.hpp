#pragma once
/**
 * Records out in the formats reference managers read: RIS, BibTeX, CSL-JSON, and JSON Lines in
 * our own stored form (what `scholarsearch-index` reads back). No Xapian: the search and HTTP
 * layers hand records in, these turn them into text. What each format carries, how values are
 * escaped and what a round trip through our own readers keeps: docs/FORMATS.md, "Export".
 */
#include "record/record.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace scholarsearch::exporting {

enum class Format { ris, bibtex, csljson, jsonl };

/// "ris", "bibtex", "csljson", "jsonl" (also "bib", "csl-json", "ndjson"); nullopt otherwise.
std::optional<Format> format_named(std::string_view name);
/// For error messages: the names format_named accepts, as users should type them.
inline constexpr std::string_view format_names = "ris, bibtex, csljson, jsonl";

std::string_view format_name(Format format);
/// The media type, with a charset where the type has none of its own.
std::string_view content_type(Format format);
/// "ris", "bib", "json", "jsonl".
std::string_view file_extension(Format format);

/**
 * One export file, written a record at a time so that it can be streamed: add() appends a
 * record (with the separators the format needs between records), finish() what ends the file.
 * Keeps the BibTeX keys given so far, so keys stay unique within one file.
 */
class Writer {
public:
    explicit Writer(Format format) : format_(format) {}
    void add(const record::Record& record, std::string& out);
    void finish(std::string& out);
    std::size_t count() const { return count_; }

private:
    Format format_;
    std::size_t count_ = 0;
    std::unordered_set<std::string> keys_;
};

/// One record as a whole file of `format`.
std::string write_one(Format format, const record::Record& record);

// ---- the pieces, for tests ------------------------------------------------------------------

/// One RIS record, TY line to ER line, CRLF line ends.
std::string ris_record(const record::Record& record);

/// One BibTeX entry under `key`.
std::string bibtex_entry(const record::Record& record, const std::string& key);

/// A BibTeX key for the record id: the id where BibTeX and \cite can take it, else with each
/// character they cannot (white space, `,{}()"=%\#~'&$^` and controls) replaced by '_'.
std::string bibtex_key(std::string_view id);

/// Text as a BibTeX field value (without the outer braces): LaTeX specials escaped, braces
/// balanced, white space on one line, non-ASCII kept as UTF-8.
std::string bibtex_text(std::string_view text);

/// One CSL-JSON item.
boost::json::object csl_item(const record::Record& record);

/// A value on one line: every run of white space or control characters becomes one space, and
/// the ends are trimmed (RIS has no continuation lines we could trust, BibTeX values read better).
std::string one_line(std::string_view text);

}  // namespace scholarsearch::exporting
