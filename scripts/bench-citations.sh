#!/usr/bin/env bash
# Reference resolution on a generated collection with a known citation graph (not a test):
# scripts/make-citation-corpus.py writes the records and the truth, citation-resolution
# (tests/bench/citation_resolution.cpp, the resolver of common/graph) prints precision and recall.
#
#   scripts/bench-citations.sh [RECORDS]      default 20000 records (~700k references, ~30 s)
# Environment: BUILD_DIR (default build), BENCH_DIR (default $BUILD_DIR/bench), DATA_DIR, SEED (1).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench_lib.sh
records=${1:-20000}
out=$BENCH_DIR/citations-$records
tool=$BUILD_DIR/tests/bench/citation-resolution
[[ -x $tool ]] || cmake --build "$BUILD_DIR" --target citation-resolution >&2
if [[ ! -s $out/truth.tsv || scripts/make-citation-corpus.py -nt $out/truth.tsv ]]; then
    log "generating $records records with references into $out"
    python3 scripts/make-citation-corpus.py "$out" --records "$records" --seed "${SEED:-1}" --data-dir "$DATA_DIR"
fi
echo "reference resolution: $(bench_header)"
echo "corpus: scripts/make-citation-corpus.py $out --records $records --seed ${SEED:-1}"
"$tool" "$out/corpus.jsonl" "$out/truth.tsv"
