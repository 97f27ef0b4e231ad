#include "graph/citation_resolver.hpp"

#include <unicode/normalizer2.h>
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
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    icu::UnicodeString source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    if (U_FAILURE(status)) return source.foldCase();
    icu::UnicodeString out = nfkc_cf->normalize(source, status);
    return U_SUCCESS(status) ? out : source.foldCase();
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

std::string family_year(const std::string& family, int year) { return family + "|" + std::to_string(year); }

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

void CitationResolver::add(const record::Record& record) {
    Work work;
    work.id = record::unique_id(record);
    work.year = record::effective_year(record);
    work.title_key = title_key(record.title);
    if (!record.authors.empty()) work.family = family_key(record.authors.front().name);
    if (record.pages && record.pages->first) work.first_page = *record.pages->first;
    if (record.doi) work.doi = record::normalized_doi(*record.doi);
    const std::size_t index = works_.size();
    if (!work.doi.empty()) by_doi_[work.doi].push_back(index);
    if (!work.title_key.empty()) by_title_[work.title_key].push_back(index);
    if (!work.family.empty() && work.year) by_family_year_[family_year(work.family, *work.year)].push_back(index);
    works_.push_back(std::move(work));
}

std::optional<Resolution> CitationResolver::resolve(const record::Reference& reference) const {
    const std::string doi = doi_in(reference.text).value_or(std::string());
    if (!doi.empty()) {
        if (const auto it = by_doi_.find(doi); it != by_doi_.end() && it->second.size() == 1)
            return Resolution{works_[it->second.front()].id, Rule::doi};
    }
    Rule rule = reference.title ? Rule::title : Rule::author_year_page;
    std::optional<std::size_t> found = reference.title ? by_title(reference) : by_author_year_page(reference);
    if (!found && reference.title) {
        found = by_title_with_typos(reference);
        rule = Rule::title_with_typos;
    }
    if (!found) return std::nullopt;
    // A record with another DOI than the reference's is another paper, however alike the rest.
    if (!doi.empty() && !works_[*found].doi.empty() && works_[*found].doi != doi) return std::nullopt;
    return Resolution{works_[*found].id, rule};
}

std::optional<std::size_t> CitationResolver::by_title(const record::Reference& reference) const {
    const std::string key = title_key(*reference.title);
    const auto it = by_title_.find(key);
    if (it == by_title_.end() || !reference.year) return std::nullopt;
    const std::string family = reference.authors.empty() ? std::string() : family_key(reference.authors.front());
    const bool short_title = is_short_title(key);
    std::optional<std::size_t> match;
    for (const std::size_t index : it->second) {
        const Work& work = works_[index];
        if (work.year != reference.year) continue;
        if (!family.empty() && !work.family.empty() && family != work.family) continue;
        if (short_title && (family.empty() || work.family.empty())) continue;
        if (match) return std::nullopt;  // two records fit: neither
        match = index;
    }
    return match;
}

std::optional<std::size_t> CitationResolver::by_title_with_typos(const record::Reference& reference) const {
    if (!reference.year || reference.authors.empty()) return std::nullopt;
    const std::string family = family_key(reference.authors.front());
    const auto it = by_family_year_.find(family_year(family, *reference.year));
    if (it == by_family_year_.end()) return std::nullopt;
    const std::string key = title_key(*reference.title);
    if (is_short_title(key)) return std::nullopt;
    std::optional<std::size_t> match;
    for (const std::size_t index : it->second) {
        const Work& work = works_[index];
        if (!differ_by_typos(key, work.title_key)) continue;
        if (match) return std::nullopt;
        match = index;
    }
    return match;
}

std::optional<std::size_t> CitationResolver::by_author_year_page(const record::Reference& reference) const {
    if (!reference.year || reference.authors.empty()) return std::nullopt;
    const std::string page = cr_first_page(reference.text);
    if (page.empty()) return std::nullopt;
    const auto it = by_family_year_.find(family_year(family_key(reference.authors.front()), *reference.year));
    if (it == by_family_year_.end()) return std::nullopt;
    std::optional<std::size_t> match;
    for (const std::size_t index : it->second) {
        const Work& work = works_[index];
        if (work.first_page != page) continue;
        if (match) return std::nullopt;
        match = index;
    }
    return match;
}

}  // namespace scholarsearch::graph
