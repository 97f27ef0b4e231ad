#!/usr/bin/env bash
# The search page in a real (headless) Chromium: indexes SAMPLE_DIR, starts the server on
# 127.0.0.1 with a free port, runs browser_test.py against it, then stops the server with SIGTERM
# and checks that it exits 0. Installs chromium, chromium-driver and python3-selenium with apt-get
# when they are missing (needs root then). Usage: browser_test.sh INDEX_BIN SERVER_BIN SAMPLE_DIR
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 INDEX_BIN SERVER_BIN SAMPLE_DIR" >&2; exit 2; }
index=$1 server=$2 sample=$3
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
server_pid=
# A process that has exited but is not yet reaped still answers kill -0, so read its state.
alive() { local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$state" ] && [ "$state" != Z ]; }
cleanup() {
    if [ -n "$server_pid" ] && alive "$server_pid"; then
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

timeout 120 "$index" --quiet --db "$work/db" "$sample" || { echo "FAIL: indexing $sample failed"; exit 1; }

mkfifo "$work/stdout"
"$server" --db "$work/db" --listen 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr" &
server_pid=$!
exec 3<"$work/stdout"
port=
while IFS= read -r -t 20 line <&3; do
    case $line in
        "listening on 127.0.0.1:"*) port=${line#listening on 127.0.0.1:}; break ;;
    esac
done
if ! [[ $port =~ ^[0-9]+$ ]]; then
    echo "FAIL: the server printed no 'listening on 127.0.0.1:PORT' line within 20 s"
    cat "$work/stderr"
    exit 1
fi
# Keep draining the server's stdout so it can never block on a full pipe.
cat <&3 >/dev/null &
exec 3<&-
echo "server listening on 127.0.0.1:$port"

set +e
timeout 180 "$python" "$here/browser_test.py" "http://127.0.0.1:$port/"
status=$?
set -e
if [ "$status" -ne 0 ]; then
    echo "FAIL: browser_test.py exited with status $status"
    echo "--- server stderr ---"; tail -n 50 "$work/stderr"
    exit 1
fi

kill -TERM "$server_pid"
server_status=
for _ in $(seq 1 100); do
    if ! alive "$server_pid"; then
        set +e; wait "$server_pid"; server_status=$?; set -e
        break
    fi
    sleep 0.1
done
if [ -z "$server_status" ]; then
    echo "FAIL: the server did not exit within 10 s of SIGTERM"
    exit 1
fi
server_pid=
[ "$server_status" -eq 0 ] || { echo "FAIL: the server exited with status $server_status after SIGTERM"; tail -n 50 "$work/stderr"; exit 1; }
echo "ok: browser test passed and the server stopped cleanly"
