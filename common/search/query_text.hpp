#pragma once
/**
 * What can be read from the text of a search-box query without an index: identifiers pasted
 * into it (DOIs, arXiv ids, record ids) and the words a spelling correction may replace. No
 * Xapian here, so these rules are unit-tested on strings alone; the Searcher resolves what they
 * find against the index.
 *
 * Both work on the query after normalize_query_text (NFKC, typographic quotes made ASCII), and
 * every position is a byte offset into that text.
 */
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::search {

/// AND OR NOT XOR, the boolean operators of the query language (case-sensitive, as Xapian's).
bool is_boolean_operator(std::string_view word);

/// A way an identifier token may name a record, in the order worth trying.
struct IdentifierCandidate {
    enum class Kind { doi, record_id } kind;
    std::string value;   ///< a lower-cased DOI, or a record id as stored
};

/// One whitespace-separated token (or `DOI: X`, `arXiv: X` pair) that looks like an identifier.
struct IdentifierToken {
    std::size_t begin = 0, end = 0;   ///< the bytes to take out of the query when it resolves
    std::vector<IdentifierCandidate> candidates;
};

/**
 * Tokens of `text` that may name a record: a DOI in any form people copy (bare, `doi:`,
 * `DOI: `, doi.org and dx.doi.org URLs), an arXiv id (`2103.00020`, `2103.00020v2`,
 * `arXiv:2103.00020`, arxiv.org/abs/ and /pdf/ URLs, old style `cond-mat/9909265`), or anything
 * that may be a record id (it has a digit or a colon, so plain words never are). Only tokens
 * outside quotes and brackets count, and not those beside a boolean operator: `NOT 10.1/x`
 * keeps its meaning, so does `(10.1/x OR ...)`.
 */
std::vector<IdentifierToken> find_identifiers(std::string_view text);

/// A word of the query that a spelling correction may replace.
struct CorrectableWord {
    std::size_t begin = 0, end = 0;
    std::string word;   ///< lower-cased
};

/**
 * The words of `text` inside `spans` (the query's content-field text, see BuiltQuery) that a
 * correction may replace: runs of ASCII letters and digits that are letters only and at least
 * three long, as the indexer's spelling dictionary has them (DocumentBuilder).
 */
std::vector<CorrectableWord> correctable_words(std::string_view text,
                                               const std::vector<std::pair<std::size_t, std::size_t>>& spans);

/// `text` with each of `words` that has an entry in `replacements` replaced by it.
std::string replace_words(std::string_view text, const std::vector<CorrectableWord>& words,
                          const std::map<std::string, std::string>& replacements);

}  // namespace scholarsearch::search
