#include "search/searcher.hpp"

#include "index/database.hpp"
#include "record/error.hpp"
#include "record/record_json.hpp"
#include "schema/schema.hpp"
#include "search/query_builder.hpp"
#include "search/snippet.hpp"

#include <xapian.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>

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

Hit hit_from(const Xapian::MSetIterator& item, Xapian::doccount rank, const record::Record& stored) {
    Hit hit;
    hit.id = stored.id.value_or("");
    hit.doi = stored.doi;
    hit.title = stored.title;
    for (const auto& author : stored.authors) hit.authors.push_back(author.name);
    hit.year = stored.year;
    hit.venue = stored.venue;
    hit.cited_by = stored.cited_by;
    hit.keywords = stored.keywords;
    hit.score = item.get_weight();
    hit.rank = rank;
    return hit;
}

Hit hit_from(const Xapian::MSetIterator& item, Xapian::doccount rank) {
    return hit_from(item, rank, record::from_stored_json(item.get_document().get_data()));
}

std::string id_term(const std::string& id) {
    return std::string(prefix::unique_id) + id.substr(0, schema::max_boolean_term_bytes);
}

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
        // Collapsing makes totals estimates; skip it where no record has a DOI.
        if (request.collapse_duplicates && database.get_value_freq(schema::slot(schema::Slot::doi)) > 0)
            enquire.set_collapse_key(schema::slot(schema::Slot::doi));
    }

    // Pseudo-relevance feedback: the best terms of the top documents, added at a lower weight.
    Xapian::Query with_feedback(Xapian::Enquire& enquire, const Xapian::Query& query, const RankingOptions& r) {
        Xapian::MSet top = enquire.get_mset(0, r.feedback_documents);
        if (top.empty()) return query;
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

    std::optional<std::string> spelling_for(const std::vector<std::string>& words) {
        bool changed = false;
        std::string corrected;
        for (const auto& word : words) {
            std::string replacement = word;
            if (!word.empty() && static_cast<unsigned char>(word[0]) < 0x80 && !database.term_exists(word)) {
                std::string suggestion = database.get_spelling_suggestion(word, 2);
                if (!suggestion.empty()) {
                    replacement = suggestion;
                    changed = true;
                }
            }
            if (!corrected.empty()) corrected += ' ';
            corrected += replacement;
        }
        if (!changed) return std::nullopt;
        return corrected;
    }

    SearchResult run(const SearchRequest& request) {
        const auto started = std::chrono::steady_clock::now();
        if (request.size > max_page_size)
            throw QueryError("size " + std::to_string(request.size) + " is too large: at most " + std::to_string(max_page_size));
        if (request.offset + request.size > max_result_window)
            throw QueryError("offset + size must be at most " + std::to_string(max_result_window));

        SearchResult result;
        result.query = request.query;
        result.offset = request.offset;
        BuiltQuery built = builder.build(request.query, request.ranking);
        result.query_relaxed = built.relaxed;

        Xapian::Query query = built.query;
        // An empty query browses everything (with filters, facets, sorting); a query whose words
        // all vanished (`NOT`, `*`, `)))`) matches nothing rather than everything.
        if (query.empty() && request.query.find_first_not_of(" \t\r\n") == std::string::npos)
            query = Xapian::Query::MatchAll;
        if (request.ranking.cited_by_prior > 0) {
            auto* prior = new Xapian::ValueWeightPostingSource(schema::slot(schema::Slot::cited_by_prior));
            query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                                  Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(prior->release()),
                                                request.ranking.cited_by_prior));
        }
        Xapian::Query filter = filters(request);
        if (!filter.empty()) query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);

        Xapian::Enquire enquire(database);
        configure(enquire, request);
        enquire.set_query(query);
        if (request.ranking.feedback_documents > 0 && request.sort == SortOrder::relevance && !built.query.empty()) {
            query = with_feedback(enquire, query, request.ranking);
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
        // Facets count the first `facet_sample` matches; exact whenever total <= facet_sample.
        constexpr Xapian::doccount facet_sample = 10000;
        Xapian::MSet mset = enquire.get_mset(request.offset, request.size,
                                             request.facets ? facet_sample : request.offset + request.size);
        result.total_estimated = mset.get_matches_estimated();
        result.total_lower_bound = mset.get_matches_lower_bound();
        result.total_upper_bound = mset.get_matches_upper_bound();
        for (auto& [name, spy] : spies) result.facets[name] = spy->top(request.facet_size);
        enquire.clear_matchspies();

        const HighlightTerms terms = request.highlight ? highlight_terms(builder.analyzer(), built.words) : HighlightTerms{};
        Xapian::doccount rank = request.offset + 1;
        for (auto it = mset.begin(); it != mset.end(); ++it, ++rank) {
            if (!request.load_records) {
                Hit hit;
                hit.id = it.get_document().get_value(schema::slot(schema::Slot::id));
                hit.score = it.get_weight();
                hit.rank = rank;
                result.hits.push_back(std::move(hit));
                continue;
            }
            const record::Record stored = record::from_stored_json(it.get_document().get_data());
            Hit hit = hit_from(it, rank, stored);
            if (request.highlight) {
                hit.title_html = make_snippet(builder.analyzer(), stored.title, terms, 100000);
                hit.snippet = make_snippet(builder.analyzer(), stored.abstract.value_or(""), terms);
            }
            result.hits.push_back(std::move(hit));
        }
        result.size = result.hits.size();
        if (request.spelling && result.total_estimated < 5) result.spelling_suggestion = spelling_for(built.words);
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
