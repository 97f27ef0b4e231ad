#include "store/stub.hpp"

#include "record/error.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace scholarsearch::store {

namespace fs = std::filesystem;

namespace {

void fsync_path(const fs::path& path, bool directory) {
    const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

// "host:port" or "[v6 address]:port", as Xapian reads a remote line.
StubEntry remote_tcp(std::string_view address, const std::string& where) {
    const auto colon = address.rfind(':');
    unsigned port = 0;
    const char* end = address.data() + address.size();
    if (colon == std::string_view::npos || colon == 0 ||
        std::from_chars(address.data() + colon + 1, end, port).ptr != end || port == 0 || port > 65535)
        throw IndexUnavailable(where + "remote needs HOST:PORT or :PROGRAM ARGUMENTS, not \"" + std::string(address) + "\"");
    std::string host(address.substr(0, colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return StubEntry::remote(std::move(host), port);
}

}  // namespace

StubEntry StubEntry::local(std::string path) {
    StubEntry entry;
    entry.path = std::move(path);
    return entry;
}

StubEntry StubEntry::remote(std::string host, unsigned port) {
    StubEntry entry;
    entry.kind = Kind::remote_tcp;
    entry.backend.clear();
    entry.host = std::move(host);
    entry.port = port;
    return entry;
}

std::string StubEntry::line() const {
    switch (kind) {
    case Kind::local: return backend + " " + path;
    case Kind::remote_tcp: {
        const bool v6 = host.find(':') != std::string::npos;
        return "remote " + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
    }
    case Kind::remote_program: return "remote :" + program + (arguments.empty() ? "" : " " + arguments);
    }
    return {};
}

std::vector<StubEntry> parse_stub(std::string_view text, const std::string& stub_path) {
    std::vector<StubEntry> entries;
    std::size_t number = 0;
    while (!text.empty()) {
        const auto newline = text.find('\n');
        const std::string_view line = trimmed(text.substr(0, newline));
        text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
        ++number;
        if (line.empty() || line.front() == '#') continue;
        const std::string where = stub_path + ":" + std::to_string(number) + ": ";
        const auto space = line.find_first_of(" \t");
        const std::string_view kind = line.substr(0, space);
        const std::string_view rest = space == std::string_view::npos ? std::string_view() : trimmed(line.substr(space));
        if (rest.empty()) throw IndexUnavailable(where + "\"" + std::string(kind) + "\" names no database");
        if (kind == "auto" || kind == "glass" || kind == "chert") {
            StubEntry entry = StubEntry::local(std::string(rest));
            entry.backend = std::string(kind);
            entries.push_back(std::move(entry));
        } else if (kind == "remote" && rest.front() == ':') {
            StubEntry entry;
            entry.kind = StubEntry::Kind::remote_program;
            entry.backend.clear();
            const std::string_view command = rest.substr(1);
            const auto gap = command.find_first_of(" \t");
            entry.program = std::string(command.substr(0, gap));
            if (gap != std::string_view::npos) entry.arguments = std::string(trimmed(command.substr(gap)));
            entries.push_back(std::move(entry));
        } else if (kind == "remote") {
            entries.push_back(remote_tcp(rest, where));
        } else {
            throw IndexUnavailable(where + "unknown database type \"" + std::string(kind) +
                                   "\" (a stub line is \"auto PATH\" or \"remote HOST:PORT\")");
        }
    }
    if (entries.empty()) throw IndexUnavailable("stub " + stub_path + " lists no database");
    return entries;
}

std::string format_stub(const std::vector<StubEntry>& entries) {
    std::string text;
    for (const auto& entry : entries) text += entry.line() + "\n";
    return text;
}

std::vector<StubEntry> read_stub(const std::string& stub_path) {
    std::ifstream in(stub_path, std::ios::binary);
    if (!in) throw IndexUnavailable("cannot read stub " + stub_path + ": " + std::strerror(errno));
    std::stringstream content;
    content << in.rdbuf();
    return parse_stub(content.str(), stub_path);
}

void write_stub(const std::string& stub_path, const std::vector<StubEntry>& entries) {
    if (entries.empty()) throw Error("a stub must list at least one database: " + stub_path);
    write_atomically(stub_path, format_stub(entries));
}

std::string resolved_path(const StubEntry& entry, const std::string& stub_path) {
    const fs::path path(entry.path);
    if (path.is_absolute()) return entry.path;
    return (fs::path(stub_path).parent_path() / path).string();
}

void write_atomically(const std::string& path, const std::string& content) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc | std::ios::binary);
        out << content;
        out.flush();
        if (!out) throw Error("cannot write " + temporary);
    }
    fsync_path(temporary, false);
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) throw Error("cannot replace " + path + ": " + error.message());
    fsync_path(fs::path(path).parent_path(), true);
}

}  // namespace scholarsearch::store
