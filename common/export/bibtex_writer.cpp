#include "export/bibliographic.hpp"
#include "export/names.hpp"
#include "export/writers.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <set>
#include <vector>

namespace scholarsearch::exporting {

namespace {

std::string_view bibtex_type(WorkType type) {
    switch (type) {
        case WorkType::article: return "article";
        case WorkType::conference_paper: return "inproceedings";
        case WorkType::book: return "book";
        case WorkType::chapter: return "incollection";
        case WorkType::thesis: return "phdthesis";
        case WorkType::report: return "techreport";
        case WorkType::preprint:
        case WorkType::dataset:
        case WorkType::webpage:
        case WorkType::other: break;
    }
    return "misc";
}

/// Where the venue goes: our reader takes it back from `journal`, and from `booktitle` for these.
std::string_view venue_field(std::string_view entry_type) {
    if (entry_type == "inproceedings" || entry_type == "incollection" || entry_type == "conference") return "booktitle";
    if (entry_type == "phdthesis" || entry_type == "mastersthesis" || entry_type == "thesis") return "school";
    if (entry_type == "techreport" || entry_type == "report") return "institution";
    return "journal";
}

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_field_name(std::string_view name) {
    if (name.empty()) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
    });
}

/// Our reader takes these verbatim (braces dropped, nothing converted), as biblatex does.
bool is_verbatim_field(std::string_view name) {
    return name == "url" || name == "doi" || name == "eprint" || name == "file" || name == "pdf" || name == "biburl";
}

/// A verbatim value: no LaTeX escaping (a DOI's underscore stays an underscore), braces dropped
/// because nothing can keep them in such a field.
std::string verbatim_text(std::string_view value) {
    std::string out = one_line(value);
    out.erase(std::remove_if(out.begin(), out.end(), [](char c) { return c == '{' || c == '}'; }), out.end());
    return out;
}

/// A word with a capital after its first letter (ORCID, iPhone, McDonald, COVID-19) keeps its
/// case in styles that lower-case titles. `word` is escaped already; one with braces of its own
/// is left alone, so that groups never interleave.
bool needs_case_protection(std::string_view word) {
    if (word.find_first_of("{}") != std::string_view::npos) return false;
    for (std::size_t i = 1; i < word.size(); ++i)
        if (word[i] >= 'A' && word[i] <= 'Z') return true;
    return false;
}

std::string title_text(std::string_view title) {
    // Escaped whole first, so that braces pair up across words ("Set {A, B}").
    const std::string escaped = bibtex_text(title);
    std::string out;
    std::size_t start = 0;
    while (start < escaped.size()) {
        std::size_t end = escaped.find(' ', start);
        if (end == std::string::npos) end = escaped.size();
        const std::string_view word = std::string_view(escaped).substr(start, end - start);
        if (!out.empty()) out += ' ';
        if (needs_case_protection(word)) out.append("{").append(word).append("}");
        else out += word;
        start = end + 1;
    }
    return out;
}

/// BibTeX reads "Family, Jr., Given"; RIS and many exports write "Family, Given, Jr.", which
/// BibTeX would take as given name "Jr.". Such a name is written in BibTeX's order.
std::string bibtex_name_order(std::string_view name) {
    const PersonName parts = split_name(name);
    const std::size_t first_comma = name.find(',');
    if (parts.suffix.empty() || first_comma == std::string_view::npos) return std::string(name);
    const std::size_t second_comma = name.find(',', first_comma + 1);
    if (second_comma == std::string_view::npos) return std::string(name);
    const std::string_view middle = name.substr(first_comma + 1, second_comma - first_comma - 1);
    if (one_line(middle) == parts.suffix) return std::string(name);   // already "Family, Jr., Given"
    return parts.family + ", " + parts.suffix + ", " + parts.given;
}

/// A name of a name list ("A and B"): an " and " inside it, or the name "others", would be read
/// as a separator, so such a name is braced as one unit.
std::string list_item(std::string_view name) {
    std::string text = bibtex_text(name);
    const std::string lower = lower_ascii(text);
    if (lower.find(" and ") != std::string::npos || lower == "others") return "{" + text + "}";
    return text;
}

template <class Items, class Get>
std::string name_list(const Items& items, Get&& get) {
    std::string out;
    for (const auto& item : items) {
        std::string name = list_item(get(item));
        if (name.empty()) continue;
        if (!out.empty()) out += " and ";
        out += name;
    }
    return out;
}

/// Keywords joined with "; ". Our reader splits at semicolons, or at commas when there is none,
/// so a single keyword with a comma gets a trailing ';' and a keyword's own ';' becomes ','.
std::string keyword_list(const std::vector<std::string>& keywords) {
    std::string out;
    bool comma = false;
    for (const auto& keyword : keywords) {
        std::string text = one_line(keyword);
        for (std::size_t at; (at = text.find(';')) != std::string::npos;) text[at] = ',';
        for (std::size_t at; (at = text.find("；")) != std::string::npos;) text.replace(at, std::string_view("；").size(), "，");
        if (text.empty()) continue;
        comma = comma || text.find(',') != std::string::npos || text.find("，") != std::string::npos;
        if (!out.empty()) out += "; ";
        out += bibtex_text(text);
    }
    if (keywords.size() == 1 && comma) out += ";";
    return out;
}

constexpr std::array<std::string_view, 12> month_macros{"jan", "feb", "mar", "apr", "may", "jun",
                                                        "jul", "aug", "sep", "oct", "nov", "dec"};

}  // namespace

std::string bibtex_text(std::string_view text) {
    const std::string line = one_line(text);
    // Braces that pair up can be written \{ \}: BibTeX counts them anyway, so only a pair keeps
    // the entry balanced. A lone one is written as a command, which has no brace to count.
    std::vector<bool> paired(line.size(), false);
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '{') {
            open.push_back(i);
        } else if (line[i] == '}' && !open.empty()) {
            paired[open.back()] = paired[i] = true;
            open.pop_back();
        }
    }
    std::string out;
    out.reserve(line.size() + line.size() / 8);
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        const char next = i + 1 < line.size() ? line[i + 1] : '\0';
        switch (c) {
            case '\\': out += "\\textbackslash{}"; break;
            case '{': out += paired[i] ? "\\{" : "\\textbraceleft{}"; break;
            case '}': out += paired[i] ? "\\}" : "\\textbraceright{}"; break;
            case '$': case '&': case '%': case '#': case '_':
                out += '\\';
                out += c;
                break;
            case '~': out += "\\textasciitilde{}"; break;
            case '^': out += "\\textasciicircum{}"; break;
            case '`': out += "\\textasciigrave{}"; break;
            case '"': out += "{\"}"; break;   // babel makes " active in some languages
            case '-':
            case '\'':
                // "--" is an en dash and '' a closing quote in TeX: keep the characters apart.
                out += c;
                if (next == c) out += "{}";
                break;
            default: out += c;
        }
    }
    return out;
}

std::string bibtex_key(std::string_view id) {
    std::string key;
    for (const char c : id) {
        const auto byte = static_cast<unsigned char>(c);
        const bool bad = byte <= ' ' || byte == 0x7F || std::strchr(",{}()\"=%\\#~'&$^", c) != nullptr;
        key += bad ? '_' : c;
    }
    return key.empty() ? std::string("record") : key;
}

std::string bibtex_entry(const record::Record& record, const std::string& key) {
    const Details details = details_of(record);
    const bool from_bibtex = details.origin == Origin::bibtex;
    const std::string type = from_bibtex ? lower_ascii(extra_value(record, "type").value_or("misc"))
                                         : std::string(bibtex_type(details.type));
    std::string out = "@" + type + "{" + key + ",\n";
    std::set<std::string, std::less<>> written;
    auto field = [&](std::string_view name, const std::string& value) {
        if (value.empty() || written.count(name)) return;
        written.emplace(name);
        out.append("  ").append(name).append(" = {").append(value).append("},\n");
    };
    auto bare_field = [&](std::string_view name, std::string_view value) {
        written.emplace(name);
        out.append("  ").append(name).append(" = ").append(value).append(",\n");
    };
    field("author", name_list(record.authors, [](const record::Author& author) { return bibtex_name_order(author.name); }));
    if (!from_bibtex)
        field("editor", name_list(details.editors, [](const std::string& editor) { return bibtex_name_order(editor); }));
    field("title", title_text(record.title));
    if (record.venue) field(venue_field(type), bibtex_text(*record.venue));
    if (record.year) field("year", std::to_string(*record.year));
    if (!from_bibtex) {
        if (details.month) bare_field("month", month_macros[static_cast<std::size_t>(*details.month - 1)]);
        if (details.volume) field("volume", bibtex_text(*details.volume));
        if (details.issue) field("number", bibtex_text(*details.issue));
    }
    if (record.pages) {
        std::string pages = bibtex_text(record.pages->first.value_or(""));
        if (record.pages->last) pages += (pages.empty() ? "" : "--") + bibtex_text(*record.pages->last);
        field("pages", pages);
    }
    if (!from_bibtex) {
        if (details.publisher) field("publisher", bibtex_text(*details.publisher));
        if (details.place) field("address", bibtex_text(*details.place));
        if (details.issn) field("issn", bibtex_text(*details.issn));
        if (details.isbn) field("isbn", bibtex_text(*details.isbn));
    }
    if (record.doi) field("doi", verbatim_text(*record.doi));
    if (!from_bibtex) {
        if (details.url) field("url", verbatim_text(*details.url));
        if (details.type == WorkType::preprint && record.id && lower_ascii(*record.id).rfind("arxiv:", 0) == 0) {
            field("eprint", verbatim_text(record.id->substr(6)));
            field("archiveprefix", "arXiv");
        }
    }
    field("keywords", keyword_list(record.keywords));
    if (record.abstract) field("abstract", bibtex_text(*record.abstract));
    if (record.language) field("language", bibtex_text(*record.language));
    field("affiliation",
          name_list(record.affiliations, [](const record::Affiliation& affiliation) -> std::string_view { return affiliation.name; }));
    // A record read from BibTeX gets its other fields back as they were read (volume, number,
    // month, publisher, url, editor, note, ...), so our reader finds them again.
    if (from_bibtex) {
        bool type_seen = false;
        for (const auto& [label, value] : record.extra) {
            if (label == "type" && !type_seen) {
                type_seen = true;   // the entry type
                continue;
            }
            const std::string name = label == "type_field" ? "type" : label;
            if (!is_field_name(name)) continue;
            field(name, is_verbatim_field(name) ? verbatim_text(value) : bibtex_text(value));
        }
    }
    out.append("}\n");
    return out;
}

}  // namespace scholarsearch::exporting
