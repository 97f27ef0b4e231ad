#!/usr/bin/env bash
# Ships the live build of an index root (made by `scholarsearch-index rebuild` on a build host) to
# each replica and makes it live there, one replica at a time, so that the others keep answering
# behind HAProxy while one swaps (docs/SCALING.md):
#   1. rsync of ROOT/builds/<live build>/ into REPLICA_ROOT/incoming/<build>/ (a rerun after an
#      interruption sends only what is missing);
#   2. `scholarsearch-index adopt --root REPLICA_ROOT` on the replica: it checks the copy (analyzer
#      and schema version, records, a probe query, no large loss against its live build), moves it
#      under builds/ and repoints the stub atomically. Its server serves the new build within two
#      seconds, without a restart.
#
#   scripts/ship-build.sh ROOT TARGET...
#   TARGET: HOST:/path/to/root (rsync and ssh to HOST) or /path/to/root on this machine.
# Environment: SCHOLARSEARCH_INDEX, the indexer here (it names the live build: `live-build`) and
#   on the replicas (default scholarsearch-index on the PATH); ADOPT_ARGS, extra arguments for adopt (e.g. "--max-loss 0.2" or "--keep 3").
# Exit status: 0 every replica serves the build; 2 a replica could not be reached or updated, 3 a
# replica refused the build (its live index is unchanged). The replicas after a failed one are not
# touched: the fleet never ends up on a build that one of them refused.
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
root=$1
shift
indexer=${SCHOLARSEARCH_INDEX:-scholarsearch-index}
build=$("$indexer" live-build --root "$root" 2>/dev/null || true)   # the stub is read by the store only
[[ -n $build && -d $root/builds/$build ]] || { echo "ship-build: $root has no live build (run scholarsearch-index rebuild --root $root)" >&2; exit 2; }
read -r -a adopt_args <<<"${ADOPT_ARGS:-}"

for target in "$@"; do
    if [[ $target == *:* ]]; then
        host=${target%%:*} replica_root=${target#*:}
        run=(ssh -o BatchMode=yes "$host")
        destination=$host:$replica_root/incoming/$build/
    else
        replica_root=$target
        run=()
        destination=$replica_root/incoming/$build/
    fi
    echo "ship-build: $build -> $target" >&2
    "${run[@]}" mkdir -p "$replica_root/incoming"
    rsync -a --delete "$root/builds/$build/" "$destination"
    status=0
    # shellcheck disable=SC2029  # the paths are meant to expand here
    "${run[@]}" "$indexer" adopt --root "$replica_root" "${adopt_args[@]}" "$replica_root/incoming/$build" || status=$?
    if ((status != 0 && status != 1)); then
        echo "ship-build: $target did not take $build (exit $status); the replicas after it were left as they are" >&2
        exit "$((status == 3 ? 3 : 2))"
    fi
done
echo "ship-build: every replica serves $build" >&2
