// scholarsearch-query: the search API from the command line. A readable ranked list by default,
// --json for the document the HTTP server returns, --format for the records as RIS, BibTeX,
// CSL-JSON or JSON Lines (as GET /export), --batch for TREC runs and latency figures.
// Exit status: 0 ok, 1 bad query, 2 could not run (index missing, bad options).
#include "record/error.hpp"
#include "search/query_commands.hpp"
#include "search/request_params.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

namespace {

using namespace scholarsearch;

// `--facets year,venue` as well as `--facets=year,venue`: the word after a bare --facets is its
// list only when it names facets and nothing else, so `--facets social media` still searches
// "social media" with the default facets.
std::vector<std::string> joined_facet_lists(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    for (std::size_t i = 1; i + 1 < args.size(); ++i)
        if (args[i] == "--facets" && search::is_facet_list(args[i + 1])) {
            args[i] += "=" + args[i + 1];
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        }
    return args;
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"scholarsearch-query: search a scholarsearch index.\n"
                 "Query language: words, \"phrases\", AND OR NOT, ( ), +word -word, NEAR, word*, fields\n"
                 "title: author: keyword: abstract: affiliation: doi: clc: venue: year:2010..2012 (and 标题: 作者: ...).\n"
                 "Exit status: 0 ok, 1 bad query, 2 could not run."};
    std::string db, format_name, facets, cursor;
    search::QueryOutput output;
    search::RequestParameters parameters;
    parameters.sort = "relevance";
    std::vector<std::string> words;
    search::SearchRequest request;
    bool no_highlight = false;
    search::BatchOptions batch;
    std::string batch_path, run_path;
    std::size_t page = 0;
    app.add_option("--db", db, "Index directory or stub file")->required();
    search::SearcherOptions searcher;
    app.add_option("--spelling-db", searcher.spelling_path, "Local spelling database for a stub of remote shards");
    app.add_option("query", words, "Query words (joined by spaces)");
    app.add_flag("--json", output.as_json, "Print the result as JSON (the HTTP server's document)");
    app.add_option("-n,--size", request.size, "Hits per page")->capture_default_str();
    app.add_option("--offset", request.offset, "Hits to skip")->capture_default_str();
    app.add_option("--page", page, "Page number from 1 (sets --offset)");
    app.add_option("--sort", parameters.sort, "relevance | year | year-asc | cited-by | cited-by-in-collection")->capture_default_str();
    app.add_option("--year", parameters.year, "Year or range: 2012, 2010..2012, 2010.., ..2012");
    app.add_option("--author", parameters.authors, "Only records with this author name (exact, repeatable: any)");
    app.add_option("--keyword", parameters.keywords, "Only records with this keyword (exact, repeatable: all)");
    app.add_option("--clc", parameters.clc, "Only records with a CLC code starting with this (repeatable: any)");
    app.add_option("--venue", parameters.venues, "Only records from this venue (exact, repeatable: any)");
    app.add_flag("--facets{true}", facets,
                 "Count these facets over every match: --facets year,venue (year venue keyword author clc); "
                 "alone: all of them");
    app.add_option("--facet-size", request.facet_size, "Values per facet, most frequent first (the year facet has every year)")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t(1), search::max_facet_size));
    app.add_option("--cursor", cursor,
                   "Walk every hit: '*' for the first page, then the printed next cursor (replaces --offset/--page)");
    app.add_flag("--no-highlight", no_highlight, "No snippets");
    app.add_option("--similar", output.similar_id, "Records like the record with this id");
    app.add_option("--references", output.references_id,
                   "The references of the record with this id, each with the record of the index it cites (docs/GRAPH.md)");
    app.add_option("--cited-by", output.cited_by_id,
                   "The records of the index that cite the record with this id (--sort year, year-asc, cited-by or cited-by-in-collection; --size, --offset)");
    app.add_option("--doc", output.document_id, "Print the stored record with this id");
    app.add_option("--format", format_name,
                   "Write records instead of a result list: ris | bibtex | csljson | jsonl. Every match of the query "
                   "(up to --limit, from the first; as GET /export), the record of --doc, or the records of --similar")
        ->excludes("--json");
    app.add_option("--limit", output.export_limit, "Records --format writes for a query at most")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t(1), search::max_export_records));
    auto* ranking = app.add_option_group("Ranking");
    ranking->add_option("--k1", request.ranking.bm25_k1, "BM25 k1")->capture_default_str();
    ranking->add_option("--b", request.ranking.bm25_b, "BM25 b")->capture_default_str();
    ranking->add_option("--author-weight", request.ranking.author_weight, "Free-text weight of author names")->capture_default_str();
    ranking->add_option("--affiliation-weight", request.ranking.affiliation_weight, "Free-text weight of affiliations")->capture_default_str();
    ranking->add_option("--all-words", request.ranking.all_words_weight, "Bonus for records with every plain query word (0 = off)")->capture_default_str();
    ranking->add_option("--prior", request.ranking.cited_by_prior, "Weight of the cited-by prior (0 = off)")->capture_default_str();
    ranking->add_option("--feedback", request.ranking.feedback_documents, "Pseudo-relevance feedback documents, for queries of more than six plain words (0 = off)")->capture_default_str();
    ranking->add_option("--feedback-terms", request.ranking.feedback_terms, "Expansion terms")->capture_default_str();
    ranking->add_option("--feedback-weight", request.ranking.feedback_weight, "Expansion weight")->capture_default_str();
    auto* batch_group = app.add_option_group("Batch");
    batch_group->add_option("--batch", batch_path, "Run every query of a TSV file (qid<TAB>text)");
    batch_group->add_option("--run", run_path, "Write a TREC run file (qid Q0 docid rank score tag)");
    batch_group->add_option("--hits", batch.hits, "Hits per query in batch mode (at most 10000)")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t(1), search::max_result_window));
    batch_group->add_option("--tag", batch.tag, "Run tag")->capture_default_str();
    batch_group->add_option("--threads", batch.threads, "Search threads in batch mode")->capture_default_str();
    batch_group->add_option("--repeat", batch.repeat, "Run the query set this many times (latency figures)")->capture_default_str();
    batch_group->add_flag("--full-hits", batch.full_hits, "Decode records and make snippets as the HTTP server does (benchmarks)");
    try {
        std::vector<std::string> args = joined_facet_lists(argc, argv);
        std::reverse(args.begin(), args.end());
        args.pop_back();   // the program name
        app.parse(args);
    } catch (const CLI::ParseError& error) {
        // --help and --version exit 0; every usage error is "could not run".
        return app.exit(error) == 0 ? 0 : 2;
    }

    for (const auto& word : words) parameters.query += (parameters.query.empty() ? "" : " ") + word;
    if (!facets.empty()) parameters.facets = facets;
    if (!cursor.empty()) {
        if (page > 0 || request.offset > 0) throw CLI::ValidationError("--cursor", "replaces --offset and --page: give only the cursor");
        parameters.cursor = cursor;
    }
    try {
        search::apply_parameters(parameters, request);
    } catch (const QueryError& error) {
        throw CLI::ValidationError(error.what());   // a bad option is a usage error (exit 2), not a bad query
    }
    if (page > 0) request.offset = (page - 1) * request.size;
    request.highlight = !no_highlight;

    if (!format_name.empty() && format_name != "json") {
        output.format = exporting::format_named(format_name);
        if (!output.format)
            throw CLI::ValidationError("--format", "expected one of " + std::string(exporting::format_names));
    }

    if (!batch_path.empty()) return search::run_batch_command(db, batch_path, run_path, batch, request, searcher);
    return search::run_query_command(db, request, output, searcher);
} catch (const scholarsearch::QueryError& error) {
    std::cerr << "scholarsearch-query: bad query: " << error.what() << '\n';
    return 1;
} catch (const std::exception& error) {
    std::cerr << "scholarsearch-query: error: " << error.what() << '\n';
    return 2;
} catch (...) {
    // The library translates Xapian's errors; this keeps any other from ending in terminate().
    std::cerr << "scholarsearch-query: error: unexpected failure\n";
    return 2;
}
