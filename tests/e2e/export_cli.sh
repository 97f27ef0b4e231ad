#!/usr/bin/env bash
# scholarsearch-query --format as users run it, and the round trip: records with characters that
# need escaping (braces, %, &, $, backslash, underscores, accents, Chinese, a multi-line abstract)
# and the bundled samples are indexed, exported as RIS and as BibTeX, the exports are indexed again
# by scholarsearch-index into fresh databases, and the same ids, titles, authors, years and DOIs
# (and venues, keywords, abstracts, pages, affiliations) must come back.
# Usage: export_cli.sh INDEX_BIN QUERY_BIN SAMPLE_DIR EXPORT_DATA_DIR
set -euo pipefail
index=$1 query=$2 sample=$3 data=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*"; exit 1; }

"$index" -q --db "$work/db" "$data/tricky.jsonl" "$sample"
"$query" --db "$work/db" --format jsonl --limit 100000 '' >"$work/original.jsonl"
# 49 sample records and 5 of the fixture, less the 2 samples that share a DOI with another: an
# export holds one record per DOI, like the hits of a search.
total=$(wc -l <"$work/original.jsonl")
[ "$total" -eq 52 ] || fail "expected 52 records in the export of the original index, got $total"

for format in ris bibtex; do
  extension=$format
  [ "$format" = bibtex ] && extension=bib
  "$query" --db "$work/db" --format "$format" --limit 100000 '' >"$work/export.$extension"
  "$index" -q --db "$work/db-$format" "$work/export.$extension" || fail "the $format export did not index cleanly"
  "$query" --db "$work/db-$format" --format jsonl --limit 100000 '' >"$work/again-$format.jsonl"
  python3 - "$format" "$work/original.jsonl" "$work/again-$format.jsonl" <<'PY' || fail "$format round trip"
import json, re, sys
fmt, original_path, again_path = sys.argv[1:]
def key_of(record_id):
    # BibTeX keys: what BibTeX and \cite cannot take becomes "_" (docs/FORMATS.md, Export).
    return re.sub(r'[\x00-\x20,{}()"=%\\#~\'&$^\x7f]', "_", record_id) if fmt == "bibtex" else record_id
def spaced(text):
    return " ".join((text or "").split())
def authors(record):
    names = [a["name"] for a in record.get("authors", [])]
    if fmt == "bibtex":   # BibTeX's order for a suffix
        names = ["Smith, Jr., John" if n == "Smith, John, Jr." else n for n in names]
    return names
original = [json.loads(line) for line in open(original_path, encoding="utf-8")]
again = {r["id"]: r for r in map(json.loads, open(again_path, encoding="utf-8"))}
assert len(again) == len(original), (len(again), len(original))
renamed = 0
for record in original:
    key = key_of(record["id"])
    renamed += key != record["id"]
    assert key in again, f"{record['id']} did not come back (as {key})"
    back = again[key]
    for field in ("title", "year", "doi", "venue", "keywords", "pages", "language"):
        assert back.get(field) == record.get(field), (record["id"], field, record.get(field), back.get(field))
    assert authors(back) == authors(record), (record["id"], authors(record), authors(back))
    assert spaced(back.get("abstract")) == spaced(record.get("abstract")), record["id"]
    assert [a["name"] for a in back.get("affiliations", [])] == [a["name"] for a in record.get("affiliations", [])], record["id"]
# Seed-format ids (FILE#n) and the fixture's "key with spaces#3" are the ids a key cannot hold.
assert (renamed > 0) == (fmt == "bibtex"), renamed
tricky = again[key_of("tricky-1")]
assert tricky["title"].startswith("Set {A, B} and a lone } brace: 100% of $5 & #1 costs_{n} ~ x^2 \\ backslash"), tricky["title"]
assert tricky["authors"][0]["name"] == "Gutiérrez, Ana"
assert again[key_of("zh-1")]["title"] == "开放政府数据：平台建设与公民参与研究"
PY
done

# What the RIS file looks like: CRLF lines, one AB line for the three-line abstract.
grep -c $'^AB  - First line with 50% & \\$3. Second line, {braces} and \\\\commands. Third paragraph after a blank line. Tabbed.\r$' \
  "$work/export.ris" | grep -qx 1 || fail "the multi-line abstract is not one RIS line"
grep -q '^@misc{key_with_spaces_3,$' "$work/export.bib" || fail "no cleaned BibTeX key"

# Filters and sort as for a search: --year, --author, --sort.
"$query" --db "$work/db" --format jsonl --year 2021 --sort year-asc '' | python3 -c '
import json, sys
years = [json.loads(line).get("year") for line in sys.stdin]
assert years and set(years) == {2021}, years
'
"$query" --db "$work/db" --format csljson --author "Gutiérrez, Ana" '' | python3 -c '
import json, sys
items = json.load(sys.stdin)
assert [i["id"] for i in items] == ["tricky-1"], items
item = items[0]
assert item["type"] == "article-journal" and item["issued"] == {"date-parts": [[2019]]}, item
assert item["author"][0] == {"family": "Gutiérrez", "given": "Ana"}, item["author"]
'
"$query" --db "$work/db" --format csljson --limit 2 '' | python3 -c '
import json, sys
assert len(json.load(sys.stdin)) == 2
'

# --doc ID --format writes that record alone; without --format it stays the stored JSON.
"$query" --db "$work/db" --doc zh-1 --format bibtex >"$work/one.bib"
[ "$(grep -c '^@' "$work/one.bib")" -eq 1 ] && grep -q '^@article{zh-1,$' "$work/one.bib" || fail "--doc --format bibtex"
"$query" --db "$work/db" --doc zh-1 | python3 -c 'import json, sys; assert json.load(sys.stdin)["id"] == "zh-1"'
"$query" --db "$work/db" --doc zh-1 --format csljson | python3 -c '
import json, sys
item, = json.load(sys.stdin)
assert item["author"][1] == {"family": "欧阳", "given": "娜娜"}, item["author"]
'

set +e
"$query" --db "$work/db" --format xml open 2>"$work/stderr"; status=$?
set -e
[ "$status" -eq 2 ] && grep -q "ris, bibtex, csljson, jsonl" "$work/stderr" || fail "unknown format: status $status"
set +e
"$query" --db "$work/db" --format ris --limit 100001 open 2>/dev/null; status=$?
set -e
[ "$status" -eq 2 ] || fail "--limit over the maximum: expected 2, got $status"
echo ok
