#include "parse/input.hpp"

#include "parse/jsonl.hpp"
#include "parse/seed_format.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace scholarsearch::parse {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t detect_bytes = 8192;

std::string_view skip_bom_and_space(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' ||
                             text.front() == '\n'))
        text.remove_prefix(1);
    return text;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool wanted_in_directory_walk(const fs::path& path) {
    const std::string name = path.filename().string();
    if (name.empty() || name.front() == '.' || ends_with(name, ".expected.json")) return false;
    for (std::string_view extension : {".txt", ".jsonl", ".ndjson", ".json"})
        if (ends_with(name, extension)) return true;
    return false;
}

// A complete JSON value on the first line means JSON Lines; otherwise the file is one document.
bool first_line_is_complete_json(std::string_view text) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    return !line.empty() && line.back() == '}';
}

record::Diagnostic file_problem(const std::string& path, std::string code, std::string message) {
    return record::Diagnostic{path, 0, std::move(code), std::move(message), -1};
}

}  // namespace

std::string_view format_name(Format format) {
    switch (format) {
        case Format::seed: return "seed";
        case Format::jsonl: return "jsonl";
        case Format::json_document: return "json";
        case Format::ris: return "ris";
        case Format::bibtex: return "bibtex";
        case Format::wos: return "wos";
        case Format::binary: return "binary";
    }
    return "unknown";
}

Format detect_format(std::string_view head, std::string_view path) {
    std::string_view text = skip_bom_and_space(head);
    if (text.empty()) return (ends_with(path, ".jsonl") || ends_with(path, ".ndjson")) ? Format::jsonl : Format::seed;
    if (text.front() == '[') return Format::json_document;
    if (text.front() == '{') return first_line_is_complete_json(text) ? Format::jsonl : Format::json_document;
    if (starts_with(text, "TY  - ")) return Format::ris;
    if (text.front() == '@') return Format::bibtex;
    if (starts_with(text, "FN ") || starts_with(text, "PT ")) return Format::wos;
    // UTF-16 files and binary noise go to the seed reader, which rejects them as bad_encoding
    // with the precise message FORMAT.md asks for.
    return Format::seed;
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& paths,
                                       std::vector<record::Diagnostic>& errors) {
    std::vector<std::string> files;
    for (const auto& path : paths) {
        if (path == "-") {
            files.push_back(path);
            continue;
        }
        std::error_code error;
        auto status = fs::status(path, error);
        if (error || !fs::exists(status)) {
            errors.push_back(file_problem(path, "not_found", "no such file or directory"));
            continue;
        }
        if (!fs::is_directory(status)) {
            files.push_back(path);
            continue;
        }
        std::vector<std::string> found;
        for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, error), end;
             !error && it != end; it.increment(error)) {
            if (it->path().filename().string().front() == '.' && it->is_directory()) {
                it.disable_recursion_pending();
                continue;
            }
            if (it->is_regular_file() && wanted_in_directory_walk(it->path())) found.push_back(it->path().string());
        }
        if (error) errors.push_back(file_problem(path, "unreadable", error.message()));
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

void read_chunks(const std::string& path, std::size_t chunk_bytes,
                 const std::function<void(Chunk&&)>& sink) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (path != "-") {
        if (fs::is_directory(path)) {
            sink(Chunk{path, Format::seed, {}, 1, 0, file_problem(path, "unreadable", "is a directory")});
            return;
        }
        file.open(path, std::ios::binary);
        if (!file) {
            sink(Chunk{path, Format::seed, {}, 1, 0, file_problem(path, "unreadable", std::strerror(errno))});
            return;
        }
        in = &file;
    }

    std::string buffer(detect_bytes, '\0');
    in->read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    buffer.resize(static_cast<std::size_t>(in->gcount()));
    const Format format = detect_format(buffer, path);

    if (format != Format::jsonl) {
        std::string rest{std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>()};
        buffer += rest;
        sink(Chunk{path, format, std::move(buffer), 1, 0, std::nullopt});
        return;
    }

    int next_line = 1;
    int next_index = 0;
    bool emitted = false;
    std::string block(std::clamp<std::size_t>(chunk_bytes, 256, std::size_t(1) << 16), '\0');
    for (;;) {
        const bool at_end = !*in;
        // Cut after the last newline; the partial line waits for the next read.
        std::size_t cut = at_end ? buffer.size() : buffer.rfind('\n');
        if (cut != std::string::npos && (at_end || buffer.size() >= chunk_bytes)) {
            if (!at_end) ++cut;
            Chunk chunk{path, format, buffer.substr(0, cut), next_line, next_index, std::nullopt};
            for (std::size_t i = 0; i < cut;) {
                std::size_t end = chunk.text.find('\n', i);
                if (end == std::string::npos) end = cut;
                std::string_view line(chunk.text.data() + i, end - i);
                if (line.find_first_not_of(" \t\r") != std::string_view::npos) ++next_index;
                ++next_line;
                i = end + 1;
            }
            buffer.erase(0, cut);
            if (!chunk.text.empty() || (at_end && !emitted)) {
                emitted = true;
                sink(std::move(chunk));
            }
        }
        if (at_end) break;
        in->read(block.data(), static_cast<std::streamsize>(block.size()));
        buffer.append(block.data(), static_cast<std::size_t>(in->gcount()));
    }
}

ParseResult parse_chunk(const Chunk& chunk) {
    ParseResult result;
    result.file = chunk.file;
    if (chunk.file_error) {
        result.file_error = chunk.file_error;
        return result;
    }
    switch (chunk.format) {
        case Format::seed: return parse_seed_format(chunk.text, chunk.file);
        case Format::jsonl:
        case Format::json_document: {
            result = parse_jsonl(chunk.text, chunk.file);
            for (auto& record : result.records) {
                record.source.line += chunk.first_line - 1;
                record.source.index += chunk.first_index;
            }
            for (auto& error : result.errors) {
                error.line += chunk.first_line - 1;
                error.index += chunk.first_index;
            }
            // An all-blank chunk in the middle of a file is not an empty file.
            if (chunk.first_line > 1 && result.file_error && result.file_error->code == "no_records")
                result.file_error.reset();
            return result;
        }
        case Format::ris:
        case Format::bibtex:
        case Format::wos:
        case Format::binary:
            result.file_error = file_problem(chunk.file, "unsupported_format",
                                             "looks like " + std::string(format_name(chunk.format)) +
                                                 ", which this version cannot read yet");
            return result;
    }
    return result;
}

ParseResult parse_file(const std::string& path) {
    ParseResult merged;
    merged.file = path;
    read_chunks(path, std::size_t(1) << 30, [&](Chunk&& chunk) {
        ParseResult part = parse_chunk(chunk);
        if (part.file_error && !merged.file_error) merged.file_error = std::move(part.file_error);
        std::move(part.records.begin(), part.records.end(), std::back_inserter(merged.records));
        std::move(part.errors.begin(), part.errors.end(), std::back_inserter(merged.errors));
    });
    return merged;
}

ParseResult parse_content(std::string_view content, const std::string& path) {
    return parse_chunk(Chunk{path, detect_format(content.substr(0, detect_bytes), path),
                             std::string(content), 1, 0, std::nullopt});
}

}  // namespace scholarsearch::parse
