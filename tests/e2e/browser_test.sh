#!/usr/bin/env bash
# The search page in a real (headless) Chromium: indexes SAMPLE_DIR, starts the server on
# 127.0.0.1 with a free port, runs browser_test.py against it, then stops the server with SIGTERM
# and checks that it exits 0. Screenshots of each step are kept in ARTIFACT_DIR (ctest passes
# BUILD/test-artifacts/browser). Installs chromium, chromium-driver and python3-selenium with
# apt-get when they are missing (needs root then).
# Usage: browser_test.sh INDEX_BIN SERVER_BIN SAMPLE_DIR ARTIFACT_DIR [MORE_RECORDS...]
# (MORE_RECORDS: indexed with the sample; ctest adds the citation graph fixture, tests/data/graph)
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 INDEX_BIN SERVER_BIN SAMPLE_DIR ARTIFACT_DIR [MORE_RECORDS...]" >&2; exit 2; }
index=$1 server=$2 sample=$3 artifacts=$4
shift 4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3   # python3-selenium is installed for the system Python, not for pyenv/venv ones

have_tools() {
    [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && "$python" -c 'import selenium' 2>/dev/null
}
if ! have_tools; then
    echo "installing chromium, chromium-driver and python3-selenium"
    export DEBIAN_FRONTEND=noninteractive
    timeout 300 apt-get update -q >/dev/null || { echo "FAIL: apt-get update failed"; exit 1; }
    timeout 900 apt-get install -y -q --no-install-recommends chromium chromium-driver python3-selenium >/dev/null ||
        { echo "FAIL: apt-get install failed"; exit 1; }
    have_tools || { echo "FAIL: chromium, chromedriver or selenium still missing after apt-get"; exit 1; }
fi

work=$(mktemp -d)
# shellcheck source=server_lib.sh
source "$here/server_lib.sh"
cleanup() { kill_server; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

timeout 120 "$index" --quiet --db "$work/db" "$sample" "$@" || { echo "FAIL: indexing $sample failed"; exit 1; }
start_server "$work" "$server" --db "$work/db"

mkdir -p "$artifacts"
run_client browser_test.py 180 "$python" "$here/browser_test.py" "http://127.0.0.1:$server_port/" "$artifacts" || exit 1
stop_server
echo "ok: browser test passed and the server stopped cleanly; screenshots in $artifacts"
