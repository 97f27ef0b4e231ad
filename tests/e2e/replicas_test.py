#!/usr/bin/env python3
"""Two replicas behind HAProxy (deploy/haproxy/haproxy.cfg as shipped), fed by scripts/ship-build.sh.

Usage: replicas_test.py INDEX_BIN SERVER_BIN SAMPLE_DIR REPO_DIR
While a client searches through HAProxy without pause:
  1. a replica is killed with SIGKILL and started again: no request fails (HAProxy retries on the
     other replica), and the restarted one serves again;
  2. a new build (the sample plus one record) is shipped to both replicas, one after the other:
     no request fails, and each replica then finds the new record;
  3. a build that lost most records is shipped: the first replica refuses it (exit 3), the second
     is not touched, both keep serving every record;
  4. a build of another analyzer version is refused even with --force.
Exit 0 when all holds, 1 with a FAIL line otherwise, 77 when haproxy or rsync is not installed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from e2e_lib import Failure, Server, check, free_port, get, run, wait_until


class Client(threading.Thread):
    """Searches through the front without pause; counts answers and failures."""

    def __init__(self, front):
        super().__init__(daemon=True)
        self.front, self.answers, self.failures, self.stopping = front, 0, [], threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                status, body = get(f"{self.front}/search?q=transparency%20social%20media&size=5")
                if status == 200 and body["hits"]:
                    self.answers += 1
                else:
                    self.failures.append(f"HTTP {status}, {len(body.get('hits', []))} hits")
            except (OSError, urllib.error.URLError, ValueError) as error:
                self.failures.append(repr(error))

    def answered_during(self, seconds):
        before = self.answers
        time.sleep(seconds)
        return self.answers - before


def searches_answered(replica):
    with urllib.request.urlopen(replica.url("/metrics"), timeout=10) as response:
        text = response.read().decode()
    prefix = 'scholarsearch_requests_total{endpoint="search",status="200"} '
    return sum(int(line[len(prefix):]) for line in text.splitlines() if line.startswith(prefix))


def documents(replica):
    return get(replica.url("/health"))[1]["documents"]


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    index_bin, server_bin, sample, repo = sys.argv[1:]
    for tool in ("haproxy", "rsync"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} is not installed (scripts/install-deps.sh installs it)")
            return 77
    work = tempfile.mkdtemp(prefix="scholarsearch-replicas-")
    build_host = os.path.join(work, "build-host")
    roots = [os.path.join(work, "replica1"), os.path.join(work, "replica2")]
    ship = ["bash", os.path.join(repo, "scripts", "ship-build.sh"), build_host, *roots]
    env = dict(os.environ, SCHOLARSEARCH_INDEX=index_bin)
    replicas, haproxy, client = [], None, None
    try:
        run(index_bin, "rebuild", "-q", "--root", build_host, sample)
        done = subprocess.run(ship, capture_output=True, text=True, env=env)
        check(done.returncode == 0, f"the first ship failed ({done.returncode}): {done.stderr}")
        replicas = [Server(server_bin, root, work, f"replica{i + 1}") for i, root in enumerate(roots)]
        for replica in replicas:
            replica.start()
        sample_documents = documents(replicas[0])
        check(sample_documents > 10 and documents(replicas[1]) == sample_documents,
              f"the replicas hold {documents(replicas[0])} and {documents(replicas[1])} records after the first ship")

        front_port = free_port()
        config = os.path.join(repo, "deploy", "haproxy", "haproxy.cfg")
        haproxy_env = dict(os.environ, SCHOLARSEARCH_FRONT=f"127.0.0.1:{front_port}",
                           SCHOLARSEARCH_REPLICA1=f"127.0.0.1:{replicas[0].port}",
                           SCHOLARSEARCH_REPLICA2=f"127.0.0.1:{replicas[1].port}")
        checked = subprocess.run(["haproxy", "-c", "-f", config], env=haproxy_env, capture_output=True, text=True)
        check(checked.returncode == 0, f"haproxy -c rejects {config}: {checked.stderr}")
        haproxy_log = open(os.path.join(work, "haproxy.stderr"), "w")
        haproxy = subprocess.Popen(["haproxy", "-db", "-f", config], env=haproxy_env,
                                   stdout=subprocess.DEVNULL, stderr=haproxy_log)
        front = f"http://127.0.0.1:{front_port}"
        wait_until("HAProxy to answer /health", lambda: get(front + "/health")[0] == 200)
        client = Client(front)
        client.start()
        check(client.answered_during(1.0) > 0, "no answer through HAProxy in a second")
        print(f"ok: {sample_documents} records on both replicas, searched through HAProxy")

        # 1. A replica killed with SIGKILL under load, then started again on its port.
        replicas[0].kill()
        served = client.answered_during(3.0)
        check(served > 0, "no answer through HAProxy while replica1 was down")
        replicas[0].start()
        # HAProxy takes it back after 2 good checks a second apart (longer on a loaded machine).
        wait_until("HAProxy to send searches to the restarted replica1", lambda: searches_answered(replicas[0]) > 0,
                   timeout=30)
        check(not client.failures, f"requests failed around the kill of replica1: {client.failures[:5]}")
        print(f"ok: replica1 killed and restarted; {served} answers while it was down, none failed")

        # 2. A new build with one more record, shipped to both while the client searches.
        extra = os.path.join(work, "extra.jsonl")
        with open(extra, "w", encoding="utf-8") as out:
            out.write(json.dumps({"id": "replica-probe-1", "title": "Quillwort zymography across replicas",
                                  "abstract": "A record that only the second build holds.", "year": 2026}) + "\n")
        run(index_bin, "rebuild", "-q", "--root", build_host, sample, extra)
        done = subprocess.run(ship, capture_output=True, text=True, env=env)
        check(done.returncode == 0, f"shipping the second build failed ({done.returncode}): {done.stderr}")
        for replica in replicas:
            wait_until(f"{replica.name} to find the new record",
                       lambda r=replica: get(r.url("/search?q=quillwort%20zymography"))[1]["hits"][0]["id"] == "replica-probe-1",
                       timeout=10)
            check(documents(replica) == sample_documents + 1, f"{replica.name} holds {documents(replica)} records")
        check(not client.failures, f"requests failed while the build was shipped: {client.failures[:5]}")
        print("ok: the second build shipped to both replicas under load; each finds the new record")

        # 3. A build that lost most records: refused by the first replica, the second untouched.
        run(index_bin, "rebuild", "-q", "--force", "--root", build_host, extra)
        done = subprocess.run(ship, capture_output=True, text=True, env=env)
        check(done.returncode == 3, f"shipping a build of 1 record exited {done.returncode}, expected 3: {done.stderr}")
        check("lost" in done.stderr and f"{roots[0]} did not take" in done.stderr,
              f"ship-build did not say which replica refused the build and why: {done.stderr}")
        check(os.listdir(os.path.join(roots[1], "incoming")) == [], "the refused build reached replica2")
        for replica in replicas:
            check(documents(replica) == sample_documents + 1,
                  f"{replica.name} holds {documents(replica)} records after a refused ship")
        print("ok: a build with 1 record was refused by replica1 (exit 3); replica2 was not touched")

        # 4. A build made by another analyzer version: refused outright, even with --force.
        run(index_bin, "rebuild", "-q", "--root", build_host, sample, extra, "--force")
        live = open(os.path.join(build_host, "XAPIANDB")).read().split()[1]
        run("xapian-metadata", "set", os.path.join(build_host, live), "scholarsearch.analyzer", "analyzer-of-another-release")
        done = subprocess.run(ship, capture_output=True, text=True, env=dict(env, ADOPT_ARGS="--force"))
        check(done.returncode == 2 and "analyzer-of-another-release" in done.stderr,
              f"a build of another analyzer exited {done.returncode}, expected 2 naming its analyzer: {done.stderr}")
        for replica in replicas:
            check(documents(replica) == sample_documents + 1, f"{replica.name} holds {documents(replica)} records")
        print("ok: a build of another analyzer version was refused even with --force (exit 2, named)")

        client.stopping.set()
        client.join(timeout=15)
        check(not client.failures, f"requests failed: {client.failures[:5]}")
        check(client.answers > 50, f"only {client.answers} answers through HAProxy")
        print(f"ok: {client.answers} answers through HAProxy, none failed")
        return 0
    except Failure as failure:
        print(f"FAIL: {failure}")
        for name in ("replica1.stderr", "replica2.stderr", "haproxy.stderr"):
            path = os.path.join(work, name)
            if os.path.exists(path):
                print(f"--- {name} ---")
                print(open(path, encoding="utf-8", errors="replace").read()[-2000:])
        return 1
    finally:
        if client:
            client.stopping.set()
        if haproxy:
            haproxy.terminate()
            haproxy.wait(timeout=10)
        for replica in replicas:
            replica.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
