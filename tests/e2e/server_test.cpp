// The real scholarsearch-server on a loopback port, over an index built by the real indexer.
#include "../support/http_client.hpp"
#include "../support/temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <regex>
#include <thread>

using namespace scholarsearch::testing;

namespace {

std::string build_sample_index(const TempDir& dir) {
    const std::string db = dir / "db";
    REQUIRE(run_program({INDEX_BIN, "-q", "--db", db, SAMPLE_DIR}) == 0);
    return db;
}


}  // namespace

TEST_CASE("server: every endpoint answers with the documented shape") {
    TempDir dir;
    Server server(SERVER_BIN, build_sample_index(dir));
    const auto port = server.port();

    Reply health = get(port, "/health");
    CHECK(health.status == 200);
    CHECK(health.json().at("documents").to_number<std::uint64_t>() == 49);

    Reply search = get(port, "/search?q=transparency+social+media+government&size=5&facets=1");
    REQUIRE(search.status == 200);
    CHECK(std::string(search.headers[http::field::content_type]) == "application/json; charset=utf-8");
    const json::value result = search.json();
    REQUIRE(result.at("hits").as_array().size() == 5);
    const auto& first = result.at("hits").as_array()[0].as_object();
    for (auto key : {"rank", "id", "score", "doi", "title", "authors", "year", "venue", "snippet", "title_html"})
        CHECK(first.contains(key));
    CHECK(std::string(first.at("snippet").as_string()).find("<mark>") != std::string::npos);
    CHECK(result.at("facets").as_object().contains("year"));
    CHECK(result.at("total").at("estimated").to_number<std::uint64_t>() >= 5);

    Reply chinese = get(port, "/search?q=%E7%A4%BE%E4%BA%A4%E5%AA%92%E4%BD%93+%E6%94%BF%E5%BA%9C&size=3");
    REQUIRE(chinese.status == 200);
    CHECK(chinese.json().at("hits").as_array().size() == 3);

    Reply page2 = get(port, "/search?q=transparency+social+media+government&size=5&page=2");
    REQUIRE(page2.status == 200);
    CHECK(page2.json().at("offset").to_number<std::uint64_t>() == 5);
    CHECK(hit_ids(page2.json()) != hit_ids(result));

    Reply document = get(port, "/doc/sample-001");
    REQUIRE(document.status == 200);
    CHECK(document.json().at("id") == "sample-001");

    Reply similar = get(port, "/similar/sample-003?size=3");
    REQUIRE(similar.status == 200);
    CHECK(hit_ids(similar.json()).at(0) == "sample-004");

    Reply suggest = get(port, "/suggest?q=gov");
    REQUIRE(suggest.status == 200);
    CHECK_FALSE(suggest.json().at("suggestions").as_array().empty());

    Reply page = get(port, "/");
    CHECK(page.status == 200);
    CHECK(page.body.find("<html") != std::string::npos);

    Reply metrics = get(port, "/metrics");
    CHECK(metrics.status == 200);
    CHECK(metrics.body.find("scholarsearch_requests_total{endpoint=\"search\",status=\"200\"}") != std::string::npos);
    CHECK(metrics.body.find("scholarsearch_request_duration_seconds_bucket") != std::string::npos);
    CHECK(metrics.body.find("scholarsearch_index_documents 49") != std::string::npos);

    // Keep-alive: several requests on one connection.
    Client client(port);
    for (int i = 0; i < 3; ++i) CHECK(client.request("/health").status == 200);
}

TEST_CASE("server: an identifier in q puts its record first, and a query that finds nothing answers with its correction") {
    TempDir dir;
    Server server(SERVER_BIN, build_sample_index(dir));
    const auto port = server.port();

    for (std::string q : {"https%3A%2F%2Fdoi.org%2F10.5555%2Fss.2019.021+transparency", "DOI%3A+10.5555%2FSS.2019.021+transparency",
                          "transparency+sample-002"}) {
        INFO(q);
        Reply reply = get(port, "/search?size=10&q=" + q);
        REQUIRE(reply.status == 200);
        const json::value result = reply.json();
        const auto ids = hit_ids(result);
        REQUIRE(ids.size() > 1);
        CHECK(ids[0] == "sample-002");
        CHECK(std::count(ids.begin(), ids.end(), "sample-002") == 1);
        CHECK(result.at("hits").as_array()[0].at("identified") == true);
        CHECK(result.at("hits").as_array()[1].at("identified") == false);
    }

    Reply typo = get(port, "/search?q=transparncy+socail&size=5");
    REQUIRE(typo.status == 200);
    const json::value corrected = typo.json();
    CHECK(corrected.at("query") == "transparncy socail");
    CHECK(corrected.at("corrected_query") == "transparency social");
    CHECK(corrected.at("spelling_suggestion") == "transparency social");
    CHECK_FALSE(hit_ids(corrected).empty());
    Reply right = get(port, "/search?q=transparency+social&size=5");
    CHECK(right.json().at("corrected_query").is_null());
    CHECK(hit_ids(right.json()) == hit_ids(corrected));
}

TEST_CASE("server: the search box finds names with hyphens, accents and umlauts as people type them") {
    TempDir dir;
    const std::string db = dir / "db";
    dir.write("names.jsonl",
              "{\"id\": \"hyphen\", \"title\": \"Digital government\", \"authors\": [\"Ortega-Brandt, Luis\"]}\n"
              "{\"id\": \"accent\", \"title\": \"Open budgets\", \"authors\": [\"Gutiérrez, Ana\"]}\n"
              "{\"id\": \"umlaut\", \"title\": \"Archives online\", \"authors\": [\"Müller, Hans\"]}\n");
    REQUIRE(run_program({INDEX_BIN, "-q", "--db", db, dir / "names.jsonl"}) == 0);
    Server server(SERVER_BIN, db);
    const auto port = server.port();
    const std::vector<std::pair<std::string, std::string>> rows{
        {"Ortega-Brandt", "hyphen"},
        {"author%3AOrtega-Brandt", "hyphen"},
        {"Gutierrez", "accent"},
        {"%E4%BD%9C%E8%80%85%3AGutierrez", "accent"},  // 作者:Gutierrez
        {"Mueller", "umlaut"},
        {"Muller", "umlaut"},
        {"M%C3%BCller", "umlaut"},  // Müller
    };
    for (const auto& [query, id] : rows) {
        INFO(query);
        Reply reply = get(port, "/search?q=" + query);
        REQUIRE(reply.status == 200);
        CHECK(hit_ids(reply.json()) == std::vector<std::string>{id});
    }
}

TEST_CASE("server: traditional and simplified Chinese find each other, and LaTeX reads as text") {
    TempDir dir;
    const std::string db = dir / "db";
    dir.write("forms.jsonl",
              R"({"id": "tw", "title": "社會網絡與政府資訊公開", "abstract": "本文以臺灣的社會網絡資料分析政府回應。", "keywords": ["社會網絡"]})" "\n"
              R"({"id": "cn", "title": "社会网络分析方法研究", "abstract": "利用社会网络分析研究学术合作。", "keywords": ["社会网络"]})" "\n"
              R"({"id": "tex", "title": "On $\\alpha$-stable laws and \\emph{robust} tests", "abstract": "For heavy tails~\\cite{smith}, e.\\,g.\\ Schr\\\"odinger-type bounds hold in $O(n^2)$ time when $\\alpha \\leq 2$."})" "\n");
    REQUIRE(run_program({INDEX_BIN, "-q", "--db", db, dir / "forms.jsonl"}) == 0);
    Server server(SERVER_BIN, db);
    const auto port = server.port();

    auto hit = [](const json::value& result, const std::string& id) {
        for (const auto& h : result.at("hits").as_array())
            if (h.at("id").as_string() == id) return h.as_object();
        FAIL("no hit " << id);
        return json::object();
    };
    for (const std::string& query : std::vector<std::string>{"社會", "社会", "社會網絡", "社会网络"}) {
        INFO(query);
        Reply reply = get(port, "/search?q=" + url_encoded(query));
        REQUIRE(reply.status == 200);
        auto ids = hit_ids(reply.json());
        std::sort(ids.begin(), ids.end());
        CHECK(ids == std::vector<std::string>{"cn", "tw"});
    }
    // Each record is shown and marked in its own script.
    const json::value simplified = get(port, "/search?q=" + url_encoded("社会网络")).json();
    CHECK(hit(simplified, "tw").at("title") == "社會網絡與政府資訊公開");
    CHECK(hit(simplified, "tw").at("title_html") == "<mark>社會網絡</mark>與政府資訊公開");
    CHECK(hit(simplified, "tw").at("snippet") == "本文以臺灣的<mark>社會網絡</mark>資料分析政府回應。");
    const json::value traditional = get(port, "/search?q=" + url_encoded("社會網絡")).json();
    CHECK(hit(traditional, "cn").at("title_html") == "<mark>社会网络</mark>分析方法研究");
    const json::value suggest = get(port, "/suggest?q=" + url_encoded("社會")).json();
    const auto& suggestions = suggest.at("suggestions").as_array();
    CHECK(std::find(suggestions.begin(), suggestions.end(), json::value("社会网络")) != suggestions.end());

    // LaTeX: found by its plain words, by its symbols and as written; shown as text.
    for (const std::string& query : std::vector<std::string>{"stable robust", "α-stable", "$\\alpha$-stable", "Schrodinger"}) {
        INFO(query);
        CHECK(hit_ids(get(port, "/search?q=" + url_encoded(query)).json()) == std::vector<std::string>{"tex"});
    }
    const json::value latex = get(port, "/search?q=stable+Schr%C3%B6dinger").json();
    const json::object& tex = hit(latex, "tex");
    CHECK(tex.at("title") == "On α-stable laws and robust tests");
    CHECK(tex.at("title_html") == "On α-<mark>stable</mark> laws and robust tests");
    CHECK(tex.at("snippet") ==
          "For heavy tails [smith], e. g. <mark>Schrödinger</mark>-type bounds hold in O(n^2) time when α ≤ 2.");
    // The record itself is kept as written.
    CHECK(get(port, "/doc/tex").json().at("title") == "On $\\alpha$-stable laws and \\emph{robust} tests");
}

TEST_CASE("server: bad requests get 4xx with a JSON message, and the server stays up") {
    TempDir dir;
    Server server(SERVER_BIN, build_sample_index(dir));
    const auto port = server.port();
    // Rows: target, expected status.
    const std::vector<std::pair<std::string, unsigned>> rows{
        {"/search?q=%zz", 400},        {"/search?q=%ff%fe", 400},       {"/search?q=a%00b", 400},
        {"/search?q=a&size=1000", 400}, {"/search?q=a&size=-1", 400},    {"/search?q=a&page=0", 400},
        {"/search?q=a&offset=99999", 400}, {"/search?q=a&sort=sideways", 400}, {"/search?q=a&year=20x", 400},
        {"/search?q=a&facets=maybe", 400}, {"/search?q=year:abc", 400},
        {std::string("/search?q=").append(5000, 'x'), 400}, {"/doc/no-such-id", 404}, {"/similar/no-such-id", 404},
        {"/no/such/path", 404},        {std::string("/").append(9000, 'a'), 414},
    };
    for (const auto& [target, status] : rows) {
        INFO(target.substr(0, 80));
        Reply reply = get(port, target);
        CHECK(reply.status == status);
        const json::value body = reply.json();
        CHECK(body.at("error").is_string());
        CHECK(body.at("detail").is_string());
    }
    Reply post = Client(port).request("/search?q=a", http::verb::post);
    CHECK(post.status == 405);
    CHECK(std::string(post.headers[http::field::allow]) == "GET, HEAD");
    Reply big_header = Client(port).request("/health", http::verb::get, {{"X-Padding", std::string(20000, 'p')}});
    CHECK(big_header.status == 431);
    // A TLS ClientHello prefix; the embedded NUL is why the length comes from sizeof.
    static constexpr char tls_prefix[] = "\x16\x03\x01\x02\x00garbage\r\n\r\n";
    const std::string garbage = raw_exchange(port, std::string(tls_prefix, sizeof tls_prefix - 1));
    CHECK(garbage.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(get(port, "/health").status == 200);
}

TEST_CASE("server: a client that sends too slowly is cut off at the read timeout") {
    TempDir dir;
    Server server(SERVER_BIN, build_sample_index(dir), {"--read-timeout-ms", "300"});
    const auto started = std::chrono::steady_clock::now();
    const std::string answer = raw_exchange(server.port(), "GET /health HTTP/1.1\r\nHost: x\r\n", 5s);
    const auto waited = std::chrono::steady_clock::now() - started;
    CHECK(answer.empty());
    CHECK(waited < 3s);
    CHECK(get(server.port(), "/health").status == 200);
}

TEST_CASE("server: overload answers 503 instead of queueing without bound") {
    TempDir dir;
    // No result cache: its answers would skip the queue this test fills.
    Server server(SERVER_BIN, build_sample_index(dir),
                  {"--search-threads", "1", "--max-queue", "1", "--threads", "2", "--cache-mb", "0"});
    constexpr int clients = 48;
    std::vector<std::unique_ptr<Client>> connections;
    for (int i = 0; i < clients; ++i) connections.push_back(std::make_unique<Client>(server.port()));
    std::atomic<int> ok{0}, overloaded{0}, other{0};
    std::vector<std::thread> threads;
    for (auto& connection : connections) {
        threads.emplace_back([&, c = connection.get()] {
            Reply reply = c->request("/search?q=social+media+government+transparency+open+data&size=100&facets=1");
            if (reply.status == 200) ++ok;
            else if (reply.status == 503) ++overloaded;
            else ++other;
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(ok > 0);
    CHECK(overloaded > 0);
    CHECK(other == 0);
    CHECK(get(server.port(), "/health").status == 200);
}

TEST_CASE("server: new commits are served within two seconds, without restart or failed requests") {
    TempDir dir;
    const std::string db = build_sample_index(dir);
    Server server(SERVER_BIN, db);
    const auto port = server.port();
    std::atomic<bool> done{false};
    std::atomic<int> failures{0}, requests{0};
    std::thread load([&] {
        Client client(port);
        while (!done) {
            if (client.request("/search?q=government&size=3").status != 200) ++failures;
            ++requests;
        }
    });
    CHECK(hit_ids(get(port, "/search?q=zeolite").json()).empty());
    dir.write("new.jsonl", "{\"id\": \"late-1\", \"title\": \"Zeolite membranes for water treatment\"}\n");
    REQUIRE(run_program({INDEX_BIN, "-q", "--db", db, dir / "new.jsonl"}) == 0);
    const auto committed = std::chrono::steady_clock::now();
    bool visible = false;
    while (!visible && std::chrono::steady_clock::now() - committed < 5s) {
        visible = !hit_ids(get(port, "/search?q=zeolite").json()).empty();
        if (!visible) std::this_thread::sleep_for(20ms);
    }
    const auto delay = std::chrono::steady_clock::now() - committed;
    done = true;
    load.join();
    CHECK(visible);
    CHECK(delay < 2s);
    CHECK(failures == 0);
    CHECK(requests > 0);
}

TEST_CASE("server: a repeated search comes from the result cache, and never outlives an index change") {
    TempDir dir;
    const std::string db = build_sample_index(dir);
    Server server(SERVER_BIN, db);
    const auto port = server.port();
    const std::string target = "/search?q=government+zeolite&size=5&facets=1";

    Reply first = get(port, target);
    REQUIRE(first.status == 200);
    CHECK(std::string(first.headers["X-Cache"]) == "miss");
    Reply again = get(port, target);
    REQUIRE(again.status == 200);
    CHECK(std::string(again.headers["X-Cache"]) == "hit");
    CHECK(again.body == first.body);
    Reply other_page = get(port, "/search?q=government+zeolite&size=5&page=2&facets=1");
    CHECK(std::string(other_page.headers["X-Cache"]) == "miss");
    CHECK(hit_ids(other_page.json()) != hit_ids(first.json()));
    CHECK(get(port, "/search?q=government+zeolite&size=-1").status == 400);
    const std::string metrics = get(port, "/metrics").body;
    CHECK(metrics.find("scholarsearch_cache_requests_total{outcome=\"hit\"} 1\n") != std::string::npos);
    CHECK(metrics.find("scholarsearch_cache_requests_total{outcome=\"miss\"} 2\n") != std::string::npos);

    // Nothing else reaches the search threads now: cached answers must still follow the commit.
    const auto ids_before = hit_ids(first.json());
    REQUIRE(std::find(ids_before.begin(), ids_before.end(), "late-2") == ids_before.end());
    dir.write("new.jsonl", "{\"id\": \"late-2\", \"title\": \"Zeolite government zeolite membranes\"}\n");
    REQUIRE(run_program({INDEX_BIN, "-q", "--db", db, dir / "new.jsonl"}) == 0);
    const auto committed = std::chrono::steady_clock::now();
    bool visible = false;
    while (!visible && std::chrono::steady_clock::now() - committed < 5s) {
        const auto ids = hit_ids(get(port, target).json());
        visible = std::find(ids.begin(), ids.end(), "late-2") != ids.end();
        if (!visible) std::this_thread::sleep_for(20ms);
    }
    CHECK(visible);
    CHECK(std::chrono::steady_clock::now() - committed < 2s);
}

TEST_CASE("server: --cache-mb 0 searches every request, and a budget that would overflow is refused") {
    TempDir dir;
    const std::string db = build_sample_index(dir);
    CHECK(run_program({SERVER_BIN, "--db", db, "--listen", "127.0.0.1:0", "--cache-mb", "99999999999999"}) == 2);
    Server server(SERVER_BIN, db, {"--cache-mb", "0"});
    for (int i = 0; i < 2; ++i) {
        Reply reply = get(server.port(), "/search?q=government");
        REQUIRE(reply.status == 200);
        CHECK(reply.headers.find("X-Cache") == reply.headers.end());
    }
    CHECK(get(server.port(), "/metrics").body.find("scholarsearch_cache_max_bytes 0\n") != std::string::npos);
}

TEST_CASE("server: SIGTERM finishes requests in flight and exits 0") {
    TempDir dir;
    Server server(SERVER_BIN, build_sample_index(dir));
    Client idle(server.port());   // an idle keep-alive connection must not hold up shutdown
    CHECK(idle.request("/health").status == 200);

    // A request whose first half the server has already read is in flight: it must be answered
    // even though the rest arrives after SIGTERM.
    net::io_context io;
    beast::tcp_stream half_sent(io);
    half_sent.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
    net::write(half_sent, net::buffer(std::string("GET /search?q=social+media&size=5 HTTP/1.1\r\nHost: 127.0.0.1\r\n")));
    std::this_thread::sleep_for(300ms);

    // A request racing the signal either completes or finds its connection closed before the
    // server read any of it; both are fine, a crash or a hang is not.
    std::atomic<unsigned> racing_status{0};
    std::thread racing([&] {
        try {
            Client client(server.port());
            racing_status = client.request("/search?q=social+media&size=100&facets=1").status;
        } catch (const boost::system::system_error&) {
        }
    });
    std::this_thread::sleep_for(5ms);
    server.process().send_signal(SIGTERM);
    std::this_thread::sleep_for(100ms);
    net::write(half_sent, net::buffer(std::string("\r\n")));
    half_sent.expires_after(10s);
    beast::flat_buffer buffer;
    http::response<http::string_body> answer;
    http::read(half_sent, buffer, answer);
    CHECK(answer.result_int() == 200);
    CHECK(!answer.keep_alive());
    CHECK(!hit_ids(json::parse(answer.body())).empty());

    const auto status = server.process().wait(10s);
    racing.join();
    REQUIRE(status);
    CHECK(*status == 0);
    CHECK((racing_status == 200 || racing_status == 0));
}

TEST_CASE("server: binds to 127.0.0.1 by default and reports a missing index as 503 on /health") {
    TempDir dir;
    Server server(SERVER_BIN, dir / "missing-db");
    Reply health = get(server.port(), "/health");
    CHECK(health.status == 503);
    CHECK(health.json().at("error") == "index unavailable");
}

TEST_CASE("server: scores and times are plain decimals, totals integers, in the JSON text itself") {
    TempDir dir;
    Server server(SERVER_BIN, build_sample_index(dir));
    Reply search = get(server.port(), "/search?q=transparency+social+media+government&size=20");
    REQUIRE(search.status == 200);
    const std::regex score(R"re("score":(-?[0-9]+(\.[0-9]+)?)[,}])re");
    std::size_t scores = 0;
    for (auto it = std::sregex_iterator(search.body.begin(), search.body.end(), score); it != std::sregex_iterator(); ++it) {
        ++scores;
        // Six significant digits at most: 12.3457, never 1.23457E1 or 12.345678901.
        std::string digits = (*it)[1].str();
        digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
        digits.erase(0, digits.find_first_not_of("-0"));
        CHECK(digits.size() <= 6);
    }
    CHECK(scores == search.json().at("hits").as_array().size());
    CHECK(scores > 5);
    CHECK_FALSE(std::regex_search(search.body, std::regex(R"([0-9][eE][-+]?[0-9])")));
    CHECK(std::regex_search(search.body, std::regex(R"re("total":\{"estimated":[0-9]+,"lower_bound":[0-9]+,"upper_bound":[0-9]+\})re")));
    CHECK(std::regex_search(search.body, std::regex(R"re("elapsed_ms":[0-9]+(\.[0-9]+)?\})re")));
}
