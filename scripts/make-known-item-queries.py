#!/usr/bin/env python3
"""Known-item search-box queries over a real corpus: a user looking for one paper they know.

    scripts/make-known-item-queries.py CORPUS.jsonl OUT_DIR [--count 1000] [--seed 7]

Writes OUT_DIR/queries.tsv (qid<TAB>text) and OUT_DIR/qrels.tsv (qid<TAB>id<TAB>1), one relevant
record per query. The qid is KIND-N, so scripts/known_item_eval.py reports each kind apart:

  title       the title, pasted as it is (punctuation, LaTeX and capitals included)
  remembered  2 content words of the title + 2 of the abstract that are not in the title, each
              pair in the order it appears (what a user half remembers)
  author      the first author's family name + 2 content words of the title
  doi         the DOI (records whose "doi" is a real DOI, 10.NNNN/...) as people copy it, in turn: bare, "doi:10...", "https://doi.org/10..."
  arxiv       the arXiv id of an arXiv record, in turn: bare "2103.00020", "arXiv:2103.00020",
              "https://arxiv.org/abs/2103.00020v1"; a fifth of them old style ("cond-mat/9909265",
              bare or with "arXiv:")

Content words are the words a reader sees: whitespace-separated tokens that are 3+ ASCII letters
once surrounding punctuation is stripped (so no LaTeX command names like "infty" or "cite", and no
pieces of accented words like "odinger" from Schr\"odinger), not in Xapian's `quest` stop list. Records
are drawn with a fixed seed from those that can make the kind, so the same corpus and options give
the same files, whatever machine runs it.
"""
import argparse
import json
import os
import random
import re

# xapian-core examples/quest.cc: the baseline's stop list (tests/bench/xapian_baseline.cpp).
STOP = set("""a about an and are as at be by en for from how i in is it of on or that the this to
was what when where which who why will with""".split())
WORD = re.compile(r"[A-Za-z]{3,}")
EDGE_PUNCTUATION = ".,;:!?()[]\"'"
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
NEW_ARXIV = re.compile(r"^\d{4}\.\d{4,5}$")


def content_words(text):
    seen, words = set(), []
    for token in (text or "").split():
        word = token.strip(EDGE_PUNCTUATION)
        if not WORD.fullmatch(word):
            continue
        lower = word.lower()
        if lower not in STOP and lower not in seen:
            seen.add(lower)
            words.append(lower)
    return words


def pick_in_order(rng, words, count):
    """count distinct words of the list, kept in their order."""
    chosen = sorted(rng.sample(range(len(words)), count))
    return [words[i] for i in chosen]


def family_name(author):
    """'Picazo-Vela, Sergio' -> 'Picazo-Vela'; 'Sergio Picazo-Vela' -> 'Picazo-Vela'."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    parts = author.split()
    return parts[-1] if parts else ""


def author_names(record):
    names = []
    for author in record.get("authors") or []:
        name = author.get("name") if isinstance(author, dict) else author
        if isinstance(name, str) and name.strip():
            names.append(name)
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=1000, help="queries per kind (fewer if the corpus lacks them)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    candidates = {kind: [] for kind in ("title", "remembered", "author", "doi", "arxiv_new", "arxiv_old")}
    with open(args.corpus, encoding="utf-8") as corpus:
        for line in corpus:
            if not line.strip():
                continue
            record = json.loads(line)
            rid, title = record.get("id"), record.get("title") or ""
            if not rid or not title.strip():
                continue
            title_words = content_words(title)
            abstract_words = [w for w in content_words(record.get("abstract")) if w not in set(title_words)]
            candidates["title"].append((rid, title))
            if len(title_words) >= 2 and len(abstract_words) >= 2:
                candidates["remembered"].append((rid, title_words, abstract_words))
            names = author_names(record)
            if names and len(title_words) >= 2 and family_name(names[0]):
                candidates["author"].append((rid, family_name(names[0]), title_words))
            # Some paperlists records hold a publisher URL in "doi" (link.springer.com/...): only a
            # real DOI is something a user copies as one.
            if DOI.match(record.get("doi") or ""):
                candidates["doi"].append((rid, record["doi"]))
            if rid.startswith("arxiv:"):
                arxiv_id = rid[len("arxiv:"):]
                candidates["arxiv_new" if NEW_ARXIV.match(arxiv_id) else "arxiv_old"].append((rid, arxiv_id))

    rng = random.Random(args.seed)

    def sample(kind, count):
        pool = candidates[kind]
        return rng.sample(pool, min(count, len(pool)))

    queries = []  # (qid, text, relevant id)
    for n, (rid, title) in enumerate(sample("title", args.count), 1):
        queries.append(("title-%d" % n, " ".join(title.split()), rid))
    for n, (rid, title_words, abstract_words) in enumerate(sample("remembered", args.count), 1):
        words = pick_in_order(rng, title_words, 2) + pick_in_order(rng, abstract_words, 2)
        queries.append(("remembered-%d" % n, " ".join(words), rid))
    for n, (rid, family, title_words) in enumerate(sample("author", args.count), 1):
        queries.append(("author-%d" % n, " ".join([family] + pick_in_order(rng, title_words, 2)), rid))
    doi_forms = ("{}", "doi:{}", "https://doi.org/{}")
    for n, (rid, doi) in enumerate(sample("doi", args.count), 1):
        queries.append(("doi-%d" % n, doi_forms[n % 3].format(doi), rid))
    old_count = min(args.count // 5, len(candidates["arxiv_old"]))
    new_forms = ("{}", "arXiv:{}", "https://arxiv.org/abs/{}v1")
    arxiv = [(rid, new_forms[n % 3].format(i)) for n, (rid, i) in enumerate(sample("arxiv_new", args.count - old_count))]
    arxiv += [(rid, ("{}", "arXiv:{}")[n % 2].format(i)) for n, (rid, i) in enumerate(sample("arxiv_old", old_count))]
    for n, (rid, text) in enumerate(arxiv, 1):
        queries.append(("arxiv-%d" % n, text, rid))

    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "queries.tsv"), "w", encoding="utf-8") as out:
        for qid, text, _ in queries:
            out.write("%s\t%s\n" % (qid, text.replace("\t", " ")))
    with open(os.path.join(args.out_dir, "qrels.tsv"), "w", encoding="utf-8") as out:
        for qid, _, rid in queries:
            out.write("%s\t%s\t1\n" % (qid, rid))


if __name__ == "__main__":
    main()
