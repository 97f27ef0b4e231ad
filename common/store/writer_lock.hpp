#pragma once
/**
 * The one writer lock of the store: an exclusive flock(2) on a file that names its holder. The
 * pid is written into the file, so a second writer's IndexLocked says which process has it
 * (Xapian's own lock message does not). Used for an index directory (IndexWriter, beside Xapian's
 * lock: it is also held while a parallel build moves the merged database in) and for a live
 * index root (LiveIndex). The kernel drops the lock when the process dies, so kill -9 never
 * leaves a stale one.
 */
#include <string>

namespace scholarsearch::store {

/// The lock file of an index directory (IndexWriter's; read by open_writable's messages).
inline std::string index_lock_path(const std::string& index_directory) { return index_directory + "/scholarsearch.pid"; }

class WriterLock {
public:
    /// Takes the lock on `lock_path` (created if missing) or throws IndexLocked ("`what` is
    /// locked: another indexer is running (pid N)") or IndexUnavailable (cannot open the file).
    WriterLock(const std::string& lock_path, const std::string& what);
    ~WriterLock();
    WriterLock(const WriterLock&) = delete;
    WriterLock& operator=(const WriterLock&) = delete;

    /// " (pid N)" of whoever holds (or last held) `lock_path`, "" if it names nobody.
    static std::string holder(const std::string& lock_path);

private:
    int fd_ = -1;
};

}  // namespace scholarsearch::store
