#include "store/builds.hpp"

#include "record/error.hpp"
#include "store/stub.hpp"
#include "store/utc_time.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace scholarsearch::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* builds_directory = "builds";

// The generation a stub entry's path is in: NAME of "builds/NAME[/...]", or "".
std::string generation_of_path(const std::string& path) {
    const fs::path relative = fs::path(path).lexically_normal();
    auto part = relative.begin();
    if (part == relative.end() || *part != builds_directory) return {};
    if (++part == relative.end()) return {};
    return part->string();
}

}  // namespace

std::string root_stub_path(const std::string& root) { return (fs::path(root) / "XAPIANDB").string(); }
std::string root_lock_path(const std::string& root) { return (fs::path(root) / "lock").string(); }
std::string builds_path(const std::string& root) { return (fs::path(root) / builds_directory).string(); }
std::string build_path(const std::string& root, const std::string& build) {
    return (fs::path(root) / builds_directory / build).string();
}

std::string next_build_name(const std::string& root) {
    unsigned long long last = 0;
    for (const auto& entry : fs::directory_iterator(builds_path(root))) {
        const std::string name = entry.path().filename().string();
        last = std::max(last, std::strtoull(name.c_str(), nullptr, 10));
    }
    char sequence[32];
    std::snprintf(sequence, sizeof sequence, "%06llu", last + 1);
    return std::string(sequence) + "-" + utc_now("%Y%m%dT%H%M%SZ");
}

std::vector<std::string> list_builds(const std::string& root) {
    std::vector<std::string> builds;
    for (const auto& entry : fs::directory_iterator(builds_path(root)))
        if (entry.is_directory()) builds.push_back(entry.path().filename().string());
    std::sort(builds.begin(), builds.end());
    return builds;
}

std::optional<std::string> live_build(const std::string& root) {
    const std::string stub = root_stub_path(root);
    std::error_code error;
    if (!fs::exists(stub, error)) return std::nullopt;
    std::vector<StubEntry> entries;
    try {
        entries = read_stub(stub);
    } catch (const IndexUnavailable&) {
        return std::nullopt;   // a stub naming nothing usable serves no generation; a rebuild replaces it
    }
    std::string live;
    for (const auto& entry : entries) {
        if (entry.kind != StubEntry::Kind::local) return std::nullopt;
        const std::string generation = generation_of_path(entry.path);
        if (generation.empty() || (!live.empty() && generation != live)) return std::nullopt;
        live = generation;
    }
    return live;
}

void publish_build(const std::string& root, const std::string& build) {
    write_stub(root_stub_path(root), {StubEntry::local(std::string(builds_directory) + "/" + build)});
    write_atomically((fs::path(root) / "last-swap").string(), utc_now(iso8601_utc) + " " + build + "\n");
}

std::string last_swap_time(const std::string& root) {
    std::ifstream in(fs::path(root) / "last-swap");
    std::string time;
    in >> time;
    return time;
}

}  // namespace scholarsearch::store
