// Faults of the index under a running server: a damaged file, a vanished directory, a stub naming
// a build that is not there. Each time the server stays up, answers 503 with a JSON message on
// /search and /health, and serves again by itself once a good index is back at the path.
#include "../support/http_client.hpp"
#include "../support/temp_dir.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace scholarsearch::testing;

namespace {

// Enough records that postlist.glass spans many 8 KB blocks, so a truncation loses real data.
std::string records(int count, const std::string& word) {
    std::string out;
    for (int i = 0; i < count; ++i)
        out += "{\"id\": \"f" + std::to_string(i) + "\", \"title\": \"" + word + " record " + std::to_string(i) +
               " term" + std::to_string(i % 97) + "\", \"abstract\": \"words w" + std::to_string(i) + " w" +
               std::to_string(i * 7 % 1013) + " about " + word + "\"}\n";
    return out;
}

void build(const TempDir& dir, const std::string& db, const std::string& word) {
    REQUIRE(run_program({INDEX_BIN, "-q", "--db", db, dir.write(word + ".jsonl", records(4000, word))}) == 0);
}

// Polls until `path` answers `status` (every search thread has noticed), or 5 s pass.
Reply wait_for(unsigned short port, const std::string& path, unsigned status) {
    const auto started = std::chrono::steady_clock::now();
    Reply reply = get(port, path);
    while (reply.status != status && std::chrono::steady_clock::now() - started < 5s) {
        std::this_thread::sleep_for(20ms);
        reply = get(port, path);
    }
    return reply;
}

void check_unavailable(unsigned short port) {
    for (const std::string path : {"/search?q=zircon", "/health", "/search?q=w17"}) {
        INFO(path);
        const Reply reply = wait_for(port, path, 503);
        CHECK(reply.status == 503);
        CHECK(reply.json().at("error").as_string() == "index unavailable");
    }
}

// Every search thread serves the whole new index within a few refresh intervals: one that
// reopened while the indexer was still writing catches up with the later commits.
void check_serving(unsigned short port, const std::string& word) {
    auto serving = [&] {
        const Reply health = get(port, "/health");
        const Reply search = get(port, "/search?q=" + word);
        return health.status == 200 && health.json().at("documents").to_number<long long>() == 4000 &&
               search.status == 200 && !hit_ids(search.json()).empty();
    };
    const auto started = std::chrono::steady_clock::now();
    int in_a_row = 0;
    while (in_a_row < 10 && std::chrono::steady_clock::now() - started < 10s) {
        in_a_row = serving() ? in_a_row + 1 : 0;
        if (in_a_row == 0) std::this_thread::sleep_for(20ms);
    }
    CHECK(in_a_row == 10);
}

}  // namespace

TEST_CASE("index faults: a damaged postlist under a running server gives 503, and a rebuilt index is served") {
    TempDir dir;
    const std::string db = dir / "db";
    build(dir, db, "zircon");
    REQUIRE(std::filesystem::file_size(db + "/postlist.glass") > 8 * 8192);
    Server server(SERVER_BIN, db, {"--threads", "2"});
    check_serving(server.port(), "zircon");
    std::filesystem::resize_file(db + "/postlist.glass", 8192);   // truncate -s 8192, as a bad copy would
    check_unavailable(server.port());
    CHECK_FALSE(server.process().wait(50ms));   // still running
    std::filesystem::remove_all(db);
    build(dir, db, "quartz");
    check_serving(server.port(), "quartz");
}

TEST_CASE("index faults: the index directory removed under a running server gives 503 until it is back") {
    TempDir dir;
    const std::string db = dir / "db";
    build(dir, db, "zircon");
    Server server(SERVER_BIN, db, {"--threads", "2"});
    check_serving(server.port(), "zircon");
    std::filesystem::remove_all(db);
    check_unavailable(server.port());
    CHECK_THAT(std::string(get(server.port(), "/health").json().at("detail").as_string()), Catch::Contains("no longer exists"));
    build(dir, db, "quartz");
    check_serving(server.port(), "quartz");
    CHECK_FALSE(server.process().wait(50ms));
}

TEST_CASE("index faults: a stub naming a missing build gives 503 naming it, and the build once there is served") {
    TempDir dir;
    const std::string root = dir / "live";
    std::filesystem::create_directories(root);
    { std::ofstream(root + "/XAPIANDB") << "auto builds/missing\n"; }
    Server server(SERVER_BIN, root, {"--threads", "2"});
    check_unavailable(server.port());
    CHECK_THAT(get(server.port(), "/health").body, Catch::Contains(root));
    build(dir, root + "/builds/missing", "garnet");
    check_serving(server.port(), "garnet");
}

TEST_CASE("index faults: the server killed with SIGKILL under load restarts on the same port with every record") {
    TempDir dir;
    const std::string db = dir / "db";
    build(dir, db, "zircon");
    auto server = std::make_unique<Server>(SERVER_BIN, db, std::vector<std::string>{"--threads", "2"});
    const unsigned short port = server->port();
    check_serving(port, "zircon");
    std::atomic<bool> done{false};
    std::atomic<int> answered{0};
    std::vector<std::thread> load;
    for (int t = 0; t < 3; ++t)
        load.emplace_back([&, t] {
            while (!done) {
                try {
                    if (get(port, "/search?q=w" + std::to_string(t * 13 + answered % 500)).status == 200) ++answered;
                } catch (const std::exception&) {
                    std::this_thread::sleep_for(5ms);   // the server is down: connection refused or reset
                }
            }
        });
    while (answered < 50) std::this_thread::sleep_for(5ms);
    CHECK(server->process().stop(SIGKILL, 5s) == 128 + SIGKILL);
    server.reset();
    // The same address again at once: the listener reuses it although connections were cut.
    ChildProcess restarted({SERVER_BIN, "--db", db, "--listen", "127.0.0.1:" + std::to_string(port), "--threads", "2"});
    const auto line = restarted.read_line(10s);
    REQUIRE(line);
    CHECK(*line == "listening on 127.0.0.1:" + std::to_string(port));
    const int before = answered;
    check_serving(port, "zircon");
    done = true;
    for (auto& thread : load) thread.join();
    CHECK(answered > before);
}
