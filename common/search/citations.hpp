#pragma once
/**
 * The citation graph over an index, computed when asked (docs/GRAPH.md): nothing about edges is
 * stored, so adding, replacing or deleting a record changes the graph at once, and a rebuild and
 * an incremental build of the same records give the same graph. The rules are graph::resolve's;
 * this file only finds their candidates through the index's terms and values.
 */
#include "graph/citation_resolver.hpp"
#include "search/search_types.hpp"

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

namespace scholarsearch::search {

/// Candidates of the rules, read from the index (graph::Work from its value slot).
class IndexWorks : public graph::Works {
public:
    explicit IndexWorks(const Xapian::Database& database) : database_(database) {}
    std::vector<graph::Work> with_doi(const std::string& doi) const override;
    std::vector<graph::Work> with_title_key(const std::string& title_key) const override;
    std::vector<graph::Work> with_family_year(const std::string& family_year) const override;

private:
    std::vector<graph::Work> with_term(const std::string& term) const;
    const Xapian::Database& database_;
};

/// Each reference of `record`, resolved where it cites a record of the index.
std::vector<ReferenceLink> resolve_references(const Xapian::Database& database, const record::Record& record);

/**
 * The documents whose references resolve to the record `target` (never `target` itself), each
 * once: the candidates carry one of its citing keys, and each is checked by resolving its
 * references.
 */
std::vector<Xapian::docid> citing_documents(const Xapian::Database& database, const graph::Work& target,
                                            Xapian::docid target_docid);

/**
 * Bibliographic coupling: the documents that share the most resolved references with `record`
 * (never its own document), with how many they share, most first (ties by docid).
 */
std::vector<std::pair<Xapian::docid, std::size_t>> coupled_documents(const Xapian::Database& database,
                                                                     const record::Record& record,
                                                                     Xapian::docid record_docid);

}  // namespace scholarsearch::search
