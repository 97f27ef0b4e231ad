#include "http/server.hpp"

#include "http/metrics.hpp"
#include "http/search_pool.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <iostream>
#include <list>
#include <mutex>
#include <thread>
#include <variant>

namespace scholarsearch::http {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

class Session;

struct Server::Impl {
    ServerConfig config;
    net::io_context io;
    tcp::acceptor acceptor{io};
    net::signal_set signals{io, SIGINT, SIGTERM};
    SearchPool pool;
    ResultCache cache;
    Metrics metrics;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> open_connections{0};
    std::atomic<std::size_t> requests_in_flight{0};
    std::mutex sessions_mutex;
    std::list<std::weak_ptr<Session>> sessions;
    net::steady_timer accept_pause{io};
    beast::error_code last_accept_error;

    explicit Impl(ServerConfig c)
        : config(std::move(c)),
          io(static_cast<int>(std::max(1u, config.network_threads))),
          pool(config.index_path, config.searcher, config.search_threads, config.max_queued_searches,
               config.refresh_interval),
          cache(config.cache_bytes) {}

    void accept();
    void begin_shutdown();
};

class Session : public std::enable_shared_from_this<Session> {
public:
    // The read buffer is capped too: Beast keeps a chunk-size line (with its chunk extensions)
    // or a trailer in the buffer until it is complete and bounds neither, so without a cap one
    // request could fill memory at network speed until the read timeout.
    Session(tcp::socket&& socket, Server::Impl& server)
        : stream_(std::move(socket)),
          buffer_(server.config.max_header_bytes + server.config.max_body_bytes + 8192),
          server_(server) {}

    ~Session() {
        server_.metrics.connection_closed();
        --server_.open_connections;
    }

    void start() {
        net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this()));
    }

    // Called on shutdown: a connection waiting for its next request is closed; one whose
    // request is being answered closes after the response.
    void close_if_idle() {
        net::post(stream_.get_executor(), [self = shared_from_this()] {
            if (self->waiting_for_request_ && self->buffer_.size() == 0) self->stream_.socket().close();
        });
    }

private:
    void read() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(server_.config.max_header_bytes));
        parser_->body_limit(server_.config.max_body_bytes);
        waiting_for_request_ = true;
        if (first_request_ || buffer_.size() > 0) return read_request();
        // Keep-alive: the next request may start within the idle timeout; once its first bytes
        // arrive, the whole request must follow within the read timeout, as the first one must
        // (otherwise a client trickling bytes would hold the connection for the idle timeout).
        stream_.expires_after(server_.config.idle_timeout);
        stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code error, std::size_t got) {
            if (error) {
                self->waiting_for_request_ = false;
                return self->close();
            }
            self->buffer_.commit(got);
            self->read_request();
        });
    }

    void read_request() {
        stream_.expires_after(server_.config.read_timeout);
        beast::http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }

    // The parser takes the request line as soon as it is complete: a header limit hit before
    // that means the request line alone overflowed it. That is an over-long URL, so it gets the
    // same 414 as a long target inside the limit does.
    bool request_line_too_long() const { return parser_->get().target().empty(); }

    void on_read(beast::error_code error, std::size_t) {
        waiting_for_request_ = false;
        first_request_ = false;
        if (error == beast::http::error::end_of_stream || error == net::error::operation_aborted ||
            error == beast::error::timeout || error == net::error::eof || error == net::error::connection_reset)
            return close();
        if (error) {
            // Malformed or oversized: answer once, then close (the stream is out of sync).
            Request request;
            request.version(11);
            request.keep_alive(false);
            beast::http::status status = beast::http::status::bad_request;
            std::string what = "malformed request", detail = error.message();
            if (error == beast::http::error::header_limit && request_line_too_long())
                status = beast::http::status::uri_too_long, what = "request target too long",
                detail = "at most " + std::to_string(server_.config.handlers.max_target_bytes) + " bytes";
            else if (error == beast::http::error::header_limit) status = beast::http::status::request_header_fields_too_large, what = "request header too large";
            else if (error == beast::http::error::body_limit || error == beast::http::error::buffer_overflow)
                status = beast::http::status::payload_too_large, what = "request body too large";
            Response response = error_response(status, what, detail, request, server_.config.handlers);
            response.keep_alive(false);
            server_.metrics.record("invalid", static_cast<unsigned>(status), 0);
            return write(std::move(response), Clock::now(), "invalid");
        }
        request_ = parser_->release();
        dispatch_request();
    }

    void dispatch_request() {
        const auto started = Clock::now();
        const HandlerConfig& handlers = server_.config.handlers;
        Response immediate;
        std::optional<Routed> routed = route(request_, handlers, immediate);
        if (!routed) return write(std::move(immediate), started, "other");
        if (routed->route == Route::page) return write(page(request_, handlers), started, routed->endpoint);
        if (routed->route == Route::openapi) return write(openapi(request_, handlers), started, routed->endpoint);
        if (routed->route == Route::metrics) {
            const auto key = request_["X-API-Key"];
            if (!server_.config.metrics_api_key.empty() &&
                std::string_view(key.data(), key.size()) != server_.config.metrics_api_key)
                return write(error_response(beast::http::status::unauthorized, "unauthorized",
                                            "/metrics needs the X-API-Key header", request_, handlers),
                             started, routed->endpoint);
            Response response{beast::http::status::ok, request_.version()};
            response.set(beast::http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
            response.keep_alive(request_.keep_alive());
            response.body() = server_.metrics.render(server_.pool.snapshot(), server_.pool.queued(), server_.cache.stats());
            response.prepare_payload();
            return write(std::move(response), started, routed->endpoint);
        }
        if (auto cached = cached_search(*routed, request_, server_.cache, server_.pool.generation(), handlers))
            return write(std::move(*cached), started, routed->endpoint);
        if (routed->route == Route::exporting) return start_export(std::move(*routed), started);
        ++server_.requests_in_flight;
        auto self = shared_from_this();
        const std::string endpoint = routed->endpoint;
        auto job = [self, routed = std::move(*routed), started](search::Searcher* searcher, const std::string& open_error) {
            Response response =
                handle(routed, self->request_, searcher, open_error, self->server_.cache, self->server_.config.handlers);
            net::post(self->stream_.get_executor(), [self, response = std::move(response), started,
                                                     endpoint = routed.endpoint]() mutable {
                --self->server_.requests_in_flight;
                self->write(std::move(response), started, endpoint);
            });
        };
        if (!server_.pool.submit(std::move(job))) overloaded(started, endpoint);
    }

    void overloaded(Clock::time_point started, const std::string& endpoint) {
        --server_.requests_in_flight;
        server_.metrics.rejected_overload();
        Response response = error_response(beast::http::status::service_unavailable, "overloaded",
                                           "too many searches waiting; retry shortly", request_, server_.config.handlers);
        response.set(beast::http::field::retry_after, "1");
        write(std::move(response), started, endpoint);
    }

    // ---- GET /export: the plan on a search thread, then one pool job per chunk --------------

    struct ExportStream {
        ExportPlan plan;
        exporting::Writer writer;
        std::size_t next = 0;    ///< ids before it are written
        int refusals = 0;        ///< batches the full queue refused in a row
        bool ended = false;
        explicit ExportStream(ExportPlan p) : plan(std::move(p)), writer(plan.format) {}
    };

    void start_export(Routed routed, Clock::time_point started) {
        ++server_.requests_in_flight;   // until the last chunk is written (end_export)
        auto self = shared_from_this();
        const std::string endpoint = routed.endpoint;
        auto job = [self, routed = std::move(routed), started](search::Searcher* searcher, const std::string& open_error) {
            auto answer = plan_export(routed, self->request_, searcher, open_error, self->server_.config.handlers);
            net::post(self->stream_.get_executor(), [self, answer = std::move(answer), started, endpoint = routed.endpoint]() mutable {
                if (auto* response = std::get_if<Response>(&answer)) {
                    --self->server_.requests_in_flight;
                    return self->write(std::move(*response), started, endpoint);
                }
                self->stream_export(std::make_shared<ExportStream>(std::move(std::get<ExportPlan>(answer))), started, endpoint);
            });
        };
        if (!server_.pool.submit(std::move(job))) overloaded(started, endpoint);
    }

    void stream_export(std::shared_ptr<ExportStream> state, Clock::time_point started, const std::string& endpoint) {
        auto& head = state->plan.head;
        if (server_.stopping) head.keep_alive(false);
        // Latency is the time to the first byte: the whole transfer is the client's pace.
        server_.metrics.record(endpoint, head.result_int(), std::chrono::duration<double>(Clock::now() - started).count());
        const bool is_head = request_.method() == beast::http::verb::head;
        auto serializer = std::make_shared<beast::http::response_serializer<beast::http::empty_body>>(head);
        stream_.expires_after(server_.config.write_timeout);
        beast::http::async_write_header(stream_, *serializer,
                                        [self = shared_from_this(), state, serializer, is_head](beast::error_code error, std::size_t) {
                                            if (error) return self->end_export(*state, false);
                                            if (is_head) return self->end_export(*state, true);
                                            self->next_batch(state);
                                        });
    }

    void next_batch(std::shared_ptr<ExportStream> state) {
        auto self = shared_from_this();
        auto job = [self, state](search::Searcher* searcher, const std::string&) {
            auto text = std::make_shared<std::string>();
            bool ok = searcher != nullptr;
            if (ok) {
                try {
                    const std::size_t to = std::min(state->next + export_batch_records, state->plan.ids.size());
                    export_batch(state->plan.ids, state->next, to, *searcher, state->writer, *text);
                    state->next = to;
                    if (to == state->plan.ids.size()) state->writer.finish(*text);
                } catch (...) {
                    ok = false;
                }
            }
            net::post(self->stream_.get_executor(), [self, state, text, ok] {
                if (!ok) return self->end_export(*state, false);   // cut short: the client sees no last chunk
                self->write_chunk(state, text);
            });
        };
        if (server_.pool.submit(std::move(job))) {
            state->refusals = 0;
            return;
        }
        // The 200 is sent: a full queue can only delay the next chunk. Retry for about the
        // write timeout, then give up on the transfer.
        if (++state->refusals * 20 > server_.config.write_timeout.count()) return end_export(*state, false);
        auto timer = std::make_shared<net::steady_timer>(stream_.get_executor());
        timer->expires_after(std::chrono::milliseconds(20));
        timer->async_wait([self, state, timer](beast::error_code error) {
            if (error) return self->end_export(*state, false);
            self->next_batch(state);
        });
    }

    void write_chunk(std::shared_ptr<ExportStream> state, std::shared_ptr<std::string> text) {
        const bool last = state->next == state->plan.ids.size();
        auto self = shared_from_this();
        if (text->empty()) return last ? write_last_chunk(state) : next_batch(state);
        stream_.expires_after(server_.config.write_timeout);
        net::async_write(stream_, beast::http::make_chunk(net::buffer(*text)),
                         [self, state, text, last](beast::error_code error, std::size_t) {
                             if (error) return self->end_export(*state, false);
                             if (last) return self->write_last_chunk(state);
                             self->next_batch(state);
                         });
    }

    void write_last_chunk(std::shared_ptr<ExportStream> state) {
        stream_.expires_after(server_.config.write_timeout);
        net::async_write(stream_, beast::http::make_chunk_last(), [self = shared_from_this(), state](beast::error_code error, std::size_t) {
            self->end_export(*state, !error);
        });
    }

    void end_export(ExportStream& state, bool complete) {
        if (state.ended) return;
        state.ended = true;
        --server_.requests_in_flight;
        if (!complete || !state.plan.head.keep_alive() || server_.stopping) return close();
        read();
    }

    void write(Response response, Clock::time_point started, const std::string& endpoint) {
        if (server_.stopping) response.keep_alive(false);
        if (request_.method() == beast::http::verb::head) {
            response.prepare_payload();
            response.body().clear();
            // Keep Content-Length of the GET response for HEAD.
        }
        server_.metrics.record(endpoint, response.result_int(),
                               std::chrono::duration<double>(Clock::now() - started).count());
        auto message = std::make_shared<Response>(std::move(response));
        stream_.expires_after(server_.config.write_timeout);
        const bool is_head = request_.method() == beast::http::verb::head;
        auto on_written = [self = shared_from_this(), message](beast::error_code error, std::size_t) {
            if (error || !message->keep_alive()) return self->close();
            self->read();
        };
        if (is_head) {
            auto serializer = std::make_shared<beast::http::response_serializer<beast::http::string_body>>(*message);
            beast::http::async_write_header(stream_, *serializer,
                                            [serializer, on_written](beast::error_code e, std::size_t n) { on_written(e, n); });
        } else {
            beast::http::async_write(stream_, *message, std::move(on_written));
        }
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
    Request request_;
    Server::Impl& server_;
    bool waiting_for_request_ = false;
    bool first_request_ = true;
};

void Server::Impl::accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code error, tcp::socket socket) {
        if (error == net::error::operation_aborted || stopping) return;
        if (error) {
            // Out of file descriptors (EMFILE) or another transient failure: accepting again at
            // once would fail again at once and spin a core, so pause; the backlog keeps waiting.
            if (error != last_accept_error) std::cerr << "scholarsearch-server: accept failed: " << error.message() << '\n';
            last_accept_error = error;
            accept_pause.expires_after(std::chrono::milliseconds(50));
            accept_pause.async_wait([this](beast::error_code wait_error) {
                if (!wait_error && !stopping) accept();
            });
            return;
        }
        last_accept_error = {};
        if (open_connections >= config.max_connections) {
            beast::error_code ignored;
            socket.close(ignored);
        } else {
            ++open_connections;
            metrics.connection_opened();
            auto session = std::make_shared<Session>(std::move(socket), *this);
            {
                std::lock_guard lock(sessions_mutex);
                sessions.remove_if([](const std::weak_ptr<Session>& weak) { return weak.expired(); });
                sessions.push_back(session);
            }
            session->start();
        }
        accept();
    });
}

void Server::Impl::begin_shutdown() {
    if (stopping.exchange(true)) return;
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    {
        std::lock_guard lock(sessions_mutex);
        for (auto& weak : sessions)
            if (auto session = weak.lock()) session->close_if_idle();
    }
    // Wait for requests in flight, at most the grace period, then stop the io_context.
    auto timer = std::make_shared<net::steady_timer>(io);
    auto deadline = Clock::now() + config.shutdown_grace;
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [this, timer, deadline, poll] {
        if ((requests_in_flight == 0 && open_connections == 0) || Clock::now() >= deadline) {
            io.stop();
            *poll = nullptr;
            return;
        }
        {
            std::lock_guard lock(sessions_mutex);
            for (auto& weak : sessions)
                if (auto session = weak.lock()) session->close_if_idle();
        }
        timer->expires_after(std::chrono::milliseconds(20));
        timer->async_wait([poll](beast::error_code) {
            if (*poll) (*poll)();
        });
    };
    (*poll)();
}

Server::Server(ServerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Server::~Server() = default;

void Server::bind() {
    const auto address = net::ip::make_address(impl_->config.host);
    tcp::endpoint endpoint{address, impl_->config.port};
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(net::socket_base::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen(net::socket_base::max_listen_connections);
}

std::string Server::endpoint() const {
    const auto local = impl_->acceptor.local_endpoint();
    const std::string host = local.address().is_v6() ? "[" + local.address().to_string() + "]" : local.address().to_string();
    return host + ":" + std::to_string(local.port());
}

void Server::run() {
    impl_->signals.async_wait([this](beast::error_code error, int) {
        if (!error) impl_->begin_shutdown();
    });
    impl_->accept();
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < std::max(1u, impl_->config.network_threads); ++i) threads.emplace_back([this] { impl_->io.run(); });
    impl_->io.run();
    for (auto& thread : threads) thread.join();
    impl_->pool.stop();
}

void Server::stop() {
    net::post(impl_->io, [this] { impl_->begin_shutdown(); });
}

}  // namespace scholarsearch::http
