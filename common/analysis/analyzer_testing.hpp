#pragma once
/**
 * Test-only hook (not part of the analyzer's interface): lets a test build an Analyzer that
 * runs every text through the plain ICU pipeline, so the fast paths (ASCII segmentation,
 * direct bigrams for Han runs) can be checked to give exactly the same tokens.
 */
namespace scholarsearch::analysis::testing {

/// Analyzers constructed while this is false use no fast path. Default: true.
void set_fast_paths_enabled(bool enabled);

}  // namespace scholarsearch::analysis::testing
