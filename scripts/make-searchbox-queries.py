#!/usr/bin/env python3
"""Search-box queries for the benchmarks: what a user types to find a paper they half remember.

The query sets of the shared collections are long natural-language questions (median 19 words).
A search box mostly gets two to four words. This takes every Nth record of a corpus (JSON Lines)
that has an English title and writes a few consecutive content words of that title, two to four
by turn, as one query: qid<TAB>text. Deterministic: the same corpus and options give the same file.

    scripts/make-searchbox-queries.py CORPUS.jsonl OUT.tsv [--count 500] [--seed 1]
"""
import argparse
import json
import random
import re

STOP = set("""a an and are as at be by for from has have in into is it its of on or that the their
this to was were which with without""".split())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    # Counting lines first is cheaper than parsing every record: only every Nth is parsed.
    with open(args.corpus, encoding="utf-8") as corpus:
        total = sum(1 for _ in corpus)
    step = max(1, total // args.count)
    rng = random.Random(args.seed)
    queries = []
    with open(args.corpus, encoding="utf-8") as corpus:
        for number, line in enumerate(corpus):
            if number % step or len(queries) >= args.count:
                continue
            title = json.loads(line).get("title") or ""
            words = [w for w in re.findall(r"[A-Za-z]{3,}", title.lower()) if w not in STOP]
            if len(words) < 2:
                continue
            wanted = min(2 + len(queries) % 3, len(words))
            start = rng.randrange(len(words) - wanted + 1)
            queries.append(" ".join(words[start:start + wanted]))
    with open(args.out, "w", encoding="utf-8") as out:
        for number, query in enumerate(queries, 1):
            out.write("sb-%d\t%s\n" % (number, query))


if __name__ == "__main__":
    main()
