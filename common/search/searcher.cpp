#include "search/searcher.hpp"

#include "index/database.hpp"
#include "record/error.hpp"
#include "record/record_json.hpp"
#include "schema/schema.hpp"
#include "search/query_builder.hpp"
#include "search/query_text.hpp"
#include "search/snippet.hpp"
#include "text/latex.hpp"

#include <xapian.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace scholarsearch::search {

namespace prefix = schema::prefix;

namespace {

// Counts the items of a multi-valued slot (U+001F-separated) over the matching documents.
class FacetSpy : public Xapian::MatchSpy {
public:
    FacetSpy(Xapian::valueno slot, bool year) : slot_(slot), year_(year) {}

    void operator()(const Xapian::Document& document, double) override {
        const std::string value = document.get_value(slot_);
        if (value.empty()) return;
        if (year_) {
            ++counts_[std::to_string(static_cast<int>(Xapian::sortable_unserialise(value)))];
            return;
        }
        std::size_t start = 0;
        while (start <= value.size()) {
            std::size_t end = value.find(schema::facet_separator, start);
            if (end == std::string::npos) end = value.size();
            if (end > start) ++counts_[value.substr(start, end - start)];
            start = end + 1;
        }
    }

    std::vector<FacetValue> top(std::size_t size) const {
        std::vector<FacetValue> out;
        for (const auto& [value, count] : counts_) out.push_back({value, count});
        std::sort(out.begin(), out.end(), [](const FacetValue& a, const FacetValue& b) {
            return a.count != b.count ? a.count > b.count : a.value < b.value;
        });
        if (out.size() > size) out.resize(size);
        return out;
    }

private:
    Xapian::valueno slot_;
    bool year_;
    std::unordered_map<std::string, std::size_t> counts_;
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

Hit hit_from(const Xapian::MSetIterator& item, Xapian::doccount rank) {
    return hit_from(record::from_stored_json(item.get_document().get_data()), item.get_weight(), rank);
}

std::string id_term(const std::string& id) {
    return std::string(prefix::unique_id) + id.substr(0, schema::max_boolean_term_bytes);
}

std::string doi_term(const std::string& doi) {
    return std::string(prefix::doi) + doi.substr(0, schema::max_boolean_term_bytes);
}

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

}  // namespace

// What the path points at: a symlink's target, a stub file's identity or a directory's inode.
// A nightly swap changes it with rename(2), which Database::reopen() would not notice.
std::string path_identity(const std::string& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return {};
    std::string identity = std::to_string(info.st_ino) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
                           std::to_string(info.st_mtim.tv_nsec) + ":" + std::to_string(info.st_size);
    if (S_ISLNK(info.st_mode)) {
        char target[4096];
        const ssize_t length = ::readlink(path.c_str(), target, sizeof target);
        if (length > 0) identity.append("->").append(target, static_cast<std::size_t>(length));
    }
    return identity;
}

struct Searcher::Impl {
    std::string path;
    std::string identity;
    Xapian::Database database;
    QueryBuilder builder;

    explicit Impl(const std::string& index_path)
        : path(index_path), identity(path_identity(index_path)), database(index::open_readable(index_path)) {
        builder.set_database(database);
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
            case SortOrder::relevance: enquire.set_sort_by_relevance(); break;
            case SortOrder::year_desc: enquire.set_sort_by_value_then_relevance(schema::slot(schema::Slot::year), true); break;
            case SortOrder::year_asc: enquire.set_sort_by_value_then_relevance(schema::slot(schema::Slot::year), false); break;
            case SortOrder::cited_by: enquire.set_sort_by_value_then_relevance(schema::slot(schema::Slot::cited_by), true); break;
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

    // Ranks `query` with the all-words bonus (BuiltQuery::all_words) as two searches that split
    // the matches: records with every word, scored query + bonus, and the others, scored by the
    // query alone. One AND_MAYBE(query, bonus) ranks the same, but the bonus raises the bound on
    // every record's weight, so Xapian can no longer skip postings of records that cannot reach
    // the top: 2.3x the plain query's time on short queries of the real corpus, against about
    // 1.2x for the two searches (docs/BENCHMARKS.md). Match spies on `enquire` see each match once.
    Matches ranked(Xapian::Enquire& enquire, const Xapian::Query& query, const Xapian::Query& all_words, double bonus,
                   SortOrder sort, bool collapse, std::size_t offset, std::size_t count, Xapian::doccount check_at_least) {
        Matches out;
        auto take_estimates = [&](const Xapian::MSet& mset) {
            out.estimated += mset.get_matches_estimated();
            out.lower_bound += mset.get_matches_lower_bound();
            out.upper_bound += mset.get_matches_upper_bound();
        };
        if (all_words.empty() || bonus <= 0 || sort != SortOrder::relevance || query.empty()) {
            enquire.set_query(query);
            const Xapian::MSet mset = enquire.get_mset(offset, count, check_at_least);
            take_estimates(mset);
            for (auto it = mset.begin(); it != mset.end(); ++it)
                out.window.push_back({*it, it.get_weight(), {}, it.get_document()});
            return out;
        }
        const Xapian::Query with_every(Xapian::Query::OP_AND, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, all_words, bonus),
                                       query);
        const Xapian::Query without_some(Xapian::Query::OP_AND_NOT, query, all_words);
        Xapian::doccount wanted = static_cast<Xapian::doccount>(offset + count);
        for (;;) {
            enquire.set_query(with_every);
            const Xapian::MSet every = enquire.get_mset(0, wanted, check_at_least);
            enquire.set_query(without_some);
            const Xapian::MSet some = enquire.get_mset(0, wanted, check_at_least);
            out = Matches{};
            // Each search collapsed its own duplicates (one hit per DOI); a DOI can still have a
            // record in each, and only the better one stays.
            std::vector<Match> merged;
            std::unordered_set<std::string> keys;
            Xapian::doccount dropped = 0;
            auto a = every.begin(), b = some.begin();
            while (a != every.end() || b != some.end()) {
                const bool from_every = b == some.end() ||
                                        (a != every.end() && (a.get_weight() != b.get_weight() ? a.get_weight() > b.get_weight() : *a < *b));
                auto& it = from_every ? a : b;
                Match match{*it, it.get_weight(), it.get_collapse_key(), it.get_document()};
                ++it;
                if (!match.collapse_key.empty() && !keys.insert(match.collapse_key).second) {
                    ++dropped;
                    continue;
                }
                merged.push_back(std::move(match));
            }
            if (dropped > 0 && merged.size() < wanted && (every.size() == wanted || some.size() == wanted)) {
                // Rare: fetch deeper so the window stays full. The spies have counted already.
                wanted += dropped;
                enquire.clear_matchspies();
                continue;
            }
            take_estimates(every);
            take_estimates(some);
            if (every.get_matches_upper_bound() == every.size() && some.get_matches_upper_bound() == some.size()) {
                out.estimated = out.lower_bound = out.upper_bound = static_cast<Xapian::doccount>(merged.size());
            } else {
                out.estimated -= std::min(out.estimated, dropped);
                // Unseen records may share a DOI across the two searches too.
                if (collapse) out.lower_bound = std::max(every.get_matches_lower_bound(), some.get_matches_lower_bound());
            }
            for (std::size_t i = offset; i < merged.size() && i < offset + count; ++i) out.window.push_back(std::move(merged[i]));
            return out;
        }
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
    // terms of the top documents, added at a lower weight. A query that is nearly the title of
    // the top record is a pasted title: that record is the answer, and expanding the query only
    // lets look-alikes overtake it (known-item MRR@10 of pasted titles 0.992 -> 0.987 without
    // this check, docs/RANKING.md).
    static constexpr double pasted_title_share = 0.75;
    Xapian::Query with_feedback(Xapian::Enquire& enquire, const Xapian::Query& query, const RankingOptions& r,
                                const std::vector<std::string>& words) {
        Xapian::MSet top = enquire.get_mset(0, r.feedback_documents);
        if (top.empty()) return query;
        const record::Record first = record::from_stored_json(top.begin().get_document().get_data());
        std::vector<std::string> title;
        for (const auto& word : builder.analyzer().query_words(first.title)) title.push_back(word.text);
        std::size_t content = 0, in_title = 0;
        for (const auto& word : words) {
            if (is_stop_word(word)) continue;
            ++content;
            if (std::find(title.begin(), title.end(), word) != title.end()) ++in_title;
        }
        if (content > 0 && static_cast<double>(in_title) >= pasted_title_share * static_cast<double>(content)) return query;
        Xapian::RSet relevant;
        for (auto it = top.begin(); it != top.end(); ++it) relevant.add_document(*it);
        ContentTermDecider decider;
        Xapian::ESet expansion = enquire.get_eset(r.feedback_terms, relevant, &decider);
        if (expansion.empty()) return query;
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
    // query words cost a termfreq.
    std::optional<std::string> correction_for(const std::string& word) {
        const Xapian::doccount known =
            std::max({database.get_termfreq(word), database.get_termfreq(std::string(prefix::author_words) + word),
                      database.get_termfreq(std::string(prefix::affiliation) + word)});
        if (known > 0 && known > std::max(typo_records_floor, database.get_doccount() / typo_records_divisor))
            return std::nullopt;
        // Two edits turn a four-letter word into almost any other.
        std::string suggestion = database.get_spelling_suggestion(word, word.size() <= 4 ? 1 : 2);
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

    Hit make_hit(const Xapian::Document& document, double weight, Xapian::doccount rank, const SearchRequest& request,
                 const HighlightTerms& terms) {
        if (!request.load_records) {
            Hit hit;
            hit.id = document.get_value(schema::slot(schema::Slot::id));
            hit.score = weight;
            hit.rank = rank;
            return hit;
        }
        const record::Record stored = record::from_stored_json(document.get_data());
        Hit hit = hit_from(stored, weight, rank);
        if (request.highlight) {
            // Highlighted over the text as indexed and shown: LaTeX converted (hit.title is too).
            hit.title_html = make_snippet(builder.analyzer(), hit.title, terms, 100000);
            std::string buffer;
            hit.snippet = make_snippet(builder.analyzer(), text::readable(stored.abstract.value_or(""), buffer), terms);
        }
        return hit;
    }

    SearchResult run(const SearchRequest& request, std::size_t page_limit = max_page_size,
                     std::size_t window_limit = max_result_window) {
        const auto started = std::chrono::steady_clock::now();
        if (request.size > page_limit)
            throw QueryError("size " + std::to_string(request.size) + " is too large: at most " + std::to_string(page_limit));
        if (request.offset + request.size > window_limit)
            throw QueryError("offset + size must be at most " + std::to_string(window_limit));

        SearchResult result;
        result.query = request.query;
        result.offset = request.offset;
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
        enquire.set_query(query);
        if (request.ranking.feedback_documents > 0 && request.sort == SortOrder::relevance && !built.query.empty() &&
            built.verbose) {
            query = with_feedback(enquire, query, request.ranking, built.words);
            enquire.set_query(query);
        }

        std::vector<std::pair<std::string, std::unique_ptr<FacetSpy>>> spies;
        if (request.facets) {
            spies.emplace_back("year", std::make_unique<FacetSpy>(schema::slot(schema::Slot::year), true));
            spies.emplace_back("keyword", std::make_unique<FacetSpy>(schema::slot(schema::Slot::keywords), false));
            spies.emplace_back("clc", std::make_unique<FacetSpy>(schema::slot(schema::Slot::clc), false));
            spies.emplace_back("venue", std::make_unique<FacetSpy>(schema::slot(schema::Slot::venue), false));
            for (auto& [name, spy] : spies) enquire.add_matchspy(spy.get());
        }
        const std::size_t first = identified.documents.size();
        const std::size_t shown_first = request.offset < first ? std::min(first - request.offset, request.size) : 0;
        const std::size_t rest_offset = request.offset > first ? request.offset - first : 0;
        const std::size_t rest_size = request.size - shown_first;
        // Facets count the first `facet_sample` matches; exact whenever total <= facet_sample.
        constexpr Xapian::doccount facet_sample = 10000;
        const Matches matches = ranked(enquire, query, built.all_words, request.ranking.all_words_weight, request.sort,
                                       collapsing(request), rest_offset, rest_size, request.facets ? facet_sample : rest_offset + rest_size);
        result.total_estimated = first + matches.estimated;
        result.total_lower_bound = first + matches.lower_bound;
        result.total_upper_bound = first + matches.upper_bound;
        for (auto& [name, spy] : spies) {
            for (const auto& document : identified.documents) (*spy)(document, 0);
            result.facets[name] = spy->top(request.facet_size);
        }
        enquire.clear_matchspies();

        const HighlightTerms terms = request.highlight ? highlight_terms(builder.analyzer(), built.words) : HighlightTerms{};
        Xapian::doccount rank = request.offset + 1;
        for (std::size_t i = request.offset; i < request.offset + shown_first; ++i, ++rank) {
            result.hits.push_back(make_hit(identified.documents[i], 0, rank, request, terms));
            result.hits.back().identified = true;
        }
        for (const auto& match : matches.window)
            result.hits.push_back(make_hit(match.document, match.weight, rank++, request, terms));
        result.size = result.hits.size();
        if (request.spelling) result.spelling_suggestion = spelling_for(built, text);
        // Nothing at all for the query as typed: answer the correction's hits, and say so.
        if (result.spelling_suggestion && result.total_upper_bound == 0) {
            SearchRequest corrected = request;
            corrected.query = *result.spelling_suggestion;
            corrected.spelling = false;
            SearchResult answer = run(corrected, page_limit, window_limit);
            if (answer.total_upper_bound > 0) {
                answer.query = request.query;
                answer.spelling_suggestion = result.spelling_suggestion;
                answer.corrected_query = result.spelling_suggestion;
                result = std::move(answer);
            }
        }
        result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        return result;
    }

    template <class Fn>
    auto retrying(Fn&& fn) {
        try {
            return fn();
        } catch (const Xapian::DatabaseModifiedError&) {
            database.reopen();
            return fn();
        } catch (const Xapian::WildcardError& error) {
            throw QueryError("a wildcard matches too many words (at most " + std::to_string(max_wildcard_expansion) +
                             "): use a longer prefix");
        }
    }
};

Searcher::Searcher(const std::string& index_path) : impl_(std::make_unique<Impl>(index_path)) {}
Searcher::~Searcher() = default;

SearchResult Searcher::search(const SearchRequest& request) {
    return impl_->retrying([&] { return impl_->run(request); });
}

SearchResult Searcher::matches(const SearchRequest& request, std::size_t limit) {
    SearchRequest all = request;
    all.offset = 0;
    all.size = limit;
    all.load_records = false;
    all.highlight = false;
    all.facets = false;
    return impl_->retrying([&] { return impl_->run(all, max_export_records, max_export_records); });
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
        Xapian::ESet expansion = enquire.get_eset(25, relevant, &decider);
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
        for (auto it = mset.begin(); it != mset.end(); ++it, ++rank) result.hits.push_back(hit_from(it, rank));
        result.size = result.hits.size();
        return result;
    });
}

std::optional<record::Record> Searcher::document(const std::string& id) {
    return impl_->retrying([&]() -> std::optional<record::Record> {
        Xapian::Database& database = impl_->database;
        Xapian::PostingIterator posting = database.postlist_begin(id_term(id));
        if (posting == database.postlist_end(id_term(id))) return std::nullopt;
        return record::from_stored_json(database.get_document(*posting).get_data());
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
    const std::string identity = path_identity(impl_->path);
    Xapian::Database fresh = index::open_readable(impl_->path);
    impl_->database = fresh;
    impl_->identity = identity;
    impl_->builder.set_database(fresh);
}

bool Searcher::refresh_if_changed() {
    try {
        if (path_identity(impl_->path) != impl_->identity) {
            refresh();
            return true;
        }
        return impl_->database.reopen();
    } catch (const std::exception&) {
        return false;
    } catch (const Xapian::Error&) {
        return false;
    }
}

IndexInfo Searcher::info() {
    IndexInfo info;
    info.path = impl_->path;
    info.documents = impl_->database.get_doccount();
    info.analyzer_version = impl_->database.get_metadata(std::string(schema::analyzer_metadata_key));
    info.built_at = impl_->database.get_metadata(std::string(schema::built_at_metadata_key));
    try {
        info.revision = std::to_string(impl_->database.get_revision());
    } catch (const Xapian::Error&) {
        info.revision = "";
    }
    info.generation = generation();
    return info;
}

std::string Searcher::generation() {
    try {
        return impl_->database.get_uuid() + ":" + std::to_string(impl_->database.get_revision());
    } catch (const Xapian::Error&) {
        return {};   // a stub over several databases has no single revision
    }
}

}  // namespace scholarsearch::search
