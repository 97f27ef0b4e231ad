#pragma once
/**
 * Highlighting with the Analyzer's byte offsets. Xapian's MSet::snippet splits text with its own
 * word rules and knows nothing of ICU segmentation or CJK bigrams, so it cannot mark 社交媒体
 * for a query that became bigrams; we mark exactly the tokens whose terms (or stems) the query
 * used, merge overlapping CJK bigram ranges, and HTML-escape everything else.
 */
#include "analysis/analyzer.hpp"

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace scholarsearch::search {

/// The terms a query matches on: folded words, their stems, CJK bigrams.
struct HighlightTerms {
    std::unordered_set<std::string> terms;
    std::unordered_set<std::string> stems;
    bool empty() const { return terms.empty() && stems.empty(); }
};

HighlightTerms highlight_terms(analysis::Analyzer& analyzer, const std::vector<std::string>& query_words);

/// Escapes &, <, >, " and ' for HTML text and attributes.
std::string html_escape(std::string_view text);

/**
 * The best window of about `max_bytes` bytes of `text` (the one with most query terms), HTML-
 * escaped, matches wrapped in <mark>…</mark>, "…" where text was cut. Whole text when short.
 */
std::string make_snippet(analysis::Analyzer& analyzer, std::string_view text, const HighlightTerms& terms,
                         std::size_t max_bytes = 300);

}  // namespace scholarsearch::search
