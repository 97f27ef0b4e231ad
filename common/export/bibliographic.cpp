#include "export/bibliographic.hpp"

#include "parse/seed_format_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace scholarsearch::exporting {

namespace {

namespace seed = parse::seed;

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// The work type a format's own name for it means: RIS TY, BibTeX entry types, WoS document
/// types, Crossref and CSL type names, as they occur in `extra` and in JSON records.
std::optional<WorkType> type_named(std::string_view written) {
    static const std::array<std::pair<std::string_view, WorkType>, 52> names{{
        {"article", WorkType::article}, {"journal-article", WorkType::article}, {"article-journal", WorkType::article},
        {"jour", WorkType::article}, {"ejour", WorkType::article}, {"jfull", WorkType::article},
        {"mgzn", WorkType::article}, {"news", WorkType::article}, {"journal", WorkType::article},
        {"review", WorkType::article}, {"article-magazine", WorkType::article}, {"article-newspaper", WorkType::article},
        {"inproceedings", WorkType::conference_paper}, {"conference", WorkType::conference_paper},
        {"proceedings-article", WorkType::conference_paper}, {"paper-conference", WorkType::conference_paper},
        {"conf", WorkType::conference_paper}, {"cpaper", WorkType::conference_paper},
        {"proceedings paper", WorkType::conference_paper}, {"conference paper", WorkType::conference_paper},
        {"book", WorkType::book}, {"ebook", WorkType::book}, {"edbook", WorkType::book},
        {"monograph", WorkType::book}, {"edited-book", WorkType::book}, {"booklet", WorkType::book},
        {"incollection", WorkType::chapter}, {"inbook", WorkType::chapter}, {"chapter", WorkType::chapter},
        {"book-chapter", WorkType::chapter}, {"chap", WorkType::chapter}, {"echap", WorkType::chapter},
        {"book chapter", WorkType::chapter},
        {"phdthesis", WorkType::thesis}, {"mastersthesis", WorkType::thesis}, {"thesis", WorkType::thesis},
        {"dissertation", WorkType::thesis}, {"thes", WorkType::thesis},
        {"techreport", WorkType::report}, {"report", WorkType::report}, {"rprt", WorkType::report},
        {"unpublished", WorkType::preprint}, {"preprint", WorkType::preprint}, {"posted-content", WorkType::preprint},
        {"unpb", WorkType::preprint},
        {"dataset", WorkType::dataset}, {"data", WorkType::dataset},
        {"online", WorkType::webpage}, {"electronic", WorkType::webpage}, {"webpage", WorkType::webpage},
        {"elec", WorkType::webpage}, {"www", WorkType::webpage},
    }};
    const std::string key = lower_ascii(seed::trim(written));
    for (const auto& [name, type] : names)
        if (key == name) return type;
    return std::nullopt;
}

/// The seed format's 文献类型 ("期刊论文", "学位论文", "会议论文" ...).
std::optional<WorkType> chinese_type(std::string_view written) {
    auto has = [&](std::string_view part) { return written.find(part) != std::string_view::npos; };
    if (has("会议")) return WorkType::conference_paper;
    if (has("学位") || has("硕士") || has("博士")) return WorkType::thesis;
    if (has("报告")) return WorkType::report;
    if (has("图书") || has("专著")) return WorkType::book;
    if (has("期刊")) return WorkType::article;
    return std::nullopt;
}

bool is_arxiv(const record::Record& record) {
    const std::string id = lower_ascii(record.id.value_or(""));
    if (id.rfind("arxiv:", 0) == 0) return true;
    if (record.doi && lower_ascii(*record.doi).rfind("10.48550/", 0) == 0) return true;
    return record.venue && lower_ascii(*record.venue).rfind("arxiv", 0) == 0;
}

WorkType work_type(const record::Record& record, Origin origin) {
    std::optional<WorkType> type;
    switch (origin) {
        case Origin::ris:
            if (auto value = extra_value(record, "TY")) type = type_named(*value);
            break;
        case Origin::bibtex:
            if (auto value = extra_value(record, "type")) type = type_named(*value);
            break;
        case Origin::wos: {
            // DT says more than PT ("Proceedings Paper", "Book Chapter"); "Article; Proceedings
            // Paper" is both, and the conference is the venue.
            const std::string document_type = lower_ascii(extra_value(record, "DT").value_or(""));
            if (document_type.find("proceedings paper") != std::string::npos) type = WorkType::conference_paper;
            else if (document_type.find("book chapter") != std::string::npos) type = WorkType::chapter;
            else if (document_type == "book") type = WorkType::book;
            if (!type) {
                const std::string publication_type = extra_value(record, "PT").value_or("");
                if (publication_type == "J" || publication_type == "S") type = WorkType::article;
                else if (publication_type == "B") type = WorkType::book;
                else if (publication_type == "C") type = WorkType::conference_paper;
            }
            break;
        }
        case Origin::other:
            if (auto value = extra_value(record, "type")) type = type_named(*value);
            if (!type)
                if (auto value = extra_value(record, "文献类型")) type = chinese_type(*value);
            break;
    }
    if (type && *type != WorkType::other) return *type;
    if (is_arxiv(record)) return WorkType::preprint;
    if (origin == Origin::other && record.venue) return WorkType::article;
    return type.value_or(WorkType::other);
}

/// The first extra value among `labels`.
std::optional<std::string> first_of(const record::Record& record, std::initializer_list<std::string_view> labels) {
    for (std::string_view label : labels)
        if (auto value = extra_value(record, label)) return value;
    return std::nullopt;
}

struct DateParts {
    std::optional<int> year, month, day;
};

/// "Mar", "MAR", "March", "Sept": a month's name or a start of it of three letters or more.
std::optional<int> month_named(std::string_view word) {
    static constexpr std::array<std::string_view, 12> months{"january", "february", "march", "april", "may", "june",
                                                             "july", "august", "september", "october", "november", "december"};
    if (word.size() < 3) return std::nullopt;
    const std::string key = lower_ascii(word);
    for (std::size_t i = 0; i < months.size(); ++i)
        if (months[i].substr(0, key.size()) == key) return static_cast<int>(i) + 1;
    return std::nullopt;
}

/// "2019/05/12/", "2012-05-01", "2019年5月12日", "MAR 15 2020", "October", "10".
DateParts date_in(std::string_view text) {
    DateParts out;
    // Runs of digits and of letters, in order; anything else separates them.
    std::vector<std::string_view> tokens;
    for (std::size_t pos = 0; pos < text.size();) {
        const char c = text[pos];
        const bool digit = is_digit(c), letter = std::isalpha(static_cast<unsigned char>(c)) != 0;
        if (!digit && !letter) {
            ++pos;
            continue;
        }
        const std::size_t start = pos;
        while (pos < text.size() && (digit ? is_digit(text[pos]) : std::isalpha(static_cast<unsigned char>(text[pos])) != 0)) ++pos;
        tokens.push_back(text.substr(start, pos - start));
    }
    auto number = [](std::string_view token) {
        int value = 0;
        for (char c : token) value = value * 10 + (c - '0');
        return value;
    };
    std::size_t year_at = tokens.size();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i].size() == 4 && is_digit(tokens[i][0])) {
            const int year = number(tokens[i]);
            if (year >= 1000 && year <= 2999) {
                out.year = year;
                year_at = i;
                break;
            }
        }
    }
    // A month name anywhere ("MAR 15 2020", "October"), its day right after it.
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (is_digit(tokens[i][0])) continue;
        if (auto month = month_named(tokens[i])) {
            out.month = month;
            if (i + 1 < tokens.size() && i + 1 != year_at && tokens[i + 1].size() <= 2 && is_digit(tokens[i + 1][0])) {
                const int day = number(tokens[i + 1]);
                if (day >= 1 && day <= 31) out.day = day;
            }
            return out;
        }
    }
    // Numbers: month and day after the year ("2019/05/12"); a lone month number ("10").
    std::size_t at = year_at == tokens.size() ? 0 : year_at + 1;
    if (year_at == tokens.size() && tokens.size() != 1) return out;
    if (at < tokens.size() && tokens[at].size() <= 2 && is_digit(tokens[at][0])) {
        const int month = number(tokens[at]);
        if (month < 1 || month > 12) return out;
        out.month = month;
        if (++at < tokens.size() && tokens[at].size() <= 2 && is_digit(tokens[at][0])) {
            const int day = number(tokens[at]);
            if (day >= 1 && day <= 31) out.day = day;
        }
    }
    return out;
}

/// The month (and day) of the first of `labels` that has a date, if it is of the record's year.
void take_date(const record::Record& record, std::initializer_list<std::string_view> labels, Details& details) {
    for (std::string_view label : labels) {
        for (const std::string& value : extra_values(record, label)) {
            const DateParts date = date_in(value);
            if (!date.month) continue;
            if (date.year && date.year != record.year) continue;
            details.month = date.month;
            details.day = date.day;
            return;
        }
    }
}

bool looks_like_issn(std::string_view text) {
    const std::string_view value = seed::trim(text);
    if (value.size() != 9 || value[4] != '-') return false;
    for (std::size_t i = 0; i < 9; ++i) {
        if (i == 4) continue;
        if (!is_digit(value[i]) && !(i == 8 && (value[i] == 'X' || value[i] == 'x'))) return false;
    }
    return true;
}

// The pieces of `text` between the `separator`s found in `searched` (`text` itself, or a copy of
// the same length folded for the search), each with its spaces normalized; empty ones dropped.
std::vector<std::string> pieces_between(std::string_view text, std::string_view searched, std::string_view separator) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t found = searched.find(separator, start);
        const std::size_t end = found == std::string_view::npos ? text.size() : found;
        std::string piece = seed::normalize_space(text.substr(start, end - start));
        if (!piece.empty()) out.push_back(std::move(piece));
        if (found == std::string_view::npos) break;
        start = found + separator.size();
    }
    return out;
}

/// "Smith, J. and Lee, K." as BibTeX writes a list of names ("AND" too).
std::vector<std::string> split_at_and(std::string_view text) {
    const std::string lower = lower_ascii(text);
    return pieces_between(text, lower, " and ");
}

/// 卷期 as Chinese exports write it: "2019,38(3)", "38(3)", "第38卷第3期", "2019年第3期".
void take_volume_issue(std::string_view text, Details& details) {
    const std::size_t open = text.find('(');
    const std::size_t close = open == std::string_view::npos ? std::string_view::npos : text.find(')', open);
    auto digits_before = [&](std::size_t end) {
        std::size_t begin = end;
        while (begin > 0 && is_digit(text[begin - 1])) --begin;
        return text.substr(begin, end - begin);
    };
    if (close != std::string_view::npos) {
        const std::string_view volume = digits_before(open);
        const std::string issue(seed::trim(text.substr(open + 1, close - open - 1)));
        // "2019(3)": a year before the issue, not a volume.
        const bool year = volume.size() == 4 && (volume.substr(0, 2) == "19" || volume.substr(0, 2) == "20");
        if (!volume.empty() && !year) details.volume = std::string(volume);
        if (!issue.empty()) details.issue = issue;
        return;
    }
    if (const std::size_t volume_mark = text.find("卷"); volume_mark != std::string_view::npos) {
        const std::string_view volume = digits_before(volume_mark);
        if (!volume.empty()) details.volume = std::string(volume);
    }
    if (const std::size_t issue_mark = text.find("期"); issue_mark != std::string_view::npos) {
        const std::string_view issue = digits_before(issue_mark);
        if (!issue.empty()) details.issue = std::string(issue);
    }
}

}  // namespace

std::vector<std::string> value_lines(std::string_view value) { return pieces_between(value, value, "\n"); }

std::vector<std::string> extra_values(const record::Record& record, std::string_view label) {
    std::vector<std::string> out;
    for (const auto& [key, value] : record.extra) {
        if (key != label) continue;
        for (std::string& line : value_lines(value)) out.push_back(std::move(line));
    }
    return out;
}

std::optional<std::string> extra_value(const record::Record& record, std::string_view label) {
    std::vector<std::string> values = extra_values(record, label);
    if (values.empty()) return std::nullopt;
    return std::move(values.front());
}

Origin origin_of(const record::Record& record) {
    for (const auto& [label, value] : record.extra) {
        if (label == "TY") return Origin::ris;
        if (label == "PT") return Origin::wos;
    }
    if (!record.extra.empty() && record.extra.front().first == "type" && record.id) return Origin::bibtex;
    return Origin::other;
}

Details details_of(const record::Record& record) {
    Details details;
    details.origin = origin_of(record);
    details.type = work_type(record, details.origin);
    switch (details.origin) {
        case Origin::ris: {
            details.volume = extra_value(record, "VL");
            details.issue = extra_value(record, "IS");
            details.url = extra_value(record, "UR");
            details.publisher = extra_value(record, "PB");
            details.place = extra_value(record, "CY");
            for (const std::string& number : extra_values(record, "SN")) {
                if (looks_like_issn(number)) {
                    if (!details.issn) details.issn = number;
                } else if (!details.isbn) {
                    details.isbn = number;
                }
            }
            details.editors = extra_values(record, "ED");
            take_date(record, {"DA", "PY", "Y1"}, details);
            break;
        }
        case Origin::bibtex:
            details.volume = extra_value(record, "volume");
            details.issue = first_of(record, {"number", "issue"});
            details.url = extra_value(record, "url");
            details.publisher = extra_value(record, "publisher");
            details.place = first_of(record, {"address", "location"});
            details.issn = extra_value(record, "issn");
            details.isbn = extra_value(record, "isbn");
            if (auto editors = extra_value(record, "editor")) details.editors = split_at_and(*editors);
            take_date(record, {"date", "month"}, details);
            break;
        case Origin::wos:
            details.volume = extra_value(record, "VL");
            details.issue = extra_value(record, "IS");
            details.publisher = extra_value(record, "PU");
            details.place = extra_value(record, "PI");
            details.issn = first_of(record, {"SN", "EI"});
            details.isbn = extra_value(record, "BN");
            details.editors = extra_values(record, "BE");
            take_date(record, {"PD"}, details);
            break;
        case Origin::other:
            details.volume = extra_value(record, "volume");
            details.issue = first_of(record, {"issue", "number"});
            if (!details.volume && !details.issue)
                if (auto both = extra_value(record, "卷期")) take_volume_issue(*both, details);
            details.url = first_of(record, {"url", "link"});
            details.publisher = first_of(record, {"publisher", "出版社"});
            details.place = first_of(record, {"place", "address"});
            details.issn = extra_value(record, "issn");
            details.isbn = extra_value(record, "isbn");
            if (auto editors = first_of(record, {"editor", "editors"})) {
                const bool semicolons = editors->find(';') != std::string::npos;
                if (semicolons) {
                    for (std::string_view editor : seed::split_at(*editors, U";"))
                        if (auto name = seed::normalize_space(editor); !name.empty()) details.editors.push_back(name);
                } else {
                    details.editors = split_at_and(*editors);
                }
            }
            take_date(record, {"date", "published", "出版日期", "month"}, details);
            break;
    }
    return details;
}

}  // namespace scholarsearch::exporting
