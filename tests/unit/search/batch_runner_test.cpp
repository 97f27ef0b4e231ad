// The batch runner over a real index: TREC run lines in query order, paged past the API's page
// size, bad queries counted, the repeat passes timed but not written twice.
#include "record/error.hpp"
#include "search/batch_runner.hpp"

#include "search_fixture.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

using namespace scholarsearch;

namespace {

std::string records(int count) {
    std::string out;
    for (int i = 0; i < count; ++i)
        out += R"({"id": "g-)" + std::to_string(i) + R"(", "title": "Glacier retreat )" + std::string(i % 7 + 1, 'x') +
               R"(", "abstract": "Glacier ice measured by satellites.", "year": )" + std::to_string(1990 + i % 30) + "}\n";
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("batch: TREC run lines for every query, in query order, up to the hits asked for") {
    scholarsearch::testing::TempDir dir;
    const std::string queries_file = dir.write("queries.tsv", "q1\tglacier\r\nno tab here\nq2\tsatellites ice\nq3\t\"unclosed AND (\n");
    const auto queries = search::read_batch_queries(queries_file);
    REQUIRE(queries.size() == 3);
    CHECK(queries[0].id == "q1");
    CHECK(queries[0].text == "glacier");   // the CR is gone

    scholarsearch::testing::SearchFixture index(records(250));
    search::BatchOptions options;
    options.hits = 230;   // more than one page of the API
    options.threads = 2;
    options.repeat = 3;
    options.tag = "test-run";
    const std::string db = index.searcher().info().path;
    const search::BatchReport report = search::run_batch(db, {queries[0], queries[1]}, options, {});

    const auto lines = lines_of(report.run);
    REQUIRE(lines.size() == 2 * 230);   // the repeats are not written again
    const std::regex line_shape(R"((q1|q2) Q0 g-\d+ (\d+) -?\d+\.\d{12} test-run)");
    std::smatch match;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        INFO(lines[i]);
        REQUIRE(std::regex_match(lines[i], match, line_shape));
        CHECK(match[1] == (i < 230 ? "q1" : "q2"));
        CHECK(std::stoul(match[2]) == i % 230 + 1);   // ranks continue across pages
    }
    CHECK(report.latencies_ms.size() == 6);
    CHECK(std::is_sorted(report.latencies_ms.begin(), report.latencies_ms.end()));
    CHECK(report.percentile_ms(0.5) <= report.percentile_ms(0.99));
    CHECK(report.errors.empty());
}

TEST_CASE("batch: a bad query is reported and the others still run; a missing index throws") {
    scholarsearch::testing::SearchFixture index(records(20));
    const std::string db = index.searcher().info().path;
    search::BatchOptions options;
    options.hits = 5;
    const search::BatchReport report =
        search::run_batch(db, {{"bad", "title:glacier year:20x0"}, {"good", "glacier"}}, options, {});
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors[0].rfind("query bad: ", 0) == 0);
    CHECK(lines_of(report.run).size() == 5);
    CHECK(report.run.rfind("good Q0 ", 0) == 0);

    CHECK_THROWS_AS(search::run_batch(db + "-missing", {{"q", "glacier"}}, options, {}), IndexUnavailable);
}
