#!/usr/bin/env bash
# libFuzzer runs of the parsers, the analyzer and the query layer (tests/fuzz/).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET (default 600)] [TARGET...]
#
# TARGET: fuzz_seed_format fuzz_jsonl fuzz_tagged fuzz_analyzer fuzz_query (default: all). Builds build-fuzz/
# with clang, ASan + UBSan and SCHOLARSEARCH_FUZZ=ON, seeds each target from the test fixtures,
# sample/ and tests/fuzz/corpus/ (copied into build-fuzz/seeds/<target> at run time), and runs it;
# new inputs go to build-fuzz/corpus/<target> (kept between runs), findings to build-fuzz/artifacts/<target>/,
# the log to build-fuzz/logs/<target>.log. A target stops at its first finding, as libFuzzer does.
# FUZZ_JOBS=N runs N targets at once (default 1). Exit status 1 if any target found something.
#
# A finding: reproduce with `build-fuzz/tests/fuzz/<target> <artifact>`, shrink it with
# `<target> -minimize_crash=1 -runs=100000 -exact_artifact_path=min <artifact>`, fix it, and keep the
# input under tests/data/fuzz_regressions/<target>/ (unit_fuzz_regressions replays that directory).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
all_targets=(fuzz_seed_format fuzz_jsonl fuzz_tagged fuzz_analyzer fuzz_query)
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $target "* ]] || { echo "unknown target: $target (one of: ${all_targets[*]})" >&2; exit 2; }
done
[[ $seconds =~ ^[0-9]+$ ]] || { echo "SECONDS_PER_TARGET must be a number, got: $seconds" >&2; exit 2; }

build=build-fuzz
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
CC=clang CXX=clang++ cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSCHOLARSEARCH_FUZZ=ON -DSCHOLARSEARCH_SANITIZE=address,undefined -DSCHOLARSEARCH_BUILD_TESTS=ON \
  -DSCHOLARSEARCH_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"

# ---- seed corpora, generated from the fixtures -------------------------------------------------
shared=../shared/data/seed-format
add_seeds() {  # add_seeds DIR FILE... (missing files are skipped)
  local dir=$1 file
  shift
  for file in "$@"; do
    [[ -f $file ]] && cp "$file" "$dir/$(basename "$(dirname "$file")")_$(basename "$file")"
  done
  return 0
}
make_seeds() {
  local target=$1 dir=$build/seeds/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  shopt -s nullglob
  add_seeds "$dir" tests/data/fuzz_regressions/"$target"/*
  case $target in
    fuzz_seed_format)
      add_seeds "$dir" tests/data/seed_format/*.txt sample/seed/* "$shared"/*.txt ;;
    fuzz_jsonl)
      add_seeds "$dir" sample/records.jsonl tests/data/seed_format/*.txt tests/fuzz/corpus/jsonl/*
      # each sample record alone, as a JSON Lines file and as a JSON document
      local n=0 line
      while IFS= read -r line; do
        [[ $line == *'{'* ]] || continue
        n=$((n + 1))
        printf '%s\n' "$line" >"$dir/record_$n.jsonl"
        printf '{"records": [%s]}' "$line" >"$dir/record_$n.json"
      done <sample/records.jsonl ;;
    fuzz_tagged)
      # the first byte picks the reader: 0 RIS, 1 WoS, 2 BibTeX (fuzz_entries.hpp)
      local file selector
      for file in sample/tagged/* tests/data/ris/* tests/data/wos/* tests/data/bibtex/*; do
        case $file in
          *.ris|*/ris/*) selector='\x00' ;;
          *.bib|*/bibtex/*) selector='\x02' ;;
          *) selector='\x01' ;;
        esac
        { printf "$selector"; cat "$file"; } >"$dir/$(basename "$(dirname "$file")")_$(basename "$file")"
      done ;;
    fuzz_analyzer)
      add_seeds "$dir" sample/seed/* tests/data/seed_format/*.txt tests/fuzz/corpus/query/* ;;
    fuzz_query)
      add_seeds "$dir" tests/fuzz/corpus/query/* ;;
  esac
  shopt -u nullglob
}

max_len_of() {
  case $1 in
    fuzz_query) echo 4096 ;;
    fuzz_analyzer) echo 4096 ;;
    *) echo 65536 ;;
  esac
}

run_target() {
  local target=$1 bin=$build/tests/fuzz/$1
  local corpus=$build/corpus/$target artifacts=$build/artifacts/$target log=$build/logs/$target.log
  local dict_option=()
  [[ -f tests/fuzz/${target#fuzz_}.dict ]] && dict_option=(-dict="tests/fuzz/${target#fuzz_}.dict")
  mkdir -p "$corpus" "$artifacts" "$build/logs"
  make_seeds "$target"
  local before started status=0
  before=$(find "$artifacts" -type f | wc -l)
  started=$(date +%s)
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len_of "$target")" \
      "${dict_option[@]}" -artifact_prefix="$artifacts/" -print_final_stats=1 \
      "$corpus" "$build/seeds/$target" >"$log" 2>&1 || status=$?
  local elapsed=$(( $(date +%s) - started ))
  local found=$(( $(find "$artifacts" -type f | wc -l) - before ))
  echo "$status $elapsed $found" >"$build/logs/$target.result"
}

# ---- run, FUZZ_JOBS targets at a time -----------------------------------------------------------
jobs_max=${FUZZ_JOBS:-1}
for target in "${targets[@]}"; do
  while (( $(jobs -rp | wc -l) >= jobs_max )); do wait -n || true; done
  echo "fuzzing $target for ${seconds}s (log: $build/logs/$target.log)"
  run_target "$target" &
done
wait || true

# ---- summary ------------------------------------------------------------------------------------
stat_of() {  # stat_of LOG NAME: libFuzzer's -print_final_stats value
  sed -n "s/^stat::$2: *//p" "$1" | tail -n 1
}
final_field() {  # final_field LOG FIELD: FIELD (cov, ft) of the last "#N ..." status line
  grep -aE '^#[0-9]+' "$1" | tail -n 1 | sed -nE "s/.* $2: ([0-9]+).*/\1/p"
}
failed=0
printf '\n%-18s %12s %8s %7s %8s %9s %8s  %s\n' target executions exec/s cov ft duration crashes status
for target in "${targets[@]}"; do
  log=$build/logs/$target.log
  read -r status elapsed found <"$build/logs/$target.result"
  execs=$(stat_of "$log" number_of_executed_units)
  rate=$(stat_of "$log" average_exec_per_sec)
  verdict=ok
  if (( status != 0 || found > 0 )); then
    verdict="FINDING (exit $status): $(grep -aoE '(ERROR|WARNING): [A-Za-z]+[^ ]*: [^(]*|fuzz invariant violated: .*|SUMMARY: .*' "$log" | head -n 1 || true)"
    failed=1
  fi
  printf '%-18s %12s %8s %7s %8s %8ss %8s  %s\n' "$target" "${execs:-?}" "${rate:-?}" \
    "$(final_field "$log" cov)" "$(final_field "$log" ft)" "$elapsed" "$found" "$verdict"
done
if (( failed )); then
  echo
  echo "artifacts:"
  for target in "${targets[@]}"; do find "$build/artifacts/$target" -type f -printf '  %p\n' | sort; done
fi
exit "$failed"
