// Request targets with bad bytes: a clear BadRequest whose message is itself UTF-8 (it goes into
// a JSON answer), however long the bad parameter.
#include "http/query_params.hpp"
#include "text/utf8.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace scholarsearch;

TEST_CASE("query params: invalid UTF-8 in a parameter is a bad request") {
    for (const std::string target : {"/search?q=%FF", "/search?q=caf%E9", "/search?q=%ED%A0%80", "/search?q=%C0%AF",
                                     "/search?q=%E7%8E"}) {
        INFO(target);
        CHECK_THROWS_AS(http::Target(target), http::BadRequest);
    }
    CHECK(http::Target("/search?q=%E7%8E%8B").get("q") == std::optional<std::string>("王"));
}

TEST_CASE("query params: the excerpt of a bad escape never ends inside a character") {
    // 199 ASCII bytes, then 王 across bytes 199..201: a cut at 200 bytes falls inside it.
    const std::string long_value = std::string(199, 'a') + "王%zz";
    try {
        http::Target target("/search?q=" + long_value);
        FAIL("a bad escape was accepted");
    } catch (const http::BadRequest& error) {
        CHECK(text::is_valid_utf8(error.detail));
        CHECK(error.detail.find(std::string(199, 'a') + "\"") != std::string::npos);
    }
}
