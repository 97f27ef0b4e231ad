#include "record/record.hpp"

#include <algorithm>
#include <cctype>

namespace scholarsearch::record {

std::string format_diagnostic(const Diagnostic& diagnostic) {
    std::string out = diagnostic.file;
    if (diagnostic.line > 0) out += ":" + std::to_string(diagnostic.line);
    out += diagnostic.warning ? ": warning: " : ": error: ";
    out += diagnostic.message.empty() ? diagnostic.code : diagnostic.message;
    return out;
}

namespace {

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && ascii_lower(text.substr(0, prefix.size())) == prefix;
}

std::string_view trim_ascii(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

std::string base_name(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

const std::string* extra_value(const Record& record, std::string_view label) {
    for (const auto& [key, value] : record.extra)
        if (key == label) return &value;
    return nullptr;
}

}  // namespace

constexpr std::string_view doi_url_prefixes[] = {"https://doi.org/",     "http://doi.org/",
                                                 "https://dx.doi.org/",  "http://dx.doi.org/",
                                                 "https://www.doi.org/", "http://www.doi.org/"};

std::string_view doi_of_url(std::string_view url) {
    url = trim_ascii(url);
    for (auto prefix : doi_url_prefixes)
        if (starts_with_ci(url, prefix)) return trim_ascii(url.substr(prefix.size()));
    return {};
}

std::string_view doi_without_prefix(std::string_view doi) {
    std::string_view rest = trim_ascii(doi);
    for (bool stripped = true; stripped;) {
        stripped = false;
        for (std::string_view prefix : doi_url_prefixes) {
            if (starts_with_ci(rest, prefix)) {
                rest = trim_ascii(rest.substr(prefix.size()));
                stripped = true;
            }
        }
        if (starts_with_ci(rest, "doi:")) {
            rest = trim_ascii(rest.substr(4));
            stripped = true;
        }
    }
    return rest;
}

std::string normalized_doi(std::string_view doi) { return ascii_lower(doi_without_prefix(doi)); }

std::optional<int> year_in(std::string_view text) {
    auto digit = [&](std::size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
    for (std::size_t i = 0; i < text.size();) {
        if (!digit(i)) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (digit(end)) ++end;
        if (end - i == 4) {
            const int year = (text[i] - '0') * 1000 + (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
            if (year >= 1000 && year <= 2999) return year;
        }
        i = end;
    }
    return std::nullopt;
}

std::string unique_id(const Record& record) {
    if (record.id && !record.id->empty()) return *record.id;
    if (record.doi) {
        std::string doi = normalized_doi(*record.doi);
        if (!doi.empty()) return doi;
    }
    return base_name(record.source.file) + "#" + std::to_string(record.source.index);
}

std::optional<int> effective_year(const Record& record) {
    if (record.year) return record.year;
    for (std::string_view label : {"年份", "出版年", "出版日期"}) {
        const std::string* value = extra_value(record, label);
        if (!value) continue;
        if (auto year = year_in(*value)) return year;
    }
    return std::nullopt;
}

std::optional<std::string> effective_venue(const Record& record) {
    if (record.venue && !record.venue->empty()) return record.venue;
    for (std::string_view label : {"来源", "期刊"}) {
        const std::string* value = extra_value(record, label);
        if (value && !value->empty()) {
            auto newline = value->find('\n');
            return value->substr(0, newline);
        }
    }
    return std::nullopt;
}

ExtraBuilder::ExtraBuilder(Record& record) : record_(record) {
    for (std::size_t i = 0; i < record.extra.size(); ++i) positions_.try_emplace(record.extra[i].first, i);
}

void ExtraBuilder::add(std::string label, std::string value) {
    const auto [found, inserted] = positions_.try_emplace(label, record_.extra.size());
    if (!inserted) {
        std::string& existing = record_.extra[found->second].second;
        existing += '\n';
        existing += value;
        return;
    }
    record_.extra.emplace_back(std::move(label), std::move(value));
}

}  // namespace scholarsearch::record
