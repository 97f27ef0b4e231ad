#include "search/query_text.hpp"

#include "record/record.hpp"

#include <algorithm>
#include <cctype>

namespace scholarsearch::search {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && lower(text.substr(0, prefix.size())) == prefix;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// `min` to `max` digits from `at`: the position after them, or npos when there are fewer.
std::size_t digits(std::string_view text, std::size_t at, std::size_t min, std::size_t max) {
    std::size_t end = at;
    while (end < text.size() && is_digit(text[end]) && end - at < max) ++end;
    return end - at >= min ? end : std::string_view::npos;
}

// "v2" at the end of an arXiv id.
bool is_version(std::string_view rest) {
    return rest.empty() ||
           (rest.size() >= 2 && rest[0] == 'v' && digits(rest, 1, 1, 4) == rest.size());
}

// A DOI as the indexer stores it: "10." registrant "/" suffix.
bool is_doi(std::string_view doi) {
    if (doi.substr(0, 3) != "10.") return false;
    const std::size_t slash = doi.find('/');
    if (slash == std::string_view::npos || slash < 4 || slash + 1 >= doi.size()) return false;
    return std::all_of(doi.begin() + 3, doi.begin() + static_cast<std::ptrdiff_t>(slash),
                       [](char c) { return is_digit(c) || c == '.'; });
}

// The arXiv id of `token` without URL or "arXiv:" prefix, or "" when it is none:
// 2103.00020, 2103.00020v2, cond-mat/9909265, math.GT/0309136v1.
std::string_view arxiv_id(std::string_view token) {
    for (std::string_view scheme : {"https://", "http://"})
        if (starts_with_ci(token, scheme)) token.remove_prefix(scheme.size());
    if (starts_with_ci(token, "www.")) token.remove_prefix(4);
    bool url = false;
    for (std::string_view path : {"arxiv.org/abs/", "arxiv.org/pdf/"}) {
        if (starts_with_ci(token, path)) {
            token.remove_prefix(path.size());
            url = true;
        }
    }
    if (!url && starts_with_ci(token, "arxiv:")) token.remove_prefix(6);
    if (url && token.size() > 4 && lower(token.substr(token.size() - 4)) == ".pdf") token.remove_suffix(4);
    // New style (2007 on): YYMM.NNNN or YYMM.NNNNN.
    if (std::size_t dot = digits(token, 0, 4, 4); dot == 4 && dot < token.size() && token[dot] == '.') {
        const std::size_t end = digits(token, 5, 4, 5);
        if (end != std::string_view::npos && is_version(token.substr(end))) return token;
    }
    // Old style: archive[.SUBJECT]/YYMMNNN.
    const std::size_t slash = token.find('/');
    if (slash == std::string_view::npos || slash == 0) return {};
    const std::string_view archive = token.substr(0, slash);
    const std::size_t subject = archive.find('.');
    const std::string_view name = archive.substr(0, subject);
    if (!std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; })) return {};
    if (subject != std::string_view::npos) {
        const std::string_view code = archive.substr(subject + 1);
        if (code.size() != 2 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            return {};
    }
    const std::size_t end = digits(token, slash + 1, 7, 7);
    if (end == std::string_view::npos || !is_version(token.substr(end))) return {};
    return token;
}

std::string_view without_version(std::string_view id) {
    const std::size_t v = id.rfind('v');
    if (v == std::string_view::npos || v == 0 || !is_digit(id[v - 1]) || !is_version(id.substr(v))) return id;
    return id.substr(0, v);
}

void add_candidates(std::string_view token, std::vector<IdentifierCandidate>& out) {
    auto add = [&](IdentifierCandidate::Kind kind, std::string value) {
        for (const auto& existing : out)
            if (existing.kind == kind && existing.value == value) return;
        out.push_back({kind, std::move(value)});
    };
    if (const std::string_view doi = record::doi_without_prefix(token); is_doi(doi))
        add(IdentifierCandidate::Kind::doi, record::normalized_doi(doi));
    if (const std::string_view arxiv = arxiv_id(token); !arxiv.empty()) {
        const std::string_view base = without_version(arxiv);
        add(IdentifierCandidate::Kind::record_id, "arxiv:" + std::string(base));
        if (base.size() != arxiv.size()) add(IdentifierCandidate::Kind::record_id, "arxiv:" + std::string(arxiv));
        // arXiv's own DOIs (2022 on), in case the corpus keys records by DOI.
        add(IdentifierCandidate::Kind::doi, "10.48550/arxiv." + lower(base));
    }
    // Plain words are never taken for record ids: an id that is a word would hijack rank 1.
    if (std::any_of(token.begin(), token.end(), [](char c) { return is_digit(c) || c == ':'; }))
        add(IdentifierCandidate::Kind::record_id, std::string(token));
}

struct Token {
    std::size_t begin, end;
    std::string_view text;
    bool eligible;
};

}  // namespace

bool is_boolean_operator(std::string_view word) {
    return word == "AND" || word == "OR" || word == "NOT" || word == "XOR";
}

std::vector<IdentifierToken> find_identifiers(std::string_view text) {
    std::vector<Token> tokens;
    bool in_quote = false;
    int depth = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        if (text[pos] == ' ') {
            ++pos;
            continue;
        }
        const std::size_t begin = pos;
        const bool outside = !in_quote && depth == 0;
        int brackets = 0;
        bool quoted = false;
        while (pos < text.size() && (text[pos] != ' ' || in_quote)) {
            const char c = text[pos++];
            if (c == '"') {
                in_quote = !in_quote;
                quoted = true;
            } else if (!in_quote && c == '(') {
                ++brackets;
            } else if (!in_quote && c == ')') {
                --brackets;
            }
        }
        depth = std::max(0, depth + brackets);
        const std::string_view word = text.substr(begin, pos - begin);
        // Brackets inside a DOI (10.1016/0000(90)x) are part of it; unbalanced ones are syntax.
        const bool eligible = outside && !quoted && brackets == 0 && word[0] != '(' && word[0] != '+' && word[0] != '-';
        tokens.push_back({begin, pos, word, eligible});
    }
    std::vector<IdentifierToken> out;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!tokens[i].eligible) continue;
        std::size_t last = i;
        std::string joined(tokens[i].text);
        // "DOI: 10.1016/..." as copied from a reference list.
        const std::string label = lower(tokens[i].text);
        if ((label == "doi:" || label == "arxiv:") && i + 1 < tokens.size() && tokens[i + 1].eligible) {
            last = i + 1;
            joined += tokens[last].text;
        }
        const bool beside_operator = (i > 0 && is_boolean_operator(tokens[i - 1].text)) ||
                                     (last + 1 < tokens.size() && is_boolean_operator(tokens[last + 1].text));
        if (beside_operator) continue;
        IdentifierToken token{tokens[i].begin, tokens[last].end, {}};
        add_candidates(joined, token.candidates);
        // A trailing full stop or comma is the sentence's, not the identifier's.
        std::string_view trimmed = joined;
        while (!trimmed.empty() && (trimmed.back() == '.' || trimmed.back() == ',' || trimmed.back() == ';'))
            trimmed.remove_suffix(1);
        if (trimmed.size() != joined.size() && !trimmed.empty()) add_candidates(trimmed, token.candidates);
        if (!token.candidates.empty()) out.push_back(std::move(token));
        i = last;
    }
    return out;
}

std::vector<CorrectableWord> correctable_words(std::string_view text,
                                               const std::vector<std::pair<std::size_t, std::size_t>>& spans) {
    std::vector<CorrectableWord> out;
    for (auto [begin, end] : spans) {
        end = std::min(end, text.size());
        for (std::size_t pos = begin; pos < end;) {
            if (!is_alpha(text[pos]) && !is_digit(text[pos])) {
                ++pos;
                continue;
            }
            const std::size_t start = pos;
            while (pos < end && (is_alpha(text[pos]) || is_digit(text[pos]))) ++pos;
            // Touching a non-ASCII letter ("café", "learning模型"): part of a word the
            // dictionary does not hold, so never "corrected".
            const bool glued = (start > 0 && static_cast<unsigned char>(text[start - 1]) >= 0x80) ||
                               (pos < text.size() && static_cast<unsigned char>(text[pos]) >= 0x80);
            const std::string_view word = text.substr(start, pos - start);
            if (glued || word.size() < 3 || !std::all_of(word.begin(), word.end(), is_alpha)) continue;
            out.push_back({start, pos, lower(word)});
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.begin < b.begin; });
    out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.begin == b.begin; }), out.end());
    return out;
}

std::string replace_words(std::string_view text, const std::vector<CorrectableWord>& words,
                          const std::map<std::string, std::string>& replacements) {
    std::string out;
    std::size_t copied = 0;
    for (const auto& word : words) {
        const auto found = replacements.find(word.word);
        if (found == replacements.end() || word.begin < copied) continue;
        out.append(text.substr(copied, word.begin - copied));
        out += found->second;
        copied = word.end;
    }
    out.append(text.substr(copied));
    return out;
}

}  // namespace scholarsearch::search
