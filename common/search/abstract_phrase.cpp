#include "search/abstract_phrase.hpp"

#include "index/document_builder.hpp"
#include "index/stored_record.hpp"
#include "schema/schema.hpp"

#include <algorithm>
#include <cstdint>

namespace scholarsearch::search {

bool positions_match(const std::vector<analysis::Token>& tokens, const PositionalMatch& match) {
    const std::vector<std::string>& terms = match.terms;
    if (terms.empty()) return false;
    // Xapian never takes a window shorter than the phrase.
    const Xapian::termcount window = std::max<Xapian::termcount>(match.window, static_cast<Xapian::termcount>(terms.size()));
    if (match.ordered) {
        std::vector<std::vector<std::uint32_t>> positions(terms.size());
        for (const auto& token : tokens)
            for (std::size_t i = 0; i < terms.size(); ++i)
                if (token.term == terms[i]) positions[i].push_back(token.position);
        for (const auto& list : positions)
            if (list.empty()) return false;
        // From each start, the earliest next word is the best choice: it leaves the most room.
        for (const std::uint32_t first : positions[0]) {
            std::uint32_t previous = first;
            bool found = true;
            for (std::size_t i = 1; i < terms.size() && found; ++i) {
                const auto next = std::upper_bound(positions[i].begin(), positions[i].end(), previous);
                found = next != positions[i].end() && *next - first < window;
                if (found) previous = *next;
            }
            if (found) return true;
        }
        return false;
    }
    // NEAR: a run of `window` positions holding every term, a term named twice twice.
    std::vector<std::string> distinct;
    std::vector<std::size_t> needed;
    for (const auto& term : terms) {
        const auto seen = std::find(distinct.begin(), distinct.end(), term);
        if (seen != distinct.end()) {
            ++needed[static_cast<std::size_t>(seen - distinct.begin())];
        } else {
            distinct.push_back(term);
            needed.push_back(1);
        }
    }
    std::vector<std::pair<std::uint32_t, std::size_t>> occurrences;   // position, distinct term
    for (const auto& token : tokens) {
        const auto found = std::find(distinct.begin(), distinct.end(), token.term);
        if (found != distinct.end()) occurrences.emplace_back(token.position, static_cast<std::size_t>(found - distinct.begin()));
    }
    std::vector<std::size_t> count(distinct.size(), 0);
    std::size_t satisfied = 0, first = 0;
    for (const auto& [position, term] : occurrences) {
        if (++count[term] == needed[term]) ++satisfied;
        while (position - occurrences[first].first >= window) {
            const std::size_t dropped = occurrences[first++].second;
            if (count[dropped]-- == needed[dropped]) --satisfied;
        }
        if (satisfied == distinct.size()) return true;
    }
    return false;
}

bool abstract_matches(analysis::Analyzer& analyzer, const record::Record& record, const PositionalMatch& match) {
    std::string buffer;
    const std::string_view text = index::indexed_abstract(record, buffer);
    if (text.empty()) return false;
    std::vector<analysis::Token> tokens;
    analyzer.analyze(text, tokens, 1);
    return positions_match(tokens, match);
}

DocidSet docid_set(std::vector<Xapian::docid> docids) {
    std::sort(docids.begin(), docids.end());
    docids.erase(std::unique(docids.begin(), docids.end()), docids.end());
    return std::make_shared<const std::vector<Xapian::docid>>(std::move(docids));
}

analysis::Analyzer& AbstractPhraseChecks::analyzer() const {
    if (shared_analyzer_) return *shared_analyzer_;
    if (!own_analyzer_) own_analyzer_ = std::make_unique<analysis::Analyzer>();
    return *own_analyzer_;
}

namespace {
std::uint64_t verdict_key(std::size_t phrase, Xapian::docid did) { return static_cast<std::uint64_t>(phrase) << 32 | did; }
}  // namespace

std::optional<bool> AbstractPhraseChecks::verdict(std::size_t phrase, Xapian::docid did) const {
    const auto found = verdicts_.find(verdict_key(phrase, did));
    if (found == verdicts_.end()) return std::nullopt;
    return found->second;
}

void AbstractPhraseChecks::remember(std::size_t phrase, Xapian::docid did, bool holds) const {
    verdicts_[verdict_key(phrase, did)] = holds;
}

bool AbstractPhraseChecks::allows(Xapian::docid did) const {
    return mode_ != Mode::only || std::binary_search(candidates_->begin(), candidates_->end(), did);
}

Xapian::docid AbstractPhraseChecks::first_allowed_from(Xapian::docid did) const {
    if (mode_ != Mode::only) return did;
    const auto next = std::lower_bound(candidates_->begin(), candidates_->end(), did);
    return next == candidates_->end() ? 0 : *next;
}

namespace {

// The records of a sorted docid list, weightless.
class DocidSetSource : public Xapian::PostingSource {
public:
    explicit DocidSetSource(DocidSet docids) : docids_(std::move(docids)) {}
    void init(const Xapian::Database&) override {
        position_ = 0;
        started_ = false;
    }
    Xapian::doccount get_termfreq_min() const override { return size(); }
    Xapian::doccount get_termfreq_est() const override { return size(); }
    Xapian::doccount get_termfreq_max() const override { return size(); }
    void next(double) override {
        if (started_) ++position_;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override {
        started_ = true;
        position_ = static_cast<std::size_t>(std::lower_bound(docids_->begin() + static_cast<std::ptrdiff_t>(position_),
                                                              docids_->end(), did) - docids_->begin());
    }
    bool at_end() const override { return started_ && position_ >= docids_->size(); }
    Xapian::docid get_docid() const override { return (*docids_)[position_]; }
    Xapian::PostingSource* clone() const override { return new DocidSetSource(docids_); }
    std::string name() const override { return "scholarsearch::DocidSetSource"; }
    std::string get_description() const override { return "DocidSetSource(" + std::to_string(size()) + ")"; }

private:
    Xapian::doccount size() const { return static_cast<Xapian::doccount>(docids_->size()); }
    DocidSet docids_;
    std::size_t position_ = 0;
    bool started_ = false;
};

}  // namespace

Xapian::Query docid_set_query(DocidSet docids) {
    return Xapian::Query((new DocidSetSource(std::move(docids)))->release());
}

AbstractPhraseSource::AbstractPhraseSource(PositionalMatch match, std::shared_ptr<const AbstractPhraseChecks> checks,
                                           std::size_t phrase)
    : match_(std::move(match)), checks_(std::move(checks)), phrase_(phrase) {
    for (const auto& term : match_.terms) {
        std::string field_term = std::string(schema::prefix::abstract) + term;
        if (std::find(field_terms_.begin(), field_terms_.end(), field_term) == field_terms_.end())
            field_terms_.push_back(std::move(field_term));
    }
}

AbstractPhraseSource::~AbstractPhraseSource() = default;

void AbstractPhraseSource::init(const Xapian::Database& database) {
    database_ = database;
    lists_.clear();
    current_ = 0;
    positioned_ = false;
    at_end_ = field_terms_.empty();
    const double documents = std::max<double>(1, database.get_doccount());
    double estimate = documents;
    termfreq_max_ = database.get_doccount();
    for (const auto& term : field_terms_) {
        const Xapian::doccount frequency = database.get_termfreq(term);
        termfreq_max_ = std::min(termfreq_max_, frequency);
        estimate *= frequency / documents;
        if (frequency == 0) at_end_ = true;
        lists_.push_back(database.postlist_begin(term));
    }
    if (at_end_) termfreq_max_ = 0;
    termfreq_est_ = std::min(termfreq_max_, static_cast<Xapian::doccount>(estimate + 0.5));
}

void AbstractPhraseSource::next(double) { advance_from(current_ + 1); }

void AbstractPhraseSource::skip_to(Xapian::docid did, double) {
    if (positioned_ && did <= current_) return;
    advance_from(positioned_ ? did : std::max(did, current_ + 1));
}

bool AbstractPhraseSource::check(Xapian::docid did, double) {
    if (positioned_ && did == current_) return true;
    current_ = did;
    positioned_ = is_candidate(did) && verified(did);
    return positioned_;   // false: undetermined, the next move starts after `did`
}

bool AbstractPhraseSource::is_candidate(Xapian::docid did) {
    if (!checks_->allows(did)) return false;
    for (auto& list : lists_) {
        list.skip_to(did);
        if (list == Xapian::PostingIterator() || *list != did) return false;
    }
    return true;
}

void AbstractPhraseSource::advance_from(Xapian::docid did) {
    for (Xapian::docid candidate = did;; ++candidate) {
        for (bool moved = true; moved;) {
            moved = false;
            const Xapian::docid allowed = checks_->first_allowed_from(candidate);
            if (allowed == 0) {
                at_end_ = true;
                positioned_ = false;
                return;
            }
            if (allowed > candidate) candidate = allowed;
            for (auto& list : lists_) {
                list.skip_to(candidate);
                if (list == Xapian::PostingIterator()) {
                    at_end_ = true;
                    positioned_ = false;
                    return;
                }
                if (*list > candidate) {
                    candidate = *list;
                    moved = true;
                }
            }
        }
        if (verified(candidate)) {
            current_ = candidate;
            positioned_ = true;
            return;
        }
    }
}

bool AbstractPhraseSource::verified(Xapian::docid did) {
    if (!checks_->checks()) return true;
    if (const auto known = checks_->verdict(phrase_, did)) return *known;
    const record::Record record = index::read_stored_record(database_, database_.get_document(did).get_data());
    const bool holds = abstract_matches(checks_->analyzer(), record, match_);
    checks_->remember(phrase_, did, holds);
    return holds;
}

Xapian::PostingSource* AbstractPhraseSource::clone() const { return new AbstractPhraseSource(match_, checks_, phrase_); }

std::string AbstractPhraseSource::get_description() const {
    std::string description = "AbstractPhraseSource(";
    description += match_.ordered ? "PHRASE " : "NEAR ";
    description += std::to_string(match_.window);
    for (const auto& term : match_.terms) description += " " + term;
    return description + ")";
}

Xapian::Query abstract_phrase_query(const PositionalMatch& match, const std::shared_ptr<AbstractPhraseChecks>& checks) {
    const std::size_t phrase = checks->add_phrase();
    return Xapian::Query((new AbstractPhraseSource(match, checks, phrase))->release());
}

}  // namespace scholarsearch::search
