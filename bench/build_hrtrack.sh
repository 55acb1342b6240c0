#!/usr/bin/env bash
# Prints the absolute path of the hrtrack binary the benchmarks use: $HRTRACK_BIN if set,
# otherwise a Release build made in $BUILD_DIR (default $TMPDIR/hrtrack-bench-build).
# Build output goes to $BUILD_DIR.*.log; on failure the log's tail goes to stderr, exit 2.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "build_hrtrack: $*" >&2; exit 2; }
if [[ -n "${HRTRACK_BIN:-}" ]]; then
  [[ -x "$HRTRACK_BIN" ]] || die "HRTRACK_BIN=$HRTRACK_BIN is not executable"
  echo "$(cd "$(dirname "$HRTRACK_BIN")" && pwd)/$(basename "$HRTRACK_BIN")"
  exit 0
fi
BUILD_DIR="${BUILD_DIR:-${TMPDIR:-/tmp}/hrtrack-bench-build}"
echo "== building hrtrack (Release) in $BUILD_DIR" >&2
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHRTRACK_TESTS=OFF \
  -DHRTRACK_BENCH=OFF >"$BUILD_DIR.cmake.log" 2>&1 \
  || { cat "$BUILD_DIR.cmake.log" >&2; die "cmake failed"; }
cmake --build "$BUILD_DIR" --target hrtrack >"$BUILD_DIR.build.log" 2>&1 \
  || { tail -30 "$BUILD_DIR.build.log" >&2; die "build failed (log: $BUILD_DIR.build.log)"; }
echo "$(cd "$BUILD_DIR" && pwd)/hrtrack"
