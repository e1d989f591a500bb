#!/usr/bin/env bash
# Key rotation benchmark: a data folder of N responses (default 1,000,000, the demo survey's
# synthetic ones, made by a first `candour serve`), stopped, then `candour rotate-key` to a
# new key, timed; then `candour count` under the new key. Prints the figures.
# Usage: bench/rotate.sh [responses, default 1000000] [batch, default 4096]
set -euo pipefail
cd "$(dirname "$0")/.."
responses="${1:-1000000}"
batch="${2:-4096}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build --target candour -j2 > /dev/null
binary="$PWD/build/cli/candour"
work="$(mktemp -d /tmp/candour-rotate-bench-XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

ms() { date +%s%3N; }
start=$(ms)
"$binary" serve --data "$work/data" --key-file "$work/old.key" --listen 127.0.0.1:0 \
  --demo-responses "$responses" > "$work/out" 2>&1 &
pid=$!
for _ in $(seq 6000); do
  grep -q "listening on" "$work/out" && break
  sleep 0.1
done
grep -q "listening on" "$work/out" || { cat "$work/out"; exit 1; }
kill -TERM "$pid"; wait "$pid" || true
echo "made a folder of $responses responses in $(( $(ms) - start )) ms," \
  "$(du -sm --apparent-size "$work/data" | cut -f1) MB (apparent)"

start=$(ms)
"$binary" rotate-key --data "$work/data" --key-file "$work/old.key" \
  --new-key-file "$work/new.key" --batch-responses "$batch" > "$work/rotate" 2>&1 ||
  { cat "$work/rotate"; exit 1; }
rotate_ms=$(( $(ms) - start ))
grep "^Rotated" "$work/rotate" | sed 's/^/  /'
echo "rotate-key (open, re-seal in synced batches of $batch, compact): $rotate_ms ms wall," \
  "$(du -sm --apparent-size "$work/data" | cut -f1) MB after"
start=$(ms)
"$binary" count --data "$work/data" --key-file "$work/new.key" | sed 's/^/  count: /'
echo "count under the new key: $(( $(ms) - start )) ms"
