#!/usr/bin/env bash
# The main command: installs dependencies, builds, indexes the bundled sample records and serves
# them over HTTP on 127.0.0.1 (search page at /), after a few example queries.
#   PORT=8080 (default)    DEMO_EXIT=1 stops after the example queries instead of serving on.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
db=${DEMO_DB:-demo-db}
port=${PORT:-8080}
rm -rf "$db"
./build/indexer/scholarsearch-index --db "$db" sample/

./build/server/scholarsearch-server --db "$db" --listen "127.0.0.1:$port" > demo-server.out &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening on" demo-server.out 2>/dev/null && break; sleep 0.1; done
cat demo-server.out
base="http://127.0.0.1:$port"

show() {
  echo
  echo "\$ curl '$base$1'"
  curl -s "$base$1" | python3 -c '
import json, sys
result = json.load(sys.stdin)
print("  %d results" % result["total"]["estimated"])
for hit in result["hits"]:
    print("  %2d. [%.2f] %s  (%s)" % (hit["rank"], hit["score"], hit["title"], hit["id"]))
    print("      " + hit.get("snippet", "")[:160])'
}
show "/search?q=transparency+social+media+government&size=3"
show "/search?q=%E7%A4%BE%E4%BA%A4%E5%AA%92%E4%BD%93+%E6%94%BF%E5%BA%9C&size=3"
show "/search?q=author:%22Marchetti,+Elena%22+year:2018..2021&size=3"
show "/search?q=preprints+citations+%E9%A2%84%E5%8D%B0%E6%9C%AC&size=3"   # from the WoS, RIS and BibTeX samples
echo
echo "\$ ./build/server/scholarsearch-query --db $db -n 2 'keyword:\"open data\" OR 开放数据'"
./build/server/scholarsearch-query --db "$db" -n 2 'keyword:"open data" OR 开放数据'

if [ "${DEMO_EXIT:-0}" = 1 ]; then exit 0; fi
echo
echo "Serving the sample index: open $base/ in a browser (Ctrl-C stops the server)."
wait $server
