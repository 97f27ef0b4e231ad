#include "store/writer_lock.hpp"

#include "record/error.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace scholarsearch::store {

std::string WriterLock::holder(const std::string& lock_path) {
    std::ifstream file(lock_path);
    std::string pid;
    if (file >> pid) return " (pid " + pid + ")";
    return "";
}

WriterLock::WriterLock(const std::string& lock_path, const std::string& what) {
    fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw IndexUnavailable("cannot open " + lock_path + " for writing: " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd_);
        const std::string pid = holder(lock_path);
        throw IndexLocked(what + " is locked: another indexer is running" + (pid.empty() ? " (pid unknown)" : pid));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
        // The pid is only for the message another writer prints; the lock is what counts.
    }
}

WriterLock::~WriterLock() { ::close(fd_); }   // releases the flock

}  // namespace scholarsearch::store
