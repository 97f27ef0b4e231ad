#!/usr/bin/env bash
# server/http/openapi.json checked by a real OpenAPI 3.1 validator (validate-api, from the npm
# package @seriousme/openapi-schema-validator, which scripts/install-deps.sh --test installs), then
# by openapi_document_test.py (its schemas, and README.md's API table beside it). Without the
# validator or python3-jsonschema the test is skipped (exit 77), never passed.
# Usage: openapi_document_test.sh OPENAPI_JSON README_MD
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 OPENAPI_JSON README_MD" >&2; exit 2; }
openapi=$1 readme=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3   # python3-jsonschema is installed for the system Python
if ! command -v validate-api >/dev/null; then
    echo "SKIP: validate-api is not installed (npm @seriousme/openapi-schema-validator; bash scripts/install-deps.sh --test)"
    exit 77
fi
if ! "$python" -c 'import jsonschema' 2>/dev/null; then
    echo "SKIP: python3-jsonschema is not installed (bash scripts/install-deps.sh --test installs it)"
    exit 77
fi
if ! report=$(validate-api "$openapi"); then
    echo "FAIL: validate-api finds $openapi invalid:"
    echo "$report"
    exit 1
fi
echo "ok: validate-api: $openapi is a valid OpenAPI 3.1 document"
"$python" "$here/openapi_document_test.py" "$openapi" "$readme"
