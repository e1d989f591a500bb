#!/usr/bin/env bash
# Sets up, builds and runs every test: a Release build (with the browser suite), then the C++
# tests again under ThreadSanitizer, then under AddressSanitizer + UndefinedBehaviorSanitizer.
# Ends with ctest's summary of the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
jobs="$(nproc)"

echo "== Layout and formatting"
scripts/check_layout.sh
scripts/check_format.sh

echo "== Release build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCANDOUR_TESTS=ON > /dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

echo "== ThreadSanitizer build and tests"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANDOUR_TSAN=ON \
  -DCANDOUR_TESTS=ON -DCANDOUR_BROWSER_TESTS=OFF > /dev/null
cmake --build build-tsan -j"$jobs"
# tests/tsan.supp names the only suppressions: races inside Debian's uninstrumented RocksDB.
(cd build-tsan &&
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/../tests/tsan.supp" \
  ctest --output-on-failure -j"$jobs")

echo "== Sanitizer build (ASan + UBSan) and tests"
# The browser suite (tests/browser) runs once, against the Release binary above.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANDOUR_SANITIZE=ON \
  -DCANDOUR_TESTS=ON -DCANDOUR_BROWSER_TESTS=OFF > /dev/null
cmake --build build-asan -j"$jobs"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
(cd build-asan && ctest --output-on-failure -j"$jobs")
