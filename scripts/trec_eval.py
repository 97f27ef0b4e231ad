#!/usr/bin/env python3
"""Score a TREC run against qrels the way trec_eval does (Python 3 standard library only).

    trec_eval.py [options] RUN QRELS

RUN is a TREC run ("qid Q0 docid rank score tag", whitespace separated). QRELS is either our
tab-separated layout "qid<TAB>docid<TAB>relevance" or classic TREC "qid 0 docid relevance".

Measures (means over the evaluated queries):
  ndcg_cut_10  trec_eval's ndcg_cut.10: gain = relevance grade (linear), discount log2(rank + 1),
               ideal DCG from the grades in the qrels, both cut at rank 10.
  map          average precision over the whole run, binary relevance (grade >= --min-relevant).
  recall_100   relevant documents in the top 100 / all relevant documents.
  recip_rank_10  1 / rank of the first relevant document within the top 10, else 0 (MRR@10).
  success_1    1 if the top document is relevant, else 0 (the known-item "found at rank 1").

Which queries count (trec_eval -c convention): every query in the qrels with at least one relevant
document. Queries judged but with no relevant document are left out (every measure would be 0/0 for
them); a judged query missing from the run scores 0 on everything; run queries without judgments
are ignored.

Order of the run: like trec_eval, documents are sorted by score descending and ties broken by
docid descending (string comparison), ignoring the run's rank column. --run-order keeps the order
of the lines in the file instead. A document repeated within a query is counted once (first line).

Output: one JSON line with the means and the query count; -q adds one JSON line per query before it;
--table prints a small text table and --tsv one tab-separated line instead of the summary JSON.
"""
import argparse
import json
import math
import sys
from collections import defaultdict

CUTOFF_NDCG = 10
CUTOFF_RECALL = 100
CUTOFF_MRR = 10
MEASURES = ("ndcg_cut_10", "map", "recall_100", "recip_rank_10", "success_1")


def numbered_fields(path):
    """(line number, whitespace-separated fields) of each non-blank line of a file."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            fields = line.split()
            if fields:
                yield number, fields


def read_qrels(path):
    """Returns {qid: {docid: grade}}. Accepts 3-column TSV and 4-column TREC qrels."""
    qrels = defaultdict(dict)
    for number, fields in numbered_fields(path):
        if len(fields) == 3:
            qid, docid, grade = fields
        elif len(fields) == 4:
            qid, _, docid, grade = fields
        else:
            sys.exit(f"{path}:{number}: expected 3 or 4 columns, got {len(fields)}")
        # Grades may be written as "1" or "1.0"; trec_eval reads them as integers.
        qrels[qid][docid] = int(float(grade))
    return qrels


def read_run(path, run_order):
    """Returns {qid: [docid, ...]} in evaluation order."""
    lines = defaultdict(list)
    for number, fields in numbered_fields(path):
        if len(fields) < 6:
            sys.exit(f"{path}:{number}: expected 'qid Q0 docid rank score tag'")
        qid, docid, score = fields[0], fields[2], float(fields[4])
        lines[qid].append((score, docid, number))
    ranked = {}
    for qid, entries in lines.items():
        if run_order:
            entries.sort(key=lambda e: e[2])
        else:
            # trec_eval: score descending, then docid descending. Python's sort is stable, so sort by
            # the secondary key first.
            entries.sort(key=lambda e: e[1], reverse=True)
            entries.sort(key=lambda e: e[0], reverse=True)
        seen, docs = set(), []
        for _, docid, _ in entries:
            if docid not in seen:  # trec_eval refuses duplicates; we keep the first and go on
                seen.add(docid)
                docs.append(docid)
        ranked[qid] = docs
    return ranked


def dcg(gains):
    # trec_eval ndcg_cut: sum of gain_i / log2(i + 1) for ranks i = 1..k (rank 1 is undiscounted).
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains) if g > 0)


def score_query(docs, judgments, min_relevant):
    relevant = {d for d, g in judgments.items() if g >= min_relevant}
    num_rel = len(relevant)
    gains = [max(judgments.get(d, 0), 0) for d in docs[:CUTOFF_NDCG]]
    ideal = sorted((g for g in judgments.values() if g > 0), reverse=True)[:CUTOFF_NDCG]
    ideal_dcg = dcg(ideal)
    found, precision_sum, first_rank = 0, 0.0, None
    found_at_recall_cut = 0
    for rank, docid in enumerate(docs, 1):
        if docid in relevant:
            found += 1
            precision_sum += found / rank
            if first_rank is None:
                first_rank = rank
            if rank <= CUTOFF_RECALL:
                found_at_recall_cut = found
    return {
        "ndcg_cut_10": dcg(gains) / ideal_dcg if ideal_dcg > 0 else 0.0,
        "map": precision_sum / num_rel,
        "recall_100": found_at_recall_cut / num_rel,
        "recip_rank_10": 1.0 / first_rank if first_rank and first_rank <= CUTOFF_MRR else 0.0,
        "success_1": 1.0 if first_rank == 1 else 0.0,
    }


def evaluate(run, qrels, min_relevant):
    """Returns (per-query dict, means dict, number of evaluated queries)."""
    per_query = {}
    for qid, judgments in qrels.items():
        if not any(g >= min_relevant for g in judgments.values()):
            continue  # no relevant document: excluded, as in trec_eval
        per_query[qid] = score_query(run.get(qid, []), judgments, min_relevant)
    count = len(per_query)
    means = {m: (sum(q[m] for q in per_query.values()) / count if count else 0.0) for m in MEASURES}
    return per_query, means, count


def sort_key(qid):
    # Numeric query ids sort numerically, others (e.g. csl's "dev-0001") as strings.
    return (0, int(qid), "") if qid.isdigit() else (1, 0, qid)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run")
    parser.add_argument("qrels")
    parser.add_argument("--min-relevant", type=int, default=1,
                        help="lowest grade that counts as relevant for MAP, recall and MRR "
                             "(trec_eval -l; default 1 = grade > 0)")
    parser.add_argument("--run-order", action="store_true",
                        help="keep the run file's line order instead of trec_eval's score/docid sort")
    parser.add_argument("-q", "--per-query", action="store_true", help="also print one line per query")
    parser.add_argument("--table", action="store_true", help="print a text table instead of JSON")
    parser.add_argument("--tsv", action="store_true",
                        help="print the means tab-separated in the order " + " ".join(MEASURES)
                             + " queries (for scripts)")
    args = parser.parse_args()

    qrels = read_qrels(args.qrels)
    run = read_run(args.run, args.run_order)
    per_query, means, count = evaluate(run, qrels, args.min_relevant)
    missing = sum(1 for qid in per_query if qid not in run)

    if args.per_query:
        for qid in sorted(per_query, key=sort_key):
            print(json.dumps({"qid": qid, **{m: round(v, 4) for m, v in per_query[qid].items()}}))
    if args.tsv:
        print("\t".join([f"{means[m]:.4f}" for m in MEASURES] + [str(count)]))
    elif args.table:
        print(f"{'measure':<14} {'value':>7}")
        for m in MEASURES:
            print(f"{m:<14} {means[m]:7.4f}")
        print(f"{'queries':<14} {count:7d}")
        if missing:
            print(f"{'not in run':<14} {missing:7d}")
    else:
        print(json.dumps({**{m: round(v, 4) for m, v in means.items()},
                          "queries": count, "queries_missing_from_run": missing}))


if __name__ == "__main__":
    main()
