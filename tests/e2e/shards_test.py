#!/usr/bin/env python3
"""Shards served by real xapian-tcpsrv processes, searched through a stub of `remote` lines.

Usage: shards_test.py INDEX_BIN QUERY_BIN SERVER_BIN SAMPLE_DIR
The sample records plus 3,000 generated ones are indexed once whole and once as two shards
(every other record). One server searches the whole index, one the stub listing the two shards,
each served by its own xapian-tcpsrv on a loopback port, with a spelling database written from
the local shards (Xapian's remote backend answers no spelling lookups). Then:
  1. both servers give the same hits (ids, order, scores), totals and facets for every query,
     filter, sort, similar, suggest, spelling suggestion, /doc and a cursor walk;
  2. while a client searches without pause, one tcpsrv (with the children it forked for our
     connections) is killed: no request fails, answers say `partial: true` and name the shard,
     /health says which shard is down, /metrics counts its errors, /doc of a record that may be
     on it is 503, not 404;
  3. the tcpsrv is started again: full answers, equal to the whole index's, within 5 s;
  4. a shard that stops answering (SIGSTOP) is left out after --shard-timeout-ms, and is
     back after SIGCONT;
  5. a shard of another analyzer version is refused with a message naming it.
Exit 0 when all holds, 1 with a FAIL line otherwise, 77 when xapian-tcpsrv is not installed.
"""
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from e2e_lib import Failure, Server, check, free_port, get, run, wait_until

SHARD_TIMEOUT_MS = 800


def generated_records(count):
    """Records over a skewed vocabulary, so that term statistics differ between the shards."""
    rng = random.Random(15)
    vocabulary = [f"w{i:03d}" for i in range(600)] + ["graphene", "catalysis", "transparency", "photonic",
                                                       "ontology", "metabolism", "turbulence", "lattice"]
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    venues = [f"Journal of Field {i}" for i in range(12)]
    people = [f"Family{i}, Given{i % 7}" for i in range(80)]
    records = []
    for i in range(count):
        words = lambda n: " ".join(rng.choices(vocabulary, weights, k=n))
        records.append({"id": f"gen-{i:05d}", "title": words(rng.randint(4, 10)), "abstract": words(rng.randint(30, 90)),
                        "keywords": sorted(set(rng.choices(vocabulary[:40], k=rng.randint(1, 4)))),
                        "authors": rng.sample(people, rng.randint(1, 3)), "year": rng.randint(1995, 2024),
                        "venue": rng.choice(venues), "cited_by": rng.randint(0, 200)})
    return records


class Shard:
    """One xapian-tcpsrv serving one database, in its own process group: it forks a child per
    connection, and a machine that goes down takes those with it."""

    def __init__(self, database, port):
        self.database, self.port, self.process = database, port, None

    def start(self):
        self.process = subprocess.Popen(["xapian-tcpsrv", "--port", str(self.port), "--interface", "127.0.0.1",
                                         "--quiet", self.database],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_until(f"xapian-tcpsrv on port {self.port}", self.listening)

    def listening(self):
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def signal(self, sig):
        os.killpg(self.process.pid, sig)

    def kill(self):
        self.signal(signal.SIGKILL)
        self.process.wait()

    def name(self):
        return f"remote 127.0.0.1:{self.port}"


class Client(threading.Thread):
    """Searches without pause; keeps every answer's status and partial flag."""

    def __init__(self, server, query):
        super().__init__(daemon=True)
        self.server, self.query, self.stopping = server, query, threading.Event()
        self.answers, self.failures = [], []

    def run(self):
        while not self.stopping.is_set():
            try:
                status, body = self.server.get(f"/search?q={urllib.parse.quote(self.query)}&size=10")
                if status == 200:
                    self.answers.append((time.monotonic(), body["partial"], body.get("missing_shards", [])))
                else:
                    self.failures.append(f"HTTP {status}: {body}")
            except (OSError, urllib.error.URLError, ValueError) as error:
                self.failures.append(repr(error))


def hits(body):
    """The hits in order; hits of equal score as a set, since ties are in docid order, which
    depends on how each index was built (docs/SCALING.md)."""
    groups = []
    for hit in body["hits"]:
        entry = (hit["id"], hit.get("cited_by_in_collection"))
        if groups and groups[-1][0] == hit["score"]:
            groups[-1][1].append(entry)
        else:
            groups.append((hit["score"], [entry]))
    # The page may end inside a group of ties: which of them made it depends on docids too.
    return [(score, sorted(entries) if i + 1 < len(groups) else len(entries)) for i, (score, entries) in enumerate(groups)]


def same_answer(whole, sharded, path):
    status_a, a = whole.get(path)
    status_b, b = sharded.get(path)
    check(status_a == status_b == 200, f"{path}: HTTP {status_a} whole, {status_b} sharded")
    if "hits" in a:
        check(hits(a) == hits(b), f"{path}: the hits differ\n whole   {hits(a)}\n sharded {hits(b)}")
        check(not b["partial"], f"{path}: the sharded answer says partial")
        for key in ("facets", "spelling_suggestion", "corrected_query", "next_cursor"):
            if key == "next_cursor":
                continue   # names the generation, which is each index's own
            check(a.get(key) == b.get(key), f"{path}: {key} differs\n whole   {a.get(key)}\n sharded {b.get(key)}")
        if a["total"]["lower_bound"] == a["total"]["upper_bound"]:   # exact; estimates depend on the layout
            check(a["total"] == b["total"], f"{path}: totals differ: {a['total']} {b['total']}")
    else:
        if isinstance(a, dict):   # where each copy of a record was read from differs by design
            a, b = ({k: v for k, v in x.items() if k != "source"} for x in (a, b))
        check(a == b, f"{path}: answers differ\n whole   {a}\n sharded {b}")
    return a, b


def walk(server, query):
    """Every id of a cursor walk, 7 at a time."""
    ids, cursor = [], "*"
    while cursor:
        status, body = server.get(f"/search?q={urllib.parse.quote(query)}&size=7&cursor={urllib.parse.quote(cursor)}")
        check(status == 200, f"cursor walk: HTTP {status} {body}")
        ids += [hit["id"] for hit in body["hits"]]
        cursor = body.get("next_cursor")
    return ids


def metric(server, name, label):
    with urllib.request.urlopen(server.url("/metrics"), timeout=10) as response:
        for line in response.read().decode().splitlines():
            if line.startswith(f'{name}{{shard="{label}"}} '):
                return float(line.split()[-1])
    return None


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    index_bin, query_bin, server_bin, sample = sys.argv[1:]
    if not shutil.which("xapian-tcpsrv"):
        print("SKIP: xapian-tcpsrv is not installed (package xapian-tools; scripts/install-deps.sh installs it)")
        return 77
    work = tempfile.mkdtemp(prefix="scholarsearch-shards-")
    shards, servers, client = [], [], None
    try:
        records = [json.loads(line) for line in open(os.path.join(sample, "records.jsonl"), encoding="utf-8")]
        records += generated_records(3000)
        corpus = os.path.join(work, "corpus.jsonl")
        halves = [os.path.join(work, f"half-{i}.jsonl") for i in range(2)]
        with open(corpus, "w") as whole, open(halves[0], "w") as even, open(halves[1], "w") as odd:
            for i, record in enumerate(records):
                line = json.dumps(record) + "\n"
                whole.write(line)
                (even if i % 2 == 0 else odd).write(line)
        run(index_bin, "-q", "--db", os.path.join(work, "whole.db"), corpus)
        databases = [os.path.join(work, f"shard-{i}.db") for i in range(2)]
        for half, database in zip(halves, databases):
            run(index_bin, "-q", "--db", database, half)
        local_stub = os.path.join(work, "local.stub")
        with open(local_stub, "w") as stub:
            stub.write("".join(f"auto {database}\n" for database in databases))
        spelling = os.path.join(work, "spelling.db")
        run(index_bin, "spelling-db", "--db", local_stub, spelling)

        shards = [Shard(database, free_port()) for database in databases]
        for shard in shards:
            shard.start()
        remote_stub = os.path.join(work, "remote.stub")
        with open(remote_stub, "w") as stub:
            stub.write("".join(f"{shard.name()}\n" for shard in shards))
        whole = Server(server_bin, os.path.join(work, "whole.db"), work, "whole").start()
        servers.append(whole)
        sharded = Server(server_bin, remote_stub, work, "sharded",
                         ["--spelling-db", spelling, "--shard-timeout-ms", str(SHARD_TIMEOUT_MS), "--cache-mb", "0"]).start()
        servers.append(sharded)

        # 1. The same answers.
        rng = random.Random(3)
        vocabulary = ["graphene", "catalysis", "transparency", "photonic", "ontology", "w001", "w017", "w230", "w402"]
        queries = [" ".join(rng.sample(vocabulary, rng.randint(1, 3))) for _ in range(40)]
        queries += ["government transparency social media", '"social media"', "graphene NOT catalysis",
                    "title:lattice", "w01*", "what are the effects of graphene catalysis on photonic lattice metabolism"]
        for query in queries:
            same_answer(whole, sharded, f"/search?q={urllib.parse.quote(query)}&size=10")
        q = urllib.parse.quote("graphene photonic")
        for extra in ("&facets=year,venue,keyword,author", "&sort=year", "&sort=cited-by", "&year=2000..2010",
                      "&author=" + urllib.parse.quote("Family3, Given3"), "&offset=20", "&size=50"):
            same_answer(whole, sharded, f"/search?q={q}{extra}")
        _, misspelt = same_answer(whole, sharded, "/search?q=grapheen+photonik&size=10")
        check(misspelt["spelling_suggestion"], "no spelling suggestion over the shards: the spelling database is not used")
        for record_id in ("gen-00017", "gen-00018", "sample-001"):
            same_answer(whole, sharded, f"/doc/{record_id}")
            same_answer(whole, sharded, f"/similar/{record_id}")
        same_answer(whole, sharded, "/suggest?q=graph")
        walked = walk(whole, "graphene"), walk(sharded, "graphene")
        check(len(walked[0]) == len(set(walked[0])) and sorted(walked[0]) == sorted(walked[1]),
              "a cursor walk over the shards does not visit every match once")
        print(f"ok: {len(queries) + 13} requests answer the same over two remote shards as over the whole index")

        # 2. A shard goes down under load.
        client = Client(sharded, "graphene photonic")
        client.start()
        wait_until("the client's first answers", lambda: len(client.answers) >= 5)
        killed_at = time.monotonic()
        shards[1].kill()
        wait_until("a partial answer", lambda: any(t > killed_at and partial for t, partial, _ in client.answers))
        partial = [missing for t, partial, missing in client.answers if t > killed_at and partial]
        check(all(missing == [shards[1].name()] for missing in partial), f"partial answers name {partial[:3]}")
        status, health = sharded.get("/health")
        check(status == 200 and health["status"] == "degraded", f"/health with a shard down: {status} {health}")
        down = [shard for shard in health["shards"] if not shard["available"]]
        check([shard["name"] for shard in down] == [shards[1].name()], f"/health names {down} as down")
        check((metric(sharded, "scholarsearch_shard_errors_total", shards[1].name()) or 0) >= 1,
              "/metrics counts no error of the shard that is down")
        wait_until("/metrics to show the shard down (at the next refresh)",
                   lambda: metric(sharded, "scholarsearch_shard_up", shards[1].name()) == 0, timeout=5)
        # A record on the shard that is down: "not found" would be wrong.
        on_second = records[1]["id"]
        status, body = sharded.get(f"/doc/{on_second}")
        check(status == 503, f"/doc of a record on the shard that is down: HTTP {status} {body}")
        print(f"ok: with one tcpsrv killed, {len(partial)} answers say partial and name it; /health and /metrics show it")

        # 3. Back within 5 s of its restart.
        time.sleep(1)
        restarted_at = time.monotonic()
        shards[1].start()
        wait_until("full answers after the restart",
                   lambda: any(t > restarted_at and not partial for t, partial, _ in client.answers), timeout=5)
        back = next(t for t, partial, _ in client.answers if t > restarted_at and not partial) - restarted_at
        # Each search thread has its own connections and retries on its own: all of them within 5 s.
        wait_until("every search thread to answer fully",
                   lambda: all(same_answer(whole, sharded, "/search?q=graphene+photonic&size=10") for _ in range(6)),
                   timeout=max(0.5, 5 - (time.monotonic() - restarted_at)))
        check(sharded.get("/health")[1]["status"] == "ok", "/health is not ok after the restart")
        print(f"ok: full answers {back:.1f} s after the tcpsrv restarted")

        # 4. A shard that stops answering.
        stopped_at = time.monotonic()
        shards[0].signal(signal.SIGSTOP)
        try:
            wait_until("a partial answer while a shard is stopped",
                       lambda: any(t > stopped_at and partial for t, partial, _ in client.answers),
                       timeout=10 * SHARD_TIMEOUT_MS / 1000)
            late = [missing for t, partial, missing in client.answers if t > stopped_at and partial]
            check(all(missing == [shards[0].name()] for missing in late), f"a stopped shard: answers name {late[:3]}")
        finally:
            shards[0].signal(signal.SIGCONT)
        resumed_at = time.monotonic()
        wait_until("full answers after SIGCONT",
                   lambda: any(t > resumed_at and not partial for t, partial, _ in client.answers), timeout=5)
        print(f"ok: a shard stopped for longer than --shard-timeout-ms ({SHARD_TIMEOUT_MS} ms) is left out, then back")

        client.stopping.set()
        client.join(timeout=15)
        check(not client.failures, f"{len(client.failures)} requests failed while shards went down: {client.failures[:3]}")
        print(f"ok: {len(client.answers)} searches during the faults, none failed")

        # 5. Another analyzer version.
        old = os.path.join(work, "old.db")
        shutil.copytree(databases[0], old)
        run("xapian-metadata", "set", old, "scholarsearch.analyzer", "icu/0-old")
        old_shard = Shard(old, free_port())
        shards.append(old_shard)
        old_shard.start()
        mixed_stub = os.path.join(work, "mixed.stub")
        with open(mixed_stub, "w") as stub:
            stub.write(f"{shards[0].name()}\n{old_shard.name()}\n")
        done = run(query_bin, "--db", mixed_stub, "graphene", expect=(2,))
        check(old_shard.name() in done.stderr and "icu/0-old" in done.stderr,
              f"the refusal does not name the shard and its analyzer: {done.stderr.strip()}")
        print("ok: a shard of another analyzer version is refused, named")
        return 0
    except Failure as failure:
        print(f"FAIL: {failure}")
        for server in servers:
            print(f"--- {server.name} stderr:\n{server.stderr_tail()}")
        return 1
    finally:
        if client:
            client.stopping.set()
        for server in servers:
            server.stop()
        for shard in shards:
            try:
                shard.signal(signal.SIGCONT)
                shard.kill()
            except (ProcessLookupError, AttributeError):
                pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
