#!/usr/bin/env python3
"""Deterministic synthetic corpus for benchmarks: recombines the sentences, titles, keywords and
authors of real corpora (JSON Lines in the corpus.jsonl layout) into N new records.

    scripts/make-synthetic.py --records 200000 --seed 1 OUT.jsonl CORPUS.jsonl [CORPUS.jsonl ...]

The same inputs, count and seed always give the same bytes. Output ids are syn-0000000...
"""
import argparse
import json
import random
import re

SENTENCE_END = re.compile(r"(?<=[.!?。！？；])\s*")


def sentences(text):
    return [s.strip() for s in SENTENCE_END.split(text or "") if len(s.strip()) > 10]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("out")
    parser.add_argument("corpora", nargs="+")
    args = parser.parse_args()

    pools = {"sentence": [], "title": [], "keyword": [], "author": [], "venue": []}
    for path in sorted(args.corpora):
        with open(path, encoding="utf-8") as corpus:
            for line in corpus:
                record = json.loads(line)
                pools["sentence"].extend(sentences(record.get("abstract")))
                if record.get("title"):
                    pools["title"].append(record["title"])
                pools["keyword"].extend(record.get("keywords") or [])
                pools["author"].extend(record.get("authors") or [])
                if record.get("venue"):
                    pools["venue"].append(record["venue"])
    for name in pools:
        if not pools[name]:
            pools[name] = [""]

    rng = random.Random(args.seed)
    with open(args.out, "w", encoding="utf-8") as out:
        for n in range(args.records):
            # A title is cut from one real title and the start of another, so titles repeat
            # rarely but keep a real vocabulary.
            first = rng.choice(pools["title"]).split()
            second = rng.choice(pools["title"]).split()
            title = " ".join(first[: max(1, len(first) // 2)] + second[len(second) // 2:]) or rng.choice(pools["title"])
            record = {
                "id": f"syn-{n:07d}",
                "title": title,
                "abstract": " ".join(rng.choice(pools["sentence"]) for _ in range(rng.randint(3, 9))),
                "keywords": [rng.choice(pools["keyword"]) for _ in range(rng.randint(0, 5)) if pools["keyword"][0]],
                "authors": [rng.choice(pools["author"]) for _ in range(rng.randint(1, 4)) if pools["author"][0]],
                "year": rng.randint(1950, 2025),
                "venue": rng.choice(pools["venue"]) or None,
                "cited_by": int(rng.paretovariate(1.2)) - 1,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
