#pragma once
/**
 * Query language -> Xapian::Query, through Xapian's QueryParser and our Analyzer.
 *
 * Xapian's QueryParser splits words itself, which would not give the Analyzer's terms (ICU
 * segmentation, CJK bigrams, NFKC). So we split the query in two layers:
 *  1. a small lexer keeps the boolean structure for the QueryParser (AND OR NOT XOR, brackets,
 *     +/-) and wraps every piece of text (a word run, a "phrase", a wildcard, a NEAR pair, a
 *     field:value) into an opaque token `_q:<hex>` / `_f<field>:<hex>`;
 *  2. FieldProcessors registered for those prefixes turn each token into the Analyzer's terms.
 * So the QueryParser decides structure and the Analyzer decides terms, and index and query can
 * never disagree about a word. When the boolean layer fails, the query is retried as plain
 * words (as Omega does) and SearchResult::query_relaxed tells the caller.
 *
 * Not thread-safe (owns an Analyzer); one per search thread.
 */
#include "analysis/analyzer.hpp"
#include "search/abstract_phrase.hpp"
#include "search/search_types.hpp"

#include <xapian.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace scholarsearch::search {

/// Largest number of words the trailing wildcards of one query may expand to, all of them
/// together (so `a* a* a* ...` cannot multiply it); more gives a QueryError naming the limit.
inline constexpr Xapian::termcount max_wildcard_expansion = 1000;
/// Largest number of CLC codes the `clc:` prefixes of one query may cover together (and, apart
/// from them, the clc filters of one request); more gives a QueryError naming the limit.
inline constexpr Xapian::termcount max_clc_expansion = 10000;

/// How many terms of `database` start with `prefix`, counting no further than `limit + 1`.
Xapian::termcount count_terms_with_prefix(const Xapian::Database& database, const std::string& prefix,
                                          Xapian::termcount limit);

/// The query text as it is parsed: NFKC, typographic quotes made ASCII, tabs and newlines made
/// spaces. Throws QueryError when the text is too long before or after that. Idempotent.
std::string normalize_query_text(const std::string& text);

struct BuiltQuery {
    Xapian::Query query;
    bool relaxed = false;              ///< boolean parse failed; plain words were used
    std::vector<std::string> words;    ///< folded query words, for highlighting
    std::string text;                  ///< the normalized text that was parsed
    /// Byte ranges of `text` holding words of the content fields (free text, title, keyword,
    /// abstract; not wildcards, names or boolean fields): what a spelling correction may change.
    std::vector<std::pair<std::size_t, std::size_t>> correctable;
    /// Every plain free-text word of a short query, ANDed (RankingOptions::all_words_weight):
    /// records matching it earn its weight again. Empty when the bonus does not apply.
    Xapian::Query all_words;
    /// More plain words than a search-box query: a question or a description, which
    /// pseudo-relevance feedback (RankingOptions::feedback_documents) is for.
    bool verbose = false;
    /// Set when the query checks phrases on abstracts (an index without abstract positions):
    /// what the Searcher switches to check only the candidates that can reach the page.
    std::shared_ptr<AbstractPhraseChecks> abstract_checks;
};

/// Common English function words, dropped from OR queries.
bool is_stop_word(std::string_view word);

class QueryBuilder {
public:
    QueryBuilder();
    ~QueryBuilder();
    QueryBuilder(const QueryBuilder&) = delete;
    QueryBuilder& operator=(const QueryBuilder&) = delete;

    /// Throws QueryError with a message for the user when the query cannot be used at all.
    BuiltQuery build(const std::string& text, const RankingOptions& ranking);

    analysis::Analyzer& analyzer();

    /// The database whose term list field words are expanded against (stem variants).
    void set_database(const Xapian::Database& database);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace scholarsearch::search
