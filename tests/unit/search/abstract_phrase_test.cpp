// Phrases and NEAR in abstracts, in both index layouts (schema.hpp): with abstract positions,
// and without them (checked on the stored abstract). Either way a phrase must match exactly where
// Xapian's positional phrase matches the same text in a title.
#include "analysis/analyzer.hpp"
#include "schema/schema.hpp"
#include "search/abstract_phrase.hpp"

#include "search_fixture.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace scholarsearch;
using scholarsearch::testing::contains;
using scholarsearch::testing::SearchFixture;

namespace {

// Each text is once a title (positions: Xapian's phrase matching) and once an abstract (checked
// on the stored text), under filler that shares no word with the queries.
const std::vector<std::string> texts{
    "zorb quix flan mip",
    "zorb lorem quix",
    "quix zorb",
    "zorb lorem ipsum dolor quix",
    "zorb zorb quix",
    "quix lorem zorb lorem flan",
    "Zorb, quix; flan.",
    "zorb-quix mip",
    "flan lorem lorem lorem lorem lorem lorem lorem lorem lorem lorem lorem zorb",
};

std::string records_jsonl() {
    std::string out;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string n = std::to_string(i);
        out += R"({"id": "t-)" + n + R"(", "title": ")" + texts[i] + R"(", "abstract": "Sed ut perspiciatis."})" "\n";
        out += R"({"id": "k-)" + n + R"(", "title": "Nemo enim", "keywords": ["Ipsam", ")" + texts[i] + R"("]})" "\n";
        out += R"({"id": "a-)" + n + R"(", "title": "Nemo enim ipsam", "abstract": "Sed ut perspiciatis. )" + texts[i] +
               R"( Neque porro quisquam."})" "\n";
    }
    out += R"({"id": "split", "title": "Ut enim zorb", "abstract": "quix ad minima veniam."})" "\n";
    return out;
}

}  // namespace

index::IndexOptions layout(bool abstract_positions) {
    index::IndexOptions options;
    options.abstract_positions = abstract_positions;
    return options;
}

TEST_CASE("abstract phrases: a phrase or NEAR matches an abstract exactly when it matches the same text in a title") {
    const bool abstract_positions = GENERATE(true, false);
    INFO("abstract positions: " << abstract_positions);
    SearchFixture index(records_jsonl(), layout(abstract_positions));
    const std::vector<std::string> queries{
        "\"zorb quix\"", "\"quix zorb\"", "\"zorb quix flan\"", "\"zorb quix mip\"", "zorb-quix", "\"zorb zorb\"",
        "zorb NEAR quix", "zorb NEAR/2 quix", "zorb NEAR/3 quix", "zorb NEAR/5 quix", "zorb NEAR/4 flan",
        "zorb ADJ/3 quix", "zorb ADJ/5 quix", "quix ADJ/2 zorb", "flan NEAR/12 zorb", "flan NEAR/13 zorb",
        "\"zorb quix\" OR mip", "\"zorb quix\" AND flan",
    };
    std::size_t matched = 0, missed = 0;
    for (const auto& query : queries) {
        std::vector<std::string> ids;
        for (const auto& hit : index.search(query, 100).hits) ids.push_back(hit.id);
        for (std::size_t i = 0; i < texts.size(); ++i) {
            INFO("query: " << query << "  text: " << texts[i]);
            const bool in_title = contains(ids, "t-" + std::to_string(i));
            CHECK(contains(ids, "a-" + std::to_string(i)) == in_title);
            CHECK(contains(ids, "k-" + std::to_string(i)) == in_title);
            (in_title ? matched : missed)++;
        }
        INFO("query: " << query);
        CHECK_FALSE(contains(ids, "split"));   // words in the title and the abstract are no phrase
    }
    // Both outcomes occur, so the comparison says something.
    CHECK(matched > 10);
    CHECK(missed > 10);
}

TEST_CASE("abstract phrases: found only in an abstract, not for its words apart, and under abstract: too") {
    const bool abstract_positions = GENERATE(true, false);
    INFO("abstract positions: " << abstract_positions);
    SearchFixture index(R"JSONL(
{"id": "adjacent", "title": "A study", "abstract": "We measure glacier retreat from orbit.", "year": 2020}
{"id": "apart", "title": "Another study", "abstract": "The glacier did not retreat this year.", "year": 2020}
{"id": "titled", "title": "Glacier retreat", "abstract": "Nothing here.", "year": 2020}
)JSONL", layout(abstract_positions));
    CHECK(index.ids("\"glacier retreat\"") == std::vector<std::string>{"titled", "adjacent"});
    CHECK(index.ids("abstract:\"glacier retreat\"") == std::vector<std::string>{"adjacent"});
    CHECK(index.ids("\"retreat glacier\"").empty());
    const auto near = index.ids("glacier NEAR/4 retreat");
    CHECK(contains(near, "apart"));
    CHECK(contains(near, "adjacent"));
    CHECK_FALSE(contains(index.ids("glacier NEAR/3 retreat"), "apart"));
}

TEST_CASE("abstract phrases: without abstract positions words have them only in the title and keyword terms, CJK terms everywhere") {
    const bool abstract_positions = GENERATE(true, false);
    INFO("abstract positions: " << abstract_positions);
    testing::TempDir dir;
    const std::string db = dir / "db";
    const std::string file = dir.write("r.jsonl", R"({"id": "r", "title": "Glacier", "abstract": "Retreat glacier 冰川退缩."})" "\n");
    {
        index::IndexWriter writer(db);
        writer.add_inputs({file}, layout(abstract_positions), [](const record::Diagnostic&) {});
    }
    Xapian::Database database(db);
    CHECK(database.get_metadata(std::string(schema::abstract_positions_metadata_key)) == (abstract_positions ? "1" : "0"));
    const Xapian::docid id = *database.postlist_begin("");
    auto positions = [&](const std::string& term) {
        return std::distance(database.positionlist_begin(id, term), database.positionlist_end(id, term));
    };
    CHECK(positions(std::string(schema::prefix::title) + "glacier") == 1);
    CHECK(database.term_exists("glacier"));
    CHECK(positions("glacier") == (abstract_positions ? 2 : 0));   // the title's and the abstract's
    CHECK(positions("retreat") == (abstract_positions ? 1 : 0));
    CHECK(database.term_exists(std::string(schema::prefix::abstract) + "retreat"));
    CHECK(positions(std::string(schema::prefix::abstract) + "retreat") == 0);
    // A CJK query word is a phrase of bigrams over the unprefixed terms.
    CHECK(positions("冰川") == 1);

    // An update keeps the layout the index was built with, whatever its options say.
    {
        index::IndexWriter writer(db);
        writer.add_inputs({dir.write("s.jsonl", R"({"id": "s", "title": "Ice", "abstract": "Sheet melt."})" "\n")},
                          layout(!abstract_positions), [](const record::Diagnostic&) {});
    }
    Xapian::Database updated(db);
    CHECK(updated.get_metadata(std::string(schema::abstract_positions_metadata_key)) == (abstract_positions ? "1" : "0"));
    const Xapian::docid added = *updated.postlist_begin("Qs");
    CHECK(std::distance(updated.positionlist_begin(added, "sheet"), updated.positionlist_end(added, "sheet")) ==
          (abstract_positions ? 1 : 0));
}

TEST_CASE("abstract phrases: positions_match follows Xapian's windows") {
    analysis::Analyzer analyzer;
    std::vector<analysis::Token> tokens;
    analyzer.analyze("a b c a d e b", tokens, 1);
    using Match = search::PositionalMatch;
    CHECK(search::positions_match(tokens, Match{{"a", "b"}, true, 2}));
    CHECK(search::positions_match(tokens, Match{{"b", "c", "a"}, true, 3}));
    CHECK_FALSE(search::positions_match(tokens, Match{{"c", "b"}, true, 2}));
    CHECK_FALSE(search::positions_match(tokens, Match{{"a", "e"}, true, 2}));
    CHECK(search::positions_match(tokens, Match{{"a", "e"}, true, 3}));    // a d e
    CHECK(search::positions_match(tokens, Match{{"e", "a"}, false, 3}));   // any order
    CHECK_FALSE(search::positions_match(tokens, Match{{"e", "a"}, true, 3}));
    CHECK(search::positions_match(tokens, Match{{"a", "a"}, false, 4}));   // two a's, 3 apart
    CHECK_FALSE(search::positions_match(tokens, Match{{"a", "a"}, false, 3}));
    CHECK_FALSE(search::positions_match(tokens, Match{{"a", "z"}, false, 10}));
    CHECK_FALSE(search::positions_match(tokens, Match{{}, true, 2}));
}

namespace {

// Records whose abstracts hold both words apart, ranked above the few that hold the phrase
// (their words come twice): the first windows the Searcher checks hold no match at all.
std::string mostly_apart_jsonl(std::size_t apart, std::size_t adjacent) {
    std::string out;
    for (std::size_t i = 0; i < apart; ++i)
        out += R"({"id": "apart-)" + std::to_string(i) + R"(", "title": "Nemo enim", "abstract": "zorb lorem quix zorb ipsum quix )" +
               std::string(i % 7, 'x') + R"( dolor."})" "\n";
    for (std::size_t i = 0; i < adjacent; ++i)
        out += R"({"id": "adjacent-)" + std::to_string(i) + R"(", "title": "Nemo enim", "abstract": "Sed ut zorb quix perspiciatis )" +
               std::string(i % 5, 'y') + R"( unde omnis iste natus error."})" "\n";
    return out;
}

}  // namespace

TEST_CASE("abstract phrases: checking only the ranked window gives the pages and totals of the positional index") {
    const std::string records = mostly_apart_jsonl(300, 25);
    SearchFixture positional(records, layout(true));
    SearchFixture compact(records, layout(false));
    // Phrases alone, in an OR (a record that fails the check keeps its other words' weight), and
    // under a NOT (where failing the check adds a match).
    for (const std::string query : {"\"zorb quix\"", "zorb-quix", "\"zorb quix\" OR perspiciatis", "\"zorb quix\" natus",
                                    "zorb-quix lorem dolor", "dolor -\"zorb quix\"", "(dolor OR natus) NOT zorb-quix"}) {
        for (const auto& [offset, size] : std::vector<std::pair<std::size_t, std::size_t>>{{0, 10}, {0, 1}, {5, 10}, {20, 10}, {0, 100}}) {
            INFO("query: " << query << "  offset " << offset << "  size " << size);
            search::SearchRequest request;
            request.query = query;
            request.offset = offset;
            request.size = size;
            const search::SearchResult expected = positional.search(request);
            const search::SearchResult found = compact.search(request);
            std::vector<std::string> expected_ids, found_ids;
            for (const auto& hit : expected.hits) expected_ids.push_back(hit.id);
            for (const auto& hit : found.hits) found_ids.push_back(hit.id);
            CHECK(found_ids == expected_ids);
            REQUIRE(found.hits.size() == expected.hits.size());
            for (std::size_t i = 0; i < found.hits.size(); ++i) CHECK(found.hits[i].score == Approx(expected.hits[i].score).epsilon(1e-12));
            // The bounds hold the exact count (facets make Xapian count every match).
            request.facets = {search::Facet::year};
            const search::SearchResult counted = positional.search(request);
            REQUIRE(counted.total_lower_bound == counted.total_upper_bound);
            CHECK(found.total_lower_bound <= counted.total_lower_bound);
            CHECK(found.total_upper_bound >= counted.total_lower_bound);
        }
    }
    // A phrase alone: the window grew until it held every candidate, so the count is exact.
    const search::SearchResult phrase = compact.search("\"zorb quix\"", 10);
    CHECK(phrase.total_estimated == 25);
    CHECK(phrase.total_lower_bound == 25);
    CHECK(phrase.total_upper_bound == 25);
    // size=0 asks for the counts only.
    const search::SearchResult counts_only = compact.search("\"zorb quix\" OR perspiciatis", 0);
    CHECK(counts_only.hits.empty());
    CHECK(counts_only.total_upper_bound >= 25);
    // Facets count every match: then every candidate is checked.
    search::SearchRequest faceted;
    faceted.query = "\"zorb quix\"";
    faceted.facets = {search::Facet::year};
    CHECK(compact.search(faceted).facets_counted == 25);
}

TEST_CASE("abstract phrases: AbstractPhraseChecks decides which candidates the source matches") {
    SearchFixture index(mostly_apart_jsonl(4, 3), layout(false));
    Xapian::Database database(index.path());
    auto checks = std::make_shared<search::AbstractPhraseChecks>();
    const Xapian::Query phrase = search::abstract_phrase_query(search::PositionalMatch{{"zorb", "quix"}, true, 2}, checks);
    auto matching = [&](const Xapian::Query& query) {
        Xapian::Enquire enquire(database);
        enquire.set_query(query);
        std::vector<Xapian::docid> docids;
        const Xapian::MSet mset = enquire.get_mset(0, 100);
        for (auto it = mset.begin(); it != mset.end(); ++it) docids.push_back(*it);
        std::sort(docids.begin(), docids.end());
        return docids;
    };
    // Docids 1..4 hold the words apart, 5..7 the phrase.
    CHECK(matching(phrase) == std::vector<Xapian::docid>{5, 6, 7});
    checks->check_none();
    CHECK(matching(phrase) == std::vector<Xapian::docid>{1, 2, 3, 4, 5, 6, 7});
    checks->check_only(search::docid_set({7, 2, 5}));
    CHECK(matching(phrase) == std::vector<Xapian::docid>{5, 7});
    CHECK(matching(search::docid_set_query(search::docid_set({3, 6, 1}))) == std::vector<Xapian::docid>{1, 3, 6});
    CHECK(matching(Xapian::Query(Xapian::Query::OP_FILTER, phrase, search::docid_set_query(search::docid_set({2, 7})))) == std::vector<Xapian::docid>{7});
    checks->check_every();
    CHECK(matching(phrase) == std::vector<Xapian::docid>{5, 6, 7});
}
