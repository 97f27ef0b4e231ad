#pragma once
/**
 * Batch runs: every query of a TSV file (qid<TAB>text) through the search API, as TREC run lines
 * (qid Q0 docid rank score tag) for evaluation and as latency figures for benchmarks. One
 * Searcher per thread; the query set may be repeated for steadier latencies (the run holds the
 * first pass only).
 */
#include "search/search_types.hpp"
#include "search/searcher.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace scholarsearch::search {

struct BatchQuery {
    std::string id, text;
};

/// The queries of a TSV file: lines without a tab are skipped, a CR before the newline dropped.
/// Throws Error if the file cannot be read.
std::vector<BatchQuery> read_batch_queries(const std::string& path);

struct BatchOptions {
    std::string tag = "scholarsearch";   ///< the run tag, last column of each run line
    std::size_t hits = 100;              ///< per query, paged at the API's maximum page size
    unsigned threads = 1;
    unsigned repeat = 1;
    bool full_hits = false;   ///< decode records and make snippets, as the HTTP server does
};

struct BatchReport {
    std::string run;                  ///< TREC run lines, in the order of the queries
    std::vector<double> latencies_ms; ///< one per query run, sorted
    std::vector<std::string> errors;  ///< "query QID: message" for each query refused as bad
    double seconds = 0;               ///< wall time of the whole batch

    double percentile_ms(double p) const;
    double queries_per_second() const;
};

/// Runs `queries` against the index at `db`, each as `base` with its text. Bad queries count as
/// errors (no run lines); an index that cannot be read throws as Searcher does.
BatchReport run_batch(const std::string& db, const std::vector<BatchQuery>& queries, const BatchOptions& options,
                      const SearchRequest& base, const SearcherOptions& searcher_options = {});

}  // namespace scholarsearch::search
