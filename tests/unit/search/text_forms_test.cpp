// The same text in another form: traditional and simplified Chinese, LaTeX and the text it
// stands for. Records here are written by us; the shared csl collection is checked in
// tests/e2e/shared_corpora.sh.
#include "search/searcher.hpp"

#include "search_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace scholarsearch;
using scholarsearch::testing::contains;
using scholarsearch::testing::SearchFixture;

namespace {

const char* const scripts_jsonl = R"JSONL(
{"id": "tw-1", "title": "社會網絡與政府資訊公開", "abstract": "本文以臺灣的社會網絡資料分析政府回應。", "keywords": ["社會網絡"], "authors": ["張偉"], "venue": "資訊管理學報", "year": 2019}
{"id": "cn-1", "title": "社会网络分析方法研究", "abstract": "利用社会网络分析研究学术合作。", "keywords": ["社会网络"], "authors": ["张伟"], "venue": "情报学报", "year": 2020}
{"id": "cn-2", "title": "城市交通流量预测", "abstract": "电压范围为50 V~100 V的传感器。", "keywords": ["交通"], "authors": ["李娜"], "year": 2021}
{"id": "en-1", "title": "Glacier retreat measured from satellites", "abstract": "Satellite images of the Alps.", "year": 2018}
)JSONL";

const char* const latex_jsonl = R"JSONL(
{"id": "tex-1", "title": "On $\\alpha$-stable processes and \\emph{robust} estimation", "abstract": "We show, e.\\,g.\\ for heavy tails~\\cite{smith}, that an $\\mathcal{O}(n^2)$ estimator improves by 12\\% on Schr\\\"odinger-type bounds when $\\alpha \\leq 2$.", "year": 2021}
{"id": "plain-1", "title": "Stable matching in markets", "abstract": "Prices of $20,000 and $30,000 are compared; costs ~5% lower.", "year": 2020}
)JSONL";

const search::Hit& hit_of(const search::SearchResult& result, const std::string& id) {
    const auto found = std::find_if(result.hits.begin(), result.hits.end(), [&](const search::Hit& hit) { return hit.id == id; });
    REQUIRE(found != result.hits.end());
    return *found;
}

}  // namespace

TEST_CASE("search: traditional and simplified Chinese find each other") {
    SearchFixture index(scripts_jsonl);
    for (const std::string& query : std::vector<std::string>{"社會", "社会", "\"社會網絡\"", "\"社会网络\"", "社會網絡分析", "标题:社會", "題名:社会"}) {
        INFO(query);
        const auto ids = index.ids(query);
        CHECK(contains(ids, "tw-1"));
        CHECK(contains(ids, "cn-1"));
        CHECK_FALSE(contains(ids, "cn-2"));
    }
    // Author names, keywords and venues in either script, in the query language and as filters.
    CHECK(index.ids("作者:張偉").size() == 2);
    CHECK(index.ids("author:\"张伟\"").size() == 2);
    CHECK(index.ids("关键词:社會網絡").size() == 2);
    search::SearchRequest request;
    request.keywords = {"社會網絡"};
    CHECK(index.search(request).hits.size() == 2);
    request.keywords.clear();
    request.authors = {"张伟"};
    CHECK(index.search(request).hits.size() == 2);
    request.authors.clear();
    request.venues = {"资讯管理学报"};
    const auto venue = index.search(request);
    REQUIRE(venue.hits.size() == 1);
    CHECK(venue.hits[0].id == "tw-1");
    CHECK(venue.hits[0].venue == "資訊管理學報");   // shown as written
}

TEST_CASE("search: a record is highlighted in its own script whatever the query's") {
    SearchFixture index(scripts_jsonl);
    // Simplified query, traditional record: the traditional characters are marked.
    const auto simplified = index.search("社会网络");
    const search::Hit& traditional_hit = hit_of(simplified, "tw-1");
    CHECK(traditional_hit.title == "社會網絡與政府資訊公開");
    CHECK_THAT(traditional_hit.title_html, Catch::StartsWith("<mark>社會網絡</mark>與政府資訊公開"));
    CHECK_THAT(traditional_hit.snippet, Catch::Contains("臺灣的<mark>社會網絡</mark>資料"));
    // Traditional query, simplified record.
    const auto traditional = index.search("社會網絡");
    const search::Hit& simplified_hit = hit_of(traditional, "cn-1");
    CHECK_THAT(simplified_hit.title_html, Catch::StartsWith("<mark>社会网络</mark>分析"));
    CHECK_THAT(simplified_hit.snippet, Catch::Contains("利用<mark>社会网络</mark>分析"));
    // Plain text keeps its own ~ and is not read as LaTeX.
    CHECK_THAT(hit_of(index.search("传感器"), "cn-2").snippet, Catch::Contains("50 V~100 V"));
}

TEST_CASE("search: suggestions and index terms are in simplified form") {
    SearchFixture index(scripts_jsonl);
    for (const std::string& prefix : std::vector<std::string>{"社會", "社会"}) {
        INFO(prefix);
        const auto suggestions = index.searcher().suggest(prefix, 10);
        CHECK(std::find(suggestions.begin(), suggestions.end(), "社会网络") != suggestions.end());
        CHECK(std::find(suggestions.begin(), suggestions.end(), "社會網絡") == suggestions.end());
    }
    const auto names = index.searcher().suggest("張", 10);
    CHECK(std::find(names.begin(), names.end(), "张伟") != names.end());
}

TEST_CASE("search: LaTeX in titles and abstracts is found by its plain words and shown as text") {
    SearchFixture index(latex_jsonl);
    // The words as a reader sees them, and the LaTeX as it was written, find the record.
    for (const std::string& query : std::vector<std::string>{"robust estimation", "α-stable", "\"α-stable processes\"", "$\\alpha$-stable",
                                    "Schrodinger", "Schrödinger", "Schr\\\"odinger", "title:robust", "abstract:tails"}) {
        INFO(query);
        CHECK(index.ids(query).front() == "tex-1");
    }
    const auto result = index.search("stable Schrodinger");
    const search::Hit& hit = hit_of(result, "tex-1");
    CHECK(hit.title == "On α-stable processes and robust estimation");
    CHECK(hit.title_html == "On α-<mark>stable</mark> processes and robust estimation");
    CHECK(hit.snippet == "We show, e. g. for heavy tails [smith], that an O(n^2) estimator improves by 12% on "
                         "<mark>Schrödinger</mark>-type bounds when α ≤ 2.");
    for (const std::string& html : {hit.title_html, hit.snippet}) {
        CHECK(html.find('\\') == std::string::npos);
        CHECK(html.find('$') == std::string::npos);
    }
    // The stored record keeps its LaTeX, so exports and /doc give back what was read.
    const auto stored = index.searcher().document("tex-1");
    REQUIRE(stored);
    CHECK(stored->title == "On $\\alpha$-stable processes and \\emph{robust} estimation");
    // Dollar signs and a ~ in plain text are not LaTeX.
    const auto prices = index.search("prices");
    CHECK(hit_of(prices, "plain-1").snippet == "<mark>Prices</mark> of $20,000 and $30,000 are compared; costs ~5% lower.");
    CHECK(index.ids("\"α-stable\"") == std::vector<std::string>{"tex-1"});
}
