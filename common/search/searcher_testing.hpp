#pragma once
/**
 * Test-only hook (not part of the Searcher's interface): lets a test commit to the index between
 * a Searcher's read attempts, so the reads meet a revision that commits have really overwritten
 * (Xapian's DatabaseModifiedError) as often as the test wants, without racing a writer thread.
 */
#include <functional>

namespace scholarsearch::search::testing {

/// Called at the start of every read attempt of every Searcher (an empty function: none). Not
/// thread-safe: set it while no Searcher is in use.
void set_before_read_attempt(std::function<void()> hook);

}  // namespace scholarsearch::search::testing
