#!/usr/bin/env bash
# Sets up, builds a Release binary and starts `candour serve` with its defaults:
# data in ./candour-data, key in ./candour.key, http://127.0.0.1:8080, a demo survey. The first
# start writes the admin token to ./candour-admin-token (mode 0600) and prints only that path.
# Extra arguments go to `candour serve` (e.g. --listen 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCANDOUR_TESTS=OFF > /dev/null
cmake --build build --target candour -j"$(nproc)"
exec build/cli/candour serve "$@"
