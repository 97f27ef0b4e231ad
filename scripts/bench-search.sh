#!/usr/bin/env bash
# Search benchmark: in-process query latency and throughput of scholarsearch-query --batch against
# the raw-Xapian baseline (tests/bench/xapian_baseline.cpp) on the same indexes' inputs and the
# same queries. A benchmark, not a test: it never fails on slow numbers, only when something
# cannot run.
#
#   scripts/bench-search.sh [--synthetic N] [--skip-synthetic] [--reuse] [--corpora "cranfield cisi ..."]
#
#   --synthetic N     records in the synthetic corpus (default 200000; see bench-index.sh)
#   --skip-synthetic  shared corpora only
#   --reuse           reuse any existing index in $BENCH_DIR/index, even one built from another
#                     indexer binary (by default an index is rebuilt when its .stamp differs)
#   --corpora LIST    shared corpora to run (default: cranfield cisi med cacm adi csl; "" for none)
#
# Indexes: $BENCH_DIR/index/<corpus>/{ours,baseline}, as left by scripts/bench-index.sh, are
# reused while their .stamp matches (same input, same indexer binary); otherwise they are built
# here (not timed). Queries: each corpus's own queries.tsv; for the synthetic corpus the
# cranfield+cisi+med+cacm queries concatenated (English row: long questions, median 19 words),
# search-box queries (2-4 consecutive content words of the titles of 500 records spread over the
# corpus, scripts/make-searchbox-queries.py) and the csl queries (Chinese row).
#
# Measured per corpus, every run with 10 hits per query and no highlighting:
#   ours, 1 and 2 threads   scholarsearch-query --batch Q --hits 10 --threads T --repeat R --no-highlight
#   baseline, 1 thread      xapian-baseline search --queries Q --hits 10 --repeat R
#   baseline, 2 threads     two baseline processes at once, same R each: QPS is the sum of the two,
#                           p50/p99 the larger of the two processes' figures (the baseline is single-threaded)
# Every measurement is preceded by one unmeasured pass over the queries (warm-up and calibration)
# and R is chosen so that the measured run lasts at least $BENCH_MIN_SECONDS (default 3) seconds.
# Results: $BENCH_DIR/search-results.{tsv,md}.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench_lib.sh

bench_corpus_defaults
reuse=0
while (($#)); do
    bench_corpus_option "$@"
    if ((BENCH_SHIFT)); then shift "$BENCH_SHIFT"; continue; fi
    case $1 in
        --reuse) reuse=1; shift ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
bench_corpus_check

bench_require_binaries
mkdir -p "$BENCH_DIR/index" "$BENCH_DIR/logs" "$BENCH_DIR/queries"
bench_snapshot_binaries
results=$BENCH_DIR/search-results.tsv
printf 'corpus\tsystem\tthreads\tqueries\trepeat\texecuted\tp50_ms\tp99_ms\tqps\tfailures\n' >"$results"
warnings=()

# ensure_index NAME INPUT: builds $BENCH_DIR/index/NAME/{ours,baseline} unless fresh ones exist.
ensure_index() {
    local name=$1 input=$2 system db cmd log_prefix rc
    for system in ours baseline; do
        db=$BENCH_DIR/index/$name/$system
        if [[ $system == ours ]]; then cmd=("$OURS_INDEX" -q --db "$db" "$input"); else cmd=("$BASELINE" index --db "$db" "$input"); fi
        if ((reuse)) && [[ -d $db ]]; then continue; fi
        bench_index_fresh "$db" "$input" "${cmd[0]}" && continue
        log "building $db (not timed): ${cmd[*]}"
        rm -rf "$db" "$db.stamp"
        mkdir -p "$(dirname "$db")"
        log_prefix=$BENCH_DIR/logs/search-build-$name-$system
        bench_timed "$log_prefix" "${cmd[@]}"
        read -r _ _ rc <"$log_prefix.time"
        [[ $rc == 0 ]] || die "index build failed (exit $rc): ${cmd[*]} (stderr: $log_prefix.err)"
        bench_stamp "$input" "${cmd[0]}" >"$db.stamp"
    done
}

# repeat_for STATS_FILE REPEAT: the repeat count for a run of at least BENCH_MIN_SECONDS, from the
# queries= and qps= of a run made with REPEAT passes (prints nothing when that run was long enough).
repeat_for() {
    awk -v q="$(bench_kv "$1" queries)" -v r="$(bench_kv "$1" qps)" -v n="$2" -v m="$BENCH_MIN_SECONDS" '
        BEGIN { s = (r > 0) ? q / r : 0; if (s >= m) exit
                pass = (s > 0) ? s / n : 1; k = int(m * 1.25 / pass) + 1; print (k <= n ? n + 1 : k) }'
}

# timed_run PREFIX STATS_SUFFIX WHAT CMD...: runs CMD --repeat R after one unmeasured pass
# (warm-up, calibration), raising R until the run lasts BENCH_MIN_SECONDS; sets TIMED_REPEAT=R.
# (Not to be called in $(...): check_run's warnings must reach this shell.)
# STATS_SUFFIX is "err" for our tool (stats on stderr) or "out" for the baseline.
timed_run() {
    local prefix=$1 stream=$2 what=$3 repeat=1 next tries=0
    shift 3
    bench_timed "$prefix-warmup" "$@" --repeat 1
    check_run "$prefix-warmup" "$what (warm-up): $* --repeat 1"
    next=$(repeat_for "$prefix-warmup.$stream" 1)
    [[ -n $next ]] || next=1
    while [[ -n $next ]] && ((tries++ < 4)); do
        repeat=$next
        log "$what: $* --repeat $repeat"
        bench_timed "$prefix" "$@" --repeat "$repeat"
        next=$(repeat_for "$prefix.$stream" "$repeat")
        [[ -z $next ]] || log "    run was shorter than ${BENCH_MIN_SECONDS}s; again with --repeat $next"
    done
    check_run "$prefix" "$what: $* --repeat $repeat"
    TIMED_REPEAT=$repeat
}

# add_row CORPUS SYSTEM THREADS QUERIES REPEAT STATS_FILE: one result row from a key=value line.
add_row() {
    local corpus=$1 system=$2 threads=$3 nq=$4 repeat=$5 stats=$6
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$corpus" "$system" "$threads" "$nq" "$repeat" \
        "$(bench_kv "$stats" queries)" "$(bench_kv "$stats" p50_ms)" "$(bench_kv "$stats" p99_ms)" \
        "$(bench_kv "$stats" qps)" "$(bench_kv "$stats" failures)" >>"$results"
    tail -n1 "$results" | tr '\t' ' ' | sed 's/^/    /' >&2
}

# check_run LOG_PREFIX WHAT: records a warning for a non-zero exit status or failures > 0.
check_run() {
    local prefix=$1 what=$2 rc failures
    read -r _ _ rc <"$prefix.time"
    [[ $rc == 0 ]] || warnings+=("$what: exit status $rc (stderr: $prefix.err)")
    failures=$(bench_kv "$prefix.err" failures)
    [[ -z $failures || $failures == 0 ]] || warnings+=("$what: failures=$failures (stderr: $prefix.err)")
}

# measure CORPUS_LABEL DB_NAME QUERIES
measure() {
    local label=$1 name=$2 queries=$3
    local ours_db=$BENCH_DIR/index/$name/ours base_db=$BENCH_DIR/index/$name/baseline
    local tag=${label//[^A-Za-z0-9-]/_} nq threads prefix repeat cmd
    nq=$(awk -F'\t' 'NF >= 2' "$queries" | wc -l)

    for threads in 1 2; do
        prefix=$BENCH_DIR/logs/search-$tag-ours-t$threads
        timed_run "$prefix" err "$label / ours / threads=$threads" \
            "$OURS_QUERY" --db "$ours_db" --batch "$queries" --hits 10 --threads "$threads" --no-highlight
        add_row "$label" ours "$threads" "$nq" "$TIMED_REPEAT" "$prefix.err"
    done

    prefix=$BENCH_DIR/logs/search-$tag-baseline-t1
    cmd=("$BASELINE" search --db "$base_db" --queries "$queries" --hits 10)
    timed_run "$prefix" out "$label / baseline / 1 thread" "${cmd[@]}"
    repeat=$TIMED_REPEAT
    add_row "$label" baseline 1 "$nq" "$repeat" "$prefix.out"

    # Two single-threaded baseline processes at once; the row sums their QPS and query counts and
    # keeps the larger p50 and p99.
    prefix=$BENCH_DIR/logs/search-$tag-baseline-t2
    log "$label / baseline / 2 processes: 2 x ${cmd[*]} --repeat $repeat"
    bench_timed "$prefix-a" "${cmd[@]}" --repeat "$repeat" &
    local pid_a=$!
    bench_timed "$prefix-b" "${cmd[@]}" --repeat "$repeat" &
    local pid_b=$!
    wait "$pid_a" "$pid_b"
    check_run "$prefix-a" "$label / baseline / 2 processes (a): ${cmd[*]} --repeat $repeat"
    check_run "$prefix-b" "$label / baseline / 2 processes (b): ${cmd[*]} --repeat $repeat"
    cat "$prefix-a.out" "$prefix-b.out" | awk '
        { for (i = 1; i <= NF; ++i) { n = index($i, "="); if (n) v[substr($i, 1, n - 1), NR] = substr($i, n + 1) } }
        END { p50 = v["p50_ms", 1] + 0; if (v["p50_ms", 2] + 0 > p50) p50 = v["p50_ms", 2] + 0
              p99 = v["p99_ms", 1] + 0; if (v["p99_ms", 2] + 0 > p99) p99 = v["p99_ms", 2] + 0
              printf "queries=%d p50_ms=%s p99_ms=%s qps=%.1f\n", v["queries", 1] + v["queries", 2], p50, p99, v["qps", 1] + v["qps", 2] }' >"$prefix.out"
    add_row "$label" "baseline (2 processes)" 2 "$nq" "$repeat" "$prefix.out"
}

# The commit and load are taken at the start: other work may commit or rebuild during a long run.
header=$(bench_header)
log "$header"
for corpus in "${corpora[@]}"; do
    input=$DATA_DIR/$corpus/corpus.jsonl
    [[ -f $input ]] || die "no corpus $input"
    ensure_index "$corpus" "$input"
    measure "$corpus" "$corpus" "$DATA_DIR/$corpus/queries.tsv"
    # Chinese: the baseline's default has one term per run of Han characters, which no query word
    # matches (it finds 8% of the csl known items): Xapian's CJK n-grams are the like-for-like row.
    if [[ $corpus == csl ]]; then
        cjk_db=$BENCH_DIR/index/csl/baseline-cjk
        if ! { ((reuse)) && [[ -d $cjk_db ]]; } && ! bench_index_fresh "$cjk_db" "$input" "$BASELINE"; then
            rm -rf "$cjk_db"
            bench_timed "$BENCH_DIR/logs/search-build-csl-baseline-cjk" "$BASELINE" index --db "$cjk_db" --cjk-ngram "$input"
            bench_stamp "$input" "$BASELINE" >"$cjk_db.stamp"
        fi
        prefix=$BENCH_DIR/logs/search-csl-baseline-cjk-t1
        timed_run "$prefix" out "csl / baseline --cjk-ngram / 1 thread" \
            "$BASELINE" search --db "$cjk_db" --cjk-ngram --queries "$DATA_DIR/csl/queries.tsv" --hits 10
        add_row csl "baseline --cjk-ngram" 1 "$(awk -F'\t' 'NF >= 2' "$DATA_DIR/csl/queries.tsv" | wc -l)" "$TIMED_REPEAT" "$prefix.out"
    fi
done

if ((!skip_synthetic)); then
    input=$(bench_synthetic "$synthetic")
    name=synthetic-$synthetic
    ensure_index "$name" "$input"
    english=$BENCH_DIR/queries/synthetic-en.tsv
    for corpus in "${SYNTHETIC_QUERY_SOURCES[@]}"; do
        # Query ids repeat across the collections; prefix them with the collection's name.
        awk -F'\t' -v c="$corpus" 'NF >= 2 { print c "-" $1 "\t" $2 }' "$DATA_DIR/$corpus/queries.tsv"
    done >"$english"
    searchbox=$(bench_searchbox_queries "$input" "$name")
    measure "$name (en queries)" "$name" "$english"
    measure "$name (search-box queries)" "$name" "$searchbox"
    measure "$name (csl queries)" "$name" "$DATA_DIR/csl/queries.tsv"
fi

# The table: p99 ratio compares ours with the baseline row of the same corpus and thread count.
{
    echo "Search, $header at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
    echo
    echo '| corpus | system | threads | queries | p50 ms | p99 ms | QPS | p99 ratio ours/baseline |'
    echo '|---|---|---:|---:|---:|---:|---:|---:|'
    awk -F'\t' 'function ms(x) { return sprintf(x + 0 < 0.1 ? "%.3f" : "%.2f", x) }
        NR == 1 { next }
        { row[NR] = $0; if ($2 == "baseline" || $2 == "baseline (2 processes)") base[$1, $3] = $8
          if ($2 == "baseline --cjk-ngram") cjk[$1] = $8; if ($2 == "ours" && $3 == 1) ours[$1] = $8 }
        END {
            for (n = 2; n <= NR; ++n) {
                split(row[n], f, "\t")
                if (f[2] ~ /^baseline/) ratio = "1.00"
                else ratio = (((f[1], f[3]) in base) && base[f[1], f[3]] > 0) ? sprintf("%.2f", f[8] / base[f[1], f[3]]) : "–"
                executed = (f[2] ~ /2 processes/) ? sprintf("%d × %d × 2 proc", f[4], f[5]) : sprintf("%d × %d", f[4], f[5])
                printf "| %s | %s | %s | %s | %s | %s | %.0f | %s |\n", f[1], f[2], f[3], executed, ms(f[7]), ms(f[8]), f[9], ratio
            }
            for (c in cjk) if ((c in ours) && cjk[c] > 0)
                printf "\n%s: p99 ours (1 thread) / (baseline --cjk-ngram) = %.2f\n", c, ours[c] / cjk[c]
        }' "$results"
    bench_warnings "${warnings[@]}"
} | tee "$BENCH_DIR/search-results.md"
