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

#include <optional>
#include <string>
#include <vector>

namespace scholarsearch::store {

/// An index opened for reading: the database searched, and the databases it is made of (one for
/// a directory, one per stub line for a stub), whose metadata make the generation.
struct OpenIndex {
    Xapian::Database database;
    std::vector<Xapian::Database> parts;
};

/// Opens `path` for reading (a directory or a stub) and checks every part's versions. Throws
/// IndexUnavailable, naming a stub line's database that does not exist.
OpenIndex open_index(const std::string& path);

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

/// Throws IndexUnavailable if `database` holds documents from another analyzer/schema version.
void check_versions(const Xapian::Database& database, const std::string& path);

}  // namespace scholarsearch::store
