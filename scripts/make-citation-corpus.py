#!/usr/bin/env python3
"""A generated collection with a known citation graph, for measuring reference resolution.

    scripts/make-citation-corpus.py OUT_DIR [--records 20000] [--seed 1] [--data-dir ../shared/data]

Writes OUT_DIR/corpus.jsonl (records with 20-50 references each) and OUT_DIR/truth.tsv
(`citing_id<TAB>n<TAB>cited_id`, `-` for a reference to a paper outside the collection).
Title words come from the titles of the shared English collections (cranfield, cisi, med, cacm);
nothing of them is copied as a record.

What makes it hard, on purpose:
- about 35% of the references point inside the collection; half are written in the seed
  format's expanded style (title, authors, source; a `DOI 10.…` in the text when the cited record
  has one, half of the time), half in Web of Science `CR` style (`Family GI, YEAR, SOURCE, Vvol,
  Ppage[, DOI …]`, no title);
- 15% of the expanded items have typos in the title (one or two letters changed, dropped or
  doubled in one or two words of six letters or more);
- 3% of the records are siblings of another record: same first author and year and a title
  that differs by one word or by its part number ("…, Part II" / "Part III");
- 10% of the references outside the collection are look-alikes of a record: its title with one
  word replaced by another (same first author and year), its part number changed, or the very
  same title by other authors in another year;
- short generic titles ("Editorial", "Introduction") by different authors;
- 20% of the outside references carry a DOI that no record has.
"""
import argparse
import json
import os
import random
import re

GENERIC_TITLES = ["Editorial", "Introduction", "Preface", "Book review", "Erratum", "Commentary", "Foreword"]
ROMAN = ["I", "II", "III", "IV", "V"]


def word_pool(data_dir):
    words = set()
    for name in ("cranfield", "cisi", "med", "cacm"):
        path = os.path.join(data_dir, name, "corpus.jsonl")
        if not os.path.exists(path):
            continue
        for line in open(path, encoding="utf-8"):
            title = json.loads(line).get("title") or ""
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", title))
    if len(words) < 500:
        raise SystemExit(f"make-citation-corpus: too few title words under {data_dir} (need the shared collections)")
    return sorted(words)


def family_pool(rng, count):
    onsets = ["b", "br", "c", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "sh", "t", "v", "w", "z"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ou", "ei"]
    codas = ["", "n", "r", "s", "l", "ng", "rt", "m", "k"]
    names = set()
    while len(names) < count:
        name = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(rng.choice([1, 2, 2, 3])))
        names.add(name.capitalize())
    return sorted(names)


def typo(rng, title):
    words = title.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return title
    for i in rng.sample(long_words, min(len(long_words), rng.choice([1, 1, 2]))):
        w = words[i]
        at = rng.randrange(1, len(w) - 1)
        kind = rng.choice(["swap", "drop", "double", "replace"])
        if kind == "swap":
            w = w[:at] + w[at + 1] + w[at] + w[at + 2:]
        elif kind == "drop":
            w = w[:at] + w[at + 1:]
        elif kind == "double":
            w = w[:at] + w[at] + w[at:]
        else:
            w = w[:at] + rng.choice("aeiourstln") + w[at + 1:]
        words[i] = w
    return " ".join(words)


def distance(a, b):
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        diagonal, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            above = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1]))
            diagonal = above
    return row[-1]


def other_word(rng, pool, word):
    while True:
        candidate = rng.choice(pool)
        if distance(candidate, word.lower()) > 3:
            return candidate


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = word_pool(args.data_dir)
    families = family_pool(rng, max(2000, args.records // 10))
    venues = [" ".join(w.capitalize() for w in rng.sample(pool, rng.choice([2, 3, 4]))) for _ in range(300)]

    def authors():
        return [f"{rng.choice(families)}, {rng.choice('ABCDEFGHJKLMNPRSTW')}{rng.choice(['', '. ' + rng.choice('ABCDEHJKLMNS')])}."
                .replace(". .", ".") for _ in range(rng.choice([1, 2, 2, 3, 4]))]

    def new_title(generic=True):
        if generic and rng.random() < 0.02:
            return rng.choice(GENERIC_TITLES)
        words = rng.sample(pool, rng.randint(5, 11))
        return " ".join([words[0].capitalize()] + words[1:])

    records = []
    for i in range(args.records):
        record = {"id": f"g{i}", "title": new_title(), "authors": authors(), "year": rng.randint(1985, 2024),
                  "venue": rng.choice(venues)}
        if records and rng.random() < 0.03:  # a sibling of an earlier record
            sibling = rng.choice(records)
            record["authors"][0] = sibling["authors"][0]
            record["year"] = sibling["year"]
            words = sibling["title"].split(" ")
            if rng.random() < 0.5 and len(words) > 3:
                at = rng.randrange(1, len(words))
                words[at] = other_word(rng, pool, words[at])
                record["title"] = " ".join(words)
            else:
                if not re.search(r", Part [IV]+$", sibling["title"]):
                    sibling["title"] += ", Part I"
                part = ROMAN.index(sibling["title"].rsplit(" ", 1)[1])
                record["title"] = sibling["title"].rsplit(" ", 1)[0] + " " + ROMAN[min(part + 1, len(ROMAN) - 1)]
                if record["title"] == sibling["title"]:
                    record["title"] = new_title()
        if rng.random() < 0.6:
            record["doi"] = f"10.5555/gen.{i}"
        if rng.random() < 0.8:
            first = rng.randint(1, 2000)
            record["pages"] = f"{first}-{first + rng.randint(3, 30)}"
        records.append(record)
    # Titles repeated by chance would make the truth ambiguous; siblings differ by construction.
    seen = {}
    for record in records:
        key = (record["title"].lower(), record["year"], record["authors"][0])
        if key in seen:
            record["title"] = new_title()
        seen[key] = record

    def family(record):
        return record["authors"][0].split(",")[0]

    def wos_name(name):
        family_name, given = name.split(", ")
        return family_name + " " + "".join(c for c in given if c.isupper())

    def expanded_item(title, names, venue, year, doi):
        text = " ".join([title] + names + [f"{venue}, {year}"] + ([f"DOI {doi}"] if doi else []))
        return {"text": text, "title": title, "authors": names, "venue": venue, "year": year}

    def cr_item(names, year, venue, page, doi):
        parts = [wos_name(names[0]), str(year), venue.upper(), f"V{rng.randint(1, 60)}"]
        if page:
            parts.append(f"P{page}")
        if doi:
            parts.append(f"DOI {doi}")
        return {"text": ", ".join(parts), "authors": [wos_name(names[0])], "venue": venue.upper(), "year": year}

    outside_doi = 0
    # A look-alike that happens to be the title of a record of that year would be a true edge.
    titles = {(r["title"].lower(), r["year"]) for r in records}
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "truth.tsv"), "w", encoding="utf-8") as truth, \
            open(os.path.join(args.out_dir, "corpus.jsonl"), "w", encoding="utf-8") as out:
        for record in records:
            references = []
            for n in range(1, rng.randint(20, 50) + 1):
                if rng.random() < 0.35:
                    target = rng.choice(records)
                    while target is record:
                        target = rng.choice(records)
                    doi = target.get("doi") if rng.random() < 0.5 else None
                    page = target["pages"].split("-")[0] if "pages" in target else None
                    if rng.random() < 0.5 and (doi or page):
                        item = cr_item(target["authors"], target["year"], target["venue"], page, doi)
                    else:
                        title = typo(rng, target["title"]) if rng.random() < 0.15 else target["title"]
                        item = expanded_item(title, target["authors"], target["venue"], target["year"], doi)
                    cited = target["id"]
                else:
                    cited = "-"
                    doi = None
                    if rng.random() < 0.2:
                        outside_doi += 1
                        doi = f"10.7777/ext.{outside_doi}"
                    if rng.random() < 0.1:  # a look-alike of a record of the collection
                        target = rng.choice(records)
                        words = target["title"].split(" ")
                        kind = rng.random()
                        if kind < 0.4 and len(words) > 3:
                            at = rng.randrange(1, len(words))
                            words[at] = other_word(rng, pool, words[at])
                            item = expanded_item(" ".join(words), target["authors"], target["venue"], target["year"], doi)
                        elif kind < 0.7:
                            base = re.sub(r", Part [IV]+$", "", target["title"])
                            item = expanded_item(base + ", Part " + rng.choice(ROMAN[1:]), target["authors"],
                                                 target["venue"], target["year"], doi)
                            if item["title"] == target["title"]:
                                item = expanded_item(base + ", Part VI", target["authors"], target["venue"], target["year"], doi)
                        else:
                            item = expanded_item(target["title"], authors(), rng.choice(venues),
                                                 target["year"] + rng.choice([-3, -2, -1, 1, 2, 3]), doi)
                        if (item["title"].lower(), item["year"]) in titles:
                            item = expanded_item(new_title(False), authors(), rng.choice(venues), rng.randint(1960, 2024), doi)
                    elif rng.random() < 0.5:
                        item = expanded_item(new_title(False), authors(), rng.choice(venues), rng.randint(1960, 2024), doi)
                    else:
                        item = cr_item(authors(), rng.randint(1960, 2024), rng.choice(venues), rng.randint(1, 2000), doi)
                item["n"] = n
                references.append(item)
                truth.write(f"{record['id']}\t{n}\t{cited}\n")
            out.write(json.dumps(dict(record, references=references), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
