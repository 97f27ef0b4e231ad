// GET /search facets by name and cursor walks, against the real server on loopback over indexes
// built by the real indexer from records this test writes (tests/support/walk_corpus.hpp).
#include "../support/http_client.hpp"
#include "../support/temp_dir.hpp"
#include "../support/walk_corpus.hpp"

#include <xapian.h>

#include <algorithm>
#include <map>
#include <thread>

using namespace scholarsearch::testing;

namespace {

// More hits than offset + size may reach (10000), so only a cursor can walk them all.
constexpr std::size_t many_records = 10500;

std::map<std::string, std::size_t> facet_map(const json::value& values) {
    std::map<std::string, std::size_t> out;
    for (const auto& item : values.as_array())
        out[std::string(item.at("value").as_string())] = item.at("count").to_number<std::size_t>();
    return out;
}

std::string next_cursor(const json::value& result) {
    const json::value& next = result.at("next_cursor");
    return next.is_null() ? std::string() : std::string(next.as_string());
}

// Follows next_cursor from `*` to the end: every id in order, and the number of pages.
std::vector<std::string> walk(unsigned short port, const std::string& search, std::size_t& pages) {
    Client client(port);
    std::vector<std::string> ids;
    std::string cursor = "*";
    for (pages = 1;; ++pages) {
        Reply reply = client.request(search + "&cursor=" + cursor);
        REQUIRE(reply.status == 200);
        const json::value result = reply.json();
        for (auto& id : hit_ids(result)) ids.push_back(std::move(id));
        cursor = next_cursor(result);
        if (cursor.empty()) return ids;
        REQUIRE(pages < 1000);
    }
}

// Waits until the search threads serve what the indexer left under `root` (/health). A swapped-in
// build may have the revision number of the old one, hence the record count as well.
bool serves_latest(unsigned short port, const std::string& root) {
    const Xapian::Database latest(root);
    const std::size_t documents = latest.get_doccount();
    const std::string revision = std::to_string(latest.get_revision());
    const auto started = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - started < 10s) {
        const Reply health = get(port, "/health");
        if (health.status == 200 && health.json().at("documents").to_number<std::size_t>() == documents &&
            health.json().at("revision").as_string() == revision)
            return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

}  // namespace

TEST_CASE("server: facets by name count every one of 10500 matches, and a cursor walks every hit exactly once") {
    TempDir dir;
    const WalkCorpus corpus = make_walk_corpus(many_records);
    const std::string db = dir / "db";
    REQUIRE(run_program({INDEX_BIN, "-q", "--db", db, dir.write("walk.jsonl", corpus.jsonl)}) == 0);
    Server server(SERVER_BIN, db);
    const auto port = server.port();

    Reply all = get(port, "/search?q=walk&size=1&facets=year,venue,keyword,author,clc&facet_size=1000");
    REQUIRE(all.status == 200);
    const json::value result = all.json();
    CHECK(result.at("facets_counted").to_number<std::size_t>() == corpus.records);
    CHECK(result.at("facets_exact") == true);
    CHECK(result.at("total").at("lower_bound").to_number<std::size_t>() == corpus.hits());
    CHECK(result.at("total").at("upper_bound").to_number<std::size_t>() == corpus.hits());
    CHECK(result.at("total").at("estimated").to_number<std::size_t>() == corpus.hits());
    for (const auto& [name, expected] : corpus.facets) {
        INFO(name);
        CHECK(facet_map(result.at("facets").at(name)) == expected);
    }

    Reply two = get(port, "/search?q=walk&size=1&facets=venue,year&facet_size=2");
    REQUIRE(two.status == 200);
    const json::value two_result = two.json();
    const auto& facets = two_result.at("facets").as_object();
    CHECK(facets.size() == 2);
    CHECK(facets.at("venue").as_array().size() == 2);
    CHECK(facets.at("year").as_array().size() == corpus.facets.at("year").size());   // every year
    CHECK(get(port, "/search?q=walk&size=1&facets=venue&facets=year").json().at("facets").as_object().size() == 2);
    Reply defaults = get(port, "/search?q=walk&size=1&facets=true");
    CHECK(defaults.json().at("facets").as_object().size() == 5);
    CHECK_FALSE(get(port, "/search?q=walk&size=1&facets=false").json().as_object().contains("facets"));
    CHECK_FALSE(get(port, "/search?q=walk&size=1").json().as_object().contains("facets"));

    // Cursor walk: past the 10000 that offset + size may reach, each hit once.
    CHECK(get(port, "/search?q=walk&size=100&offset=10000").status == 400);
    std::size_t pages = 0;
    const auto ids = walk(port, "/search?q=walk+alpha+beta&size=100&highlight=0", pages);
    CHECK(corpus.check_walk(ids) == "");
    CHECK(pages == (corpus.hits() + 99) / 100);
    std::size_t year_pages = 0;
    CHECK(corpus.check_walk(walk(port, "/search?q=walk&size=100&sort=year-asc&highlight=0", year_pages)) == "");

    // A cursor page asked again comes from the cache, unchanged.
    Reply first = get(port, "/search?q=walk&size=50&cursor=*");
    const std::string page2 = "/search?q=walk&size=50&cursor=" + next_cursor(first.json());
    Reply second = get(port, page2);
    REQUIRE(second.status == 200);
    CHECK(std::string(second.headers["X-Cache"]) == "miss");
    Reply again = get(port, page2);
    CHECK(std::string(again.headers["X-Cache"]) == "hit");
    CHECK(again.body == second.body);
    CHECK(second.json().at("offset").to_number<std::size_t>() == 50);
}

TEST_CASE("server: bad facets and cursors get 400 with a JSON message") {
    TempDir dir;
    const std::string db = dir / "db";
    REQUIRE(run_program({INDEX_BIN, "-q", "--db", db, dir.write("small.jsonl", make_walk_corpus(30).jsonl)}) == 0);
    Server server(SERVER_BIN, db);
    const auto port = server.port();

    Reply unknown = get(port, "/search?q=walk&facets=year,colour");
    REQUIRE(unknown.status == 400);
    const std::string detail(unknown.json().at("detail").as_string());
    CHECK_THAT(detail, Catch::Contains("colour"));
    for (auto name : {"year", "venue", "keyword", "author", "clc"}) CHECK_THAT(detail, Catch::Contains(name));

    const std::string cursor = next_cursor(get(port, "/search?q=walk&size=5&cursor=*").json());
    REQUIRE_FALSE(cursor.empty());
    const std::vector<std::string> bad{
        "/search?q=walk&facet_size=0", "/search?q=walk&facet_size=1001", "/search?q=walk&cursor=",
        "/search?q=walk&cursor=nonsense", "/search?q=walk&cursor=" + cursor.substr(0, cursor.size() / 2),
        "/search?q=walk&cursor=*&page=2", "/search?q=walk&cursor=*&offset=5", "/search?q=walk&size=0&cursor=*",
        "/search?q=alpha&size=5&cursor=" + cursor,   // another search's cursor
        "/search?q=walk&size=5&sort=year&cursor=" + cursor,
    };
    for (const auto& target : bad) {
        INFO(target);
        Reply reply = get(port, target);
        CHECK(reply.status == 400);
        CHECK(reply.json().at("detail").is_string());
    }
    CHECK(get(port, "/search?q=walk&size=5&cursor=" + cursor).status == 200);
}

TEST_CASE("server: a walk across a commit or a nightly swap answers 410, and a new walk sees the change") {
    TempDir dir;
    const std::string root = dir / "live";
    const WalkCorpus corpus = make_walk_corpus(60);
    const std::string records = dir.write("walk.jsonl", corpus.jsonl);
    REQUIRE(run_program({INDEX_BIN, "rebuild", "-q", "--root", root, records}) == 0);
    // One search thread: once /health shows the new revision, every search sees it too.
    Server server(SERVER_BIN, root, {"--search-threads", "1"});
    const auto port = server.port();
    const std::string search = "/search?q=walk&size=10";

    auto expired_after = [&](const std::vector<std::string>& indexer_args) {
        Reply first = get(port, search + "&cursor=*");
        REQUIRE(first.status == 200);
        // The second page is asked for only after the change, so no answer of it is cached.
        const std::string cursor = next_cursor(first.json());
        REQUIRE_FALSE(cursor.empty());
        std::vector<std::string> argv{INDEX_BIN};
        argv.insert(argv.end(), indexer_args.begin(), indexer_args.end());
        REQUIRE(run_program(argv) == 0);
        REQUIRE(serves_latest(port, root));
        Reply expired = get(port, search + "&cursor=" + cursor);
        CHECK(expired.status == 410);
        CHECK(expired.json().at("error") == "cursor expired");
        CHECK_THAT(std::string(expired.json().at("detail").as_string()), Catch::Contains("cursor=*"));
    };

    SECTION("an update commits in place") {
        expired_after({"update", "-q", "--root", root, dir.write("late.jsonl", "{\"id\": \"late-1\", \"title\": \"walk late\"}\n")});
        std::size_t pages = 0;
        const auto ids = walk(port, search, pages);
        CHECK(std::count(ids.begin(), ids.end(), "late-1") == 1);
        CHECK(ids.size() == corpus.hits() + 1);
    }
    SECTION("a rebuild swaps in another database") {
        dir.write("more.jsonl", "{\"id\": \"late-2\", \"title\": \"walk later\"}\n");
        expired_after({"rebuild", "-q", "--root", root, records, dir / "more.jsonl"});
        std::size_t pages = 0;
        const auto ids = walk(port, search, pages);
        CHECK(std::count(ids.begin(), ids.end(), "late-2") == 1);
        CHECK(ids.size() == corpus.hits() + 1);
    }
}
