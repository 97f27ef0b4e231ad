// Replays fuzz inputs through the fuzz targets' entry code (tests/fuzz/fuzz_entries.hpp):
// every reproducer saved under data/fuzz_regressions/<target>/ (one file per finding, named after
// what it found) and the seed fixtures scripts/fuzz.sh starts from. A failure names the file.
#include "../fuzz/fuzz_entries.hpp"
#include "../support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using scholarsearch::testing::read_file;

namespace {

/// Regular, non-hidden files of `dir` (not recursive), sorted; none if it does not exist.
std::vector<fs::path> files_in(const fs::path& dir, std::string_view extension = "") {
    std::vector<fs::path> out;
    std::error_code error;
    if (!fs::is_directory(dir, error)) return out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file() || name.empty() || name.front() == '.' || name == "README.md") continue;
        if (!extension.empty() && entry.path().extension() != extension) continue;
        out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<fs::path> regressions(const std::string& target) {
    return files_in(fs::path(TEST_DATA_DIR) / "fuzz_regressions" / target);
}

void append(std::vector<fs::path>& to, const std::vector<fs::path>& more) {
    to.insert(to.end(), more.begin(), more.end());
}

void replay(const std::vector<fs::path>& inputs, const std::function<void(std::string_view)>& entry) {
    for (const auto& path : inputs) {
        const std::string content = read_file(path);
        INFO("input: " << path.string());
        CHECK_NOTHROW(entry(content));
    }
}

const fs::path seed_fixtures = fs::path(TEST_DATA_DIR) / "seed_format";
const fs::path sample_seed = fs::path(SAMPLE_DIR) / "seed";
const fs::path query_corpus = fs::path(FUZZ_DIR) / "corpus" / "query";

}  // namespace

TEST_CASE("fuzz_seed_format: reproducers and seed fixtures") {
    auto inputs = regressions("fuzz_seed_format");
    append(inputs, files_in(seed_fixtures, ".txt"));
    append(inputs, files_in(sample_seed));
    REQUIRE(!inputs.empty());
    replay(inputs, scholarsearch::fuzz::seed_format_entry);
}

TEST_CASE("fuzz_jsonl: reproducers, sample records, hand-written records and seed fixtures") {
    auto inputs = regressions("fuzz_jsonl");
    inputs.push_back(fs::path(SAMPLE_DIR) / "records.jsonl");
    append(inputs, files_in(fs::path(FUZZ_DIR) / "corpus" / "jsonl"));
    append(inputs, files_in(seed_fixtures, ".txt"));
    replay(inputs, scholarsearch::fuzz::jsonl_entry);
    // The sample records one by one, as JSON Lines and as one-record JSON documents.
    std::istringstream lines(read_file(fs::path(SAMPLE_DIR) / "records.jsonl"));
    int count = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.find('{') == std::string::npos) continue;
        ++count;
        INFO("sample record line " << count);
        CHECK_NOTHROW(scholarsearch::fuzz::jsonl_entry(line));
        CHECK_NOTHROW(scholarsearch::fuzz::jsonl_entry("[" + line + "]"));
    }
    CHECK(count > 0);
}

TEST_CASE("fuzz_tagged: reproducers and the sample RIS, WoS and BibTeX files through each reader") {
    replay(regressions("fuzz_tagged"), scholarsearch::fuzz::tagged_entry);
    const auto samples = files_in(fs::path(SAMPLE_DIR) / "tagged");
    REQUIRE(samples.size() == 3);
    for (const auto& path : samples) {
        const std::string content = read_file(path);
        for (const char selector : {'\x00', '\x01', '\x02'}) {
            INFO(path.string() << " through reader " << int(selector));
            CHECK_NOTHROW(scholarsearch::fuzz::tagged_entry(std::string(1, selector) + content));
        }
    }
}

TEST_CASE("fuzz_analyzer: reproducers, sample texts and queries") {
    auto inputs = regressions("fuzz_analyzer");
    append(inputs, files_in(sample_seed));
    append(inputs, files_in(query_corpus));
    append(inputs, files_in(seed_fixtures, ".txt"));
    REQUIRE(!inputs.empty());
    replay(inputs, scholarsearch::fuzz::analyzer_entry);
}

TEST_CASE("fuzz_query: reproducers and hand-written queries") {
    auto inputs = regressions("fuzz_query");
    append(inputs, files_in(query_corpus));
    REQUIRE(!inputs.empty());
    replay(inputs, scholarsearch::fuzz::query_entry);
}

TEST_CASE("fuzz_query: a query that NFKC multiplies past max_query_bytes is refused, not run") {
    // "㌀" (3 bytes) is "アパート" (12 bytes) after NFKC: 4 KB of it searched for 30+ seconds.
    const std::string text =
        read_file(fs::path(TEST_DATA_DIR) / "fuzz_regressions" / "fuzz_query" / "nfkc_expansion_square_apaato.txt");
    REQUIRE(text.size() <= scholarsearch::search::max_query_bytes);
    scholarsearch::search::QueryBuilder builder;
    CHECK_THROWS_AS(builder.build(text, scholarsearch::search::RankingOptions{}), scholarsearch::QueryError);
}
