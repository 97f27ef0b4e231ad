#!/usr/bin/env bash
# The test command: installs dependencies, builds with warnings as errors, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
BUILD_DIR=${BUILD_DIR:-build} bash scripts/build.sh -DSCHOLARSEARCH_WERROR=ON
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --timeout 600 -j "$(nproc)"
# Second stage: the same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
  bash scripts/test-sanitizers.sh
fi
