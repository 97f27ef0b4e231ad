#!/usr/bin/env bash
# scholarsearch-query as users run it: --json is the server's document, --batch writes a TREC run
# (qid Q0 docid rank score tag), bad queries exit 1 with a message, usage errors exit 2.
set -euo pipefail
index=$1 query=$2 sample=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$index" -q --db "$work/db" "$sample"

"$query" --db "$work/db" --json --facets transparency social media | python3 -c '
import json, sys
result = json.load(sys.stdin)
assert set(result) >= {"query", "total", "offset", "size", "hits", "facets", "spelling_suggestion"}, result.keys()
assert result["hits"], "no hits"
assert result["hits"][0]["rank"] == 1 and "<mark>" in result["hits"][0]["snippet"]
'

# Facets by name (a list after --facets, or --facets=LIST); a bare --facets before query words
# counts every facet; an unknown name is a usage error naming the valid ones.
"$query" --db "$work/db" --json --facets year,venue transparency | python3 -c '
import json, sys
result = json.load(sys.stdin)
assert sorted(result["facets"]) == ["venue", "year"], result["facets"].keys()
assert result["facets_exact"] is True and result["facets_counted"] >= result["total"]["lower_bound"] > 0, result
'
"$query" --db "$work/db" --json --facets social media | python3 -c '
import json, sys
result = json.load(sys.stdin)
assert sorted(result["facets"]) == ["author", "clc", "keyword", "venue", "year"], result["facets"].keys()
assert result["query"] == "social media", result["query"]
'
set +e
"$query" --db "$work/db" --facets=year,colour social 2>"$work/stderr"; status=$?
set -e
[ "$status" -eq 2 ] && grep -q 'unknown facet "colour": facets are year, venue, keyword, author, clc' "$work/stderr" ||
    { echo "unknown facet: status $status"; cat "$work/stderr"; exit 1; }

# --cursor walks every hit of the browse-everything query, each once; the total is exact with
# facets, so the walk must have exactly that many hits.
total=$("$query" --db "$work/db" --json --facets=year -n 1 '' | python3 -c 'import json, sys; t = json.load(sys.stdin)["total"]; assert t["lower_bound"] == t["upper_bound"]; print(t["estimated"])')
cursor='*' pages=0
: >"$work/walk.txt"
while [ -n "$cursor" ]; do
    "$query" --db "$work/db" --json -n 7 --cursor "$cursor" '' >"$work/page.json"
    python3 -c '
import json, sys
page = json.load(open(sys.argv[1]))
with open(sys.argv[2], "a") as out:
    for hit in page["hits"]: out.write(hit["id"] + "\n")
print(page["next_cursor"] or "")' "$work/page.json" "$work/walk.txt" >"$work/next"
    cursor=$(cat "$work/next") pages=$((pages + 1))
    [ "$pages" -lt 100 ] || { echo "cursor walk does not end"; exit 1; }
done
[ "$(wc -l <"$work/walk.txt")" -eq "$total" ] && [ "$(sort -u "$work/walk.txt" | wc -l)" -eq "$total" ] ||
    { echo "cursor walk: $(wc -l <"$work/walk.txt") hits ($(sort -u "$work/walk.txt" | wc -l) distinct), expected $total"; exit 1; }
"$query" --db "$work/db" -n 3 --cursor '*' '' | grep -q '^next cursor: ' || { echo "no next cursor line"; exit 1; }
set +e
"$query" --db "$work/db" --cursor bogus '' 2>"$work/stderr"; status=$?
set -e
[ "$status" -eq 2 ] && grep -q "bad cursor" "$work/stderr" || { echo "bad cursor: status $status"; cat "$work/stderr"; exit 1; }

# A query that finds nothing as typed shows the correction's hits and says so, in one line.
"$query" --db "$work/db" transparncy socail >"$work/corrected.txt"
grep -qx 'Showing results for: transparency social (no results for "transparncy socail")' "$work/corrected.txt" ||
    { echo "no correction line:"; cat "$work/corrected.txt"; exit 1; }
grep -q '^  1\. ' "$work/corrected.txt" || { echo "no hits for the correction"; exit 1; }
"$query" --db "$work/db" --json transparncy socail | python3 -c '
import json, sys
result = json.load(sys.stdin)
assert result["corrected_query"] == "transparency social", result["corrected_query"]
assert result["hits"], "no hits"
'

printf 'q1\ttransparency social media\nq2\t社交媒体 政府\nq3\tno-such-word-anywhere\n' >"$work/queries.tsv"
"$query" --db "$work/db" --batch "$work/queries.tsv" --run "$work/run.trec" --hits 5 --tag mytag 2>"$work/stderr"
grep -q "queries=3 .*failures=0" "$work/stderr" || { cat "$work/stderr"; exit 1; }
python3 - "$work/run.trec" <<'PY'
import sys
lines = [line.split() for line in open(sys.argv[1], encoding="utf-8")]
assert lines, "empty run"
for fields in lines:
    assert len(fields) == 6, fields
    qid, q0, docid, rank, score, tag = fields
    assert q0 == "Q0" and tag == "mytag" and qid in ("q1", "q2"), fields
    float(score)
for qid in ("q1", "q2"):
    ranks = [int(f[3]) for f in lines if f[0] == qid]
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) == 5, (qid, ranks)
PY

set +e
"$query" --db "$work/db" 'year:abc' 2>"$work/stderr"; status=$?
set -e
[ "$status" -eq 1 ] && grep -q "bad query: year" "$work/stderr" || { echo "bad query: status $status"; cat "$work/stderr"; exit 1; }
set +e
"$query" --db "$work/db" --no-such-flag 2>/dev/null; status=$?
set -e
[ "$status" -eq 2 ] || { echo "usage error: expected 2, got $status"; exit 1; }
echo ok
