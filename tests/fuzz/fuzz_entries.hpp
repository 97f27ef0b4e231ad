#pragma once
/**
 * The code each fuzz target runs on one input, shared by the libFuzzer targets (fuzz_*.cpp) and
 * by tests/unit/fuzz_regressions_test.cpp, which replays every saved reproducer
 * (tests/data/fuzz_regressions/<target>/) and the seed fixtures through the same functions.
 *
 * An input is a finding when it crashes, trips a sanitizer, throws something other than the
 * documented "bad input" outcome, or breaks one of the invariants checked below (fail()).
 * In the fuzz targets fail() aborts so libFuzzer saves the input; the unit test defines
 * SCHOLARSEARCH_FUZZ_THROW_ON_FAILURE so a failure is reported as an exception instead.
 */
#include "analysis/analyzer.hpp"
#include "analysis/analyzer_testing.hpp"
#include "index/index_writer.hpp"
#include "parse/bibtex.hpp"
#include "parse/input.hpp"
#include "parse/parse_json.hpp"
#include "parse/ris.hpp"
#include "parse/seed_format.hpp"
#include "parse/wos.hpp"
#include "record/error.hpp"
#include "record/record_json.hpp"
#include "search/query_builder.hpp"
#include "search/request_params.hpp"
#include "search/searcher.hpp"

#include <boost/json.hpp>
#include <xapian.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::fuzz {

[[noreturn]] inline void fail(const std::string& message) {
#ifdef SCHOLARSEARCH_FUZZ_THROW_ON_FAILURE
    throw std::logic_error("fuzz invariant violated: " + message);
#else
    std::fprintf(stderr, "\n==== fuzz invariant violated: %s\n", message.c_str());
    std::fflush(stderr);
    std::abort();
#endif
}

inline void check(bool ok, const std::string& message) {
    if (!ok) fail(message);
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// ---- fuzz_seed_format --------------------------------------------------------------------------

/// The seed-format reader and the JSON the `parse` command prints for its result. Record strings
/// are UTF-8 (record.hpp), so the printed JSON must parse back.
inline void seed_format_entry(std::string_view input) {
    const parse::ParseResult result = parse::parse_seed_format(input, "fuzz.txt");
    const boost::json::object object = parse::parse_result_to_json(result);
    const std::string printed = boost::json::serialize(object);
    boost::system::error_code error;
    const boost::json::value reparsed = boost::json::parse(printed, error);
    check(!error, "parse output is not valid JSON (" + error.message() + ")");
    check(reparsed == boost::json::value(object), "parse output changes when read back");
}

// ---- fuzz_jsonl --------------------------------------------------------------------------------

/// Format detection, JSON Lines / JSON document reading, and the stored form of every record:
/// from_stored_json(to_stored_json(r)) == r (record_json.hpp: "Round-trips through from_stored_json").
inline void check_stored_form_round_trips(const record::Record& record) {
    const std::string stored = record::to_stored_json(record);
    record::Record back;
    try {
        back = record::from_stored_json(stored);
    } catch (const std::exception& problem) {
        fail(std::string("stored form does not read back: ") + problem.what() + "\n  stored: " + stored);
    }
    check(back == record, "stored form does not round-trip\n  stored: " + stored +
                              "\n  again:  " + record::to_stored_json(back));
}

inline void jsonl_entry(std::string_view input) {
    const parse::ParseResult result = parse::parse_content(input, "fuzz.jsonl");
    for (const record::Record& record : result.records) check_stored_form_round_trips(record);
}

// ---- fuzz_tagged -------------------------------------------------------------------------------

/// The RIS, WoS and BibTeX readers (the first byte picks one): records are valid UTF-8 (their
/// stored form round-trips), every record and error points at a line of the input, and no two
/// records share an index.
inline void tagged_entry(std::string_view input) {
    if (input.empty()) return;
    const auto selector = static_cast<unsigned char>(input.front()) % 3;
    input.remove_prefix(1);
    parse::ParseResult result;
    parse::BibtexStrings strings;
    if (selector == 0) result = parse::parse_ris(input, "fuzz.ris");
    else if (selector == 1) result = parse::parse_wos(input, "fuzz.txt");
    else result = parse::parse_bibtex(input, "fuzz.bib", &strings);
    // RIS ends a line at a lone CR too; WoS at CR when the text has no LF at all (old Mac
    // exports); BibTeX only at LF.
    std::ptrdiff_t lines = 1 + std::count(input.begin(), input.end(), '\n');
    if (selector == 1 && lines == 1) lines += std::count(input.begin(), input.end(), '\r');
    if (selector == 0)
        for (std::size_t i = 0; i < input.size(); ++i)
            if (input[i] == '\r' && (i + 1 == input.size() || input[i + 1] != '\n')) ++lines;
    std::vector<int> indexes;
    for (const record::Record& record : result.records) {
        check(record.source.line >= 1 && record.source.line <= lines,
              "record line " + std::to_string(record.source.line) + " outside the input");
        check(record.source.index >= 0, "negative record index");
        indexes.push_back(record.source.index);
        check_stored_form_round_trips(record);
    }
    std::sort(indexes.begin(), indexes.end());
    check(std::adjacent_find(indexes.begin(), indexes.end()) == indexes.end(), "two records share an index");
    for (const record::Diagnostic& error : result.errors)
        check(error.line >= 0 && error.line <= lines, "error line " + std::to_string(error.line) + " outside the input");
}

// ---- fuzz_analyzer -----------------------------------------------------------------------------

struct AnalyzerPair {
    analysis::Analyzer fast;   ///< as used everywhere
    analysis::Analyzer plain;  ///< no fast paths: the reference they must agree with (analyzer.cpp)
    AnalyzerPair() : fast(), plain(make_plain()) {}
    static analysis::Analyzer make_plain() {
        analysis::testing::set_fast_paths_enabled(false);
        analysis::Analyzer analyzer;
        analysis::testing::set_fast_paths_enabled(true);
        return analyzer;
    }
};

inline bool same_tokens(const std::vector<analysis::Token>& a, const std::vector<analysis::Token>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].term != b[i].term || a[i].stem != b[i].stem || a[i].position != b[i].position ||
            a[i].byte_begin != b[i].byte_begin || a[i].byte_end != b[i].byte_end || a[i].kind != b[i].kind)
            return false;
    }
    return true;
}

inline bool same_words(const std::vector<analysis::QueryWord>& a, const std::vector<analysis::QueryWord>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].text != b[i].text || a[i].kind != b[i].kind || a[i].terms != b[i].terms || a[i].stem != b[i].stem)
            return false;
    }
    return true;
}

inline std::string describe_token(const analysis::Token& token) {
    return "\"" + token.term + "\" pos " + std::to_string(token.position) + " bytes [" +
           std::to_string(token.byte_begin) + ", " + std::to_string(token.byte_end) + ")";
}

inline void analyzer_entry(std::string_view input) {
    static AnalyzerPair analyzers;
    constexpr std::uint32_t first_position = 7;

    std::vector<analysis::Token> tokens;
    const std::uint32_t next = analyzers.fast.analyze(input, tokens, first_position);
    check(next >= first_position, "analyze returned a position before first_position");
    std::uint32_t previous = first_position;
    for (const auto& token : tokens) {
        check(!token.term.empty(), "empty term");
        check(token.byte_begin <= token.byte_end && token.byte_end <= input.size(),
              "byte range outside the input: " + describe_token(token) + ", input " + std::to_string(input.size()) +
                  " bytes");
        check(token.position >= previous, "positions decrease at " + describe_token(token));
        check(token.position < next, "position not before the returned next position: " + describe_token(token));
        previous = token.position;
    }

    // The fast paths must give exactly what the plain ICU pipeline gives.
    std::vector<analysis::Token> reference;
    const std::uint32_t reference_next = analyzers.plain.analyze(input, reference, first_position);
    check(reference_next == next && same_tokens(tokens, reference), "analyze: fast paths differ from plain ICU");

    const std::vector<analysis::QueryWord> words = analyzers.fast.query_words(input);
    for (const auto& word : words) {
        check(!word.text.empty() && !word.terms.empty(), "query word without text or terms");
        for (const auto& term : word.terms) check(!term.empty(), "query word with an empty term");
    }
    check(same_words(words, analyzers.plain.query_words(input)), "query_words: fast paths differ from plain ICU");

    const std::string folded = analyzers.fast.fold(input);
    check(folded == analyzers.plain.fold(input), "fold: fast paths differ from plain ICU");
    check(analyzers.fast.fold(folded) == folded, "fold is not idempotent");
}

// ---- fuzz_query --------------------------------------------------------------------------------

/// A few records covering every field the query language can name, English and Chinese.
inline constexpr std::string_view query_fixture_records = R"JSONL(
{"id": "en-1", "title": "Social media and government transparency", "abstract": "Governments publish decisions on social networks. Transparency grows when ministries answer citizens.", "keywords": ["Social media", "Transparency"], "authors": ["Marchetti, Elena", "Ibarra, Tomas"], "year": 2019, "venue": "Journal of Digital Governance", "cited_by": 40, "doi": "10.5555/gov.1", "affiliations": [{"ref": 1, "name": "University of Padova"}], "clc": [{"code": "D63", "label": null}]}
{"id": "en-2", "title": "Learning to expand queries for scholarly retrieval", "abstract": "Query expansion learned from click logs of an academic search engine improves recall. Learners learned learning.", "keywords": ["Query expansion", "Learning to rank"], "authors": ["Okafor, Chidi"], "year": 2022, "venue": "Information Retrieval Letters", "cited_by": 3, "clc": [{"code": "TP391.3", "label": null}], "doi": "10.5555/ir.2"}
{"id": "en-3", "title": "Open data portals in local government (preprint)", "abstract": "A preprint of the open data portal comparison.", "keywords": ["Open data"], "authors": ["Varga, Dora"], "year": 2016, "doi": "10.5555/GOV.2"}
{"id": "zh-1", "title": "社交媒体平台上的政府信息公开研究", "abstract": "随着社交媒体平台成为公众获取信息的入口，政府信息公开的方式正在改变。本文分析政务微博。", "keywords": ["社交媒体", "政府信息公开"], "authors": ["王晓明"], "year": 2021, "venue": "电子政务", "affiliations": [{"ref": 1, "name": "清华大学公共管理学院"}], "clc": [{"code": "D63", "label": "国家行政管理"}]}
{"id": "zh-2", "title": "深度学习模型在文本分类中的应用", "abstract": "本文比较了深度学习deep learning模型与传统方法在中文文本分类任务上的效果。", "keywords": ["深度学习", "文本分类"], "authors": ["李娜"], "year": 2020, "venue": "计算机应用", "clc": [{"code": "TP391", "label": null}]}
{"id": "misc-1", "title": "Glacier retreat measured from satellites", "abstract": "Satellite images show <b>rapid</b> glacier retreat & thinning in the Alps. ＤＥＥＰ ｄａｔａ２０２０ Straße.", "keywords": ["Glaciers"], "authors": ["Frost, Anna"], "year": 2018, "venue": "Cryosphere Notes", "cited_by": 0}
)JSONL";

/// A tiny on-disk index built once per process in a fresh temp dir, removed at exit.
class QueryFixtureIndex {
public:
    QueryFixtureIndex() {
        dir_ = std::filesystem::temp_directory_path() /
               ("scholarsearch-fuzz-index-" + std::to_string(::getpid()) + "-" +
                std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        const std::string input = (dir_ / "records.jsonl").string();
        std::ofstream(input, std::ios::binary) << query_fixture_records;
        const std::string db = (dir_ / "db").string();
        {
            index::IndexWriter writer(db);
            index::IndexOptions options;
            options.threads = 1;
            std::size_t problems = 0;
            writer.add_inputs({input}, options, [&](const record::Diagnostic&) { ++problems; });
            if (problems != 0 || writer.document_count() == 0) fail("fixture index: records rejected");
        }
        searcher_ = std::make_unique<search::Searcher>(db);
    }
    ~QueryFixtureIndex() {
        searcher_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    QueryFixtureIndex(const QueryFixtureIndex&) = delete;
    QueryFixtureIndex& operator=(const QueryFixtureIndex&) = delete;

    search::Searcher& searcher() { return *searcher_; }

private:
    std::filesystem::path dir_;
    std::unique_ptr<search::Searcher> searcher_;
};

inline void query_entry(std::string_view input) {
    static search::QueryBuilder builder;  // no database: stem variants off
    static QueryFixtureIndex index;
    const std::string text(input);

    // Bad queries end in QueryError (message for the user) or, from the QueryParser layer, a
    // Xapian::Error; anything else escapes and is a finding.
    try {
        const search::BuiltQuery built = builder.build(text, search::RankingOptions{});
        (void)built.query.get_description();
    } catch (const QueryError&) {
    } catch (const Xapian::Error&) {
    }

    // The whole search path (QueryBuilder with the database, matching, snippets, facets,
    // spelling), with request options chosen by the input so both are fuzzed together.
    const std::size_t bits = std::hash<std::string>{}(text);
    search::SearchRequest request;
    request.query = text;
    request.size = 5;
    if (bits & 1) request.facets = search::default_facets();
    request.highlight = (bits & 2) != 0;
    request.spelling = (bits & 4) != 0;
    request.collapse_duplicates = (bits & 8) != 0;
    request.sort = static_cast<search::SortOrder>((bits >> 4) & 3);
    if (bits & 64) request.ranking.feedback_documents = 2;
    if (bits & 128) request.ranking.cited_by_prior = 0.5;
    try {
        const search::SearchResult result = index.searcher().search(request);
        check(result.hits.size() <= request.size, "more hits than asked for");
    } catch (const QueryError&) {
    }
}

}  // namespace scholarsearch::fuzz
