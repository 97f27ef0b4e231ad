#!/usr/bin/env bash
# The main command: installs dependencies, builds, indexes the bundled sample records and runs
# the main job on them: sample queries through the query path (English, Chinese, fields, facets).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
db=${DEMO_DB:-demo-db}
rm -rf "$db"
./build/indexer/scholarsearch-index --db "$db" sample/
query() {
  echo
  echo "\$ scholarsearch-query --db $db $*"
  ./build/server/scholarsearch-query --db "$db" "$@"
}
query -n 3 transparency social media government
query -n 3 社交媒体 政府
query -n 3 --facets 'keyword:"open data" OR 开放数据'
query -n 3 'author:"Marchetti, Elena" year:2018..2021'
