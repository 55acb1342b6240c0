#!/usr/bin/env bash
# Installs, builds and runs every test: unit and CLI tests (ctest) on a normal build, the
# same tests under AddressSanitizer + UndefinedBehaviorSanitizer, a clang-format check, and a
# short libFuzzer run of each reader.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
JOBS=$(nproc)

echo "== format check"
git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run -Werror

echo "== build and test (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$JOBS"
ctest --test-dir build --output-on-failure -j"$JOBS"

echo "== build and test with ASan + UBSan"
# -O1 keeps the sanitizers' reports exact enough and runs the real-data tests several times
# faster than -O0.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DHRTRACK_SANITIZE=ON -DHRTRACK_BENCH=OFF >/dev/null
cmake --build build-asan -j"$JOBS"
# The browser tests run once, on the normal build above (Chromium is the slow part there).
# quarantine_size_mb: ASan keeps freed blocks in a quarantine (256 MB by default) to catch uses
# after free; the hostile-file tests measure peak RSS against hrtrack's 256 MB bound, and the
# quarantine would count as hrtrack's memory (the 14-million-cell sheet: 270 MB with it, 212 MB
# with 32 MB, 47 MB without ASan). 32 MB still catches a use soon after the free.
ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=32 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$JOBS" -E '^browser\.'


echo "== fuzz each reader briefly"
FUZZ_SECONDS=${FUZZ_SECONDS:-15} tests/fuzz/run.sh
