#!/usr/bin/env bash
# Backup benchmark: a data folder of N responses (default 1,000,000, the demo survey's
# synthetic ones), backed up online through POST /api/admin/backup while wrk keeps submitting,
# to the same file system (table files hard-linked) and to a tmpfs (copied); then `candour
# restore` of the backup. Prints time and size of each.
# Usage: bench/backup.sh [responses, default 1000000] [copy target, default /dev/shm]
set -euo pipefail
cd "$(dirname "$0")/.."
responses="${1:-1000000}"
other_fs="${2:-/dev/shm}"
scripts/setup.sh wrk curl > /dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build --target candour -j2 > /dev/null
binary="$PWD/build/cli/candour"
work="$(mktemp -d /tmp/candour-backup-bench-XXXXXX)"
copy="$(mktemp -d "$other_fs/candour-backup-bench-XXXXXX")"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work" "$copy"' EXIT

ms() { date +%s%3N; }
start=$(ms)
"$binary" serve --data "$work/data" --key-file "$work/key" --listen 127.0.0.1:0 \
  --demo-responses "$responses" --rate-limit 100000000 > "$work/out" 2>&1 &
pid=$!
port=""
for _ in $(seq 3000); do
  port="$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/out")"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/out"; exit 1; }
echo "started with $responses responses in $(( $(ms) - start )) ms"
token="$(sed -n 's/.*Admin token (shown once): \([^ ]*\).*/\1/p' "$work/out")"
data_size="$(du -sm --apparent-size "$work/data" | cut -f1)"

wrk -t1 -c16 -d30s -s bench/submit.lua "http://127.0.0.1:$port" > "$work/wrk" &
wrk_pid=$!
sleep 2
backup() {  # backup DIR: prints the server's milliseconds
  curl -s -X POST -H "Authorization: Bearer $token" --data "{\"to\":\"$1\"}" \
    "http://127.0.0.1:$port/api/admin/backup" | sed -n 's/.*"milliseconds":\([0-9]*\).*/\1/p'
}
same_ms="$(backup "$work/backup")"
other_ms="$(backup "$copy/backup")"
again_ms="$(backup "$work/backup-2")"
kill -INT "$wrk_pid" 2> /dev/null || true
wait "$wrk_pid" || true
kill -TERM "$pid"; wait "$pid" || true
echo "data folder: ${data_size} MB (apparent)"
echo "online backup, same file system (hard links): ${same_ms} ms," \
  "$(du -sm --apparent-size "$work/backup" | cut -f1) MB apparent," \
  "$(du -sm "$work" | cut -f1) MB for data and backup together on disk"
echo "online backup, copied to $other_fs: ${other_ms} ms, $(du -sm "$copy/backup" | cut -f1) MB"
echo "online backup, same file system again (little left to flush): ${again_ms} ms"
echo "wrk meanwhile: $(grep RESULT "$work/wrk" || echo none)"
start=$(ms)
"$binary" restore --from "$work/backup" --data "$work/restored" --key-file "$work/key" |
  sed 's/^/  /'
echo "restore (copy, open with the key, count, scrub): $(( $(ms) - start )) ms"
"$binary" count --data "$work/restored" --key-file "$work/key" | sed 's/^/  count: /'
