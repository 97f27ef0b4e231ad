#!/usr/bin/env python3
"""Quality check: every 2-4 character Chinese word in a paper's title or abstract finds that paper.

    cjk_word_check.py --db DIR [--corpus csl/corpus.jsonl] [options] [-- extra query options]

Takes a deterministic sample of csl papers (default 300, seed 1) and, for each paper, these words:
  keyword    the paper's keywords that are 2-4 Han characters and occur literally in its title
             or abstract (real words chosen by the authors);
  title      a deterministic sample of 2-4 character substrings of the Han runs of the title (these
             may cross word boundaries: a word-segmenting engine can legitimately miss some, so they
             are reported separately).
Every distinct word is searched with `scholarsearch-query --batch` and the (paper, word) pair passes
if the paper is among that word's results. Batch mode returns at most 100 hits a query, so results
are paged with --offset up to --hits (default: the corpus size): a common word's long result list
cannot hide the paper. Failures are listed, each re-checked with `scholarsearch-query --json` to
show how many documents the word matches at all.

Without --db, the corpus is indexed into a temporary directory first.
Exit status: 0 all pairs found, 1 some missing, 2 could not run.
Python 3 standard library only.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Han ideographs: CJK Unified Ideographs, Extension A, compatibility ideographs, Extensions B-F.
HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")


def fail(message):
    """Could not run: exit status 2 (1 is reserved for "some words did not find their paper")."""
    print(f"cjk_word_check: {message}", file=sys.stderr)
    sys.exit(2)


def is_han_word(text):
    match = HAN_RUN.fullmatch(text)
    return match is not None and 2 <= len(text) <= 4


def words_of(record, rng, substrings_per_title):
    """Returns [(word, source)] for one paper, without duplicates."""
    title, abstract = record.get("title") or "", record.get("abstract") or ""
    words = []
    for keyword in record.get("keywords") or []:
        keyword = keyword.strip()
        if is_han_word(keyword) and (keyword in title or keyword in abstract):
            if keyword not in (w for w, _ in words):
                words.append((keyword, "keyword"))
    taken = {w for w, _ in words}
    # Every 2-4 character substring of the title's Han runs, in a fixed order, then a seeded sample.
    candidates = []
    for run in HAN_RUN.findall(title):
        for length in (2, 3, 4):
            for start in range(len(run) - length + 1):
                piece = run[start:start + length]
                if piece not in taken and piece not in candidates:
                    candidates.append(piece)
    for piece in rng.sample(candidates, min(substrings_per_title, len(candidates))):
        words.append((piece, "title"))
    return words


def build_index(indexer, corpus, db):
    result = subprocess.run([indexer, "-q", "--db", db, corpus], capture_output=True, text=True)
    if result.returncode not in (0, 1):  # 1 = some records rejected; still searchable
        fail(f"indexing failed ({result.returncode}): {result.stderr.strip()}")


def run_batch(query_bin, db, words, page, offset, work, extra):
    """Searches each word once for one page of results; returns {word: [doc ids]}."""
    qids = {word: f"w{i}" for i, word in enumerate(words)}
    queries = os.path.join(work, f"queries-{offset}.tsv")
    run = os.path.join(work, f"run-{offset}.trec")
    with open(queries, "w", encoding="utf-8") as handle:
        for word, qid in qids.items():
            handle.write(f"{qid}\t{word}\n")
    command = [query_bin, "--db", db, "--batch", queries, "--run", run, "--hits", str(page),
               "--offset", str(offset), "--tag", "cjk", *extra]
    result = subprocess.run(command, capture_output=True, text=True)
    # Progress and latency go to stderr; stdout is the report.
    print(f"batch: {' '.join(command)}\n       exit {result.returncode}; {result.stderr.strip()}",
          file=sys.stderr)
    if result.returncode not in (0, 1):  # 1 = some query was rejected; those words count as misses
        fail(f"scholarsearch-query could not run ({result.returncode}): {result.stderr.strip()}")
    found = defaultdict(list)
    with open(run, encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) >= 3:
                found[fields[0]].append(fields[2])
    return {word: found.get(qid, []) for word, qid in qids.items()}


def search_words(query_bin, db, wanted, page, limit, work, extra):
    """Finds which of the wanted papers each word retrieves, within its first `limit` results.

    Batch mode returns at most 100 hits per query whatever --hits says, so common words (研究 matches
    almost half of csl) are paged with --offset: a word goes on to the next page only while it filled
    the last page and some of its papers are still missing. Returns ({word: found ids}, {word: count}).
    """
    found = {word: set() for word in wanted}
    counts = {word: 0 for word in wanted}
    pending = sorted(wanted)
    offset = 0
    while pending and offset < limit:
        results = run_batch(query_bin, db, pending, page, offset, work, extra)
        next_pending = []
        for word in pending:
            ids = results[word]
            counts[word] += len(ids)
            found[word] |= wanted[word].intersection(ids)
            if len(ids) == page and found[word] != wanted[word]:
                next_pending.append(word)
        pending = next_pending
        offset += page
    print(f"searched {len(wanted)} words, paged up to offset {offset - page}", file=sys.stderr)
    return found, counts


def json_total(query_bin, db, word, extra):
    """The interactive path's view of one word: total estimate and whether it reports an error."""
    result = subprocess.run([query_bin, "--db", db, "--json", "-n", "100", *extra, word],
                            capture_output=True, text=True)
    if result.returncode != 0:
        return f"--json exit {result.returncode}: {result.stderr.strip()[:200]}", set()
    try:
        document = json.loads(result.stdout)
    except json.JSONDecodeError:
        return "--json printed no JSON", set()
    total = document.get("total", {})
    ids = {hit.get("id") for hit in document.get("hits", [])}
    return f"--json: estimated {total.get('estimated')} matches", ids


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:  # everything after -- goes to scholarsearch-query
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    shared = os.path.normpath(os.environ.get("SHARED_DATA", os.path.join(REPO, "..", "shared", "data")))
    parser.add_argument("--corpus", default=os.path.join(shared, "csl", "corpus.jsonl"))
    parser.add_argument("--db", help="index of the full corpus (titles included); default: build one")
    parser.add_argument("--query-bin", default=os.path.join(REPO, "build", "server", "scholarsearch-query"))
    parser.add_argument("--indexer-bin", default=os.path.join(REPO, "build", "indexer", "scholarsearch-index"))
    parser.add_argument("--sample", type=int, default=300, help="papers to sample (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--substrings", type=int, default=3, help="title substrings per paper (default 3)")
    parser.add_argument("--hits", type=int, help="results looked at per word (default: corpus size)")
    parser.add_argument("--page", type=int, default=100,
                        help="hits per batch request (default 100, the most batch mode returns)")
    parser.add_argument("--work", help="directory for queries.tsv and run.trec (default: temporary)")
    parser.add_argument("--max-listed", type=int, default=50, help="failures to list (default 50)")
    args = parser.parse_args(argv)

    with open(args.corpus, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    rng = random.Random(args.seed)
    sample = rng.sample(records, min(args.sample, len(records)))
    pairs = []  # (paper id, word, source)
    for record in sample:
        for word, source in words_of(record, rng, args.substrings):
            pairs.append((record["id"], word, source))
    wanted = defaultdict(set)  # word -> the sampled papers it must find
    for pid, word, _ in pairs:
        wanted[word].add(pid)
    limit = args.hits or len(records)

    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or scratch
        os.makedirs(work, exist_ok=True)
        db = args.db
        if not db:
            db = os.path.join(scratch, "db")
            build_index(args.indexer_bin, args.corpus, db)
        print(f"corpus {args.corpus}: {len(records)} papers; sample {len(sample)} (seed {args.seed}); "
              f"{len(pairs)} (paper, word) pairs, {len(wanted)} distinct words; "
              f"results looked at per word: up to {limit}, {args.page} per page")
        found_by_word, counts = search_words(args.query_bin, db, wanted, args.page, limit, work, extra)

        failures = [(pid, word, source) for pid, word, source in pairs if pid not in found_by_word[word]]
        for source in ("keyword", "title"):
            total = sum(1 for p in pairs if p[2] == source)
            missed = sum(1 for p in failures if p[2] == source)
            if total:
                print(f"  {source:<8} words: {total - missed}/{total} found ({100 * (total - missed) / total:.1f}%)")
        found = len(pairs) - len(failures)
        share = 100 * found / len(pairs) if pairs else 100.0
        print(f"CJK word check: {found}/{len(pairs)} (paper, word) pairs found = {share:.1f}% (target 100%)")
        if failures:
            print(f"failures (paper id, word, source, results seen in batch; interactive --json re-check), "
                  f"first {min(len(failures), args.max_listed)} of {len(failures)}:")
            for pid, word, source in failures[:args.max_listed]:
                note, ids = json_total(args.query_bin, db, word, extra)
                where = "paper in --json top 100" if pid in ids else "paper not in --json top 100"
                print(f"  {pid}  {word}  {source:<7}  batch results {counts[word]}; {note}; {where}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
