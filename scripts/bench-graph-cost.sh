#!/usr/bin/env bash
# What the citation graph costs at index time (issue 17: at most 15% more indexing time and 10%
# more index): the generated corpus of scripts/bench-citations.sh (20-50 references per record),
# indexed from empty with the graph (keys, Work values, in-collection counts) and without it
# (SCHOLARSEARCH_BENCH_WITHOUT_GRAPH=1, an index for this measurement only), RUNS times each,
# interleaved, so that a load that comes and goes on a shared machine hits both alike. Prints a
# Markdown table: wall seconds, user+sys CPU seconds and peak RSS (GNU time -v), index bytes.
#
#   scripts/bench-graph-cost.sh [RECORDS] [RUNS]     default 100000 records, 2 runs each
# Environment: BUILD_DIR (default build), BENCH_DIR (default $BUILD_DIR/bench), DATA_DIR, SEED (1).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench_lib.sh
records=${1:-100000}
runs=${2:-2}
corpus_dir=$BENCH_DIR/citations-$records
[[ -x /usr/bin/time ]] || die "needs GNU time (/usr/bin/time, Debian package time)"
if [[ ! -s $corpus_dir/corpus.jsonl || scripts/make-citation-corpus.py -nt $corpus_dir/corpus.jsonl ]]; then
    log "generating $records records with references into $corpus_dir"
    python3 scripts/make-citation-corpus.py "$corpus_dir" --records "$records" --seed "${SEED:-1}" --data-dir "$DATA_DIR"
fi
# One binary for the whole run: others rebuild build/ meanwhile.
work=$BENCH_DIR/graph-cost
mkdir -p "$work"
[[ -x $BUILD_DIR/indexer/scholarsearch-index ]] || cmake --build "$BUILD_DIR" --target scholarsearch-index >&2
cp "$BUILD_DIR/indexer/scholarsearch-index" "$work/scholarsearch-index"

measure() {   # measure NAME RUN [ENV...]: one build from empty; prints a TSV row
    local name=$1 run=$2
    shift 2
    local db=$work/index-$name
    rm -rf "$db"
    log "$name, run $run"
    env "$@" /usr/bin/time -v -o "$work/time-$name-$run.txt" "$work/scholarsearch-index" -q --db "$db" "$corpus_dir/corpus.jsonl"
    local wall user sys rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time-$name-$run.txt")
    user=$(awk -F': ' '/User time/ {print $2}' "$work/time-$name-$run.txt")
    sys=$(awk -F': ' '/System time/ {print $2}' "$work/time-$name-$run.txt")
    rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time-$name-$run.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" \
        "$((rss / 1024))" "$(du -sb "$db" | cut -f1)" >>"$work/results.tsv"
}

: >"$work/results.tsv"
for ((run = 1; run <= runs; run++)); do
    measure without "$run" SCHOLARSEARCH_BENCH_WITHOUT_GRAPH=1
    measure with "$run" SCHOLARSEARCH_BENCH_WITHOUT_GRAPH=0
done

echo "graph cost at index time: $(bench_header)"
echo "corpus: scripts/make-citation-corpus.py $corpus_dir --records $records --seed ${SEED:-1} ($(du -sb "$corpus_dir/corpus.jsonl" | cut -f1) bytes)"
echo "command: /usr/bin/time -v scholarsearch-index -q --db DIR corpus.jsonl (defaults: one thread per core, parallel build), runs interleaved"
echo
echo "| build | run | wall s | user+sys CPU s | peak RSS MB | index bytes |"
echo "|---|---:|---:|---:|---:|---:|"
awk -F'\t' '{printf "| %s | %s | %.1f | %.1f | %d | %d |\n", $1, $2, $3, $4, $5, $6}' "$work/results.tsv"
awk -F'\t' '{wall[$1] += $3; cpu[$1] += $4; size[$1] = $6; n[$1]++}
    END {printf "\nwith / without, means of the runs: wall %+.1f%%, CPU %+.1f%%, index %+.1f%%\n",
         100 * (wall["with"] / n["with"] / (wall["without"] / n["without"]) - 1),
         100 * (cpu["with"] / n["with"] / (cpu["without"] / n["without"]) - 1),
         100 * (size["with"] / size["without"] - 1)}' "$work/results.tsv"
