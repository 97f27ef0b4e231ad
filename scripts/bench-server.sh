#!/usr/bin/env bash
# HTTP load benchmark (not a test): wrk against GET /search with a corpus's query set, at 1, 4, 16
# and 64 connections, beside the in-process figures of the same queries doing the same work
# (scholarsearch-query --batch --full-hits: records decoded, snippets made; 1 and 2 threads); then a long run at 16 connections sampling the
# server's memory to show it stays flat.
# The HTTP points run twice: with the result cache off (--cache-mb 0: every request is searched,
# the figure to compare with in-process) and on (default budget), after one unmeasured pass over
# the query set, so that they show what repeated queries cost (wrk replays the same set in a loop).
#
#   scripts/bench-server.sh [CORPUS_DIR_OR_NAME ...]      default: cranfield and the synthetic corpus
#   (names: a shared corpus; synthetic = the synthetic corpus with the English question sets;
#   synthetic-searchbox = the same index with search-box queries, scripts/make-searchbox-queries.py)
# Environment: DURATION (seconds per wrk point, default 10), SOAK_SECONDS (default 300; 0 skips),
#   SYNTHETIC (records, default 200000), BUILD_DIR (default build), BENCH_DIR (default build/bench),
#   DATA_DIR (default ../shared/data), CACHE_MODES (default "off on"), REUSE=1 (take an existing
#   index even if it is older than the indexer binary). Needs wrk (Debian package wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench_lib.sh
DURATION=${DURATION:-10}
SOAK_SECONDS=${SOAK_SECONDS:-300}
SYNTHETIC=${SYNTHETIC:-200000}
CACHE_MODES=${CACHE_MODES:-off on}
INDEX=$BUILD_DIR/indexer/scholarsearch-index
QUERY=$BUILD_DIR/server/scholarsearch-query
SERVER=$BUILD_DIR/server/scholarsearch-server
command -v wrk >/dev/null || { echo "bench-server: needs wrk (apt-get install wrk)" >&2; exit 2; }
for binary in "$INDEX" "$QUERY" "$SERVER"; do [ -x "$binary" ] || { echo "missing $binary: run scripts/build.sh" >&2; exit 2; }; done
mkdir -p "$BENCH_DIR/server"
work=$BENCH_DIR/server

# corpus name -> corpus.jsonl and queries.tsv (the synthetic corpus uses the English query sets).
prepare() {
  local name=$1
  if [ "$name" = synthetic ] || [ "$name" = synthetic-searchbox ]; then
    local corpus queries=$work/$name.queries.tsv
    corpus=$(bench_synthetic "$SYNTHETIC")
    if [ "$name" = synthetic ]; then
      cat "$DATA_DIR"/{cranfield,cisi,med,cacm}/queries.tsv > "$queries"
    else
      queries=$(bench_searchbox_queries "$corpus" "synthetic-$SYNTHETIC")
    fi
    echo "$corpus $queries"
  else
    echo "$DATA_DIR/$name/corpus.jsonl $DATA_DIR/$name/queries.tsv"
  fi
}

printf 'scholarsearch HTTP benchmark: commit %s, %s cores, load %s\n' "$(cat .git/$(sed 's/ref: //' .git/HEAD) 2>/dev/null || echo ?)" \
  "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n| corpus | mode | connections/threads | QPS | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|---|\n'
corpora=("$@")
notes=""
[ ${#corpora[@]} -gt 0 ] || corpora=(cranfield synthetic)
for name in "${corpora[@]}"; do
  read -r corpus queries < <(prepare "$name")
  db=$work/$name.db
  # An index built by bench-index.sh/bench-search.sh for the same corpus is reused when current.
  reuse=$BENCH_DIR/index/$name/ours
  case $name in synthetic*) reuse=$BENCH_DIR/index/synthetic-$SYNTHETIC/ours; db=$work/synthetic.db ;; esac
  if [ -d "$reuse" ] && { [ "${REUSE:-0}" = 1 ] || [ "$reuse" -nt "$INDEX" ]; }; then db=$reuse
  elif ! { [ -d "$db" ] && [ "$db" -nt "$INDEX" ]; }; then rm -rf "$db"; "$INDEX" -q --db "$db" "$corpus"; fi
  bench_wrk_script "$queries" "$work/$name.lua"
  for threads in 1 2; do
    line=$("$QUERY" --db "$db" --batch "$queries" --hits 10 --threads "$threads" --repeat 20 --full-hits 2>&1 >/dev/null | tail -1)
    eval "$(echo "$line" | tr ' ' '\n' | grep -E '^(qps|p50_ms|p99_ms|failures)=')"
    printf '| %s | in-process | %s threads | %s | %s | %s | %s |\n' "$name" "$threads" "$qps" "$p50_ms" "$p99_ms" "$failures"
  done
  for cache in $CACHE_MODES; do
    cache_flags=(--cache-mb 0); mode="HTTP, no cache"
    [ "$cache" = on ] && { cache_flags=(); mode="HTTP, result cache (warm)"; }
    bench_start_server "$SERVER" "$work/server" --db "$db" --max-queue 4096 "${cache_flags[@]}"
    server=$BENCH_SERVER_PID port=$BENCH_SERVER_PORT
    [ "$cache" = on ] && python3 - "$work/$name.lua.paths" "$port" <<'PY'
import sys, urllib.request
for path in open(sys.argv[1], encoding="utf-8").read().split():
    urllib.request.urlopen("http://127.0.0.1:%s%s" % (sys.argv[2], path)).read()
PY
    for connections in 1 4 16 64; do
      wrk_threads=$(( connections < 2 ? 1 : 2 ))
      result=$(wrk -t "$wrk_threads" -c "$connections" -d "${DURATION}s" --timeout 5s -s "$work/$name.lua" "http://127.0.0.1:$port" | grep '^RESULT')
      eval "$(echo "${result#RESULT }" | tr ' ' '\n')"
      printf '| %s | %s | %s connections | %s | %s | %s | %s |\n' "$name" "$mode" "$connections" "$qps" "$p50_ms" "$p99_ms" "$((errors + non2xx))"
    done
    if [ "$cache" = on ]; then
      metrics=$(curl -s "http://127.0.0.1:$port/metrics")
      hits=$(sed -n 's/^scholarsearch_cache_requests_total{outcome="hit"} //p' <<<"$metrics")
      misses=$(sed -n 's/^scholarsearch_cache_requests_total{outcome="miss"} //p' <<<"$metrics")
      notes="$notes$name: result cache hits $hits, misses $misses (the warm-up pass included)"$'\n'
    fi
    if [ "$SOAK_SECONDS" -gt 0 ] && [ "$name" = "${corpora[-1]}" ] && [ "$cache" = "${CACHE_MODES%% *}" ]; then
      : > "$work/rss.log"
      ( while kill -0 "$server" 2>/dev/null; do awk '/VmRSS/ { print $2 }' "/proc/$server/status" >> "$work/rss.log"; sleep 5; done ) &
      sampler=$!
      result=$(wrk -t 2 -c 16 -d "${SOAK_SECONDS}s" --timeout 5s -s "$work/$name.lua" "http://127.0.0.1:$port" | grep '^RESULT')
      kill "$sampler" 2>/dev/null || true
      eval "$(echo "${result#RESULT }" | tr ' ' '\n')"
      printf '| %s | %s, soak %ss | 16 connections | %s | %s | %s | %s |\n' "$name" "$mode" "$SOAK_SECONDS" "$qps" "$p50_ms" "$p99_ms" "$((errors + non2xx))"
      notes="$notes$(python3 - "$work/rss.log" <<'PY'
import sys
samples = [int(x) / 1024 for x in open(sys.argv[1]) if x.strip()]
if samples:
    quarter = max(1, len(samples) // 4)
    print("server RSS over the soak: first quarter max %.1f MB, last quarter max %.1f MB, peak %.1f MB (%d samples)"
          % (max(samples[:quarter]), max(samples[-quarter:]), max(samples), len(samples)))
PY
)"$'\n'
    fi
    kill -TERM "$server"; wait "$server" || true
  done
done
[ -z "$notes" ] || printf '\n%s' "$notes"
