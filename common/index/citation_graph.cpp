#include "index/citation_graph.hpp"

#include "index/document_builder.hpp"
#include "index/stored_record.hpp"
#include "schema/schema.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace scholarsearch::index {

namespace prefix = schema::prefix;

namespace {

constexpr unsigned work_slot = schema::slot(schema::Slot::work);
constexpr unsigned count_slot = schema::slot(schema::Slot::cited_by_in_collection);

bool shares_key(const std::vector<std::string>& keys, const std::vector<std::string>& wanted) {
    return std::any_of(keys.begin(), keys.end(), [&](const std::string& key) {
        return std::find(wanted.begin(), wanted.end(), key) != wanted.end();
    });
}

// The docids carrying one of the citing keys `keys` (XGC terms), sorted, each once.
std::vector<Xapian::docid> citing_candidates(const Xapian::Database& database, const std::vector<std::string>& keys) {
    std::vector<Xapian::docid> candidates;
    for (const auto& key : keys) {
        const std::string term = citing_term(key);
        for (auto it = database.postlist_begin(term); it != database.postlist_end(term); ++it) candidates.push_back(*it);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    return candidates;
}

}  // namespace

std::vector<graph::Work> IndexWorks::with_term(const std::string& term) const {
    std::vector<graph::Work> works;
    for (auto it = database_.postlist_begin(term); it != database_.postlist_end(term); ++it)
        works.push_back(graph::work_from_value(database_.get_document(*it, Xapian::DOC_ASSUME_VALID).get_value(work_slot)));
    return works;
}

std::vector<graph::Work> IndexWorks::with_doi(const std::string& doi) const {
    return with_term(boolean_term(prefix::doi, doi));
}

std::vector<graph::Work> IndexWorks::with_title_key(const std::string& title_key) const {
    return with_term(work_title_term(title_key));
}

std::vector<graph::Work> IndexWorks::with_family_year(const std::string& family_year) const {
    return with_term(boolean_term(prefix::work_family_year, family_year));
}

std::vector<CitingDocument> citing_documents(const Xapian::Database& database, const graph::Work& target,
                                             Xapian::docid target_docid) {
    const std::vector<std::string> target_keys = graph::citing_keys_of_work(target);
    const IndexWorks works(database);
    std::vector<CitingDocument> citing;
    for (const Xapian::docid docid : citing_candidates(database, target_keys)) {
        if (docid == target_docid) continue;
        Xapian::Document document = database.get_document(docid);
        record::Record record = read_stored_record(database, document.get_data());
        const bool cites = std::any_of(record.references.begin(), record.references.end(), [&](const auto& reference) {
            if (!shares_key(graph::citing_keys(reference), target_keys)) return false;
            const auto found = graph::resolve(reference, works);
            return found && found->id == target.id;
        });
        if (cites) citing.push_back(CitingDocument{docid, std::move(document), std::move(record)});
    }
    return citing;
}

long long stored_citation_count(const Xapian::Document& document) {
    const std::string value = document.get_value(count_slot);
    return value.empty() ? 0 : std::llround(Xapian::sortable_unserialise(value));
}

bool store_citation_count(Xapian::Document& document, long long count) {
    const std::string value = Xapian::sortable_serialise(static_cast<double>(count));
    if (document.get_value(count_slot) == value) return false;
    document.add_value(count_slot, value);
    return true;
}

std::vector<graph::Work> CitationCounts::note(const Xapian::Database& database, const std::vector<std::string>& id_terms,
                                              const std::vector<graph::Work>& works) {
    std::vector<graph::Work> considered = works;
    const IndexWorks index_works(database);
    auto note_resolved = [&](const record::Reference& reference) {
        if (auto found = graph::resolve(reference, index_works)) targets_.insert(found->id);
    };
    for (const auto& term : id_terms) {
        const auto posting = database.postlist_begin(term);
        if (posting == database.postlist_end(term)) continue;
        const Xapian::Document document = database.get_document(*posting);
        considered.push_back(graph::work_from_value(document.get_value(work_slot)));
        for (const auto& reference : read_stored_record(database, document.get_data()).references) note_resolved(reference);
    }
    std::vector<std::string> keys;
    for (const auto& work : considered) {
        targets_.insert(work.id);
        for (auto& key : graph::citing_keys_of_work(work)) keys.push_back(std::move(key));
    }
    for (const Xapian::docid docid : citing_candidates(database, keys))
        for (const auto& reference : read_stored_record(database, database.get_document(docid).get_data()).references)
            if (shares_key(graph::citing_keys(reference), keys)) note_resolved(reference);
    return considered;
}

void CitationCounts::recount(Xapian::WritableDatabase& database) {
    for (const auto& id : targets_) {
        const std::string term = boolean_term(prefix::unique_id, id);
        const auto posting = database.postlist_begin(term);
        if (posting == database.postlist_end(term)) continue;
        const Xapian::docid docid = *posting;
        Xapian::Document document = database.get_document(docid);
        const graph::Work work = graph::work_from_value(document.get_value(work_slot));
        const auto count = static_cast<long long>(citing_documents(database, work, docid).size());
        if (store_citation_count(document, count)) database.replace_document(docid, document);
    }
    targets_.clear();
}

void count_all_citations(std::vector<Xapian::WritableDatabase*> shards, const std::vector<std::string>& shard_paths,
                         unsigned threads) {
    threads = std::max(1u, threads);
    // Every work in memory (from slot 8's value stream: no record decoded), then each record's
    // references resolved against them: the same rules and candidates as citing_documents, which
    // finds them through the index's terms.
    graph::CitationResolver works;
    for (const auto& path : shard_paths) {
        const Xapian::Database shard(path);
        for (auto it = shard.valuestream_begin(work_slot); it != shard.valuestream_end(work_slot); ++it)
            works.add(graph::work_from_value(*it));
    }
    std::unordered_map<std::string, long long> counts;
    std::mutex counts_mutex;
    std::exception_ptr failure;
    std::vector<std::thread> readers;
    for (unsigned t = 0; t < threads; ++t) {
        readers.emplace_back([&, t] {
            try {
                std::unordered_map<std::string, long long> mine;
                std::vector<std::string> cited;
                std::size_t position = 0;
                for (const auto& path : shard_paths) {
                    const Xapian::Database shard(path);
                    for (auto it = shard.postlist_begin(""); it != shard.postlist_end(""); ++it, ++position) {
                        if (position % threads != t) continue;
                        const record::Record record = read_stored_record(shard, shard.get_document(*it).get_data());
                        cited.clear();
                        for (const auto& reference : record.references)
                            if (auto found = works.resolve(reference))
                                if (found->id != record.id && std::find(cited.begin(), cited.end(), found->id) == cited.end())
                                    cited.push_back(found->id);
                        for (const auto& id : cited) ++mine[id];
                    }
                }
                const std::lock_guard lock(counts_mutex);
                for (const auto& [id, count] : mine) counts[id] += count;
            } catch (...) {
                const std::lock_guard lock(counts_mutex);
                failure = std::current_exception();
            }
        });
    }
    for (auto& reader : readers) reader.join();
    if (failure) std::rethrow_exception(failure);
    // Each shard written by its own thread (a WritableDatabase is one thread's).
    std::vector<std::thread> writers;
    for (auto* shard : shards) {
        writers.emplace_back([&, shard] {
            try {
                std::vector<Xapian::docid> docids;   // not replaced while their posting list is read
                for (auto it = shard->postlist_begin(""); it != shard->postlist_end(""); ++it) docids.push_back(*it);
                for (const Xapian::docid docid : docids) {
                    Xapian::Document document = shard->get_document(docid);
                    const auto found = counts.find(document.get_value(schema::slot(schema::Slot::id)));
                    if (store_citation_count(document, found == counts.end() ? 0 : found->second))
                        shard->replace_document(docid, document);
                }
            } catch (...) {
                const std::lock_guard lock(counts_mutex);
                failure = std::current_exception();
            }
        });
    }
    for (auto& writer : writers) writer.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace scholarsearch::index
