#pragma once
/**
 * The record model: one plain struct for every input format (seed format, JSON Lines, ...).
 *
 * Parsers fill it, the index schema maps it to terms, the stored document data is its JSON.
 * No Xapian and no ICU here: this is the vocabulary every other module shares.
 * All strings are UTF-8.
 */
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace scholarsearch::record {

struct Author {
    std::string name;                    ///< as written: "Picazo-Vela, Sergio", "张伟"
    std::vector<int> affiliation_refs;   ///< refs into Record::affiliations, in order, no duplicates
    bool operator==(const Author&) const = default;
};

struct Affiliation {
    int ref = 0;
    std::string name;
    bool operator==(const Affiliation&) const = default;
};

struct ClcCode {
    std::string code;                    ///< NFKC: "G25", "TP391"
    std::optional<std::string> label;    ///< "图书馆学、图书馆事业"
    bool operator==(const ClcCode&) const = default;
};

struct Pages {
    std::optional<std::string> first;    ///< strings, because of "e1023", "S12"
    std::optional<std::string> last;
    bool operator==(const Pages&) const = default;
};

struct Reference {
    int n = 0;                           ///< number as written in the file
    std::string text;                    ///< the whole item, one line
    std::optional<std::string> title;
    std::vector<std::string> authors;
    std::optional<std::string> venue;
    std::optional<int> year;
    bool operator==(const Reference&) const = default;
};

/// Where a record came from, for diagnostics and for the FILENAME#index id rule.
struct SourceLocation {
    std::string file;                    ///< path as given ("-" for stdin)
    int line = 0;                        ///< 1-based line of the record's first line
    int index = 0;                       ///< 0-based position among all records of the file
    bool operator==(const SourceLocation&) const = default;
};

/**
 * One scholarly record. The first block of fields is exactly the seed format's RECORD
 * (FORMAT.md §9); `id`, `year`, `venue`, `language` come from formats that carry them
 * (JSON Lines) and are otherwise empty.
 */
struct Record {
    std::string title;
    std::optional<long long> cited_by;
    std::vector<Author> authors;
    std::vector<Affiliation> affiliations;
    std::vector<std::string> keywords;
    std::optional<std::string> doi;
    std::vector<ClcCode> clc;
    std::vector<std::string> disciplines;
    std::optional<std::string> abstract;
    std::optional<Pages> pages;
    std::optional<long long> page_count;
    std::vector<Reference> references;
    /// Labels the model has no field for, verbatim ("基金", "来源", "年份", unknown labels).
    /// Ordered by first appearance is not required by FORMAT.md; we keep insertion order.
    std::vector<std::pair<std::string, std::string>> extra;

    std::optional<std::string> id;       ///< external id (JSON Lines "id")
    std::optional<int> year;
    std::optional<std::string> venue;
    std::optional<std::string> language; ///< "en", "zh", ... when the source says so

    SourceLocation source;

    bool operator==(const Record&) const = default;
};

/// Severity-tagged message about one place in an input file: printed as `file:line: message`.
struct Diagnostic {
    std::string file;
    int line = 0;                        ///< 0 when the message is about the whole file
    std::string code;                    ///< machine-readable: "missing_title", "bad_json", ...
    std::string message;                 ///< human-readable
    int index = -1;                      ///< record index within the file, -1 if none
    bool warning = false;                ///< the record was kept: "warning:", not counted as rejected
};

/// "file:line: error: message" (or "file: error: message" for whole-file problems; "warning:"
/// for a warning).
std::string format_diagnostic(const Diagnostic& diagnostic);

/// The DOI of a doi.org URL ("https://doi.org/10.1/X", "http://dx.doi.org/..."), case kept; ""
/// when `url` is not one.
std::string_view doi_of_url(std::string_view url);

/// The DOI without doi.org URL or "doi:" prefixes (repeated ones too), trimmed, case kept.
std::string_view doi_without_prefix(std::string_view doi);

/// Lower-cased DOI with any https://doi.org/ or doi: prefix removed; "" if none.
std::string normalized_doi(std::string_view doi);

/// The first run of exactly four ASCII digits that is a year 1000-2999: "2019/05/12",
/// "Spring 2007", "2019年第3期"; nullopt for "20190512" or "in press".
std::optional<int> year_in(std::string_view text);

/**
 * The record's unique id: external id, else the normalized DOI, else `BASENAME#index`
 * (FORMAT.md §9). Re-indexing a record with the same id replaces it.
 */
std::string unique_id(const Record& record);

/// Year from the record, else from extra labels 年份/出版年/出版日期 (first 4-digit run 1000-2999).
std::optional<int> effective_year(const Record& record);
/// Venue from the record, else from extra labels 来源/期刊.
std::optional<std::string> effective_venue(const Record& record);

/**
 * Adds to Record::extra keeping one entry per label, as the stored form (a JSON object) does: a
 * label added again gets the new value on a line of its own. Remembers where each label is, since
 * a record may hold thousands of them. The record must outlive the builder and not move meanwhile.
 */
class ExtraBuilder {
public:
    explicit ExtraBuilder(Record& record);
    void add(std::string label, std::string value);

private:
    Record& record_;
    std::unordered_map<std::string, std::size_t> positions_;
};

}  // namespace scholarsearch::record
