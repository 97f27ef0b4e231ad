#pragma once
// A small HTTP client (Boost.Beast, blocking) and a server launcher for end-to-end tests.
#include "process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

struct Reply {
    unsigned status = 0;
    std::string body;
    http::fields headers;
    json::value json() const { return json::parse(body); }
};

class Client {
public:
    explicit Client(unsigned short port) : stream_(io_) {
        stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    }

    Reply request(const std::string& target, http::verb method = http::verb::get,
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) {
        http::request<http::string_body> request{method, target, 11};
        request.set(http::field::host, "127.0.0.1");
        for (const auto& [name, value] : headers) request.set(name, value);
        stream_.expires_after(10s);
        http::write(stream_, request);
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 << 20);
        parser.skip(method == http::verb::head);
        http::read(stream_, buffer_, parser);
        auto response = parser.release();
        return Reply{response.result_int(), response.body(), response.base()};
    }

    tcp::socket& socket() { return stream_.socket(); }

private:
    net::io_context io_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
};

inline Reply get(unsigned short port, const std::string& target) { return Client(port).request(target); }

// Sends raw bytes and returns everything the server answers before closing (or `timeout`).
inline std::string raw_exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds timeout = 5s) {
    net::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream.expires_after(timeout);
    net::write(stream, net::buffer(bytes));
    std::string answer;
    beast::error_code error;
    char buffer[4096];
    for (;;) {
        const std::size_t got = stream.read_some(net::buffer(buffer), error);
        answer.append(buffer, got);
        if (error) break;
    }
    return answer;
}

class Server {
public:
    Server(const std::string& server_bin, const std::string& db, std::vector<std::string> extra = {}) {
        std::vector<std::string> argv{server_bin, "--db", db, "--listen", "127.0.0.1:0"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        process_ = std::make_unique<ChildProcess>(argv);
        auto line = process_->read_line(10s);
        REQUIRE(line);
        const std::string prefix = "listening on 127.0.0.1:";
        REQUIRE(line->rfind(prefix, 0) == 0);
        port_ = static_cast<unsigned short>(std::stoi(line->substr(prefix.size())));
    }
    unsigned short port() const { return port_; }
    ChildProcess& process() { return *process_; }

private:
    std::unique_ptr<ChildProcess> process_;
    unsigned short port_ = 0;
};


/// Percent-encodes everything but RFC 3986's unreserved characters, for a query parameter.
inline std::string url_encoded(const std::string& text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || std::string_view("-._~").find(c) != std::string_view::npos) {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 15];
        }
    }
    return out;
}

inline std::vector<std::string> hit_ids(const json::value& result) {
    std::vector<std::string> ids;
    for (const auto& hit : result.at("hits").as_array()) ids.emplace_back(hit.at("id").as_string());
    return ids;
}

}  // namespace scholarsearch::testing
