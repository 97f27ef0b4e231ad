#pragma once
// A generated corpus for facet and cursor tests: N records whose years, venues, keywords, authors,
// CLC codes, citations and duplicate DOIs follow simple rules, written as JSON Lines, plus what a
// search over all of them must answer, counted from the same records (never typed in by hand).
//
// Every record's title has "walk"; "alpha" and "beta" (repeated) vary the scores so relevance
// order has ties and non-ties. Some records have more authors than the index has author facet
// slots, some repeat a keyword, some lack a year or a venue, and pairs of records share a DOI
// (collapsed into one hit).
#include <cstddef>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace scholarsearch::testing {

struct WalkCorpus {
    std::string jsonl;
    std::set<std::string> single_ids;   ///< records with a DOI of their own, or none
    std::vector<std::pair<std::string, std::string>> doi_pairs;   ///< records sharing a DOI: one hit each
    std::size_t records = 0;            ///< matches before collapsing: what facets count
    std::size_t hits() const { return single_ids.size() + doi_pairs.size(); }

    /// Empty if `ids` (a whole walk) has every hit exactly once, else what is wrong.
    std::string check_walk(const std::vector<std::string>& ids) const {
        std::map<std::string, std::size_t> seen;
        for (const auto& id : ids) ++seen[id];
        for (const auto& [id, times] : seen)
            if (times > 1) return id + " came " + std::to_string(times) + " times";
        for (const auto& id : single_ids)
            if (!seen.count(id)) return id + " is missing";
        std::size_t expected = single_ids.size();
        for (const auto& [a, b] : doi_pairs) {
            if (seen.count(a) + seen.count(b) != 1) return "the DOI pair " + a + ", " + b + " is not one hit";
            ++expected;
        }
        if (ids.size() != expected) return std::to_string(ids.size()) + " hits, expected " + std::to_string(expected);
        return {};
    }
    std::map<std::string, std::map<std::string, std::size_t>> facets;   ///< facet -> value -> records
};

inline WalkCorpus make_walk_corpus(std::size_t count, const std::string& id_prefix = "w-") {
    WalkCorpus corpus;
    corpus.records = count;
    auto quoted = [](const std::string& text) { return "\"" + text + "\""; };
    auto list = [&](const std::vector<std::string>& values) {
        std::string out = "[";
        for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + quoted(values[i]);
        return out + "]";
    };
    char buffer[64];
    auto id_of = [&](std::size_t n) {
        std::snprintf(buffer, sizeof buffer, "%s%06zu", id_prefix.c_str(), n);
        return std::string(buffer);
    };
    for (std::size_t n = 0; n < count; ++n) {
        const std::string id = id_of(n);
        std::string title = "walk record";
        if (n % 3 == 0) title += " alpha";
        for (std::size_t i = 0; i < n % 4; ++i) title += " beta";
        std::string line = "{\"id\": " + quoted(id) + ", \"title\": " + quoted(title);

        if (n % 50 != 7) {
            const int year = 1990 + static_cast<int>((n * 7) % 31);
            line += ", \"year\": " + std::to_string(year);
            ++corpus.facets["year"][std::to_string(year)];
        }
        if (n % 11 != 0) {
            const std::string venue = "Venue " + std::to_string(n % 9);
            line += ", \"venue\": " + quoted(venue);
            ++corpus.facets["venue"][venue];
        }
        std::vector<std::string> keywords;
        for (std::size_t i = 0; i < n % 6; ++i) keywords.push_back("kw-" + std::to_string((n + i * 3) % 40));
        for (const auto& keyword : keywords) ++corpus.facets["keyword"][keyword];
        if (n % 13 == 0 && !keywords.empty()) keywords.push_back(keywords.front());   // counted once
        line += ", \"keywords\": " + list(keywords);
        // 1 to 12 authors: more than the 8 author facet slots for some records.
        std::vector<std::string> authors;
        for (std::size_t i = 0; i < 1 + n % 12; ++i) {
            std::snprintf(buffer, sizeof buffer, "Surname%03zu, Given", (n * 5 + i * 17) % 300);
            authors.emplace_back(buffer);
        }
        for (const auto& author : authors) ++corpus.facets["author"][author];
        line += ", \"authors\": " + list(authors);
        std::string codes;
        for (std::size_t i = 0; i < n % 6; ++i) {
            const std::string code = "TP" + std::to_string(300 + (n + i) % 20);
            codes += std::string(i ? ", " : "") + "{\"code\": " + quoted(code) + ", \"label\": null}";
            ++corpus.facets["clc"][code];
        }
        line += ", \"clc\": [" + codes + "]";
        line += ", \"cited_by\": " + std::to_string((n * 37) % 101);
        // Records 500k and 500k+1 share a DOI: one hit, the other collapsed into it.
        const bool paired = n % 500 <= 1 && n - n % 500 + 1 < count;
        if (paired) line += ", \"doi\": " + quoted("10.9999/dup." + std::to_string(n - n % 500));
        if (!paired) corpus.single_ids.insert(id);
        else if (n % 500 == 1) corpus.doi_pairs.emplace_back(id_of(n - 1), id);
        corpus.jsonl += line + "}\n";
    }
    return corpus;
}

}  // namespace scholarsearch::testing
