#!/usr/bin/env python3
"""Score known-item runs: MRR@10, Success@1 and Success@10 per query kind.

    scripts/known_item_eval.py RUN QRELS [--tsv]

RUN is a TREC run ("qid Q0 docid rank score tag"), read in rank order (a run lists what the user
sees, ties included). QRELS is "qid<TAB>docid<TAB>1" with one relevant record per query, as
scripts/make-known-item-queries.py writes it. The kind is the qid up to its last '-'
("remembered-17" -> remembered). A query missing from the run scores 0.

Output: one line per kind, "kind mrr10 success1 success10 queries" (tab-separated with --tsv).
"""
import argparse
from collections import defaultdict


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run")
    parser.add_argument("qrels")
    parser.add_argument("--tsv", action="store_true")
    args = parser.parse_args()

    wanted = {}
    with open(args.qrels, encoding="utf-8") as qrels:
        for line in qrels:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 3 and fields[2] != "0":
                wanted[fields[0]] = fields[1]

    found_at = {}
    with open(args.run, encoding="utf-8") as run:
        for line in run:
            fields = line.split()
            if len(fields) < 4:
                continue
            qid, docid, rank = fields[0], fields[2], int(fields[3])
            if wanted.get(qid) == docid and (qid not in found_at or rank < found_at[qid]):
                found_at[qid] = rank

    sums = defaultdict(lambda: [0.0, 0, 0, 0])  # mrr, s@1, s@10, queries
    for qid in wanted:
        kind = qid.rsplit("-", 1)[0]
        rank = found_at.get(qid)
        row = sums[kind]
        row[3] += 1
        if rank is not None and rank <= 10:
            row[0] += 1.0 / rank
            row[2] += 1
            row[1] += rank == 1
    for kind in sorted(sums):
        mrr, s1, s10, n = sums[kind]
        values = (kind, "%.4f" % (mrr / n), "%.4f" % (s1 / n), "%.4f" % (s10 / n), str(n))
        print(("\t" if args.tsv else " ").join(values))


if __name__ == "__main__":
    main()
