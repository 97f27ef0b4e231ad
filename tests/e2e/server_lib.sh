# Sourced by the e2e shell tests that need a running scholarsearch-server: starts it on
# 127.0.0.1 with a free port and stops it with SIGTERM, checking that it exits 0.
#   start_server WORK_DIR SERVER_BIN ARGS...   sets server_pid and server_port
#   stop_server                                 fails (returns 1) if it did not exit 0 within 10 s
#   run_client NAME SECONDS CMD...              runs a client of the server; fails (returns 1) with
#                                               the server's stderr if it does not exit 0 in time
# The caller's EXIT trap should call kill_server, which kills a server still running.
server_pid=
server_port=
server_stderr=

# A process that has exited but is not yet reaped still answers kill -0, so read its state.
server_alive() { local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$state" ] && [ "$state" != Z ]; }

kill_server() {
    if [ -n "$server_pid" ] && server_alive "$server_pid"; then
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=
}

start_server() {
    local work=$1 bin=$2 line
    shift 2
    server_stderr="$work/server.stderr"
    rm -f "$work/server.stdout"
    mkfifo "$work/server.stdout"
    "$bin" "$@" --listen 127.0.0.1:0 >"$work/server.stdout" 2>"$server_stderr" &
    server_pid=$!
    exec 3<"$work/server.stdout"
    server_port=
    while IFS= read -r -t 20 line <&3; do
        case $line in
            "listening on 127.0.0.1:"*) server_port=${line#listening on 127.0.0.1:}; break ;;
        esac
    done
    if ! [[ $server_port =~ ^[0-9]+$ ]]; then
        echo "FAIL: the server printed no 'listening on 127.0.0.1:PORT' line within 20 s"
        cat "$server_stderr"
        exec 3<&-
        return 1
    fi
    # Keep draining the server's stdout so it can never block on a full pipe.
    cat <&3 >/dev/null &
    exec 3<&-
    echo "server listening on 127.0.0.1:$server_port"
}

stop_server() {
    local status=
    kill -TERM "$server_pid"
    for _ in $(seq 1 100); do
        if ! server_alive "$server_pid"; then
            set +e; wait "$server_pid"; status=$?; set -e
            break
        fi
        sleep 0.1
    done
    if [ -z "$status" ]; then
        echo "FAIL: the server did not exit within 10 s of SIGTERM"
        return 1
    fi
    server_pid=
    if [ "$status" -ne 0 ]; then
        echo "FAIL: the server exited with status $status after SIGTERM"
        tail -n 50 "$server_stderr"
        return 1
    fi
}

run_client() {
    local name=$1 seconds=$2 status
    shift 2
    set +e; timeout "$seconds" "$@"; status=$?; set -e
    if [ "$status" -ne 0 ]; then
        echo "FAIL: $name exited with status $status"
        echo "--- server stderr ---"; tail -n 50 "$server_stderr"
        return 1
    fi
}
