#pragma once
/**
 * The layout of a live index root, and its generations:
 *
 *     ROOT/XAPIANDB          the stub: the database(s) served, by their paths under builds/
 *     ROOT/builds/NAME/      one generation each, NAME = "000042-20261126T011356Z": a sequence
 *                            number first, so that name order is creation order (pruning relies
 *                            on it) even for several builds in one second; the time is for people
 *     ROOT/last-swap         "TIME NAME" of the last time the stub was repointed
 *     ROOT/lock              the writer lock of the root (store/writer_lock.hpp)
 *
 * A generation is one directory under builds/; the stub may list several databases inside it
 * (shards of one build), and live_build() names the generation they all belong to.
 */
#include <optional>
#include <string>
#include <vector>

namespace scholarsearch::store {

std::string root_stub_path(const std::string& root);
std::string root_lock_path(const std::string& root);
std::string builds_path(const std::string& root);
std::string build_path(const std::string& root, const std::string& build);

/// The name for a new generation: one more than the highest sequence number under builds/.
std::string next_build_name(const std::string& root);

/// The generations under builds/, oldest first.
std::vector<std::string> list_builds(const std::string& root);

/// The generation the stub serves: the builds/NAME every database it lists is in; nullopt when
/// there is no stub, it cannot be parsed, or it names something else (a database outside builds/,
/// several generations).
std::optional<std::string> live_build(const std::string& root);

/// Repoints the stub at builds/`build` (atomically: readers see the old or the new) and records
/// the swap in last-swap. Throws Error.
void publish_build(const std::string& root, const std::string& build);

/// When the stub was last repointed (UTC, ISO 8601), "" if never.
std::string last_swap_time(const std::string& root);

}  // namespace scholarsearch::store
