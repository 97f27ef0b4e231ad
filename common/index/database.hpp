#pragma once
/**
 * Opening databases with our checks: the analyzer and schema versions stored in the metadata
 * must match this build (terms from another analyzer would silently stop matching), and Xapian
 * errors become scholarsearch::Error types with a message that says what to do.
 */
#include <xapian.h>

#include <string>

namespace scholarsearch::index {

/// Opens (creating if needed) for writing. Throws IndexLocked, IndexUnavailable.
Xapian::WritableDatabase open_writable(const std::string& path);

/// Opens for reading (a directory or a stub file). Throws IndexUnavailable.
Xapian::Database open_readable(const std::string& path);

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

}  // namespace scholarsearch::index
