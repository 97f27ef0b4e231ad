#!/usr/bin/env bash
# Do shards served by xapian-tcpsrv rank like the whole index? For each shard count S (SHARDS,
# default "1 2 4"), CORPUS is split into S parts (record n goes to part n mod S; S=1 serves the
# whole index itself), each part is indexed and served by its own xapian-tcpsrv on loopback, and
# every query of each QUERIES file (qid<TAB>text) is run for its top 10 through a stub of
# `remote` lines and on the whole index. Prints one table row per (queries, S): queries whose
# top 10 are identical (ids, order, scores to 1e-9), identical but for the order of tied hits,
# and the largest score difference; and the batch QPS of both (one thread).
#
#   scripts/compare-shards.sh build/real-large/corpus.jsonl build/bench/real/queries-50000/queries.tsv
#
# The split is ours, not `rebuild --shards` (issue 15, next): ranking does not depend on which
# records a shard holds. Work files go to WORK (default build/shards-compare, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,13p' "$0"; exit 2; }
corpus=$1
shift
index=${SCHOLARSEARCH_INDEX:-build/indexer/scholarsearch-index}
query=${SCHOLARSEARCH_QUERY:-build/server/scholarsearch-query}
work=${WORK:-build/shards-compare}
mkdir -p "$work"
# serve runs inside $(...), a subshell: the servers' pids go through a file.
pid_file=$work/tcpsrv.pids
: >"$pid_file"
trap 'while read -r pid; do kill -- -"$pid" 2>/dev/null || true; done <"$pid_file"' EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
timed_index() {   # DB FILE
    local started=$SECONDS
    rm -rf "$1"
    "$index" -q --db "$1" "$2"
    echo "indexed $2 into $1 in $((SECONDS - started)) s" >&2
}
serve() {   # DB -> prints PORT
    local port
    port=$(free_port)
    setsid xapian-tcpsrv --port "$port" --interface 127.0.0.1 --quiet "$1" >/dev/null 2>&1 &
    echo $! >>"$pid_file"
    for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
    echo "$port"
}
batch() {   # DB QUERIES RUN -> prints QPS
    "$query" --db "$1" --batch "$2" --hits 10 --run "$3" 2>&1 | sed -n 's/.*qps=\([0-9.]*\).*/\1/p'
}

timed_index "$work/whole.db" "$corpus"
declare -A whole_qps
for queries in "$@"; do
    whole_qps[$queries]=$(batch "$work/whole.db" "$queries" "$work/whole-$(basename "$(dirname "$queries")").run")
done

echo "| queries | shards | queries run | identical top 10 | identical but tie order | max score diff | QPS whole | QPS shards |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for shards in ${SHARDS:-1 2 4}; do
    stub=$work/remote-$shards.stub
    : >"$stub"
    if [ "$shards" -eq 1 ]; then
        echo "remote 127.0.0.1:$(serve "$work/whole.db")" >>"$stub"
    else
        python3 - "$corpus" "$work/part-$shards" "$shards" <<'PY'
import sys
corpus, prefix, shards = sys.argv[1], sys.argv[2], int(sys.argv[3])
outs = [open(f"{prefix}-{i}.jsonl", "w") for i in range(shards)]
with open(corpus) as lines:
    for n, line in enumerate(lines):
        outs[n % shards].write(line)
PY
        for ((i = 0; i < shards; i++)); do
            timed_index "$work/part-$shards-$i.db" "$work/part-$shards-$i.jsonl"
            echo "remote 127.0.0.1:$(serve "$work/part-$shards-$i.db")" >>"$stub"
        done
    fi
    for queries in "$@"; do
        name=$(basename "$(dirname "$queries")")
        qps=$(batch "$stub" "$queries" "$work/remote-$shards-$name.run")
        python3 - "$work/whole-$name.run" "$work/remote-$shards-$name.run" "$name" "$shards" \
            "${whole_qps[$queries]}" "$qps" <<'PY'
import sys
whole_path, shard_path, name, shards, whole_qps, shard_qps = sys.argv[1:]
def read(path):
    runs = {}
    for line in open(path):
        qid, _, doc, _, score, _ = line.split()
        runs.setdefault(qid, []).append((doc, float(score)))
    return runs
whole, sharded = read(whole_path), read(shard_path)
identical = ties = 0
worst = 0.0
for qid, hits in whole.items():
    other = sharded.get(qid, [])
    if len(other) == len(hits):
        worst = max([worst] + [abs(a[1] - b[1]) for a, b in zip(hits, other)])
    same_scores = len(other) == len(hits) and all(abs(a[1] - b[1]) <= 1e-9 for a, b in zip(hits, other))
    if same_scores and [d for d, _ in hits] == [d for d, _ in other]:
        identical += 1
    elif same_scores:
        # Equal scores in another order; the last group may be cut by the page differently.
        groups = lambda hs: [sorted(d for d, s in hs if abs(s - score) <= 1e-9) for score in sorted({s for _, s in hs})[1:]]
        ties += groups(hits) == groups(other)
print(f"| {name} | {shards} | {len(whole)} | {identical} | {ties} | {worst:.2e} | {whole_qps} | {shard_qps} |")
PY
    done
done
