#include "search/citations.hpp"

#include "index/document_builder.hpp"
#include "index/stored_record.hpp"
#include "record/record_json.hpp"
#include "schema/schema.hpp"

#include <algorithm>
#include <unordered_map>

namespace scholarsearch::search {

namespace prefix = schema::prefix;

std::vector<ReferenceLink> resolve_references(const Xapian::Database& database, const record::Record& record) {
    const index::IndexWorks works(database);
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

std::vector<std::pair<Xapian::docid, std::size_t>> coupled_documents(const Xapian::Database& database,
                                                                     const record::Record& record,
                                                                     Xapian::docid record_docid) {
    // Only the cited ids count here: no cited record is read for its title.
    const index::IndexWorks works(database);
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
        for (const auto& citing : index::citing_documents(database, work, *posting))
            if (citing.docid != record_docid) ++shared[citing.docid];
    }
    std::vector<std::pair<Xapian::docid, std::size_t>> out(shared.begin(), shared.end());
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return out;
}

}  // namespace scholarsearch::search
