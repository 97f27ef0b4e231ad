#!/usr/bin/env bash
# Disk full while indexing, on a small tmpfs: during a rebuild (the new build fails, the live one
# keeps serving) and during an update in place (the batches committed before stay). Each time:
# exit status 2, a message naming the cause, and the records committed before are all there.
# Needs mount(2) (root, as in CI); where it is not allowed the test is skipped (exit 77).
set -euo pipefail
index=$1 query=$2
work=$(mktemp -d)
disk=$work/disk
mkdir -p "$disk"
if ! mount -t tmpfs -o size=8m tmpfs "$disk" 2>/dev/null; then
    echo "SKIP: cannot mount a tmpfs here (needs root); disk-full handling not tested"
    rm -rf "$work"
    exit 77
fi
trap 'umount "$disk"; rm -rf "$work"' EXIT

records() {   # first count word
    python3 - "$@" <<'PY'
import sys
first, count, word = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for i in range(first, first + count):
    print('{"id": "d%d", "title": "%s record %d", "abstract": "%s"}'
          % (i, word, i, " ".join("w%d" % ((i * 31 + k) % 50000) for k in range(40))))
PY
}
documents() { "$index" stats --root "$disk/live" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])'; }
expect_disk_full() {   # what, stderr file, status
    cat "$2" >&2
    [ "$3" -eq 2 ] || { echo "$1: expected exit status 2 on a full disk, got $3"; exit 1; }
    grep -qi "no space\|disk full\|ENOSPC" "$2" || { echo "$1: the message does not say the disk is full"; exit 1; }
}

records 0 300 small >"$work/small.jsonl"
records 1000 60000 big >"$work/big.jsonl"
"$index" rebuild -q --root "$disk/live" "$work/small.jsonl"
[ "$(documents)" -eq 300 ] || { echo "the first build does not hold 300 records"; exit 1; }

set +e
"$index" rebuild -q --root "$disk/live" --batch-size 2000 "$work/big.jsonl" 2>"$work/rebuild.err"
status=$?
set -e
expect_disk_full rebuild "$work/rebuild.err" "$status"
[ "$(documents)" -eq 300 ] || { echo "after the failed rebuild the live index lost records"; exit 1; }
"$query" --db "$disk/live" --json small | grep -q '"id":"d1"' || { echo "the live build does not answer"; exit 1; }
[ "$(ls "$disk/live/builds" | wc -l)" -eq 1 ] || { echo "the failed build was left on the full disk"; ls "$disk/live/builds"; exit 1; }

set +e
"$index" update -q --root "$disk/live" --batch-size 500 "$work/big.jsonl" 2>"$work/update.err"
status=$?
set -e
expect_disk_full update "$work/update.err" "$status"
after=$(documents)
echo "update on a full disk: $after records committed"
[ "$after" -ge 300 ] && [ $(((after - 300) % 500)) -eq 0 ] ||
    { echo "the update on a full disk lost committed records or left a partial batch ($after)"; exit 1; }
"$query" --db "$disk/live" --json small | grep -q '"id":"d1"' || { echo "the index does not answer after the failed update"; exit 1; }
echo "disk full: clear errors, nothing committed lost"
