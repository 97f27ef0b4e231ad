#!/usr/bin/env bash
# Ranking grid runner: calls scripts/eval.sh once per option set and collects the per-collection
# results (ours - baseline deltas, our absolute nDCG@10, p50 latency) into one TSV plus a compact
# summary table.
#
#   scripts/tune.sh [-o OUT.tsv] [-c "COLLECTION..."] [-r N] [-F] [-f FILE] [SETTING...]
#
#   SETTING   one quoted string of scholarsearch-query ranking options, e.g. "--k1 0.9 --b 0.4";
#             "" (or "defaults") = the built-in defaults. Run in the order given.
#   -f FILE   read more settings from FILE, one per line ('#' comments and blank lines ignored)
#   -c LIST   collections passed to eval.sh (default: "cranfield cisi med cacm adi")
#   -o OUT    result TSV (default build/tune/results.tsv). Settings already in OUT for the same
#             collection are not run again (resume / prune as you go); -F forces a re-run
#             (use it, or a new OUT, after the binaries changed: OUT does not know the build).
#   -r N      run each query set N times (--repeat N) for steadier p50 figures. English only: the
#             csl CJK word check runs single queries, which do not take --repeat.
#   -s        only print the summary of OUT for the given settings (no eval runs)
#
# Environment: EVAL_DIR (default /tmp/scholarsearch-tune-eval, so a grid never overwrites the run
# files of someone running eval.sh in build/eval at the same time), SHARED_DATA, BUILD_DIR as for
# eval.sh. Each eval.sh output is kept as OUT_DIR/logs/NNN.txt.
#
# OUT columns (tab-separated, one row per setting x collection):
#   setting collection d_ndcg10 d_map d_r100 d_mrr10 ours_ndcg10 base_ndcg10 p50_ours p50_base status
# status is "ok" or "evalexit=N" (eval.sh exit status; the numbers may still be there).
# For csl two extra pseudo-collections are recorded: csl-rank1 (ours known-item success at rank 1,
# percent, in the ours_ndcg10 column) and csl-cjk (CJK word check percent, same column).
#
# Summary (stdout): per setting the nDCG@10 delta of every collection, their mean and minimum, the
# worst delta over all four measures and collections, how many deltas are negative, and the mean
# p50 of our engine over the collections.
set -euo pipefail
cd "$(dirname "$0")/.."

out=build/tune/results.tsv
collections="cranfield cisi med cacm adi"
repeat=1
force=0
summary_only=0
settings=()
while (($#)); do
    case $1 in
        -o) out=$2; shift 2 ;;
        -c) collections=$2; shift 2 ;;
        -r) repeat=$2; shift 2 ;;
        -F) force=1; shift ;;
        -s) summary_only=1; shift ;;
        -f) while IFS= read -r line || [[ -n $line ]]; do
                line=${line%%#*}; line=$(echo "$line" | xargs)  # strip comment and blanks
                [[ -n $line ]] && settings+=("$line")
            done <"$2"; shift 2 ;;
        -h|--help) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --) shift; settings+=("$@"); break ;;
        --?*) settings+=("$1"); shift ;;  # a setting such as "--k1 0.9 --b 0.4"
        -*) echo "tune.sh: unknown option $1" >&2; exit 2 ;;
        *) settings+=("$1"); shift ;;
    esac
done
((${#settings[@]})) || settings=("defaults")
if ((repeat > 1)) && [[ " $collections " == *" csl "* ]]; then
    echo "tune.sh: -r does not combine with csl (the CJK word check takes no --repeat)" >&2; exit 2
fi

export EVAL_DIR=${EVAL_DIR:-/tmp/scholarsearch-tune-eval}
mkdir -p "$(dirname "$out")/logs"
header=$'setting\tcollection\td_ndcg10\td_map\td_r100\td_mrr10\tours_ndcg10\tbase_ndcg10\tp50_ours\tp50_base\tstatus'
[[ -s $out ]] || echo "$header" >"$out"

# Canonical label of a setting: its words joined by single spaces; empty = "defaults".
label_of() { local l; l=$(echo "$1" | xargs); [[ -z $l || $l == defaults ]] && l=defaults; echo "$l"; }

# done_for LABEL COLLECTION: true if OUT already has that row.
done_for() { awk -F'\t' -v s="$1" -v c="$2" '$1 == s && $2 == c { f = 1 } END { exit !f }' "$out"; }

if ((!summary_only)); then
    for setting in "${settings[@]}"; do
        label=$(label_of "$setting")
        todo=()
        for c in $collections; do
            if ((force)) || ! done_for "$label" "$c"; then todo+=("$c"); fi
        done
        ((${#todo[@]})) || { echo "tune.sh: [$label] already in $out, skipped" >&2; continue; }
        # Drop old rows of the collections about to be re-run (-F).
        awk -F'\t' -v s="$label" -v list=" ${todo[*]} " \
            '!($1 == s && (index(list, " " $2 " ") || ($2 ~ /^csl-/ && index(list, " csl "))))' \
            "$out" >"$out.tmp" && mv "$out.tmp" "$out"
        args=()
        [[ $label != defaults ]] && read -r -a args <<<"$label"
        ((repeat > 1)) && args+=(--repeat "$repeat")
        n=$(find "$(dirname "$out")/logs" -name '*.txt' | wc -l)
        log=$(dirname "$out")/logs/$(printf '%03d' $((n + 1))).txt
        echo "tune.sh: [$label] on ${todo[*]} (log $log)" >&2
        rc=0
        bash scripts/eval.sh "${todo[@]}" -- "${args[@]}" >"$log" 2>&1 || rc=$?
        status=ok; ((rc == 0)) || status="evalexit=$rc"
        # Table rows look like "cisi      | ours     |   0.3826 | ... |      76 |    2.992".
        awk -F'|' -v s="$label" -v st="$status" '
            function t(x) { gsub(/^ +| +$/, "", x); return x }
            NF == 8 && t($2) ~ /^(ours|baseline|delta)$/ {
                c = t($1); sys = t($2)
                if (sys == "ours") { on[c] = t($3); op[c] = t($8) }
                else if (sys == "baseline") { bn[c] = t($3); bp[c] = t($8) }
                else { d[c] = t($3) "\t" t($4) "\t" t($5) "\t" t($6); order[++k] = c }
            }
            /known-item found at rank 1: ours/ { r1 = $0; sub(/.*ours */, "", r1); sub(/%.*/, "", r1) }
            /CJK word check: .* found = / { cjk = $0; sub(/.*found = /, "", cjk); sub(/%.*/, "", cjk) }
            END {
                for (i = 1; i <= k; i++) { c = order[i]
                    print s "\t" c "\t" d[c] "\t" on[c] "\t" bn[c] "\t" op[c] "\t" bp[c] "\t" st }
                if (r1 != "") print s "\tcsl-rank1\t\t\t\t\t" r1 "\t\t\t\t" st
                if (cjk != "") print s "\tcsl-cjk\t\t\t\t\t" cjk "\t\t\t\t" st
            }' "$log" >>"$out"
        if ((rc != 0)); then
            echo "tune.sh: eval.sh exit $rc for [$label], notes:" >&2
            sed -n '/^Measures:/,$p' "$log" | tail -n +3 | head -20 | sed 's/^/    /' >&2
        fi
    done
fi

# ---- summary of the requested settings, in the order given ----
labels=$(for s in "${settings[@]}"; do label_of "$s"; done)
awk -F'\t' -v cols="$collections" -v labels="$labels" '
    BEGIN {
        nc = split(cols, cl, " "); nl = split(labels, lb, "\n")
        w = 42; for (j = 1; j <= nl; j++) if (length(lb[j]) > w) w = length(lb[j])
        printf "%-" w "s", "setting (delta nDCG@10 = ours - baseline)"
        for (i = 1; i <= nc; i++) if (cl[i] != "csl") printf " %9s", substr(cl[i], 1, 9)
        printf " %8s %8s %9s %4s %7s", "mean", "min", "worst-any", "neg", "p50ms"
        if (cols ~ /(^| )csl( |$)/) printf " %7s %6s", "csl@1%", "cjk%"
        printf "\n"
    }
    NR > 1 { key = $1 SUBSEP $2; dn[key] = $3; for (m = 3; m <= 6; m++) dd[key, m] = $m
             own[key] = $7; p50[key] = $9 }
    END {
        for (j = 1; j <= nl; j++) { s = lb[j]; if (seen[s]++) continue
            printf "%-" w "s", s; sum = 0; n = 0; mn = 9; worst = 9; neg = 0; ps = 0; pn = 0
            for (i = 1; i <= nc; i++) { c = cl[i]; key = s SUBSEP c
                if (c == "csl") continue
                if (!(key in dn)) { printf " %9s", "-"; continue }
                printf " %+9.4f", dn[key]; sum += dn[key]; n++; if (dn[key] < mn) mn = dn[key]
                for (m = 3; m <= 6; m++) { if (dd[key, m] < worst) worst = dd[key, m]; if (dd[key, m] < 0) neg++ }
                if (p50[key] != "" && p50[key] != "?") { ps += p50[key]; pn++ }
            }
            if (n) printf " %+8.4f %+8.4f %+9.4f %4d %7.3f", sum / n, mn, worst, neg, pn ? ps / pn : 0
            else printf " %8s %8s %9s %4s %7s", "-", "-", "-", "-", "-"
            if (cols ~ /(^| )csl( |$)/) {
                r = s SUBSEP "csl-rank1"; k = s SUBSEP "csl-cjk"
                printf " %7s %6s", (r in own) ? own[r] : "-", (k in own) ? own[k] : "-"
            }
            printf "\n"
        }
    }' "$out"
