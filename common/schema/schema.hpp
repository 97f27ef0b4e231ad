#pragma once
/**
 * The index schema: how a Record is laid out in a Xapian database. The indexer writes it, the
 * searcher reads it; this header is their whole contract (with the Analyzer), so neither needs
 * the other. No <xapian.h> here: these are plain constants.
 *
 * Terms (Xapian/Omega conventions; probabilistic terms carry positions, boolean terms do not).
 * Word terms are the Analyzer's: case-folded, Latin letters folded to ASCII ("gutierrez" for
 * Gutiérrez, "muller" for Müller), Han characters simplified ("社会" for 社會), so accents and
 * Chinese scripts never decide whether a word is found. Titles and abstracts are analysed as
 * they read, LaTeX converted (text::readable: "α" and "stable" for `$\alpha$-stable`); the
 * document data keeps them as written.
 *
 *   (none)  title, keywords and abstract words, unprefixed, for free text. Title and keyword
 *           words get a wdf boost (title_wdf_boost, keyword_wdf_boost) so BM25 ranks them higher.
 *           With positions; in an index built without abstract positions only for CJK terms
 *           (a CJK query word is a phrase of bigrams), and a phrase or NEAR of words is matched
 *           on the S and XK positions or checked on the stored abstract.
 *   Z       stemmed English words of the free text ("Zlearn"), no positions, as TermGenerator
 *           does. Field terms below have no stemmed twin: a field query expands a word to the
 *           field's terms with the same stem (QueryBuilder), so stems cost no postings there.
 *   S       title words
 *   XK      keyword words
 *   B       abstract words, WITHOUT positions: a phrase in abstract: is the unprefixed phrase
 *           filtered by the B terms of its words; without abstract positions the B terms pick
 *           the records whose stored abstract is checked for it
 *   A       author name words; a word with a German umlaut also gets its German spelling at
 *           the same position ("Amuller" and "Amueller" for Müller; has_name_variants), so
 *           Müller, Muller and Mueller all find it, in phrases too ("Mueller, Hans")
 *   XA      affiliation words, with the same variants ("XAzurich", "XAzuerich")
 *   XR      reference text words, for citing-paper search, without positions
 *
 *   Boolean (filters and facets; the value is folded with Analyzer::fold, whole, no positions;
 *   accents are kept, as these values are shown back to users as suggestions and facets; Han
 *   characters are simplified, so a filter or suggestion in either script finds both):
 *   K       whole keyword         "Ksocial media"
 *   XAU     whole author name     "XAUpicazo-vela, sergio"
 *   XCLC    CLC code, upper case  "XCLCG25"; also every shorter prefix of the code is NOT added
 *   XDISC   discipline code       "XDISC120501"
 *   Y       year                  "Y2012"
 *   XV      venue (folded)        "XVgovernment information quarterly"
 *   XDOI    DOI, lower case       "XDOI10.1016/j.giq.2012.07.002"
 *   Q       unique id             "Q10.1016/j.giq.2012.07.002", "Qdev-0001", "Qex05.txt#0"
 *   XL      language              "XLzh"
 *
 * Values (Xapian::sortable_serialise(double) unless said otherwise):
 *   year      0   publication year
 *   cited_by  1   times cited
 *   id        2   unique id as plain bytes (for collapsing and for display without parsing data)
 *   doi       3   lower-cased DOI as plain bytes (collapse key for duplicates)
 *   cited_by_prior 4  log(1 + cited_by), the static prior's weight source
 *   venue     7   venue as written (facet counting)
 *   work      8   graph::Work of the record (graph::to_value: its fields joined by U+001F)
 *   cited_by_in_collection 9  records of the collection whose references resolve to this one,
 *             every record has it (0 too); kept by the index writer (index/citation_graph.hpp)
 *   keyword facet 10..17, author facet 20..27, clc facet 30..33: the record's keywords, author
 *             names and CLC codes as written, distinct, one per slot in record order; the last
 *             slot of each range holds the rest, joined by U+001F (FacetSlots says why)
 *   (5 and 6, the U+001F-joined keywords and codes of schema 3, are no longer written)
 *
 * Document data: the record as compact JSON (record::to_stored_json) with "id" set to the unique
 * id, so a hit is displayed without a second lookup; in a database built from empty, compressed
 * with zstd and a dictionary trained on its first records (index/stored_record.hpp, metadata
 * "scholarsearch.data_dictionary"). Read it with index::read_stored_record.
 *
 * Metadata: "scholarsearch.analyzer" = analysis::analyzer_version; "scholarsearch.schema" =
 * schema_version; an index written by another version is refused with both versions named.
 */
#include <string_view>

namespace scholarsearch::schema {

/// 4: one value slot per keyword, author and CLC code (exact facets, Xapian's ValueCountMatchSpy).
/// 5: titles and abstracts indexed with their LaTeX converted (earlier indexes have the raw markup).
/// 6: citation graph terms (XGT, XGA, XGC) and value slot 8.
/// 7: document data compressed with the index's dictionary; optionally no abstract positions.
/// 8: in-collection citation count in value slot 9.
inline constexpr std::string_view schema_version = "8";
inline constexpr std::string_view analyzer_metadata_key = "scholarsearch.analyzer";
inline constexpr std::string_view schema_metadata_key = "scholarsearch.schema";
inline constexpr std::string_view built_at_metadata_key = "scholarsearch.built_at";
/// A fresh random value at every commit of ours (store::commit): with the UUID it names the
/// generation, also over a remote backend, which reports no revision.
inline constexpr std::string_view commit_metadata_key = "scholarsearch.commit";
/// "1" when abstract words carry positions (the default); "0" for an index built with
/// IndexOptions::abstract_positions off: about a third smaller, and a phrase in an abstract is
/// checked on the stored text of the records that can reach the page (search/abstract_phrase.hpp).
/// A database without the key has them.
inline constexpr std::string_view abstract_positions_metadata_key = "scholarsearch.abstract_positions";

namespace prefix {
inline constexpr std::string_view stem = "Z";            ///< prepended to a field prefix for stems
inline constexpr std::string_view title = "S";
inline constexpr std::string_view keyword_words = "XK";
inline constexpr std::string_view abstract = "B";
inline constexpr std::string_view author_words = "A";
inline constexpr std::string_view affiliation = "XA";
inline constexpr std::string_view references = "XR";

inline constexpr std::string_view keyword = "K";
inline constexpr std::string_view author = "XAU";
inline constexpr std::string_view clc = "XCLC";
inline constexpr std::string_view discipline = "XDISC";
inline constexpr std::string_view year = "Y";
inline constexpr std::string_view venue = "XV";
inline constexpr std::string_view doi = "XDOI";
inline constexpr std::string_view unique_id = "Q";
inline constexpr std::string_view language = "XL";
// The citation graph (docs/GRAPH.md): a record is found as a cited work by its title key and its
// first author + year (and its DOI term above); the records citing it by their references' keys,
// each as its bucket (index::citing_term: "XGC" + 5 hex digits); a title key as its hash
// (index::work_title_term: "XGT" + 16 hex digits).
inline constexpr std::string_view work_title = "XGT";
inline constexpr std::string_view work_family_year = "XGA";
inline constexpr std::string_view citing = "XGC";
}  // namespace prefix

enum class Slot : unsigned {
    year = 0, cited_by = 1, id = 2, doi = 3, cited_by_prior = 4, venue = 7,
    work = 8,   ///< graph::Work of the record (graph::to_value), read for every candidate target
    cited_by_in_collection = 9,   ///< records of the collection citing it (index/citation_graph.hpp)
};

constexpr unsigned slot(Slot value) { return static_cast<unsigned>(value); }

/**
 * The value slots of a multi-valued facet. Facets are counted with Xapian's own
 * ValueCountMatchSpy, one per slot, because it is the match spy that also works over the remote
 * backend (custom MatchSpy subclasses do not); it counts a slot's whole value, so each item needs
 * a slot of its own. A record with more items than slots puts the rest, joined by
 * facet_separator, in the last one, and the searcher splits those values after the match, so
 * counts stay exact whatever the list's length: the slots only decide how many values are counted
 * as themselves (cheap, few distinct values) rather than as combinations (one per such record).
 */
struct FacetSlots {
    unsigned first;
    unsigned count;
};
inline constexpr FacetSlots keyword_facet_slots{10, 8};
inline constexpr FacetSlots author_facet_slots{20, 8};
inline constexpr FacetSlots clc_facet_slots{30, 4};

/// Joins the items in the last slot of a FacetSlots range.
inline constexpr char facet_separator = '\x1f';

/// wdf added per occurrence of a word in the unprefixed free-text terms.
inline constexpr unsigned title_wdf_boost = 3;
inline constexpr unsigned keyword_wdf_boost = 2;
inline constexpr unsigned abstract_wdf_boost = 1;

/// Fields whose words with umlauts are also indexed in their German spelling (Token::variant).
/// Names, because people type "Mueller" for Müller; content words are not, because an umlaut
/// written "ue" is rare in English and Chinese text, and every German word would cost a posting.
constexpr bool has_name_variants(std::string_view field_prefix) {
    return field_prefix == prefix::author_words || field_prefix == prefix::affiliation;
}

/// Position gap between two values of one field (two keywords, two authors), so that a phrase
/// never matches across them.
inline constexpr unsigned value_position_gap = 100;

/// Longest boolean term body kept; Xapian's limit is 245 bytes including the prefix.
inline constexpr std::size_t max_boolean_term_bytes = 200;

}  // namespace scholarsearch::schema
