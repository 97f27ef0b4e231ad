// The search API against a small index with known contents.
#include "index/index_writer.hpp"
#include "record/error.hpp"
#include "search/request_params.hpp"
#include "search/result_json.hpp"
#include "search/searcher.hpp"
#include "search/snippet.hpp"

#include "search_fixture.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>

using namespace scholarsearch;
using scholarsearch::testing::contains;
using scholarsearch::testing::SearchFixture;

namespace {

// Every record here exists to make one row below pass or fail.
const char* const records_jsonl = R"JSONL(
{"id": "gov-1", "title": "Social media and government transparency", "abstract": "Governments publish decisions on social networks. Transparency grows when ministries answer citizens.", "keywords": ["Social media", "Transparency"], "authors": ["Marchetti, Elena", "Ibarra, Tomas"], "year": 2019, "venue": "Journal of Digital Governance", "cited_by": 40, "doi": "10.5555/gov.1", "affiliations": [{"ref": 1, "name": "University of Padova"}], "clc": [{"code": "D63", "label": null}]}
{"id": "gov-2", "title": "Open data portals in local government", "abstract": "We compare open data portals of twelve cities and their accountability.", "keywords": ["Open data", "Local government"], "authors": ["Varga, Dora"], "year": 2016, "venue": "Public Information Review", "cited_by": 5, "clc": [{"code": "D630", "label": null}]}
{"id": "gov-2-copy", "title": "Open data portals in local government (preprint)", "abstract": "A preprint of the open data portal comparison.", "keywords": ["Open data"], "authors": ["Varga, Dora"], "year": 2016, "doi": "10.5555/GOV.2"}
{"id": "gov-2-published", "title": "Open data portals in local government", "abstract": "The published open data portal comparison of twelve cities.", "keywords": ["Open data"], "authors": ["Varga, Dora"], "year": 2017, "doi": "10.5555/gov.2"}
{"id": "ir-1", "title": "Query expansion with word embeddings for academic search", "abstract": "Embedding-based query expansion improves recall of academic search engines on long queries.", "keywords": ["Query expansion", "Word embeddings"], "authors": ["Lindqvist, Maja"], "year": 2021, "venue": "Information Retrieval Letters", "cited_by": 12, "clc": [{"code": "TP391", "label": null}]}
{"id": "ir-2", "title": "Learning to expand queries for scholarly retrieval", "abstract": "Query expansion learned from click logs of an academic search engine improves recall.", "keywords": ["Query expansion", "Learning to rank"], "authors": ["Okafor, Chidi"], "year": 2022, "venue": "Information Retrieval Letters", "cited_by": 3, "clc": [{"code": "TP391.3", "label": null}]}
{"id": "zh-1", "title": "社交媒体平台上的政府信息公开研究", "abstract": "随着社交媒体平台成为公众获取信息的入口，政府信息公开的方式正在改变。本文分析政务微博。", "keywords": ["社交媒体", "政府信息公开"], "authors": ["王晓明"], "year": 2021, "venue": "电子政务", "affiliations": [{"ref": 1, "name": "清华大学公共管理学院"}], "clc": [{"code": "D63", "label": "国家行政管理"}]}
{"id": "zh-2", "title": "深度学习模型在文本分类中的应用", "abstract": "本文比较了深度学习deep learning模型与传统方法在中文文本分类任务上的效果。", "keywords": ["深度学习", "文本分类"], "authors": ["李娜"], "year": 2020, "venue": "计算机应用", "clc": [{"code": "TP391", "label": null}]}
{"id": "misc-1", "title": "Glacier retreat measured from satellites", "abstract": "Satellite images show <b>rapid</b> glacier retreat & thinning in the Alps.", "keywords": ["Glaciers"], "authors": ["Frost, Anna"], "year": 2018, "venue": "Cryosphere Notes"}
)JSONL";

// Names as people type them: hyphens, accents, umlauts written three ways. n-brandt-apart and
// n-art-state have the words of a hyphenated query in another order, so only a phrase misses them.
const char* const names_jsonl = R"JSONL(
{"id": "n-hyphen", "title": "Digital government in Latin America", "abstract": "Portals of ministries.", "authors": ["Ortega-Brandt, Luis", "Luna-Reyes, Luis F."], "year": 2015}
{"id": "n-brandt-apart", "title": "Brandt and Ortega compared", "abstract": "Two counties.", "authors": ["Smith, Jo"], "year": 2015}
{"id": "n-accent", "title": "Open budgets", "abstract": "Budget transparency.", "authors": ["Gutiérrez, Ana"], "year": 2016}
{"id": "n-umlaut", "title": "Archives online", "abstract": "Records management.", "authors": ["Müller, Hans"], "affiliations": [{"ref": 1, "name": "Universität Zürich"}], "year": 2017}
{"id": "n-ue", "title": "Registers of land", "abstract": "Cadastre.", "authors": ["Mueller, Petra"], "year": 2017}
{"id": "n-u", "title": "Maps of rivers", "abstract": "Hydrology.", "authors": ["Muller, Jean"], "year": 2017}
{"id": "n-double", "title": "Sound archives", "abstract": "Tapes.", "authors": ["Müller-Lüdenscheidt, Otto"], "year": 2018}
{"id": "n-art", "title": "A state-of-the-art review of e-government", "abstract": "We survey portals.", "authors": ["Kim, Min"], "year": 2019}
{"id": "n-art-state", "title": "The art of the state", "abstract": "Political theory.", "authors": ["Lee, Ann"], "year": 2019}
{"id": "n-content", "title": "Naïve Bayes for résumé screening", "abstract": "Hiring with a naïve model.", "authors": ["Park, Su"], "year": 2020}
)JSONL";


}  // namespace

TEST_CASE("search: query language rows find exactly what they should") {
    SearchFixture index(records_jsonl);
    // Rows: query, ids that must be found, ids that must not be.
    struct Row {
        std::string query;
        std::vector<std::string> found, absent;
    };
    const std::vector<Row> rows{
        // free text, stems, full-width letters
        {"transparency social media government", {"gov-1"}, {"misc-1"}},
        {"governments", {"gov-1", "gov-2"}, {"ir-1"}},
        {"ＴＲＡＮＳＰＡＲＥＮＣＹ", {"gov-1"}, {}},
        // phrases and proximity
        {"\"query expansion\"", {"ir-1", "ir-2"}, {"gov-1"}},
        {"\"expansion query\"", {}, {"ir-1", "ir-2"}},
        {"glacier NEAR retreat", {"misc-1"}, {}},
        // booleans, brackets, love/hate
        {"open AND data AND NOT preprint", {"gov-2", "gov-2-published"}, {"gov-2-copy"}},
        {"(glacier OR embeddings) AND satellites", {"misc-1"}, {"ir-1"}},
        {"query -click", {"ir-1"}, {"ir-2"}},
        {"(query expansion)-click", {"ir-1", "ir-2"}, {}},   // glued to a bracket: a hyphen, not NOT
        {"(query) -click", {"ir-1"}, {"ir-2"}},
        {"+glacier transparency", {"misc-1"}, {"gov-1"}},
        // wildcards
        {"embed*", {"ir-1"}, {"gov-1"}},
        // English fields
        {"title:learning", {"ir-2"}, {"ir-1"}},
        {"title:expanding", {"ir-2"}, {}},
        {"author:marchetti", {"gov-1"}, {"gov-2"}},
        {"author:\"Varga, Dora\"", {"gov-2"}, {"gov-1"}},
        {"keyword:\"open data\"", {"gov-2"}, {"gov-1"}},
        {"abstract:click", {"ir-2"}, {"ir-1"}},
        {"abstract:\"academic search\"", {"ir-1", "ir-2"}, {}},
        {"affiliation:padova", {"gov-1"}, {}},
        {"doi:10.5555/GOV.1", {"gov-1"}, {"gov-2"}},
        {"clc:TP391", {"ir-1", "ir-2", "zh-2"}, {"gov-1"}},
        {"clc:D63 government", {"gov-1", "gov-2"}, {"ir-1"}},
        {"venue:\"Information Retrieval Letters\"", {"ir-1", "ir-2"}, {"gov-1"}},
        {"query year:2022", {"ir-2"}, {"ir-1"}},
        {"query year:2020..2021", {"ir-1"}, {"ir-2"}},
        {"government year:..2016", {"gov-2"}, {"gov-1"}},
        // Chinese fields, full-width colon, Chinese text
        {"标题：政府信息公开", {"zh-1"}, {"zh-2"}},
        {"作者:王晓明", {"zh-1"}, {}},
        {"关键词:深度学习", {"zh-2"}, {"zh-1"}},
        {"摘要：政务微博", {"zh-1"}, {}},
        {"机构:清华大学", {"zh-1"}, {}},
        {"中图分类号:D63", {"zh-1", "gov-1"}, {"zh-2"}},
        {"来源:电子政务", {"zh-1"}, {"zh-2"}},
        {"年份:2020 模型", {"zh-2"}, {}},
        {"社交媒体 政府", {"zh-1"}, {"zh-2"}},
        {"媒体", {"zh-1"}, {}},              // a 2-character word inside 社交媒体
        {"信息公开", {"zh-1"}, {}},
        {"deep learning模型", {"zh-2"}, {}},
        {"學習", {"zh-2"}, {}},              // traditional characters find their simplified form
        // free text finds authors and affiliations too
        {"lindqvist", {"ir-1"}, {}},
        {"padova", {"gov-1"}, {}},
    };
    for (const auto& row : rows) {
        INFO("query: " << row.query);
        const auto ids = index.ids(row.query);
        for (const auto& id : row.found) CHECK(contains(ids, id));
        for (const auto& id : row.absent) CHECK_FALSE(contains(ids, id));
    }
}

TEST_CASE("search: names are found however people type them: hyphens, accents, umlauts") {
    SearchFixture index(names_jsonl);
    struct Row {
        std::string query;
        std::vector<std::string> found, absent;
    };
    const std::vector<Row> rows{
        // hyphenated family names: a phrase in the name fields, in free text and under the fields
        {"Ortega-Brandt", {"n-hyphen"}, {"n-brandt-apart"}},
        {"Ortega Brandt", {"n-hyphen"}, {}},
        {"Luna-Reyes", {"n-hyphen"}, {}},
        {"author:Ortega-Brandt", {"n-hyphen"}, {"n-brandt-apart"}},
        {"au:Luna-Reyes", {"n-hyphen"}, {}},
        {"作者:Ortega-Brandt", {"n-hyphen"}, {}},
        {"author:\"Ortega-Brandt, Luis\"", {"n-hyphen"}, {}},
        // accents: either spelling finds the other, in free text and under author:
        {"Gutierrez", {"n-accent"}, {}},
        {"Gutiérrez", {"n-accent"}, {}},
        {"GUTIÉRREZ", {"n-accent"}, {}},
        {"author:gutierrez", {"n-accent"}, {}},
        {"作者:Gutiérrez", {"n-accent"}, {}},
        // umlauts: Müller finds all three spellings; each ASCII spelling finds itself and Müller
        {"Müller", {"n-umlaut", "n-ue", "n-u"}, {}},
        {"Muller", {"n-umlaut", "n-u"}, {"n-ue"}},
        {"Mueller", {"n-umlaut", "n-ue"}, {"n-u"}},
        {"author:Mueller", {"n-umlaut", "n-ue"}, {"n-u"}},
        {"au:müller", {"n-umlaut", "n-ue", "n-u"}, {}},
        {"author:\"Mueller, Hans\"", {"n-umlaut"}, {"n-ue"}},
        {"author:\"Müller, Petra\"", {"n-ue"}, {"n-umlaut"}},
        {"Mueller-Luedenscheidt", {"n-double"}, {}},
        {"author:Muller-Ludenscheidt", {"n-double"}, {}},
        // affiliations get the same variants
        {"affiliation:zurich", {"n-umlaut"}, {}},
        {"aff:Zuerich", {"n-umlaut"}, {}},
        {"Zürich", {"n-umlaut"}, {}},
        // a hyphenated word in content is still a phrase there
        {"state-of-the-art", {"n-art"}, {"n-art-state"}},
        {"title:state-of-the-art", {"n-art"}, {"n-art-state"}},
        // content words are found with or without accents
        {"resume", {"n-content"}, {}},
        {"résumé", {"n-content"}, {}},
        {"naive bayes", {"n-content"}, {}},
        {"\"naïve bayes\"", {"n-content"}, {}},
    };
    for (const auto& row : rows) {
        INFO("query: " << row.query);
        const auto ids = index.ids(row.query);
        for (const auto& id : row.found) CHECK(contains(ids, id));
        for (const auto& id : row.absent) CHECK_FALSE(contains(ids, id));
    }
    // Content words are highlighted whichever way the query spells them.
    const auto highlighted = index.search("resume naive", 1);
    REQUIRE_FALSE(highlighted.hits.empty());
    CHECK_THAT(highlighted.hits[0].title_html, Catch::Contains("<mark>Naïve</mark>") && Catch::Contains("<mark>résumé</mark>"));
}

TEST_CASE("search: malformed queries give a message or run as plain words, never crash") {
    SearchFixture index(records_jsonl);
    // Rows that relax to plain words.
    for (std::string query : {"\"social media\" AND (", "transparency AND", "((((glacier", "NOT NOT NOT", "title:(",
                              "a NEAR/x b", ")))", "\"", "+", "-", "*", "：", "title:\"\"", "year:", "\xff\xfe broken"}) {
        INFO(query);
        CHECK_NOTHROW(index.search(query));
    }
    CHECK(index.search("\"social media\" AND (").query_relaxed);
    CHECK_FALSE(index.search("\"social media\" AND (").hits.empty());
    // Rows that are errors for the user.
    for (const std::string& query : std::vector<std::string>{"year:abc", "year:1999..later", std::string(5000, 'q')}) {
        INFO(query.substr(0, 40));
        CHECK_THROWS_AS(index.search(query), QueryError);
    }
    // Deeply nested brackets and long boolean chains are bounded, not fatal.
    std::string nested = std::string(200, '(') + "glacier" + std::string(200, ')');
    CHECK_NOTHROW(index.search(nested));
    std::string chain = "glacier";
    for (int i = 0; i < 300; ++i) chain += " OR word" + std::to_string(i);
    CHECK_FALSE(index.search(chain).hits.empty());
}

TEST_CASE("search: snippets mark English stems, Chinese words, and escape HTML") {
    SearchFixture index(records_jsonl);
    const auto english = index.search("govern transparency", 1);
    REQUIRE_FALSE(english.hits.empty());
    CHECK_THAT(english.hits[0].snippet, Catch::Contains("<mark>Governments</mark>") && Catch::Contains("<mark>Transparency</mark>"));
    CHECK_THAT(english.hits[0].title_html, Catch::Contains("<mark>transparency</mark>"));

    const auto chinese = index.search("社交媒体 政府", 1);
    REQUIRE_FALSE(chinese.hits.empty());
    CHECK_THAT(chinese.hits[0].snippet, Catch::Contains("<mark>社交媒体</mark>") && Catch::Contains("<mark>政府</mark>"));
    // A 2-character query word inside a longer word is marked on its own characters.
    const auto inner = index.search("媒体", 1);
    CHECK_THAT(inner.hits.at(0).snippet, Catch::Contains("社交<mark>媒体</mark>"));

    const auto escaped = index.search("glacier", 1);
    CHECK_THAT(escaped.hits.at(0).snippet, Catch::Contains("&lt;b&gt;rapid&lt;/b&gt;") && Catch::Contains("&amp;"));
    CHECK_THAT(escaped.hits.at(0).snippet, !Catch::Contains("<b>"));
}

TEST_CASE("search: long text is cut around the matches") {
    analysis::Analyzer analyzer;
    std::string text;
    for (int i = 0; i < 60; ++i) text += "filler words here. ";
    text += "the glacier retreat is here. ";
    for (int i = 0; i < 60; ++i) text += "more filler words. ";
    const auto terms = search::highlight_terms(analyzer, {"glacier"});
    const std::string snippet = search::make_snippet(analyzer, text, terms, 200);
    CHECK(snippet.size() < 260);
    CHECK_THAT(snippet, Catch::Contains("<mark>glacier</mark>") && Catch::StartsWith("…") && Catch::EndsWith("…"));
}

TEST_CASE("search: filters, facets, sorting and paging") {
    SearchFixture index(records_jsonl);
    search::SearchRequest request;
    request.query = "";
    request.size = 100;
    request.facets = search::all_facets();
    const auto all = index.search(request);
    CHECK(all.total_estimated == 8);   // 9 records, two share a DOI and collapse into one
    const auto& years = all.facets.at("year");
    // Facets count matching records before duplicates collapse: both 2016 records of gov-2.
    CHECK(std::find_if(years.begin(), years.end(), [](const auto& v) { return v.value == "2016" && v.count == 2; }) != years.end());
    CHECK(std::find_if(years.begin(), years.end(), [](const auto& v) { return v.value == "2022" && v.count == 1; }) != years.end());
    const auto& venues = all.facets.at("venue");
    CHECK(venues.at(0).value == "Information Retrieval Letters");
    CHECK(venues.at(0).count == 2);
    const auto& keywords = all.facets.at("keyword");
    CHECK(std::find_if(keywords.begin(), keywords.end(), [](const auto& v) { return v.value == "Query expansion" && v.count == 2; }) != keywords.end());

    request.facets.clear();
    request.query = "query";
    request.year_from = 2022;
    request.year_to = 2022;
    CHECK(index.search(request).hits.size() == 1);
    request.year_from.reset();
    request.year_to.reset();
    request.venues = {"information retrieval letters"};
    CHECK(index.search(request).hits.size() == 2);
    request.venues.clear();
    request.authors = {"Okafor, Chidi"};
    CHECK(index.search(request).hits.at(0).id == "ir-2");
    request.authors.clear();
    request.keywords = {"learning to rank"};
    CHECK(index.search(request).hits.size() == 1);
    request.keywords.clear();
    request.clc = {"TP3"};
    request.query = "";
    CHECK(index.search(request).hits.size() == 3);
    request.clc.clear();

    request.query = "";
    request.sort = search::SortOrder::year_desc;
    auto by_year = index.search(request);
    REQUIRE(by_year.hits.size() >= 2);
    CHECK(by_year.hits[0].id == "ir-2");
    request.sort = search::SortOrder::cited_by;
    CHECK(index.search(request).hits.at(0).id == "gov-1");
    request.sort = search::SortOrder::year_asc;
    CHECK(index.search(request).hits.at(0).year == 2016);

    request.sort = search::SortOrder::relevance;
    request.query = "government OR query OR glacier";
    request.size = 2;
    const auto first = index.search(request);
    request.offset = 2;
    const auto second = index.search(request);
    REQUIRE(first.hits.size() == 2);
    REQUIRE(second.hits.size() == 2);
    CHECK(first.hits[0].id != second.hits[0].id);
    CHECK(second.hits[0].rank == 3);

    request.size = search::max_page_size + 1;
    CHECK_THROWS_AS(index.search(request), QueryError);
    request.size = 10;
    request.offset = search::max_result_window;
    CHECK_THROWS_AS(index.search(request), QueryError);
}

TEST_CASE("search: records with the same DOI are collapsed into one hit") {
    SearchFixture index(records_jsonl);
    const auto ids = index.ids("open data portals");
    const bool copy = contains(ids, "gov-2-copy"), published = contains(ids, "gov-2-published");
    CHECK(copy != published);
    CHECK(contains(ids, "gov-2"));
}

TEST_CASE("search: more like this ranks the related record first") {
    SearchFixture index(records_jsonl);
    const auto similar = index.searcher().similar("ir-1", 5);
    REQUIRE_FALSE(similar.hits.empty());
    CHECK(similar.hits[0].id == "ir-2");
    for (const auto& hit : similar.hits) CHECK(hit.id != "ir-1");
    CHECK(index.searcher().similar("no-such-id", 5).hits.empty());
}

TEST_CASE("search: a misspelt English query gets a suggestion") {
    SearchFixture index(records_jsonl);
    const auto result = index.search("transparncy");
    REQUIRE(result.spelling_suggestion);
    CHECK(*result.spelling_suggestion == "transparency");
    CHECK_FALSE(index.search("transparency").spelling_suggestion);
}

TEST_CASE("search: suggestions complete keywords, authors and title words") {
    SearchFixture index(records_jsonl);
    const auto suggestions = index.searcher().suggest("query", 5);
    CHECK(std::find(suggestions.begin(), suggestions.end(), "query expansion") != suggestions.end());
    const auto authors = index.searcher().suggest("Varg", 5);
    CHECK(std::find(authors.begin(), authors.end(), "varga, dora") != authors.end());
}

TEST_CASE("search: the JSON result has the documented shape") {
    SearchFixture index(records_jsonl);
    search::SearchRequest request;
    request.query = "social media";
    request.facets = search::all_facets();
    const auto json = search::to_json(index.search(request));
    for (auto key : {"query", "total", "offset", "size", "hits", "facets", "spelling_suggestion", "query_relaxed", "elapsed_ms"})
        CHECK(json.contains(key));
    const auto& total = json.at("total").as_object();
    CHECK(total.at("lower_bound").to_number<double>() <= total.at("estimated").to_number<double>());
    CHECK(total.at("estimated").to_number<double>() <= total.at("upper_bound").to_number<double>());
    const auto& hit = json.at("hits").as_array().at(0).as_object();
    for (auto key : {"rank", "id", "score", "doi", "title", "authors", "year", "venue", "cited_by", "keywords", "snippet"})
        CHECK(hit.contains(key));
    CHECK(hit.at("authors").is_array());
}

// Known-item search: one record has every word of the query once, in a long abstract; another
// repeats three of them many times. Without the all-words bonus the repetition wins; with it the
// record that has all the words the user remembered comes first.
TEST_CASE("search: a record with every word of a short query ranks above one that repeats some of them") {
    SearchFixture index(R"JSONL(
{"id": "all", "title": "Glacier mapping", "abstract": "Drones survey moraines in the valley of the river, where the old farms and the new roads meet the forest and the lakes of the region."}
{"id": "three", "title": "Glacier mapping of moraines", "abstract": "Glacier mapping: moraines, glacier moraines, mapping moraines, glacier mapping again."}
{"id": "filler-1", "title": "Glacier flow", "abstract": "Ice moves."}
{"id": "filler-2", "title": "Drones in farming", "abstract": "Crops and fields."}
{"id": "filler-3", "title": "Mapping cities", "abstract": "Streets and roads."}
{"id": "filler-4", "title": "Moraines", "abstract": "Rocks."}
)JSONL");
    auto first = [&](double bonus) {
        search::SearchRequest request;
        request.query = "glacier mapping moraines drones";
        request.ranking.all_words_weight = bonus;
        const auto result = index.search(request);
        REQUIRE_FALSE(result.hits.empty());
        return result.hits.front().id;
    };
    CHECK(first(0) != "all");
    CHECK(first(search::RankingOptions{}.all_words_weight) == "all");
    CHECK(search::RankingOptions{}.all_words_weight > 0);
    // NOT keeps its meaning: the bonus adds weight only to what the query matched.
    CHECK_FALSE(contains(index.ids("glacier mapping moraines drones NOT valley"), "all"));
}

TEST_CASE("search: the all-words bonus keeps one hit per DOI and pages that join up") {
    // "twin-all" and "twin-some" share a DOI; only the first has every query word. The bonus is
    // ranked as two searches (records with every word, and the rest): the DOI must still give
    // one hit, the better one, and pages of any size must join into the one-page list.
    std::string records;
    records += R"({"id": "twin-all", "doi": "10.1000/twin", "title": "Glacier mapping with drones", "abstract": "Moraines."})" "\n";
    records += R"({"id": "twin-some", "doi": "10.1000/twin", "title": "Glacier glacier glacier mapping mapping", "abstract": "Glacier mapping."})" "\n";
    for (int i = 0; i < 30; ++i) {
        const std::string words = i % 3 == 0 ? "glacier drones" : i % 3 == 1 ? "mapping glacier" : "drones mapping moraines";
        records += R"({"id": "r)" + std::to_string(i) + R"(", "title": ")" + words + R"( study )" + std::to_string(i) +
                   R"(", "abstract": "Field work )" + std::string(static_cast<std::size_t>(i % 5), 'x') + R"( notes."})" "\n";
    }
    SearchFixture index(records);
    const std::string query = "glacier mapping drones moraines";
    const auto whole = index.search(query, 100);
    std::vector<std::string> ids;
    for (const auto& hit : whole.hits) ids.push_back(hit.id);
    CHECK(contains(ids, "twin-all"));
    CHECK_FALSE(contains(ids, "twin-some"));
    CHECK(ids.size() == whole.total_estimated);
    for (std::size_t i = 1; i < whole.hits.size(); ++i) CHECK(whole.hits[i - 1].score >= whole.hits[i].score);
    for (std::size_t size : {1u, 3u, 7u}) {
        std::vector<std::string> paged;
        for (std::size_t offset = 0; offset < ids.size(); offset += size) {
            search::SearchRequest request;
            request.query = query;
            request.offset = offset;
            request.size = size;
            for (const auto& hit : index.search(request).hits) paged.push_back(hit.id);
        }
        CHECK(paged == ids);
    }
    // Without the bonus the same records match, ranked by the query alone.
    search::SearchRequest plain;
    plain.query = query;
    plain.size = 100;
    plain.ranking.all_words_weight = 0;
    CHECK(index.search(plain).hits.size() == ids.size());
}

TEST_CASE("search: a question or description is expanded by feedback from its top records, a pasted title is not") {
    SearchFixture index(R"JSONL(
{"id": "moraine-1", "title": "Moraine ridges left behind by retreating valley glaciers", "abstract": "Moraine ridges record glacier retreat; crevasse patterns and ablation zones date them."}
{"id": "moraine-2", "title": "Dating moraine ridges of valley glaciers", "abstract": "Glacier retreat leaves moraine ridges; ablation zones and crevasse fields are mapped."}
{"id": "ablation", "title": "Crevasse fields and ablation zones", "abstract": "Crevasse fields widen where ablation zones grow."}
{"id": "other-1", "title": "Coral reefs", "abstract": "Reef fish and warm water."}
{"id": "other-2", "title": "Desert dunes", "abstract": "Sand moves with the wind."}
{"id": "other-3", "title": "River deltas", "abstract": "Silt builds new land."}
{"id": "other-4", "title": "Volcanic islands", "abstract": "Lava cools into rock."}
)JSONL");
    auto ids = [&](const std::string& query, unsigned feedback) {
        search::SearchRequest request;
        request.query = query;
        request.size = 20;
        request.ranking.feedback_documents = feedback;
        std::vector<std::string> out;
        for (const auto& hit : index.search(request).hits) out.push_back(hit.id);
        return out;
    };
    CHECK(search::RankingOptions{}.feedback_documents > 0);
    // Seven plain words: a description. "ablation" shares no word with it, only with its top records.
    const std::string description = "which processes make retreating glaciers deposit moraine ridges across valleys";
    CHECK_FALSE(contains(ids(description, 0), "ablation"));
    CHECK(contains(ids(description, search::RankingOptions{}.feedback_documents), "ablation"));
    // The same number of words as the title of a record: that record's query, not expanded.
    const std::string title = "moraine ridges left behind by retreating valley glaciers";
    CHECK(ids(title, search::RankingOptions{}.feedback_documents) == ids(title, 0));
    // A search-box query (up to six words) is not expanded either.
    CHECK(ids("valley glaciers moraine ridges", search::RankingOptions{}.feedback_documents) ==
          ids("valley glaciers moraine ridges", 0));
}
