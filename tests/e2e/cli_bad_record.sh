#!/usr/bin/env bash
# A file with one bad record among good ones: exit status 1, a file:line diagnostic, and the good
# records are searchable. Also: a missing --db directory parent, and exit 2 for a locked index.
set -euo pipefail
index=$1 query=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/mixed.jsonl" <<'JSONL'
{"id": "good-1", "title": "Glacier retreat in the Alps", "abstract": "Measurements of glacier retreat."}
{"id": "bad-1", "title": "Broken record", "year": "not a year"}
{"id": "good-2", "title": "冰川退缩与气候变化", "abstract": "利用遥感数据研究冰川退缩。"}
JSONL
printf 'Ice cores from Greenland\n\n被引:3\n作者\nFrost, Anna\n摘要\nIce cores record past climate.\n\xff\xfe broken bytes\n' >"$work/bad-bytes.txt"

set +e
"$index" --db "$work/db" "$work/mixed.jsonl" "$work/bad-bytes.txt" 2>"$work/stderr"
status=$?
set -e
cat "$work/stderr"
[ "$status" -eq 1 ] || { echo "expected exit status 1, got $status"; exit 1; }
grep -q "mixed.jsonl:2: error: .*year" "$work/stderr" || { echo "no file:line diagnostic for the bad record"; exit 1; }
grep -q "bad-bytes.txt:8: error: .*UTF-8" "$work/stderr" || { echo "no diagnostic for the bad file"; exit 1; }

"$query" --db "$work/db" --json glacier | grep -q '"id":"good-1"' || { echo "good-1 not found"; exit 1; }
"$query" --db "$work/db" --json 冰川 | grep -q '"id":"good-2"' || { echo "good-2 not found"; exit 1; }
"$query" --db "$work/db" --json broken | grep -q '"hits":\[\]' || { echo "the bad record was indexed"; exit 1; }

# Could not run: exit status 2 with a message.
set +e
"$index" --db /proc/no-such-place/db "$work/mixed.jsonl" 2>"$work/stderr"; status=$?
set -e
[ "$status" -eq 2 ] || { echo "unwritable directory: expected 2, got $status"; exit 1; }
grep -q "scholarsearch-index: error:" "$work/stderr" || { echo "no error message for an unwritable directory"; exit 1; }
echo "ok"
