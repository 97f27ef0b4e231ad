#pragma once
/**
 * Stub files: the text file that names the databases an index path stands for, one a line, in
 * Xapian's stub format (so `xapian-delve STUB` still opens it). Read and written here only:
 *
 *     # comment
 *     auto builds/000042-20261126T011356Z      a local database (glass and chert name one too);
 *                                              relative paths are relative to the stub's directory
 *     remote host.example:33333                a database served by xapian-tcpsrv
 *     remote :xapian-progsrv /srv/db           one served by a program over a pipe
 *
 * A stub lists any number of databases (several shards are searched as one); writing one
 * replaces the whole file with rename(2), so a reader sees the old list or the new, never a mix.
 */
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::store {

struct StubEntry {
    enum class Kind { local, remote_tcp, remote_program };
    Kind kind = Kind::local;
    std::string backend = "auto";   ///< local: "auto", "glass" or "chert", as written
    std::string path;               ///< local: as written (see resolved_path)
    std::string host;               ///< remote_tcp
    unsigned port = 0;              ///< remote_tcp
    std::string program;            ///< remote_program
    std::string arguments;          ///< remote_program: one string, as Xapian::Remote::open takes it

    static StubEntry local(std::string path);
    static StubEntry remote(std::string host, unsigned port);

    /// The line of the stub file, without its newline.
    std::string line() const;
    bool operator==(const StubEntry&) const = default;
};

/// The entries of stub text; `stub_path` names the file in messages. Throws IndexUnavailable
/// ("STUB:LINE: ...") for a line Xapian would not open, and for a stub that lists nothing.
std::vector<StubEntry> parse_stub(std::string_view text, const std::string& stub_path);

/// The text of a stub listing `entries`, a line each.
std::string format_stub(const std::vector<StubEntry>& entries);

/// Reads and parses the stub at `stub_path`. Throws IndexUnavailable (cannot read it, bad lines).
std::vector<StubEntry> read_stub(const std::string& stub_path);

/// Replaces the stub at `stub_path` by one listing `entries`, atomically (write_atomically).
void write_stub(const std::string& stub_path, const std::vector<StubEntry>& entries);

/// A local entry's path as opened: relative paths are relative to the stub's directory.
std::string resolved_path(const StubEntry& entry, const std::string& stub_path);

/// Writes `content` to `path` so that readers see the old file or the new one, never a mix: a
/// temporary beside it, fsync, rename(2), fsync of the directory. Throws Error.
void write_atomically(const std::string& path, const std::string& content);

}  // namespace scholarsearch::store
