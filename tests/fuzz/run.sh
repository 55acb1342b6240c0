#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each on its seed corpus (tests/fuzz/corpus/)
# with its dictionary (tests/fuzz/<format>.dict). Exits non-zero if a target fails to build or
# finds a crash (the crashing inputs are saved under $FUZZ_BUILD_DIR/artifacts/<target>/).
#
#   tests/fuzz/run.sh [target ...]          short run (CI): FUZZ_SECONDS=20 each, stops at the
#                                           first crash
#   tests/fuzz/run.sh --long [target ...]   campaign: FUZZ_SECONDS=3600 each, inputs up to
#                                           1 MiB, keeps going after crashes, out-of-memory and
#                                           timeouts (fork mode) and counts them
# Environment:
#   FUZZ_SECONDS    how long each target runs (default 20, or 3600 with --long)
#   FUZZ_MAX_LEN    largest input tried (default 65536, or 1048576 with --long)
#   FUZZ_BUILD_DIR  build folder (default build-fuzz)
#   FUZZ_JOBS       build parallelism (default 2)
# Targets: fuzz_csv fuzz_json_stream fuzz_xlsx (default: all). At the end a table gives, per
# target, the executions, the coverage reached and the crashes found.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
long=0
if [[ "${1:-}" == --long ]]; then
  long=1
  shift
fi
build="${FUZZ_BUILD_DIR:-build-fuzz}"
if ((long)); then
  seconds="${FUZZ_SECONDS:-3600}"
  max_len="${FUZZ_MAX_LEN:-1048576}"
else
  seconds="${FUZZ_SECONDS:-20}"
  max_len="${FUZZ_MAX_LEN:-65536}"
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_csv fuzz_json_stream fuzz_xlsx)

CC=clang CXX=clang++ cmake -S . -B "$build" -DHRTRACK_FUZZ=ON -DHRTRACK_TESTS=OFF \
  -DHRTRACK_BENCH=OFF >/dev/null
cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "${targets[@]}"

format_of() {
  case "$1" in
    fuzz_csv) echo csv ;;
    fuzz_json_stream) echo json ;;
    fuzz_xlsx) echo xlsx ;;
    *) echo "unknown target $1" >&2; return 1 ;;
  esac
}

# Memory: an input that makes a reader allocate more than this is reported like a crash
# (the readers' limits bound their memory; AddressSanitizer adds its own overhead).
limits=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=60)

status=0
summary=()
for t in "${targets[@]}"; do
  fmt="$(format_of "$t")"
  seeds="tests/fuzz/corpus/$fmt"
  # New inputs go to a scratch corpus in the build dir; the committed seeds stay as they are.
  work="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  log="$build/$t.log"
  mkdir -p "$work" "$artifacts"
  before=$(find "$artifacts" -type f | wc -l)
  args=("$work" "$seeds" -dict="tests/fuzz/$fmt.dict" -max_len="$max_len"
        -max_total_time="$seconds" -artifact_prefix="$artifacts/" -print_final_stats=1
        "${limits[@]}")
  if ((long)); then
    args+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
  fi
  echo "== $t: ${seconds}s on $seeds (max_len $max_len)"
  rc=0
  "$build/tests/fuzz/$t" "${args[@]}" >"$log" 2>&1 || rc=$?
  found=$(( $(find "$artifacts" -type f | wc -l) - before ))
  # Executions: the final stats of a plain run, or the last status line of fork mode.
  execs=$(grep -oE "stat::number_of_executed_units: [0-9]+" "$log" | tail -1 | grep -oE "[0-9]+$" ||
          true)
  [[ -n "$execs" ]] || execs=$(grep -oE "^#[0-9]+" "$log" | tail -1 | tr -d '#' || true)
  cov=$(grep -oE "cov: [0-9]+" "$log" | tail -1 | grep -oE "[0-9]+$" || true)
  summary+=("$(printf '%-18s %8ss %12s %8s %8s' "$t" "$seconds" "${execs:-?}" "${cov:-?}" "$found")")
  if ((rc != 0 || found > 0)); then
    echo "!! $t: $found new crash/oom/timeout input(s) in $artifacts/ (log: $log):" >&2
    grep -E "ERROR: |SUMMARY: |Test unit written|crash-|oom-|timeout-" "$log" | head -n 20 >&2 ||
      tail -n 30 "$log" >&2
    status=1
  fi
done

echo
printf '%-18s %9s %12s %8s %8s\n' target time executions coverage crashes
for line in "${summary[@]}"; do echo "$line"; done
exit $status
