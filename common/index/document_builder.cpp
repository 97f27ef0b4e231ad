#include "index/document_builder.hpp"

#include "graph/citation_resolver.hpp"
#include "record/record_json.hpp"
#include "schema/schema.hpp"
#include "text/latex.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace scholarsearch::index {

namespace prefix = schema::prefix;

using text::utf8_prefix;

// Each token yields a term in the field (`prefix`, positional where phrases need it) and, for
// free text (unprefixed_wdf > 0), the same term unprefixed with a per-field wdf boost plus its
// stemmed Z-term without positions, as Xapian's TermGenerator does. Without abstract positions
// (schema::abstract_positions_metadata_key) unprefixed terms have positions only for CJK tokens
// (a CJK query word is a phrase of bigrams), and a free-text phrase is matched on the S and XK
// positions or checked on the stored abstract. Field terms get no stemmed
// twin: the query side expands a field word to the field's terms with the same stem (see
// QueryBuilder), which keeps a quarter of all postings out of the index. In name fields a word
// with an umlaut adds its German spelling at the same position (schema::has_name_variants), so
// only those words pay for it.
void DocumentBuilder::add_text(Xapian::Document& document, std::string_view text,
                               std::string_view field_prefix, unsigned unprefixed_wdf, bool field_positions,
                               std::vector<std::string>* spelling_words) {
    if (text.empty()) return;
    const bool variants = schema::has_name_variants(field_prefix);
    tokens_.clear();
    next_position_ = analyzer_.analyze(text, tokens_, next_position_) + schema::value_position_gap;
    for (const auto& token : tokens_) {
        // Spelling suggestions are for English words; digits and codes are not misspelt.
        if (spelling_words && !token.stem.empty() && token.term.size() >= 3 &&
            std::all_of(token.term.begin(), token.term.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
            spelling_words->push_back(token.term);
        term_.assign(field_prefix).append(token.term);
        if (field_positions) document.add_posting(term_, token.position);
        else document.add_term(term_);
        if (variants && !token.variant.empty()) {
            term_.assign(field_prefix).append(token.variant);
            if (field_positions) document.add_posting(term_, token.position);
            else document.add_term(term_);
        }
        if (unprefixed_wdf == 0) continue;
        if (abstract_positions_ || token.kind == analysis::TokenKind::cjk)
            document.add_posting(token.term, token.position, unprefixed_wdf);
        else
            document.add_term(token.term, unprefixed_wdf);
        if (!token.stem.empty()) {
            term_.assign(prefix::stem).append(token.stem);
            document.add_term(term_, unprefixed_wdf);
        }
    }
}

std::string_view indexed_abstract(const record::Record& record, std::string& buffer) {
    if (!record.abstract) return {};
    return text::readable(*record.abstract, buffer);
}

std::string boolean_term(std::string_view field_prefix, std::string_view value) {
    std::string term(field_prefix);
    term.append(utf8_prefix(value, schema::max_boolean_term_bytes));
    return term;
}

namespace {

std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    return hash;
}

// `prefix` + the low `bits` of `value` in hex.
std::string hex_term(std::string_view prefix, std::uint64_t value, unsigned bits) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string term(prefix);
    for (int shift = static_cast<int>(bits + 3) / 4 * 4 - 4; shift >= 0; shift -= 4) term += hex[(value >> shift) & 15];
    return term;
}

}  // namespace

std::string citing_term(std::string_view key) {
    return hex_term(prefix::citing, fnv1a(key) & ((std::uint64_t{1} << citing_bucket_bits) - 1), citing_bucket_bits);
}

std::string work_title_term(std::string_view title_key) { return hex_term(prefix::work_title, fnv1a(title_key), 64); }

void DocumentBuilder::add_boolean(Xapian::Document& document, std::string_view field_prefix,
                                  std::string_view value) {
    if (value.empty()) return;
    document.add_boolean_term(boolean_term(field_prefix, value));
}

namespace {

// Distinct items one per slot, the rest joined in the last slot (schema::FacetSlots). An item
// never contains the separator, or it would be split into two values when counted.
void add_facet_values(Xapian::Document& document, schema::FacetSlots slots, const std::vector<std::string>& values) {
    std::vector<std::string> items;
    for (const auto& value : values) {
        std::string item(utf8_prefix(value, 200));
        std::replace(item.begin(), item.end(), schema::facet_separator, ' ');
        if (item.find_first_not_of(' ') == std::string::npos) continue;
        if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(std::move(item));
    }
    const std::size_t singles = std::min<std::size_t>(items.size(), slots.count - 1);
    for (std::size_t i = 0; i < singles; ++i) document.add_value(slots.first + static_cast<unsigned>(i), items[i]);
    std::string rest;
    for (std::size_t i = singles; i < items.size(); ++i) {
        if (!rest.empty()) rest += schema::facet_separator;
        rest += items[i];
    }
    if (!rest.empty()) document.add_value(slots.first + slots.count - 1, rest);
}

}  // namespace

BuiltDocument DocumentBuilder::build(const record::Record& record) {
    BuiltDocument built;
    Xapian::Document& document = built.document;
    next_position_ = 1;

    const std::string id = record::unique_id(record);
    // Titles and abstracts are indexed as they read (text::readable: `$\alpha$-stable` is
    // "α-stable", `Schr\"odinger` "Schrödinger"), which is also what snippets show; the stored
    // record keeps them as written.
    add_text(document, text::readable(record.title, readable_), prefix::title, schema::title_wdf_boost, true,
             &built.spelling_words);
    for (const auto& keyword : record.keywords) {
        add_text(document, keyword, prefix::keyword_words, schema::keyword_wdf_boost, true, &built.spelling_words);
        add_boolean(document, prefix::keyword, analyzer_.fold(keyword));
    }
    // Abstract and references are the bulk of the text: their field terms carry no positions (a
    // phrase in abstract: is matched on the unprefixed positions, or checked on its text, schema.hpp).
    if (record.abstract)
        add_text(document, indexed_abstract(record, readable_), prefix::abstract, schema::abstract_wdf_boost, false);
    for (const auto& author : record.authors) {
        add_text(document, author.name, prefix::author_words, 0);
        add_boolean(document, prefix::author, analyzer_.fold(author.name));
    }
    for (const auto& affiliation : record.affiliations)
        add_text(document, affiliation.name, prefix::affiliation, 0);
    for (const auto& reference : record.references) add_text(document, reference.text, prefix::references, 0, false);

    for (const auto& code : record.clc) {
        std::string upper = analyzer_.fold(code.code);
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        add_boolean(document, prefix::clc, upper);
    }
    for (const auto& discipline : record.disciplines) add_boolean(document, prefix::discipline, discipline);

    const std::optional<int> year = record::effective_year(record);
    if (year) {
        add_boolean(document, prefix::year, std::to_string(*year));
        document.add_value(schema::slot(schema::Slot::year), Xapian::sortable_serialise(*year));
    }
    const std::optional<std::string> venue = record::effective_venue(record);
    if (venue) add_boolean(document, prefix::venue, analyzer_.fold(*venue));
    if (record.cited_by) {
        const double cited_by = static_cast<double>(std::max<long long>(0, *record.cited_by));
        document.add_value(schema::slot(schema::Slot::cited_by), Xapian::sortable_serialise(cited_by));
        document.add_value(schema::slot(schema::Slot::cited_by_prior), Xapian::sortable_serialise(std::log1p(cited_by)));
    }
    add_facet_values(document, schema::keyword_facet_slots, record.keywords);
    std::vector<std::string> names;
    for (const auto& author : record.authors) names.push_back(author.name);
    add_facet_values(document, schema::author_facet_slots, names);
    std::vector<std::string> codes;
    for (const auto& code : record.clc) codes.push_back(code.code);
    add_facet_values(document, schema::clc_facet_slots, codes);
    if (venue) document.add_value(schema::slot(schema::Slot::venue), std::string(utf8_prefix(*venue, 200)));
    const std::string doi = record.doi ? record::normalized_doi(*record.doi) : std::string();
    if (!doi.empty()) {
        add_boolean(document, prefix::doi, doi);
        document.add_value(schema::slot(schema::Slot::doi), doi);
    }
    if (record.language) add_boolean(document, prefix::language, analyzer_.fold(*record.language));

    // The citation graph is resolved at query time (docs/GRAPH.md): these keys find the candidates.
    if (citation_graph_) {
        const graph::Work work = graph::work_of(record);
        if (!work.title_key.empty()) document.add_boolean_term(work_title_term(work.title_key));
        if (!work.family.empty() && work.year)
            add_boolean(document, prefix::work_family_year, graph::family_year_key(work.family, *work.year));
        for (const auto& reference : record.references)
            for (const auto& key : graph::citing_keys(reference)) document.add_boolean_term(citing_term(key));
        document.add_value(schema::slot(schema::Slot::work), graph::to_value(work));
        // Counted when the whole collection is known: the index writer sets it before its commit.
        document.add_value(schema::slot(schema::Slot::cited_by_in_collection), Xapian::sortable_serialise(0));
    }

    built.id_term = boolean_term(prefix::unique_id, id);
    document.add_boolean_term(built.id_term);
    document.add_value(schema::slot(schema::Slot::id), id);

    record::Record stored = record;
    stored.id = id;
    if (!stored.year) stored.year = year;
    if (!stored.venue) stored.venue = venue;
    document.set_data(record::to_stored_json(stored));
    return built;
}

}  // namespace scholarsearch::index
