// Facets by name counted over every match, and cursor walks over every hit, on real indexes.
#include "index/index_writer.hpp"
#include "record/error.hpp"
#include "search/request_params.hpp"
#include "search/result_json.hpp"
#include "search/searcher.hpp"

#include "../../support/temp_dir.hpp"
#include "../../support/walk_corpus.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <memory>

using namespace scholarsearch;
using scholarsearch::testing::TempDir;
using scholarsearch::testing::WalkCorpus;

namespace {

// More matches than the 10000 the searcher used to count facets over, so counts from part of
// the match would show.
constexpr std::size_t walk_records = 12000;

void index_into(const std::string& db, const TempDir& dir, const std::string& name, const std::string& jsonl) {
    index::IndexWriter writer(db);
    std::vector<record::Diagnostic> problems;
    writer.add_inputs({dir.write(name, jsonl)}, {}, [&](const record::Diagnostic& d) { problems.push_back(d); });
    REQUIRE(problems.empty());
}

// Built once for the file: indexing 12000 records is most of its run time.
struct WalkIndex {
    TempDir dir;
    WalkCorpus corpus = testing::make_walk_corpus(walk_records);
    std::string db = dir / "db";
    WalkIndex() { index_into(db, dir, "walk.jsonl", corpus.jsonl); }
};

WalkIndex& walk_index() {
    static WalkIndex index;
    return index;
}

std::map<std::string, std::size_t> as_map(const std::vector<search::FacetValue>& values) {
    std::map<std::string, std::size_t> out;
    for (const auto& value : values) out[value.value] = value.count;
    return out;
}

// Every page of a walk, from cursor=* to the page without next_cursor.
std::vector<std::string> walk_ids(search::Searcher& searcher, search::SearchRequest request, std::size_t* pages = nullptr) {
    std::vector<std::string> ids;
    request.cursor = search::Cursor{};
    for (std::size_t page = 1;; ++page) {
        const search::SearchResult result = searcher.search(request);
        REQUIRE(result.walking);
        for (const auto& hit : result.hits) ids.push_back(hit.id);
        if (!result.next_cursor) {
            if (pages) *pages = page;
            return ids;
        }
        REQUIRE(result.hits.size() == request.size);
        REQUIRE(page < 10 * walk_records);
        request.cursor = search::parse_cursor(*result.next_cursor);
    }
}

}  // namespace

TEST_CASE("facets: names, true/false and mistakes are read in one place") {
    using search::Facet;
    CHECK(search::parse_facets("year,venue") == std::vector<Facet>{Facet::year, Facet::venue});
    CHECK(search::parse_facets(" clc , author,clc,") == std::vector<Facet>{Facet::clc, Facet::author});
    CHECK(search::parse_facets("true") == search::default_facets());
    CHECK(search::parse_facets("") == search::default_facets());
    CHECK(search::parse_facets("1") == search::default_facets());
    CHECK(search::parse_facets("false").empty());
    CHECK(search::parse_facets("off").empty());
    try {
        search::parse_facets("year,colour");
        FAIL("no error for an unknown facet");
    } catch (const QueryError& error) {
        const std::string message = error.what();
        CHECK_THAT(message, Catch::Contains("colour"));
        for (Facet facet : search::all_facets()) CHECK_THAT(message, Catch::Contains(std::string(search::facet_name(facet))));
    }
    CHECK(search::is_facet_list("year,venue"));
    CHECK(search::is_facet_list("author"));
    CHECK_FALSE(search::is_facet_list("true"));
    CHECK_FALSE(search::is_facet_list("social"));
    CHECK_FALSE(search::is_facet_list("year,social"));
    CHECK_FALSE(search::is_facet_list(""));
}

TEST_CASE("cursor: its text reads back, and anything else is refused with a message") {
    const search::Cursor cursor{"0123abcd-9f:42", 12345, 0xfedcba9876543210ULL};
    const std::string text = search::format_cursor(cursor);
    CHECK(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
    const search::Cursor back = search::parse_cursor(text);
    CHECK(back.generation == cursor.generation);
    CHECK(back.offset == cursor.offset);
    CHECK(back.fingerprint == cursor.fingerprint);
    CHECK(search::parse_cursor("*").start());
    std::string damaged = text;
    damaged.back() = damaged.back() == 'A' ? 'B' : 'A';
    for (const std::string& bad : {std::string(), std::string("**"), std::string("not a cursor"), std::string("abc"),
                                   std::string(500, 'A'), text.substr(0, text.size() / 2), damaged}) {
        INFO(bad);
        CHECK_THROWS_AS(search::parse_cursor(bad), QueryError);
    }
}

TEST_CASE("cursor: the walk fingerprint follows what is ranked, not how a page is shown") {
    const search::SearchRequest base;
    const std::uint64_t fingerprint = search::walk_fingerprint(base);
    const std::vector<std::pair<const char*, std::function<void(search::SearchRequest&)>>> ranked{
        {"query", [](auto& r) { r.query = "x"; }},
        {"sort", [](auto& r) { r.sort = search::SortOrder::cited_by; }},
        {"year", [](auto& r) { r.year_from = 2000; }},
        {"author", [](auto& r) { r.authors = {"a"}; }},
        {"keyword", [](auto& r) { r.keywords = {"a"}; }},
        {"clc", [](auto& r) { r.clc = {"a"}; }},
        {"venue", [](auto& r) { r.venues = {"a"}; }},
        {"collapse", [](auto& r) { r.collapse_duplicates = false; }},
        {"spelling", [](auto& r) { r.spelling = false; }},
        {"k1", [](auto& r) { r.ranking.bm25_k1 = 1; }},
        {"all words", [](auto& r) { r.ranking.all_words_weight = 0; }},
    };
    for (const auto& [name, change] : ranked) {
        search::SearchRequest changed = base;
        change(changed);
        INFO(name);
        CHECK(search::walk_fingerprint(changed) != fingerprint);
    }
    search::SearchRequest shown = base;
    shown.size = 50;
    shown.facets = search::all_facets();
    shown.facet_size = 3;
    shown.highlight = false;
    CHECK(search::walk_fingerprint(shown) == fingerprint);
}

TEST_CASE("facets: every facet asked for by name, counted exactly over all matches") {
    WalkIndex& index = walk_index();
    search::Searcher searcher(index.db);
    search::SearchRequest request;
    request.query = "walk";
    request.size = 5;
    request.facets = search::all_facets();
    request.facet_size = search::max_facet_size;
    const search::SearchResult result = searcher.search(request);
    REQUIRE(index.corpus.records > search::max_result_window);
    CHECK(result.facets_counted == index.corpus.records);
    CHECK(result.facets_exact);
    // The totals come from the same full match, so they are exact too (after collapsing).
    CHECK(result.total_lower_bound == index.corpus.hits());
    CHECK(result.total_upper_bound == index.corpus.hits());
    CHECK(result.total_estimated == index.corpus.hits());
    REQUIRE(result.facets.size() == search::all_facets().size());
    for (const auto& [name, expected] : index.corpus.facets) {
        INFO(name);
        REQUIRE(result.facets.count(name));
        CHECK(as_map(result.facets.at(name)) == expected);
    }
    // Years come as a histogram, in order.
    const auto& years = result.facets.at("year");
    CHECK(std::is_sorted(years.begin(), years.end(), [](const auto& a, const auto& b) { return std::stoi(a.value) < std::stoi(b.value); }));

    // By name: only those; a smaller facet_size keeps the most frequent (the year facet keeps all).
    request.facets = {search::Facet::author, search::Facet::year};
    request.facet_size = 3;
    const search::SearchResult some = searcher.search(request);
    CHECK(some.facets.size() == 2);
    const auto& authors = some.facets.at("author");
    REQUIRE(authors.size() == 3);
    std::vector<std::pair<std::size_t, std::string>> ranked;
    for (const auto& [value, count] : index.corpus.facets.at("author")) ranked.emplace_back(count, value);
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(authors[i].value == ranked[i].second);
        CHECK(authors[i].count == ranked[i].first);
    }
    CHECK(some.facets.at("year").size() == index.corpus.facets.at("year").size());

    // A filter narrows the counts to its matches.
    request.facets = {search::Facet::venue};
    request.venues = {"Venue 4"};
    const search::SearchResult filtered = searcher.search(request);
    CHECK(filtered.facets_counted == index.corpus.facets.at("venue").at("Venue 4"));
    CHECK(as_map(filtered.facets.at("venue")) == std::map<std::string, std::size_t>{{"Venue 4", filtered.facets_counted}});

    // Facets without hits (size 0) still count everything.
    request.venues.clear();
    request.size = 0;
    request.facets = {search::Facet::keyword};
    request.facet_size = search::max_facet_size;
    const search::SearchResult counts_only = searcher.search(request);
    CHECK(counts_only.hits.empty());
    CHECK(as_map(counts_only.facets.at("keyword")) == index.corpus.facets.at("keyword"));

    request.facet_size = search::max_facet_size + 1;
    CHECK_THROWS_AS(searcher.search(request), QueryError);

    const auto json = search::to_json(result);
    CHECK(json.at("facets_counted").to_number<std::size_t>() == index.corpus.records);
    CHECK(json.at("facets_exact") == true);
    CHECK_FALSE(json.contains("next_cursor"));
}

TEST_CASE("cursor: a walk returns every hit exactly once, past 10000, in every sort order") {
    WalkIndex& index = walk_index();
    search::Searcher searcher(index.db);
    for (auto sort : {search::SortOrder::relevance, search::SortOrder::year_desc, search::SortOrder::year_asc,
                      search::SortOrder::cited_by}) {
        INFO("sort " << static_cast<int>(sort));
        search::SearchRequest request;
        request.query = "walk alpha beta";
        request.sort = sort;
        request.size = search::max_page_size;
        request.highlight = false;
        std::size_t pages = 0;
        const std::vector<std::string> ids = walk_ids(searcher, request, &pages);
        CHECK(index.corpus.check_walk(ids) == "");
        CHECK(pages == (index.corpus.hits() + request.size - 1) / request.size);
    }
    // The order is the search's own: the first page of a walk is the first page of the search.
    search::SearchRequest request;
    request.query = "walk alpha beta";
    request.size = 20;
    const search::SearchResult plain = searcher.search(request);
    request.cursor = search::Cursor{};
    const search::SearchResult walked = searcher.search(request);
    REQUIRE(walked.hits.size() == plain.hits.size());
    for (std::size_t i = 0; i < plain.hits.size(); ++i) CHECK(walked.hits[i].id == plain.hits[i].id);
    CHECK(search::to_json(walked).at("next_cursor").is_string());
}

TEST_CASE("cursor: a walk that ends on a full page says so on that page; small walks and mistakes") {
    TempDir dir;
    const std::string db = dir / "db";
    const WalkCorpus corpus = testing::make_walk_corpus(41);   // 40 hits: records 0 and 1 share a DOI
    index_into(db, dir, "small.jsonl", corpus.jsonl);
    search::Searcher searcher(db);
    search::SearchRequest request;
    request.query = "walk";
    request.size = 10;
    std::size_t pages = 0;
    const auto ids = walk_ids(searcher, request, &pages);
    REQUIRE(corpus.hits() % 10 == 0);
    CHECK(pages == corpus.hits() / 10);
    CHECK(corpus.check_walk(ids) == "");

    // Facets asked on a cursor page are counted there too.
    request.cursor = search::Cursor{};
    request.facets = {search::Facet::year};
    CHECK(searcher.search(request).facets_counted == corpus.records);

    request.facets.clear();
    request.cursor = search::Cursor{};
    const search::Cursor second = search::parse_cursor(*searcher.search(request).next_cursor);
    request.cursor = second;
    CHECK_NOTHROW(searcher.search(request));
    search::SearchRequest other = request;
    other.query = "alpha";
    CHECK_THROWS_AS(searcher.search(other), QueryError);   // another search's cursor
    other = request;
    other.cursor->offset = 1u << 30;
    CHECK_THROWS_AS(searcher.search(other), QueryError);   // past the end
    other = request;
    other.size = 0;
    CHECK_THROWS_AS(searcher.search(other), QueryError);
    // Page size may change between pages: the offset is what counts.
    other = request;
    other.size = 3;
    const auto three = searcher.search(other);
    CHECK(three.hits.size() == 3);
    CHECK(three.hits.front().rank == second.offset + 1);
}

TEST_CASE("cursor: after a commit the walk expires with CursorExpired, and a new walk sees the commit") {
    TempDir dir;
    const std::string db = dir / "db";
    const WalkCorpus corpus = testing::make_walk_corpus(30);
    index_into(db, dir, "first.jsonl", corpus.jsonl);
    search::Searcher searcher(db);
    search::Searcher lagging(db);   // another search thread, which has not looked for commits yet
    search::SearchRequest request;
    request.query = "walk";
    request.size = 10;
    request.cursor = search::Cursor{};
    const search::SearchResult first = searcher.search(request);
    REQUIRE(first.next_cursor);
    const search::Cursor next = search::parse_cursor(*first.next_cursor);

    index_into(db, dir, "late.jsonl", "{\"id\": \"late-1\", \"title\": \"walk late\"}\n");
    // A searcher still on the walk's generation answers from it: the page is consistent with
    // the first one, whatever was committed since.
    request.cursor = next;
    CHECK_NOTHROW(lagging.search(request));
    // Once a searcher has moved on (the server's search threads look every 250 ms), the walk is over.
    REQUIRE(searcher.refresh_if_changed());
    CHECK_THROWS_AS(searcher.search(request), CursorExpired);
    // A searcher behind the walk's generation catches up instead of refusing it.
    search::SearchRequest fresh = request;
    search::Searcher behind(db);
    index_into(db, dir, "later.jsonl", "{\"id\": \"late-2\", \"title\": \"walk later\"}\n");
    REQUIRE(searcher.refresh_if_changed());
    fresh.cursor = search::Cursor{};
    const search::SearchResult newest = searcher.search(fresh);
    fresh.cursor = search::parse_cursor(*newest.next_cursor);
    CHECK_NOTHROW(behind.search(fresh));
    CHECK(behind.generation() == searcher.generation());

    // Walked again from the start, the commits are in it exactly once.
    std::vector<std::string> ids = walk_ids(searcher, fresh);
    CHECK(std::count(ids.begin(), ids.end(), "late-1") == 1);
    CHECK(std::count(ids.begin(), ids.end(), "late-2") == 1);
    CHECK(ids.size() == corpus.hits() + 2);
}

// Xapian's remote backend (here through xapian-progsrv, from xapian-tools, which
// scripts/install-deps.sh installs) runs no MatchSpy subclass of ours: facets must still come,
// exact, through ValueCountMatchSpy. A remote database reports no revision, but its generation
// needs none: cursors walk there as they do locally.
TEST_CASE("facets: over Xapian's remote backend the counts are the same, and cursors walk the same") {
    WalkIndex& index = walk_index();
    const std::string stub = index.dir.write("remote.stub", "remote :xapian-progsrv " + index.db + "\n");
    search::Searcher remote(stub);
    search::SearchRequest request;
    request.query = "walk";
    request.size = 3;
    request.facets = search::all_facets();
    request.facet_size = search::max_facet_size;
    for (int round = 0; round < 2; ++round) {   // the first search finds out, the second knows
        INFO("round " << round);
        const search::SearchResult result = remote.search(request);
        CHECK(result.facets_counted == index.corpus.records);
        CHECK(result.total_lower_bound == index.corpus.hits());
        for (const auto& [name, expected] : index.corpus.facets) {
            INFO(name);
            CHECK(as_map(result.facets.at(name)) == expected);
        }
    }
    // The generation is made of what the remote backend answers (store::generation: UUID and
    // commit stamp, no revision), so a walk is pinned there too and gives what it gives locally.
    search::SearchRequest walk;
    walk.query = "walk";
    walk.size = 100;
    search::Searcher local(index.db);
    std::size_t pages = 0;
    const std::vector<std::string> ids = walk_ids(remote, walk, &pages);
    CHECK(pages > 1);
    CHECK(ids.size() == index.corpus.hits());
    CHECK(ids == walk_ids(local, walk));
}
