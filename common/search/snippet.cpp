#include "search/snippet.hpp"

#include "text/utf8.hpp"

#include <algorithm>

namespace scholarsearch::search {

HighlightTerms highlight_terms(analysis::Analyzer& analyzer, const std::vector<std::string>& query_words) {
    HighlightTerms out;
    std::vector<analysis::Token> tokens;
    for (const auto& word : query_words) {
        tokens.clear();
        analyzer.analyze(word, tokens);
        for (const auto& token : tokens) {
            out.terms.insert(token.term);
            if (!token.stem.empty()) out.stems.insert(token.stem);
        }
    }
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

namespace {

struct Range {
    std::size_t begin, end;
};

using text::char_boundary;

}  // namespace

std::string make_snippet(analysis::Analyzer& analyzer, std::string_view text, const HighlightTerms& terms,
                         std::size_t max_bytes) {
    std::vector<Range> marks;
    if (!terms.empty()) {
        std::vector<analysis::Token> tokens;
        analyzer.analyze(text, tokens);
        for (const auto& token : tokens) {
            const bool hit = terms.terms.count(token.term) || (!token.stem.empty() && terms.stems.count(token.stem));
            if (!hit) continue;
            // Overlapping bigrams of one CJK word become one mark.
            if (!marks.empty() && token.byte_begin <= marks.back().end)
                marks.back().end = std::max<std::size_t>(marks.back().end, token.byte_end);
            else
                marks.push_back({token.byte_begin, token.byte_end});
        }
    }

    std::size_t begin = 0, end = text.size();
    if (text.size() > max_bytes) {
        // The window start (at a mark) that covers the most marks.
        std::size_t best_count = 0;
        for (std::size_t i = 0; i < marks.size(); ++i) {
            std::size_t count = 0;
            for (std::size_t j = i; j < marks.size() && marks[j].end <= marks[i].begin + max_bytes; ++j) ++count;
            if (count > best_count) {
                best_count = count;
                begin = marks[i].begin;
            }
        }
        // Some context before the first mark, starting at a word boundary where possible.
        if (begin > 0) {
            std::size_t context = std::min<std::size_t>(begin, max_bytes / 5);
            std::size_t start = begin - context;
            auto space = text.find(' ', start);
            begin = (space != std::string_view::npos && space < begin) ? space + 1 : char_boundary(text, start);
        }
        end = char_boundary(text, std::min(text.size(), begin + max_bytes));
        if (end < text.size()) {
            auto space = text.rfind(' ', end);
            if (space != std::string_view::npos && space > begin + max_bytes / 2) end = space;
        }
    }

    std::string out;
    if (begin > 0) out += "…";
    std::size_t at = begin;
    for (const auto& mark : marks) {
        if (mark.end <= begin || mark.begin >= end) continue;
        const std::size_t mark_begin = std::max(mark.begin, begin), mark_end = std::min(mark.end, end);
        out += html_escape(text.substr(at, mark_begin - at));
        out += "<mark>";
        out += html_escape(text.substr(mark_begin, mark_end - mark_begin));
        out += "</mark>";
        at = mark_end;
    }
    out += html_escape(text.substr(at, end - at));
    if (end < text.size()) out += "…";
    return out;
}

}  // namespace scholarsearch::search
