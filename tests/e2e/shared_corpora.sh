#!/usr/bin/env bash
# Every ../shared/data/*/corpus.jsonl indexes completely: the index holds one document per distinct
# id (a record repeated under the same id replaces the earlier one; cacm repeats one id).
set -euo pipefail
index=$1 query=$2 data=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for corpus in "$data"/*/corpus.jsonl; do
  name=$(basename "$(dirname "$corpus")")
  expected=$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1]) if l.strip()}))' "$corpus")
  "$index" -q --db "$work/$name" "$corpus"
  actual=$("$query" --db "$work/$name" --json --no-highlight -n 1 "" |
           python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["estimated"])')
  echo "$name: $actual documents, $expected records"
  [ "$actual" -eq "$expected" ] || { echo "$name: expected $expected documents, got $actual"; exit 1; }
done
