#pragma once
/**
 * The one text analyzer, used by the indexer and by the query side, so that a word in a query
 * becomes exactly the terms the indexer produced for it.
 *
 * Pipeline: ICU NFKC + case folding (full-width forms, ligatures, "Ｇ２５" -> "g25"), traditional
 * Han characters to simplified (ICU's Traditional-Simplified, character by character: 社會 ->
 * 社会, so either script finds the other; see HanSimplifier in analyzer.cpp), ICU word
 * segmentation (dictionary-based for Han text), then per segment:
 * - Latin/number/other words: one term, the folded word; `stem` holds its English Snowball stem
 *   (Xapian::Stem) for the Z-prefixed stemmed term. A word with a non-ASCII Latin letter is then
 *   folded to ASCII by ICU's Latin-ASCII transform ("Gutiérrez" -> "gutierrez", "Łukasz" ->
 *   "lukasz", "naïve" -> "naive"), in every field: people type names and words without accents,
 *   and a term that is the same however it was typed needs no second posting. A word with a
 *   German umlaut also gets `variant`, its German ASCII spelling ("Müller" -> term "muller",
 *   variant "mueller"); which fields index it is schema::has_name_variants.
 * - Han (CJK) text: overlapping character bigrams over each run of CJK characters (the rule
 *   lives in one place, for_each_cjk_term in analyzer.cpp).
 * Segments with rule status UBRK_WORD_NONE (spaces, punctuation) produce nothing.
 *
 * Not thread-safe (ICU break iterators carry state): use one Analyzer per thread.
 */
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::analysis {

/// Bumped whenever analysis output changes; stored in the index and checked when opening it.
inline constexpr std::string_view analyzer_version = "icu-nfkc-cf+hant-hans/latin-ascii+de-variant/bigram/en-snowball/3";

enum class TokenKind : std::uint8_t {
    word,        ///< non-CJK word: letters, digits, codes ("g25", "deep", "2012")
    cjk,         ///< term from a run of Han (and kana/hangul) text
};

struct Token {
    std::string term;              ///< folded text: "deep", "社交", "g25"
    std::string stem;              ///< English stem for words ("learn" for "learning"); empty for cjk
    std::string variant;           ///< "mueller" for "Müller" (see above); empty for other words
    std::uint32_t position = 0;    ///< term position for phrase search
    std::uint32_t byte_begin = 0;  ///< byte range in the ORIGINAL input (for snippets)
    std::uint32_t byte_end = 0;
    TokenKind kind = TokenKind::word;
};

/// One word of a query as the segmenter sees it, with the index terms that stand for it.
struct QueryWord {
    std::string text;                 ///< folded word
    TokenKind kind = TokenKind::word;
    std::vector<std::string> terms;   ///< word: {text}; cjk: the terms to match as a phrase
    std::string stem;                 ///< words only
    std::string variant;              ///< as Token::variant
};

class Analyzer {
public:
    Analyzer();
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;
    Analyzer(Analyzer&&) noexcept;
    Analyzer& operator=(Analyzer&&) noexcept;

    /**
     * Appends the index tokens of `text` to `out`. Positions start at `first_position`;
     * returns the position after the last token (use it, plus a gap, for the next field
     * value so phrases never span two values). Invalid UTF-8 is replaced, never fatal.
     */
    std::uint32_t analyze(std::string_view text, std::vector<Token>& out,
                          std::uint32_t first_position = 0);

    /// Query side: the words of `text` in order, each with the terms the index holds for it.
    std::vector<QueryWord> query_words(std::string_view text);

    /// NFKC + case fold and simplified Han characters, no segmentation; for boolean terms such as
    /// keywords (accents stay: these values are shown back to users).
    std::string fold(std::string_view text);

    /// English Snowball stem of an already folded word.
    std::string stem(std::string_view folded_word);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace scholarsearch::analysis
