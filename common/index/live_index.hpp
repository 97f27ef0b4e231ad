#pragma once
/**
 * A live index for servers and nightly jobs: a root directory that opens as one database
 * through the stub file ROOT/XAPIANDB, which names one build under ROOT/builds/ (the layout, the
 * stub and the build names are store/builds.hpp's; this is the policy: when to swap, what to keep).
 *
 *   rebuild: index everything into a fresh build, check it (record count, a probe query, no
 *            large loss against the live build), then repoint the stub with rename(2) — readers
 *            see the old build or the new one, never a half-built one — and prune old builds.
 *   adopt:   the same checks and swap for a build made elsewhere and copied here (replicas).
 *   update:  add and replace records in the live build in place, committing in batches;
 *            optionally delete records missing from the input (a full snapshot).
 *
 * Killing either at any moment leaves the live index at its previous committed state; rerunning
 * finishes the job. One LiveIndex at a time per root: a second gets IndexLocked with the pid.
 */
#include "index/index_writer.hpp"
#include "store/writer_lock.hpp"

#include <optional>
#include <string>
#include <vector>

namespace scholarsearch::index {

struct RebuildOptions {
    IndexOptions index;
    std::size_t keep_builds = 2;       ///< builds kept on disk, the live one included
    double max_loss = 0.10;            ///< refuse to swap if the new build lost more than this share
    bool force = false;                ///< swap even when the checks fail
};

struct RebuildReport {
    std::string build;                 ///< directory name under builds/
    IndexStats stats;
    std::size_t documents = 0;
    std::optional<std::size_t> previous_documents;
    bool swapped = false;
    std::string refusal;               ///< why the swap was refused (empty when swapped)
    std::vector<std::string> removed_builds;
};

struct UpdateReport {
    IndexStats stats;
    std::size_t deleted = 0;
    std::size_t documents = 0;
    bool delete_skipped = false;       ///< --delete-missing skipped: input had errors or too much was missing
    std::string delete_skipped_reason;
};

struct LiveStats {
    std::string root, build;
    std::size_t documents = 0;
    std::size_t distinct_terms = 0;
    unsigned long long total_length = 0;
    unsigned long long bytes_on_disk = 0;
    std::string built_at, build_seconds, analyzer_version, last_swap;
};

/// Figures about the live index under `root`; needs no lock (a rebuild may be running).
LiveStats read_live_stats(const std::string& root);

class LiveIndex {
public:
    /// Creates the root if needed and locks it. Throws IndexLocked / IndexUnavailable.
    explicit LiveIndex(std::string root);
    ~LiveIndex();
    LiveIndex(const LiveIndex&) = delete;
    LiveIndex& operator=(const LiveIndex&) = delete;

    /// builds/NAME the stub points at, if any.
    std::optional<std::string> current_build() const;

    RebuildReport rebuild(const std::vector<std::string>& paths, const RebuildOptions& options,
                          const DiagnosticFn& on_diagnostic, const ProgressFn& on_progress = {});

    /// Serves a build made elsewhere (a directory copied here, e.g. by scripts/ship-build.sh):
    /// after the checks of rebuild (records, probe, `max_loss` unless `force`) and the analyzer
    /// and schema versions (IndexUnavailable, never forced), it is moved (or copied, from another
    /// file system) under builds/ and the stub repointed. A refused build is left where it was.
    RebuildReport adopt(const std::string& source, const RebuildOptions& options);

    /// With `delete_missing`, the input is a full snapshot; deletions that would remove more than
    /// `max_loss` of the records are skipped unless `force` (a truncated export must not wipe the index).
    UpdateReport update(const std::vector<std::string>& paths, const IndexOptions& options, bool delete_missing,
                        double max_loss, bool force, const DiagnosticFn& on_diagnostic,
                        const ProgressFn& on_progress = {});

private:
    std::optional<std::size_t> live_documents() const;
    static std::string refusal_of(const std::string& build_path, std::size_t documents,
                                  std::optional<std::size_t> previous_documents, double max_loss);
    std::vector<std::string> prune(std::size_t keep);

    std::string root_;
    std::optional<store::WriterLock> lock_;
};

}  // namespace scholarsearch::index
