#include "graph/citation_resolver.hpp"

#include "text/normalize.hpp"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>

namespace scholarsearch::graph {

namespace {

constexpr std::size_t short_title_words = 4;
constexpr std::size_t short_title_chars = 25;
constexpr std::size_t max_edits_per_word = 2;
constexpr std::size_t max_edits_short_word = 1;  // words of up to short_word_letters letters
constexpr std::size_t short_word_letters = 5;
constexpr std::size_t max_edits_per_title = 3;

icu::UnicodeString folded(std::string_view text) {
    const std::string folded_text = text::nfkc_casefold(text);
    return icu::UnicodeString::fromUTF8(icu::StringPiece(folded_text.data(), static_cast<int32_t>(folded_text.size())));
}

std::vector<std::u32string> words_of(std::string_view key) {
    std::vector<std::u32string> words(1);
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(key.data(), static_cast<int32_t>(key.size())));
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        const UChar32 c = text.char32At(i);
        if (c == ' ') words.emplace_back();
        else words.back().push_back(static_cast<char32_t>(c));
    }
    if (words.back().empty()) words.pop_back();
    return words;
}

std::size_t edit_distance(const std::u32string& a, const std::u32string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

bool is_number_word(const std::u32string& word) {
    if (std::all_of(word.begin(), word.end(), [](char32_t c) { return u_isdigit(static_cast<UChar32>(c)); })) return true;
    // Roman numerals as titles number parts: i, ii, iii, iv, …
    return word.size() <= 5 && std::all_of(word.begin(), word.end(), [](char32_t c) {
               return c == U'i' || c == U'v' || c == U'x';
           });
}

// Titles that differ only by typos: same words in order, each differing word close to its
// counterpart, no differing number.
bool differ_by_typos(const std::string& a, const std::string& b) {
    const auto left = words_of(a), right = words_of(b);
    if (left.size() != right.size()) return false;
    std::size_t total = 0;
    for (std::size_t i = 0; i < left.size(); ++i) {
        if (left[i] == right[i]) continue;
        if (is_number_word(left[i]) || is_number_word(right[i])) return false;
        const std::size_t letters = std::min(left[i].size(), right[i].size());
        const std::size_t allowed = letters <= short_word_letters ? max_edits_short_word : max_edits_per_word;
        const std::size_t edits = edit_distance(left[i], right[i]);
        if (edits > allowed) return false;
        total += edits;
        if (total > max_edits_per_title) return false;
    }
    return true;
}

bool is_short_title(const std::string& key) {
    return static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1 < short_title_words ||
           icu::UnicodeString::fromUTF8(key).countChar32() < static_cast<int32_t>(short_title_chars);
}

// "P123" in a WoS CR item: its first page.
std::string cr_first_page(std::string_view text) {
    for (std::size_t at = text.find(", P"); at != std::string_view::npos; at = text.find(", P", at + 1)) {
        std::size_t end = at + 3;
        while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) ++end;
        if (end > at + 3 && (end == text.size() || text[end] == ',')) return std::string(text.substr(at + 3, end - at - 3));
    }
    return {};
}

}  // namespace

std::optional<std::string> doi_in(std::string_view text) {
    for (std::size_t at = text.find("10."); at != std::string_view::npos; at = text.find("10.", at + 1)) {
        if (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))) continue;
        std::size_t slash = at + 3;
        while (slash < text.size() && std::isdigit(static_cast<unsigned char>(text[slash]))) ++slash;
        if (slash - (at + 3) < 4 || slash >= text.size() || text[slash] != '/') continue;
        std::size_t end = slash + 1;
        while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != ',') ++end;
        if (end == slash + 1) continue;
        std::string_view doi = text.substr(at, end - at);
        while (!doi.empty() && std::string_view(".,;)]").find(doi.back()) != std::string_view::npos) doi.remove_suffix(1);
        if (doi.size() > slash - at + 1) return record::normalized_doi(doi);
    }
    return std::nullopt;
}

std::string title_key(std::string_view title) {
    const icu::UnicodeString text = folded(title);
    icu::UnicodeString kept;
    bool gap = false;
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        const UChar32 c = text.char32At(i);
        if (u_isalnum(c) || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) {
            if (gap && !kept.isEmpty()) kept.append(static_cast<UChar>(' '));
            kept.append(c);
            gap = false;
        } else if (!(u_getCombiningClass(c) > 0 || u_charType(c) == U_NON_SPACING_MARK)) {
            gap = true;
        }
    }
    std::string out;
    kept.toUTF8String(out);
    return out;
}

std::string family_key(std::string_view name) {
    std::string_view family = name;
    if (const auto comma = name.find(','); comma != std::string_view::npos) {
        family = name.substr(0, comma);
    } else if (const auto space = name.find_last_of(' '); space != std::string_view::npos) {
        const std::string_view last = name.substr(space + 1);
        // WoS writes "Family GN": a last word of one to three capitals is the initials.
        const bool initials = !last.empty() && last.size() <= 3 &&
                              std::all_of(last.begin(), last.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
        family = initials ? name.substr(0, name.find(' ')) : last;
    }
    const icu::UnicodeString text = folded(family);
    icu::UnicodeString letters;
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        const UChar32 c = text.char32At(i);
        if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) {
            // A Chinese name written whole ("张伟"): the family name is its first character.
            if (letters.isEmpty()) letters.append(c);
            break;
        }
        if (u_isalpha(c)) letters.append(c);
    }
    std::string out;
    letters.toUTF8String(out);
    return out;
}

std::string_view rule_name(Rule rule) {
    switch (rule) {
        case Rule::doi: return "doi";
        case Rule::title: return "title";
        case Rule::title_with_typos: return "title_with_typos";
        case Rule::author_year_page: return "author_year_page";
    }
    return "?";
}

std::string family_year_key(const std::string& family, int year) { return family + "|" + std::to_string(year); }

Work work_of(const record::Record& record) {
    Work work;
    work.id = record::unique_id(record);
    work.year = record::effective_year(record);
    work.title_key = title_key(record.title);
    if (!record.authors.empty()) work.family = family_key(record.authors.front().name);
    if (record.pages && record.pages->first) work.first_page = *record.pages->first;
    if (record.doi) work.doi = record::normalized_doi(*record.doi);
    return work;
}

std::string to_value(const Work& work) {
    constexpr char separator = '\x1f';
    return work.id + separator + (work.year ? std::to_string(*work.year) : std::string()) + separator + work.title_key +
           separator + work.family + separator + work.first_page + separator + work.doi;
}

Work work_from_value(std::string_view value) {
    std::vector<std::string_view> fields;
    for (std::size_t start = 0;;) {
        const std::size_t end = value.find('\x1f', start);
        fields.push_back(value.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    fields.resize(6);
    Work work;
    work.id = fields[0];
    if (!fields[1].empty()) work.year = std::stoi(std::string(fields[1]));
    work.title_key = fields[2];
    work.family = fields[3];
    work.first_page = fields[4];
    work.doi = fields[5];
    return work;
}

namespace {

// The one work of `candidates` that `fits`, or nullopt when none or several do.
template <class Fits>
std::optional<Work> only_fit(std::vector<Work> candidates, Fits&& fits) {
    std::optional<Work> match;
    for (auto& work : candidates) {
        if (!fits(work)) continue;
        if (match && match->id != work.id) return std::nullopt;  // two records fit: neither
        match = std::move(work);
    }
    return match;
}

std::optional<Work> by_title(const record::Reference& reference, const Works& works) {
    if (!reference.year) return std::nullopt;
    const std::string key = title_key(*reference.title);
    const std::string family = reference.authors.empty() ? std::string() : family_key(reference.authors.front());
    const bool short_title = is_short_title(key);
    return only_fit(works.with_title_key(key), [&](const Work& work) {
        if (work.title_key != key || work.year != reference.year) return false;
        // An item that names a first author cites a record that names the same one: a record
        // without authors is cited by title only by items without them (and citing_keys need
        // not key the titles of items with authors, a fifth of the index otherwise).
        if (!family.empty() && family != work.family) return false;
        return !short_title || (!family.empty() && !work.family.empty());
    });
}

std::optional<Work> by_title_with_typos(const record::Reference& reference, const Works& works) {
    if (!reference.year || reference.authors.empty()) return std::nullopt;
    const std::string key = title_key(*reference.title);
    if (is_short_title(key)) return std::nullopt;
    const std::string family = family_key(reference.authors.front());
    return only_fit(works.with_family_year(family_year_key(family, *reference.year)), [&](const Work& work) {
        return work.family == family && work.year == reference.year && differ_by_typos(key, work.title_key);
    });
}

std::optional<Work> by_author_year_page(const record::Reference& reference, const Works& works) {
    if (!reference.year || reference.authors.empty()) return std::nullopt;
    const std::string page = cr_first_page(reference.text);
    if (page.empty()) return std::nullopt;
    const std::string family = family_key(reference.authors.front());
    return only_fit(works.with_family_year(family_year_key(family, *reference.year)), [&](const Work& work) {
        return work.family == family && work.year == reference.year && work.first_page == page;
    });
}

}  // namespace

std::optional<Resolution> resolve(const record::Reference& reference, const Works& works) {
    const std::string doi = doi_in(reference.text).value_or(std::string());
    if (!doi.empty()) {
        if (auto work = only_fit(works.with_doi(doi), [&](const Work& w) { return w.doi == doi; }))
            return Resolution{work->id, Rule::doi};
    }
    Rule rule = reference.title ? Rule::title : Rule::author_year_page;
    std::optional<Work> found = reference.title ? by_title(reference, works) : by_author_year_page(reference, works);
    if (!found && reference.title) {
        found = by_title_with_typos(reference, works);
        rule = Rule::title_with_typos;
    }
    if (!found) return std::nullopt;
    // A record with another DOI than the reference's is another paper, however alike the rest.
    if (!doi.empty() && !found->doi.empty() && found->doi != doi) return std::nullopt;
    return Resolution{found->id, rule};
}

std::vector<std::string> citing_keys(const record::Reference& reference) {
    std::vector<std::string> keys;
    if (auto doi = doi_in(reference.text)) keys.push_back("d" + *doi);
    if (!reference.year) return keys;
    const std::string family = reference.authors.empty() ? std::string() : family_key(reference.authors.front());
    if (!family.empty()) keys.push_back("a" + family_year_key(family, *reference.year));
    // Without an author, the title: such an item resolves by title and year alone.
    else if (reference.title) keys.push_back("t" + family_year_key(title_key(*reference.title), *reference.year));
    return keys;
}

std::vector<std::string> citing_keys_of_work(const Work& work) {
    std::vector<std::string> keys;
    if (!work.doi.empty()) keys.push_back("d" + work.doi);
    if (work.year) {
        if (!work.family.empty()) keys.push_back("a" + family_year_key(work.family, *work.year));
        if (!work.title_key.empty()) keys.push_back("t" + family_year_key(work.title_key, *work.year));
    }
    return keys;
}

void CitationResolver::add(Work work) {
    const std::size_t index = works_.size();
    if (!work.doi.empty()) by_doi_[work.doi].push_back(index);
    if (!work.title_key.empty()) by_title_[work.title_key].push_back(index);
    if (!work.family.empty() && work.year) by_family_year_[family_year_key(work.family, *work.year)].push_back(index);
    works_.push_back(std::move(work));
}

std::vector<Work> CitationResolver::lookup(const Index& index, const std::string& key) const {
    std::vector<Work> out;
    if (const auto it = index.find(key); it != index.end())
        for (const std::size_t i : it->second) out.push_back(works_[i]);
    return out;
}

}  // namespace scholarsearch::graph
