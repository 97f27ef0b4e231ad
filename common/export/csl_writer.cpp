#include "export/bibliographic.hpp"
#include "export/names.hpp"
#include "export/writers.hpp"

#include <boost/json.hpp>

namespace scholarsearch::exporting {

namespace json = boost::json;

namespace {

// CSL 1.0.2 item types (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types).
std::string_view csl_type(WorkType type) {
    switch (type) {
        case WorkType::article: return "article-journal";
        case WorkType::conference_paper: return "paper-conference";
        case WorkType::book: return "book";
        case WorkType::chapter: return "chapter";
        case WorkType::thesis: return "thesis";
        case WorkType::report: return "report";
        case WorkType::preprint: return "article";   // CSL's type for preprints and working papers
        case WorkType::dataset: return "dataset";
        case WorkType::webpage: return "webpage";
        case WorkType::other: break;
    }
    return "document";
}

json::object csl_name(std::string_view written) {
    const PersonName name = split_name(written);
    json::object out;
    if (!name.literal.empty()) {
        out["literal"] = name.literal;
        return out;
    }
    out["family"] = name.family;
    if (!name.given.empty()) out["given"] = name.given;
    if (!name.suffix.empty()) out["suffix"] = name.suffix;
    return out;
}

}  // namespace

json::object csl_item(const record::Record& record) {
    const Details details = details_of(record);
    json::object item;
    item["id"] = record.id.value_or(record::unique_id(record));
    item["type"] = csl_type(details.type);
    if (!record.title.empty()) item["title"] = one_line(record.title);
    auto names = [](const auto& list, auto&& get) {
        json::array out;
        for (const auto& entry : list)
            if (std::string_view text = get(entry); !text.empty()) out.emplace_back(csl_name(text));
        return out;
    };
    if (!record.authors.empty())
        item["author"] = names(record.authors, [](const record::Author& author) -> std::string_view { return author.name; });
    if (!details.editors.empty())
        item["editor"] = names(details.editors, [](const std::string& editor) -> std::string_view { return editor; });
    if (record.year) {
        json::array parts{*record.year};
        if (details.month) {
            parts.emplace_back(*details.month);
            if (details.day) parts.emplace_back(*details.day);
        }
        item["issued"] = json::object{{"date-parts", json::array{std::move(parts)}}};
    }
    if (record.venue) item["container-title"] = one_line(*record.venue);
    if (details.volume) item["volume"] = *details.volume;
    if (details.issue) item["issue"] = *details.issue;
    if (record.pages && (record.pages->first || record.pages->last)) {
        std::string pages = record.pages->first.value_or("");
        if (record.pages->last) pages += (pages.empty() ? "" : "-") + *record.pages->last;
        item["page"] = pages;
        if (record.pages->first) item["page-first"] = *record.pages->first;
    }
    if (record.page_count) item["number-of-pages"] = *record.page_count;
    if (record.doi) item["DOI"] = *record.doi;
    if (details.url) item["URL"] = *details.url;
    if (details.issn) item["ISSN"] = *details.issn;
    if (details.isbn) item["ISBN"] = *details.isbn;
    if (details.publisher) item["publisher"] = *details.publisher;
    if (details.place) item["publisher-place"] = *details.place;
    if (record.abstract) item["abstract"] = *record.abstract;
    if (!record.keywords.empty()) {
        std::string keywords;
        for (const auto& keyword : record.keywords) keywords += (keywords.empty() ? "" : ", ") + one_line(keyword);
        item["keyword"] = keywords;
    }
    if (record.language) item["language"] = *record.language;
    // What CSL has no variable for, in its free-form "custom" object (CSL-JSON 1.0.2).
    json::object custom;
    if (record.cited_by) custom["cited_by"] = *record.cited_by;
    if (!record.affiliations.empty()) {
        json::array affiliations;
        for (const auto& affiliation : record.affiliations) affiliations.emplace_back(affiliation.name);
        custom["affiliations"] = std::move(affiliations);
    }
    if (!record.clc.empty()) {
        json::array codes;
        for (const auto& code : record.clc) codes.emplace_back(code.code);
        custom["clc"] = std::move(codes);
    }
    if (!custom.empty()) item["custom"] = std::move(custom);
    return item;
}

}  // namespace scholarsearch::exporting
