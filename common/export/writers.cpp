#include "export/writers.hpp"

#include "parse/seed_format_text.hpp"
#include "record/record_json.hpp"

#include <boost/json.hpp>

namespace scholarsearch::exporting {

std::optional<Format> format_named(std::string_view name) {
    if (name == "ris") return Format::ris;
    if (name == "bibtex" || name == "bib") return Format::bibtex;
    if (name == "csljson" || name == "csl-json" || name == "csl") return Format::csljson;
    if (name == "jsonl" || name == "ndjson") return Format::jsonl;
    return std::nullopt;
}

std::string_view format_name(Format format) {
    switch (format) {
        case Format::ris: return "ris";
        case Format::bibtex: return "bibtex";
        case Format::csljson: return "csljson";
        case Format::jsonl: return "jsonl";
    }
    return "";
}

std::string_view content_type(Format format) {
    switch (format) {
        case Format::ris: return "application/x-research-info-systems; charset=utf-8";
        case Format::bibtex: return "application/x-bibtex; charset=utf-8";
        case Format::csljson: return "application/vnd.citationstyles.csl+json";
        case Format::jsonl: return "application/x-ndjson";
    }
    return "";
}

std::string_view file_extension(Format format) {
    switch (format) {
        case Format::ris: return "ris";
        case Format::bibtex: return "bib";
        case Format::csljson: return "json";
        case Format::jsonl: return "jsonl";
    }
    return "";
}

std::string one_line(std::string_view text) {
    // Control characters other than white space (a stray \x01 in an abstract) would end up in
    // the file raw; they separate words like white space does.
    std::string cleaned(text);
    for (char& c : cleaned)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    return parse::seed::normalize_space(cleaned);
}

void Writer::add(const record::Record& record, std::string& out) {
    switch (format_) {
        case Format::ris:
            if (count_ > 0) out += "\r\n";
            out += ris_record(record);
            break;
        case Format::bibtex: {
            if (count_ > 0) out += "\n";
            std::string key = bibtex_key(record.id.value_or(record::unique_id(record)));
            // Two ids that differ only in characters a key cannot hold would share a key.
            if (!keys_.insert(key).second) {
                std::size_t n = 2;
                while (!keys_.insert(key + "-" + std::to_string(n)).second) ++n;
                key += "-" + std::to_string(n);
            }
            out += bibtex_entry(record, key);
            break;
        }
        case Format::csljson:
            out += count_ == 0 ? "[\n" : ",\n";
            out += boost::json::serialize(csl_item(record));
            break;
        case Format::jsonl:
            out += record::to_stored_json(record);
            out += '\n';
            break;
    }
    ++count_;
}

void Writer::finish(std::string& out) {
    if (format_ == Format::csljson) out += count_ == 0 ? "[]\n" : "\n]\n";
}

std::string write_one(Format format, const record::Record& record) {
    Writer writer(format);
    std::string out;
    writer.add(record, out);
    writer.finish(out);
    return out;
}

}  // namespace scholarsearch::exporting
