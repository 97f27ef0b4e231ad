#!/usr/bin/env bash
# `scholarsearch-index parse FILE` prints exactly the *.expected.json document of every example.
set -euo pipefail
index=$1 dir=$2
status=0
compared=0
for input in "$dir"/*.txt; do
  expected=${input%.txt}.expected.json
  [ -f "$expected" ] || continue
  # Exit status 1 is expected for files with rejected records.
  "$index" parse "$input" 2>/dev/null >"${TMPDIR:-/tmp}/parse-$$.json" || true
  if python3 - "$expected" "${TMPDIR:-/tmp}/parse-$$.json" <<'PY'
import json, sys
expected = json.load(open(sys.argv[1], encoding="utf-8"))
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
actual = json.loads(lines[0]) if len(lines) == 1 else None
sys.exit(0 if actual == expected else 1)
PY
  then echo "match: $(basename "$input")"; compared=$((compared + 1))
  else echo "MISMATCH: $(basename "$input")"; status=1
  fi
done
rm -f "${TMPDIR:-/tmp}/parse-$$.json"
[ "$compared" -gt 0 ] || { echo "no *.txt with *.expected.json in $dir"; exit 1; }
exit $status
