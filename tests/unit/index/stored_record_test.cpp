// Document data: records compressed with a dictionary trained on the first records of a build.
#include "index/index_writer.hpp"
#include "index/stored_record.hpp"
#include "record/error.hpp"
#include "record/record_json.hpp"
#include "search/searcher.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace scholarsearch;

namespace {

// Records of made-up words, different in every field, so nothing compresses by repetition alone.
std::string synthetic_jsonl(std::size_t count, unsigned seed) {
    static const std::vector<std::string> words{"glacier", "retreat", "network", "graph", "quantum", "policy",
                                                "ministry", "portal", "entropy", "lattice", "protein", "river",
                                                "model", "survey", "market", "signal", "ocean", "soil"};
    std::mt19937 random(seed);
    auto text = [&](std::size_t length) {
        std::string out;
        for (std::size_t i = 0; i < length; ++i) out += (i ? " " : "") + words[random() % words.size()] + std::to_string(random() % 50);
        return out;
    };
    std::string out;
    for (std::size_t i = 0; i < count; ++i)
        out += R"({"id": "s-)" + std::to_string(seed) + "-" + std::to_string(i) + R"(", "title": ")" + text(8) +
               R"(", "abstract": ")" + text(60) + R"(", "authors": ["Doe, Jane"], "year": )" + std::to_string(1990 + i % 30) + "}\n";
    return out;
}

std::string index_records(const testing::TempDir& dir, const std::string& name, const std::string& jsonl,
                          bool abstract_positions = true) {
    const std::string db = dir / name;
    index::IndexWriter writer(db);
    std::vector<record::Diagnostic> problems;
    index::IndexOptions options;
    options.abstract_positions = abstract_positions;
    writer.add_inputs({dir.write(name + ".jsonl", jsonl)}, options, [&](const record::Diagnostic& d) { problems.push_back(d); });
    REQUIRE(problems.empty());
    return db;
}

}  // namespace

TEST_CASE("stored records: a new index compresses its records with a trained dictionary, and reads them back") {
    testing::TempDir dir;
    const std::string jsonl = synthetic_jsonl(3000, 1) +
        R"({"id": "phrase", "title": "A study", "abstract": "Sed ut perspiciatis zorbic quixote unde omnis.", "year": 2020})" "\n" +
        R"({"id": "apart", "title": "Another study", "abstract": "Zorbic, said he, was no quixote.", "year": 2020})" "\n";
    // Without abstract positions, so the phrase below is checked on the compressed records.
    const std::string db = index_records(dir, "db", jsonl, false);
    Xapian::Database database(db);
    REQUIRE_FALSE(database.get_metadata(std::string(index::data_dictionary_metadata_key)).empty());
    std::size_t stored = 0, json = 0;
    for (auto it = database.postlist_begin(""); it != database.postlist_end(""); ++it) {
        const std::string data = database.get_document(*it).get_data();
        REQUIRE_FALSE(data.empty());
        CHECK(data.front() == '\x01');
        const record::Record record = index::read_stored_record(database, data);
        stored += data.size();
        json += record::to_stored_json(record).size();
    }
    CHECK(stored * 2 < json);   // well under half: what zlib alone would give

    search::Searcher searcher(db);
    const auto record = searcher.document("phrase");
    REQUIRE(record);
    CHECK(record->abstract == std::optional<std::string>("Sed ut perspiciatis zorbic quixote unde omnis."));
    search::SearchRequest request;
    request.query = "\"zorbic quixote\"";
    const auto result = searcher.search(request);
    REQUIRE(result.hits.size() == 1);
    CHECK(result.hits.front().id == "phrase");
    CHECK(result.hits.front().title == "A study");
}

TEST_CASE("stored records: few records stay plain JSON, and data from another dictionary is refused") {
    CHECK(index::StoredRecordCodec::train(std::vector<std::string>(10, R"({"id":"x"})")).empty());
    record::Record record;
    record.id = "r1";
    record.title = "Glacier retreat";
    index::StoredRecordCodec plain;
    CHECK(plain.encode(record).front() == '{');
    CHECK(plain.decode(plain.encode(record)).title == "Glacier retreat");

    testing::TempDir dir;
    Xapian::Database database(index_records(dir, "db", synthetic_jsonl(2500, 2)));
    index::StoredRecordCodec codec = index::StoredRecordCodec::for_database(database);
    const std::string data = codec.encode(record);
    CHECK(data.front() == '\x01');
    CHECK(codec.decode(data).title == "Glacier retreat");
    CHECK(index::read_stored_record(database, data).title == "Glacier retreat");

    // A dictionary the index does not hold (trained elsewhere): refused, not misread.
    std::vector<std::string> samples;
    std::string other_jsonl = synthetic_jsonl(1500, 3);
    for (std::size_t start = 0, end; (end = other_jsonl.find('\n', start)) != std::string::npos; start = end + 1)
        samples.push_back(other_jsonl.substr(start, end - start));
    index::StoredRecordCodec other(index::StoredRecordCodec::train(samples));
    REQUIRE_FALSE(other.dictionary().empty());
    CHECK_THROWS_AS(index::read_stored_record(database, other.encode(record)), std::runtime_error);
    CHECK_THROWS_AS(index::read_stored_record(database, std::string("\x01garbage", 8)), std::runtime_error);
}
