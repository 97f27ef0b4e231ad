#!/usr/bin/env python3
"""Live answers of every endpoint against server/http/openapi.json.

Usage: openapi_live_test.py OPENAPI_JSON BASE_URL UNAVAILABLE_URL SOURCE_FILE
Sends real requests to a running server (indexed from sample/ by openapi_test.sh) and checks, for
each: its status is one the document lists for that operation, its Content-Type is one listed for
that status, and its body matches the schema (JSON bodies, each line of JSON Lines). Then checks
that every status the document lists was seen at least once. SOURCE_FILE is a record file to
index into the live database mid-walk (for the 410 of an expired cursor): the caller passes
the indexer command in $INDEX_CMD. UNAVAILABLE_URL is a second server, whose index cannot be
opened and which was started with --metrics-key KEY (503 and 401). Needs python3-jsonschema
(Debian).
"""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse

import jsonschema

os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


class Failure(Exception):
    pass


def main():
    spec_path, base, unavailable_base, source_file = sys.argv[1:5]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    url = urllib.parse.urlsplit(base)
    if url.hostname != "127.0.0.1":
        raise Failure(f"only 127.0.0.1 is tested, got {base}")
    checker = Checker(spec, url.hostname, url.port)

    served = checker.get("/openapi.json")
    if served.body != open(spec_path, "rb").read():
        raise Failure("GET /openapi.json is not server/http/openapi.json byte for byte (rebuild?)")

    # Find real ids and values to ask about.
    result = checker.get("/search?q=transparency&facets=true&size=5")
    body = json.loads(result.body)
    if len(body["hits"]) < 2:
        raise Failure(f"expected hits for 'transparency' in the sample index, got {body['hits']}")
    some_id = body["hits"][0]["id"]
    keyword = body["facets"]["keyword"][0]["value"]
    quoted = urllib.parse.quote(some_id, safe="")

    requests = [
        "/", "/health", "/metrics", "/openapi.json",
        "/search?q=transparency+social+media",
        "/search?q=transparency&page=2&size=3&sort=year",
        "/search?q=transparency&offset=4&size=2&sort=year-asc&highlight=false",
        "/search?q=transparency&facets=year,venue&facet_size=3&year=2000..2030",
        "/search?q=media&facets=keyword&facets=author&facets=clc&keyword=" + urllib.parse.quote(keyword),
        "/search?q=media&sort=cited-by&size=0&facets=true",
        "/search?q=transparncy+socail", "/search?q=transparncy+social",
        "/search?q=%E7%A4%BE%E4%BA%A4%E5%AA%92%E4%BD%93&author=nobody&venue=nowhere&clc=TP3",
        "/search?q=media&cursor=*&size=4",
        "/search?q=media&sort=bogus", "/search?q=media&facets=colour", "/search?q=media&size=101",
        "/search?q=media&page=1&offset=3", "/search?q=media&cursor=garbage", "/search?q=%ZZ",
        "/search?q=%FF", "/search?q=(a", "/search?q=" + "a" * 4100, "/search?q=media&year=20x",
        f"/doc/{quoted}", f"/doc/{quoted}?format=json", f"/doc/{quoted}?format=ris", f"/doc/{quoted}?format=bibtex",
        f"/doc/{quoted}?format=csljson", f"/doc/{quoted}?format=jsonl", f"/doc/{quoted}?format=pdf", "/doc/no-such-id",
        f"/similar/{quoted}", f"/similar/{quoted}?size=3", "/similar/no-such-id", f"/similar/{quoted}?size=0",
        f"/similar/{quoted}?by=references", f"/similar/{quoted}?by=colour",
        f"/doc/{quoted}/references", "/doc/no-such-id/references", "/doc/%FF/references", f"/doc/{quoted}/cited-by",
        f"/doc/{quoted}/cited-by?size=3&offset=1&sort=year-asc", "/doc/no-such-id/cited-by",
        f"/doc/{quoted}/cited-by?sort=bogus",
        "/suggest?q=transp", "/suggest?q=transp&size=3", "/suggest?q=x&size=51", "/suggest?q=" + "x" * 201,
        "/export?q=transparency&format=ris", "/export?q=transparency&format=bibtex&limit=3",
        "/export?q=transparency&format=csljson&sort=year", "/export?q=media&format=jsonl&year=2000..2030",
        "/export?q=media", "/export?q=media&format=doc", "/export?q=media&format=ris&limit=100001",
        "/search?q=" + "a" * 9000, "/no-such-endpoint", "/" + "x" * 9000,
    ]
    for target in requests:
        checker.get(target)
    for method in ("POST", "DELETE", "PUT"):
        checker.request(method, "/search?q=media", documented_path="/search")
    checker.get("/search?q=media", headers={"X-Big": "x" * 17000})
    checker.request("GET", "/search?q=media", body=b"x" * 20000, documented_path="/search")

    # A cursor from before a commit: 410.
    first = json.loads(checker.get("/search?q=media&cursor=*&size=2").body)
    if not first.get("next_cursor"):
        raise Failure("no next_cursor on the first page of a walk over 'media'")
    subprocess.run(os.environ["INDEX_CMD"].split() + [source_file], check=True, stdout=subprocess.DEVNULL)
    deadline = time.time() + 10
    while True:
        answer = checker.get("/search?q=media&size=2&cursor=" + urllib.parse.quote(first["next_cursor"]))
        if answer.status == 410 or time.time() > deadline:
            break
        time.sleep(0.3)
    if answer.status != 410:
        raise Failure(f"a cursor from before a commit answered {answer.status}, not 410")

    down = urllib.parse.urlsplit(unavailable_base)
    unavailable = Checker(spec, down.hostname, down.port, checker.seen)
    for target in ("/health", "/search?q=media", "/doc/x", "/doc/x/references", "/doc/x/cited-by", "/similar/x",
                   "/suggest?q=x", "/export?q=x&format=ris"):
        if unavailable.get(target).status != 503:
            raise Failure(f"GET {target} on a server without its index did not answer 503")
    if unavailable.get("/metrics").status != 401:
        raise Failure("GET /metrics without X-API-Key on a server with --metrics-key did not answer 401")
    if unavailable.get("/metrics", headers={"X-API-Key": "KEY"}).status != 200:
        raise Failure("GET /metrics with the right X-API-Key did not answer 200")
    checker.count += unavailable.count

    missing = checker.unseen()
    if missing:
        raise Failure("server/http/openapi.json lists answers no request here produced (add a request to "
                      "tests/e2e/openapi_live_test.py, or drop the answer from the document): " + ", ".join(missing))
    print(f"ok: {checker.count} answers match server/http/openapi.json; every documented status was seen")


def base_media_type(content_type):
    return content_type.split(";")[0].strip().lower()


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


class Checker:
    # Answered before routing, for any path: seen once for all operations.
    CONNECTION_LEVEL = {"405", "413", "414", "431"}

    def __init__(self, spec, host, port, seen=None):
        self.spec, self.host, self.port = spec, host, port
        self.resolver = jsonschema.RefResolver.from_schema(spec)
        self.seen = set() if seen is None else seen
        self.count = 0

    def operation(self, path):
        """The documented path template matching a concrete path, or None."""
        for template in self.spec["paths"]:
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, path):
                return template
        return None

    def get(self, target, headers=None):
        return self.request("GET", target, headers=headers)

    def request(self, method, target, headers=None, body=None, documented_path=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, target, body=body, headers=headers or {})
            response = connection.getresponse()
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        except (ConnectionError, socket.timeout, http.client.HTTPException) as error:
            raise Failure(f"{method} {target[:80]}: {error}") from None
        finally:
            connection.close()
        self.check(method, target, answer, documented_path)
        return answer

    def check(self, method, target, answer, documented_path):
        self.count += 1
        shown = f"{method} {target[:80]}"
        # Matched still percent-encoded: an id may hold a "/" (a DOI), sent as %2F within its one segment.
        path = urllib.parse.urlsplit(target).path
        template = documented_path or self.operation(path)
        status = str(answer.status)
        if template is None:
            # An unknown path: the document's NotFound answer (or UriTooLong for a huge one), nothing else.
            unknown = {"404": {"$ref": "#/components/responses/NotFound"},
                       "414": {"$ref": "#/components/responses/UriTooLong"}}
            if status not in unknown:
                raise Failure(f"{shown}: no path of server/http/openapi.json matches, yet it answered {status}")
            self.seen.add(("*", "unknown path " + status))
            responses = unknown
        else:
            responses = self.spec["paths"][template]["get"]["responses"]
        if status not in responses:
            raise Failure(f"{shown} answered {status}, which server/http/openapi.json does not list for {template}")
        if template is not None:
            self.seen.add((template, status) if status not in self.CONNECTION_LEVEL else ("*", status))
        response = self.resolve(responses[status])
        # Matched by media type, parameters (charset, version) aside: the document may name them or not.
        media = base_media_type(answer.headers.get("content-type", ""))
        content = {base_media_type(key): value for key, value in response.get("content", {}).items()}
        if media not in content:
            raise Failure(f"{shown} ({status}) has Content-Type {media!r}; server/http/openapi.json lists {list(content)}")
        for header, described in response.get("headers", {}).items():
            value = answer.headers.get(header.lower())
            if value is None:
                if described.get("required"):
                    raise Failure(f"{shown} ({status}) lacks the header {header} that server/http/openapi.json requires")
                continue
            if described.get("schema", {}).get("type") == "integer":
                value = int(value) if value.isdigit() else value
            self.validate(value, described.get("schema", {}), f"{shown} header {header}")
        schema = content[media].get("schema", {})
        if method == "HEAD":
            return
        try:
            if media.startswith("application/json") or media == "application/vnd.citationstyles.csl+json":
                self.validate(json.loads(answer.body), schema, shown)
            elif media == "application/x-ndjson":
                record = {"$ref": "#/components/schemas/Record"}
                for number, line in enumerate(answer.body.decode("utf-8").splitlines(), 1):
                    self.validate(json.loads(line), record, f"{shown} line {number}")
            else:
                self.validate(answer.body.decode("utf-8"), schema, shown)
        except (ValueError, UnicodeDecodeError) as error:
            raise Failure(f"{shown} ({status}): the body is not {media}: {error}") from None

    def resolve(self, node):
        while "$ref" in node:
            node = self.resolver.resolve(node["$ref"])[1]
        return node

    def validate(self, instance, schema, shown):
        validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        if errors:
            where = "/".join(str(p) for p in errors[0].absolute_path)
            raise Failure(f"{shown}: the answer does not match its schema in server/http/openapi.json at "
                          f"/{where}: {errors[0].message[:300]}")

    def unseen(self):
        out = []
        for template, item in self.spec["paths"].items():
            for status in item["get"]["responses"]:
                key = ("*", status) if status in self.CONNECTION_LEVEL else (template, status)
                if key not in self.seen:
                    out.append(f"{template} {status}")
        return out


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main())
    except Failure as failure:
        print(f"FAIL: {failure}")
        sys.exit(1)
