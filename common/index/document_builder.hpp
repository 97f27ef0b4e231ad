#pragma once
/**
 * Record -> Xapian::Document, following schema/schema.hpp. One DocumentBuilder per thread (it
 * owns an Analyzer, which is not thread-safe); documents it builds may be handed to the writer
 * thread.
 */
#include "analysis/analyzer.hpp"
#include "record/record.hpp"

#include <xapian.h>

#include <string>
#include <vector>

namespace scholarsearch::index {

/// A built document with the unique-id term the writer replaces it by.
struct BuiltDocument {
    std::string id_term;   ///< "Q" + unique id
    Xapian::Document document;
    /// Title and keyword words for the spelling dictionary (the writer adds them to the database).
    std::vector<std::string> spelling_words;
};

class DocumentBuilder {
public:
    /// `abstract_positions`: whether B terms carry positions (schema::abstract_positions_metadata_key).
    /// `citation_graph`: whether the graph's keys and values are written (IndexOptions::citation_graph).
    DocumentBuilder(bool abstract_positions, bool citation_graph)
        : abstract_positions_(abstract_positions), citation_graph_(citation_graph) {}

    BuiltDocument build(const record::Record& record);

    analysis::Analyzer& analyzer() { return analyzer_; }

private:
    void add_text(Xapian::Document& document, std::string_view text, std::string_view prefix,
                  unsigned unprefixed_wdf, bool field_positions = true,
                  std::vector<std::string>* spelling_words = nullptr);
    void add_boolean(Xapian::Document& document, std::string_view prefix, std::string_view value);

    analysis::Analyzer analyzer_;
    std::vector<analysis::Token> tokens_;   // reused between calls
    std::string term_;                      // reused buffer
    std::string readable_;                  // reused: title or abstract with its LaTeX converted
    Xapian::termpos next_position_ = 1;
    bool abstract_positions_;
    bool citation_graph_;
};

/// The abstract as it is analysed for the index (its LaTeX converted, text::readable), using
/// `buffer`; empty when there is none. A phrase in an abstract is checked on this text.
std::string_view indexed_abstract(const record::Record& record, std::string& buffer);

/// The boolean term for `value` in the field `field_prefix` (an id, a DOI, a keyword), cut to the
/// length Xapian takes: what the indexer writes and a search looks up.
std::string boolean_term(std::string_view field_prefix, std::string_view value);

/// Bits of a citing key's bucket (citing_term).
inline constexpr unsigned citing_bucket_bits = 18;

/**
 * The XGC term of a citing key (graph::citing_keys): the key's bucket, one of 2^18, not the key
 * itself. Most keys name papers outside the collection and would each be a term of one posting;
 * buckets make the graph's terms about 10% of the index instead of over 20% (docs/GRAPH.md,
 * "Cost"), and a lookup gets the few other records of its bucket too, which the resolver then
 * rules out. FNV-1a, so that every build and version puts a key in the same bucket.
 */
std::string citing_term(std::string_view key);

/// The XGT term of a work's title key: "XGT" + its 64-bit FNV-1a hash in hex, 19 bytes where the
/// title would take 80 (a lookup compares the titles of what it finds anyway).
std::string work_title_term(std::string_view title_key);

}  // namespace scholarsearch::index
