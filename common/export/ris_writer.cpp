#include "export/bibliographic.hpp"
#include "export/writers.hpp"

#include <string>

namespace scholarsearch::exporting {

namespace {

std::string_view ris_type(WorkType type) {
    switch (type) {
        case WorkType::article: return "JOUR";
        case WorkType::conference_paper: return "CONF";
        case WorkType::book: return "BOOK";
        case WorkType::chapter: return "CHAP";
        case WorkType::thesis: return "THES";
        case WorkType::report: return "RPRT";
        case WorkType::preprint: return "UNPB";
        case WorkType::dataset: return "DATA";
        case WorkType::webpage: return "ELEC";
        case WorkType::other: break;
    }
    return "GEN";
}

/// A tag our RIS reader (and RIS) knows: two characters [A-Z][A-Z0-9].
bool is_ris_tag(std::string_view label) {
    auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    return label.size() == 2 && upper(label[0]) && (upper(label[1]) || (label[1] >= '0' && label[1] <= '9'));
}

/// Keywords are split at semicolons when read back: one keyword must not hold one.
std::string keyword_value(std::string_view keyword) {
    std::string out = one_line(keyword);
    for (std::size_t at; (at = out.find(';')) != std::string::npos;) out[at] = ',';
    for (std::size_t at; (at = out.find("；")) != std::string::npos;) out.replace(at, std::string_view("；").size(), "，");
    return out;
}

std::string two_digits(int number) { return (number < 10 ? "0" : "") + std::to_string(number); }

}  // namespace

std::string ris_record(const record::Record& record) {
    const Details details = details_of(record);
    const bool from_ris = details.origin == Origin::ris;
    std::string out;
    auto line = [&](std::string_view tag, std::string_view value) {
        const std::string text = one_line(value);
        if (text.empty()) return;
        out.append(tag).append("  - ").append(text).append("\r\n");
    };
    // A record read from RIS keeps its own tags (type, dates, volume, publisher ...) as they were:
    // they are written back from `extra` below, so the reader finds what it read the first time.
    line("TY", from_ris ? extra_value(record, "TY").value_or("GEN") : std::string(ris_type(details.type)));
    line("ID", record.id.value_or(record::unique_id(record)));
    line("TI", record.title);
    for (const auto& author : record.authors) line("AU", author.name);
    for (const auto& affiliation : record.affiliations) line("AD", affiliation.name);
    const bool has_raw_dates = from_ris && (extra_value(record, "PY") || extra_value(record, "Y1") || extra_value(record, "DA"));
    if (record.year && !has_raw_dates) {
        line("PY", std::to_string(*record.year));
        if (details.month)
            line("DA", std::to_string(*record.year) + "/" + two_digits(*details.month) + "/" +
                           (details.day ? two_digits(*details.day) : "") + "/");
    }
    if (record.venue) line("T2", *record.venue);
    if (!from_ris) {
        if (details.volume) line("VL", *details.volume);
        if (details.issue) line("IS", *details.issue);
    }
    if (record.pages) {
        if (record.pages->first) line("SP", *record.pages->first);
        if (record.pages->last) line("EP", *record.pages->last);
    }
    if (record.doi) line("DO", *record.doi);
    if (!from_ris) {
        if (details.url) line("UR", *details.url);
        if (details.publisher) line("PB", *details.publisher);
        if (details.place) line("CY", *details.place);
        if (details.issn) line("SN", *details.issn);
        if (details.isbn) line("SN", *details.isbn);
        for (const auto& editor : details.editors) line("ED", editor);
    }
    for (const auto& keyword : record.keywords) line("KW", keyword_value(keyword));
    if (record.abstract) line("AB", *record.abstract);
    if (record.language) line("LA", *record.language);
    if (from_ris) {
        for (const auto& [label, value] : record.extra) {
            if (label == "TY" || !is_ris_tag(label)) continue;
            for (const std::string& each : value_lines(value)) line(label, each);
        }
    }
    out.append("ER  - \r\n");
    return out;
}

}  // namespace scholarsearch::exporting
