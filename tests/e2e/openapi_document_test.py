#!/usr/bin/env python3
"""server/http/openapi.json beside README.md, and every schema in it against JSON Schema 2020-12.

Usage: openapi_document_test.py OPENAPI_JSON README_MD
The OpenAPI document itself is checked by a real OpenAPI validator in openapi_document_test.sh;
that validator takes the schemas inside as they are, so here each one is checked against the JSON
Schema 2020-12 meta-schema (OpenAPI 3.1's dialect). Then README's API table must list exactly the
document's paths, each with exactly its query parameters: a row `GET /path?a=&b=` per path.
Needs python3-jsonschema (Debian).
"""
import json
import re
import sys

import jsonschema


def schemas(node, where="#"):
    """Every Schema Object in the document, with a JSON pointer to it."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}/{key}"
            if key == "schema" and isinstance(value, dict):
                yield here, value
            elif key == "schemas" and where == "#/components":
                for name, schema in value.items():
                    yield f"{here}/{name}", schema
            else:
                yield from schemas(value, here)
    elif isinstance(node, list):
        for number, value in enumerate(node):
            yield from schemas(value, f"{where}/{number}")


def resolve(spec, node):
    while "$ref" in node:
        node = jsonschema.RefResolver.from_schema(spec).resolve(node["$ref"])[1]
    return node


def documented_paths(spec):
    out = {}
    for path, item in spec["paths"].items():
        parameters = [resolve(spec, p) for p in item["get"].get("parameters", [])]
        out[path] = {p["name"] for p in parameters if p["in"] == "query"}
    return out


def readme_paths(readme):
    out = {}
    for line in readme.splitlines():
        row = re.match(r"^\| `GET (/[^`?]*)(?:\?([^`]*))?` \|", line)
        if row:
            query = row.group(2) or ""
            out[row.group(1)] = {part.split("=")[0] for part in query.split("&") if part}
    return out


def main():
    spec_path, readme_path = sys.argv[1:3]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    failures = []
    count = 0
    for pointer, schema in schemas(spec):
        count += 1
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as error:
            failures.append(f"{pointer} is not a JSON Schema 2020-12 schema: {error.message}")

    with open(readme_path, encoding="utf-8") as f:
        in_readme = readme_paths(f.read())
    in_spec = documented_paths(spec)
    for path in sorted(set(in_spec) - set(in_readme)):
        failures.append(f"{path} is in {spec_path} but has no `GET {path}?...` row in README.md's API table")
    for path in sorted(set(in_readme) - set(in_spec)):
        failures.append(f"README.md's API table lists GET {path}, which {spec_path} does not describe")
    for path in sorted(set(in_spec) & set(in_readme)):
        if in_spec[path] != in_readme[path]:
            failures.append(f"GET {path}: README.md lists the parameters {sorted(in_readme[path])}, "
                            f"{spec_path} {sorted(in_spec[path])}")
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        return 1
    print(f"ok: {count} schemas are valid JSON Schema 2020-12; README.md's API table lists the same "
          f"{len(in_spec)} paths and parameters as {spec_path}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main())
