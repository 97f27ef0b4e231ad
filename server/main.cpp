// scholarsearch-server: the HTTP query server. Prints "listening on HOST:PORT" once ready.
// Exit status: 0 after a clean shutdown (SIGTERM/SIGINT), 2 if it could not start.
#include "http/server.hpp"

#include <CLI/CLI.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <iostream>
#include <thread>

namespace {

// Settings come from flags; SCHOLARSEARCH_* environment variables give defaults (for systemd).
template <class T>
void from_environment(const char* name, T& value) {
    if (const char* text = std::getenv(name)) {
        std::istringstream in(text);
        in >> value;
    }
}

// Every connection holds a file descriptor. The soft limit is often 1024 (systemd's default)
// while --max-connections defaults to 4096: lift it towards the hard limit so that
// --max-connections, not EMFILE, decides when connections are turned away.
void raise_open_file_limit(std::size_t max_connections) {
    constexpr rlim_t reserve = 256;   // index files, the listener, standard streams
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    const rlim_t wanted = static_cast<rlim_t>(max_connections) + reserve;
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = std::min(wanted, limit.rlim_max);
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur < wanted)
        std::cerr << "scholarsearch-server: warning: the open-file limit (" << limit.rlim_cur
                  << ") is below --max-connections + " << reserve << "; connections beyond it wait in the backlog\n";
}

}  // namespace

int main(int argc, char** argv) try {
    using namespace scholarsearch;
    http::ServerConfig config;
    std::string listen = "127.0.0.1:8080";
    long long read_timeout_ms = config.read_timeout.count(), idle_timeout_ms = config.idle_timeout.count(),
              grace_ms = config.shutdown_grace.count();
    from_environment("SCHOLARSEARCH_DB", config.index_path);
    from_environment("SCHOLARSEARCH_LISTEN", listen);
    from_environment("SCHOLARSEARCH_CORS_ORIGIN", config.handlers.cors_origin);
    from_environment("SCHOLARSEARCH_METRICS_KEY", config.metrics_api_key);
    std::size_t cache_mb = config.cache_bytes >> 20;
    from_environment("SCHOLARSEARCH_CACHE_MB", cache_mb);
    config.search_threads = std::max(1u, std::thread::hardware_concurrency());

    CLI::App app{"scholarsearch-server: HTTP JSON search over a scholarsearch index.\n"
                 "Endpoints: GET / (search page), /search, /export, /doc/{id}, /similar/{id}, /suggest, /health, /metrics,\n"
                 "/openapi.json (the OpenAPI description of all of them).\n"
                 "Every flag can also come from the environment variable named in brackets."};
    app.add_option("--db", config.index_path, "Index directory or stub file [SCHOLARSEARCH_DB]")->required(config.index_path.empty());
    app.add_option("--listen", listen, "HOST:PORT to bind; port 0 picks a free port [SCHOLARSEARCH_LISTEN]")->capture_default_str();
    app.add_option("--threads", config.network_threads, "Network threads")->capture_default_str();
    app.add_option("--search-threads", config.search_threads, "Search threads, each with its own database handle")->capture_default_str();
    app.add_option("--max-queue", config.max_queued_searches, "Searches waiting beyond this get 503")->capture_default_str();
    app.add_option("--max-connections", config.max_connections, "Open connections beyond this are closed")->capture_default_str();
    app.add_option("--max-header-bytes", config.max_header_bytes, "Largest request header")->capture_default_str();
    app.add_option("--max-target-bytes", config.handlers.max_target_bytes, "Longest request URL")->capture_default_str();
    app.add_option("--read-timeout-ms", read_timeout_ms, "A request must arrive within this")->capture_default_str();
    app.add_option("--idle-timeout-ms", idle_timeout_ms, "Idle keep-alive connections are closed after this")->capture_default_str();
    app.add_option("--shutdown-grace-ms", grace_ms, "Longest wait for requests in flight on SIGTERM")->capture_default_str();
    app.add_option("--cors-origin", config.handlers.cors_origin, "Access-Control-Allow-Origin value, e.g. https://example.org or * [SCHOLARSEARCH_CORS_ORIGIN]");
    app.add_option("--metrics-key", config.metrics_api_key, "Require this X-API-Key for /metrics [SCHOLARSEARCH_METRICS_KEY]");
    long long shard_timeout_ms = config.searcher.shard_timeout.count();
    app.add_option("--spelling-db", config.searcher.spelling_path,
                   "Local spelling database for a stub of remote shards (scholarsearch-index spelling-db)");
    app.add_option("--shard-timeout-ms", shard_timeout_ms, "A remote shard slower than this is left out of the answer")
        ->capture_default_str();
    app.add_option("--cache-mb", cache_mb,
                   "MiB of /search answers kept for repeated requests (never served once the index changes); 0 = off "
                   "[SCHOLARSEARCH_CACHE_MB]")
        ->capture_default_str();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? 0 : 2;
    }
    constexpr std::size_t max_cache_mb = std::size_t{1} << 20;   // 1 TiB: beyond it, "MiB << 20" could wrap
    if (cache_mb > max_cache_mb) {
        std::cerr << "scholarsearch-server: error: --cache-mb must be at most " << max_cache_mb << ", got " << cache_mb << '\n';
        return 2;
    }
    config.cache_bytes = cache_mb << 20;
    config.searcher.shard_timeout = std::chrono::milliseconds(shard_timeout_ms);
    config.read_timeout = std::chrono::milliseconds(read_timeout_ms);
    config.idle_timeout = std::chrono::milliseconds(idle_timeout_ms);
    config.shutdown_grace = std::chrono::milliseconds(grace_ms);
    raise_open_file_limit(config.max_connections);

    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        std::cerr << "scholarsearch-server: error: --listen must be HOST:PORT, got \"" << listen << "\"\n";
        return 2;
    }
    config.host = listen.substr(0, colon);
    if (config.host.size() > 2 && config.host.front() == '[') config.host = config.host.substr(1, config.host.size() - 2);
    if (config.host == "localhost") config.host = "127.0.0.1";
    config.port = static_cast<unsigned short>(std::stoi(listen.substr(colon + 1)));

    http::Server server(config);
    server.bind();
    std::cout << "listening on " << server.endpoint() << std::endl;
    server.run();
    std::cerr << "scholarsearch-server: stopped\n";
    return 0;
} catch (const std::exception& error) {
    std::cerr << "scholarsearch-server: error: " << error.what() << '\n';
    return 2;
}
