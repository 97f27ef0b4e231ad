#include "search/searcher.hpp"
#include "search/searcher_testing.hpp"

#include "index/document_builder.hpp"
#include "index/stored_record.hpp"
#include "record/error.hpp"
#include "record/record_json.hpp"
#include "schema/schema.hpp"
#include "search/citations.hpp"
#include "search/query_builder.hpp"
#include "search/query_text.hpp"
#include "search/request_params.hpp"
#include "search/snippet.hpp"
#include "store/database.hpp"
#include "text/latex.hpp"

#include <xapian.h>


#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

namespace scholarsearch::search {

namespace prefix = schema::prefix;

namespace {

// The value slots a facet is counted in (schema.hpp): one for year and venue, a range for the
// multi-valued ones.
std::vector<Xapian::valueno> facet_slots(Facet facet) {
    auto range = [](schema::FacetSlots slots) {
        std::vector<Xapian::valueno> out;
        for (unsigned i = 0; i < slots.count; ++i) out.push_back(slots.first + i);
        return out;
    };
    switch (facet) {
        case Facet::year: return {schema::slot(schema::Slot::year)};
        case Facet::venue: return {schema::slot(schema::Slot::venue)};
        case Facet::keyword: return range(schema::keyword_facet_slots);
        case Facet::author: return range(schema::author_facet_slots);
        case Facet::clc: return range(schema::clc_facet_slots);
    }
    return {};
}

// A facet's slots counted by one spy of ours: one hash map, and a record's items end at its
// first empty slot (they fill the slots in order). On 500k matches it takes a fifth to a third of
// the time of ValueCountMatchSpys (a std::map lookup per slot and item; docs/DECISIONS.md), but
// like every MatchSpy subclass it cannot run on a remote backend.
class SlotsSpy : public Xapian::MatchSpy {
public:
    explicit SlotsSpy(std::vector<Xapian::valueno> slots) : slots_(std::move(slots)) {}

    void operator()(const Xapian::Document& document, double) override {
        ++records;
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            std::string value = document.get_value(slots_[i]);
            if (value.empty()) return;
            ++values[std::move(value)];
        }
    }

    std::size_t records = 0;
    std::unordered_map<std::string, std::size_t> values;   ///< slot values as stored, and their records

private:
    std::vector<Xapian::valueno> slots_;
};

// Counts one facet over the match, with SlotsSpy, or (`builtin`) with Xapian's own
// ValueCountMatchSpy, one per slot: the one spy that also counts on a remote backend and
// merges the shards' counts. Both see the same slot values; values() reads either.
struct FacetCount {
    Facet facet;
    std::unique_ptr<SlotsSpy> ours;
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> builtin;   // a MatchSpy cannot be moved

    FacetCount(Facet which, bool use_builtin) : facet(which) {
        if (!use_builtin) {
            ours = std::make_unique<SlotsSpy>(facet_slots(which));
            return;
        }
        for (Xapian::valueno slot : facet_slots(which))
            builtin.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
    }

    void attach(Xapian::Enquire& enquire) {
        if (ours) enquire.add_matchspy(ours.get());
        for (auto& spy : builtin) enquire.add_matchspy(spy.get());
    }

    // Records the query's match left out (identified ones) are counted by hand.
    void add(const Xapian::Document& document) {
        if (ours) (*ours)(document, 0);
        for (auto& spy : builtin) (*spy)(document, 0);
    }

    std::size_t records() const {
        if (ours) return ours->records;
        return builtin.empty() ? 0 : builtin.front()->get_total();
    }

    // The last slot of a range may hold several items joined: split here, after the match, so
    // each item is counted once per record that has it.
    std::vector<FacetValue> values(std::size_t size) const {
        std::unordered_map<std::string, std::size_t> stored;
        if (ours) stored = ours->values;
        for (const auto& spy : builtin)
            for (auto it = spy->values_begin(); it != spy->values_end(); ++it) stored[*it] += it.get_termfreq();

        std::vector<FacetValue> out;
        if (facet == Facet::year) {
            // Every year, in order: a histogram, not a top list.
            std::map<int, std::size_t> years;
            for (const auto& [value, records] : stored) years[static_cast<int>(Xapian::sortable_unserialise(value))] += records;
            for (const auto& [year, records] : years) out.push_back({std::to_string(year), records});
            return out;
        }
        std::unordered_map<std::string, std::size_t> counts;
        for (const auto& [value, records] : stored) {
            for (std::size_t start = 0; start <= value.size();) {
                std::size_t end = value.find(schema::facet_separator, start);
                if (end == std::string::npos) end = value.size();
                if (end > start) counts[value.substr(start, end - start)] += records;
                start = end + 1;
            }
        }
        out.reserve(counts.size());
        for (auto& [value, records] : counts) out.push_back({value, records});
        auto more_frequent = [](const FacetValue& a, const FacetValue& b) {
            return a.count != b.count ? a.count > b.count : a.value < b.value;
        };
        const std::size_t kept = std::min(size, out.size());
        std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(kept), out.end(), more_frequent);
        out.resize(kept);
        return out;
    }
};

// Expansion terms must be plain content words: no field prefixes, no stems, no query words.
class ContentTermDecider : public Xapian::ExpandDecider {
public:
    bool operator()(const std::string& term) const override {
        if (term.empty()) return false;
        const unsigned char first = static_cast<unsigned char>(term[0]);
        if (first >= 'A' && first <= 'Z') return false;
        return term.size() > 2 || first >= 0x80;
    }
};

Hit hit_from(const record::Record& stored, double weight, Xapian::doccount rank) {
    Hit hit;
    hit.id = stored.id.value_or("");
    hit.doi = stored.doi;
    hit.title = text::readable(stored.title);
    for (const auto& author : stored.authors) hit.authors.push_back(author.name);
    hit.year = stored.year;
    hit.venue = stored.venue;
    hit.cited_by = stored.cited_by;
    hit.keywords = stored.keywords;
    hit.score = weight;
    hit.rank = rank;
    return hit;
}

// A hit of a record and the document it is stored in, which holds its in-collection count.
Hit hit_from(const record::Record& stored, const Xapian::Document& document, double weight, Xapian::doccount rank) {
    Hit hit = hit_from(stored, weight, rank);
    hit.cited_by_in_collection = index::stored_citation_count(document);
    return hit;
}

Hit hit_from(const Xapian::Database& database, const Xapian::Document& document, double weight, Xapian::doccount rank) {
    return hit_from(index::read_stored_record(database, document.get_data()), document, weight, rank);
}

Hit hit_from(const Xapian::Database& database, const Xapian::MSetIterator& item, Xapian::doccount rank) {
    return hit_from(database, item.get_document(), item.get_weight(), rank);
}

std::string id_term(const std::string& id) { return index::boolean_term(prefix::unique_id, id); }

std::string doi_term(const std::string& doi) { return index::boolean_term(prefix::doi, doi); }

// A query word is corrected when no record has it, or when a close variant is at least this many
// times as common (`socail` in 1 record beside `social` in 40): a typo that made it into a few
// titles should not hide the word everybody means, while a rare word with no such neighbour
// (a name, a term of art) is left alone.
constexpr Xapian::doccount spelling_variant_ratio = 20;

// A typo that made it into the index is rare in absolute terms too: only indexed words in at most
// this many records, or one in 20,000 of them, are looked up as possible typos. Looking up every
// word under 1/20 of the records cost a spelling search and ~55 term lookups a letter for nearly
// every query word of a real search box.
constexpr Xapian::doccount typo_records_floor = 3;
constexpr Xapian::doccount typo_records_divisor = 20000;

// Reads of one request tried against DatabaseModifiedError, each after a reopen(): a commit
// overwrites a revision only once another is open, so a second failure needs two commits during
// one search and a third is a writer outrunning every read; that is IndexUnavailable (retry later).
constexpr int max_modified_attempts = 3;

std::function<void()> before_read_attempt;   // see searcher_testing.hpp

}  // namespace

void testing::set_before_read_attempt(std::function<void()> hook) { before_read_attempt = std::move(hook); }

struct Searcher::Impl {
    std::string path;
    std::string identity;
    store::OpenIndex opened;       ///< what `database` was made of, for the generation
    Xapian::Database database;
    std::string generation_key;    ///< store::generation of `opened`, as of the last (re)open
    QueryBuilder builder;
    /// Facets are counted with ValueCountMatchSpy (FacetCount): the database has a remote part.
    bool builtin_spies = false;
    /// A read failed because of the index (see retrying): the next refresh reopens the path.
    bool faulted = false;
    std::uint64_t probe_step = 0;   ///< see probe_records

    SearcherOptions options;
    /// Where spelling suggestions come from: `database`, or the side database of the options.
    Xapian::Database spelling;
    std::chrono::steady_clock::time_point last_shard_retry = std::chrono::steady_clock::now();

    Impl(const std::string& index_path, const SearcherOptions& searcher_options)
        : path(index_path), identity(store::path_identity(index_path)), options(searcher_options) {
        install(open_path());
        if (!options.spelling_path.empty()) {
            try {
                spelling = Xapian::Database(options.spelling_path);
            } catch (const Xapian::Error& error) {
                throw IndexUnavailable("cannot open spelling database " + options.spelling_path + ": " + error.get_msg());
            }
        }
    }

    // Every remote part is connected afresh: after a failed read, which shard failed Xapian does
    // not say, and a connection abandoned in the middle of an exchange cannot be trusted. Those
    // that do not answer are left out.
    store::OpenIndex open_path() const {
        store::OpenOptions open_options;
        open_options.remote_timeout = options.shard_timeout;
        open_options.connect_timeout = options.shard_connect_timeout;
        open_options.allow_missing_remote = true;
        store::OpenIndex fresh = store::open_index(path, open_options);
        for (const auto& missing : fresh.missing) note_shard_error(missing.name);
        return fresh;
    }

    void install(store::OpenIndex fresh) {
        generation_key = store::generation(fresh);
        database = fresh.database;
        opened = std::move(fresh);
        builder.set_database(database);
        index::remember_data_dictionaries(opened.parts);
        if (options.spelling_path.empty()) spelling = database;
        last_shard_retry = std::chrono::steady_clock::now();
    }

    bool spelling_available() const { return !opened.has_remote || !options.spelling_path.empty(); }

    std::vector<std::string> missing_shards() const {
        std::vector<std::string> names;
        for (const auto& missing : opened.missing) names.push_back(missing.name);
        return names;
    }

    static std::mutex& shard_errors_mutex() {
        static std::mutex mutex;
        return mutex;
    }
    static std::map<std::string, std::uint64_t>& shard_error_counts() {
        static std::map<std::string, std::uint64_t> counts;
        return counts;
    }
    static void note_shard_error(const std::string& name) {
        std::lock_guard lock(shard_errors_mutex());
        ++shard_error_counts()[name];
    }


    // Xapian's reopen(): the open database moves to the newest revision, so the generation may change.
    bool reopen() {
        const bool changed = database.reopen();
        if (changed) generation_key = store::generation(opened);
        return changed;
    }

    Xapian::Query filters(const SearchRequest& request) {
        std::vector<Xapian::Query> all;
        analysis::Analyzer& analyzer = builder.analyzer();
        if (request.year_from || request.year_to)
            all.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::slot(schema::Slot::year),
                             Xapian::sortable_serialise(request.year_from.value_or(-9999)),
                             Xapian::sortable_serialise(request.year_to.value_or(9999)));
        Xapian::termcount clc_codes_left = max_clc_expansion;
        auto any_of = [&](const std::vector<std::string>& values, std::string_view term_prefix, bool prefix_match) {
            if (values.empty()) return;
            std::vector<Xapian::Query> alternatives;
            for (const auto& value : values) {
                std::string term = std::string(term_prefix) + analyzer.fold(value);
                if (prefix_match) {
                    for (auto& c : term) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                    // Each prefix expands to the codes under it: bound them all together.
                    const Xapian::termcount codes = count_terms_with_prefix(database, term, clc_codes_left);
                    if (codes > clc_codes_left)
                        throw QueryError("clc filters cover too many codes: at most " + std::to_string(max_clc_expansion) +
                                         " in one request; use longer codes");
                    clc_codes_left -= codes;
                    alternatives.emplace_back(Xapian::Query::OP_WILDCARD, term, 0, Xapian::Query::WILDCARD_LIMIT_ERROR);
                } else {
                    alternatives.emplace_back(term);
                }
            }
            all.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
        };
        any_of(request.authors, prefix::author, false);
        any_of(request.clc, prefix::clc, true);
        any_of(request.venues, prefix::venue, false);
        for (const auto& keyword : request.keywords)
            all.emplace_back(std::string(prefix::keyword) + analyzer.fold(keyword));
        if (all.empty()) return Xapian::Query();
        return Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
    }

    void configure(Xapian::Enquire& enquire, const SearchRequest& request) {
        const RankingOptions& r = request.ranking;
        enquire.set_weighting_scheme(Xapian::BM25Weight(r.bm25_k1, r.bm25_k2, r.bm25_k3, r.bm25_b, r.bm25_min_normlen));
        switch (request.sort) {
            // Equal weights stay in docid order, which depends on how the index was built: one
            // index and its shards may order ties apart. Sorting ties by record id made the
            // totals' estimates differ between pages (docs/SCALING.md).
            case SortOrder::relevance: enquire.set_sort_by_relevance(); break;
            case SortOrder::year_desc: enquire.set_sort_by_value_then_relevance(schema::slot(schema::Slot::year), true); break;
            case SortOrder::year_asc: enquire.set_sort_by_value_then_relevance(schema::slot(schema::Slot::year), false); break;
            case SortOrder::cited_by: enquire.set_sort_by_value_then_relevance(schema::slot(schema::Slot::cited_by), true); break;
            case SortOrder::cited_by_in_collection:
                enquire.set_sort_by_value_then_relevance(schema::slot(schema::Slot::cited_by_in_collection), true);
                break;
        }
        if (collapsing(request)) enquire.set_collapse_key(schema::slot(schema::Slot::doi));
    }

    // Collapsing makes totals estimates; skip it where no record has a DOI.
    bool collapsing(const SearchRequest& request) {
        return request.collapse_duplicates && database.get_value_freq(schema::slot(schema::Slot::doi)) > 0;
    }

    // One entry of a ranked window: what make_hit and the merge below need.
    struct Match {
        Xapian::docid docid = 0;
        double weight = 0;
        std::string collapse_key;
        Xapian::Document document;
    };
    struct Matches {
        std::vector<Match> window;
        Xapian::doccount estimated = 0, lower_bound = 0, upper_bound = 0;
    };

    // Ranks `query` with the all-words bonus (BuiltQuery::all_words) as two searches: the query
    // as typed, and the records with every word scored query + bonus (`AND(bonus, query)`, cheap:
    // the rarest word leads). One AND_MAYBE(query, bonus) ranks the same, but the bonus raises
    // the bound on every record's weight, so Xapian can no longer skip postings of records that
    // cannot reach the top: 2.3x the plain query's time on short real queries (docs/RANKING.md).
    // The merge is exact for the first offset + count: a record missing a word scores the same
    // in both orders, and a record with every word that the second search did not return scores
    // at most its last weight, below every record it did return, so it cannot enter the window
    // with its weight from the first. Match spies on `enquire` see the first search only.
    Matches ranked(Xapian::Enquire& enquire, const Xapian::Query& query, const Xapian::Query& all_words, double bonus,
                   SortOrder sort, std::size_t offset, std::size_t count, Xapian::doccount check_at_least) {
        Matches out;
        enquire.set_query(query);
        const bool with_bonus = !all_words.empty() && bonus > 0 && sort == SortOrder::relevance && !query.empty();
        const Xapian::doccount wanted = static_cast<Xapian::doccount>(offset + count);
        const Xapian::MSet typed = enquire.get_mset(with_bonus ? 0 : static_cast<Xapian::doccount>(offset),
                                                    with_bonus ? wanted : static_cast<Xapian::doccount>(count), check_at_least);
        out.estimated = typed.get_matches_estimated();
        out.lower_bound = typed.get_matches_lower_bound();
        out.upper_bound = typed.get_matches_upper_bound();
        if (!with_bonus) {
            for (auto it = typed.begin(); it != typed.end(); ++it)
                out.window.push_back({*it, it.get_weight(), {}, it.get_document()});
            return out;
        }
        enquire.clear_matchspies();
        enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, all_words, bonus),
                                        query));
        const Xapian::MSet every = enquire.get_mset(0, wanted);
        enquire.set_query(query);
        // A record of `every` is in `typed` too, with less weight; each search kept one record per
        // DOI, and across the two the better one stays.
        std::vector<Match> merged;
        std::unordered_set<Xapian::docid> seen;
        std::unordered_set<std::string> keys;
        auto a = every.begin(), b = typed.begin();
        while ((a != every.end() || b != typed.end()) && merged.size() < wanted) {
            const bool from_every = b == typed.end() ||
                                    (a != every.end() && (a.get_weight() != b.get_weight() ? a.get_weight() > b.get_weight() : *a < *b));
            auto& it = from_every ? a : b;
            Match match{*it, it.get_weight(), it.get_collapse_key(), {}};
            if (seen.insert(match.docid).second && (match.collapse_key.empty() || keys.insert(match.collapse_key).second)) {
                match.document = it.get_document();
                merged.push_back(std::move(match));
            }
            ++it;
        }
        for (std::size_t i = offset; i < merged.size(); ++i) out.window.push_back(std::move(merged[i]));
        return out;
    }

    // An index without abstract positions checks a phrase in abstracts on each candidate's own
    // text (abstract_phrase.hpp), a fraction of a millisecond each: rather than every candidate
    // of the match (thousands for common words), only those of a ranked window. The match runs
    // with the checks off: it finds a superset of the exact match, and each record's weight is
    // at least its exact weight (a phrase that fails its check can only take weight away, when
    // no phrase is under a NOT: checks_can_only_remove). The window's records are then ranked
    // again with the checks on, by a match limited to them. That ranking is the exact one when
    // it holds every match, or when its offset + count-th weight is above the window's last
    // weight before the check, which bounds every record outside the window; otherwise a window
    // four times larger is tried. The counts are estimates from the share that passed, exact
    // when the window held every match. Duplicates collapse before the check: a record that
    // fails can hide its DOI twin.
    Matches checked_window(Xapian::Enquire& enquire, const Xapian::Query& query, const BuiltQuery& built, double bonus,
                           std::size_t offset, std::size_t count) {
        AbstractPhraseChecks& checks = *built.abstract_checks;
        checks.forget();
        const std::size_t wanted = offset + count;
        std::size_t window = wanted + wanted / 2 + 8;
        for (;;) {
            const auto size = static_cast<Xapian::doccount>(window);
            checks.check_none();
            const Matches loose = ranked(enquire, query, built.all_words, bonus, SortOrder::relevance, 0, window, size);
            std::vector<Xapian::docid> docids;
            for (const auto& match : loose.window) docids.push_back(match.docid);
            const DocidSet in_window = docid_set(std::move(docids));
            checks.check_only(in_window);
            Matches exact = ranked(enquire, Xapian::Query(Xapian::Query::OP_FILTER, query, docid_set_query(in_window)),
                                   built.all_words, bonus, SortOrder::relevance, 0, window, size);
            checks.check_every();
            enquire.set_query(query);
            const bool every_match_seen = loose.window.size() < window;
            // (wanted is 0 for size=0: only the counts are asked for.)
            const bool settled = wanted == 0 || (exact.window.size() >= wanted &&
                                                 exact.window[wanted - 1].weight > loose.window.back().weight);
            if (!every_match_seen && !settled) {
                window *= 4;
                continue;
            }
            const auto passed = static_cast<Xapian::doccount>(exact.window.size());
            Matches out;
            for (std::size_t i = offset; i < exact.window.size() && out.window.size() < count; ++i)
                out.window.push_back(std::move(exact.window[i]));
            if (every_match_seen) {
                out.estimated = out.lower_bound = out.upper_bound = passed;
            } else {
                const double share = static_cast<double>(passed) / static_cast<double>(loose.window.size());
                out.lower_bound = passed;
                out.upper_bound = loose.upper_bound;
                out.estimated = std::max(passed, static_cast<Xapian::doccount>(loose.estimated * share + 0.5));
            }
            return out;
        }
    }

    // Whether turning the phrase checks on can only remove matches and weight (checked_window):
    // not when a posting source sits under a NOT or an XOR, where failing a check adds matches.
    static bool checks_can_only_remove(const Xapian::Query& query) {
        const auto holds_source = [](const auto& self, const Xapian::Query& q) -> bool {
            if (q.get_type() == Xapian::Query::LEAF_POSTING_SOURCE) return true;
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
                if (self(self, q.get_subquery(i))) return true;
            return false;
        };
        const Xapian::Query::op type = query.get_type();
        for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
            const Xapian::Query sub = query.get_subquery(i);
            const bool negated = (type == Xapian::Query::OP_AND_NOT && i > 0) || type == Xapian::Query::OP_XOR;
            if (negated ? holds_source(holds_source, sub) : !checks_can_only_remove(sub)) return false;
        }
        return true;
    }

    // Records named by identifiers in the query text (query_text.hpp), found by their Q or XDOI
    // term: a postlist lookup, nothing a remote backend lacks.
    struct Identified {
        std::vector<Xapian::Document> documents;   ///< in the order typed, once each, passing the filters
        std::vector<Xapian::Query> exclusions;     ///< what keeps them (and DOI twins) out of the other hits
        std::string rest;                          ///< the text without the tokens that resolved
    };

    // A token that resolves is taken out of the query even when its record fails the filters:
    // it named a record, so as text it would only match nothing (or, as `doi:`, filter everything).
    Identified identify(const std::string& text, const Xapian::Query& filter, bool collapse) {
        Identified out;
        out.rest = text;
        // Each candidate costs a term lookup; a pasted reference list is not a search.
        constexpr std::size_t max_tokens = 20;
        constexpr Xapian::doccount max_per_token = 10;
        std::vector<Xapian::docid> seen;
        std::size_t tokens = 0;
        for (const auto& token : find_identifiers(text)) {
            if (++tokens > max_tokens) break;
            std::string term;
            for (const auto& candidate : token.candidates) {
                const std::string wanted = candidate.kind == IdentifierCandidate::Kind::doi ? doi_term(candidate.value)
                                                                                           : id_term(candidate.value);
                if (database.term_exists(wanted)) {
                    term = wanted;
                    break;
                }
            }
            if (term.empty()) continue;
            std::fill(out.rest.begin() + static_cast<std::ptrdiff_t>(token.begin),
                      out.rest.begin() + static_cast<std::ptrdiff_t>(token.end), ' ');
            Xapian::Enquire enquire(database);
            enquire.set_weighting_scheme(Xapian::BoolWeight());
            enquire.set_query(filter.empty() ? Xapian::Query(term) : Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term), filter));
            if (collapse) enquire.set_collapse_key(schema::slot(schema::Slot::doi));
            const Xapian::MSet mset = enquire.get_mset(0, collapse ? 1 : max_per_token);
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                if (std::find(seen.begin(), seen.end(), *it) != seen.end()) continue;
                seen.push_back(*it);
                Xapian::Document document = it.get_document();
                out.exclusions.emplace_back(id_term(document.get_value(schema::slot(schema::Slot::id))));
                const std::string doi = document.get_value(schema::slot(schema::Slot::doi));
                if (collapse && !doi.empty()) out.exclusions.emplace_back(doi_term(doi));
                out.documents.push_back(std::move(document));
            }
        }
        return out;
    }

    // Pseudo-relevance feedback for questions and descriptions (BuiltQuery::verbose): the best
    // terms of the top records of the query as typed (`top`, best first), added at a lower
    // weight; nullopt to keep the query. A query that is nearly the title of the top record is a
    // pasted title: that record is the answer, and expanding the query only lets look-alikes
    // overtake it (known-item MRR@10 of pasted titles 0.992 -> 0.987 without this check,
    // docs/RANKING.md). `enquire` still holds the query as typed, whose terms the expansion skips.
    static constexpr double pasted_title_share = 0.75;
    std::optional<Xapian::Query> expanded_query(Xapian::Enquire& enquire, const Xapian::Query& query,
                                                const std::vector<Match>& top, const RankingOptions& r,
                                                const std::vector<std::string>& words) {
        if (top.empty()) return std::nullopt;
        const record::Record first = index::read_stored_record(database, top.front().document.get_data());
        std::vector<std::string> title;
        for (const auto& word : builder.analyzer().query_words(first.title)) title.push_back(word.text);
        std::size_t content = 0, in_title = 0;
        for (const auto& word : words) {
            if (is_stop_word(word)) continue;
            ++content;
            if (std::find(title.begin(), title.end(), word) != title.end()) ++in_title;
        }
        if (content > 0 && static_cast<double>(in_title) >= pasted_title_share * static_cast<double>(content))
            return std::nullopt;
        Xapian::RSet relevant;
        for (std::size_t i = 0; i < top.size() && i < r.feedback_documents; ++i) relevant.add_document(top[i].docid);
        ContentTermDecider decider;
        Xapian::ESet expansion = enquire.get_eset(r.feedback_terms, relevant, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        if (expansion.empty()) return std::nullopt;
        std::vector<Xapian::Query> terms;
        for (auto it = expansion.begin(); it != expansion.end(); ++it) terms.emplace_back(*it);
        Xapian::Query expanded(Xapian::Query::OP_OR, terms.begin(), terms.end());
        return Xapian::Query(Xapian::Query::OP_OR, query,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, expanded, r.feedback_weight));
    }

    // The most common word one edit (deletion, transposition, substitution, insertion of a-z)
    // from `word`, or "" when none is indexed: about 55 term lookups per letter.
    std::string commonest_neighbour(const std::string& word) {
        std::string best;
        Xapian::doccount best_frequency = 0;
        auto consider = [&](const std::string& candidate) {
            if (candidate == word) return;
            const Xapian::doccount frequency = database.get_termfreq(candidate);
            if (frequency > best_frequency) {
                best = candidate;
                best_frequency = frequency;
            }
        };
        std::string candidate;
        for (std::size_t i = 0; i <= word.size(); ++i) {
            if (i < word.size()) consider(candidate.assign(word).erase(i, 1));
            if (i + 1 < word.size()) {
                candidate.assign(word);
                std::swap(candidate[i], candidate[i + 1]);
                consider(candidate);
            }
            for (char c = 'a'; c <= 'z'; ++c) {
                if (i < word.size()) {
                    candidate.assign(word);
                    candidate[i] = c;
                    consider(candidate);
                }
                consider(candidate.assign(word).insert(i, 1, c));
            }
        }
        return best;
    }

    // Only words that are absent or rare get a dictionary lookup (typo_records_floor), so most
    // query words cost a termfreq. A word that names an author of some record is taken as that
    // name, not as a typo: family names are rare words, and "did you mean" for them is noise
    // (it was also a tenth of an author query's time on the real corpus, docs/RANKING.md).
    std::optional<std::string> correction_for(const std::string& word) {
        if (database.get_termfreq(std::string(prefix::author_words) + word) > 0) return std::nullopt;
        const Xapian::doccount known =
            std::max(database.get_termfreq(word), database.get_termfreq(std::string(prefix::affiliation) + word));
        if (known > 0 && known > std::max(typo_records_floor, database.get_doccount() / typo_records_divisor))
            return std::nullopt;
        // Two edits turn a four-letter word into almost any other.
        std::string suggestion = spelling.get_spelling_suggestion(word, word.size() <= 4 ? 1 : 2);
        if (known == 0) {
            if (suggestion.empty()) return std::nullopt;
            return suggestion;
        }
        // Xapian 1.4 suggests for a word that is itself in the spelling dictionary only when a
        // candidate is at least as frequent there AND shares nearly as many trigrams as the word
        // shares with itself (TRIGRAM_SCORE_THRESHOLD in omdatabase.cc), which a transposition
        // or substitution ("socail" -> "social") never does. So rare words that are indexed also
        // get their one-edit neighbours looked up directly.
        if (suggestion.empty() || suggestion == word) suggestion = commonest_neighbour(word);
        if (suggestion.empty() || database.get_termfreq(suggestion) < known * spelling_variant_ratio) return std::nullopt;
        return suggestion;
    }

    // The query text with its content words corrected in place, so field names, operators,
    // quotes and identifiers stay as typed (`title:socail` -> `title:social`).
    std::optional<std::string> spelling_for(const BuiltQuery& built, const std::string& text) {
        const std::vector<CorrectableWord> words = correctable_words(built.text, built.correctable);
        std::map<std::string, std::string> corrections;
        std::vector<std::string> checked;
        for (const auto& word : words) {
            if (std::find(checked.begin(), checked.end(), word.word) != checked.end()) continue;
            checked.push_back(word.word);
            if (auto correction = correction_for(word.word)) corrections.emplace(word.word, *correction);
        }
        if (corrections.empty()) return std::nullopt;
        return replace_words(text, words, corrections);
    }

    // A result answered without some shards says which; a record that is not in the shards that
    // answered may be in one that did not, so "no such record" would be a lie: 503 instead.
    template <class Result>
    Result with_missing_shards(Result result) const {
        if constexpr (std::is_same_v<Result, SearchResult>) {
            result.missing_shards = missing_shards();
        } else if constexpr (std::is_same_v<Result, std::optional<SearchResult>> ||
                             std::is_same_v<Result, std::optional<record::Record>> ||
                             std::is_same_v<Result, std::optional<std::vector<ReferenceLink>>>) {
            if (!result && !opened.missing.empty())
                throw IndexUnavailable("the record may be in a shard that does not answer: " + opened.missing.front().name);
            if constexpr (std::is_same_v<Result, std::optional<SearchResult>>)
                if (result) result->missing_shards = missing_shards();
        }
        return result;
    }

    Hit make_hit(const Xapian::Document& document, double weight, Xapian::doccount rank, const SearchRequest& request,
                 const HighlightTerms& terms) {
        if (!request.load_records) {
            Hit hit;
            hit.id = document.get_value(schema::slot(schema::Slot::id));
            hit.cited_by_in_collection = index::stored_citation_count(document);
            hit.score = weight;
            hit.rank = rank;
            return hit;
        }
        const record::Record stored = index::read_stored_record(database, document.get_data());
        Hit hit = hit_from(stored, document, weight, rank);
        if (request.highlight) {
            // Highlighted over the text as indexed and shown: LaTeX converted (hit.title is too).
            hit.title_html = make_snippet(builder.analyzer(), hit.title, terms, 100000);
            std::string buffer;
            hit.snippet = make_snippet(builder.analyzer(), text::readable(stored.abstract.value_or(""), buffer), terms);
        }
        return hit;
    }

    const std::string& generation() const { return generation_key; }

    // A cursor page: the hits at the cursor's offset of the ranking of the generation it pins.
    // Ties in Xapian's order are broken by docid, so one database revision ranks the same request
    // the same way every time and consecutive offsets give every hit exactly once; another
    // revision may rank differently, hence CursorExpired rather than a page that would skip or
    // repeat hits. Called inside retrying(), so a commit that interrupts the match expires the
    // walk too.
    SearchResult walk(const SearchRequest& request) {
        const std::string current = generation();
        if (current.empty())
            throw QueryError("cursor paging needs an index that tells its commits apart (a database written by "
                             "another program, over a remote backend)");
        if (request.size == 0) throw QueryError("a cursor walk needs size of at least 1");
        const std::uint64_t fingerprint = walk_fingerprint(request);
        const Cursor& cursor = *request.cursor;
        if (!cursor.start()) {
            // No walk gets further than the records there are; a larger offset was not written here.
            if (cursor.offset > database.get_doccount()) throw QueryError("bad cursor: its offset is past the end of the index");
            if (cursor.fingerprint != fingerprint)
                throw QueryError("bad cursor: it belongs to another search (query, filters, sort or ranking differ); "
                                 "start again with cursor=*");
            if (cursor.generation != current)
                throw CursorExpired("cursor expired: the index changed since this walk began (a commit or a swap); "
                                    "start again with cursor=*");
        }
        bool more = false;
        SearchResult result = run(request, cursor.offset, true, &more);
        result.walking = true;
        if (more) result.next_cursor = format_cursor({current, cursor.offset + result.hits.size(), fingerprint});
        return result;
    }

    // `walking`: no max_result_window, and one hit more is asked for, so that `more` says whether
    // the page is the last without another search.
    // `page_limit` and `window_limit` are larger for an export (Searcher::matches).
    SearchResult run(const SearchRequest& request, std::size_t offset, bool walking, bool* more,
                     std::size_t page_limit = max_page_size, std::size_t window_limit = max_result_window) {
        const auto started = std::chrono::steady_clock::now();
        if (request.size > page_limit)
            throw QueryError("size " + std::to_string(request.size) + " is too large: at most " + std::to_string(page_limit));
        if (!walking && offset + request.size > window_limit)
            throw QueryError("offset + size must be at most " + std::to_string(window_limit) +
                             "; walk deeper with cursor=* (next_cursor)");
        if (request.facet_size > max_facet_size)
            throw QueryError("facet_size must be at most " + std::to_string(max_facet_size));

        SearchResult result;
        result.query = request.query;
        result.offset = offset;
        // A query is read like a title: LaTeX pasted with it (`$\alpha$-stable`) is converted as
        // the index was, so it finds what it looks like.
        const std::string text = scholarsearch::text::readable(normalize_query_text(request.query));
        const Xapian::Query filter = filters(request);
        // Identified records take ranks 1..n of the whole list, in every sort order; the rest of
        // the query ranks the other hits after them, without them.
        const Identified identified = identify(text, filter, collapsing(request));
        BuiltQuery built = builder.build(identified.rest, request.ranking);
        result.query_relaxed = built.relaxed;

        Xapian::Query query = built.query;
        // An empty query browses everything (with filters, facets, sorting); a query whose words
        // all vanished (`NOT`, `*`, `)))`) or were all identifiers matches nothing else.
        if (query.empty() && text.find_first_not_of(' ') == std::string::npos) query = Xapian::Query::MatchAll;
        if (!query.empty() && !identified.exclusions.empty())
            query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                                  Xapian::Query(Xapian::Query::OP_OR, identified.exclusions.begin(), identified.exclusions.end()));
        if (request.ranking.cited_by_prior > 0) {
            auto* prior = new Xapian::ValueWeightPostingSource(schema::slot(schema::Slot::cited_by_prior));
            query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                                  Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(prior->release()),
                                                request.ranking.cited_by_prior));
        }
        if (!filter.empty()) query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);

        Xapian::Enquire enquire(database);
        configure(enquire, request);

        std::vector<FacetCount> counts;
        for (Facet facet : request.facets) counts.emplace_back(facet, builtin_spies);
        const std::size_t first = identified.documents.size();
        const std::size_t shown_first = offset < first ? std::min(first - offset, request.size) : 0;
        const std::size_t rest_offset = offset > first ? offset - first : 0;
        const std::size_t rest_size = request.size - shown_first;
        // A walk asks for one hit more, so that `more` says whether the page is the last.
        const std::size_t asked = rest_size + (walking ? 1 : 0);
        // Facets count every match: checking at least as many as the database holds makes Xapian
        // run the whole match, which also makes the totals exact (docs/DECISIONS.md has the cost).
        auto search = [&](const Xapian::Query& ranked_query, std::size_t from, std::size_t count, bool counted) {
            const bool counting = counted && !counts.empty();
            const Xapian::doccount check_at_least =
                counting ? database.get_doccount() : static_cast<Xapian::doccount>(from + count);
            auto match = [&] {
                if (counting)
                    for (auto& facet_count : counts) facet_count.attach(enquire);
                // Facets count every match, and another order than relevance needs every
                // match's key: then every candidate is checked.
                const bool check_window_only = built.abstract_checks && !counting && request.sort == SortOrder::relevance &&
                                               checks_can_only_remove(ranked_query);
                Matches found = check_window_only
                                    ? checked_window(enquire, ranked_query, built, request.ranking.all_words_weight, from, count)
                                    : ranked(enquire, ranked_query, built.all_words, request.ranking.all_words_weight,
                                             request.sort, from, count, check_at_least);
                enquire.clear_matchspies();
                return found;
            };
            try {
                return match();
            } catch (const Xapian::UnimplementedError&) {
                // A remote backend runs no MatchSpy of ours: from now on this Searcher uses Xapian's own.
                enquire.clear_matchspies();
                if (!counting || builtin_spies) throw;
                builtin_spies = true;
                counts.clear();
                for (Facet facet : request.facets) counts.emplace_back(facet, true);
                return match();
            }
        };
        // Feedback needs the query's own top records first. That search is also the answer when
        // the query is not expanded after all (a pasted title), unless facets must be counted.
        std::optional<Matches> answered;
        if (request.ranking.feedback_documents > 0 && request.sort == SortOrder::relevance && !built.query.empty() &&
            built.verbose) {
            const std::size_t wanted = std::max<std::size_t>(request.ranking.feedback_documents, rest_offset + asked);
            Matches typed = search(query, 0, wanted, counts.empty());
            if (auto expanded = expanded_query(enquire, query, typed.window, request.ranking, built.words)) {
                query = *expanded;
            } else if (counts.empty()) {
                typed.window.erase(typed.window.begin(),
                                   typed.window.begin() + static_cast<std::ptrdiff_t>(std::min(rest_offset, typed.window.size())));
                if (typed.window.size() > asked) typed.window.resize(asked);
                answered = std::move(typed);
            }
        }
        const Matches matches = answered ? std::move(*answered) : search(query, rest_offset, asked, true);
        result.total_estimated = first + matches.estimated;
        result.total_lower_bound = first + matches.lower_bound;
        result.total_upper_bound = first + matches.upper_bound;
        if (more) *more = offset + shown_first < first || matches.window.size() > rest_size;
        if (!counts.empty()) {
            result.facets_counted = first + counts.front().records();
            result.facets_exact = matches.lower_bound == matches.upper_bound;
        }
        for (auto& count : counts) {
            for (const auto& document : identified.documents) count.add(document);
            result.facets[std::string(facet_name(count.facet))] = count.values(request.facet_size);
        }

        const HighlightTerms terms = request.highlight ? highlight_terms(builder.analyzer(), built.words) : HighlightTerms{};
        Xapian::doccount rank = static_cast<Xapian::doccount>(offset + 1);
        for (std::size_t i = offset; i < offset + shown_first; ++i, ++rank) {
            result.hits.push_back(make_hit(identified.documents[i], 0, rank, request, terms));
            result.hits.back().identified = true;
        }
        for (std::size_t i = 0; i < matches.window.size() && i < rest_size; ++i, ++rank)
            result.hits.push_back(make_hit(matches.window[i].document, matches.window[i].weight, rank, request, terms));
        result.size = result.hits.size();
        if (request.spelling) result.spelling_suggestion = spelling_for(built, text);
        // Nothing at all for the query as typed: answer the correction's hits, and say so. A walk
        // does the same on every page, so it walks the correction's hits throughout.
        if (result.spelling_suggestion && result.total_upper_bound == 0) {
            SearchRequest corrected = request;
            corrected.query = *result.spelling_suggestion;
            corrected.spelling = false;
            bool corrected_more = false;
            SearchResult answer = run(corrected, offset, walking, &corrected_more, page_limit, window_limit);
            if (answer.total_upper_bound > 0) {
                answer.query = request.query;
                answer.spelling_suggestion = result.spelling_suggestion;
                answer.corrected_query = result.spelling_suggestion;
                result = std::move(answer);
                if (more) *more = corrected_more;
            }
        }
        result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        return result;
    }

    // Every Xapian call of a public method runs in here, so no Xapian error leaves the Searcher.
    // A commit that overwrote the revision being read is retried on a reopened database, a
    // bounded number of times (a writer committing faster than one search runs must not keep a
    // thread forever); what the index itself failed at becomes IndexUnavailable and marks this
    // Searcher faulted, so refresh_if_changed() reopens the path rather than trust it again.
    // Reads one record's length (postlist table) and stored data (docdata table), a different
    // record at each call: Xapian keeps the blocks it read last in memory, so probing the same
    // record again would not notice a file damaged since; spreading the probes over the index
    // reaches blocks a truncation lost within a few refreshes. Throws what Xapian throws.
    void probe_records() {
        const Xapian::docid last = database.get_lastdocid();
        if (last == 0) return;
        probe_step = probe_step * 2654435761u + 1;   // a cheap pseudo-random walk over docids
        const Xapian::docid docid = 1 + static_cast<Xapian::docid>(probe_step % last);
        try {
            (void)database.get_doclength(docid);
            (void)database.get_document(docid).get_data();
        } catch (const Xapian::DocNotFoundError&) {
            // A deleted record's docid: nothing to read there.
        }
    }

    // Inside a catch: the Xapian error as ours; what the index itself failed at also marks this
    // Searcher faulted.
    [[noreturn]] void rethrow_index_error() {
        try {
            store::rethrow_xapian_error(path);
        } catch (const IndexUnavailable&) {
            faulted = true;
            throw;
        }
    }

    template <class Fn>
    auto retrying(Fn&& fn) {
        bool shards_left_out = false;
        for (int attempt = 1;; ++attempt) {
            try {
                try {
                    if (before_read_attempt) before_read_attempt();
                    return with_missing_shards(fn());
                } catch (const Xapian::DatabaseModifiedError&) {
                    if (attempt >= max_modified_attempts) throw;
                }
                reopen();
            } catch (const Xapian::NetworkError&) {
                // Once per request: a shard that answers a connection but fails every read (too
                // slow for shard_timeout, say) makes the request fail rather than loop.
                if (!opened.has_remote || shards_left_out) rethrow_index_error();
                shards_left_out = true;
                install(open_path());   // leaves out the shards that do not answer
            } catch (const Xapian::Error&) {
                rethrow_index_error();
            }
        }
    }
};

Searcher::Searcher(const std::string& index_path, const SearcherOptions& options)
    : impl_(std::make_unique<Impl>(index_path, options)) {}
Searcher::~Searcher() = default;

SearchResult Searcher::search(const SearchRequest& request) {
    if (!request.cursor) return impl_->retrying([&] { return impl_->run(request, request.offset, false, nullptr); });
    // The walk may have begun on a search thread that saw a commit before this one did: catch up
    // before telling the client its cursor expired.
    if (!request.cursor->start() && request.cursor->generation != impl_->generation()) refresh_if_changed();
    return impl_->retrying([&] { return impl_->walk(request); });
}

SearchResult Searcher::matches(const SearchRequest& request, std::size_t limit) {
    SearchRequest all = request;
    all.offset = 0;
    all.size = limit;
    all.load_records = false;
    all.highlight = false;
    all.facets.clear();
    return impl_->retrying([&] { return impl_->run(all, 0, false, nullptr, max_export_records, max_export_records); });
}

SearchResult Searcher::similar(const std::string& id, std::size_t size) {
    return impl_->retrying([&] {
        SearchResult result;
        Xapian::Database& database = impl_->database;
        Xapian::PostingIterator posting = database.postlist_begin(id_term(id));
        if (posting == database.postlist_end(id_term(id))) return result;
        Xapian::Enquire enquire(database);
        Xapian::RSet relevant;
        relevant.add_document(*posting);
        ContentTermDecider decider;
        Xapian::ESet expansion = enquire.get_eset(25, relevant, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        std::vector<Xapian::Query> terms;
        for (auto it = expansion.begin(); it != expansion.end(); ++it) terms.emplace_back(*it);
        if (terms.empty()) return result;
        Xapian::Query query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                            Xapian::Query(id_term(id)));
        enquire.set_query(query);
        enquire.set_collapse_key(schema::slot(schema::Slot::doi));
        Xapian::MSet mset = enquire.get_mset(0, std::min(size, max_page_size));
        result.query = "similar:" + id;
        result.total_estimated = mset.get_matches_estimated();
        result.total_lower_bound = mset.get_matches_lower_bound();
        result.total_upper_bound = mset.get_matches_upper_bound();
        Xapian::doccount rank = 1;
        for (auto it = mset.begin(); it != mset.end(); ++it, ++rank) result.hits.push_back(hit_from(database, it, rank));
        result.size = result.hits.size();
        return result;
    });
}

std::optional<std::vector<ReferenceLink>> Searcher::references(const std::string& id) {
    return impl_->retrying([&]() -> std::optional<std::vector<ReferenceLink>> {
        Xapian::Database& database = impl_->database;
        Xapian::PostingIterator posting = database.postlist_begin(id_term(id));
        if (posting == database.postlist_end(id_term(id))) return std::nullopt;
        return resolve_references(database, index::read_stored_record(database, database.get_document(*posting).get_data()));
    });
}

std::optional<SearchResult> Searcher::cited_by(const std::string& id, std::size_t offset, std::size_t size,
                                               SortOrder sort) {
    if (size > max_page_size) throw QueryError("size must be at most " + std::to_string(max_page_size));
    return impl_->retrying([&]() -> std::optional<SearchResult> {
        const auto started = std::chrono::steady_clock::now();
        Xapian::Database& database = impl_->database;
        Xapian::PostingIterator posting = database.postlist_begin(id_term(id));
        if (posting == database.postlist_end(id_term(id))) return std::nullopt;
        const Xapian::Document target = database.get_document(*posting);
        const graph::Work work = graph::work_from_value(target.get_value(schema::slot(schema::Slot::work)));
        std::vector<index::CitingDocument> citing = index::citing_documents(database, work, *posting);
        // Newest (or most cited) first; ties by id, so that pages never overlap.
        auto key = [&](const index::CitingDocument& c) {
            switch (sort) {
                case SortOrder::cited_by: return static_cast<double>(c.record.cited_by.value_or(0));
                case SortOrder::cited_by_in_collection: return static_cast<double>(index::stored_citation_count(c.document));
                default: return static_cast<double>(c.record.year.value_or(0));
            }
        };
        std::sort(citing.begin(), citing.end(), [&](const index::CitingDocument& a, const index::CitingDocument& b) {
            const double ka = key(a), kb = key(b);
            if (ka != kb) return sort == SortOrder::year_asc ? ka < kb : ka > kb;
            return a.record.id < b.record.id;
        });
        SearchResult result;
        result.query = "cited-by:" + id;
        result.total_estimated = result.total_lower_bound = result.total_upper_bound = citing.size();
        result.offset = offset;
        for (std::size_t i = offset; i < citing.size() && i < offset + size; ++i)
            result.hits.push_back(hit_from(citing[i].record, citing[i].document, 0, static_cast<Xapian::doccount>(i + 1)));
        result.size = result.hits.size();
        result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        return result;
    });
}

SearchResult Searcher::similar_by_references(const std::string& id, std::size_t size) {
    return impl_->retrying([&] {
        SearchResult result;
        result.query = "similar-by-references:" + id;
        Xapian::Database& database = impl_->database;
        Xapian::PostingIterator posting = database.postlist_begin(id_term(id));
        if (posting == database.postlist_end(id_term(id))) return result;
        const auto coupled =
            coupled_documents(database, index::read_stored_record(database, database.get_document(*posting).get_data()), *posting);
        result.total_estimated = result.total_lower_bound = result.total_upper_bound = coupled.size();
        for (std::size_t i = 0; i < coupled.size() && i < std::min(size, max_page_size); ++i)
            result.hits.push_back(hit_from(database, database.get_document(coupled[i].first),
                                           static_cast<double>(coupled[i].second), static_cast<Xapian::doccount>(i + 1)));
        result.size = result.hits.size();
        return result;
    });
}

std::optional<record::Record> Searcher::document(const std::string& id) {
    return impl_->retrying([&]() -> std::optional<record::Record> {
        Xapian::Database& database = impl_->database;
        Xapian::PostingIterator posting = database.postlist_begin(id_term(id));
        if (posting == database.postlist_end(id_term(id))) return std::nullopt;
        return index::read_stored_record(database, database.get_document(*posting).get_data());
    });
}

std::vector<std::string> Searcher::suggest(const std::string& text, std::size_t size) {
    return impl_->retrying([&] {
        std::vector<std::pair<Xapian::doccount, std::string>> candidates;
        const std::string folded = impl_->builder.analyzer().fold(text);
        if (folded.empty()) return std::vector<std::string>{};
        Xapian::Database& database = impl_->database;
        // Whole keywords and author names first (boolean terms), then single title words.
        for (std::string_view term_prefix : {prefix::keyword, prefix::author, prefix::title}) {
            const std::string start = std::string(term_prefix) + folded;
            for (auto it = database.allterms_begin(start); it != database.allterms_end(start); ++it) {
                candidates.emplace_back(it.get_termfreq(), (*it).substr(term_prefix.size()));
                if (candidates.size() > 2000) break;
            }
        }
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        std::vector<std::string> out;
        for (const auto& [frequency, value] : candidates) {
            if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
            if (out.size() >= size) break;
        }
        return out;
    });
}

void Searcher::refresh() {
    // Reopening the path (not Database::reopen) also follows a stub file repointed by rename(2).
    const std::string identity = store::path_identity(impl_->path);
    impl_->install(impl_->open_path());
    impl_->identity = identity;
}

bool Searcher::refresh_if_changed() {
    const std::string identity = store::path_identity(impl_->path);
    // Gone, or known bad: nothing left worth serving, whatever file descriptors still hold.
    if (identity.empty()) {
        impl_->faulted = true;
        throw IndexUnavailable("index " + impl_->path + " no longer exists");
    }
    if (impl_->faulted) {
        refresh();   // throws IndexUnavailable while the index stays damaged
        impl_->faulted = false;
        return true;
    }
    if (identity != impl_->identity) {
        try {
            refresh();
            return true;
        } catch (const IndexUnavailable&) {
            return false;   // a repointed stub whose build cannot be opened: the open build still answers
        }
    }
    if (!impl_->opened.missing.empty() &&
        std::chrono::steady_clock::now() - impl_->last_shard_retry >= impl_->options.shard_retry_interval) {
        refresh();   // the shards left out may answer again; throws IndexUnavailable if none does
        return true;
    }
    try {
        return impl_->reopen();
    } catch (const Xapian::NetworkError&) {
        if (!impl_->opened.has_remote) return false;
        refresh();   // a shard went away between requests: leave it out now
        return true;
    } catch (const Xapian::Error&) {
        // Not a verdict on the open database (out of file descriptors, say): it keeps serving
        // until a read from it fails (see retrying and info()'s probe).
        return false;
    }
}

// Reading metadata of a revision a writer has since overwritten twice throws
// DatabaseModifiedError, as a search would: reopen and read again like one. The metadata lives in
// the version file, which a damaged table does not touch, so one record and its stored data are
// read too, a different one each call (probe_records): /health and the search threads' refresh
// must see what a search would.
IndexInfo Searcher::info() {
    return impl_->retrying([&] {
        IndexInfo info;
        info.path = impl_->path;
        Xapian::Database& database = impl_->database;
        info.documents = database.get_doccount();
        info.analyzer_version = database.get_metadata(std::string(schema::analyzer_metadata_key));
        info.built_at = database.get_metadata(std::string(schema::built_at_metadata_key));
        try {
            info.revision = std::to_string(database.get_revision());
        } catch (const Xapian::InvalidOperationError&) {
            info.revision = "";   // a stub over several databases has no single revision
        } catch (const Xapian::UnimplementedError&) {
            info.revision = "";   // nor does a remote database
        }
        impl_->probe_records();
        info.generation = impl_->generation();
        info.spelling_available = impl_->spelling_available();
        if (impl_->opened.from_stub) {
            const store::OpenIndex& opened = impl_->opened;
            for (std::size_t i = 0; i < opened.parts.size(); ++i)
                info.shards.push_back({opened.part_names[i], true, opened.parts[i].get_doccount(), {}});
            for (const auto& missing : opened.missing) info.shards.push_back({missing.name, false, 0, missing.error});
        }
        return info;
    });
}

std::string Searcher::generation() { return impl_->generation(); }

std::map<std::string, std::uint64_t> Searcher::shard_errors() {
    std::lock_guard lock(Impl::shard_errors_mutex());
    return Impl::shard_error_counts();
}

}  // namespace scholarsearch::search
