#pragma once
/**
 * The citation graph over an index, computed when asked (docs/GRAPH.md): nothing about edges is
 * stored, so adding, replacing or deleting a record changes the graph at once, and a rebuild and
 * an incremental build of the same records give the same graph. The rules are graph::resolve's;
 * their candidates and the citing documents come from index/citation_graph.hpp, which the index
 * writer shares to keep the stored counts.
 */
#include "graph/citation_resolver.hpp"
#include "index/citation_graph.hpp"
#include "search/search_types.hpp"

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

namespace scholarsearch::search {

/// Each reference of `record`, resolved where it cites a record of the index.
std::vector<ReferenceLink> resolve_references(const Xapian::Database& database, const record::Record& record);

/**
 * Bibliographic coupling: the documents that share the most resolved references with `record`
 * (never its own document), with how many they share, most first (ties by docid).
 */
std::vector<std::pair<Xapian::docid, std::size_t>> coupled_documents(const Xapian::Database& database,
                                                                     const record::Record& record,
                                                                     Xapian::docid record_docid);

}  // namespace scholarsearch::search
