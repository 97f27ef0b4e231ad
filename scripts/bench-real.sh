#!/usr/bin/env bash
# Benchmark on the real records (not a test): ours beside the raw-Xapian baseline
# (tests/bench/xapian_baseline.cpp: title wdf x2, quest stop list, BM25 k1 1 b 0.5), measured in the
# same run, on the real-large corpus (../shared/data/real-large/SOURCE.md builds it into
# build/real-large).
#
#   1. The cost curve: at each size (the first N records of the corpus) both systems index from
#      scratch (records/s, peak RSS, index MB) and answer the known-item query set at k = 10 in
#      process, one query at a time (p50 / p99).
#   2. Search-box throughput at the largest size: our server over HTTP (GET /search?size=10, full
#      records, result cache off so every request is searched) under wrk at 1, 4 and 64
#      connections, beside the baseline in process with 1 and 4 search threads on the same queries.
#   3. Memory under load: SOAK_SECONDS (default 600) at 8 connections, the server's RSS sampled every
#      5 s: RSS at the end against RSS after the first minute.
#
#   scripts/bench-real.sh                       all four sizes, HTTP, a 10-minute soak (~45 min)
#   SIZES="50000" SOAK_SECONDS=0 scripts/bench-real.sh     a quick look (~3 min)
#
# Environment: SIZES (default "50000 100000 200000 367654"; a size at or over the corpus is the
#   whole corpus), REAL_LARGE (default build/real-large), DURATION (seconds per wrk point, default
#   20), SOAK_SECONDS, BUILD_DIR, BENCH_DIR (default $BUILD_DIR/bench). Needs wrk and GNU time.
# Output: the tables on stdout (Markdown), logs and indexes in $BENCH_DIR/real.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench_lib.sh
SIZES=${SIZES:-50000 100000 200000 367654}
REAL_LARGE=${REAL_LARGE:-build/real-large}
DURATION=${DURATION:-20}
SOAK_SECONDS=${SOAK_SECONDS:-600}
SERVER=$BUILD_DIR/server/scholarsearch-server
corpus=$REAL_LARGE/corpus.jsonl
work=$BENCH_DIR/real
[[ -f $corpus ]] || die "$corpus missing: build it as ../shared/data/real-large/SOURCE.md says (or set REAL_LARGE)"
command -v wrk >/dev/null || die "needs wrk (apt-get install wrk)"
bench_require_binaries
[[ -x $SERVER ]] || cmake --build "$BUILD_DIR" --target scholarsearch-server >&2
mkdir -p "$work"
bench_snapshot_binaries
cp -f "$SERVER" "$BENCH_DIR/bin/" && SERVER=$BENCH_DIR/bin/scholarsearch-server

total_records=$(wc -l <"$corpus")
subset() {  # the first N records of the corpus: subset N prints the file
    if (($1 >= total_records)); then echo "$corpus"; return; fi
    local file=$work/real-$1.jsonl
    [[ -s $file && ! $corpus -nt $file ]] || head -n "$1" "$corpus" >"$file"
    echo "$file"
}
# The known-item queries of scripts/eval.sh (five kinds of search-box query, 1,000 each), made
# from the smallest size's records: each query's record is in every index, and every size and both
# systems answer the same file. Titles + remembered words (the first 2,000) are the peer harness's
# kinds (../shared/docs/PERFORMANCE.md); identifiers are ours to find without a text search.
smallest=$(tr ' ' '\n' <<<"$SIZES" | sort -n | head -1)
queries=$work/queries-$smallest/queries.tsv
if [[ ! -s $queries || $corpus -nt $queries ]]; then
    log "making the known-item query set from the first $smallest records"
    python3 scripts/make-known-item-queries.py "$(subset "$smallest")" "$work/queries-$smallest" >&2
fi
text_queries=$work/queries-$smallest/text-queries.tsv
grep -E '^(title|remembered)-' "$queries" >"$text_queries"

# key=value fields of the last line of FILE holding KEY.
field() { bench_kv "$1" "$2"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "–"), a / b }'; }

echo "scholarsearch on real records: $(bench_header)"
echo "corpus $corpus ($total_records records); queries $queries: $(wc -l <"$text_queries") titles and remembered words"
echo "(the cost curve's query p50 / p99, in process, one at a time) and $(wc -l <"$queries") of all five kinds; k = 10"
echo
echo "| records | ours rec/s | raw rec/s | ratio | ours peak MB | raw peak MB | ours index MB | raw index MB | ratio | ours p50 / p99 ms | raw p50 / p99 ms |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
largest=
for size in $SIZES; do
    input=$(subset "$size")
    ((size < total_records)) || size=$total_records
    for system in ours raw; do
        db=$work/$system-$size.db
        rm -rf "$db"
        log "indexing $size records: $system"
        if [[ $system == ours ]]; then bench_timed "$work/$system-$size.index" "$OURS_INDEX" -q --db "$db" "$input"
        else bench_timed "$work/$system-$size.index" "$BASELINE" index --db "$db" "$input"; fi
        read -r seconds peak_kb rc <"$work/$system-$size.index.time"
        ((rc <= 1)) || die "$system indexing of $size records failed (exit $rc): $work/$system-$size.index.err"
        declare "${system}_rate=$(awk -v n="$size" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')"
        declare "${system}_peak=$((peak_kb / 1024))"
        declare "${system}_bytes=$(du -sb "$db" | cut -f1)"
        log "searching $size records: $system"
        if [[ $system == ours ]]; then
            "$OURS_QUERY" --db "$db" --batch "$text_queries" --hits 10 --run /dev/null 2>"$work/$system-$size.search" >/dev/null || true
        else
            "$BASELINE" search --db "$db" --queries "$text_queries" --hits 10 --run /dev/null >"$work/$system-$size.search"
        fi
        declare "${system}_latency=$(field "$work/$system-$size.search" p50_ms) / $(field "$work/$system-$size.search" p99_ms)"
    done
    # shellcheck disable=SC2154  # declared above
    printf '| %s | %s | %s | %s× | %s | %s | %s | %s | %s× | %s | %s |\n' "$size" "$ours_rate" "$raw_rate" \
        "$(ratio "$ours_rate" "$raw_rate")" "$ours_peak" "$raw_peak" "$(mb "$ours_bytes")" "$(mb "$raw_bytes")" \
        "$(ratio "$ours_bytes" "$raw_bytes")" "$ours_latency" "$raw_latency"
    largest=$size
done

bench_start_server "$SERVER" "$work/server" --db "$work/ours-$largest.db" --cache-mb 0 --max-queue 4096
server=$BENCH_SERVER_PID url=http://127.0.0.1:$BENCH_SERVER_PORT
trap 'kill "$server" 2>/dev/null || true' EXIT
field_of() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
# Our server over HTTP (wrk) beside the baseline in process with as many search threads as wrk has
# connections, on one query file: throughput QUERIES LABEL.
throughput() {
    local set=$1 label=$2 clients result raw
    bench_wrk_script "$set" "$work/$label.lua"
    wrk -t 1 -c 1 -d 5s -s "$work/$label.lua" "$url" >/dev/null  # reads the tables in, as a running server has them
    for clients in 1 4 64; do
        result=$(wrk -t "$((clients < 2 ? 1 : 2))" -c "$clients" -d "${DURATION}s" --timeout 10s -s "$work/$label.lua" "$url" |
            sed -n 's/^RESULT //p')
        raw=$("$BASELINE" search --db "$work/raw-$largest.db" --queries "$set" --hits 10 --clients "$clients")
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s× |\n' "$label" "$clients" "$(field_of qps "$result")" \
            "$(field_of p50_ms "$result")" "$(field_of p99_ms "$result")" \
            "$(($(field_of errors "$result") + $(field_of non2xx "$result")))" "$(field_of qps "$raw")" \
            "$(field_of p50_ms "$raw")" "$(field_of p99_ms "$raw")" "$(ratio "$(field_of qps "$result")" "$(field_of qps "$raw")")"
    done
}
echo
echo "Search-box throughput on $largest records, k = 10: our server over HTTP (full records, snippets, result"
echo "cache off) under wrk, beside raw Xapian in process with as many search threads as connections:"
echo
echo "| queries | clients | ours HTTP QPS | p50 ms | p99 ms | errors | raw Xapian QPS | p50 ms | p99 ms | QPS ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
throughput "$text_queries" titles+remembered
throughput "$queries" all-kinds

if ((SOAK_SECONDS > 0)); then
    : >"$work/rss.log"
    (while kill -0 "$server" 2>/dev/null; do
        printf '%s %s\n' "$EPOCHSECONDS" "$(awk '/VmRSS/ { print $2 }' "/proc/$server/status")" >>"$work/rss.log"
        sleep 5
    done) &
    sampler=$!
    log "soak: $SOAK_SECONDS s at 8 connections"
    result=$(wrk -t 2 -c 8 -d "${SOAK_SECONDS}s" --timeout 10s -s "$work/all-kinds.lua" "$url" | sed -n 's/^RESULT //p')
    kill "$sampler" 2>/dev/null || true
    echo
    python3 - "$work/rss.log" "$(field_of qps "$result")" "$(field_of p99_ms "$result")" \
        "$(($(field_of errors "$result") + $(field_of non2xx "$result")))" "$SOAK_SECONDS" <<'PY'
import sys
rows = [tuple(map(int, line.split())) for line in open(sys.argv[1]) if len(line.split()) == 2]
start = rows[0][0]
after_minute = next((kb for t, kb in rows if t - start >= 60), rows[-1][1])
end = rows[-1][1]
print(f"Memory over {sys.argv[5]} s at 8 connections ({sys.argv[2]} QPS, p99 {sys.argv[3]} ms, {sys.argv[4]} errors): "
      f"server RSS {after_minute / 1024:.0f} MB after the first minute, {end / 1024:.0f} MB at the end "
      f"({end / after_minute:.3f}×), peak {max(kb for _, kb in rows) / 1024:.0f} MB, {len(rows)} samples")
PY
fi
