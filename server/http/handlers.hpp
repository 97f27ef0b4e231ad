#pragma once
/**
 * Routing and the endpoint handlers: plain functions from a request (and a Searcher) to a
 * response. No Asio here, so they can be called directly; the connection code owns the network.
 *
 *   GET /                 the search page
 *   GET /search           ranked hits (the JSON of `scholarsearch-query --json`)
 *   GET /doc/{id}         one stored record
 *   GET /similar/{id}     records like it
 *   GET /suggest?q=       prefix completion for search-as-you-type
 *   GET /health           200 {documents, revision} or 503
 *   GET /metrics          Prometheus text
 */
#include "http/query_params.hpp"
#include "http/result_cache.hpp"
#include "search/searcher.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

namespace scholarsearch::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

struct HandlerConfig {
    std::string cors_origin;              ///< Access-Control-Allow-Origin value; empty = none
    std::size_t max_target_bytes = 8192;  ///< longest request target accepted
};

enum class Route { page, search, document, similar, suggest, health, metrics };

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

/// The search page (HTML, no external resources).
Response page(const Request& request, const HandlerConfig& config);

/// A JSON error body {"error": ..., "detail": ...} with the given status.
Response error_response(beast_http::status status, const std::string& error, const std::string& detail,
                        const Request& request, const HandlerConfig& config);

/// A JSON body with the usual headers (content type, CORS, keep-alive as the request asked).
Response json_response(beast_http::status status, std::string body, const Request& request, const HandlerConfig& config);

}  // namespace scholarsearch::http
