#!/usr/bin/env bash
# The live answers of every endpoint against server/http/openapi.json: indexes SAMPLE_DIR, starts
# the server on 127.0.0.1 (and a second one whose index cannot be opened, with --metrics-key, for
# the 503 and 401 answers), then runs openapi_live_test.py against both. Needs python3-jsonschema
# (Debian); without it the test is skipped (exit 77), never passed.
# Usage: openapi_live_test.sh INDEX_BIN SERVER_BIN SAMPLE_DIR OPENAPI_JSON
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 INDEX_BIN SERVER_BIN SAMPLE_DIR OPENAPI_JSON" >&2; exit 2; }
index=$1 server=$2 sample=$3 openapi=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3   # python3-jsonschema is installed for the system Python
if ! "$python" -c 'import jsonschema' 2>/dev/null; then
    echo "SKIP: python3-jsonschema is not installed (bash scripts/install-deps.sh --test installs it)"
    exit 77
fi

work=$(mktemp -d)
# shellcheck source=server_lib.sh
source "$here/server_lib.sh"
down_pid=
cleanup() {
    kill_server
    if [ -n "$down_pid" ]; then kill -KILL "$down_pid" 2>/dev/null || true; wait "$down_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

timeout 120 "$index" --quiet --db "$work/db" "$sample" || { echo "FAIL: indexing $sample failed"; exit 1; }

# The server without an index first: start_server keeps one server at a time, so remember this one.
mkdir "$work/down"
start_server "$work/down" "$server" --db "$work/no-such-index" --metrics-key KEY
down_pid=$server_pid down_port=$server_port
server_pid=
start_server "$work" "$server" --db "$work/db"

run_client openapi_live_test.py 300 env INDEX_CMD="$index --quiet --db $work/db" "$python" "$here/openapi_live_test.py" \
    "$openapi" "http://127.0.0.1:$server_port" "http://127.0.0.1:$down_port" "$sample/tagged/sample.ris" || exit 1
stop_server
server_pid=$down_pid
stop_server
down_pid=
echo "ok: every endpoint's live answers match $openapi"
