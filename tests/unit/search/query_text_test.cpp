// Identifier tokens and correctable words, read from query text alone (no index).
#include "search/query_text.hpp"

#include <catch2/catch.hpp>

using namespace scholarsearch::search;
using Kind = IdentifierCandidate::Kind;

namespace {

bool has(const IdentifierToken& token, Kind kind, const std::string& value) {
    for (const auto& candidate : token.candidates)
        if (candidate.kind == kind && candidate.value == value) return true;
    return false;
}

}  // namespace

TEST_CASE("query text: DOIs in every form people paste") {
    for (std::string text : {"10.1016/j.giq.2012.07.002", "doi:10.1016/J.GIQ.2012.07.002", "DOI:10.1016/j.giq.2012.07.002",
                             "https://doi.org/10.1016/j.giq.2012.07.002", "http://dx.doi.org/10.1016/j.giq.2012.07.002",
                             "10.1016/j.giq.2012.07.002."}) {
        INFO(text);
        const auto found = find_identifiers(text);
        REQUIRE(found.size() == 1);
        CHECK(found[0].begin == 0);
        CHECK(found[0].end == text.size());
        CHECK(found[0].candidates.at(0).kind == Kind::doi);
        CHECK(has(found[0], Kind::doi, "10.1016/j.giq.2012.07.002"));
    }
    // "DOI: X" is one identifier of two tokens; the words around it are not part of it.
    const std::string text = "open data DOI: 10.1016/j.giq.2012.07.002 portals";
    const auto found = find_identifiers(text);
    REQUIRE(found.size() == 1);
    CHECK(text.substr(found[0].begin, found[0].end - found[0].begin) == "DOI: 10.1016/j.giq.2012.07.002");
    CHECK(has(found[0], Kind::doi, "10.1016/j.giq.2012.07.002"));
}

TEST_CASE("query text: arXiv ids, new and old style, versioned, with prefix or URL") {
    const std::vector<std::pair<std::string, std::string>> rows{
        {"2103.00020", "arxiv:2103.00020"},
        {"2103.00020v2", "arxiv:2103.00020"},
        {"arXiv:2103.00020", "arxiv:2103.00020"},
        {"arXiv: 2103.00020", "arxiv:2103.00020"},
        {"arxiv.org/abs/2103.00020", "arxiv:2103.00020"},
        {"https://arxiv.org/abs/2103.00020v1", "arxiv:2103.00020"},
        {"https://arxiv.org/pdf/2103.00020v1.pdf", "arxiv:2103.00020"},
        {"1501.12345", "arxiv:1501.12345"},
        {"cond-mat/9909265", "arxiv:cond-mat/9909265"},
        {"arXiv:cond-mat/9909265", "arxiv:cond-mat/9909265"},
        {"math.GT/0309136v1", "arxiv:math.GT/0309136"},
    };
    for (const auto& [text, id] : rows) {
        INFO(text);
        const auto found = find_identifiers(text);
        REQUIRE(found.size() == 1);
        CHECK(found[0].end == text.size());
        CHECK(has(found[0], Kind::record_id, id));
    }
    // The versioned id is tried too, after the unversioned one.
    CHECK(has(find_identifiers("2103.00020v2").at(0), Kind::record_id, "arxiv:2103.00020v2"));
    CHECK(has(find_identifiers("2103.00020").at(0), Kind::doi, "10.48550/arxiv.2103.00020"));
    // Not arXiv ids: wrong digit counts, a plain path.
    for (std::string text : {"2103.001", "21030.00020", "Cond-Mat/9909265", "cond-mat/99092"}) {
        INFO(text);
        for (const auto& token : find_identifiers(text))
            for (const auto& candidate : token.candidates) CHECK(candidate.value.rfind("arxiv:", 0) != 0);
    }
}

TEST_CASE("query text: record ids, and what is never an identifier") {
    const auto found = find_identifiers("acl:2020.acl-main.1 social media");
    REQUIRE(found.size() == 1);
    CHECK(found[0].begin == 0);
    CHECK(has(found[0], Kind::record_id, "acl:2020.acl-main.1"));
    CHECK(has(find_identifiers("gov-1").at(0), Kind::record_id, "gov-1"));
    // Plain words, phrases, bracketed groups, love/hate and operands of boolean operators.
    for (std::string text : {"social media", "\"10.1016/j.giq.2012.07.002\"", "(10.1016/j.giq.2012.07.002 OR x)",
                             "( 10.1016/j.giq.2012.07.002 )", "-10.1016/j.giq.2012.07.002", "+gov-1",
                             "government NOT 10.1016/j.giq.2012.07.002", "10.1016/j.giq.2012.07.002 AND open",
                             "\"a 10.1016/j.giq.2012.07.002 b\""}) {
        INFO(text);
        CHECK(find_identifiers(text).empty());
    }
    // Brackets inside a DOI are part of it.
    const auto bracketed = find_identifiers("10.1016/0378-4371(94)00001-x");
    REQUIRE(bracketed.size() == 1);
    CHECK(has(bracketed[0], Kind::doi, "10.1016/0378-4371(94)00001-x"));
    CHECK(is_boolean_operator("NOT"));
    CHECK_FALSE(is_boolean_operator("not"));
}

TEST_CASE("query text: correctable words are content words, replaced in place") {
    const std::string text = "title:socail AND \"goverment data\" x1 ab café";
    // Spans as the QueryBuilder reports them: the value of title:, the phrase, x1, ab, café.
    const std::vector<std::pair<std::size_t, std::size_t>> spans{{6, 12}, {18, 32}, {34, 36}, {37, 39}, {40, 45}};
    const auto words = correctable_words(text, spans);
    REQUIRE(words.size() == 3);
    CHECK(words[0].word == "socail");
    CHECK(words[1].word == "goverment");
    CHECK(words[2].word == "data");
    const std::string corrected = replace_words(text, words, {{"socail", "social"}, {"goverment", "government"}});
    CHECK(corrected == "title:social AND \"government data\" x1 ab café");
    CHECK(replace_words(text, words, {}) == text);
    CHECK(correctable_words("Socail", {{0, 6}}).at(0).word == "socail");
}
