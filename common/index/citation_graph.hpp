#pragma once
/**
 * The citation graph over an index (docs/GRAPH.md). No edge is stored: the rules are
 * graph::resolve's, and their candidates are found through the index's terms (XGT, XGA, XDOI)
 * and graph::Work values (slot 8). One thing is stored: each record's in-collection citation
 * count (slot cited_by_in_collection), so that every hit carries it and a search can sort by it.
 * It is exactly the number of citing_documents, and the index writer keeps it so:
 *
 *   - a build into an empty database counts every record once, after the bulk add and before the
 *     shards are merged (count_all_citations), resolving in memory;
 *   - any other change (add, replace, delete) notes, before and after it, the records whose count
 *     it may change (CitationCounts), and recounts those before the commit.
 *
 * It lives here, not in search/, because the writer needs it; search/ reads it from here.
 */
#include "graph/citation_resolver.hpp"
#include "record/record.hpp"

#include <xapian.h>

#include <string>
#include <unordered_set>
#include <vector>

namespace scholarsearch::index {

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

/// A document citing a target, with its record (decoded to check its references).
struct CitingDocument {
    Xapian::docid docid;
    Xapian::Document document;
    record::Record record;
};

/**
 * The documents whose references resolve to the record `target` (never `target` itself), each
 * once, in docid order: the candidates carry one of its citing keys, and each is checked by
 * resolving its references.
 */
std::vector<CitingDocument> citing_documents(const Xapian::Database& database, const graph::Work& target,
                                             Xapian::docid target_docid);

/// The in-collection citation count stored in `document` (0 when it has none).
long long stored_citation_count(const Xapian::Document& document);
/// Stores `count` in `document`'s slot; false when it was already that.
bool store_citation_count(Xapian::Document& document, long long count);

/**
 * The counts a change may alter, noted around it and recounted before the commit:
 *
 *     auto works = counts.note(database, id_terms, new_works);   // before replacing / deleting
 *     ...replace_document / delete_document...
 *     counts.note(database, id_terms, works);                    // after
 *     counts.recount(database);                                  // before commit()
 *
 * A reference's resolution depends only on the works that share one of its citing keys, so the
 * counts a change of the records `id_terms` may alter are: the changed records' own, those of the
 * records their references resolve to, and those of the records that the references sharing a key
 * with a changed work resolve to — each taken before and after the change, which covers an
 * edge that appears, disappears or moves (a record added beside a namesake makes the references
 * to it ambiguous; deleting it makes them resolve again).
 */
class CitationCounts {
public:
    /// Notes the targets of the records `id_terms` as `database` has them now, and those of the
    /// references sharing a key with their works or with `works`. Returns the works considered
    /// (pass them to the `note` after the change).
    std::vector<graph::Work> note(const Xapian::Database& database, const std::vector<std::string>& id_terms,
                                  const std::vector<graph::Work>& works);
    /// Recounts every noted record that `database` has, storing what changed; forgets the notes.
    void recount(Xapian::WritableDatabase& database);
    bool empty() const { return targets_.empty(); }

private:
    std::unordered_set<std::string> targets_;   // unique ids
};

/**
 * Counts and stores the in-collection citations of every document of `shards` (which together
 * hold the collection, each id once), reading with `threads` threads. Not committed. For a
 * build into an empty database: one pass over the records, resolving in memory.
 */
void count_all_citations(std::vector<Xapian::WritableDatabase*> shards, const std::vector<std::string>& shard_paths,
                         unsigned threads);

}  // namespace scholarsearch::index
