#pragma once
/**
 * Resolving a record's references to records of the collection: the citation graph's edges.
 *
 * No Xapian here: the resolver works on records in memory, so that the indexer (which turns its
 * keys into terms), the benchmark and the tests share one rule. The rule errs toward precision —
 * a wrong edge shows a user a paper that was not cited, a missing one only hides a link — so a
 * reference resolves only when exactly one record fits and every clue it carries agrees:
 *
 *   1. DOI: the reference's DOI (a `DOI 10.…` in its text, as the seed format and WoS `CR` write
 *      it) is the DOI of a record.
 *   2. Title: the same normalised title (case, accents' composition, punctuation and spacing
 *      ignored) and the same year; an item naming a first author needs a record with the same
 *      first-author family name. Short titles (under four words or 25 characters: "Editorial",
 *      "Introduction") need that first author.
 *   3. Title with typos: the first author's family name and the year agree, the titles have the
 *      same words in the same order and every differing word is at most two edits from its
 *      counterpart (one for words of up to five letters), three edits in all, and no differing
 *      word is a number ("Part II" is another paper than "Part III").
 *   4. No title (WoS `CR`: author, year, source, volume, page): first-author family, year and
 *      first page agree.
 * A clue that contradicts (another year, another first author, another DOI) stops the match; two
 * records that fit equally well resolve to neither.
 */
#include "record/record.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace scholarsearch::graph {

/// The DOI in a text ("DOI 10.1002/asi.24142", "doi:10…", "https://doi.org/10…") without
/// trailing punctuation, as record::normalized_doi writes a record's; nullopt when there is none.
std::optional<std::string> doi_in(std::string_view text);

/// Case-folded, NFKC letters and digits of every script, words separated by one space.
std::string title_key(std::string_view title);

/// The family name of an author as written ("Picazo-Vela, Sergio", "Sergio Picazo-Vela",
/// WoS "Picazo-Vela S", "张伟" → 张), case-folded letters only.
std::string family_key(std::string_view name);

/// How a reference was resolved.
enum class Rule { doi, title, title_with_typos, author_year_page };
std::string_view rule_name(Rule rule);

struct Resolution {
    std::string id;
    Rule rule;
};

/// What the rules read of a record that a reference may cite.
struct Work {
    std::string id;               ///< record::unique_id
    std::optional<int> year;      ///< record::effective_year
    std::string title_key;
    std::string family;           ///< first author's family_key
    std::string first_page;
    std::string doi;              ///< record::normalized_doi
    bool operator==(const Work&) const = default;
};
Work work_of(const record::Record& record);
/// A Work as one string (fields joined by \x1f), as the index stores it beside the record.
std::string to_value(const Work& work);
Work work_from_value(std::string_view value);

/// The keys under which a source finds works (the index turns them into terms).
std::string family_year_key(const std::string& family, int year);

/// Where the rules find the records a reference may cite: records in memory (CitationResolver)
/// or an index (search::Searcher).
class Works {
public:
    virtual ~Works() = default;
    virtual std::vector<Work> with_doi(const std::string& doi) const = 0;
    virtual std::vector<Work> with_title_key(const std::string& title_key) const = 0;
    virtual std::vector<Work> with_family_year(const std::string& family_year) const = 0;
};

/// The record of `works` that `reference` cites, by the rules above.
std::optional<Resolution> resolve(const record::Reference& reference, const Works& works);

/**
 * The keys of a reference under which the records citing a work are found: its DOI ("d…"), its
 * first author and year ("a…"), or, when it names no author, its title and year ("t…"). Every
 * reference that resolves to a work carries one of that work's citing_keys_of_work (the
 * benchmark checks it).
 */
std::vector<std::string> citing_keys(const record::Reference& reference);
std::vector<std::string> citing_keys_of_work(const Work& work);

/// Records in memory: the benchmark's and the tests' source.
class CitationResolver : public Works {
public:
    void add(const record::Record& record) { add(work_of(record)); }
    void add(Work work);
    std::optional<Resolution> resolve(const record::Reference& reference) const { return graph::resolve(reference, *this); }

    std::vector<Work> with_doi(const std::string& doi) const override { return lookup(by_doi_, doi); }
    std::vector<Work> with_title_key(const std::string& key) const override { return lookup(by_title_, key); }
    std::vector<Work> with_family_year(const std::string& key) const override { return lookup(by_family_year_, key); }

private:
    using Index = std::unordered_map<std::string, std::vector<std::size_t>>;
    std::vector<Work> lookup(const Index& index, const std::string& key) const;

    std::vector<Work> works_;
    Index by_doi_, by_title_, by_family_year_;
};

}  // namespace scholarsearch::graph
