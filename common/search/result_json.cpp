#include "search/result_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace scholarsearch::search {

namespace json = boost::json;

namespace {

template <class T>
json::value optional_value(const std::optional<T>& value) {
    return value ? json::value(*value) : json::value(nullptr);
}

json::array strings(const std::vector<std::string>& values) {
    json::array out;
    for (const auto& value : values) out.emplace_back(value);
    return out;
}

std::string plain_number(double number) {
    constexpr int significant = 6;
    if (!std::isfinite(number)) return "null";   // JSON has no NaN or infinity
    if (number == 0) return "0";
    const int exponent = static_cast<int>(std::floor(std::log10(std::fabs(number))));
    const int decimals = std::max(0, significant - 1 - exponent);
    char buffer[512];
    const int length = std::snprintf(buffer, sizeof buffer, "%.*f", decimals, number);
    if (length <= 0 || static_cast<std::size_t>(length) >= sizeof buffer) return json::serialize(json::value(number));
    std::string text(buffer, static_cast<std::size_t>(length));
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    if (text == "-0") text = "0";
    return text;
}

// "[a,b]" / "{a,b}": the items between `open` and `close`, a comma between two.
template <class Items, class WriteItem>
void write_joined(std::string& out, char open, char close, const Items& items, WriteItem&& write_item) {
    out += open;
    bool first = true;
    for (const auto& item : items) {
        if (!first) out += ',';
        first = false;
        write_item(item);
    }
    out += close;
}

void write_value(const json::value& value, std::string& out) {
    switch (value.kind()) {
        case json::kind::double_: out += plain_number(value.get_double()); return;
        case json::kind::array:
            write_joined(out, '[', ']', value.get_array(), [&](const json::value& item) { write_value(item, out); });
            return;
        case json::kind::object:
            write_joined(out, '{', '}', value.get_object(), [&](const json::key_value_pair& item) {
                out += json::serialize(json::string_view(item.key()));
                out += ':';
                write_value(item.value(), out);
            });
            return;
        default: out += json::serialize(value); return;
    }
}

}  // namespace

std::string serialize(const json::value& value) {
    std::string out;
    write_value(value, out);
    return out;
}

std::string serialize(const SearchResult& result) { return search::serialize(json::value(to_json(result))); }

json::object to_json(const Hit& hit) {
    json::object out{{"rank", hit.rank},
                     {"id", hit.id},
                     {"score", hit.score},
                     {"doi", optional_value(hit.doi)},
                     {"title", hit.title},
                     {"authors", strings(hit.authors)},
                     {"year", optional_value(hit.year)},
                     {"venue", optional_value(hit.venue)},
                     {"cited_by", optional_value(hit.cited_by)},
                     {"cited_by_in_collection", hit.cited_by_in_collection},
                     {"keywords", strings(hit.keywords)},
                     {"identified", hit.identified}};
    if (!hit.title_html.empty() || !hit.snippet.empty()) {
        out["title_html"] = hit.title_html;
        out["snippet"] = hit.snippet;
    }
    return out;
}

json::object to_json(const std::string& id, const std::vector<ReferenceLink>& links) {
    json::array references;
    std::size_t resolved = 0;
    for (const auto& link : links) {
        const auto& reference = link.reference;
        json::value cited = nullptr;
        if (link.id) {
            ++resolved;
            cited = json::object{{"id", *link.id}, {"title", optional_value(link.title)}, {"matched_by", optional_value(link.rule)}};
        }
        references.emplace_back(json::object{{"n", reference.n},
                                             {"text", reference.text},
                                             {"title", optional_value(reference.title)},
                                             {"authors", strings(reference.authors)},
                                             {"venue", optional_value(reference.venue)},
                                             {"year", optional_value(reference.year)},
                                             {"cited", std::move(cited)}});
    }
    return json::object{{"id", id}, {"resolved", resolved}, {"references", std::move(references)}};
}

json::object to_json(const SearchResult& result) {
    json::array hits;
    for (const auto& hit : result.hits) hits.emplace_back(to_json(hit));
    json::object out{{"query", result.query},
                      {"total", json::object{{"estimated", result.total_estimated},
                                             {"lower_bound", result.total_lower_bound},
                                             {"upper_bound", result.total_upper_bound}}},
                      {"offset", result.offset},
                      {"size", result.size},
                      {"hits", std::move(hits)}};
    if (!result.facets.empty()) {
        json::object facets;
        for (const auto& [name, values] : result.facets) {
            json::array items;
            for (const auto& value : values) items.emplace_back(json::object{{"value", value.value}, {"count", value.count}});
            facets[name] = std::move(items);
        }
        out["facets"] = std::move(facets);
        out["facets_counted"] = result.facets_counted;
        out["facets_exact"] = result.facets_exact;
    }
    if (result.walking) out["next_cursor"] = optional_value(result.next_cursor);
    out["spelling_suggestion"] = optional_value(result.spelling_suggestion);
    out["corrected_query"] = optional_value(result.corrected_query);
    out["query_relaxed"] = result.query_relaxed;
    out["partial"] = !result.missing_shards.empty();
    if (!result.missing_shards.empty()) {
        json::array missing;
        for (const auto& shard : result.missing_shards) missing.emplace_back(shard);
        out["missing_shards"] = std::move(missing);
    }
    out["elapsed_ms"] = result.elapsed_ms;
    return out;
}

}  // namespace scholarsearch::search
