"""What the Python e2e tests share: checks, HTTP GETs, waiting, and a server on a free loopback port."""
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=10):
    """(status, JSON body) of a GET; HTTP errors are answers too, when their body is JSON."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_until(what, predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, urllib.error.URLError, ValueError, LookupError, Failure):
            pass  # not there yet (a search thread that has not reopened answers from the old revision)
        time.sleep(0.1)
    raise Failure(f"timed out after {timeout} s waiting for {what}")


def run(*argv, expect=(0,)):
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode not in expect:
        raise Failure(f"{' '.join(argv)} exited {done.returncode}, expected {expect}\n{done.stderr[-2000:]}")
    return done


class Server:
    """scholarsearch-server on a free loopback port, its stderr in WORK/NAME.stderr."""

    def __init__(self, server_bin, db, work, name="server", extra_args=()):
        self.server_bin, self.db, self.name, self.extra_args = server_bin, db, name, list(extra_args)
        self.port = free_port()
        self.log_path = os.path.join(work, name + ".stderr")
        self.log = open(self.log_path, "w")
        self.process = None

    def start(self):
        self.process = subprocess.Popen([self.server_bin, "--db", self.db, "--listen", f"127.0.0.1:{self.port}",
                                         *self.extra_args],
                                        stdout=subprocess.DEVNULL, stderr=self.log)
        wait_until(f"{self.name} to answer /health", lambda: get(self.url("/health"))[0] == 200)
        return self

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path):
        return get(self.url(path))

    def kill(self):
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def stderr_tail(self):
        return open(self.log_path, encoding="utf-8", errors="replace").read()[-2000:]
