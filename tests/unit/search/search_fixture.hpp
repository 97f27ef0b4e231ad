#pragma once
// A real index on disk, built by the real indexer from JSON Lines records the test writes.
#include "index/index_writer.hpp"
#include "search/searcher.hpp"

#include "../../support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace scholarsearch::testing {

class SearchFixture {
public:
    explicit SearchFixture(const std::string& records_jsonl, const index::IndexOptions& options = {}) {
        db_ = dir_ / "db";
        const std::string file = dir_.write("records.jsonl", records_jsonl);
        index::IndexWriter writer(db_);
        std::vector<record::Diagnostic> problems;
        writer.add_inputs({file}, options, [&](const record::Diagnostic& d) { problems.push_back(d); });
        REQUIRE(problems.empty());
        searcher_ = std::make_unique<search::Searcher>(db_);
    }

    search::SearchResult search(const std::string& query, std::size_t size = 20) {
        search::SearchRequest request;
        request.query = query;
        request.size = size;
        return searcher_->search(request);
    }
    search::SearchResult search(search::SearchRequest request) { return searcher_->search(request); }

    std::vector<std::string> ids(const std::string& query) {
        std::vector<std::string> out;
        for (const auto& hit : search(query).hits) out.push_back(hit.id);
        return out;
    }

    search::Searcher& searcher() { return *searcher_; }
    const std::string& path() const { return db_; }

private:
    TempDir dir_;
    std::string db_;
    std::unique_ptr<search::Searcher> searcher_;
};

inline bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace scholarsearch::testing
