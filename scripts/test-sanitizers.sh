#!/usr/bin/env bash
# Second test stage: the whole suite built with AddressSanitizer + UndefinedBehaviorSanitizer
# into build-asan/. Any report fails the run (halt_on_error, and UBSan aborts instead of warning).
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
BUILD_DIR=build-asan BUILD_TYPE=Debug bash scripts/build.sh -DSCHOLARSEARCH_WERROR=ON \
  -DSCHOLARSEARCH_SANITIZE=address,undefined -DSCHOLARSEARCH_BUILD_BENCHMARKS=OFF
# The browser test exercises Chromium more than our code and is slow under ASan; the normal
# stage runs it.
ctest --test-dir build-asan --output-on-failure --timeout 900 -j "$(nproc)" -E 'e2e.browser'
