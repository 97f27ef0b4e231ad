// The server's result cache: LRU by bytes, and keys that tell every request apart.
#include "http/result_cache.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <set>
#include <thread>

using scholarsearch::http::ResultCache;
using scholarsearch::http::search_cache_key;
using scholarsearch::search::SearchRequest;
using scholarsearch::search::SortOrder;

TEST_CASE("result cache: an answer stored under a key is found under it, and only under it") {
    ResultCache cache(1 << 20);
    CHECK_FALSE(cache.find("a"));
    cache.insert("a", "{\"hits\":[]}");
    REQUIRE(cache.find("a"));
    CHECK(*cache.find("a") == "{\"hits\":[]}");
    CHECK_FALSE(cache.find("b"));
    const ResultCache::Stats stats = cache.stats();
    CHECK(stats.hits == 2);
    CHECK(stats.misses == 2);
    CHECK(stats.entries == 1);
    CHECK(stats.bytes > 11);
}

TEST_CASE("result cache: the least recently used answers go first when the budget is spent") {
    const std::string body(1000, 'x');
    ResultCache cache(20000);   // room for about 18 such answers
    cache.insert("k0", body);
    for (int i = 1; i <= 40; ++i) {
        cache.insert("k" + std::to_string(i), body);
        REQUIRE(cache.find("k0"));   // kept in use, so never the least recently used
    }
    CHECK(cache.find("k0"));
    CHECK_FALSE(cache.find("k1"));
    CHECK(cache.find("k40"));
    CHECK(cache.find("k39"));
    const ResultCache::Stats stats = cache.stats();
    CHECK(stats.evictions >= 20);
    CHECK(stats.entries >= 10);
    CHECK(stats.bytes <= 20000);
}

TEST_CASE("result cache: a budget of 0 stores nothing, and one answer never takes over a tenth of it") {
    ResultCache off(0);
    CHECK_FALSE(off.enabled());
    off.insert("a", "body");
    CHECK_FALSE(off.find("a"));
    CHECK(off.stats().misses == 0);

    ResultCache small(10000);
    small.insert("big", std::string(2000, 'x'));
    CHECK_FALSE(small.find("big"));
    small.insert("fits", std::string(500, 'x'));
    CHECK(small.find("fits"));
}

TEST_CASE("result cache: a first look that misses is not counted twice") {
    ResultCache cache(1 << 20);
    CHECK_FALSE(cache.find("a", false));
    CHECK(cache.stats().misses == 0);
    CHECK_FALSE(cache.find("a"));
    CHECK(cache.stats().misses == 1);
}

TEST_CASE("result cache: concurrent lookups and inserts keep the byte count within budget") {
    ResultCache cache(50000);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&cache, t] {
            for (int i = 0; i < 2000; ++i) {
                const std::string key = "q" + std::to_string((i * 7 + t) % 300);
                if (!cache.find(key)) cache.insert(key, std::string(100 + i % 400, 'x'));
            }
        });
    for (auto& thread : threads) thread.join();
    const ResultCache::Stats stats = cache.stats();
    CHECK(stats.bytes <= 50000);
    CHECK(stats.entries > 0);
    CHECK(stats.hits + stats.misses == 8000);
}

TEST_CASE("result cache: every request field and the index generation change the key") {
    const SearchRequest base;
    const std::string base_key = search_cache_key("uuid:1", base);
    CHECK(search_cache_key("uuid:1", base) == base_key);
    CHECK(search_cache_key("uuid:2", base) != base_key);

    const std::vector<std::pair<const char*, std::function<void(SearchRequest&)>>> changes{
        {"query", [](SearchRequest& r) { r.query = "x"; }},
        {"offset", [](SearchRequest& r) { r.offset = 10; }},
        {"size", [](SearchRequest& r) { r.size = 20; }},
        {"sort", [](SearchRequest& r) { r.sort = SortOrder::year_desc; }},
        {"year from", [](SearchRequest& r) { r.year_from = 2010; }},
        {"year to", [](SearchRequest& r) { r.year_to = 2010; }},
        {"author", [](SearchRequest& r) { r.authors = {"Li Wei"}; }},
        {"keyword", [](SearchRequest& r) { r.keywords = {"open data"}; }},
        {"clc", [](SearchRequest& r) { r.clc = {"G25"}; }},
        {"venue", [](SearchRequest& r) { r.venues = {"Journal"}; }},
        {"facets", [](SearchRequest& r) { r.facets = {scholarsearch::search::Facet::year}; }},
        {"other facets", [](SearchRequest& r) { r.facets = {scholarsearch::search::Facet::author}; }},
        {"start a walk", [](SearchRequest& r) { r.cursor = scholarsearch::search::Cursor{}; }},
        {"walk page", [](SearchRequest& r) { r.cursor = scholarsearch::search::Cursor{"uuid:1", 20, 7}; }},
        {"all words", [](SearchRequest& r) { r.ranking.all_words_weight = 0; }},
        {"facet size", [](SearchRequest& r) { r.facet_size = 5; }},
        {"highlight", [](SearchRequest& r) { r.highlight = false; }},
        {"records", [](SearchRequest& r) { r.load_records = false; }},
        {"collapse", [](SearchRequest& r) { r.collapse_duplicates = false; }},
        {"spelling", [](SearchRequest& r) { r.spelling = false; }},
        {"k1", [](SearchRequest& r) { r.ranking.bm25_k1 += 0.2; }},
        {"b", [](SearchRequest& r) { r.ranking.bm25_b += 0.25; }},
        {"feedback", [](SearchRequest& r) { r.ranking.feedback_documents += 1; }},
        {"all words", [](SearchRequest& r) { r.ranking.all_words_weight += 0.5; }},
        {"author weight", [](SearchRequest& r) { r.ranking.author_weight += 0.1; }},
    };
    std::set<std::string> keys{base_key};
    for (const auto& [name, change] : changes) {
        SearchRequest changed = base;
        change(changed);
        INFO(name);
        CHECK(keys.insert(search_cache_key("uuid:1", changed)).second);
    }
}

TEST_CASE("result cache: a cursor page is only ever keyed under the generation its walk began on") {
    SearchRequest walk;
    walk.cursor = scholarsearch::search::Cursor{"uuid:1", 100, 42};
    CHECK_FALSE(search_cache_key("uuid:1", walk).empty());
    // Under another generation the page would rank differently (or the walk has expired): no key,
    // so nothing is stored or found for it.
    CHECK(search_cache_key("uuid:2", walk).empty());
    CHECK(search_cache_key("other:1", walk).empty());
    // The first page of a walk belongs to whatever generation answers it.
    walk.cursor = scholarsearch::search::Cursor{};
    CHECK_FALSE(search_cache_key("uuid:2", walk).empty());
    CHECK(search_cache_key("uuid:2", walk) != search_cache_key("uuid:1", walk));
}

TEST_CASE("result cache: values that run together still give different keys") {
    SearchRequest one, two;
    one.authors = {"ab", "c"};
    two.authors = {"a", "bc"};
    CHECK(search_cache_key("g", one) != search_cache_key("g", two));
    one = two = SearchRequest{};
    one.authors = {"x"};
    two.keywords = {"x"};
    CHECK(search_cache_key("g", one) != search_cache_key("g", two));
    one = two = SearchRequest{};
    two.query = "1";
    CHECK(search_cache_key("g1", one) != search_cache_key("g", two));
}
