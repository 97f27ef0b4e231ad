#include "http/handlers.hpp"

#include "http/openapi.hpp"
#include "http/page.hpp"
#include "record/error.hpp"
#include "record/record_json.hpp"
#include "search/request_params.hpp"
#include "search/result_json.hpp"
#include "text/utf8.hpp"

#include <boost/beast/version.hpp>
#include <boost/json.hpp>

#include <limits>

namespace scholarsearch::http {

namespace json = boost::json;

namespace {

Response base_response(beast_http::status status, const Request& request, const HandlerConfig& config,
                       std::string_view content_type) {
    Response response{status, request.version()};
    response.set(beast_http::field::server, "scholarsearch");
    response.set(beast_http::field::content_type, content_type);
    response.set(beast_http::field::cache_control, "no-store");
    response.set("X-Content-Type-Options", "nosniff");
    if (!config.cors_origin.empty()) response.set(beast_http::field::access_control_allow_origin, config.cors_origin);
    response.keep_alive(request.keep_alive());
    return response;
}

// Parameters the CLI takes too are read by common/search/request_params; their QueryError is a
// bad parameter here.
template <class Fn>
auto shared_parameter(Fn&& parse) {
    try {
        return parse();
    } catch (const QueryError& error) {
        throw BadRequest("bad parameter", error.what());
    }
}

// What /search and /export share: the query, its filters and the sort order.
search::RequestParameters filter_parameters(const Target& target) {
    search::RequestParameters parameters;
    parameters.query = target.get("q").value_or("");
    if (parameters.query.size() > search::max_query_bytes)
        throw BadRequest("query too long", "q has " + std::to_string(parameters.query.size()) + " bytes, at most " +
                                               std::to_string(search::max_query_bytes));
    parameters.sort = target.get("sort").value_or("");
    parameters.year = target.get("year").value_or("");
    parameters.authors = target.all("author");
    parameters.keywords = target.all("keyword");
    parameters.clc = target.all("clc");
    parameters.venues = target.all("venue");
    return parameters;
}

search::SearchRequest request_with(const search::RequestParameters& parameters) {
    search::SearchRequest request;
    shared_parameter([&] { search::apply_parameters(parameters, request); });
    return request;
}

search::SearchRequest filtered_request(const Target& target) { return request_with(filter_parameters(target)); }

search::SearchRequest search_request(const Target& target) {
    search::RequestParameters parameters = filter_parameters(target);
    if (target.has("offset") && target.has("page")) throw BadRequest("bad parameter", "give page or offset, not both");
    if (target.has("cursor")) {
        if (target.has("offset") || target.has("page"))
            throw BadRequest("bad parameter", "cursor replaces page and offset: give only the cursor");
        parameters.cursor = target.get("cursor");
    }
    if (target.has("facets")) {
        // Repeated like the filters (facets=year&facets=venue) or comma-separated; `facets=` alone
        // is the default set, as a bare --facets is.
        std::string list;
        for (const auto& value : target.all("facets")) list += (list.empty() ? "" : ",") + value;
        parameters.facets = list;
    }
    search::SearchRequest request = request_with(parameters);
    request.size = static_cast<std::size_t>(target.integer("size", 10, 0, search::max_page_size));
    const long long max_offset = static_cast<long long>(search::max_result_window - request.size);
    if (target.has("page")) {
        const long long page = target.integer("page", 1, 1, max_offset / std::max<long long>(1, request.size) + 1);
        request.offset = static_cast<std::size_t>((page - 1) * static_cast<long long>(request.size));
    } else if (!target.has("cursor")) {   // a cursor says where its walk is
        request.offset = static_cast<std::size_t>(target.integer("offset", 0, 0, max_offset));
    }
    request.facet_size = static_cast<std::size_t>(target.integer("facet_size", 10, 1, search::max_facet_size));
    request.highlight = target.boolean("highlight", true);
    return request;
}

Response cache_response(std::string body, std::string_view outcome, const Request& request, const HandlerConfig& config) {
    Response response = json_response(beast_http::status::ok, std::move(body), request, config);
    response.set("X-Cache", outcome);
    return response;
}

Response handle_search(const Routed& routed, const Request& request, search::Searcher& searcher, ResultCache& cache,
                       const HandlerConfig& config) {
    const search::SearchRequest wanted = search_request(routed.target);
    // The generation is the searcher's own, so an answer is stored under the index it came from
    // even while other threads (and the network thread's lookups) have moved on to a newer one.
    const std::string generation = cache.enabled() ? searcher.generation() : std::string();
    const std::string key = generation.empty() ? std::string() : search_cache_key(generation, wanted);
    if (!key.empty())
        if (auto body = cache.find(key)) return cache_response(std::move(*body), "hit", request, config);
    const search::SearchResult result = searcher.search(wanted);
    std::string body = search::serialize(result);
    // A partial answer is not kept: the missing shard may be back for the next request.
    if (key.empty() || !result.missing_shards.empty()) return json_response(beast_http::status::ok, std::move(body), request, config);
    cache.insert(key, body);
    return cache_response(std::move(body), "miss", request, config);
}

/// The format= of /export (required) and /doc (optional: the stored JSON without it).
exporting::Format export_format(const Target& target, bool json_allowed) {
    const std::optional<std::string> name = target.get("format");
    if (auto format = exporting::format_named(name.value_or(""))) return *format;
    const std::string valid = json_allowed ? "json, " + std::string(exporting::format_names) : std::string(exporting::format_names);
    throw BadRequest("bad parameter", name ? "unknown format \"" + name->substr(0, 50) + "\": format must be one of " + valid
                                           : "format is required: one of " + valid);
}

/// A file name for Content-Disposition: the id's letters, digits, '.', '-' and '_' only, so
/// that no quoting or path rule of any client is ever involved.
std::string file_name(std::string_view stem, exporting::Format format) {
    std::string name;
    for (char c : stem) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        name += plain ? c : '_';
        if (name.size() >= 100) break;
    }
    if (name.empty()) name = "record";
    return name + "." + std::string(exporting::file_extension(format));
}

void set_attachment(beast_http::fields& headers, const std::string& name) {
    headers.set(beast_http::field::content_disposition, "attachment; filename=\"" + name + "\"");
}

Response no_such_record(const Routed& routed, const Request& request, const HandlerConfig& config) {
    return error_response(beast_http::status::not_found, "no such record", "no record has id \"" + routed.id + "\"",
                          request, config);
}

Response handle_document(const Routed& routed, const Request& request, search::Searcher& searcher,
                         const HandlerConfig& config) {
    auto missing = [&] { return no_such_record(routed, request, config); };
    if (routed.target.get("format").value_or("json") == "json") {
        auto record = searcher.document(routed.id);
        if (!record) return missing();
        return json_response(beast_http::status::ok, record::to_stored_json(*record), request, config);
    }
    const exporting::Format format = export_format(routed.target, true);
    auto record = searcher.document(routed.id);
    if (!record) return missing();
    Response response = base_response(beast_http::status::ok, request, config, exporting::content_type(format));
    set_attachment(response, file_name(routed.id, format));
    response.body() = exporting::write_one(format, *record);
    response.prepare_payload();
    return response;
}

Response handle_references(const Routed& routed, const Request& request, search::Searcher& searcher,
                           const HandlerConfig& config) {
    const auto links = searcher.references(routed.id);
    if (!links) return no_such_record(routed, request, config);
    return json_response(beast_http::status::ok, search::serialize(search::to_json(routed.id, *links)), request, config);
}

Response handle_cited_by(const Routed& routed, const Request& request, search::Searcher& searcher,
                         const HandlerConfig& config) {
    const auto size = static_cast<std::size_t>(routed.target.integer("size", 10, 1, search::max_page_size));
    const auto offset = static_cast<std::size_t>(routed.target.integer("offset", 0, 0, 1000000));
    const search::SortOrder sort = shared_parameter([&] { return search::parse_sort(routed.target.get("sort").value_or("")); });
    const auto result = searcher.cited_by(routed.id, offset, size, sort);
    if (!result) return no_such_record(routed, request, config);
    return json_response(beast_http::status::ok, search::serialize(*result), request, config);
}

Response handle_similar(const Routed& routed, const Request& request, search::Searcher& searcher,
                        const HandlerConfig& config) {
    if (!searcher.document(routed.id)) return no_such_record(routed, request, config);
    const auto size = static_cast<std::size_t>(routed.target.integer("size", 10, 1, search::max_page_size));
    const std::string by = routed.target.get("by").value_or("words");
    if (by != "words" && by != "references")
        throw BadRequest("bad parameter", "by must be words or references");
    return json_response(beast_http::status::ok,
                         search::serialize(by == "words" ? searcher.similar(routed.id, size)
                                                         : searcher.similar_by_references(routed.id, size)),
                         request, config);
}

Response handle_suggest(const Routed& routed, const Request& request, search::Searcher& searcher,
                        const HandlerConfig& config) {
    const std::string prefix = routed.target.get("q").value_or("");
    if (prefix.size() > 200) throw BadRequest("query too long", "q for /suggest has at most 200 bytes");
    const auto size = static_cast<std::size_t>(routed.target.integer("size", 10, 1, 50));
    json::array suggestions;
    for (auto& suggestion : searcher.suggest(prefix, size)) suggestions.emplace_back(suggestion);
    return json_response(beast_http::status::ok,
                         search::serialize(json::object{{"q", prefix}, {"suggestions", std::move(suggestions)}}), request,
                         config);
}

// "degraded" (still 200: the replica answers, partially) while a shard is left out.
Response handle_health(const Request& request, search::Searcher& searcher, const HandlerConfig& config) {
    const search::IndexInfo info = searcher.info();
    json::object body{{"status", "ok"},
                      {"documents", info.documents},
                      {"revision", info.revision},
                      {"built_at", info.built_at},
                      {"analyzer", info.analyzer_version},
                      {"spelling", info.spelling_available}};
    if (!info.shards.empty()) {
        json::array shards;
        for (const auto& shard : info.shards) {
            json::object item{{"name", shard.name}, {"available", shard.available}};
            if (shard.available) {
                item["documents"] = shard.documents;
            } else {
                item["error"] = shard.error;
                body["status"] = "degraded";
            }
            shards.emplace_back(std::move(item));
        }
        body["shards"] = std::move(shards);
    }
    return json_response(beast_http::status::ok, search::serialize(body), request, config);
}

// The answer to an error a request's handling raised, called inside its catch block: the one
// mapping for /search, /doc, /similar, /suggest, /health and /export, and the requests' error
// boundary: whatever else was thrown is a 500, never an escaped exception.
Response request_error_response(const Request& request, const HandlerConfig& config) {
    try {
        throw;
    } catch (const BadRequest& bad) {
        return error_response(beast_http::status::bad_request, bad.what(), bad.detail, request, config);
    } catch (const CursorExpired& expired) {
        return error_response(beast_http::status::gone, "cursor expired", expired.what(), request, config);
    } catch (const QueryError& bad) {
        return error_response(beast_http::status::bad_request, "bad query", bad.what(), request, config);
    } catch (const IndexUnavailable& unavailable) {
        return error_response(beast_http::status::service_unavailable, "index unavailable", unavailable.what(), request, config);
    } catch (const std::exception& error) {
        return error_response(beast_http::status::internal_server_error, "internal error", error.what(), request, config);
    } catch (...) {
        return error_response(beast_http::status::internal_server_error, "internal error", "unexpected error", request,
                              config);
    }
}

}  // namespace

std::variant<Response, ExportPlan> plan_export(const Routed& routed, const Request& request, search::Searcher* searcher,
                                               const std::string& open_error, const HandlerConfig& config) {
    if (!searcher)
        return error_response(beast_http::status::service_unavailable, "index unavailable",
                              open_error.empty() ? "the index cannot be opened" : open_error, request, config);
    try {
        ExportPlan plan;
        plan.format = export_format(routed.target, false);
        const long long limit = routed.target.integer("limit", static_cast<long long>(search::default_export_records), 1,
                                                      std::numeric_limits<long long>::max());
        if (limit > static_cast<long long>(search::max_export_records))
            throw BadRequest("bad parameter", "limit " + std::to_string(limit) + " is too large: one export holds at most " +
                                                  std::to_string(search::max_export_records) + " records");
        const search::SearchResult matches =
            searcher->matches(filtered_request(routed.target), static_cast<std::size_t>(limit));
        plan.ids.reserve(matches.hits.size());
        for (const auto& hit : matches.hits) plan.ids.push_back(hit.id);
        Response head = base_response(beast_http::status::ok, request, config, exporting::content_type(plan.format));
        set_attachment(head, file_name("scholarsearch-export", plan.format));
        head.set("X-Export-Records", std::to_string(plan.ids.size()));
        head.chunked(true);
        plan.head = beast_http::response<beast_http::empty_body>(std::move(head.base()));
        return plan;
    } catch (...) {
        return request_error_response(request, config);
    }
}

void export_batch(const std::vector<std::string>& ids, std::size_t from, std::size_t to, search::Searcher& searcher,
                  exporting::Writer& writer, std::string& out) {
    for (std::size_t i = from; i < to && i < ids.size(); ++i)
        if (auto record = searcher.document(ids[i])) writer.add(*record, out);
}

Response json_response(beast_http::status status, std::string body, const Request& request, const HandlerConfig& config) {
    Response response = base_response(status, request, config, "application/json; charset=utf-8");
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

Response error_response(beast_http::status status, const std::string& error, const std::string& detail,
                        const Request& request, const HandlerConfig& config) {
    return json_response(status, search::serialize(json::object{{"error", error}, {"detail", detail}}), request, config);
}

Response page(const Request& request, const HandlerConfig& config) {
    Response response = base_response(beast_http::status::ok, request, config, "text/html; charset=utf-8");
    response.body() = std::string(search_page_html);
    response.prepare_payload();
    return response;
}

Response openapi(const Request& request, const HandlerConfig& config) {
    return json_response(beast_http::status::ok, std::string(openapi_json), request, config);
}

std::optional<Routed> route(const Request& request, const HandlerConfig& config, Response& error) {
    const std::string_view raw(request.target().data(), request.target().size());
    if (raw.size() > config.max_target_bytes) {
        error = error_response(beast_http::status::uri_too_long, "request target too long",
                               "at most " + std::to_string(config.max_target_bytes) + " bytes", request, config);
        return std::nullopt;
    }
    try {
        Target target(raw);
        const std::string& path = target.path();
        std::optional<Routed> routed;
        auto with_id = [&](std::string_view prefix, Route kind, std::string endpoint) {
            if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0)
                routed = Routed{kind, std::move(endpoint), target, path.substr(prefix.size())};
        };
        if (path == "/") routed = Routed{Route::page, "page", target, {}};
        else if (path == "/openapi.json") routed = Routed{Route::openapi, "openapi", target, {}};
        else if (path == "/search") routed = Routed{Route::search, "search", target, {}};
        else if (path == "/export") routed = Routed{Route::exporting, "export", target, {}};
        else if (path == "/suggest") routed = Routed{Route::suggest, "suggest", target, {}};
        else if (path == "/health") routed = Routed{Route::health, "health", target, {}};
        else if (path == "/metrics") routed = Routed{Route::metrics, "metrics", target, {}};
        else {
            with_id("/doc/", Route::document, "doc");
            with_id("/similar/", Route::similar, "similar");
        }
        // /doc/{id}/references and /doc/{id}/cited-by: ids may hold "/" (DOIs), so the suffix
        // decides, and a record whose id itself ends so is reached only as /doc/{id}.
        for (auto [suffix, kind, endpoint] : {std::tuple{std::string_view("/references"), Route::references, "references"},
                                              std::tuple{std::string_view("/cited-by"), Route::cited_by, "cited-by"}})
            if (routed && routed->route == Route::document && routed->id.size() > suffix.size() &&
                routed->id.compare(routed->id.size() - suffix.size(), suffix.size(), suffix) == 0) {
                routed->id.resize(routed->id.size() - suffix.size());
                routed->route = kind;
                routed->endpoint = endpoint;
            }
        if (!routed) {
            error = error_response(beast_http::status::not_found, "not found", "no endpoint at " + std::string(text::utf8_prefix(path, 200)),
                                   request, config);
            return std::nullopt;
        }
        const auto method = request.method();
        if (method == beast_http::verb::options && !config.cors_origin.empty()) {
            error = base_response(beast_http::status::no_content, request, config, "text/plain");
            error.set(beast_http::field::access_control_allow_methods, "GET, HEAD, OPTIONS");
            error.set(beast_http::field::access_control_allow_headers, "Content-Type");
            error.prepare_payload();
            return std::nullopt;
        }
        if (method != beast_http::verb::get && method != beast_http::verb::head) {
            error = error_response(beast_http::status::method_not_allowed, "method not allowed",
                                   "only GET and HEAD are served; this is a read-only API", request, config);
            error.set(beast_http::field::allow, "GET, HEAD");
            return std::nullopt;
        }
        return routed;
    } catch (const BadRequest& bad) {
        error = error_response(beast_http::status::bad_request, bad.what(), bad.detail, request, config);
        return std::nullopt;
    }
}

std::optional<Response> cached_search(const Routed& routed, const Request& request, ResultCache& cache,
                                      const std::string& generation, const HandlerConfig& config) {
    if (routed.route != Route::search || !cache.enabled() || generation.empty()) return std::nullopt;
    std::string key;
    try {
        const search::SearchRequest wanted = search_request(routed.target);
        // The published generation may be up to one refresh behind the search threads (250 ms):
        // a walk's first page must pin the generation they serve, or its second page would find
        // the walk expired. Later pages name their generation, and the key checks it.
        if (wanted.cursor && wanted.cursor->start()) return std::nullopt;
        key = search_cache_key(generation, wanted);
    } catch (const BadRequest&) {
        return std::nullopt;   // answered with its 400 by the normal path
    }
    if (key.empty()) return std::nullopt;
    auto body = cache.find(key, false);
    if (!body) return std::nullopt;
    return cache_response(std::move(*body), "hit", request, config);
}

Response handle(const Routed& routed, const Request& request, search::Searcher* searcher,
                const std::string& open_error, ResultCache& cache, const HandlerConfig& config) {
    if (!searcher)
        return error_response(beast_http::status::service_unavailable, "index unavailable",
                              open_error.empty() ? "the index cannot be opened" : open_error, request, config);
    try {
        switch (routed.route) {
            case Route::search: return handle_search(routed, request, *searcher, cache, config);
            case Route::document: return handle_document(routed, request, *searcher, config);
            case Route::references: return handle_references(routed, request, *searcher, config);
            case Route::cited_by: return handle_cited_by(routed, request, *searcher, config);
            case Route::similar: return handle_similar(routed, request, *searcher, config);
            case Route::suggest: return handle_suggest(routed, request, *searcher, config);
            case Route::health: return handle_health(request, *searcher, config);
            case Route::page:
            case Route::openapi:
            case Route::metrics:
            case Route::exporting: break;   // the connection streams exports (plan_export)
        }
        return error_response(beast_http::status::internal_server_error, "internal error", "unrouted endpoint", request, config);
    } catch (...) {
        return request_error_response(request, config);
    }
}

}  // namespace scholarsearch::http
