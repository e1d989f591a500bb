#!/usr/bin/env bash
# Ingest benchmark: durable submissions per second and p50/p99 latency at 64 connections,
# for Candour with group commit and, in the same run, with one WAL sync per request.
# The server (one I/O thread) is pinned to core 0 and wrk (one thread) to core 1.
# Usage: bench/ingest.sh [seconds per run, default 10] [connections, default 64]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-64}"
scripts/setup.sh wrk curl bc > /dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build --target candour -j"$(nproc)" > /dev/null
binary="$PWD/build/cli/candour"
work="$(mktemp -d /tmp/candour-bench-XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

run() {  # run MODE: starts a fresh server, loads it, prints one result line
  local mode="$1" dir="$work/$1"
  mkdir -p "$dir"
  taskset -c 0 "$binary" serve --data "$dir/data" --key-file "$dir/key" \
    --listen 127.0.0.1:0 --threads 1 --group-commit "$mode" --rate-limit 100000000 > "$dir/out" 2>&1 &
  local pid=$! port=""
  for _ in $(seq 100); do
    port="$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$dir/out")"
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$dir/out"; exit 1; }
  taskset -c 1 wrk -t1 -c"$connections" -d2s -s bench/submit.lua "http://127.0.0.1:$port" \
    > /dev/null  # warm-up
  local line
  line="$(taskset -c 1 wrk -t1 -c"$connections" -d"${duration}s" -s bench/submit.lua \
    "http://127.0.0.1:$port" | grep '^RESULT')"
  local batches records auth
  auth="Authorization: Bearer $(cat "$dir/candour-admin-token")"  # /metrics is for operators
  batches="$(curl -s -H "$auth" "http://127.0.0.1:$port/metrics" | awk '/^candour_commit_batches_total/ {print $2}')"
  records="$(curl -s -H "$auth" "http://127.0.0.1:$port/metrics" | awk '/^candour_commit_records_total/ {print $2}')"
  kill -TERM "$pid"; wait "$pid" || true
  printf "group_commit=%-3s %s mean_batch=%.1f\n" "$mode" "${line#RESULT }" \
    "$(echo "$records / $batches" | bc -l)"
}

echo "Candour ingest: POST /s/demo/responses (JSON, 10 answers), ${connections} connections," \
  "${duration}s, server on core 0 (1 I/O thread + committer), wrk on core 1"
run on
run off
