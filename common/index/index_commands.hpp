#pragma once
/**
 * What scholarsearch-index does, one function per command, so that its main() only reads the
 * options: each runs the command, reports on stderr as the command line promises (diagnostics as
 * file:line, a progress bar on a terminal, one key=value event line per rebuild/update step, a
 * summary line) and returns the exit status. Errors that stop a command are thrown (Error and its
 * kinds), for main() to turn into exit_cannot_run.
 */
#include "index/index_writer.hpp"
#include "index/live_index.hpp"

#include <string>
#include <vector>

namespace scholarsearch::index {

constexpr int exit_clean = 0;
constexpr int exit_rejected = 1;       ///< some records or files were rejected (see stderr)
constexpr int exit_cannot_run = 2;
constexpr int exit_swap_refused = 3;   ///< rebuild/adopt: a safety check failed; the live index is unchanged

/// `parse`: prints what the parsers read, one JSON object per file (the *.expected.json schema).
int run_parse(const std::vector<std::string>& files);

/// `--db DIR paths...`: deletes `deletions`, indexes `inputs` into the database, commits.
int run_index(const std::string& db, const std::vector<std::string>& inputs, const std::vector<std::string>& deletions,
              const IndexOptions& options, bool quiet);

/// `rebuild`: a new build under `root`, checked, then swapped in.
int run_rebuild(const std::string& root, const std::vector<std::string>& inputs, const RebuildOptions& options,
                bool quiet);

/// `adopt`: a build made elsewhere, checked as a rebuild's, then swapped in.
int run_adopt(const std::string& root, const std::string& build, const RebuildOptions& options);

/// `update`: adds and replaces records of the live index in place.
int run_update(const std::string& root, const std::vector<std::string>& inputs, const IndexOptions& options,
               bool delete_missing, double max_loss, bool force, bool quiet);

/// `stats`: the live index's records, terms, size, build time and versions, as text or JSON.
int run_stats(const std::string& root, bool as_json);

/// `spelling-db`: the spelling dictionary of `index` (a directory, a stub of local shards or a
/// live root) as a database of its own at `target` (store::write_spelling_database).
int run_spelling_db(const std::string& index, const std::string& target);

/// `live-build`: prints the name of the build under ROOT/builds the stub serves (what
/// scripts/ship-build.sh copies), or fails with exit_cannot_run when there is none.
int run_live_build(const std::string& root);

}  // namespace scholarsearch::index
