#pragma once
/**
 * The HTTP server: Boost.Beast HTTP/1.1 with keep-alive on one io_context run by N threads.
 * Connections read with header/body limits and a deadline (a slow client holds no thread),
 * hand searcher work to the SearchPool, and write the response on their own strand. SIGINT and
 * SIGTERM stop accepting, let requests in flight finish, close idle connections and return.
 */
#include "http/handlers.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace scholarsearch::http {

struct ServerConfig {
    std::string index_path;
    search::SearcherOptions searcher;                ///< spelling database, shard timeouts
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    unsigned network_threads = 2;
    unsigned search_threads = 2;
    std::size_t max_queued_searches = 256;      ///< more waiting searches -> 503
    std::size_t max_connections = 4096;         ///< more open connections -> closed at once
    std::size_t max_header_bytes = 16384;
    std::size_t max_body_bytes = 16384;
    std::chrono::milliseconds read_timeout{10000};   ///< a whole request must arrive within this
    std::chrono::milliseconds idle_timeout{30000};   ///< keep-alive connection with no request
    std::chrono::milliseconds write_timeout{10000};
    std::chrono::milliseconds shutdown_grace{10000}; ///< longest wait for requests in flight
    std::chrono::milliseconds refresh_interval{250}; ///< how often searchers look for a new index
    std::string metrics_api_key;                     ///< when set, /metrics needs X-API-Key
    std::size_t cache_bytes = 64u << 20;             ///< /search answers kept for repeats; 0 = off
    HandlerConfig handlers;
};

class Server {
public:
    explicit Server(ServerConfig config);
    ~Server();

    /// Binds; throws std::system_error if the address is taken or invalid.
    void bind();
    /// "HOST:PORT" actually bound (port 0 resolves to the chosen port).
    std::string endpoint() const;
    /// Serves until SIGINT/SIGTERM or stop(); returns after a graceful shutdown.
    void run();
    void stop();

    struct Impl;   // public so that connections (in server.cpp) can reach their server

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace scholarsearch::http
