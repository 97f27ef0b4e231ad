#!/usr/bin/env bash
# Nightly rebuild for cron or the systemd timer in deploy/systemd/:
#   scripts/nightly-reindex.sh ROOT INPUT...
# Rebuilds the live index under ROOT from INPUT (files or directories) and swaps it in only if
# it passes the checks (record count, probe query, at most MAX_LOSS of the records lost). The
# server (scholarsearch-server --db ROOT) follows the swap by itself.
#
# Logs: one key=value line per event on stderr (journald under systemd; append to a file from cron).
# Exit status (alert on anything but 0):
#   0 swapped; 1 swapped, but some input records were rejected (see file:line lines);
#   2 could not run (another indexer is running, unwritable root, ...); 3 checks failed, not swapped.
# Environment: SCHOLARSEARCH_BIN (directory of the programs), MAX_LOSS (default 0.10),
# KEEP_BUILDS (default 2), ALERT_COMMAND (run with the exit status as its argument when non-zero).
set -uo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 ROOT INPUT..." >&2
  exit 2
fi
root=$1
shift
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SCHOLARSEARCH_BIN:-$here/build/indexer}

"$bin/scholarsearch-index" rebuild --quiet --root "$root" --max-loss "${MAX_LOSS:-0.10}" \
  --keep "${KEEP_BUILDS:-2}" "$@"
status=$?
echo "time=$(date -u +%Y-%m-%dT%H:%M:%SZ) event=nightly_reindex_done root=$root status=$status" >&2
if [ "$status" -ne 0 ] && [ -n "${ALERT_COMMAND:-}" ]; then
  $ALERT_COMMAND "$status" || true
fi
exit "$status"
