#!/usr/bin/env bash
# RIS, Web of Science and BibTeX files through the programs, as a user runs them: the bundled
# samples are indexed and found by author, DOI, keyword, venue and Chinese words; files with one
# bad record among good ones exit 1 with file:line diagnostics and keep the good records.
# Usage: tagged_formats.sh INDEX_BIN QUERY_BIN SAMPLE_DIR
set -euo pipefail
index=$1 query=$2 sample=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*"; exit 1; }

# Finds QUERY and expects the record ID among the first three hits.
expect_hit() {
  local q=$1 id=$2
  "$query" --db "$work/db" --json -n 3 "$q" | grep -q "\"id\":\"$id\"" || fail "'$q' does not find $id"
}

"$index" -q --db "$work/db" "$sample/tagged" || fail "the tagged samples did not index cleanly"
expect_hit 'author:"Moreau, Camille"' 'WOS:000555500000001'
expect_hit 'affiliation:Kobe' 'WOS:000555500000001'
expect_hit 'doi:10.5555/jrdp.2020.045' 'WOS:000555500000001'
expect_hit '预印本 引用' 'WOS:000555500000003'
expect_hit 'author:"Okonkwo, Adaeze"' '10.5555/jsm.2019.014'
expect_hit 'keyword:"citation window"' '10.5555/jsm.2019.014'
expect_hit 'reviewer fatigue' '10.5555/csp.2021.033'
expect_hit '科研合作网络' '10.5555/qbkx.2022.007'
expect_hit 'author:"Novák, Tomáš"' 'novak2018orcid'
expect_hit 'venue:"Journal of Digital Scholarship"' 'novak2018orcid'
expect_hit 'retraction notices year:2020' 'ferreira2020retraction'
expect_hit '元数据质量' 'wang2023metadata'

printf 'TY  - JOUR\nTI  - Glacier mass balance from satellites\nER  - \nTY  - JOUR\nTI  - bad \xff bytes\nER  - \nTY  - JOUR\nTI  - Moraine dating with beryllium\nER  - \n' >"$work/mixed.ris"
printf 'FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI Permafrost thaw and river chemistry\nUT WOS:1\nER\nPT J\nTI broken \xc3\x28 text\nUT WOS:2\nER\nPT J\nTI Lake ice phenology\nUT WOS:3\nER\nEF\n' >"$work/mixed-wos.txt"
printf '@article{good1, title = {Snow albedo feedback}}\n@article{bad1, title = {never closed\n@article{good2, title = {Avalanche forecasting}}\n' >"$work/mixed.bib"
set +e
"$index" --db "$work/db2" "$work/mixed.ris" "$work/mixed-wos.txt" "$work/mixed.bib" 2>"$work/stderr"
status=$?
set -e
cat "$work/stderr"
[ "$status" -eq 1 ] || fail "expected exit status 1, got $status"
grep -q "mixed.ris:5: error: " "$work/stderr" || fail "no file:line diagnostic for the RIS record"
grep -q "mixed-wos.txt:8: error: " "$work/stderr" || fail "no file:line diagnostic for the WoS record"
grep -q "mixed.bib:2: error: " "$work/stderr" || fail "no file:line diagnostic for the BibTeX entry"
for q in glacier moraine permafrost "lake ice" albedo avalanche; do
  "$query" --db "$work/db2" --json "$q" | grep -q '"hits":\[{' || fail "good record for '$q' not found"
done
"$query" --db "$work/db2" --json broken | grep -q '"hits":\[\]' || fail "a bad record was indexed"

# An unknown @string macro is a warning: the entry is indexed with the macro's name and the
# run exits 0.
printf '@article{warned, title = {Moulin formation}, journal = glaciol}\n' >"$work/warned.bib"
"$index" --db "$work/db3" "$work/warned.bib" 2>"$work/stderr" || fail "a warning made the run exit non-zero"
grep -q "warned.bib:1: warning: " "$work/stderr" || fail "no warning for the unknown macro"
"$query" --db "$work/db3" --json moulin | grep -q '"id":"warned"' || fail "the warned entry was not indexed"

# parse shows what the readers saw, in the expected.json layout (exit 1: a record was rejected).
set +e
"$index" parse "$work/mixed.ris" >"$work/parsed.json" 2>/dev/null
status=$?
set -e
[ "$status" -eq 1 ] || fail "parse of mixed.ris: expected exit status 1, got $status"
python3 -c '
import json, sys
result = json.loads(open(sys.argv[1]).readline())
assert len(result["records"]) == 2, result
assert [e["line"] for e in result["errors"]] == [5], result["errors"]
' "$work/parsed.json" || fail "parse output for mixed.ris"
echo "ok"
