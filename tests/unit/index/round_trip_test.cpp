// The index/search contract: what the indexer writes, the searcher finds with the same words.
#include "analysis/analyzer.hpp"
#include "index/index_writer.hpp"
#include "parse/input.hpp"
#include "record/error.hpp"
#include "schema/schema.hpp"
#include "search/searcher.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

#include <algorithm>
#include <filesystem>

using namespace scholarsearch;

namespace {

std::vector<record::Diagnostic> index_paths(const std::string& db, const std::vector<std::string>& paths,
                                            index::IndexStats* stats_out = nullptr) {
    std::vector<record::Diagnostic> diagnostics;
    index::IndexWriter writer(db);
    index::IndexOptions options;
    options.batch_size = 7;      // several commits even for the small sample
    options.chunk_bytes = 2048;  // several chunks per JSON Lines file
    auto stats = writer.add_inputs(paths, options, [&](const record::Diagnostic& d) { diagnostics.push_back(d); });
    if (stats_out) *stats_out = stats;
    return diagnostics;
}

bool found(search::Searcher& searcher, const std::string& query, const std::string& id, std::size_t within) {
    search::SearchRequest request;
    request.query = query;
    request.size = within;
    request.highlight = false;
    request.collapse_duplicates = false;
    const auto result = searcher.search(request);
    return std::any_of(result.hits.begin(), result.hits.end(), [&](const auto& hit) { return hit.id == id; });
}

// Two-character Han substrings of `text`, at most `limit`, spread over the text.
std::vector<std::string> han_bigrams(const std::string& text, std::size_t limit) {
    std::vector<std::string> chars;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        const std::string character = text.substr(i, length);
        const bool han = length == 3 && character >= "\xE4\xB8\x80" && character <= "\xE9\xBF\xBF";
        if (han) {
            chars.push_back(character);
            if (chars.size() >= 2) out.push_back(chars[chars.size() - 2] + chars.back());
        } else {
            chars.clear();
        }
        i += length;
    }
    if (out.size() <= limit) return out;
    std::vector<std::string> spread;
    for (std::size_t k = 0; k < limit; ++k) spread.push_back(out[k * out.size() / limit]);
    return spread;
}

}  // namespace

TEST_CASE("round trip: every sample record is found by its title and by Chinese words of its abstract") {
    testing::TempDir dir;
    const std::string db = dir / "db";
    index::IndexStats stats;
    const auto diagnostics = index_paths(db, {SAMPLE_DIR}, &stats);
    CHECK(diagnostics.empty());
    REQUIRE(stats.records_indexed >= 30);

    search::Searcher searcher(db);
    std::vector<record::Diagnostic> ignored;
    std::size_t checked_chinese = 0;
    for (const auto& file : parse::expand_inputs({SAMPLE_DIR}, ignored)) {
        for (const auto& record : parse::parse_file(file).records) {
            const std::string id = record::unique_id(record);
            INFO(file << ": " << id << ": " << record.title);
            CHECK(found(searcher, record.title, id, 3));
            for (const auto& word : han_bigrams(record.abstract.value_or(""), 5)) {
                INFO("word " << word);
                CHECK(found(searcher, word, id, 100));
                ++checked_chinese;
            }
        }
    }
    CHECK(checked_chinese > 50);
}

TEST_CASE("round trip: re-indexing replaces records, --delete removes them") {
    testing::TempDir dir;
    const std::string db = dir / "db";
    const std::string file = dir.write("r.jsonl", "{\"id\": \"a\", \"title\": \"alpha particles\"}\n"
                                                  "{\"id\": \"b\", \"title\": \"beta decay\"}\n");
    index_paths(db, {file});
    dir.write("r.jsonl", "{\"id\": \"a\", \"title\": \"gamma rays\"}\n");
    index_paths(db, {file});
    {
        search::Searcher searcher(db);
        CHECK(searcher.info().documents == 2);
        CHECK_FALSE(found(searcher, "alpha", "a", 10));
        CHECK(found(searcher, "gamma", "a", 10));
    }
    {
        index::IndexWriter writer(db);
        CHECK(writer.remove("b"));
        CHECK_FALSE(writer.remove("no-such-id"));
        writer.commit();
        CHECK(writer.document_count() == 1);
    }
}

TEST_CASE("round trip: a parallel build equals a one-writer build, and a repeated id keeps its last version") {
    testing::TempDir dir;
    std::string input;
    constexpr int records = 900;
    for (int i = 0; i < records; ++i)
        input += "{\"id\": \"p" + std::to_string(i) + "\", \"title\": \"plasma record " + std::to_string(i) +
                 "\", \"abstract\": \"turbulence in tokamak number " + std::to_string(i % 17) + "\"}\n";
    for (int i = 0; i < records; i += 3)   // a second version of every third record, later in the input
        input += "{\"id\": \"p" + std::to_string(i) + "\", \"title\": \"revised stellarator " + std::to_string(i) + "\"}\n";
    const std::string file = dir.write("p.jsonl", input);
    auto build = [&](const std::string& db, unsigned threads, std::size_t batch_size) {
        index::IndexWriter writer(db);
        index::IndexOptions options;
        options.threads = threads;
        options.batch_size = batch_size;
        options.chunk_bytes = 1024;
        options.parallel_build_min_bytes = 0;
        const auto stats = writer.add_inputs({file}, options, [](const record::Diagnostic&) {});
        CHECK(stats.records_indexed == records + records / 3);
        return writer.document_count();
    };
    CHECK(build(dir / "single", 1, 40) == records);
    search::Searcher single(dir / "single");

    // Batches of 40 split among the shards, and the default, with which each shard (about 600
    // records) commits at 200 and 400 records and at its end: a repeated record then meets its
    // first version across commits.
    const std::size_t batch_size = GENERATE(std::size_t{40}, index::IndexOptions{}.batch_size);
    INFO("parallel build, batch size " << batch_size);
    const std::string parallel_db = dir / ("parallel-" + std::to_string(batch_size));
    CHECK(build(parallel_db, 2, batch_size) == records);
    // Nothing of the temporary shards is left beside the merged database.
    for (const auto& entry : std::filesystem::directory_iterator(parallel_db)) CHECK_FALSE(entry.is_directory());
    search::Searcher parallel(parallel_db);
    // Queries with fewer hits than a page, so both builds return all of them.
    for (const std::string query : {"stellarator AND 1*", "tokamak AND 5", "\"tokamak number 16\"", "plasma AND 29*"}) {
        INFO(query);
        search::SearchRequest request;
        request.query = query;
        request.size = 100;
        request.highlight = false;
        const auto a = parallel.search(request), b = single.search(request);
        CHECK(!a.hits.empty());
        CHECK(a.hits.size() < request.size);
        CHECK(a.total_estimated == b.total_estimated);
        std::vector<std::string> ids_a, ids_b;
        for (const auto& hit : a.hits) ids_a.push_back(hit.id);
        for (const auto& hit : b.hits) ids_b.push_back(hit.id);
        std::sort(ids_a.begin(), ids_a.end());
        std::sort(ids_b.begin(), ids_b.end());
        CHECK(ids_a == ids_b);
    }
    for (const int i : {3, 897}) {
        const std::string id = "p" + std::to_string(i), number = std::to_string(i);
        CHECK(found(parallel, "stellarator AND " + number, id, 100));
        CHECK_FALSE(found(parallel, "plasma AND " + number, id, 100));
    }
    CHECK(found(parallel, "plasma AND 4", "p4", 100));
}

TEST_CASE("round trip: an index from another analyzer version is refused, naming both versions") {
    testing::TempDir dir;
    const std::string db = dir / "db";
    {
        Xapian::WritableDatabase database(db, Xapian::DB_CREATE);
        database.add_document(Xapian::Document());
        database.set_metadata(std::string(schema::analyzer_metadata_key), "icu/0-old");
        database.commit();
    }
    CHECK_THROWS_AS(index::IndexWriter(db), IndexUnavailable);
    CHECK_THROWS_WITH(search::Searcher(db), Catch::Contains("icu/0-old") && Catch::Contains(std::string(analysis::analyzer_version)));
}

TEST_CASE("round trip: a second writer is told the index is locked, with the holder's pid") {
    testing::TempDir dir;
    const std::string db = dir / "db";
    index::IndexWriter first(db);
    try {
        index::IndexWriter second(db);
        FAIL("second writer opened a locked database");
    } catch (const IndexLocked& error) {
        CHECK_THAT(error.what(), Catch::Contains("another indexer is running") && Catch::Contains("pid"));
    }
}

TEST_CASE("round trip: a file with bad records keeps the good ones and reports file:line") {
    testing::TempDir dir;
    const std::string db = dir / "db";
    const std::string file = dir.write("mixed.jsonl", "{\"id\": \"good1\", \"title\": \"first good\"}\n"
                                                      "{\"id\": \"bad\", \"title\": \n"
                                                      "{\"id\": \"good2\", \"title\": \"second good\"}\n");
    index::IndexStats stats;
    const auto diagnostics = index_paths(db, {file, dir / "missing.jsonl"}, &stats);
    CHECK(stats.records_indexed == 2);
    CHECK(stats.records_rejected == 1);
    CHECK(stats.files_rejected == 1);
    REQUIRE(diagnostics.size() == 2);
    search::Searcher searcher(db);
    CHECK(found(searcher, "second", "good2", 10));
}
