// Searcher's bound on DatabaseModifiedError retries, against a real glass database: between read
// attempts (the test-only hook of searcher_testing.hpp) a writer replaces every record twice and
// commits each time, so the revision the Searcher holds has really been overwritten when it reads.
#include "index/index_writer.hpp"
#include "record/error.hpp"
#include "search/searcher.hpp"
#include "search/searcher_testing.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>

using namespace scholarsearch;

namespace {

// Enough records that a commit replacing all of them rewrites every block a search reads.
std::string records(int round) {
    std::string out;
    for (int i = 0; i < 400; ++i) {
        const std::string n = std::to_string(i);
        out += R"({"id": "r-)" + n + R"(", "title": "Glacier retreat round )" + std::to_string(round) + " word" + n +
               std::to_string(round) + R"(", "abstract": "Satellites measure thinning ice, revision )" +
               std::to_string(round) + " term" + std::to_string(round * 1000 + i) + R"(.", "year": 2018})" + "\n";
    }
    return out;
}

struct CommittingWriter {
    scholarsearch::testing::TempDir& dir;
    index::IndexWriter writer;
    int round = 0;

    CommittingWriter(scholarsearch::testing::TempDir& directory, const std::string& db)
        : dir(directory), writer(db) {}

    void replace_all() {
        ++round;
        const std::string file = dir.write("round-" + std::to_string(round) + ".jsonl", records(round));
        writer.add_inputs({file}, {}, [](const record::Diagnostic& problem) { FAIL(problem.message); });
        writer.commit();
    }
};

// A database with every record once, a Searcher open on it, and the writer that will overwrite it.
struct WrittenIndex {
    scholarsearch::testing::TempDir dir;
    const std::string db = dir / "db";
    CommittingWriter writer{dir, db};
    std::optional<search::Searcher> searcher;

    WrittenIndex() {
        writer.replace_all();
        searcher.emplace(db);
    }
    ~WrittenIndex() { search::testing::set_before_read_attempt({}); }

    /// Before each of the first `overwritten` read attempts the writer replaces every record
    /// twice, committing each time: the revision the attempt reads has then been overwritten.
    void overwrite_before_attempts(int overwritten) {
        search::testing::set_before_read_attempt([this, overwritten] {
            if (++attempts > overwritten) return;
            writer.replace_all();
            writer.replace_all();
        });
    }
    int attempts = 0;
};

search::SearchRequest glacier() {
    search::SearchRequest request;
    request.query = "glacier retreat";
    request.size = 10;
    return request;
}

}  // namespace

TEST_CASE("searcher: a read of an overwritten revision is retried on a reopened database") {
    WrittenIndex index;
    // The second attempt reads the reopened revision.
    index.overwrite_before_attempts(1);
    const search::SearchResult result = index.searcher->search(glacier());
    CHECK(index.attempts == 2);
    CHECK(result.total_estimated == 400);
}

TEST_CASE("searcher: DatabaseModifiedError retries are bounded, then the index is unavailable") {
    WrittenIndex index;
    search::Searcher& searcher = *index.searcher;
    // A writer that outruns every read. It gives up after 10 attempts, so a Searcher without a
    // bound would end up answering (and this test fail) rather than hang.
    index.overwrite_before_attempts(10);
    try {
        (void)searcher.search(glacier());
        FAIL("a search against a writer that overwrites every revision answered after " << index.attempts << " attempts");
    } catch (const IndexUnavailable& error) {
        CHECK(std::string(error.what()).find("revision being read has been discarded") != std::string::npos);
    }
    CHECK(index.attempts == 3);

    // The writer stops: the same Searcher answers again, from the latest commit.
    search::testing::set_before_read_attempt({});
    searcher.refresh_if_changed();
    CHECK(searcher.search(glacier()).total_estimated == 400);
}
