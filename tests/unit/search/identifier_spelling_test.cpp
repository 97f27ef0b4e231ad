// Identifiers typed into the search box put their record first; misspelt words get corrected.
#include "search/result_json.hpp"

#include "search_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace scholarsearch;
using scholarsearch::testing::contains;
using scholarsearch::testing::SearchFixture;

namespace {

// The identified records share no word with the "government" records, except giq-1, which
// matches "government" too (so a duplicate would show).
std::string identifier_records() {
    std::string out = R"JSONL(
{"id": "arxiv:2103.00020", "title": "Learning transferable visual models from natural language supervision", "year": 2021}
{"id": "arxiv:cond-mat/9909265", "title": "Glassy relaxation in spin chains", "year": 1999}
{"id": "acl:2020.acl-main.1", "title": "Parsing with multilingual transformers", "year": 2020}
{"id": "giq-1", "title": "Understanding the open government data movement", "doi": "10.1016/j.giq.2012.07.002", "year": 2012}
{"id": "giq-1-preprint", "title": "Understanding open government data (preprint)", "doi": "10.1016/J.GIQ.2012.07.002", "year": 2011}
)JSONL";
    for (int i = 1; i <= 6; ++i)
        out += R"({"id": "gov-)" + std::to_string(i) + R"(", "title": "Government transparency in city )" + std::to_string(i) +
               R"(", "abstract": "Government and transparency, government again.", "year": )" + std::to_string(2010 + i) + "}\n";
    return out;
}

std::vector<std::string> hit_ids(const search::SearchResult& result) {
    std::vector<std::string> out;
    for (const auto& hit : result.hits) out.push_back(hit.id);
    return out;
}

}  // namespace

TEST_CASE("identifiers: a pasted DOI in any form puts its record first") {
    SearchFixture index(identifier_records());
    for (std::string query : {"10.1016/j.giq.2012.07.002", "doi:10.1016/j.giq.2012.07.002", "DOI: 10.1016/j.giq.2012.07.002",
                              "https://doi.org/10.1016/J.GIQ.2012.07.002", "http://dx.doi.org/10.1016/j.giq.2012.07.002"}) {
        INFO(query);
        const auto result = index.search(query);
        REQUIRE_FALSE(result.hits.empty());
        CHECK(result.hits[0].id.rfind("giq-1", 0) == 0);
        CHECK(result.hits[0].identified);
        CHECK(result.hits[0].rank == 1);
        // One record per DOI, as everywhere else: the preprint twin is not shown beside it.
        CHECK(result.hits.size() == 1);
        CHECK(result.total_estimated == 1);
    }
}

TEST_CASE("identifiers: arXiv ids in any form, new and old style") {
    SearchFixture index(identifier_records());
    for (std::string query : {"2103.00020", "2103.00020v2", "arXiv:2103.00020", "arxiv.org/abs/2103.00020",
                              "https://arxiv.org/abs/2103.00020v1"}) {
        INFO(query);
        const auto result = index.search(query);
        REQUIRE_FALSE(result.hits.empty());
        CHECK(result.hits[0].id == "arxiv:2103.00020");
        CHECK(result.hits[0].identified);
    }
    for (std::string query : {"cond-mat/9909265", "arXiv:cond-mat/9909265", "https://arxiv.org/abs/cond-mat/9909265v2"}) {
        INFO(query);
        const auto result = index.search(query);
        REQUIRE_FALSE(result.hits.empty());
        CHECK(result.hits[0].id == "arxiv:cond-mat/9909265");
    }
}

TEST_CASE("identifiers: a record id as stored puts that record first") {
    SearchFixture index(identifier_records());
    const auto result = index.search("acl:2020.acl-main.1");
    REQUIRE(result.hits.size() == 1);
    CHECK(result.hits[0].id == "acl:2020.acl-main.1");
    CHECK(result.hits[0].identified);
    CHECK(index.search("gov-3 parsing").hits.at(0).id == "gov-3");
}

TEST_CASE("identifiers: the rest of the query ranks the other hits after the identified record, once") {
    SearchFixture index(identifier_records());
    const auto plain = index.search("government transparency");
    for (std::string query : {"10.1016/j.giq.2012.07.002 government transparency", "government doi:10.1016/j.giq.2012.07.002 transparency",
                              "government transparency arXiv:2103.00020"}) {
        INFO(query);
        const auto result = index.search(query);
        const auto ids = hit_ids(result);
        REQUIRE(ids.size() >= 7);
        CHECK(result.hits[0].identified);
        CHECK_FALSE(result.hits[1].identified);
        const std::string first = ids[0];
        CHECK(std::count(ids.begin(), ids.end(), first) == 1);
        // The others come in the order the words alone give them, without the identified one.
        std::vector<std::string> expected;
        for (const auto& id : hit_ids(plain))
            if (id != first && id.rfind("giq-1", 0) != 0) expected.push_back(id);
        std::vector<std::string> rest(ids.begin() + 1, ids.end());
        rest.erase(std::remove_if(rest.begin(), rest.end(), [](const auto& id) { return id.rfind("giq-1", 0) == 0; }), rest.end());
        CHECK(rest == expected);
        CHECK(result.total_estimated == ids.size());
    }
    // giq-1 matches "government" itself: it is shown first and not again.
    const auto ids = hit_ids(index.search("10.1016/j.giq.2012.07.002 government"));
    CHECK(ids.at(0) == "giq-1");
    CHECK(std::count_if(ids.begin(), ids.end(), [](const auto& id) { return id.rfind("giq-1", 0) == 0; }) == 1);
}

TEST_CASE("identifiers: pages count the identified record as rank 1 of the whole list") {
    SearchFixture index(identifier_records());
    search::SearchRequest request;
    request.query = "2103.00020 government";
    request.size = 3;
    const auto first = index.search(request);
    request.offset = 3;
    const auto second = index.search(request);
    request.offset = 0;
    request.size = 20;
    const auto all = index.search(request);
    REQUIRE(first.hits.size() == 3);
    CHECK(first.hits[0].id == "arxiv:2103.00020");
    CHECK(second.hits.at(0).rank == 4);
    CHECK_FALSE(second.hits[0].identified);
    std::vector<std::string> paged = hit_ids(first);
    for (const auto& id : hit_ids(second)) paged.push_back(id);
    const auto whole = hit_ids(all);
    CHECK(paged == std::vector<std::string>(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(paged.size())));
    CHECK(first.total_estimated == all.total_estimated);
    CHECK(second.total_estimated == all.total_estimated);
}

TEST_CASE("identifiers: filters apply to the identified record too") {
    SearchFixture index(identifier_records());
    search::SearchRequest request;
    request.query = "2103.00020 government";
    request.year_from = 2013;
    request.year_to = 2016;
    const auto filtered = index.search(request);
    CHECK_FALSE(contains(hit_ids(filtered), "arxiv:2103.00020"));
    REQUIRE_FALSE(filtered.hits.empty());
    CHECK_FALSE(filtered.hits[0].identified);
    // The identifier still left the query: what remains is "government" within the years.
    CHECK(filtered.hits.size() == 4);
    request.year_from = 2021;
    request.year_to = 2021;
    CHECK(index.search(request).hits.at(0).id == "arxiv:2103.00020");
}

TEST_CASE("identifiers: one that names no record stays in the query as text") {
    SearchFixture index(identifier_records());
    for (std::string query : {"10.9999/no.such.doi government", "2103.99999 government", "nope:123 government"}) {
        INFO(query);
        const auto result = index.search(query);
        REQUIRE_FALSE(result.hits.empty());
        CHECK_FALSE(result.hits[0].identified);
        CHECK(result.hits[0].id.rfind("gov-", 0) == 0);
    }
    CHECK(index.search("10.9999/no.such.doi").hits.empty());
    // Beside NOT the DOI keeps its meaning as a filter: the record is excluded, not ranked first.
    const auto excluded = hit_ids(index.search("government NOT doi:10.1016/j.giq.2012.07.002"));
    CHECK_FALSE(excluded.empty());
    CHECK_FALSE(contains(excluded, "giq-1"));
}

namespace {

// 30 records spell "social" and "government" right, one has the typo "socail" in its title.
std::string spelling_records() {
    std::string out;
    for (int i = 1; i <= 30; ++i)
        out += R"({"id": "ok-)" + std::to_string(i) + R"(", "title": "Social media use by government ministries )" +
               std::to_string(i) + R"(", "keywords": ["Transparency"]})" + "\n";
    out += R"({"id": "typo-1", "title": "Socail media campaigns", "keywords": ["Campaigns"]})" "\n";
    out += R"({"id": "glacier-1", "title": "Glacier retreat", "keywords": ["Glaciers"]})" "\n";
    out += R"({"id": "named-1", "title": "Ice sheets", "authors": ["Sociel, Ana"]})" "\n";
    return out;
}

}  // namespace

TEST_CASE("spelling: a rare word beside a far more common variant is corrected, however many hits") {
    SearchFixture index(spelling_records());
    const auto result = index.search("socail media");
    CHECK(result.total_estimated > 20);
    REQUIRE(result.spelling_suggestion);
    CHECK(*result.spelling_suggestion == "social media");
    CHECK_FALSE(result.corrected_query);
    CHECK(contains(hit_ids(result), "typo-1"));
    // Field names survive the correction.
    const auto field = index.search("title:socail");
    REQUIRE(field.spelling_suggestion);
    CHECK(*field.spelling_suggestion == "title:social");
    CHECK_FALSE(field.corrected_query);
    // Right words, and a rare word with no common neighbour, are left alone.
    CHECK_FALSE(index.search("social media").spelling_suggestion);
    CHECK_FALSE(index.search("glacier").spelling_suggestion);
    // A word that names an author is that name, though "social" is one edit away and common.
    CHECK_FALSE(index.search("sociel media").spelling_suggestion);
    CHECK(contains(hit_ids(index.search("sociel")), "named-1"));
}

TEST_CASE("spelling: a query that finds nothing answers with its correction and says so") {
    SearchFixture index(spelling_records());
    // (Misspellings whose stems still match, such as "transparancy", find records as typed.)
    const auto result = index.search("goverment ministires", 40);
    REQUIRE(result.corrected_query);
    CHECK(*result.corrected_query == "government ministries");
    CHECK(result.spelling_suggestion == result.corrected_query);
    CHECK(result.query == "goverment ministires");
    CHECK(result.hits.size() == 30);
    CHECK(result.total_estimated == 30);
    const auto json = search::to_json(result);
    CHECK(json.at("corrected_query") == "government ministries");
    CHECK(json.at("spelling_suggestion") == "government ministries");
    // Operators and fields stay as typed.
    const auto field = index.search("title:goverment -glacier");
    REQUIRE(field.corrected_query);
    CHECK(*field.corrected_query == "title:government -glacier");
    CHECK_FALSE(field.hits.empty());
    // A query with hits is never replaced.
    CHECK_FALSE(index.search("socail").corrected_query);
    CHECK(search::to_json(index.search("social")).at("corrected_query").is_null());
}
