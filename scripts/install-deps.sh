#!/usr/bin/env bash
# Installs the Debian 12 packages scholarsearch needs to build and run; with --test also what the
# tests and benchmarks need (headless Chromium for the search page test, an OpenAPI validator
# from npm, wrk, GNU time). As root. rsync ships builds to replicas (scripts/ship-build.sh) and
# HAProxy fronts them (deploy/haproxy/); xapian-tools has xapian-tcpsrv for remote shards.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git python3
  libxapian-dev xapian-tools
  libicu-dev libzstd-dev
  libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev
  libcli11-dev catch2 libbenchmark-dev
  curl
  rsync haproxy
)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium chromium-driver python3-selenium python3-jsonschema fonts-wqy-microhei time wrk)
  # npm for the OpenAPI validator below; a Node.js that ships its own npm (NodeSource) needs no npm package.
  command -v npm >/dev/null || packages+=(nodejs npm)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The OpenAPI 3.1 validator of tests/e2e/openapi_document_test.sh, pinned.
if [ "${1:-}" = "--test" ] && ! command -v validate-api >/dev/null; then
  npm install -g --no-audit --no-fund @seriousme/openapi-schema-validator@2.11.0
fi
