#include "graph/citation_resolver.hpp"

#include <catch2/catch.hpp>

using namespace scholarsearch::graph;
using namespace scholarsearch::record;

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
    const std::pair<const char*, std::optional<std::string>> dois[] = {
        {"Smith J, 2019, J ASSOC INF SCI TECH, V70, P123, DOI 10.1002/asi.24142", "10.1002/asi.24142"},
        {"see https://doi.org/10.1016/J.GIQ.2012.06.005.", "10.1016/j.giq.2012.06.005"},
        {"vol. 10.5, pp. 3-9", std::nullopt},
        {"no identifier here", std::nullopt}};
    for (const auto& [text, doi] : dois) CHECK(doi_in(text) == doi);

    const std::pair<const char*, const char*> titles[] = {
        {"Social Media — and  Government: a “Review”!", "social media and government a review"},
        {"ＳＯＣＩＡＬ media", "social media"},
        {"社交媒体环境下的政府。", "社交媒体环境下的政府"}};
    for (const auto& [title, key] : titles) CHECK(title_key(title) == key);

    const std::pair<const char*, const char*> families[] = {
        {"Picazo-Vela, Sergio", "picazovela"}, {"Sergio Picazo-Vela", "picazovela"}, {"Picazo-Vela S", "picazovela"},
        {"Müller, Jürgen", "müller"}, {"张伟", "张"}};
    for (const auto& [name, family] : families) CHECK(family_key(name) == family);
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

TEST_CASE("resolution: a record without authors is cited by title only by items without authors") {
    CitationResolver resolver;
    Record anonymous = paper("n", "Annual report of the national library board", "", 2010);
    anonymous.authors.clear();
    resolver.add(anonymous);
    const Reference without_author = cited("", "Annual report of the national library board", {}, 2010);
    const Reference with_author = cited("", "Annual report of the national library board", {"Smith, J."}, 2010);
    CHECK(resolved(resolver, without_author) == "n");
    CHECK(resolved(resolver, with_author) == "-");
    // And every item that resolves shares a key with its record; items with authors key no title.
    const auto work_keys = citing_keys_of_work(work_of(anonymous));
    const auto keys = citing_keys(without_author);
    CHECK(std::any_of(keys.begin(), keys.end(), [&](const auto& key) {
        return std::find(work_keys.begin(), work_keys.end(), key) != work_keys.end();
    }));
    for (const auto& key : citing_keys(with_author)) CHECK(key[0] != 't');
}
