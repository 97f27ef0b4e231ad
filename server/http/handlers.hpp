#pragma once
/**
 * Routing and the endpoint handlers: plain functions from a request (and a Searcher) to a
 * response. No Asio here, so they can be called directly; the connection code owns the network.
 *
 *   GET /                 the search page
 *   GET /search           ranked hits (the JSON of `scholarsearch-query --json`)
 *   GET /doc/{id}         one stored record (?format= ris, bibtex, csljson, jsonl)
 *   GET /export           every match of a query as RIS, BibTeX, CSL-JSON or JSON Lines
 *   GET /similar/{id}     records like it
 *   GET /suggest?q=       prefix completion for search-as-you-type
 *   GET /health           200 {documents, revision} or 503
 *   GET /metrics          Prometheus text
 *   GET /openapi.json     the OpenAPI 3.1 description of all of these (server/http/openapi.json)
 */
#include "http/query_params.hpp"
#include "export/writers.hpp"
#include "http/result_cache.hpp"
#include "search/searcher.hpp"

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <variant>
#include <vector>

namespace scholarsearch::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

struct HandlerConfig {
    std::string cors_origin;              ///< Access-Control-Allow-Origin value; empty = none
    std::size_t max_target_bytes = 8192;  ///< longest request target accepted
};

enum class Route { page, openapi, search, document, references, cited_by, similar, suggest, health, metrics, exporting };

struct Routed {
    Route route;
    std::string endpoint;   ///< label for metrics: "search", "doc", ...
    Target target;
    std::string id;         ///< for /doc/{id} and /similar/{id}
};

/**
 * Decides what a request asks for. Returns a finished error response instead (404, 405, 400,
 * 414) in `error` when it cannot be served.
 */
std::optional<Routed> route(const Request& request, const HandlerConfig& config, Response& error);

/// Runs a searcher route. `searcher` null means the index cannot be opened: 503 with `open_error`.
/// /search answers go through `cache` (header X-Cache: hit or miss while it is enabled).
Response handle(const Routed& routed, const Request& request, search::Searcher* searcher,
                const std::string& open_error, ResultCache& cache, const HandlerConfig& config);

/// The cached answer to a /search request under index `generation`, if there is one; for the
/// network thread, so that a cached answer never waits behind searches in the queue.
std::optional<Response> cached_search(const Routed& routed, const Request& request, ResultCache& cache,
                                      const std::string& generation, const HandlerConfig& config);

/**
 * A GET /export answer, streamed: the search thread finds the matches' ids once (plan_export),
 * then the connection asks the search pool for the records a batch at a time (export_batch) and
 * writes each batch as one HTTP chunk once the client has taken the previous one. So an export of
 * 100000 records never sits in memory whole, and a slow client holds no search thread.
 */
struct ExportPlan {
    exporting::Format format = exporting::Format::jsonl;
    std::vector<std::string> ids;
    beast_http::response<beast_http::empty_body> head;   ///< 200 and its headers
};

/// Records per batch of an export: a few milliseconds of a search thread.
inline constexpr std::size_t export_batch_records = 250;

/// Runs the query of an /export request: the plan, or the error response to send instead (400
/// for bad parameters, 503 when the index cannot be opened).
std::variant<Response, ExportPlan> plan_export(const Routed& routed, const Request& request, search::Searcher* searcher,
                                               const std::string& open_error, const HandlerConfig& config);

/// Appends the records ids[from, to) to `out` through `writer`; a record deleted since the plan
/// was made is left out. Throws what the searcher throws when the index fails.
void export_batch(const std::vector<std::string>& ids, std::size_t from, std::size_t to, search::Searcher& searcher,
                  exporting::Writer& writer, std::string& out);

/// The search page (HTML, no external resources).
Response page(const Request& request, const HandlerConfig& config);

/// The OpenAPI document (server/http/openapi.json).
Response openapi(const Request& request, const HandlerConfig& config);

/// A JSON error body {"error": ..., "detail": ...} with the given status.
Response error_response(beast_http::status status, const std::string& error, const std::string& detail,
                        const Request& request, const HandlerConfig& config);

/// A JSON body with the usual headers (content type, CORS, keep-alive as the request asked).
Response json_response(beast_http::status status, std::string body, const Request& request, const HandlerConfig& config);

}  // namespace scholarsearch::http
