#include "search/citations.hpp"

#include "index/document_builder.hpp"
#include "index/stored_record.hpp"
#include "record/record_json.hpp"
#include "schema/schema.hpp"

#include <algorithm>
#include <unordered_map>

namespace scholarsearch::search {

namespace prefix = schema::prefix;

std::vector<graph::Work> IndexWorks::with_term(const std::string& term) const {
    std::vector<graph::Work> works;
    for (auto it = database_.postlist_begin(term); it != database_.postlist_end(term); ++it)
        works.push_back(graph::work_from_value(database_.get_document(*it, Xapian::DOC_ASSUME_VALID)
                                                   .get_value(schema::slot(schema::Slot::work))));
    return works;
}

std::vector<graph::Work> IndexWorks::with_doi(const std::string& doi) const {
    return with_term(index::boolean_term(prefix::doi, doi));
}

std::vector<graph::Work> IndexWorks::with_title_key(const std::string& title_key) const {
    return with_term(index::boolean_term(prefix::work_title, title_key));
}

std::vector<graph::Work> IndexWorks::with_family_year(const std::string& family_year) const {
    return with_term(index::boolean_term(prefix::work_family_year, family_year));
}

std::vector<ReferenceLink> resolve_references(const Xapian::Database& database, const record::Record& record) {
    const IndexWorks works(database);
    std::vector<ReferenceLink> links;
    for (const auto& reference : record.references) {
        ReferenceLink link{reference, std::nullopt, std::nullopt, std::nullopt};
        if (auto found = graph::resolve(reference, works)) {
            const std::string term = index::boolean_term(prefix::unique_id, found->id);
            if (auto posting = database.postlist_begin(term); posting != database.postlist_end(term)) {
                link.id = found->id;
                link.title = index::read_stored_record(database, database.get_document(*posting).get_data()).title;
                link.rule = std::string(graph::rule_name(found->rule));
            }
        }
        links.push_back(std::move(link));
    }
    return links;
}

std::vector<Xapian::docid> citing_documents(const Xapian::Database& database, const graph::Work& target,
                                            Xapian::docid target_docid) {
    const std::vector<std::string> target_keys = graph::citing_keys_of_work(target);
    std::vector<Xapian::docid> candidates;
    for (const auto& key : target_keys) {
        const std::string term = index::boolean_term(prefix::citing, key);
        for (auto it = database.postlist_begin(term); it != database.postlist_end(term); ++it) candidates.push_back(*it);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    const IndexWorks works(database);
    std::vector<Xapian::docid> citing;
    for (const Xapian::docid docid : candidates) {
        if (docid == target_docid) continue;
        const record::Record record = index::read_stored_record(database, database.get_document(docid).get_data());
        for (const auto& reference : record.references) {
            const auto keys = graph::citing_keys(reference);
            const bool may_cite = std::any_of(keys.begin(), keys.end(), [&](const std::string& key) {
                return std::find(target_keys.begin(), target_keys.end(), key) != target_keys.end();
            });
            if (!may_cite) continue;
            const auto found = graph::resolve(reference, works);
            if (found && found->id == target.id) {
                citing.push_back(docid);
                break;
            }
        }
    }
    return citing;
}

std::vector<std::pair<Xapian::docid, std::size_t>> coupled_documents(const Xapian::Database& database,
                                                                     const record::Record& record,
                                                                     Xapian::docid record_docid) {
    // Only the cited ids count here: no cited record is read for its title.
    const IndexWorks works(database);
    std::vector<std::string> cited;
    for (const auto& reference : record.references)
        if (auto found = graph::resolve(reference, works))
            if (std::find(cited.begin(), cited.end(), found->id) == cited.end()) cited.push_back(found->id);
    std::unordered_map<Xapian::docid, std::size_t> shared;
    for (const auto& id : cited) {
        const std::string term = index::boolean_term(prefix::unique_id, id);
        const auto posting = database.postlist_begin(term);
        if (posting == database.postlist_end(term)) continue;
        const graph::Work work = graph::work_from_value(database.get_document(*posting).get_value(schema::slot(schema::Slot::work)));
        for (const Xapian::docid docid : citing_documents(database, work, *posting))
            if (docid != record_docid) ++shared[docid];
    }
    std::vector<std::pair<Xapian::docid, std::size_t>> out(shared.begin(), shared.end());
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return out;
}

}  // namespace scholarsearch::search
