#pragma once
/**
 * Phrases and NEAR in the abstract of an index built without abstract positions (schema.hpp:
 * positions are most of an index, and the abstract most of the positions). A phrase there is
 * matched by its words' B terms (the candidates) and then checked on the abstract's own text,
 * analysed again with the one Analyzer, so it matches exactly where Xapian's OP_PHRASE / OP_NEAR
 * would have matched the positions the indexer used to write.
 *
 * The rule lives here once: positions_match() on the tokens of one text. AbstractPhraseSource
 * applies it during an in-process match. Checking a candidate means decoding its record and
 * analysing its abstract (a fraction of a millisecond), and a phrase of common words has
 * thousands of candidates, so the Searcher checks only those that can reach the page it answers
 * (AbstractPhraseChecks): a match with the checks off, then the page's candidates checked.
 */
#include "analysis/analyzer.hpp"
#include "record/record.hpp"

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace scholarsearch::search {

/// A phrase or NEAR over analyzer terms, with Xapian's window: all terms within `window`
/// consecutive positions, in query order when `ordered` (OP_PHRASE) or in any order (OP_NEAR).
struct PositionalMatch {
    std::vector<std::string> terms;
    bool ordered = true;
    Xapian::termcount window = 0;
};

/// Whether the tokens of one text (the Analyzer's positions) hold the match.
bool positions_match(const std::vector<analysis::Token>& tokens, const PositionalMatch& match);

/// Whether the stored record's abstract, analysed as the indexer analyses it, holds the match.
bool abstract_matches(analysis::Analyzer& analyzer, const record::Record& record, const PositionalMatch& match);

/// Docids sorted and each once, shared by the sources and queries that read them.
using DocidSet = std::shared_ptr<const std::vector<Xapian::docid>>;
DocidSet docid_set(std::vector<Xapian::docid> docids);

/**
 * What the AbstractPhraseSources of one built query check (they and their clones share it), set
 * by the Searcher before each match. Every candidate by default: the exact match, which facets
 * (counted over every match) need.
 */
class AbstractPhraseChecks {
public:
    /// `analyzer`: the one the sources analyse abstracts with (the query's builder's, which
    /// outlives the query); null: one of its own, made at the first check. One per query, not
    /// one per source: a query of a thousand hyphenated words would hold a thousand analyzers.
    explicit AbstractPhraseChecks(analysis::Analyzer* analyzer = nullptr) : shared_analyzer_(analyzer) {}
    analysis::Analyzer& analyzer() const;

    /// Check every candidate (the default).
    void check_every() { mode_ = Mode::every; candidates_.reset(); }
    /// Check none: every record with the phrase's words matches (a superset of the exact match).
    void check_none() { mode_ = Mode::none; candidates_.reset(); }
    /// Only the records `candidates` can match, and each is checked.
    void check_only(DocidSet candidates) { mode_ = Mode::only; candidates_ = std::move(candidates); }

    bool checks() const { return mode_ != Mode::none; }

    /// A number for each phrase of the query (its sources and their clones share it).
    std::size_t add_phrase() { return phrases_++; }
    /// What an earlier check of `phrase` on `did` found: a window that grows is checked again.
    std::optional<bool> verdict(std::size_t phrase, Xapian::docid did) const;
    void remember(std::size_t phrase, Xapian::docid did, bool holds) const;
    /// Forgets every verdict (docids may mean other records after the database is reopened).
    void forget() { verdicts_.clear(); }
    /// Whether `did` may match at all.
    bool allows(Xapian::docid did) const;
    /// The first docid at or after `did` that may match; 0 when none may.
    Xapian::docid first_allowed_from(Xapian::docid did) const;

private:
    enum class Mode { every, none, only };
    Mode mode_ = Mode::every;
    DocidSet candidates_;   // Mode::only
    analysis::Analyzer* shared_analyzer_;
    mutable std::unique_ptr<analysis::Analyzer> own_analyzer_;
    std::size_t phrases_ = 0;
    mutable std::unordered_map<std::uint64_t, bool> verdicts_;   // phrase << 32 | docid
};

/// A weightless match of exactly the records `docids` (the filter of the page check).
Xapian::Query docid_set_query(DocidSet docids);

/**
 * The records whose abstract holds the match: the intersection of the words' B terms, each
 * candidate checked on its stored abstract (only when the match reaches it: inside an AND the
 * other branches pick the candidates). Weightless; combine it with the terms that rank.
 */
class AbstractPhraseSource : public Xapian::PostingSource {
public:
    AbstractPhraseSource(PositionalMatch match, std::shared_ptr<const AbstractPhraseChecks> checks, std::size_t phrase);
    ~AbstractPhraseSource() override;

    void init(const Xapian::Database& database) override;
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return termfreq_est_; }
    Xapian::doccount get_termfreq_max() const override { return termfreq_max_; }
    void next(double min_weight) override;
    void skip_to(Xapian::docid did, double min_weight) override;
    bool check(Xapian::docid did, double min_weight) override;
    bool at_end() const override { return at_end_; }
    Xapian::docid get_docid() const override { return current_; }
    Xapian::PostingSource* clone() const override;
    std::string name() const override { return "scholarsearch::AbstractPhraseSource"; }
    std::string get_description() const override;

private:
    // Moves to the first candidate at or after `did` whose abstract holds the match.
    void advance_from(Xapian::docid did);
    // Whether every B term list holds `did` (each list is moved to `did` or past it).
    bool is_candidate(Xapian::docid did);
    bool verified(Xapian::docid did);

    PositionalMatch match_;
    std::shared_ptr<const AbstractPhraseChecks> checks_;
    std::size_t phrase_;   // AbstractPhraseChecks::add_phrase
    std::vector<std::string> field_terms_;       // the distinct B terms
    Xapian::Database database_;
    std::vector<Xapian::PostingIterator> lists_;
    Xapian::docid current_ = 0;
    bool positioned_ = false;   // current_ is a match (not just the last docid checked)
    bool at_end_ = false;
    Xapian::doccount termfreq_est_ = 0;
    Xapian::doccount termfreq_max_ = 0;
};

/// The query for `match` in abstracts (takes care of the source's lifetime), checked as `checks` says.
Xapian::Query abstract_phrase_query(const PositionalMatch& match, const std::shared_ptr<AbstractPhraseChecks>& checks);

}  // namespace scholarsearch::search
