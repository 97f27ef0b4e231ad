#pragma once
/**
 * Opening databases with our checks: the analyzer and schema versions stored in the metadata
 * must match this build (terms from another analyzer would silently stop matching), and Xapian
 * errors become scholarsearch::Error types with a message that says what to do.
 *
 * An index path is a database directory, a stub file (store/stub.hpp) or a directory holding a
 * stub named XAPIANDB (a live root, store/builds.hpp). Stubs are read here, not by Xapian, so that
 * the message for a line naming nothing says which line, and so that each database a stub lists
 * is known on its own: the generation is made of theirs.
 */
#include <xapian.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace scholarsearch::store {

/// How the remote parts of a stub are opened, and what it means when one does not answer.
struct OpenOptions {
    /// Xapian::Remote::open's timeouts: for each operation (a slow shard fails the request
    /// with NetworkTimeoutError after this) and for connecting.
    std::chrono::milliseconds remote_timeout{10000};
    std::chrono::milliseconds connect_timeout{10000};
    /// A remote part that cannot be reached is left out and named in OpenIndex::missing instead
    /// of failing the open (partial answers). A local part that is not there, a part of another
    /// analyzer version and an index with no part left still throw.
    bool allow_missing_remote = false;
};

/// A part of a stub that was left out because it did not answer.
struct MissingPart {
    std::string name;    ///< its stub line, e.g. "remote 10.0.0.2:33333"
    std::string error;   ///< what Xapian said
};

/// An index opened for reading: the database searched, and the databases it is made of (one for
/// a directory, one per stub line for a stub), whose metadata make the generation.
struct OpenIndex {
    Xapian::Database database;
    std::vector<Xapian::Database> parts;
    std::vector<std::string> part_names;   ///< a stub line per part ("auto builds/...", "remote HOST:PORT"); the path for a directory
    std::vector<MissingPart> missing;      ///< only with OpenOptions::allow_missing_remote
    bool from_stub = false;                ///< the path is (or holds) a stub
    bool has_remote = false;               ///< some stub line, open or missing, is remote
};

/// Opens `path` for reading (a directory or a stub) and checks every part's versions. Throws
/// IndexUnavailable, naming a stub line's database that does not exist.
OpenIndex open_index(const std::string& path, const OpenOptions& options = {});

/// open_index(path).database.
Xapian::Database open_readable(const std::string& path);

/// The stub `path` is read through: the path itself for a file, PATH/XAPIANDB for a directory
/// that holds one and is not itself a database; nullopt for a database directory.
std::optional<std::string> stub_of(const std::string& path);

/**
 * What one state of an opened index is called, for whatever stays true only while it does (the
 * result cache's keys, cursor walks): every part's UUID (a build) and commit stamp (set by
 * commit(), so it changes with every commit), plus the revision where the backend reports one
 * (a database committed by another program than ours). Made only of what Xapian's remote backend
 * answers too, so a stub over remote shards has a generation. Empty when some part can tell
 * neither a commit stamp nor a revision. Several parts are hashed into a short key.
 */
std::string generation(const OpenIndex& index);

/// What `path` points at now: inode, mtime and size (and a symlink's target). A swap repoints a
/// stub by rename(2), which Database::reopen() would not notice; this does. Empty when it is gone.
std::string path_identity(const std::string& path);

/// Opens (creating if needed) for writing. Throws IndexLocked, IndexUnavailable.
Xapian::WritableDatabase open_writable(const std::string& path);

/// The one commit of our writers: stamps the time built and a fresh commit stamp (generation)
/// into the metadata, then commits. Throws what Xapian throws.
void commit(Xapian::WritableDatabase& database);

/**
 * The one translation of a Xapian error into ours, called inside a `catch`: rethrows the active
 * exception as IndexUnavailable when the index itself failed (damaged or vanished files, a
 * database that cannot be opened, a remote shard that does not answer, a commit that kept
 * overwriting what was being read), as IndexLocked for the write lock, and as Error for anything
 * else Xapian throws. Exceptions that are not Xapian's pass through unchanged. `path` names the
 * index in the message.
 */
[[noreturn]] void rethrow_xapian_error(const std::string& path);

/**
 * Writes the spelling dictionary of the index at `index_path` (a directory or a stub of local
 * shards: their dictionaries summed, as Xapian sums them when it searches them together) into a
 * database of its own at `target`, replacing what is there. A server whose stub lists remote
 * shards reads its suggestions from such a copy (Xapian's remote backend answers no spelling
 * lookups). Returns the number of words. Throws IndexUnavailable for an index with remote parts.
 */
std::size_t write_spelling_database(const std::string& index_path, const std::string& target);

/// Throws IndexUnavailable if `database` holds documents from another analyzer/schema version.
void check_versions(const Xapian::Database& database, const std::string& path);

}  // namespace scholarsearch::store
