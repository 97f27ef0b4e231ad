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

namespace {

// Each format's name, media type and file extension, in one table.
struct FormatInfo {
    Format format;
    std::string_view name, content_type, extension;
};
constexpr FormatInfo format_table[] = {
    {Format::ris, "ris", "application/x-research-info-systems; charset=utf-8", "ris"},
    {Format::bibtex, "bibtex", "application/x-bibtex; charset=utf-8", "bib"},
    {Format::csljson, "csljson", "application/vnd.citationstyles.csl+json", "json"},
    {Format::jsonl, "jsonl", "application/x-ndjson", "jsonl"},
};

const FormatInfo& info(Format format) {
    for (const auto& entry : format_table)
        if (entry.format == format) return entry;
    return format_table[0];
}

}  // namespace

std::string_view format_name(Format format) { return info(format).name; }

std::string_view content_type(Format format) { return info(format).content_type; }

std::string_view file_extension(Format format) { return info(format).extension; }

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
