#include "search/query_commands.hpp"

#include "record/error.hpp"
#include "record/record_json.hpp"
#include "search/result_json.hpp"
#include "search/result_text.hpp"
#include "search/searcher.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

namespace scholarsearch::search {

namespace {

/// Writes the records of `ids` in `format` to stdout, reading them by id as /export does.
void write_records(Searcher& searcher, const std::vector<std::string>& ids, exporting::Format format) {
    exporting::Writer writer(format);
    std::string out;
    for (const auto& id : ids) {
        if (auto record = searcher.document(id)) writer.add(*record, out);
        if (out.size() > (1u << 20)) {
            std::cout << out;
            out.clear();
        }
    }
    writer.finish(out);
    std::cout << out << std::flush;
}

int no_record(const std::string& id) {
    std::cerr << "scholarsearch-query: no record with id \"" << id << "\"\n";
    return 1;
}

void print_result(const SearchResult& result, bool as_json) {
    if (as_json) std::cout << serialize(result) << '\n';
    else std::cout << readable_text(result, isatty(STDOUT_FILENO));
}

int print_references(Searcher& searcher, const std::string& id, bool as_json) {
    const auto links = searcher.references(id);
    if (!links) return no_record(id);
    if (as_json) {
        std::cout << serialize(to_json(id, *links)) << '\n';
        return 0;
    }
    for (const auto& link : *links)
        std::cout << '[' << link.reference.n << "] " << link.reference.text << "\n    -> "
                  << (link.id ? *link.id + "  " + link.title.value_or("") + "  (" + link.rule.value_or("") + ")"
                              : std::string("not in the index"))
                  << '\n';
    return 0;
}

}  // namespace

int run_query_command(const std::string& db, const SearchRequest& request, const QueryOutput& output,
                      const SearcherOptions& searcher_options) {
    Searcher searcher(db, searcher_options);
    if (!output.document_id.empty()) {
        auto record = searcher.document(output.document_id);
        if (!record) return no_record(output.document_id);
        if (output.format) std::cout << exporting::write_one(*output.format, *record);
        else std::cout << record::to_stored_json(*record) << '\n';
        return 0;
    }
    if (!output.references_id.empty()) return print_references(searcher, output.references_id, output.as_json);
    if (!output.cited_by_id.empty()) {
        const auto citing = searcher.cited_by(output.cited_by_id, request.offset, request.size, request.sort);
        if (!citing) return no_record(output.cited_by_id);
        print_result(*citing, output.as_json);
        return 0;
    }
    const bool similar = !output.similar_id.empty();
    if (output.format) {
        const SearchResult matches =
            similar ? searcher.similar(output.similar_id, request.size) : searcher.matches(request, output.export_limit);
        std::vector<std::string> ids;
        for (const auto& hit : matches.hits) ids.push_back(hit.id);
        write_records(searcher, ids, *output.format);
        return 0;
    }
    const SearchResult result = similar ? searcher.similar(output.similar_id, request.size) : searcher.search(request);
    print_result(result, output.as_json);
    return 0;
}

int run_batch_command(const std::string& db, const std::string& queries_path, const std::string& run_path,
                      const BatchOptions& options, const SearchRequest& request,
                      const SearcherOptions& searcher_options) {
    const BatchReport report = run_batch(db, read_batch_queries(queries_path), options, request, searcher_options);
    for (const auto& error : report.errors) std::cerr << error << '\n';
    if (!run_path.empty() && !(std::ofstream(run_path) << report.run)) throw Error("cannot write " + run_path);
    std::fprintf(stderr, "queries=%zu threads=%u p50_ms=%.3f p99_ms=%.3f qps=%.1f failures=%zu\n",
                 report.latencies_ms.size(), options.threads, report.percentile_ms(0.5), report.percentile_ms(0.99),
                 report.queries_per_second(), report.errors.size());
    return report.errors.empty() ? 0 : 1;
}

}  // namespace scholarsearch::search
