#!/usr/bin/env bash
# Indexing benchmark: our indexer against the raw-Xapian baseline (tests/bench/xapian_baseline.cpp)
# on every shared corpus and on a synthetic corpus. A benchmark, not a test: it never fails on
# slow numbers, only when something cannot run.
#
#   scripts/bench-index.sh [--synthetic N] [--skip-synthetic] [--no-scaling] [--corpora "cranfield cisi ..."]
#
#   --synthetic N     records in the synthetic corpus (default 200000), generated once into
#                     $BENCH_DIR/synthetic-N.jsonl by scripts/make-synthetic.py --seed 1 from
#                     cranfield+cisi+med+cacm+csl
#   --skip-synthetic  shared corpora only
#   --no-scaling      skip the runs on the first N/4 synthetic records (memory against corpus size)
#   --corpora LIST    shared corpora to run (default: cranfield cisi med cacm adi csl; "" for none)
#   --runs N          runs per system on each shared corpus (default 5); the table takes the median
#                     wall time and the largest peak RSS (the synthetic corpus runs once)
#
# Measured per run (wall seconds from the shell's clock around /usr/bin/time, peak RSS from
# /usr/bin/time, so process start-up is included
# for both systems): records indexed, seconds, records/s, MB/s (input bytes / wall seconds),
# peak RSS, index size (du -sb). Our indexer runs with its defaults (--threads 0 = one per core,
# --batch-size 2000); on the synthetic corpus it runs with --batch-size 20000 and 2000, and both
# batch sizes run on the first N/4 records too, so the peak-RSS column shows whether memory is bounded
# by the batch size or grows with the corpus.
#
# The indexes stay in $BENCH_DIR/index/<corpus>/{ours,baseline} (with a .stamp file) and are
# reused by scripts/bench-search.sh. Results: $BENCH_DIR/index-results.{tsv,md}.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench_lib.sh

bench_corpus_defaults
scaling=1
runs=5
while (($#)); do
    bench_corpus_option "$@"
    if ((BENCH_SHIFT)); then shift "$BENCH_SHIFT"; continue; fi
    case $1 in
        --no-scaling) scaling=0; shift ;;
        --runs) runs=${2:?--runs needs a count}; shift 2 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
bench_corpus_check
[[ $runs =~ ^[0-9]+$ && $runs -gt 0 ]] || die "--runs needs a positive count"

bench_require_binaries
mkdir -p "$BENCH_DIR/index" "$BENCH_DIR/logs"
bench_snapshot_binaries
results=$BENCH_DIR/index-results.tsv
printf 'corpus\tsystem\trecords\tseconds\trecords_per_s\tmb_per_s\tpeak_mb\tindex_mb\texit\n' >"$results"
warnings=()

# index_run RUNS CORPUS SYSTEM INPUT DB [our indexer options...]
# SYSTEM is "baseline", "baseline --cjk-ngram" or a label starting with "ours"; DB is deleted
# before each of the RUNS runs. Small corpora index in tens of milliseconds, where one run is
# mostly noise: the row takes the median wall time and the largest peak RSS.
index_run() {
    local runs=$1 corpus=$2 system=$3 input=$4 db=$5
    shift 5
    local tag="$corpus-$system"
    local log_prefix=$BENCH_DIR/logs/index-${tag//[^A-Za-z0-9-]/_}
    local cmd records
    rm -rf "$db.stamp"
    mkdir -p "$(dirname "$db")"
    if [[ $system == baseline* ]]; then
        cmd=("$BASELINE" index --db "$db" "$@" "$input")
    else
        cmd=("$OURS_INDEX" --db "$db" "$@" "$input")
    fi
    log "$corpus / $system ($runs run(s)): ${cmd[*]}"
    local wall rss rc walls=() max_rss=0 run
    for ((run = 1; run <= runs; ++run)); do
        rm -rf "$db"
        bench_timed "$log_prefix" "${cmd[@]}"
        read -r wall rss rc <"$log_prefix.time"
        walls+=("$wall")
        ((rss > max_rss)) && max_rss=$rss
        [[ $rc == 0 ]] || break
    done
    wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ w[NR] = $1 } END { print (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2 }')
    rss=$max_rss
    if [[ $system == baseline* ]]; then
        records=$(bench_kv "$log_prefix.out" records)
    else
        records=$(bench_kv "$log_prefix.err" indexed)
        local rejected
        rejected=$(bench_kv "$log_prefix.err" rejected)
        [[ -z $rejected || $rejected == 0 ]] || warnings+=("$corpus / $system: rejected=$rejected (see $log_prefix.err)")
    fi
    if [[ $rc != 0 ]]; then
        warnings+=("$corpus / $system: exit status $rc: ${cmd[*]} (stderr: $log_prefix.err)")
    else
        bench_stamp "$input" "${cmd[0]}" >"$db.stamp"
    fi
    local bytes index_bytes=0
    bytes=$(stat -c %s "$input")
    [[ -d $db ]] && index_bytes=$(du -sb "$db" | cut -f1)
    awk -v c="$corpus" -v s="$system" -v r="${records:-0}" -v w="$wall" -v m="$rss" -v b="$bytes" -v i="$index_bytes" -v rc="$rc" \
        'BEGIN { printf "%s\t%s\t%d\t%.4f\t%.1f\t%.3f\t%.1f\t%.1f\t%s\n", c, s, r, w, (w > 0 ? r / w : 0), (w > 0 ? b / w / 1e6 : 0), m / 1024, i / 1e6, rc }' >>"$results"
    tail -n1 "$results" | tr '\t' ' ' | sed 's/^/    /' >&2
}

# The commit and load are taken at the start: other work may commit or rebuild during a long run.
header=$(bench_header)
log "$header"
for corpus in "${corpora[@]}"; do
    input=$DATA_DIR/$corpus/corpus.jsonl
    [[ -f $input ]] || die "no corpus $input"
    index_run "$runs" "$corpus" baseline "$input" "$BENCH_DIR/index/$corpus/baseline"
    index_run "$runs" "$corpus" ours "$input" "$BENCH_DIR/index/$corpus/ours"
    # Chinese: the baseline's default makes one term per run of Han characters (no word can be
    # searched); with Xapian's CJK n-grams it does comparable work.
    if [[ $corpus == csl ]]; then
        index_run "$runs" "$corpus" "baseline --cjk-ngram" "$input" "$BENCH_DIR/scratch/baseline-cjk" --cjk-ngram
        rm -rf "$BENCH_DIR/scratch/baseline-cjk" "$BENCH_DIR/scratch/baseline-cjk.stamp"
    fi
done

if ((!skip_synthetic)); then
    input=$(bench_synthetic "$synthetic")
    name=synthetic-$synthetic
    index_run 1 "$name" baseline "$input" "$BENCH_DIR/index/$name/baseline"
    index_run 1 "$name" "ours --batch-size 20000" "$input" "$BENCH_DIR/index/$name/ours" --batch-size 20000
    index_run 1 "$name" "ours --batch-size 2000" "$input" "$BENCH_DIR/scratch/ours-bs2000" --batch-size 2000
    rm -rf "$BENCH_DIR/scratch/ours-bs2000" "$BENCH_DIR/scratch/ours-bs2000.stamp"
    if ((scaling && synthetic >= 4)); then
        quarter=$((synthetic / 4))
        head_input=$BENCH_DIR/synthetic-$synthetic-head-$quarter.jsonl
        [[ -s $head_input ]] || { head -n "$quarter" "$input" >"$head_input.tmp" && mv "$head_input.tmp" "$head_input"; }
        for batch in 20000 2000; do
            index_run 1 "synthetic-$quarter (first of $synthetic)" "ours --batch-size $batch" "$head_input" \
                "$BENCH_DIR/scratch/ours-head-bs$batch" --batch-size "$batch"
            rm -rf "$BENCH_DIR/scratch/ours-head-bs$batch" "$BENCH_DIR/scratch/ours-head-bs$batch.stamp"
        done
    fi
fi

# The table: the ratio column compares each of our rows with the baseline row of the same corpus.
{
    echo "Indexing, $header at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
    echo
    echo '| corpus | system | records | seconds | records/s | MB/s | peak MB | index MB | ratio ours/baseline (records/s) |'
    echo '|---|---|---:|---:|---:|---:|---:|---:|---:|'
    awk -F'\t' 'NR == 1 { next }
        { row[NR] = $0; if ($2 == "baseline") base[$1] = $5; if ($2 == "baseline --cjk-ngram") cjk[$1] = $5;
          if ($2 == "ours") ours[$1] = $5 }
        END {
            for (n = 2; n <= NR; ++n) {
                split(row[n], f, "\t")
                ratio = (f[2] == "baseline") ? "1.00" : ((f[1] in base) && base[f[1]] > 0 ? sprintf("%.2f", f[5] / base[f[1]]) : "–")
                flag = (f[9] != 0) ? sprintf(" (exit %s)", f[9]) : ""
                printf "| %s | %s%s | %d | %.3f | %.0f | %.2f | %.0f | %.1f | %s |\n", f[1], f[2], flag, f[3], f[4], f[5], f[6], f[7], f[8], ratio
            }
            for (c in cjk) if ((c in ours) && cjk[c] > 0)
                printf "\n%s: ours / (baseline --cjk-ngram) = %.2f\n", c, ours[c] / cjk[c]
        }' "$results"
    bench_warnings "${warnings[@]}"
} | tee "$BENCH_DIR/index-results.md"
