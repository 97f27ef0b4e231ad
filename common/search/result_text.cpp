#include "search/result_text.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <regex>
#include <utility>

namespace scholarsearch::search {

namespace {

std::string strip_marks(std::string text) {
    static const std::regex tags("</?mark>");
    text = std::regex_replace(text, tags, "");
    for (auto [entity, plain] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
        for (std::size_t at; (at = text.find(entity)) != std::string::npos;) text.replace(at, std::strlen(entity), plain);
    }
    return text;
}

std::string terminal_text(const std::string& html, bool bold_marks) {
    std::string text = html;
    if (bold_marks) {
        for (std::size_t at; (at = text.find("<mark>")) != std::string::npos;) text.replace(at, 6, "\x1b[1m");
        for (std::size_t at; (at = text.find("</mark>")) != std::string::npos;) text.replace(at, 7, "\x1b[0m");
    }
    return strip_marks(text);
}

[[gnu::format(printf, 2, 3)]] void append(std::string& out, const char* format, ...) {
    va_list args, copy;
    va_start(args, format);
    va_copy(copy, args);
    const int length = std::vsnprintf(nullptr, 0, format, copy);
    va_end(copy);
    if (length > 0) {
        const std::size_t at = out.size();
        out.resize(at + static_cast<std::size_t>(length) + 1);
        std::vsnprintf(out.data() + at, static_cast<std::size_t>(length) + 1, format, args);
        out.pop_back();   // vsnprintf's NUL
    }
    va_end(args);
}

}  // namespace

std::string readable_text(const SearchResult& result, bool bold_marks) {
    std::string out;
    append(out, "%zu results (estimated; between %zu and %zu), %.1f ms\n", result.total_estimated,
           result.total_lower_bound, result.total_upper_bound, result.elapsed_ms);
    if (result.query_relaxed) out += "(the query's operators could not be parsed; searched its words)\n";
    if (result.corrected_query)
        append(out, "Showing results for: %s (no results for \"%s\")\n", result.corrected_query->c_str(),
               result.query.c_str());
    else if (result.spelling_suggestion)
        append(out, "Did you mean: %s\n", result.spelling_suggestion->c_str());
    for (const auto& hit : result.hits) {
        std::string authors;
        for (std::size_t i = 0; i < hit.authors.size() && i < 3; ++i) authors += (i ? "; " : "") + hit.authors[i];
        if (hit.authors.size() > 3) authors += "; et al.";
        append(out, "\n%3zu. [%.3f] %s%s\n", hit.rank, hit.score, hit.year ? (std::to_string(*hit.year) + " ").c_str() : "",
               terminal_text(hit.title_html.empty() ? hit.title : hit.title_html, bold_marks).c_str());
        append(out, "     id: %s%s%s\n", hit.id.c_str(), authors.empty() ? "" : "  by ", authors.c_str());
        if (!hit.snippet.empty()) append(out, "     %s\n", terminal_text(hit.snippet, bold_marks).c_str());
    }
    for (const auto& [name, values] : result.facets) {
        append(out, "\n%s:", name.c_str());
        for (const auto& value : values) append(out, "  %s (%zu)", value.value.c_str(), value.count);
        out += "\n";
    }
    if (result.walking) {
        if (result.next_cursor) append(out, "\nnext cursor: %s\n", result.next_cursor->c_str());
        else out += "\nend of the walk\n";
    }
    return out;
}

}  // namespace scholarsearch::search
