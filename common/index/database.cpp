#include "index/database.hpp"

#include "analysis/analyzer.hpp"
#include "index/writer_lock.hpp"
#include "record/error.hpp"
#include "schema/schema.hpp"

#include <sstream>

namespace scholarsearch::index {

namespace {

std::string metadata(const Xapian::Database& database, std::string_view key) {
    return database.get_metadata(std::string(key));
}

// Xapian's lock message does not say who holds the lock; the flintlock file does not either,
// so IndexWriter's own lock beside it names the holder.
std::string lock_holder(const std::string& path) { return WriterLock::holder(index_lock_path(path)); }

}  // namespace

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

Xapian::Database open_readable(const std::string& path) {
    try {
        Xapian::Database database(path);
        check_versions(database, path);
        return database;
    } catch (const Xapian::Error& error) {
        throw IndexUnavailable("cannot open index " + path + ": " + error.get_msg());
    }
}

}  // namespace scholarsearch::index
