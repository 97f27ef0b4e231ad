// The numbers of the result JSON: scores and times as plain decimals, counts as integers.
#include "search/result_json.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <regex>

using namespace scholarsearch;
namespace json = boost::json;

TEST_CASE("result json: doubles are plain decimals with six significant digits") {
    auto text = [](double number) { return search::serialize(json::value(number)); };
    CHECK(text(12.345678) == "12.3457");
    CHECK(text(8.455381234) == "8.45538");
    CHECK(text(0.000123456789) == "0.000123457");
    CHECK(text(123456789.25) == "123456789");
    CHECK(text(2.5) == "2.5");
    CHECK(text(3.0) == "3");
    CHECK(text(0.0) == "0");
    CHECK(text(-0.0) == "0");
    CHECK(text(-1.5e-7) == "-0.00000015");
    CHECK(text(9.9999996) == "10");
    CHECK(text(std::numeric_limits<double>::quiet_NaN()) == "null");
    CHECK(text(std::numeric_limits<double>::infinity()) == "null");
    // Everything else as Boost.JSON writes it, nested values included.
    const json::value nested = json::parse(R"({"a":[1,-2,{"b":"x\"y\u00e9","c":null,"d":true}],"e":18446744073709551615})");
    CHECK(search::serialize(nested) == json::serialize(nested));
    CHECK(json::parse(search::serialize(json::object{{"s", 1.23456789e-3}})) == json::object{{"s", 0.00123457}});
}

TEST_CASE("result json: a result has no number in exponent form, totals are integers") {
    search::SearchResult result;
    result.query = "q";
    result.total_estimated = result.total_lower_bound = result.total_upper_bound = 123456;
    result.elapsed_ms = 0.0001234567;
    for (double score : {12.3456789, 1.0e-5, 123.0}) {
        search::Hit hit;
        hit.id = "x";
        hit.score = score;
        result.hits.push_back(hit);
    }
    const std::string body = search::serialize(result);
    CHECK(body.find("\"score\":12.3457,") != std::string::npos);
    CHECK(body.find("\"score\":0.00001,") != std::string::npos);
    CHECK(body.find("\"score\":123,") != std::string::npos);
    CHECK(body.find("\"elapsed_ms\":0.000123457") != std::string::npos);
    CHECK(body.find("\"estimated\":123456,") != std::string::npos);
    CHECK_FALSE(std::regex_search(body, std::regex(R"([0-9][eE][-+]?[0-9])")));
}
