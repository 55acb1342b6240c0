#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz/ and runs each for a short time on
# its seed corpus. Exits non-zero if a target fails to build or finds a crash (the crashing
# input is saved under build-fuzz/artifacts/<target>/).
#   FUZZ_SECONDS=20   how long each target runs
#   FUZZ_JOBS=2       build parallelism
# Usage: tests/fuzz/run.sh [target ...]   (default: fuzz_csv fuzz_json_stream fuzz_xlsx)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
build=build-fuzz
seconds="${FUZZ_SECONDS:-20}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_csv fuzz_json_stream fuzz_xlsx)

CC=clang CXX=clang++ cmake -S . -B "$build" -DHRTRACK_FUZZ=ON -DHRTRACK_TESTS=OFF \
  -DHRTRACK_BENCH=OFF >/dev/null
cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "${targets[@]}"

corpus_of() {
  case "$1" in
    fuzz_csv) echo csv ;;
    fuzz_json_stream) echo json ;;
    fuzz_xlsx) echo xlsx ;;
    *) echo "unknown target $1" >&2; return 1 ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  seeds="tests/fuzz/corpus/$(corpus_of "$t")"
  # New inputs go to a scratch corpus in the build dir; the committed seeds stay as they are.
  work="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  mkdir -p "$work" "$artifacts"
  echo "== $t: ${seconds}s on $seeds"
  if ! "$build/tests/fuzz/$t" "$work" "$seeds" -max_total_time="$seconds" \
      -artifact_prefix="$artifacts/" -print_final_stats=1 \
      >"$build/$t.log" 2>&1; then
    echo "!! $t found a crash (see $build/$t.log, input in $artifacts/):" >&2
    grep -E "ERROR: |SUMMARY: |Test unit written" "$build/$t.log" >&2 || tail -n 30 "$build/$t.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov: " "$build/$t.log" | tail -n 2 || true
  fi
done
exit $status
