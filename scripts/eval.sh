#!/usr/bin/env bash
# Retrieval-quality evaluation: our engine against the raw-Xapian BM25 baseline on the shared test
# collections, scored with scripts/trec_eval.py.
#
#   scripts/eval.sh [COLLECTION...] [-- extra scholarsearch-query options]
#
#   COLLECTION   any of cranfield cisi med cacm adi csl real (default: all six, and real when its
#                corpus has been built)
#   -- ARGS      passed to our scholarsearch-query only (tuning), e.g. -- --k1 0.9 --b 0.4
#
# real = the 367,654 real English records of ../shared/data/real-large (build them first, see its
# SOURCE.md; REAL_LARGE=DIR if not in build/real-large). Known-item search-box queries of five kinds
# (scripts/make-known-item-queries.py, fixed seed) are scored per kind with MRR@10, Success@1 and
# Success@10 (scripts/known_item_eval.py), ours and the baseline on the same records. Its two
# indexes take about 5 minutes each and are only rebuilt when missing, older than the corpus, with
# REINDEX=1, or when our index was written by another analyzer or schema version.
#
# Environment:
#   SHARED_DATA  data root (default ../shared/data relative to the repo root)
#   EVAL_DIR     work dir for indexes, runs and logs (default build/eval)
#   BUILD_DIR    build tree with the binaries (default build; built with cmake only if a binary is missing)
#   REINDEX=1    rebuild every index even if it looks fresh
#   REAL_LARGE   the real-large build (default build/real-large)
#
# Exit status: 0 all ran (and the CJK word check found 100%), 1 something failed (see the notes
# under the table), 2 bad usage.
#
# Indexes live in $EVAL_DIR/NAME/{ours,baseline}.db and are rebuilt when missing or older than the
# corpus, the binary that built them, or this script (it decides what gets indexed, see csl below).
#
# csl is a derived known-item task (query = a paper's own title). Its SOURCE.md says to search
# abstract + keywords only, so both systems index a title-less copy of the corpus (written to a temp
# dir, never into the repo). The CJK word check (scripts/cjk_word_check.py) needs the titles and runs
# against a separate full csl index.
set -euo pipefail
script=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")  # absolute: its mtime decides reindexing
cd "$(dirname "$script")/.."
started=$SECONDS

all_collections=(cranfield cisi med cacm adi csl)
real_dir=${REAL_LARGE:-build/real-large}
[[ -f $real_dir/corpus.jsonl ]] && all_collections+=(real)
collections=()
extra_query_args=()
while (($#)); do
    case $1 in
        --) shift; extra_query_args=("$@"); break ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "eval.sh: unknown option $1 (query options go after --)" >&2; exit 2 ;;
        *) collections+=("$1"); shift ;;
    esac
done
((${#collections[@]})) || collections=("${all_collections[@]}")

data_root=${SHARED_DATA:-../shared/data}
[[ -d $data_root ]] || { echo "eval.sh: data dir $data_root not found (set SHARED_DATA)" >&2; exit 2; }
data_root=$(cd "$data_root" && pwd)
build_dir=${BUILD_DIR:-build}
eval_dir=${EVAL_DIR:-build/eval}
mkdir -p "$eval_dir"
eval_dir=$(cd "$eval_dir" && pwd)

built_indexer=$build_dir/indexer/scholarsearch-index
built_query=$build_dir/server/scholarsearch-query
built_baseline=$build_dir/tests/bench/xapian-baseline
if [[ ! -x $built_indexer || ! -x $built_query || ! -x $built_baseline ]]; then
    echo "eval.sh: binaries missing, building $build_dir" >&2
    cmake --build "$build_dir" >&2
fi

for name in "${collections[@]}"; do
    if [[ $name == real ]]; then
        [[ -f $real_dir/corpus.jsonl ]] || { echo "eval.sh: $real_dir/corpus.jsonl missing (see $data_root/real-large/SOURCE.md)" >&2; exit 2; }
        continue
    fi
    for file in corpus.jsonl queries.tsv qrels.tsv; do
        [[ -f $data_root/$name/$file ]] || { echo "eval.sh: $data_root/$name/$file missing" >&2; exit 2; }
    done
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Other engineers relink the binaries while we run. Work on copies taken now (cp -p keeps the mtime
# that decides reindexing), so every collection is measured with one build. A copy taken in the
# middle of a link fails its smoke test (a usage text from --help or no arguments); wait and retry.
snapshot() {
    local source=$1 copy=$tmp/bin/$(basename "$1") attempt
    mkdir -p "$tmp/bin"
    for attempt in 1 2 3 4 5 6; do
        cp -p "$source" "$copy" 2>/dev/null && chmod +x "$copy" &&
            { "$copy" --help 2>&1; "$copy" 2>&1; true; } | grep -qi usage && { echo "$copy"; return 0; }
        sleep 10
    done
    echo "eval.sh: $source does not run (still being linked?)" >&2
    return 1
}
indexer=$(snapshot "$built_indexer")
query=$(snapshot "$built_query")
baseline=$(snapshot "$built_baseline")
binary_times="index $(date -r "$indexer" '+%F %T'), query $(date -r "$query" '+%F %T'), baseline $(date -r "$baseline" '+%F %T')"
rows=$tmp/rows.tsv       # collection system ndcg map recall mrr success1 queries p50
known_rows=$tmp/known.tsv  # kind system mrr10 success1 success10 queries (the real corpus)
: >"$known_rows"
notes=$tmp/notes.txt     # lines printed under the table
: >"$rows"; : >"$notes"
failed=0

# The commit being measured, read from .git directly (no git process: others work in this tree).
# Uncommitted edits in the work tree are not visible here; the binary times tell what was built.
git_commit() {
    local git_dir=.git head ref
    if [[ -f $git_dir ]]; then git_dir=$(sed -n 's/^gitdir: //p' .git); fi  # worktree or submodule
    [[ -f $git_dir/HEAD ]] || { echo unknown; return; }
    head=$(<"$git_dir/HEAD")
    if [[ $head != ref:* ]]; then echo "$head (detached)"; return; fi
    ref=${head#ref: }
    local common=$git_dir
    [[ -f $git_dir/commondir ]] && common=$git_dir/$(<"$git_dir/commondir")
    if [[ -f $git_dir/$ref ]]; then echo "$(<"$git_dir/$ref") (${ref#refs/heads/})"
    elif [[ -f $common/$ref ]]; then echo "$(<"$common/$ref") (${ref#refs/heads/})"
    elif [[ -f $common/packed-refs ]] && grep -q " $ref\$" "$common/packed-refs"; then
        echo "$(grep " $ref\$" "$common/packed-refs" | cut -d' ' -f1) (${ref#refs/heads/})"
    else echo "none yet (${ref#refs/heads/})"; fi
}
commit=$(git_commit)  # taken at the start: someone may commit while we run

# index_is_fresh STAMP INPUT... : true if STAMP exists and is newer than every input.
index_is_fresh() {
    local stamp=$1; shift
    [[ ${REINDEX:-0} != 1 && -f $stamp ]] || return 1
    local input
    for input in "$@"; do [[ $input -nt $stamp ]] && return 1; done
    return 0
}

# A copy of csl with empty titles (SOURCE.md: the known-item task searches abstract + keywords),
# made once per run in the temp dir; prints its path.
title_less_csl() {
    local copy=$tmp/csl-notitle.jsonl
    [[ -f $copy ]] || python3 -c '
import json, sys
for line in sys.stdin:
    if line.strip():
        record = json.loads(line)
        record["title"] = ""
        print(json.dumps(record, ensure_ascii=False))' <"$data_root/csl/corpus.jsonl" >"$copy"
    echo "$copy"
}

# ensure_index SYSTEM DIR NAME [full]: (re)builds DIR/SYSTEM.db (SYSTEM = ours | baseline) for
# collection NAME unless its stamp is newer than the corpus, the binary and this script.
# "full" keeps csl's titles (for the CJK word check).
ensure_index() {
    local system=$1 dir=$2 name=$3 full=${4:-} source=$data_root/$3/corpus.jsonl bin corpus rc=0
    if [[ $system == ours ]]; then bin=$indexer; else bin=$baseline; fi
    index_is_fresh "$dir/$system.stamp" "$source" "$bin" "$script" && return 0
    corpus=$source
    [[ $name == csl && -z $full ]] && corpus=$(title_less_csl)
    rm -rf "${dir:?}/$system.db" "$dir/$system.stamp"
    touch "$dir/$system.stamp.new"  # the stamp keeps the start time: a binary relinked meanwhile is newer
    if [[ $system == ours ]]; then
        "$indexer" -q --db "$dir/ours.db" "$corpus" >"$dir/ours.index.log" 2>&1 || rc=$?
    else
        "$baseline" index --db "$dir/baseline.db" "$corpus" >"$dir/baseline.index.log" 2>&1 || rc=$?
    fi
    # scholarsearch-index exit 1 = some records rejected: worth a warning, the index is still usable.
    if ((rc == 1)) && [[ $system == ours ]]; then
        echo "WARNING: $name: scholarsearch-index rejected records (exit 1), see $dir/ours.index.log" >>"$notes"
    elif ((rc != 0)); then
        echo "ERROR: $name: $system indexing failed (exit $rc), see $dir/$system.index.log" >>"$notes"
        return 1
    fi
    mv "$dir/$system.stamp.new" "$dir/$system.stamp"
}

# latency_field LOG KEY: the value of KEY=... in a "queries=.. p50_ms=.." summary line.
latency_field() { grep -o "$2=[0-9.]*" "$1" | tail -1 | cut -d= -f2 || true; }

# The real corpus: known-item queries, ours and the baseline on the same records.
evaluate_real() {
    local dir=$eval_dir/real corpus=$real_dir/corpus.jsonl rc=0 system
    mkdir -p "$dir"
    if [[ ! -f $dir/queries/qrels.tsv || $corpus -nt $dir/queries/qrels.tsv ||
          scripts/make-known-item-queries.py -nt $dir/queries/qrels.tsv ]]; then
        echo "== real: making the known-item query sets" >&2
        python3 scripts/make-known-item-queries.py "$corpus" "$dir/queries" || return 1
    fi
    # Our index is also stale when this build refuses it (another analyzer or schema version).
    if [[ -d $dir/ours.db ]] && ! "$query" --db "$dir/ours.db" --json probe >/dev/null 2>&1; then
        rm -f "$dir/ours.stamp"
    fi
    for system in ours baseline; do
        [[ ${REINDEX:-0} != 1 && -f $dir/$system.stamp && ! $corpus -nt $dir/$system.stamp ]] && continue
        echo "== real: indexing $system (about 5 minutes)" >&2
        rm -rf "${dir:?}/$system.db" "$dir/$system.stamp"
        rc=0
        if [[ $system == ours ]]; then "$indexer" -q --db "$dir/ours.db" "$corpus" >"$dir/ours.index.log" 2>&1 || rc=$?
        else "$baseline" index --db "$dir/baseline.db" "$corpus" >"$dir/baseline.index.log" 2>&1 || rc=$?; fi
        if ((rc > 1)) || { ((rc == 1)) && [[ $system != ours ]]; }; then
            echo "ERROR: real: $system indexing failed (exit $rc), see $dir/$system.index.log" >>"$notes"
            return 1
        fi
        touch "$dir/$system.stamp"
    done
    echo "== real: searching" >&2
    rm -f "$dir/ours.trec" "$dir/baseline.trec"
    rc=0
    "$query" --db "$dir/ours.db" --batch "$dir/queries/queries.tsv" --run "$dir/ours.trec" --hits 10 \
        --tag ours "${extra_query_args[@]}" >"$dir/ours.search.log" 2>&1 || rc=$?
    ((rc <= 1)) || { echo "real: scholarsearch-query exit $rc (log: $dir/ours.search.log)" >>"$notes"; return 1; }
    "$baseline" search --db "$dir/baseline.db" --queries "$dir/queries/queries.tsv" --run "$dir/baseline.trec" \
        --hits 10 >"$dir/baseline.search.log" 2>&1 ||
        { echo "real: xapian-baseline search failed (log: $dir/baseline.search.log)" >>"$notes"; return 1; }
    for system in ours baseline; do
        python3 scripts/known_item_eval.py --tsv "$dir/$system.trec" "$dir/queries/qrels.tsv" |
            awk -F'\t' -v name="$system" -v p50="$(latency_field "$dir/$system.search.log" p50_ms)" \
                'BEGIN { OFS = "\t" } { print $1, name, $2, $3, $4, $5, p50 }' >>"$known_rows"
    done
}

for name in "${collections[@]}"; do
    dir=$eval_dir/$name
    src=$data_root/$name
    if [[ $name == real ]]; then
        evaluate_real || failed=1
        continue
    fi
    mkdir -p "$dir"
    echo "== $name: indexing and searching" >&2
    if ! { ensure_index ours "$dir" "$name" && ensure_index baseline "$dir" "$name"; }; then
        failed=1; continue
    fi

    # Our engine. Exit status 1 = some query was bad (the others still count), more = could not run.
    # Old runs are removed first so that a failed search can never be scored from a stale file.
    rm -f "$dir/ours.trec" "$dir/baseline.trec"
    rc=0
    "$query" --db "$dir/ours.db" --batch "$src/queries.tsv" --run "$dir/ours.trec" --hits 100 \
        --tag ours "${extra_query_args[@]}" >"$dir/ours.search.log" 2>&1 || rc=$?
    failures=$(latency_field "$dir/ours.search.log" failures)
    if ((rc != 0)) || [[ ${failures:-0} != 0 ]]; then
        echo "$name: scholarsearch-query exit $rc, failures=${failures:-?} (log: $dir/ours.search.log)" >>"$notes"
        grep -v '^queries=' "$dir/ours.search.log" | head -5 | sed 's/^/    /' >>"$notes" || true
        ((rc <= 1)) || { failed=1; continue; }
    fi
    "$baseline" search --db "$dir/baseline.db" --queries "$src/queries.tsv" --run "$dir/baseline.trec" \
        --hits 100 >"$dir/baseline.search.log" 2>&1 || {
        echo "$name: xapian-baseline search failed (log: $dir/baseline.search.log)" >>"$notes"; failed=1; continue; }

    for system in ours baseline; do
        if [[ ! -f $dir/$system.trec ]]; then
            echo "$name: $system wrote no run file" >>"$notes"; failed=1; continue
        fi
        scores=$(python3 scripts/trec_eval.py --tsv "$dir/$system.trec" "$src/qrels.tsv")
        read -r ndcg map recall mrr success queries <<<"$scores"
        p50=$(latency_field "$dir/$system.search.log" p50_ms)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$system" "$ndcg" "$map" "$recall" "$mrr" \
            "$success" "$queries" "${p50:-?}" >>"$rows"
    done

    if [[ $name == csl ]]; then
        # Known-item success: the paper itself at rank 1 (success_1 of trec_eval.py, in percent).
        awk -F'\t' '$1 == "csl" { printf "csl known-item found at rank 1: %-8s %.1f%%\n", $2, 100 * $7 }' \
            "$rows" >>"$notes"
        # The CJK word check searches titles too, so it gets its own index of the full corpus.
        full=$eval_dir/csl-full
        mkdir -p "$full"
        ensure_index ours "$full" csl full || { failed=1; continue; }
        echo "== csl: CJK word check" >&2
        rc=0
        python3 scripts/cjk_word_check.py --db "$full/ours.db" --corpus "$src/corpus.jsonl" \
            --query-bin "$query" --work "$full/cjk" -- "${extra_query_args[@]}" \
            >"$full/cjk.log" 2>"$full/cjk.err" || rc=$?
        {
            echo
            echo "CJK word check (scripts/cjk_word_check.py; exit $rc; batch commands in $full/cjk.err):"
            sed 's/^/    /' "$full/cjk.log"
            ((rc <= 1)) || sed 's/^/    /' "$full/cjk.err"
        } >>"$notes"
        ((rc == 0)) || failed=1
    fi
done

# ---- report ----
echo
echo "scholarsearch retrieval evaluation"
echo "commit:   $commit"
echo "binaries: $binary_times"
echo "data:     $data_root"
echo "query options: ${extra_query_args[*]:-(defaults)}"
echo
fmt='%-10s| %-9s| %8s | %8s | %8s | %8s | %7s | %8s\n'
printf "$fmt" collection system nDCG@10 MAP R@100 MRR@10 queries "p50 ms"
printf '%s\n' "----------+----------+----------+----------+----------+----------+---------+---------"
# One block per collection: ours, baseline, then the difference of the four measures.
awk -F'\t' -v fmt="$fmt" '
    function delta(x) { return sprintf("%+.4f", x) }
    {
        printf fmt, $1, $2, sprintf("%.4f", $3), sprintf("%.4f", $4), sprintf("%.4f", $5),
            sprintf("%.4f", $6), $8, $9
        if ($2 == "ours") { for (i = 3; i <= 6; i++) ours[i] = $i }
        else printf fmt, $1, "delta", delta(ours[3] - $3), delta(ours[4] - $4), delta(ours[5] - $5),
            delta(ours[6] - $6), "", ""
    }' "$rows"
if [[ -s $known_rows ]]; then
    echo
    echo "Known-item search-box queries on the real corpus ($real_dir, scripts/make-known-item-queries.py)"
    echo
    kfmt='%-11s| %-9s| %8s | %8s | %8s | %7s | %8s\n'
    printf "$kfmt" kind system MRR@10 S@1 S@10 queries "p50 ms"
    printf '%s\n' "-----------+----------+----------+----------+----------+---------+---------"
    # Rows come as all kinds of ours, then all of the baseline: print each kind's pair together.
    awk -F'\t' -v fmt="$kfmt" '
        { key = $1 SUBSEP $2; row[key] = $0; if (!($1 in seen)) { seen[$1] = 1; kinds[++n] = $1 } }
        END {
            for (i = 1; i <= n; i++) {
                split(row[kinds[i] SUBSEP "ours"], o, "\t"); split(row[kinds[i] SUBSEP "baseline"], b, "\t")
                printf fmt, o[1], "ours", o[3], o[4], o[5], o[6], o[7]
                printf fmt, b[1], "baseline", b[3], b[4], b[5], b[6], b[7]
                printf fmt, o[1], "delta", sprintf("%+.4f", o[3] - b[3]), sprintf("%+.4f", o[4] - b[4]),
                    sprintf("%+.4f", o[5] - b[5]), "", ""
            }
        }' "$known_rows"
fi
echo
echo "Measures: trec_eval definitions (scripts/trec_eval.py), means over queries with >= 1 relevant"
echo "document; ties ordered by score desc, docid desc as trec_eval does. delta = ours - baseline."
if [[ -s $notes ]]; then echo; cat "$notes"; fi
echo
echo "runtime: $((SECONDS - started)) s; runs and logs in $eval_dir"
exit "$failed"
