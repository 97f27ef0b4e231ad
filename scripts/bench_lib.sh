# shellcheck shell=bash
# Shared helpers for scripts/bench-index.sh, scripts/bench-search.sh and scripts/bench-server.sh. Source it after
# `cd` to the repository root; it does not change the shell options of the caller.
#
# Environment:
#   BUILD_DIR   build tree holding the binaries (default build)
#   BENCH_DIR   scratch space for the synthetic corpus, indexes and results (default $BUILD_DIR/bench)
#   DATA_DIR    the shared corpora (default ../shared/data, beside the clone)
#   BENCH_MIN_SECONDS   minimum duration of one search measurement (default 3)
#   BENCH_NO_GNU_TIME   set to measure with python3 (os.wait4) instead of /usr/bin/time (package `time`)

BUILD_DIR=${BUILD_DIR:-build}
BENCH_DIR=${BENCH_DIR:-$BUILD_DIR/bench}
DATA_DIR=${DATA_DIR:-../shared/data}
BENCH_MIN_SECONDS=${BENCH_MIN_SECONDS:-3}

OURS_INDEX=$BUILD_DIR/indexer/scholarsearch-index
OURS_QUERY=$BUILD_DIR/server/scholarsearch-query
BASELINE=$BUILD_DIR/tests/bench/xapian-baseline

# shellcheck disable=SC2034  # used by the scripts that source this file
# The shared corpora, in table order, and the ones the synthetic corpus is recombined from.
SHARED_CORPORA=(cranfield cisi med cacm adi csl)
SYNTHETIC_SOURCES=(cranfield cisi med cacm csl)
# shellcheck disable=SC2034
# English query sets concatenated for the synthetic corpus.
SYNTHETIC_QUERY_SOURCES=(cranfield cisi med cacm)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The options of the corpus benchmarks (bench-index.sh, bench-search.sh): --synthetic N,
# --skip-synthetic, --corpora LIST and --help (the script's header comment). Defaults first:
# shellcheck disable=SC2034  # synthetic, skip_synthetic, corpora, BENCH_SHIFT: the caller's
bench_corpus_defaults() {
    synthetic=200000
    skip_synthetic=0
    corpora=("${SHARED_CORPORA[@]}")
}
# bench_corpus_option ARGS...: reads one of them from the front of ARGS and sets BENCH_SHIFT to
# the number of arguments it took; 0 when the first is not one of them (the script's own, then).
# shellcheck disable=SC2034
bench_corpus_option() {
    BENCH_SHIFT=1
    case $1 in
        --synthetic) synthetic=${2:?--synthetic needs a record count}; BENCH_SHIFT=2 ;;
        --synthetic=*) synthetic=${1#*=} ;;
        --skip-synthetic) skip_synthetic=1 ;;
        --corpora) read -r -a corpora <<<"${2?--corpora needs a list (\"\" for none)}"; BENCH_SHIFT=2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) BENCH_SHIFT=0 ;;
    esac
}
# After the options: dies on a bad --synthetic.
bench_corpus_check() {
    [[ $synthetic =~ ^[0-9]+$ && $synthetic -gt 0 ]] || die "--synthetic needs a positive record count"
}
die() { printf 'bench: %s\n' "$*" >&2; exit 2; }

# The end of a results table: a blank line and "- WARNING: ..." a line each, if there are any.
bench_warnings() {
    (($#)) || return 0
    echo
    printf -- '- WARNING: %s\n' "$@"
}

# Commit id of the checkout, read from .git without running git (the working tree may still have
# uncommitted edits; the binaries' build time is printed next to it for that reason).
bench_commit() {
    local head ref id=unknown
    if [[ -f .git/HEAD ]]; then
        head=$(<.git/HEAD)
        if [[ $head == ref:* ]]; then
            ref=${head#ref: }
            if [[ -f .git/$ref ]]; then
                id=$(<".git/$ref")
            elif [[ -f .git/packed-refs ]]; then
                id=$(awk -v r="$ref" '$2 == r { print $1 }' .git/packed-refs)
            fi
        else
            id=$head
        fi
    fi
    printf '%s\n' "${id:-unknown}"
}

# One line describing where and when the numbers were taken.
bench_header() {
    local built=${BINARY_BUILT:-$(date -r "$OURS_INDEX" '+%Y-%m-%d %H:%M' 2>/dev/null || echo '?')}
    printf 'commit %s (binaries built %s, %s) on %s: %s cores, load average %s\n' \
        "$(bench_commit)" "$built" "$(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || echo '?')" \
        "$(uname -n)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# Makes sure the binaries exist; builds the missing targets with the existing build tree.
bench_require_binaries() {
    local missing=() target
    [[ -x $OURS_INDEX ]] || missing+=(scholarsearch-index)
    [[ -x $OURS_QUERY ]] || missing+=(scholarsearch-query)
    [[ -x $BASELINE ]] || missing+=(xapian-baseline)
    if ((${#missing[@]})); then
        [[ -f $BUILD_DIR/CMakeCache.txt ]] || die "no build tree in $BUILD_DIR: run scripts/build.sh first"
        log "building missing targets: ${missing[*]}"
        for target in "${missing[@]}"; do
            cmake --build "$BUILD_DIR" --target "$target" >&2
        done
    fi
    [[ -x $OURS_INDEX && -x $OURS_QUERY && -x $BASELINE ]] || die "binaries still missing after the build"
    command -v python3 >/dev/null || die "python3 is required (apt-get install python3)"
}

# Measures one command: bench_timed OUT_PREFIX CMD...
# Writes the command's stdout to OUT_PREFIX.out, stderr to OUT_PREFIX.err, and
# "wall_seconds peak_rss_kb exit_status" to OUT_PREFIX.time. Never fails; read the exit status.
bench_timed() {
    local prefix=$1 rc=0
    shift
    if [[ -x /usr/bin/time && -z ${BENCH_NO_GNU_TIME:-} ]]; then
        # Wall time from the shell's clock (ns): %e has 10 ms steps, too coarse for small corpora.
        local started=$EPOCHREALTIME
        /usr/bin/time -f '%M' -o "$prefix.rusage" "$@" >"$prefix.out" 2>"$prefix.err" || rc=$?
        local ended=$EPOCHREALTIME
        # /usr/bin/time prepends "Command exited with non-zero status N" to the -o file.
        printf '%s %s %s\n' "$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.4f", b - a }')" \
            "$(tail -n1 "$prefix.rusage")" "$rc" >"$prefix.time"
        rm -f "$prefix.rusage"
    else
        # Fallback without the `time` package (apt-get install time): python3's wait4 rusage.
        python3 - "$prefix" "$@" <<'EOF' || true
import os, subprocess, sys, time
prefix, argv = sys.argv[1], sys.argv[2:]
with open(prefix + ".out", "wb") as out, open(prefix + ".err", "wb") as err:
    started = time.monotonic()
    try:
        # Popen uses vfork, so the child's peak RSS does not start at python's own size.
        child = subprocess.Popen(argv, stdout=out, stderr=err)
    except OSError as error:
        err.write(f"{error}\n".encode())
        rc, wall, peak = 127, 0.0, 0
    else:
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = rc = os.waitstatus_to_exitcode(status)
        rc = rc if rc >= 0 else 128 - rc
        wall, peak = time.monotonic() - started, usage.ru_maxrss
with open(prefix + ".time", "w") as f:
    f.write(f"{wall:.4f} {peak} {rc}\n")
EOF
    fi
}

# key=value lookup in the last line of a file that contains the key: bench_kv FILE KEY
bench_kv() {
    awk -v k="$2" '{ for (i = 1; i <= NF; ++i) { n = index($i, "="); if (n && substr($i, 1, n - 1) == k) v = substr($i, n + 1) } } END { print v }' "$1"
}

# The synthetic corpus, generated once per record count: prints its path.
bench_synthetic() {
    local records=$1 out sources=() name
    out=$BENCH_DIR/synthetic-$records.jsonl
    if [[ ! -s $out ]]; then
        for name in "${SYNTHETIC_SOURCES[@]}"; do sources+=("$DATA_DIR/$name/corpus.jsonl"); done
        mkdir -p "$BENCH_DIR"
        log "generating $out (${SYNTHETIC_SOURCES[*]}, seed 1)"
        python3 scripts/make-synthetic.py --records "$records" --seed 1 "$out.tmp" "${sources[@]}"
        mv "$out.tmp" "$out"
    fi
    printf '%s\n' "$out"
}

# Search-box queries over CORPUS (scripts/make-searchbox-queries.py), generated once into
# $BENCH_DIR/queries/NAME-searchbox.tsv: bench_searchbox_queries CORPUS NAME prints the path.
bench_searchbox_queries() {
    local corpus=$1 out=$BENCH_DIR/queries/$2-searchbox.tsv
    if [[ ! -s $out ]]; then
        mkdir -p "$BENCH_DIR/queries"
        python3 scripts/make-searchbox-queries.py "$corpus" "$out.tmp" --count 500 --seed 1
        mv "$out.tmp" "$out"
    fi
    printf '%s\n' "$out"
}

# Copies the binaries into $BENCH_DIR/bin so that a concurrent rebuild cannot swap them (or leave
# a half-linked file) in the middle of a run; the OURS_*/BASELINE variables then point at the copies.
bench_snapshot_binaries() {
    local dir=$BENCH_DIR/bin
    mkdir -p "$dir"
    cp -f "$OURS_INDEX" "$OURS_QUERY" "$BASELINE" "$dir/"
    BINARY_BUILT=$(date -r "$OURS_INDEX" '+%Y-%m-%d %H:%M')
    OURS_INDEX=$dir/scholarsearch-index
    OURS_QUERY=$dir/scholarsearch-query
    BASELINE=$dir/xapian-baseline
}

# What an index was built from: the input's path, size and mtime and the indexer binary's checksum.
# bench-search.sh reuses an index only while this stamp matches (see bench_index_fresh).
bench_stamp() {
    local input=$1 binary=$2
    printf '%s %s %s\n' "$input" "$(stat -c '%s %Y' "$input")" "$(md5sum <"$binary" | cut -d' ' -f1)"
}
bench_index_fresh() {
    local db=$1 input=$2 binary=$3
    [[ -d $db && -f $db.stamp ]] && [[ $(<"$db.stamp") == "$(bench_stamp "$input" "$binary")" ]]
}

# A wrk Lua script that cycles through the query set (GET /search?size=10), URL-encoded, and prints
# "RESULT qps= p50_ms= p99_ms= errors= non2xx=" when wrk ends: bench_wrk_script QUERIES OUT.
# The same paths, one per line, go to OUT.paths (the cache warm-up reads them).
bench_wrk_script() {
  local queries=$1 out=$2
  python3 - "$queries" "$out" <<'PY'
import sys, urllib.parse
paths = []
for line in open(sys.argv[1], encoding="utf-8"):
    if "\t" in line:
        paths.append("/search?size=10&q=" + urllib.parse.quote(line.rstrip("\n").split("\t", 1)[1], safe=""))
with open(sys.argv[2] + ".paths", "w", encoding="utf-8") as out:
    out.writelines(path + "\n" for path in paths)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("local paths = {\n")
    for path in paths:
        out.write('  "%s",\n' % path.replace("\\", "\\\\").replace('"', '\\"'))
    out.write("}\nlocal n = 0\n")
    out.write("request = function()\n  n = n + 1\n  return wrk.format('GET', paths[(n % #paths) + 1])\nend\n")
    out.write("done = function(summary, latency, requests)\n")
    out.write("  io.write(string.format('RESULT qps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\\n',\n")
    out.write("    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,\n")
    out.write("    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))\n")
    out.write("end\n")
PY
}

# Starts scholarsearch-server on a free loopback port: bench_start_server SERVER_BINARY LOG_PREFIX ARGS...
# Sets BENCH_SERVER_PID and BENCH_SERVER_PORT; dies when the server does not come up in 10 s.
bench_start_server() {
    local binary=$1 prefix=$2
    shift 2
    "$binary" --listen 127.0.0.1:0 "$@" >"$prefix.out" 2>"$prefix.err" &
    BENCH_SERVER_PID=$!
    BENCH_SERVER_PORT=
    for _ in $(seq 100); do
        BENCH_SERVER_PORT=$(sed -n 's/^listening on 127.0.0.1://p' "$prefix.out")
        [[ -n $BENCH_SERVER_PORT ]] && return 0
        kill -0 "$BENCH_SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    die "the server did not start (see $prefix.err)"
}
