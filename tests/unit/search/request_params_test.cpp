// The one year grammar and the sort names, as the CLI, the HTTP layer and the year: field read them.
#include "record/error.hpp"
#include "search/request_params.hpp"

#include "search_fixture.hpp"

#include <catch2/catch.hpp>

using namespace scholarsearch;

TEST_CASE("request params: year ranges") {
    struct Row {
        std::string text;
        std::optional<int> from, to;
        bool range;
    };
    for (const auto& row : std::vector<Row>{{"2012", 2012, 2012, false},
                                            {"2010..2012", 2010, 2012, true},
                                            {"2010..", 2010, std::nullopt, true},
                                            {"..2012", std::nullopt, 2012, true},
                                            {"0..9999", 0, 9999, true},
                                            {"7", 7, 7, false}}) {
        INFO(row.text);
        const search::YearRange years = search::parse_year_range(row.text);
        CHECK(years.from == row.from);
        CHECK(years.to == row.to);
        CHECK(years.range == row.range);
    }
    for (const std::string bad : {"", "..", "20x0", "2012-2014", "20120", "-5", "2010...2012", "2010..2012..2014",
                                  " 2012", "２０１２"}) {
        INFO(bad);
        CHECK_THROWS_AS(search::parse_year_range(bad), QueryError);
    }
}

TEST_CASE("request params: sort names") {
    CHECK(search::parse_sort("") == search::SortOrder::relevance);
    CHECK(search::parse_sort("relevance") == search::SortOrder::relevance);
    CHECK(search::parse_sort("year") == search::SortOrder::year_desc);
    CHECK(search::parse_sort("year-desc") == search::SortOrder::year_desc);
    CHECK(search::parse_sort("year-asc") == search::SortOrder::year_asc);
    CHECK(search::parse_sort("cited-by") == search::SortOrder::cited_by);
    CHECK(search::parse_sort("cited_by") == search::SortOrder::cited_by);
    CHECK(search::parse_sort("cited-by-in-collection") == search::SortOrder::cited_by_in_collection);
    CHECK(search::parse_sort("cited_by_in_collection") == search::SortOrder::cited_by_in_collection);
    CHECK_THROWS_WITH(search::parse_sort("newest"),
                      Catch::Contains("relevance, year, year-asc, cited-by or cited-by-in-collection"));
}

TEST_CASE("request params: the year parameter and the year: field filter alike") {
    scholarsearch::testing::SearchFixture index(R"({"id": "a", "title": "Glacier one", "year": 2009}
{"id": "b", "title": "Glacier two", "year": 2011}
{"id": "c", "title": "Glacier three", "year": 2014}
)");
    for (const std::string years : {"2011", "2010..2012", "2010..", "..2011"}) {
        INFO(years);
        search::RequestParameters parameters;
        parameters.query = "glacier";
        parameters.year = years;
        search::SearchRequest request;
        search::apply_parameters(parameters, request);
        std::vector<std::string> by_parameter, by_field;
        for (const auto& hit : index.search(request).hits) by_parameter.push_back(hit.id);
        for (const auto& hit : index.search("glacier year:" + years).hits) by_field.push_back(hit.id);
        std::sort(by_parameter.begin(), by_parameter.end());
        std::sort(by_field.begin(), by_field.end());
        CHECK(by_parameter == by_field);
        CHECK_FALSE(by_parameter.empty());
    }
    search::RequestParameters bad;
    bad.year = "2012-2014";
    search::SearchRequest request;
    CHECK_THROWS_AS(search::apply_parameters(bad, request), QueryError);
    CHECK_THROWS_AS(index.search("glacier year:2012-2014"), QueryError);
}
