#pragma once
/**
 * What scholarsearch-query does once its options are read, so that its main() only reads them:
 * a search printed for a person or as the HTTP server's JSON, records written in an export
 * format, one stored record, or a batch run. Each writes to stdout/stderr as the command line
 * promises and returns the exit status (0 ok, 1 a bad query or an unknown id); errors that stop
 * it (an index that cannot be read, a file that cannot be written) are thrown.
 */
#include "export/writers.hpp"
#include "search/batch_runner.hpp"
#include "search/search_types.hpp"

#include <optional>
#include <string>

namespace scholarsearch::search {

struct QueryOutput {
    std::string document_id;                   ///< --doc: this stored record only
    std::string similar_id;                    ///< --similar: records like this one
    std::string references_id;                 ///< --references: this record's references, resolved
    std::string cited_by_id;                   ///< --cited-by: the records citing this one (sort, offset, size)
    std::optional<exporting::Format> format;   ///< --format: records, not a result list
    std::size_t export_limit = default_export_records;   ///< --limit: records a query's export writes at most
    bool as_json = false;                      ///< --json: the HTTP server's document
};

int run_query_command(const std::string& db, const SearchRequest& request, const QueryOutput& output,
                      const SearcherOptions& searcher_options = {});

/// --batch: the queries of `queries_path`, a TREC run to `run_path` (if not empty), a summary
/// line on stderr; 1 if some query was refused as bad.
int run_batch_command(const std::string& db, const std::string& queries_path, const std::string& run_path,
                      const BatchOptions& options, const SearchRequest& request,
                      const SearcherOptions& searcher_options = {});

}  // namespace scholarsearch::search
