#include "store/database.hpp"

#include "analysis/analyzer.hpp"
#include "record/error.hpp"
#include "schema/schema.hpp"
#include "store/builds.hpp"
#include "store/stub.hpp"
#include "store/utc_time.hpp"
#include "store/writer_lock.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <sstream>

namespace scholarsearch::store {

namespace fs = std::filesystem;

namespace {

std::string metadata(const Xapian::Database& database, std::string_view key) {
    return database.get_metadata(std::string(key));
}

// Xapian's lock message does not say who holds the lock; the flintlock file does not either,
// so IndexWriter's own lock beside it names the holder.
std::string lock_holder(const std::string& path) { return WriterLock::holder(index_lock_path(path)); }

std::string random_hex64() {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(random()));
    return text;
}

// FNV-1a: a short key that is the same in every process (replicas serve one build, and a cursor
// may come back to another of them).
std::string short_key(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
    char key[20];
    std::snprintf(key, sizeof key, "h%016llx", static_cast<unsigned long long>(hash));
    return key;
}

Xapian::Database open_entry(const StubEntry& entry, const std::string& stub, const std::string& path,
                            const OpenOptions& options) {
    switch (entry.kind) {
    case StubEntry::Kind::local: {
        const std::string database = resolved_path(entry, stub);
        std::error_code error;
        if (!fs::exists(database, error))
            throw IndexUnavailable("cannot open index " + path + ": stub " + stub + " names " + entry.path +
                                   ", which does not exist");
        return Xapian::Database(database);
    }
    case StubEntry::Kind::remote_tcp:
        return Xapian::Remote::open(entry.host, entry.port, static_cast<unsigned>(options.remote_timeout.count()),
                                    static_cast<unsigned>(options.connect_timeout.count()));
    case StubEntry::Kind::remote_program:
        return Xapian::Remote::open(entry.program, entry.arguments, static_cast<unsigned>(options.remote_timeout.count()));
    }
    throw Error("unknown stub entry");
}

}  // namespace

std::optional<std::string> stub_of(const std::string& path) {
    std::error_code error;
    if (fs::is_regular_file(path, error)) return path;
    if (!fs::is_directory(path, error)) return std::nullopt;
    // Xapian's own rule: a directory that is no database but holds XAPIANDB is opened through it.
    if (fs::exists(fs::path(path) / "iamglass", error) || fs::exists(fs::path(path) / "iamchert", error)) return std::nullopt;
    const std::string stub = root_stub_path(path);
    if (fs::is_regular_file(stub, error)) return stub;
    return std::nullopt;
}

OpenIndex open_index(const std::string& path, const OpenOptions& options) {
    OpenIndex index;
    try {
        if (const auto stub = stub_of(path)) {
            index.from_stub = true;
            for (const auto& entry : read_stub(*stub)) {
                const bool remote = entry.kind != StubEntry::Kind::local;
                index.has_remote = index.has_remote || remote;
                Xapian::Database part;
                try {
                    part = open_entry(entry, *stub, path, options);
                    // Opening a remote database only connects: the first read tells whether it answers.
                    if (remote) (void)part.get_doccount();
                } catch (const Xapian::NetworkError& error) {
                    if (!remote || !options.allow_missing_remote) throw;
                    index.missing.push_back({entry.line(), error.get_description()});
                    continue;
                }
                index.parts.push_back(part);
                index.part_names.push_back(entry.line());
                index.database.add_database(part);
            }
            if (index.parts.empty())
                throw IndexUnavailable("cannot open index " + path + ": no database it lists answers (" +
                                       index.missing.front().name + ": " + index.missing.front().error + ")");
        } else {
            index.database = Xapian::Database(path);
            index.parts.push_back(index.database);
            index.part_names.push_back(path);
        }
        for (std::size_t i = 0; i < index.parts.size(); ++i)
            check_versions(index.parts[i], index.parts.size() > 1 ? path + " (" + index.part_names[i] + ")" : path);
    } catch (const Xapian::Error& error) {
        throw IndexUnavailable("cannot open index " + path + ": " + error.get_msg());
    }
    return index;
}

Xapian::Database open_readable(const std::string& path) { return open_index(path).database; }

std::string generation(const OpenIndex& index) {
    std::string key;
    try {
        for (const auto& part : index.parts) {
            const std::string stamp = metadata(part, schema::commit_metadata_key);
            std::string revision;
            try {
                revision = std::to_string(part.get_revision());
            } catch (const Xapian::Error&) {
                // Not reported by a remote backend (or a nested stub): the stamp tells commits apart.
            }
            if (stamp.empty() && revision.empty()) return {};
            if (!key.empty()) key += ",";
            key += part.get_uuid() + ":" + stamp + ":" + revision;
        }
    } catch (const Xapian::Error&) {
        return {};   // a part that cannot say which state it is in: nothing may be pinned to it
    }
    return index.parts.size() > 1 ? short_key(key) : key;
}

std::string path_identity(const std::string& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return {};
    std::string identity = std::to_string(info.st_ino) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
                           std::to_string(info.st_mtim.tv_nsec) + ":" + std::to_string(info.st_size);
    if (S_ISLNK(info.st_mode)) {
        char target[4096];
        const ssize_t length = ::readlink(path.c_str(), target, sizeof target);
        if (length > 0) identity.append("->").append(target, static_cast<std::size_t>(length));
    }
    return identity;
}

void check_versions(const Xapian::Database& database, const std::string& path) {
    const std::string analyzer = metadata(database, schema::analyzer_metadata_key);
    const std::string schema_version = metadata(database, schema::schema_metadata_key);
    if (database.get_doccount() == 0 && analyzer.empty()) return;
    if (analyzer != analysis::analyzer_version || schema_version != schema::schema_version) {
        std::ostringstream message;
        message << "index " << path << " was built by analyzer \""
                << (analyzer.empty() ? "unknown" : analyzer) << "\" schema " << (schema_version.empty() ? "?" : schema_version)
                << ", this program uses analyzer \"" << analysis::analyzer_version << "\" schema "
                << schema::schema_version << "; rebuild the index (scholarsearch-index rebuild)";
        throw IndexUnavailable(message.str());
    }
}

void rethrow_xapian_error(const std::string& path) {
    try {
        throw;
    } catch (const Xapian::DatabaseLockError&) {
        throw IndexLocked("index " + path + " is locked: another indexer is running" + lock_holder(path));
    } catch (const Xapian::DatabaseError& error) {
        // DatabaseCorruptError, DatabaseOpeningError (and NotFound, Version), DatabaseModifiedError:
        // the files, not the request, are at fault.
        throw IndexUnavailable("index " + path + " cannot be read: " + error.get_description());
    } catch (const Xapian::NetworkError& error) {
        throw IndexUnavailable("index " + path + ": a remote shard does not answer: " + error.get_description());
    } catch (const Xapian::Error& error) {
        throw Error("index " + path + ": " + error.get_description());
    }
}

Xapian::WritableDatabase open_writable(const std::string& path) {
    try {
        Xapian::WritableDatabase database(path, Xapian::DB_CREATE_OR_OPEN);
        check_versions(database, path);
        if (metadata(database, schema::analyzer_metadata_key).empty()) {
            database.set_metadata(std::string(schema::analyzer_metadata_key), std::string(analysis::analyzer_version));
            database.set_metadata(std::string(schema::schema_metadata_key), std::string(schema::schema_version));
        }
        return database;
    } catch (const Xapian::DatabaseLockError&) {
        throw IndexLocked("index " + path + " is locked: another indexer is running" + lock_holder(path));
    } catch (const Xapian::Error& error) {
        throw IndexUnavailable("cannot open index " + path + " for writing: " + error.get_msg());
    }
}

std::size_t write_spelling_database(const std::string& index_path, const std::string& target) {
    const OpenIndex index = open_index(index_path);
    if (index.has_remote)
        throw IndexUnavailable("index " + index_path + " has remote shards, whose spelling dictionaries Xapian cannot read: "
                               "write the spelling database where the shards are local");
    const std::string building = target + ".tmp";
    std::size_t words = 0;
    try {
        fs::remove_all(building);
        Xapian::WritableDatabase spelling(building, Xapian::DB_CREATE);
        for (auto it = index.database.spellings_begin(); it != index.database.spellings_end(); ++it, ++words)
            spelling.add_spelling(*it, it.get_termfreq());
        spelling.set_metadata(std::string(schema::analyzer_metadata_key), std::string(analysis::analyzer_version));
        commit(spelling);
        spelling.close();
    } catch (const Xapian::Error& error) {
        throw IndexUnavailable("cannot write spelling database " + target + ": " + error.get_msg());
    }
    fs::remove_all(target);
    fs::rename(building, target);
    return words;
}

void commit(Xapian::WritableDatabase& database) {
    database.set_metadata(std::string(schema::built_at_metadata_key), utc_now(iso8601_utc));
    database.set_metadata(std::string(schema::commit_metadata_key), random_hex64());
    database.commit();
}

}  // namespace scholarsearch::store
