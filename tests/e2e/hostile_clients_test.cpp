// Hostile clients against the real scholarsearch-server on a loopback port, over an index the
// real indexer builds from sample/ plus 3000 generated records (zq0001..zq3000, CLC TQ0001..):
// slowloris, oversized request lines and headers, thousands of idle connections, running out
// of file descriptors, garbage bytes, deeply nested and very long queries, wildcard floods and
// absurd paging numbers.
//
// For every attack: the server stays up and answers /health afterwards, its resident memory
// grows by less than a stated bound, and a well-behaved client on its own connection (a real
// /search every ~5 ms) gets 200 for every request, at rest and during the attack, with p99
// under attack below kP99BoundMs. Each attack prints one table row; with
// SCHOLARSEARCH_HOSTILE_REPORT=FILE the rows are also appended to FILE.
// SCHOLARSEARCH_HOSTILE_SCALE (default 1) scales connection counts.
#include "../support/http_client.hpp"
#include "../support/temp_dir.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <system_error>
#include <thread>

using namespace scholarsearch::testing;
using Clock = std::chrono::steady_clock;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool under_asan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool under_asan = true;
#else
constexpr bool under_asan = false;
#endif
#else
constexpr bool under_asan = false;
#endif

// A well-behaved request must never take longer than this at the 99th percentile.
constexpr double kP99BoundMs = 2000;
// An attack lasts kAttackTime, longer if the well-behaved client has not had kMinSamples
// answers by then (a loaded machine, a sanitizer build), never past kAttackLimit.
constexpr auto kAttackTime = 2s;
constexpr auto kAttackLimit = 20s;
constexpr std::size_t kMinSamples = 30;
constexpr int kZqRecords = 3000;

double scale() {
    static const double value = [] {
        const char* text = std::getenv("SCHOLARSEARCH_HOSTILE_SCALE");
        const double parsed = text ? std::atof(text) : 1.0;
        return parsed > 0 ? std::clamp(parsed, 0.05, 10.0) : 1.0;
    }();
    return value;
}
int scaled(int count) { return std::max(1, static_cast<int>(std::lround(count * scale()))); }

// ASan keeps freed memory in quarantine (256 MB by default) and adds redzones, so resident
// memory there says little about the server's own growth; the bounds hold in a normal build.
double rss_bound(double normal_mb) { return under_asan ? normal_mb * 4 + 256 : normal_mb; }

/// Lifts this process's soft open-file limit to the hard one; returns the new soft limit.
rlim_t raise_open_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

/// VmRSS of a process in MB (0 if it is gone).
double rss_mb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
    return 0;
}

/// User + system CPU time of a process, in seconds.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos) return 0;
    std::istringstream fields(stat.substr(paren + 2));
    std::string field;
    double ticks = 0;
    // After the command: state is field 3; utime and stime are fields 14 and 15.
    for (int number = 3; number <= 15 && fields >> field; ++number)
        if (number >= 14) ticks += std::atof(field.c_str());
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

std::string repeat(const std::string& text, int times, const std::string& separator = "") {
    std::string out;
    for (int i = 0; i < times; ++i) out += (i ? separator : "") + text;
    return out;
}

// ---- the index --------------------------------------------------------------------------

std::string zq_word(int i) {
    char word[16];
    std::snprintf(word, sizeof word, "zq%04d", i);
    return word;
}

std::size_t zq_words_starting(const std::string& prefix) {
    std::size_t count = 0;
    for (int i = 1; i <= kZqRecords; ++i) count += zq_word(i).rfind(prefix, 0) == 0;
    return count;
}

/// sample/ plus kZqRecords records, each with its own word zqNNNN and CLC code TQNNNN: more
/// distinct words under "zq" than one query may expand to, more codes under TQ than one
/// query's clc: prefixes may cover four times.
struct TestIndex {
    TempDir dir;
    std::string db = dir / "db";

    TestIndex() {
        std::string records;
        for (int i = 1; i <= kZqRecords; ++i) {
            const std::string word = zq_word(i);
            std::string code = word;
            code.replace(0, 2, "TQ");
            records += "{\"id\": \"zq-" + std::to_string(i) + "\", \"title\": \"Record " + word +
                       " for wildcard expansion\", \"abstract\": \"Only this record has " + word + ".\", \"clc\": [\"" +
                       code + "\"]}\n";
        }
        const std::string file = dir.write("zq.jsonl", records);
        REQUIRE(run_program({INDEX_BIN, "-q", "--db", db, SAMPLE_DIR, file}) == 0);
    }
};

// ---- the server ---------------------------------------------------------------------------

class HostileServer {
public:
    /// Two network threads and `search_threads` search threads; `open_file_limit`: run the
    /// server under `ulimit -n` (soft and hard), so that it cannot lift the limit itself.
    HostileServer(const std::string& db, std::vector<std::string> flags, std::optional<int> open_file_limit = {},
                  int search_threads = 2) {
        std::vector<std::string> argv;
        if (open_file_limit)
            argv = {"/bin/sh", "-c", "ulimit -n " + std::to_string(*open_file_limit) + " && exec \"$0\" \"$@\"", SERVER_BIN};
        else
            argv = {SERVER_BIN};
        for (std::string flag : {"--db", db.c_str(), "--listen", "127.0.0.1:0", "--threads", "2"}) argv.push_back(flag);
        argv.push_back("--search-threads");
        argv.push_back(std::to_string(search_threads));
        argv.insert(argv.end(), flags.begin(), flags.end());
        process_ = std::make_unique<ChildProcess>(argv);
        const auto line = process_->read_line(60s);
        REQUIRE(line);
        const std::string prefix = "listening on 127.0.0.1:";
        REQUIRE(line->rfind(prefix, 0) == 0);
        port_ = static_cast<unsigned short>(std::stoi(line->substr(prefix.size())));
    }
    unsigned short port() const { return port_; }
    pid_t pid() const { return process_->pid(); }
    bool running() { return !process_->wait(20ms); }

private:
    std::unique_ptr<ChildProcess> process_;
    unsigned short port_ = 0;
};

// ---- raw connections ------------------------------------------------------------------------

struct RawResponse {
    unsigned status = 0;
    std::string head;   ///< status line and headers, lower-cased
    std::string body;
};

/// Splits what a server sent into complete responses (Content-Length framing).
std::vector<RawResponse> parse_responses(std::string_view bytes) {
    std::vector<RawResponse> out;
    for (;;) {
        const auto end = bytes.find("\r\n\r\n");
        if (end == std::string_view::npos || bytes.rfind("HTTP/1.", 0) != 0 || bytes.size() < 12) return out;
        RawResponse response;
        response.head = std::string(bytes.substr(0, end + 2));
        for (auto& c : response.head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        response.status = static_cast<unsigned>(std::atoi(std::string(bytes.substr(9, 3)).c_str()));
        std::size_t length = 0;
        if (auto at = response.head.find("\r\ncontent-length:"); at != std::string::npos)
            length = static_cast<std::size_t>(std::atoll(response.head.c_str() + at + 17));
        if (bytes.size() < end + 4 + length) return out;
        response.body = std::string(bytes.substr(end + 4, length));
        bytes.remove_prefix(end + 4 + length);
        out.push_back(std::move(response));
    }
}

class RawConnection {
public:
    explicit RawConnection(unsigned short port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            const int error = errno;
            ::close(fd_);
            throw std::system_error(error, std::generic_category(), "connect");
        }
    }
    ~RawConnection() { ::close(fd_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    /// Sends what the server takes; false once it has closed or reset the connection.
    bool send_all(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (sent < 0 && errno == EINTR) continue;
            if (sent <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(sent));
        }
        return true;
    }

    enum class State { open, closed, data };
    /// Without waiting: did the server close (or reset) the connection, send something, or neither?
    State state() {
        char byte;
        const ssize_t got = ::recv(fd_, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
        if (got > 0) return State::data;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return State::open;
        return State::closed;
    }

    /// Everything the server sends until it closes (closed = true) or `timeout` passes.
    std::string read_until_closed(std::chrono::milliseconds timeout, bool& closed) {
        std::string out;
        closed = false;
        const auto deadline = Clock::now() + timeout;
        char buffer[65536];
        while (Clock::now() < deadline) {
            pollfd descriptor{fd_, POLLIN, 0};
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (::poll(&descriptor, 1, static_cast<int>(std::max<long long>(1, left))) <= 0) continue;
            const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                closed = true;
                break;
            }
            out.append(buffer, static_cast<std::size_t>(got));
        }
        return out;
    }

    /// One complete response, or nullopt if the connection closes or `timeout` passes first.
    std::optional<RawResponse> read_response(std::chrono::milliseconds timeout) {
        std::string bytes;
        const auto deadline = Clock::now() + timeout;
        char buffer[65536];
        while (Clock::now() < deadline) {
            if (auto responses = parse_responses(bytes); !responses.empty()) return responses.front();
            pollfd descriptor{fd_, POLLIN, 0};
            if (::poll(&descriptor, 1, 50) <= 0) continue;
            const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
            if (got <= 0) break;
            bytes.append(buffer, static_cast<std::size_t>(got));
        }
        if (auto responses = parse_responses(bytes); !responses.empty()) return responses.front();
        return std::nullopt;
    }

private:
    int fd_ = -1;
};

// ---- what an attacker sees, and what it must see ----------------------------------------------

/// Collects mismatches from attacker threads (Catch2 assertions are not thread-safe).
class Failures {
public:
    void add(std::string what) {
        std::lock_guard lock(mutex_);
        if (++count_ <= 20) list_.push_back(std::move(what));
    }
    std::size_t count() const {
        std::lock_guard lock(mutex_);
        return count_;
    }
    std::string summary() const {
        std::lock_guard lock(mutex_);
        std::string out;
        for (const auto& line : list_) out += line + "\n";
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::size_t count_ = 0;
    std::vector<std::string> list_;
};

/// "" if `response` is a JSON error {"error": `error`, "detail": ... containing `detail_part`}.
std::string check_json_error(const RawResponse& response, unsigned status, const std::string& error,
                             const std::string& detail_part) {
    if (response.status != status)
        return "status " + std::to_string(response.status) + " (expected " + std::to_string(status) + "): " +
               response.body.substr(0, 200);
    if (response.head.find("content-type: application/json") == std::string::npos) return "not JSON: " + response.head;
    try {
        const json::value body = json::parse(response.body);
        if (!error.empty() && body.at("error") != error.c_str()) return "error " + json::serialize(body.at("error"));
        const std::string detail(body.at("detail").as_string());
        if (detail.find(detail_part) == std::string::npos) return "detail \"" + detail + "\" lacks \"" + detail_part + "\"";
    } catch (const std::exception& problem) {
        return std::string("bad JSON error body: ") + problem.what() + ": " + response.body.substr(0, 200);
    }
    return "";
}

/// A GET that asks the server to close the connection after answering.
std::string get_request(const std::string& target) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

/// Sends `bytes` on a fresh connection and returns what came back before the server closed it.
struct Exchange {
    std::vector<RawResponse> responses;
    bool closed = false;
    std::size_t bytes = 0;
};
Exchange exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds timeout = 10s) {
    RawConnection connection(port);
    connection.send_all(bytes);   // the server may answer and close before taking it all
    Exchange out;
    const std::string answer = connection.read_until_closed(timeout, out.closed);
    out.bytes = answer.size();
    out.responses = parse_responses(answer);
    return out;
}

/// Tells an attack when it has lasted long enough.
using Done = std::function<bool()>;

/// Runs `attack(thread, iteration)` on `threads` threads until `done()`.
void attack_until(const Done& done, int threads, const std::function<void(int, std::size_t)>& attack) {
    std::vector<std::thread> attackers;
    for (int t = 0; t < threads; ++t)
        attackers.emplace_back([&, t] {
            for (std::size_t i = 0; !done(); ++i) attack(t, i);
        });
    for (auto& attacker : attackers) attacker.join();
}

// ---- the well-behaved client and the report ------------------------------------------------------

class WellBehavedClient {
public:
    explicit WellBehavedClient(unsigned short port) : port_(port), thread_([this] { run(); }) {}
    ~WellBehavedClient() { stop(); }

    /// Waits until the client has enough answers at rest to have a p99.
    void wait_for_rest_samples() {
        const auto deadline = Clock::now() + 30s;
        const auto at_least = Clock::now() + 700ms;
        while (Clock::now() < deadline) {
            {
                std::lock_guard lock(mutex_);
                if (rest_.size() >= 100 && Clock::now() >= at_least) return;
                if (!failures_.empty()) return;
            }
            std::this_thread::sleep_for(10ms);
        }
    }
    void begin_attack() { attacking_ = true; }
    void stop() {
        done_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::vector<double> rest() const { return locked(rest_); }
    std::size_t attack_samples() const {
        std::lock_guard lock(mutex_);
        return attack_.size();
    }
    std::vector<double> attack() const { return locked(attack_); }
    std::vector<std::string> failures() const {
        std::lock_guard lock(mutex_);
        return failures_;
    }

private:
    template <class T>
    T locked(const T& value) const {
        std::lock_guard lock(mutex_);
        return value;
    }

    void run() {
        static const std::vector<std::string> targets{
            "/search?q=transparency+social+media+government&size=10",
            "/search?q=%E7%A4%BE%E4%BA%A4%E5%AA%92%E4%BD%93+%E6%94%BF%E5%BA%9C&size=10",
            "/search?q=query+expansion&facets=1",
            "/search?q=title:zq0042",
            "/search?q=%22social+media%22+AND+government&page=2&size=5",
        };
        // One keep-alive connection (a new one only after a failure); raw, for the time limit.
        std::unique_ptr<RawConnection> connection;
        for (std::size_t i = 0; !done_; ++i) {
            const bool attacking = attacking_;
            const auto started = Clock::now();
            std::string failure;
            try {
                if (!connection) connection = std::make_unique<RawConnection>(port_);
                connection->send_all("GET " + targets[i % targets.size()] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                const auto reply = connection->read_response(10s);
                if (!reply) failure = "no answer within 10 s";
                else if (reply->status != 200) failure = "status " + std::to_string(reply->status) + " " + reply->body.substr(0, 200);
                else if (!json::parse(reply->body).at("hits").is_array()) failure = "no hits in " + reply->body.substr(0, 200);
            } catch (const std::exception& error) {
                failure = std::string("exception: ") + error.what();
            }
            if (!failure.empty()) connection.reset();
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
            {
                std::lock_guard lock(mutex_);
                if (!failure.empty()) failures_.push_back((attacking ? "under attack: " : "at rest: ") + failure);
                else (attacking ? attack_ : rest_).push_back(ms);
            }
            std::this_thread::sleep_for(5ms);
        }
    }

    unsigned short port_;
    std::atomic<bool> done_{false}, attacking_{false};
    mutable std::mutex mutex_;
    std::vector<double> rest_, attack_;
    std::vector<std::string> failures_;
    std::thread thread_;
};

constexpr std::string_view kTableHeader =
    "| attack | requests rest / attack | p50 ms rest / attack | p99 ms at rest | p99 ms under attack "
    "| RSS before MB | RSS peak MB | RSS after MB |";

/// Prints a table row; appends it to $SCHOLARSEARCH_HOSTILE_REPORT too (the header first, once).
void report(const std::string& row) {
    std::cout << kTableHeader << '\n' << row << std::endl;
    const char* file = std::getenv("SCHOLARSEARCH_HOSTILE_REPORT");
    if (!file || !*file) return;
    std::error_code ignored;
    const bool fresh = !std::filesystem::exists(file, ignored) || std::filesystem::file_size(file, ignored) == 0;
    std::ofstream out(file, std::ios::app);
    if (fresh) out << kTableHeader << "\n|---|---|---|---|---|---|---|---|\n";
    out << row << '\n';
}

/**
 * Runs the well-behaved client at rest, then `attack` while it keeps going; checks that the
 * server stayed up, every well-behaved request got 200, p99 under attack < kP99BoundMs and
 * resident memory grew by less than `rss_growth_mb` at its peak; prints the table row.
 * Returns the server's CPU use at rest (cores), with the well-behaved client running.
 */
double under_attack(const std::string& name, HostileServer& server, double rss_growth_mb,
                    const std::function<void(const Done&)>& attack) {
    const pid_t pid = server.pid();
    WellBehavedClient good(server.port());
    const auto rest_started = Clock::now();
    const double cpu_rest_start = cpu_seconds(pid);
    good.wait_for_rest_samples();
    const double rest_seconds = std::chrono::duration<double>(Clock::now() - rest_started).count();
    const double cpu_rest = (cpu_seconds(pid) - cpu_rest_start) / rest_seconds;

    const double rss_before = rss_mb(pid);
    std::atomic<bool> attacking{true};
    double rss_peak = rss_before;
    std::thread monitor([&] {
        while (attacking) {
            rss_peak = std::max(rss_peak, rss_mb(pid));
            std::this_thread::sleep_for(20ms);
        }
    });
    good.begin_attack();
    const auto attack_started = Clock::now();
    attack([&] {
        const auto lasted = Clock::now() - attack_started;
        return lasted >= kAttackLimit || (lasted >= kAttackTime && good.attack_samples() >= kMinSamples);
    });
    attacking = false;
    monitor.join();
    const double rss_after = rss_mb(pid);
    rss_peak = std::max(rss_peak, rss_after);
    good.stop();

    const auto rest = good.rest(), under = good.attack();
    std::ostringstream row;
    row << std::fixed << std::setprecision(1) << "| " << name << (under_asan ? " (ASan build)" : "") << " | " << rest.size() << " / " << under.size() << " | "
        << percentile(rest, 0.5) << " / " << percentile(under, 0.5) << " | " << percentile(rest, 0.99) << " | "
        << percentile(under, 0.99) << " | " << rss_before << " | " << rss_peak << " | " << rss_after << " |";
    report(row.str());

    INFO(name);
    CHECK(server.running());
    const Exchange health = exchange(server.port(), get_request("/health"));
    CHECK((health.responses.size() == 1 && health.responses[0].status == 200));
    const auto failures = good.failures();
    std::string failure_text;
    for (std::size_t i = 0; i < std::min<std::size_t>(failures.size(), 10); ++i) failure_text += failures[i] + "\n";
    INFO("well-behaved failures:\n" << failure_text);
    CHECK(failures.empty());
    CHECK(rest.size() >= 50);
    CHECK(under.size() >= kMinSamples);
    CHECK(percentile(under, 0.99) < kP99BoundMs);
    INFO("RSS before " << rss_before << " MB, peak " << rss_peak << " MB");
    CHECK(rss_peak - rss_before < rss_bound(rss_growth_mb));
    return cpu_rest;
}

struct Row {
    std::string name;
    std::string bytes;
    std::function<std::string(const Exchange&)> check;   ///< "" when the answer is right
};

/// The answer is exactly one JSON error with `status`, and the server closed the connection.
std::function<std::string(const Exchange&)> one_error(unsigned status, std::string error, std::string detail_part = "") {
    return [=](const Exchange& answer) -> std::string {
        if (!answer.closed) return "connection not closed by the server";
        if (answer.responses.size() != 1) return std::to_string(answer.responses.size()) + " responses in " +
                                                 std::to_string(answer.bytes) + " bytes";
        if (answer.responses[0].head.find("connection: close") == std::string::npos) return "no Connection: close";
        return check_json_error(answer.responses[0], status, error, detail_part);
    };
}

/// Sends every row from two threads, over and over until `done()` and every row went at least
/// once; records wrong answers.
void send_rows(unsigned short port, const std::vector<Row>& rows, Failures& failures, std::atomic<std::size_t>& sent,
               const Done& done) {
    attack_until([&] { return sent >= rows.size() && done(); }, 2, [&](int thread, std::size_t iteration) {
        const Row& row = rows[(iteration + static_cast<std::size_t>(thread) * rows.size() / 2) % rows.size()];
        try {
            const std::string problem = row.check(exchange(port, row.bytes));
            if (!problem.empty()) failures.add(row.name + ": " + problem);
        } catch (const std::exception& error) {
            failures.add(row.name + ": " + error.what());
        }
        ++sent;
    });
}

}  // namespace

TEST_CASE("hostile: slowloris connections are cut off at the read timeout on first and keep-alive requests") {
    raise_open_file_limit();
    TestIndex corpus;
    constexpr int read_timeout_ms = 1000;
    HostileServer server(corpus.db, {"--read-timeout-ms", std::to_string(read_timeout_ms), "--idle-timeout-ms", "20000",
                                    "--max-connections", "4096"});
    const int connections = scaled(300);
    const std::string trickle = "GET /search?q=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    Failures failures;
    std::vector<double> fresh_lifetimes, keep_alive_lifetimes;
    std::size_t still_open = 0;

    under_attack("slowloris: " + std::to_string(connections) + " connections, 1 byte per 50 ms", server, 64, [&](const Done& done) {
        struct Slow {
            std::unique_ptr<RawConnection> connection;
            bool keep_alive = false;
            Clock::time_point started;
            std::size_t sent = 0;
        };
        // Half the connections first make a proper request, then trickle the next one.
        auto open = [&](bool keep_alive) {
            Slow slow{std::make_unique<RawConnection>(server.port()), keep_alive, {}, 0};
            if (keep_alive) {
                slow.connection->send_all("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                const auto first = slow.connection->read_response(10s);
                if (!first || first->status != 200) failures.add("keep-alive connection: no 200 for its first request");
            }
            slow.started = Clock::now();
            return slow;
        };
        std::vector<Slow> slots;
        for (int i = 0; i < connections; ++i) slots.push_back(open(i % 2 == 1));
        // Cut connections are replaced until the attack is done; then the last ones must go.
        std::optional<Clock::time_point> give_up;
        std::size_t opened = slots.size();
        for (;;) {
            if (!give_up && done()) give_up = Clock::now() + std::chrono::milliseconds(read_timeout_ms) * 6;
            std::size_t open_now = 0;
            for (auto& slot : slots) {
                if (!slot.connection) continue;
                const char byte = slot.sent < trickle.size() ? trickle[slot.sent] : 'a';
                const auto state = slot.connection->state();
                if (state == RawConnection::State::data) failures.add("the server answered a request that never completed");
                if (state != RawConnection::State::open || !slot.connection->send_all(std::string_view(&byte, 1))) {
                    const double lifetime = std::chrono::duration<double, std::milli>(Clock::now() - slot.started).count();
                    (slot.keep_alive ? keep_alive_lifetimes : fresh_lifetimes).push_back(lifetime);
                    slot.connection.reset();
                    if (!give_up) {
                        slot = open(opened++ % 2 == 1);
                        ++open_now;
                    }
                    continue;
                }
                ++slot.sent;
                ++open_now;
            }
            if (open_now == 0 || (give_up && Clock::now() >= *give_up)) {
                still_open = open_now;
                break;
            }
            std::this_thread::sleep_for(50ms);
        }
    });

    INFO(failures.summary());
    CHECK(failures.count() == 0);
    CHECK(still_open == 0);
    REQUIRE_FALSE(fresh_lifetimes.empty());
    REQUIRE_FALSE(keep_alive_lifetimes.empty());
    const double slack_ms = under_asan ? 3000 : 1500;
    for (const auto* lifetimes : {&fresh_lifetimes, &keep_alive_lifetimes}) {
        const auto [shortest, longest] = std::minmax_element(lifetimes->begin(), lifetimes->end());
        INFO("cut after " << *shortest << " .. " << *longest << " ms (read timeout " << read_timeout_ms << " ms)");
        CHECK(*shortest >= read_timeout_ms * 0.8);   // the read timeout cut them, nothing earlier
        CHECK(*longest <= read_timeout_ms + slack_ms);
    }
    std::cout << "slowloris: cut " << fresh_lifetimes.size() << " first-request and " << keep_alive_lifetimes.size()
              << " keep-alive connections, longest " << percentile(fresh_lifetimes, 1.0) << " / "
              << percentile(keep_alive_lifetimes, 1.0) << " ms" << std::endl;
}

TEST_CASE("hostile: oversized request lines and headers get 414 or 431 with a JSON body and a closed connection") {
    raise_open_file_limit();
    TestIndex corpus;
    HostileServer server(corpus.db, {"--max-header-bytes", "16384", "--max-target-bytes", "8192", "--read-timeout-ms", "2000"});
    auto line = [](std::size_t target_bytes) {
        return "GET /search?q=" + std::string(target_bytes - 10, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    };
    auto with_headers = [](const std::string& headers) {
        return "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + "\r\n";
    };
    std::string many_headers;
    for (int i = 0; i < 4000; ++i) many_headers += "X-H" + std::to_string(i) + ": v\r\n";
    const std::vector<Row> rows{
        // Inside the header limit the router answers; past it the request line alone overflows.
        {"10 KB target", line(10000), one_error(414, "request target too long", "at most 8192 bytes")},
        {"20 KB target", line(20000), one_error(414, "request target too long", "at most 8192 bytes")},
        {"1 MB target", line(1 << 20), one_error(414, "request target too long", "at most 8192 bytes")},
        {"one 20 KB header", with_headers("X-Big: " + std::string(20000, 'b') + "\r\n"), one_error(431, "request header too large")},
        {"4000 headers", with_headers(many_headers), one_error(431, "request header too large")},
        {"one 1 MB header", with_headers("X-Big: " + std::string(1 << 20, 'b') + "\r\n"), one_error(431, "request header too large")},
    };
    Failures failures;
    std::atomic<std::size_t> sent{0};
    under_attack("oversized request lines and headers (" + std::to_string(rows.size()) + " kinds)", server, 64,
                 [&](const Done& done) { send_rows(server.port(), rows, failures, sent, done); });
    INFO(failures.summary());
    CHECK(failures.count() == 0);
    CHECK(sent >= rows.size());
}

TEST_CASE("hostile: thousands of idle connections are held up to --max-connections and the rest closed at once") {
    const rlim_t open_files = raise_open_file_limit();
    TestIndex corpus;
    constexpr int extra = 300;
    const int idle = std::min(scaled(2000), static_cast<int>(open_files) - extra - 200);
    REQUIRE(idle >= 100);
    const int max_connections = idle + 100;
    // Long timeouts: the idle connections must stay until the test lets them go.
    HostileServer server(corpus.db, {"--max-connections", std::to_string(max_connections), "--read-timeout-ms", "60000",
                                    "--idle-timeout-ms", "60000"});
    std::size_t idle_still_open = 0, extra_closed = 0, extra_open = 0, idle_answered = 0;
    std::size_t connect_failures = 0;

    under_attack(std::to_string(idle) + " idle connections + " + std::to_string(extra) + " over --max-connections " +
                     std::to_string(max_connections),
                 server, 64, [&](const Done& done) {
                     std::vector<std::unique_ptr<RawConnection>> held, over;
                     for (int i = 0; i < idle; ++i) {
                         try {
                             held.push_back(std::make_unique<RawConnection>(server.port()));
                         } catch (const std::exception&) {
                             ++connect_failures;
                         }
                     }
                     // Let the server accept all of them before the ones over the limit arrive.
                     std::this_thread::sleep_for(under_asan ? 1000ms : 300ms);
                     for (int i = 0; i < extra; ++i) over.push_back(std::make_unique<RawConnection>(server.port()));
                     // The well-behaved client holds one connection too.
                     const std::size_t expected_closed = static_cast<std::size_t>(extra - (max_connections - idle - 1));
                     const auto deadline = Clock::now() + 10s;
                     while (Clock::now() < deadline) {
                         extra_closed = static_cast<std::size_t>(std::count_if(over.begin(), over.end(), [](auto& c) {
                             return c->state() == RawConnection::State::closed;
                         }));
                         if (extra_closed >= expected_closed) break;
                         std::this_thread::sleep_for(20ms);
                     }
                     std::this_thread::sleep_for(200ms);   // no more than that are closed
                     extra_closed = extra_open = 0;
                     for (auto& c : over) (c->state() == RawConnection::State::closed ? extra_closed : extra_open)++;
                     for (auto& c : held) idle_still_open += c->state() == RawConnection::State::open;
                     // The idle connections are real sessions: a few of them now ask something.
                     for (std::size_t i = 0; i < held.size(); i += std::max<std::size_t>(1, held.size() / 20)) {
                         held[i]->send_all("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                         const auto answer = held[i]->read_response(10s);
                         idle_answered += answer && answer->status == 200;
                     }
                     while (!done()) std::this_thread::sleep_for(20ms);
                 });

    CHECK(connect_failures == 0);
    CHECK(idle_still_open == static_cast<std::size_t>(idle));
    CHECK(idle_answered >= 20);
    CHECK(extra_open == static_cast<std::size_t>(max_connections - idle - 1));
    CHECK(extra_closed == static_cast<std::size_t>(extra - (max_connections - idle - 1)));
    // Closing them gives the slots back: new connections are served and the gauge drops.
    CHECK(get(server.port(), "/health").status == 200);
    std::string open_gauge;
    const auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline) {
        const std::string metrics = get(server.port(), "/metrics").body;
        const auto at = metrics.find("\nscholarsearch_open_connections ");
        REQUIRE(at != std::string::npos);
        open_gauge = metrics.substr(at + 32, metrics.find('\n', at + 1) - at - 32);
        if (std::atoi(open_gauge.c_str()) <= 1) break;
        std::this_thread::sleep_for(50ms);
    }
    INFO("scholarsearch_open_connections " << open_gauge);
    CHECK(std::atoi(open_gauge.c_str()) <= 1);
}

TEST_CASE("hostile: running out of file descriptors neither spins the accept loop nor stops service") {
    raise_open_file_limit();
    TestIndex corpus;
    constexpr int open_file_limit = 256;
    HostileServer server(corpus.db, {"--max-connections", "4096", "--read-timeout-ms", "60000"}, open_file_limit);
    const int flood = std::max(2 * open_file_limit, scaled(600));
    std::size_t recovered = 0;
    double cpu_held = 0;
    const double cpu_rest = under_attack(std::to_string(flood) + " connections against a 256-descriptor limit", server, 64, [&](const Done& done) {
        std::vector<std::unique_ptr<RawConnection>> held;
        for (int i = 0; i < flood; ++i) held.push_back(std::make_unique<RawConnection>(server.port()));
        // The server now holds all the descriptors it may have; the rest wait in the backlog.
        std::this_thread::sleep_for(300ms);
        const double cpu_start = cpu_seconds(server.pid());
        const auto hold_start = Clock::now();
        while (!done()) std::this_thread::sleep_for(20ms);
        cpu_held = (cpu_seconds(server.pid()) - cpu_start) / std::chrono::duration<double>(Clock::now() - hold_start).count();
        held.clear();
        // Once descriptors are free again, a new connection is served (the backlog drains).
        const auto deadline = Clock::now() + 15s;
        while (!recovered && Clock::now() < deadline) {
            try {
                recovered = get(server.port(), "/health").status == 200;
            } catch (const std::exception&) {
                std::this_thread::sleep_for(50ms);
            }
        }
    });
    CHECK(recovered);
    // Retrying a failing accept at once would keep a core busy while descriptors are exhausted;
    // the well-behaved client's searches are all the work there is, at rest as while held.
    std::cout << "server CPU: " << cpu_rest << " cores at rest, " << cpu_held << " while the descriptors are exhausted"
              << std::endl;
    CHECK(cpu_held < cpu_rest + 0.3);
}

TEST_CASE("hostile: garbage bytes and invalid methods and bad chunked encoding get 4xx and a closed connection") {
    raise_open_file_limit();
    TestIndex corpus;
    HostileServer server(corpus.db, {"--read-timeout-ms", "2000"});
    std::mt19937 random(20240601);
    auto binary = [&](std::size_t size) {
        std::string bytes(size, '\0');
        for (auto& byte : bytes) byte = static_cast<char>(random() & 0xFF);
        bytes[0] = static_cast<char>(0x80 | (random() & 0x7F));   // never a method character
        return bytes;
    };
    const std::string chunked = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    const auto bad = one_error(400, "malformed request");
    const auto not_allowed = [](const Exchange& answer) -> std::string {
        if (auto problem = one_error(405, "method not allowed")(answer); !problem.empty()) return problem;
        return answer.responses[0].head.find("\r\nallow: get, head\r\n") == std::string::npos ? "no Allow header" : "";
    };
    const std::vector<Row> rows{
        {"64 random bytes", binary(64), bad},
        {"4 KB random bytes", binary(4096), bad},
        {"64 KB random bytes", binary(65536), bad},
        {"FOO method", "FOO / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", not_allowed},
        {"FOO on /search", "FOO /search?q=a HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", not_allowed},
        {"DELETE", "DELETE /doc/sample-001 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", not_allowed},
        {"lower-case get", "get /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", not_allowed},
        {"HTTP/0.9 request", "GET /\r\n\r\n", bad},
        {"HTTP/0.9 with a bare LF", "GET /search?q=a\n", bad},
        {"HTTP/2 preface", std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), bad},
        {"HTTP/3.0 version", "GET /health HTTP/3.0\r\nHost: 127.0.0.1\r\n\r\n", bad},
        {"NUL bytes", std::string(100, '\0') + "\r\n\r\n", bad},
        {"10000 empty lines", repeat("\r\n", 10000), bad},
        {"header without colon", "GET /health HTTP/1.1\r\nNoColonHere\r\n\r\n", bad},
        {"two spaces in request line", "GET  /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", bad},
        {"control byte in target", "GET /he\x01lth HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", bad},
        {"chunk size not hex", chunked + "zz\r\nabc\r\n0\r\n\r\n", bad},
        {"chunk size overflowing 64 bits", chunked + "10000000000000000\r\n", bad},
        {"chunk data without CRLF", chunked + "5\r\nabcdeXX0\r\n\r\n", bad},
        {"chunk over the body limit", chunked + "100000\r\n" + std::string(1000, 'x'), one_error(413, "request body too large")},
        {"20000 one-byte chunks", chunked + repeat("1\r\na\r\n", 20000) + "0\r\n\r\n", one_error(413, "request body too large")},
        // Beast buffers a chunk-size line whole and bounds neither it nor trailers: the
        // server's capped read buffer does.
        {"1 MB chunk extension", chunked + "5;" + std::string(1 << 20, 'e') + "\r\nabcde\r\n0\r\n\r\n",
         one_error(413, "request body too large")},
        {"1 MB trailer", chunked + "0\r\nX-Trailer: " + std::string(1 << 20, 't') + "\r\n\r\n", one_error(413, "request body too large")},
        {"Content-Length 100 MB", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\nabc",
         one_error(413, "request body too large")},
        {"Content-Length and chunked", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", bad},
        {"negative Content-Length", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n", bad},
        {"garbage pipelined after a good request", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\x01\x02garbage\r\n\r\n",
         [](const Exchange& answer) -> std::string {
             if (!answer.closed) return "connection not closed";
             if (answer.responses.size() != 2) return std::to_string(answer.responses.size()) + " responses";
             if (answer.responses[0].status != 200) return "first answer " + std::to_string(answer.responses[0].status);
             return check_json_error(answer.responses[1], 400, "malformed request", "");
         }},
    };
    Failures failures;
    std::atomic<std::size_t> sent{0};
    under_attack("garbage and invalid methods (" + std::to_string(rows.size()) + " kinds)", server, 64,
                 [&](const Done& done) { send_rows(server.port(), rows, failures, sent, done); });
    INFO(failures.summary());
    CHECK(failures.count() == 0);
    CHECK(sent >= rows.size());
}

TEST_CASE("hostile: very long and deeply nested boolean queries get an answer or a 400 and never a hang") {
    raise_open_file_limit();
    TestIndex corpus;
    // One search thread more than attackers: the attack queries are slow by design (see below),
    // and with every search thread busy a well-behaved search would queue behind one of them.
    HostileServer server(corpus.db, {"--read-timeout-ms", "2000"}, std::nullopt, 3);
    const auto baseline = hit_ids(get(server.port(), "/search?q=government&size=10").json());
    REQUIRE_FALSE(baseline.empty());
    auto search = [](const std::string& query) { return get_request("/search?size=10&q=" + query); };
    // The answer is 200 with the hits of the plain query `government`.
    const auto same_as_government = [baseline](const Exchange& answer) -> std::string {
        if (answer.responses.size() != 1) return std::to_string(answer.responses.size()) + " responses";
        if (answer.responses[0].status != 200) return "status " + std::to_string(answer.responses[0].status) + " " + answer.responses[0].body.substr(0, 200);
        try {
            return hit_ids(json::parse(answer.responses[0].body)) == baseline ? "" : "other hits than for government";
        } catch (const std::exception& error) {
            return error.what();
        }
    };
    const auto ok = [](const Exchange& answer) -> std::string {
        if (answer.responses.size() != 1) return std::to_string(answer.responses.size()) + " responses";
        if (answer.responses[0].status != 200) return "status " + std::to_string(answer.responses[0].status) + " " + answer.responses[0].body.substr(0, 200);
        try {
            return json::parse(answer.responses[0].body).at("hits").is_array() ? "" : "no hits";
        } catch (const std::exception& error) {
            return error.what();
        }
    };
    // (Appends rather than "literal" + string: GCC 12 reports a false -Wrestrict on those.)
    std::string and_chain, or_4k, or_10k, words, phrase;
    for (int i = 0; i < 300; ++i) and_chain.append("(w").append(std::to_string(i)).append("+AND+");
    and_chain.append("government").append(300, ')');
    for (int i = 0; or_4k.size() + 12 < 4096; ++i) or_4k.append(i ? "+OR+t" : "t").append(std::to_string(i));
    for (int i = 0; i < 10000; ++i) or_10k.append(i ? "+OR+t" : "t").append(std::to_string(i));
    for (int i = 0; i < 1300; ++i)
        words.append(i ? "+" : "").append(1, static_cast<char>('a' + i / 26 % 26)).append(1, static_cast<char>('a' + i % 26));
    phrase.append("%22").append(repeat("a", 2000, "+")).append("%22");
    // As many Han characters as fit in the URL, percent-encoded (9 bytes each): ~900 bigrams.
    std::string han;
    std::mt19937 random(7);
    while (han.size() + 9 < 8000) {
        const unsigned code = 0x4E00 + random() % (0x9FA5 - 0x4E00);
        char encoded[10];
        std::snprintf(encoded, sizeof encoded, "%%%02X%%%02X%%%02X", 0xE0 | (code >> 12), 0x80 | ((code >> 6) & 0x3F),
                      0x80 | (code & 0x3F));
        han += encoded;
    }
    const std::vector<Row> rows{
        {"1000 nested brackets, encoded", search(repeat("%28", 1000) + "government" + repeat("%29", 1000)), same_as_government},
        {"2000 nested brackets", search(std::string(2000, '(') + "government" + std::string(2000, ')')), same_as_government},
        {"1300 unclosed brackets", search(std::string(1300, '(') + "government"), same_as_government},
        {"1000 unopened brackets", search("government" + std::string(1000, ')')), same_as_government},
        {"300-deep AND chain", search(and_chain), ok},
        {"1300 distinct words", search(words), ok},
        {"2000-word phrase", search(phrase), ok},
        {std::to_string(han.size() / 9) + " Han characters", search(han), ok},
        {"1000 NOTs", search(repeat("NOT", 1000, "+") + "+government"), ok},
        {"150 NEAR/1000 pairs", search(repeat("social+NEAR/1000+media", 150, "+")), ok},
        {"4 KB OR query (" + std::to_string(std::count(or_4k.begin(), or_4k.end(), 'O')) + " terms)", search(or_4k), ok},
        {"10000-term OR query", search(or_10k), one_error(414, "request target too long", "at most 8192 bytes")},
        {"4097-byte query", search(std::string(4097, 'x')), one_error(400, "query too long", "at most 4096")},
        {"query growing past the limit by NFKC", search(repeat("%E3%8C%80", 800)), one_error(400, "bad query", "after Unicode normalization")},
    };
    Failures failures;
    std::atomic<std::size_t> sent{0};
    // The worst of these, 1300 distinct words in 4 KB (or ~900 Han characters), costs Xapian
    // about 0.5 s and 45 MB while it runs (an OR of ~3900 terms); each of the 3 search threads
    // can run one, and freed memory stays in the thread's malloc arena: 3 x 45 MB plus slack.
    // (Repeating them does not grow it further: measured flat over 100 rounds.)
    under_attack("long and nested queries (" + std::to_string(rows.size()) + " kinds)", server, 160,
                 [&](const Done& done) { send_rows(server.port(), rows, failures, sent, done); });
    INFO(failures.summary());
    CHECK(failures.count() == 0);
    CHECK(sent >= rows.size());
}

TEST_CASE("hostile: wildcards that would expand to huge term lists get a 400 naming the limit") {
    raise_open_file_limit();
    TestIndex corpus;
    HostileServer server(corpus.db, {"--read-timeout-ms", "2000"});
    REQUIRE(zq_words_starting("zq") > 1000);   // more than one query may expand to
    // facets=1 makes the match count exact (every match up to 10000 is looked at).
    auto search = [](const std::string& query) { return get_request("/search?size=1&facets=1&q=" + query); };
    const auto total = [](std::size_t expected) {
        return [expected](const Exchange& answer) -> std::string {
            if (answer.responses.size() != 1 || answer.responses[0].status != 200)
                return "no 200: " + (answer.responses.empty() ? std::string() : answer.responses[0].body.substr(0, 200));
            const auto result = json::parse(answer.responses[0].body);
            const auto estimated = result.at("total").at("estimated").to_number<std::size_t>();
            return estimated == expected ? "" : "total " + std::to_string(estimated) + ", expected " + std::to_string(expected);
        };
    };
    const auto too_many_words = one_error(400, "bad query", "at most 1000 in one query");
    const auto too_many_codes = one_error(400, "bad query", "at most 10000 in one");
    std::string ten_prefixes;
    for (int i = 0; i < 10; ++i) ten_prefixes += (i ? "+zq0" : "zq0") + std::to_string(i) + "*";
    const std::size_t under_zq0 = zq_words_starting("zq0");
    REQUIRE(under_zq0 <= 1000);
    // One clc: prefix covering every code under it is fine.
    const auto every_tq_record = [](const Exchange& answer) -> std::string {
        if (answer.responses.size() != 1 || answer.responses[0].status != 200) return "no 200";
        const auto result = json::parse(answer.responses[0].body);
        return result.at("total").at("upper_bound").to_number<std::size_t>() == kZqRecords ? "" : "not every TQ record";
    };
    const std::vector<Row> rows{
        {"zq* (" + std::to_string(zq_words_starting("zq")) + " words)", search("zq*"), too_many_words},
        {"title:zq*", search("title:zq*"), too_many_words},
        {"zq0* (" + std::to_string(under_zq0) + " words)", search("zq0*"), total(under_zq0)},
        {"zq00* .. zq09* (10 wildcards, " + std::to_string(under_zq0) + " words together)", search(ten_prefixes), total(under_zq0)},
        {"zq0* zq1*", search("zq0*+zq1*"), too_many_words},
        {"800 x zq0*", search(repeat("zq0*", 800, "+")), too_many_words},
        {"clc:TQ (" + std::to_string(kZqRecords) + " codes)", search("clc:TQ"), every_tq_record},
        {"4 x clc:TQ", search(repeat("clc:TQ", 4, "+")), too_many_codes},
        {"500 x clc:TQ", search(repeat("clc:TQ", 500, "+")), too_many_codes},
        {"4 clc=TQ filters", get_request("/search?q=record&" + repeat("clc=TQ", 4, "&")), too_many_codes},
        {"1000 clc=T filters", get_request("/search?q=record&" + repeat("clc=T", 1000, "&")), too_many_codes},
        {"/suggest?q=zq", get_request("/suggest?q=zq&size=50"),
         [](const Exchange& answer) -> std::string {
             if (answer.responses.size() != 1 || answer.responses[0].status != 200) return "no 200";
             return json::parse(answer.responses[0].body).at("suggestions").as_array().size() == 50 ? "" : "not 50 suggestions";
         }},
    };
    Failures failures;
    std::atomic<std::size_t> sent{0};
    under_attack("wildcard and clc: expansion floods (" + std::to_string(rows.size()) + " kinds)", server, 64,
                 [&](const Done& done) { send_rows(server.port(), rows, failures, sent, done); });
    INFO(failures.summary());
    CHECK(failures.count() == 0);
    CHECK(sent >= rows.size());
}

TEST_CASE("hostile: huge and malformed page and size and offset values get a 400 naming the parameter") {
    raise_open_file_limit();
    TestIndex corpus;
    HostileServer server(corpus.db, {"--read-timeout-ms", "2000"});
    std::vector<Row> rows;
    for (const std::string name : {"page", "size", "offset"})
        for (const std::string value : {"1e18", "-1", "99999999999999999999", "1000000000000000000", "18446744073709551615",
                                        "abc", "%2B5", "0x10", "1.5", "%205", "5%00"}) {
            const bool bad_encoding = value == "5%00";
            rows.push_back({name + "=" + value, get_request("/search?q=government&" + name + "=" + value),
                            bad_encoding ? one_error(400, "invalid character") : one_error(400, "bad parameter", name)});
        }
    rows.push_back({"page=0", get_request("/search?q=government&page=0"), one_error(400, "bad parameter", "page")});
    rows.push_back({"size=101", get_request("/search?q=government&size=101"), one_error(400, "bad parameter", "size")});
    rows.push_back({"page=101 of 100", get_request("/search?q=government&size=100&page=101"), one_error(400, "bad parameter", "page")});
    rows.push_back({"offset=9991", get_request("/search?q=government&offset=9991"), one_error(400, "bad parameter", "offset")});
    rows.push_back({"page and offset", get_request("/search?q=government&page=2&offset=10"), one_error(400, "bad parameter", "page or offset")});
    rows.push_back({"/similar size=1e18", get_request("/similar/sample-001?size=1e18"), one_error(400, "bad parameter", "size")});
    rows.push_back({"/suggest size=-1", get_request("/suggest?q=gov&size=-1"), one_error(400, "bad parameter", "size")});
    // The deepest pages allowed are served.
    const auto empty_page = [](std::size_t offset) {
        return [offset](const Exchange& answer) -> std::string {
            if (answer.responses.size() != 1 || answer.responses[0].status != 200) return "no 200";
            const auto result = json::parse(answer.responses[0].body);
            return result.at("offset").to_number<std::size_t>() == offset && result.at("hits").as_array().empty() ? "" : "wrong page";
        };
    };
    rows.push_back({"page=100 of 100", get_request("/search?q=government&size=100&page=100"), empty_page(9900)});
    rows.push_back({"offset=9990", get_request("/search?q=government&offset=9990"), empty_page(9990)});
    Failures failures;
    std::atomic<std::size_t> sent{0};
    under_attack("huge page/size/offset values (" + std::to_string(rows.size()) + " kinds)", server, 64,
                 [&](const Done& done) { send_rows(server.port(), rows, failures, sent, done); });
    INFO(failures.summary());
    CHECK(failures.count() == 0);
    CHECK(sent >= rows.size());
}
