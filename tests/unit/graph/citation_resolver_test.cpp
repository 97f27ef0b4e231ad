#include "graph/citation_resolver.hpp"

#include <catch2/catch.hpp>

using scholarsearch::graph::CitationResolver;
using scholarsearch::graph::Rule;
using scholarsearch::record::Author;
using scholarsearch::record::Pages;
using scholarsearch::record::Record;
using scholarsearch::record::Reference;

namespace {

Record paper(std::string id, std::string title, std::string first_author, int year, std::optional<std::string> doi = {},
             std::optional<std::string> first_page = {}) {
    Record record;
    record.id = std::move(id);
    record.title = std::move(title);
    record.authors.push_back(Author{std::move(first_author), {}});
    record.year = year;
    record.doi = std::move(doi);
    if (first_page) record.pages = Pages{first_page, std::nullopt};
    return record;
}

Reference cited(std::string text, std::optional<std::string> title, std::vector<std::string> authors,
                std::optional<int> year) {
    Reference reference;
    reference.text = std::move(text);
    reference.title = std::move(title);
    reference.authors = std::move(authors);
    reference.year = year;
    return reference;
}

std::string resolved(const CitationResolver& resolver, const Reference& reference) {
    const auto found = resolver.resolve(reference);
    return found ? found->id : "-";
}

}  // namespace

TEST_CASE("keys: DOIs, titles and family names in the forms references write them") {
    using namespace scholarsearch::graph;
    CHECK(doi_in("Smith J, 2019, J ASSOC INF SCI TECH, V70, P123, DOI 10.1002/asi.24142") == "10.1002/asi.24142");
    CHECK(doi_in("see https://doi.org/10.1016/J.GIQ.2012.06.005.") == "10.1016/j.giq.2012.06.005");
    CHECK(doi_in("vol. 10.5, pp. 3-9") == std::nullopt);
    CHECK(doi_in("no identifier here") == std::nullopt);
    CHECK(title_key("Social Media — and  Government: a “Review”!") == "social media and government a review");
    CHECK(title_key("ＳＯＣＩＡＬ media") == "social media");
    CHECK(title_key("社交媒体环境下的政府") == title_key("社交媒体环境下的政府。"));
    CHECK(family_key("Picazo-Vela, Sergio") == "picazovela");
    CHECK(family_key("Sergio Picazo-Vela") == "picazovela");
    CHECK(family_key("Picazo-Vela S") == "picazovela");
    CHECK(family_key("Müller, Jürgen") == "müller");
    CHECK(family_key("张伟") == "张");
}

TEST_CASE("resolution: DOI first, then title and year, and every clue must agree") {
    CitationResolver resolver;
    resolver.add(paper("a", "Open government data and transparency in practice", "Picazo-Vela, Sergio", 2012,
                            "10.1016/j.giq.2012.06.005", "120"));
    resolver.add(paper("b", "Open government data and transparency in practise", "Bertot, John", 2012));
    resolver.add(paper("c", "Editorial", "Lee, Ann", 2015));
    resolver.add(paper("d", "Editorial", "Kim, Bo", 2015));
    resolver.add(paper("e", "Deep networks for speech recognition, part II", "Hinton, Geoffrey", 2014));
    resolver.add(paper("f", "Deep networks for speech recognition, part III", "Hinton, Geoffrey", 2014));

    SECTION("by DOI, whatever the rest says") {
        const auto found = resolver.resolve(cited("Picazo-Vela S, 2011, GOV INFORM Q, DOI 10.1016/J.GIQ.2012.06.005", {}, {"Picazo-Vela S"}, 2011));
        REQUIRE(found);
        CHECK(found->id == "a");
        CHECK(found->rule == Rule::doi);
    }
    SECTION("by title and year; another year or first author is another paper") {
        CHECK(resolved(resolver, cited("", "Open Government Data and Transparency in Practice.", {"Picazo-Vela, S."}, 2012)) == "a");
        CHECK(resolved(resolver, cited("", "Open government data and transparency in practice", {"Picazo-Vela, S."}, 2013)) == "-");
        CHECK(resolved(resolver, cited("", "Open government data and transparency in practice", {"Someone, Else"}, 2012)) == "-");
        CHECK(resolved(resolver, cited("", "Open government data and transparency in practice", {}, std::nullopt)) == "-");
    }
    SECTION("a DOI that names another paper stops a title match") {
        CHECK(resolved(resolver, cited("DOI 10.9999/other", "Open government data and transparency in practice",
                                       {"Picazo-Vela, S."}, 2012)) == "-");
    }
    SECTION("short titles need the first author") {
        CHECK(resolved(resolver, cited("", "Editorial", {"Lee, A."}, 2015)) == "c");
        CHECK(resolved(resolver, cited("", "Editorial", {}, 2015)) == "-");
    }
    SECTION("typos resolve when author and year agree; numbers and other words do not") {
        const auto found = resolver.resolve(cited("", "Open goverment data and transparancy in practice", {"Picazo-Vela, S."}, 2012));
        REQUIRE(found);
        CHECK(found->id == "a");
        CHECK(found->rule == Rule::title_with_typos);
        CHECK(resolved(resolver, cited("", "Open government data and openness in practice", {"Picazo-Vela, S."}, 2012)) == "-");
        CHECK(resolved(resolver, cited("", "Deep networks for speech recognition, part IV", {"Hinton, G."}, 2014)) == "-");
        CHECK(resolved(resolver, cited("", "Deep networks for speech recognition, part II", {"Hinton, G."}, 2014)) == "e");
    }
    SECTION("WoS items without a title: first author, year and first page") {
        CHECK(resolved(resolver, cited("Picazo-Vela S, 2012, GOV INFORM Q, V29, P120", {}, {"Picazo-Vela S"}, 2012)) == "a");
        CHECK(resolved(resolver, cited("Picazo-Vela S, 2012, GOV INFORM Q, V29, P121", {}, {"Picazo-Vela S"}, 2012)) == "-");
    }
}
