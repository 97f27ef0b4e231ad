#include "record/record_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace scholarsearch::record {

namespace json = boost::json;

namespace {

json::value optional_string(const std::optional<std::string>& value) {
    return value ? json::value(*value) : json::value(nullptr);
}

template <class Int>
json::value optional_int(const std::optional<Int>& value) {
    return value ? json::value(static_cast<std::int64_t>(*value)) : json::value(nullptr);
}

json::array string_array(const std::vector<std::string>& values) {
    json::array out;
    out.reserve(values.size());
    for (const auto& value : values) out.emplace_back(value);
    return out;
}

json::array authors_json(const std::vector<Author>& authors) {
    json::array out;
    for (const auto& author : authors) {
        json::array refs;
        for (int ref : author.affiliation_refs) refs.emplace_back(ref);
        out.emplace_back(json::object{{"name", author.name}, {"affiliation_refs", std::move(refs)}});
    }
    return out;
}

json::array affiliations_json(const std::vector<Affiliation>& affiliations) {
    json::array out;
    for (const auto& affiliation : affiliations)
        out.emplace_back(json::object{{"ref", affiliation.ref}, {"name", affiliation.name}});
    return out;
}

json::array clc_json(const std::vector<ClcCode>& codes) {
    json::array out;
    for (const auto& code : codes)
        out.emplace_back(json::object{{"code", code.code}, {"label", optional_string(code.label)}});
    return out;
}

json::value pages_json(const std::optional<Pages>& pages) {
    if (!pages) return nullptr;
    return json::object{{"first", optional_string(pages->first)}, {"last", optional_string(pages->last)}};
}

json::array references_json(const std::vector<Reference>& references) {
    json::array out;
    for (const auto& reference : references) {
        out.emplace_back(json::object{{"n", reference.n},
                                      {"text", reference.text},
                                      {"title", optional_string(reference.title)},
                                      {"authors", string_array(reference.authors)},
                                      {"venue", optional_string(reference.venue)},
                                      {"year", optional_int(reference.year)}});
    }
    return out;
}

json::object extra_json(const std::vector<std::pair<std::string, std::string>>& extra) {
    json::object out;
    for (const auto& [label, value] : extra) out[label] = value;
    return out;
}

// ---- reading ---------------------------------------------------------------------------------

[[noreturn]] void bad_field(std::string_view field, std::string_view expected) {
    throw std::runtime_error("field \"" + std::string(field) + "\": expected " + std::string(expected));
}

std::optional<std::string> read_optional_string(const json::value& value, std::string_view field) {
    if (value.is_null()) return std::nullopt;
    if (value.is_string()) return std::string(value.get_string());
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    bad_field(field, "a string");
}

std::string read_string(const json::value& value, std::string_view field) {
    return read_optional_string(value, field).value_or(std::string());
}

std::optional<long long> read_optional_integer(const json::value& value, std::string_view field) {
    if (value.is_null()) return std::nullopt;
    if (value.is_int64()) return value.get_int64();
    if (value.is_uint64()) return static_cast<long long>(value.get_uint64());
    if (value.is_double()) {
        double number = value.get_double();
        // Range first: converting a double outside long long is undefined behaviour.
        if (number >= -0x1p63 && number < 0x1p63 &&
            number == static_cast<double>(static_cast<long long>(number)))
            return static_cast<long long>(number);
    }
    if (value.is_string()) {
        const auto& text = value.get_string();
        if (text.empty()) return std::nullopt;
        std::size_t used = 0;
        try {
            long long number = std::stoll(std::string(text), &used);
            if (used == text.size()) return number;
        } catch (const std::exception&) {
        }
    }
    bad_field(field, "an integer");
}

// Accepts a list of strings or one string with ';' separators (common in exports).
std::vector<std::string> read_string_list(const json::value& value, std::string_view field) {
    std::vector<std::string> out;
    if (value.is_null()) return out;
    if (value.is_string()) {
        std::string_view text = value.get_string();
        std::size_t start = 0;
        while (start <= text.size()) {
            auto end = text.find(';', start);
            if (end == std::string_view::npos) end = text.size();
            auto piece = text.substr(start, end - start);
            while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
            while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
            if (!piece.empty()) out.emplace_back(piece);
            start = end + 1;
        }
        return out;
    }
    if (!value.is_array()) bad_field(field, "a list of strings");
    for (const auto& item : value.get_array()) {
        auto text = read_optional_string(item, field);
        if (text && !text->empty()) out.push_back(std::move(*text));
    }
    return out;
}

const json::value& member(const json::object& object, std::string_view key) {
    static const json::value null_value;
    auto found = object.find(key);
    return found == object.end() ? null_value : found->value();
}

std::vector<Author> read_authors(const json::value& value) {
    std::vector<Author> out;
    if (value.is_array()) {
        for (const auto& item : value.get_array()) {
            if (item.is_object()) {
                Author author;
                author.name = read_string(member(item.get_object(), "name"), "authors.name");
                const auto& refs = member(item.get_object(), "affiliation_refs");
                if (refs.is_array())
                    for (const auto& ref : refs.get_array())
                        author.affiliation_refs.push_back(
                            static_cast<int>(read_optional_integer(ref, "authors.affiliation_refs").value_or(0)));
                if (!author.name.empty()) out.push_back(std::move(author));
                continue;
            }
            auto name = read_optional_string(item, "authors");
            if (name && !name->empty()) out.push_back(Author{std::move(*name), {}});
        }
        return out;
    }
    for (auto& name : read_string_list(value, "authors")) out.push_back(Author{std::move(name), {}});
    return out;
}

// The one shape of the list fields: null is none, anything but a list is an error, and each item
// is an object (`from_object(object, items_before)`) or a plain string (`from_text`).
template <class Item, class FromObject, class FromText>
std::vector<Item> read_list(const json::value& value, std::string_view field, FromObject&& from_object,
                            FromText&& from_text) {
    std::vector<Item> out;
    if (value.is_null()) return out;
    if (!value.is_array()) bad_field(field, "a list");
    for (const auto& item : value.get_array())
        out.push_back(item.is_object() ? from_object(item.get_object(), out.size())
                                       : from_text(read_string(item, field), out.size()));
    return out;
}

std::vector<Affiliation> read_affiliations(const json::value& value) {
    // Only a missing ref is numbered (its place in the list): "[0] name" is ref 0.
    auto numbered = [](std::size_t before) { return static_cast<int>(before) + 1; };
    return read_list<Affiliation>(
        value, "affiliations",
        [&](const json::object& object, std::size_t before) {
            const auto ref = read_optional_integer(member(object, "ref"), "affiliations.ref");
            return Affiliation{ref ? static_cast<int>(*ref) : numbered(before),
                               read_string(member(object, "name"), "affiliations.name")};
        },
        [&](std::string name, std::size_t before) { return Affiliation{numbered(before), std::move(name)}; });
}

std::vector<ClcCode> read_clc(const json::value& value) {
    if (value.is_string()) {
        std::vector<ClcCode> out;
        for (auto& code : read_string_list(value, "clc")) out.push_back(ClcCode{std::move(code), std::nullopt});
        return out;
    }
    return read_list<ClcCode>(
        value, "clc",
        [](const json::object& object, std::size_t) {
            return ClcCode{read_string(member(object, "code"), "clc.code"),
                           read_optional_string(member(object, "label"), "clc.label")};
        },
        [](std::string code, std::size_t) { return ClcCode{std::move(code), std::nullopt}; });
}

std::optional<Pages> read_pages(const json::value& value) {
    if (value.is_null()) return std::nullopt;
    if (value.is_object()) {
        return Pages{read_optional_string(member(value.get_object(), "first"), "pages.first"),
                     read_optional_string(member(value.get_object(), "last"), "pages.last")};
    }
    std::string text = read_string(value, "pages");
    if (text.empty()) return std::nullopt;
    auto dash = text.find_first_of("-/~");
    if (dash == std::string::npos) return Pages{text, std::nullopt};
    return Pages{text.substr(0, dash), text.substr(dash + 1)};
}

std::vector<Reference> read_references(const json::value& value) {
    return read_list<Reference>(
        value, "references",
        [](const json::object& object, std::size_t before) {
            Reference reference;
            reference.n = static_cast<int>(before) + 1;
            if (auto n = read_optional_integer(member(object, "n"), "references.n")) reference.n = static_cast<int>(*n);
            reference.text = read_string(member(object, "text"), "references.text");
            reference.title = read_optional_string(member(object, "title"), "references.title");
            reference.authors = read_string_list(member(object, "authors"), "references.authors");
            reference.venue = read_optional_string(member(object, "venue"), "references.venue");
            if (auto year = read_optional_integer(member(object, "year"), "references.year"))
                reference.year = static_cast<int>(*year);
            return reference;
        },
        [](std::string text, std::size_t before) {
            Reference reference;
            reference.n = static_cast<int>(before) + 1;
            reference.text = std::move(text);
            return reference;
        });
}

constexpr std::string_view known_keys[] = {
    "id", "title", "cited_by", "authors", "affiliations", "keywords", "doi", "clc", "disciplines",
    "abstract", "pages", "page_count", "references", "extra", "year", "venue", "language", "source"};

bool is_known_key(std::string_view key) {
    for (auto known : known_keys)
        if (key == known) return true;
    return false;
}

}  // namespace

json::object to_seed_json(const Record& record) {
    return json::object{{"title", record.title},
                        {"cited_by", optional_int(record.cited_by)},
                        {"authors", authors_json(record.authors)},
                        {"affiliations", affiliations_json(record.affiliations)},
                        {"keywords", string_array(record.keywords)},
                        {"doi", optional_string(record.doi)},
                        {"clc", clc_json(record.clc)},
                        {"disciplines", string_array(record.disciplines)},
                        {"abstract", optional_string(record.abstract)},
                        {"pages", pages_json(record.pages)},
                        {"page_count", optional_int(record.page_count)},
                        {"references", references_json(record.references)},
                        {"extra", extra_json(record.extra)}};
}

std::string to_stored_json(const Record& record) {
    json::object out;
    if (record.id) out["id"] = *record.id;
    out["title"] = record.title;
    if (!record.authors.empty()) out["authors"] = authors_json(record.authors);
    if (!record.affiliations.empty()) out["affiliations"] = affiliations_json(record.affiliations);
    if (!record.keywords.empty()) out["keywords"] = string_array(record.keywords);
    if (record.doi) out["doi"] = *record.doi;
    if (record.year) out["year"] = *record.year;
    if (record.venue) out["venue"] = *record.venue;
    if (record.language) out["language"] = *record.language;
    if (record.cited_by) out["cited_by"] = *record.cited_by;
    if (!record.clc.empty()) out["clc"] = clc_json(record.clc);
    if (!record.disciplines.empty()) out["disciplines"] = string_array(record.disciplines);
    if (record.abstract) out["abstract"] = *record.abstract;
    if (record.pages) out["pages"] = pages_json(record.pages);
    if (record.page_count) out["page_count"] = *record.page_count;
    if (!record.references.empty()) out["references"] = references_json(record.references);
    if (!record.extra.empty()) out["extra"] = extra_json(record.extra);
    out["source"] = json::object{
        {"file", record.source.file}, {"line", record.source.line}, {"index", record.source.index}};
    return json::serialize(out);
}

Record record_from_json_object(const json::object& object) {
    Record record;
    record.id = read_optional_string(member(object, "id"), "id");
    record.title = read_string(member(object, "title"), "title");
    record.cited_by = read_optional_integer(member(object, "cited_by"), "cited_by");
    record.authors = read_authors(member(object, "authors"));
    record.affiliations = read_affiliations(member(object, "affiliations"));
    record.keywords = read_string_list(member(object, "keywords"), "keywords");
    record.doi = read_optional_string(member(object, "doi"), "doi");
    if (record.doi && record.doi->empty()) record.doi.reset();
    record.clc = read_clc(member(object, "clc"));
    record.disciplines = read_string_list(member(object, "disciplines"), "disciplines");
    record.abstract = read_optional_string(member(object, "abstract"), "abstract");
    record.pages = read_pages(member(object, "pages"));
    record.page_count = read_optional_integer(member(object, "page_count"), "page_count");
    record.references = read_references(member(object, "references"));
    if (auto year = read_optional_integer(member(object, "year"), "year")) {
        if (*year < -9999 || *year > 9999) bad_field("year", "a year between -9999 and 9999");
        record.year = static_cast<int>(*year);
    }
    record.venue = read_optional_string(member(object, "venue"), "venue");
    record.language = read_optional_string(member(object, "language"), "language");
    const auto& extra = member(object, "extra");
    record::ExtraBuilder extra_builder(record);
    auto text_of = [](const json::value& value) {
        return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
    };
    if (extra.is_object()) {
        for (const auto& item : extra.get_object()) extra_builder.add(std::string(item.key()), text_of(item.value()));
    } else if (!extra.is_null()) {
        bad_field("extra", "an object");
    }
    // A key both in "extra" and at the top level gets both values, one per line.
    for (const auto& item : object)
        if (!is_known_key(item.key())) extra_builder.add(std::string(item.key()), text_of(item.value()));
    const auto& source = member(object, "source");
    if (source.is_object()) {
        record.source.file = read_string(member(source.get_object(), "file"), "source.file");
        record.source.line = static_cast<int>(read_optional_integer(member(source.get_object(), "line"), "source.line").value_or(0));
        record.source.index = static_cast<int>(read_optional_integer(member(source.get_object(), "index"), "source.index").value_or(0));
    }
    return record;
}

Record from_stored_json(std::string_view text) {
    boost::system::error_code error;
    json::value value = json::parse(text, error);
    if (error) throw std::runtime_error("stored record is not JSON: " + error.message());
    if (!value.is_object()) throw std::runtime_error("stored record is not a JSON object");
    return record_from_json_object(value.get_object());
}

}  // namespace scholarsearch::record
