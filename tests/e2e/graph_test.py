#!/usr/bin/env python3
"""The citation graph over HTTP on a real server: /doc/{id}/references and /doc/{id}/cited-by.

Usage: graph_test.py INDEX_BIN QUERY_BIN SERVER_BIN GRAPH_DATA_DIR
GRAPH_DATA_DIR holds records.jsonl (records citing each other by DOI, by title with and without
typos, in WoS CR style, plus a look-alike that must not resolve) and added-later.jsonl (a record
that an earlier reference cites). Checks each edge, that adding, deleting and adding again change
the graph at once, and that a rebuild of the same records gives the same graph as the
incremental index; `scholarsearch-query --references / --cited-by --json` answer as the server
does. Every search hit's cited_by_in_collection must be the length of its /cited-by, in every
state (the first build counts all records at once, later changes recount at their commit, a
single-writer build recounts per commit), and sort=cited-by-in-collection orders by it.
Exit 0 when all holds, 1 with a FAIL line otherwise.
"""
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.parse

from e2e_lib import Failure, Server, check, get, run, wait_until

IDS = ["g1", "g2", "g3", "g4", "g5", "g6"]


def cited(server, record_id):
    status, body = server.get(f"/doc/{record_id}/references")
    check(status == 200, f"/doc/{record_id}/references answered {status}: {body}")
    return [(r["n"], r["cited"]["id"] if r["cited"] else None, r["cited"]["matched_by"] if r["cited"] else None)
            for r in body["references"]]


def citing(server, record_id, query=""):
    status, body = server.get(f"/doc/{record_id}/cited-by{query}")
    check(status == 200, f"/doc/{record_id}/cited-by answered {status}: {body}")
    return [hit["id"] for hit in body["hits"]], body["total"]["estimated"]


def count_in_hits(server, record_id):
    """cited_by_in_collection of the record's hit in a search for its title."""
    status, record = server.get(f"/doc/{record_id}")
    check(status == 200, f"/doc/{record_id} answered {status}")
    status, body = server.get("/search?" + urllib.parse.urlencode({"q": record["title"], "size": 100}))
    check(status == 200, f"/search for {record_id}'s title answered {status}: {body}")
    hits = [hit for hit in body["hits"] if hit["id"] == record_id]
    check(len(hits) == 1, f"a search for {record_id}'s title does not find it once: {body['hits']}")
    check("cited_by" in hits[0], f"{record_id}'s hit has no cited_by beside cited_by_in_collection: {hits[0]}")
    return hits[0]["cited_by_in_collection"]


def graph(server):
    """Every record's references, citing records and count in search hits, as the server sees them."""
    out = {}
    for record_id in IDS:
        if server.get(f"/doc/{record_id}")[0] == 200:
            citing_ids = citing(server, record_id, "?size=100")
            count = count_in_hits(server, record_id)
            check(count == citing_ids[1], f"{record_id}'s hit says cited_by_in_collection {count}, /cited-by lists {citing_ids}")
            out[record_id] = (cited(server, record_id), citing_ids, count)
    return out


def by_count(server):
    """(id, cited_by_in_collection) of the first hits of every record sorted by that count."""
    status, body = server.get("/search?sort=cited-by-in-collection&size=8")
    check(status == 200, f"sort=cited-by-in-collection answered {status}: {body}")
    return [(hit["id"], hit["cited_by_in_collection"]) for hit in body["hits"]]


def cited_ranking(server):
    """by_count's counts in order, and which records are cited: what two builds must agree on."""
    ranked = by_count(server)
    return [count for _, count in ranked], sorted(pair for pair in ranked if pair[1] > 0)


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    index_bin, query_bin, server_bin, data = sys.argv[1:]
    records, later = os.path.join(data, "records.jsonl"), os.path.join(data, "added-later.jsonl")
    work = tempfile.mkdtemp(prefix="scholarsearch-graph-")
    db = os.path.join(work, "index")
    server = None
    try:
        # 1,200 unrelated records beside them, so that the stored records are compressed as in a
        # real build (builds under 1,000 records keep plain JSON), and over a megabyte of them, so
        # that a build into an empty index takes the parallel path (shards, counted before the merge).
        filler = os.path.join(work, "filler.jsonl")
        with open(filler, "w", encoding="utf-8") as out:
            for i in range(1200):
                out.write(json.dumps({"id": f"filler-{i}", "title": f"Unrelated record {i} on soil chemistry",
                                      "authors": [f"Writer{i}, A."], "year": 1990 + i % 30,
                                      "abstract": f"Soil sample {i} measured. " * 40}) + "\n")
        run(index_bin, "-q", "--db", db, records, filler)
        server = Server(server_bin, db, work).start()

        check(cited(server, "g3") == [(1, "g1", "doi"), (2, "g2", "title_with_typos"), (3, None, None), (4, None, None)],
              f"g3's references resolve as {cited(server, 'g3')}: expected g1 by DOI, g2 by a title with typos, "
              "an outside CR item and a look-alike title unresolved")
        check(cited(server, "g4") == [(1, "g2", "author_year_page"), (2, "g3", "title"), (3, None, None)],
              f"g4's references resolve as {cited(server, 'g4')}")
        check(cited(server, "g6") == [(1, "g1", "doi")], f"g6's references resolve as {cited(server, 'g6')}")
        check(citing(server, "g1") == (["g6", "g3"], 2), f"g1 is cited by {citing(server, 'g1')}, expected g6 (2019), g3 (2016)")
        check(citing(server, "g1", "?sort=year-asc") == (["g3", "g6"], 2), "sort=year-asc does not put g3 (2016) first")
        check(citing(server, "g1", "?size=1&offset=1") == (["g3"], 2), "size=1&offset=1 is not the second citing record")
        check(citing(server, "g2") == (["g4", "g3"], 2), f"g2 is cited by {citing(server, 'g2')}")
        check(citing(server, "g6") == ([], 0), f"g6 is cited by {citing(server, 'g6')}")
        print("ok: DOI, title, typo and CR references resolve, look-alikes and outside items do not; cited-by sorts and pages")

        # g1 and g2 are cited twice, g3 once (by g4); everything else not at all.
        first = by_count(server)
        check(sorted(first[:2]) == [("g1", 2), ("g2", 2)] and first[2] == ("g3", 1) and all(c == 0 for _, c in first[3:]),
              f"sort=cited-by-in-collection gives {first}: expected g1 and g2 (2), g3 (1), then uncited records")
        for record_id, count in first:
            check(count == citing(server, record_id)[1], f"{record_id}'s hit says {count}, its /cited-by {citing(server, record_id)}")
        status, body = server.get("/search?q=citizen+engagement&sort=cited_by_in_collection")
        check(status == 200 and body["hits"] and body["hits"][0]["id"] == "g3" and body["hits"][0]["cited_by_in_collection"] == 1,
              f"a relevance search with the underscore spelling gave {status} {body}")
        status, body = server.get("/search?q=x&sort=in-collection")
        check(status == 400 and "cited-by-in-collection" in body.get("detail", ""), f"sort=in-collection gave {status} {body}")
        status, body = server.get("/doc/g1/cited-by?sort=cited-by-in-collection")
        check(status == 200 and [(h["id"], h["cited_by_in_collection"]) for h in body["hits"]] == [("g3", 1), ("g6", 0)],
              f"/doc/g1/cited-by?sort=cited-by-in-collection gave {status} {body}")
        print("ok: every hit carries cited_by_in_collection, equal to its /cited-by total; sort=cited-by-in-collection orders by it")

        # Bibliographic coupling: g3 cites g1 and g2; g4 also cites g2, g6 also g1.
        status, body = server.get("/similar/g3?by=references")
        check(status == 200 and [(h["id"], h["score"]) for h in body["hits"]] == [("g4", 1), ("g6", 1)],
              f"/similar/g3?by=references gave {status} {body}")
        status, body = server.get("/similar/g3?by=colour")
        check(status == 400 and "by must be" in body.get("detail", ""), f"by=colour gave {status} {body}")
        print("ok: /similar/{id}?by=references ranks records by the references they share")

        status, body = server.get("/doc/nope/references")
        check(status == 404 and "no record" in body.get("detail", ""), f"an unknown id gave {status} {body}")
        status, body = server.get("/doc/g1/cited-by?size=0")
        check(status == 400 and "size" in body.get("detail", ""), f"size=0 gave {status} {body}")
        status, body = server.get("/doc/g1/cited-by?sort=bogus")
        check(status == 400 and "sort" in body.get("detail", ""), f"sort=bogus gave {status} {body}")
        print("ok: unknown ids are 404, bad size and sort 400, with a JSON message")

        cli = json.loads(run(query_bin, "--db", db, "--json", "--references", "g3").stdout)
        check(cli == server.get("/doc/g3/references")[1], f"--references g3 --json gives {cli}")
        cli = json.loads(run(query_bin, "--db", db, "--json", "--cited-by", "g1", "--sort", "year-asc").stdout)
        check([hit["id"] for hit in cli["hits"]] == ["g3", "g6"], f"--cited-by g1 --sort year-asc gives {cli['hits']}")
        cli = json.loads(run(query_bin, "--db", db, "--json", "--sort", "cited-by-in-collection", "--size", "8").stdout)
        check([(hit["id"], hit["cited_by_in_collection"]) for hit in cli["hits"]] == by_count(server),
              f"--sort cited-by-in-collection --json gives {cli['hits']}, the server {by_count(server)}")
        missing = run(query_bin, "--db", db, "--cited-by", "nope", expect=(1,))
        check("no record" in missing.stderr, f"--cited-by nope says {missing.stderr!r}")
        print("ok: scholarsearch-query --references and --cited-by answer as the server does")

        # A record added later is cited by a reference indexed before it, at once.
        # Each search thread reopens the index on its own within 250 ms: wait for the answers, then
        # a little more, so that a whole graph() is read from the new revision.
        run(index_bin, "-q", "--db", db, later)
        wait_until("g4's third reference to resolve to the new g5, and g5 to be cited by g4",
                   lambda: cited(server, "g4")[2] == (3, "g5", "title") and citing(server, "g5") == (["g4"], 1))
        time.sleep(1)
        incremental = graph(server)
        run(index_bin, "-q", "--db", db, "--delete", "g5")
        wait_until("g5 to be gone and g4's reference to it unresolved",
                   lambda: server.get("/doc/g5/cited-by")[0] == 404 and cited(server, "g4")[2] == (3, None, None))
        run(index_bin, "-q", "--db", db, later)
        wait_until("the graph with g5 back to be the one before its deletion", lambda: graph(server) == incremental)
        check(incremental["g5"][2] == 1, f"g5, cited by g4, counts {incremental['g5']}")
        print("ok: adding g5 resolves the earlier reference to it, deleting it removes the edge, adding it back restores it")

        # Deleting a citing record lowers its targets' counts at its commit; indexing it again
        # (a replacement of every g record) raises them back.
        run(index_bin, "-q", "--db", db, "--delete", "g6")
        wait_until("g1's count to drop to 1 with g6 deleted",
                   lambda: citing(server, "g1") == (["g3"], 1) and count_in_hits(server, "g1") == 1)
        run(index_bin, "-q", "--db", db, records)
        wait_until("the graph with g6 back to be the one before", lambda: graph(server) == incremental)
        print("ok: deleting a citing record lowers the counts of what it cites, replacing the records restores them")

        fresh = os.path.join(work, "fresh")
        run(index_bin, "-q", "--db", fresh, records, filler, later)
        # One writer from empty, committing every 50 records: g5 arrives after the batches that cite it.
        single = os.path.join(work, "single")
        run(index_bin, "-q", "--threads", "1", "--batch-size", "50", "--db", single, records, filler, later)
        for name, path in (("rebuild", fresh), ("single-writer build", single)):
            rebuilt = Server(server_bin, path, work, name.replace(" ", "-")).start()
            try:
                check(graph(rebuilt) == incremental, f"a {name} gives another graph:\n{graph(rebuilt)}\n{incremental}")
                # Equal counts may come in another order (docids differ between builds).
                check(cited_ranking(rebuilt) == cited_ranking(server), f"a {name} sorts by count as {by_count(rebuilt)}")
            finally:
                rebuilt.stop()
        print("ok: a rebuild and a single-writer build of the same records give the same graph and counts as the incremental index")
        return 0
    except Failure as failure:
        print(f"FAIL: {failure}")
        if server:
            print(server.stderr_tail())
        return 1
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
