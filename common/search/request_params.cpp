#include "search/request_params.hpp"

#include "record/error.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace scholarsearch::search {

namespace {

constexpr std::array<std::pair<Facet, std::string_view>, 5> facet_names{{
    {Facet::year, "year"}, {Facet::venue, "venue"}, {Facet::keyword, "keyword"}, {Facet::author, "author"}, {Facet::clc, "clc"}}};

std::string valid_names() {
    std::string out;
    for (const auto& [facet, name] : facet_names) out.append(out.empty() ? "" : ", ").append(name);
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

std::optional<Facet> facet_named(std::string_view name) {
    for (const auto& [facet, known] : facet_names)
        if (known == name) return facet;
    return std::nullopt;
}

std::optional<bool> switch_word(std::string_view text) {
    if (text.empty() || text == "1" || text == "true" || text == "yes" || text == "on") return true;
    if (text == "0" || text == "false" || text == "no" || text == "off") return false;
    return std::nullopt;
}

// Splits on commas; calls `item` with each trimmed piece (empty pieces too).
template <class Fn>
void for_each_item(std::string_view text, Fn&& item) {
    for (;;) {
        const auto comma = text.find(',');
        item(trim(text.substr(0, comma)));
        if (comma == std::string_view::npos) return;
        text.remove_prefix(comma + 1);
    }
}

constexpr char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view bytes) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) out += base64url[(buffer >> (bits -= 6)) & 63];
    }
    if (bits > 0) out += base64url[(buffer << (6 - bits)) & 63];
    return out;
}

std::optional<std::string> decode(std::string_view text) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        const char* at = std::find(base64url, base64url + 64, c);
        if (at == base64url + 64) return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(at - base64url);
        bits += 6;
        if (bits >= 8) out += static_cast<char>((buffer >> (bits -= 8)) & 0xFF);
    }
    return out;
}

[[noreturn]] void bad_cursor(const std::string& why) {
    throw QueryError("bad cursor: " + why + "; start a walk with cursor=* and pass each answer's next_cursor");
}

// FNV-1a over length-prefixed fields, so that no two different requests feed it the same bytes.
class Fingerprint {
public:
    void add(std::string_view field) {
        const std::string length = std::to_string(field.size()) + ":";
        bytes(length);
        bytes(field);
    }
    void add(double value) {
        char text[32];
        std::snprintf(text, sizeof text, "%.17g", value);
        add(std::string_view(text));
    }
    void add(const std::vector<std::string>& values) {
        add(static_cast<double>(values.size()));
        for (const auto& value : values) add(std::string_view(value));
    }
    std::uint64_t value() const { return hash_; }

private:
    void bytes(std::string_view data) {
        for (unsigned char c : data) hash_ = (hash_ ^ c) * 0x100000001b3ULL;
    }
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

std::optional<int> year_named(std::string_view text) {
    int year = 0;
    if (text.empty() || text.size() > 4) return std::nullopt;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), year);
    if (error != std::errc() || end != text.data() + text.size() || year < 0) return std::nullopt;
    return year;
}

}  // namespace

SortOrder parse_sort(std::string_view name) {
    if (name.empty() || name == "relevance") return SortOrder::relevance;
    if (name == "year" || name == "year-desc") return SortOrder::year_desc;
    if (name == "year-asc") return SortOrder::year_asc;
    if (name == "cited-by" || name == "cited_by") return SortOrder::cited_by;
    if (name == "cited-by-in-collection" || name == "cited_by_in_collection") return SortOrder::cited_by_in_collection;
    throw QueryError("sort must be relevance, year, year-asc, cited-by or cited-by-in-collection");
}

void apply_parameters(const RequestParameters& parameters, SearchRequest& request) {
    request.query = parameters.query;
    request.sort = parse_sort(parameters.sort);
    if (!parameters.year.empty()) {
        const YearRange years = parse_year_range(parameters.year);
        request.year_from = years.from;
        request.year_to = years.to;
    }
    request.authors = parameters.authors;
    request.keywords = parameters.keywords;
    request.clc = parameters.clc;
    request.venues = parameters.venues;
    if (parameters.facets) request.facets = parse_facets(*parameters.facets);
    if (parameters.cursor) request.cursor = parse_cursor(*parameters.cursor);
}

YearRange parse_year_range(std::string_view text) {
    YearRange out;
    const auto dots = text.find("..");
    out.range = dots != std::string_view::npos;
    const std::string_view from = out.range ? text.substr(0, dots) : text;
    const std::string_view to = out.range ? text.substr(dots + 2) : std::string_view();
    if (!from.empty()) out.from = year_named(from);
    if (!to.empty()) out.to = year_named(to);
    if ((!from.empty() && !out.from) || (!to.empty() && !out.to) || (!out.from && !out.to))
        throw QueryError("year must be YEAR or FROM..TO, e.g. 2012, 2010..2012, 2010.. or ..2012");
    if (!out.range) out.to = out.from;
    return out;
}

std::string_view facet_name(Facet facet) {
    for (const auto& [known, name] : facet_names)
        if (known == facet) return name;
    return "?";
}

const std::vector<Facet>& all_facets() {
    static const std::vector<Facet> all{Facet::year, Facet::venue, Facet::keyword, Facet::author, Facet::clc};
    return all;
}

const std::vector<Facet>& default_facets() { return all_facets(); }

std::vector<Facet> parse_facets(std::string_view text) {
    text = trim(text);
    if (auto on = switch_word(text)) return *on ? default_facets() : std::vector<Facet>{};
    std::vector<Facet> out;
    for_each_item(text, [&](std::string_view name) {
        if (name.empty()) return;   // "year,,venue" and a trailing comma are harmless
        const auto facet = facet_named(name);
        if (!facet)
            throw QueryError("unknown facet \"" + std::string(text::utf8_prefix(name, 50)) + "\": facets are " + valid_names() +
                             " (comma-separated), or true/false");
        if (std::find(out.begin(), out.end(), *facet) == out.end()) out.push_back(*facet);
    });
    return out;
}

bool is_facet_list(std::string_view text) {
    bool any = false, all_known = true;
    for_each_item(text, [&](std::string_view name) {
        if (name.empty()) return;
        any = true;
        all_known = all_known && facet_named(name).has_value();
    });
    return any && all_known;
}

Cursor parse_cursor(std::string_view text) {
    if (text == "*") return {};
    if (text.empty()) bad_cursor("it is empty");
    if (text.size() > 400) bad_cursor("it is too long to be one");
    const auto payload = decode(text);
    if (!payload) bad_cursor("it is not one this server wrote");
    // "1 <generation> <offset> <fingerprint>": version 1, space-separated (a generation is
    // UUIDs, hex stamps, revisions, colons and commas, or a short hash: no spaces).
    std::vector<std::string_view> fields;
    std::string_view rest = *payload;
    for (std::size_t space; (space = rest.find(' ')) != std::string_view::npos; rest.remove_prefix(space + 1))
        fields.push_back(rest.substr(0, space));
    fields.push_back(rest);
    if (fields.size() != 4 || fields[0] != "1" || fields[1].empty()) bad_cursor("it is not one this server wrote");
    Cursor cursor;
    cursor.generation = std::string(fields[1]);
    auto number = [&](std::string_view field, auto& value, int base) {
        const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value, base);
        if (field.empty() || error != std::errc() || end != field.data() + field.size()) bad_cursor("it is damaged");
    };
    number(fields[2], cursor.offset, 10);
    number(fields[3], cursor.fingerprint, 16);
    return cursor;
}

std::string format_cursor(const Cursor& cursor) {
    char fingerprint[17];
    std::snprintf(fingerprint, sizeof fingerprint, "%016llx", static_cast<unsigned long long>(cursor.fingerprint));
    return encode("1 " + cursor.generation + " " + std::to_string(cursor.offset) + " " + fingerprint);
}

std::uint64_t walk_fingerprint(const SearchRequest& request) {
    Fingerprint f;
    f.add(std::string_view(request.query));
    f.add(static_cast<double>(static_cast<int>(request.sort)));
    f.add(request.year_from ? static_cast<double>(*request.year_from) : -1e9);
    f.add(request.year_to ? static_cast<double>(*request.year_to) : -1e9);
    f.add(request.authors);
    f.add(request.keywords);
    f.add(request.clc);
    f.add(request.venues);
    f.add(request.collapse_duplicates ? 1.0 : 0.0);
    f.add(request.spelling ? 1.0 : 0.0);
    const RankingOptions& r = request.ranking;
    for (double value : {r.bm25_k1, r.bm25_k2, r.bm25_k3, r.bm25_b, r.bm25_min_normlen, r.author_weight,
                         r.affiliation_weight, r.all_words_weight, r.cited_by_prior,
                         static_cast<double>(r.feedback_documents), static_cast<double>(r.feedback_terms),
                         r.feedback_weight})
        f.add(value);
    return f.value();
}

}  // namespace scholarsearch::search
