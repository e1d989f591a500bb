#!/usr/bin/env bash
# TLS benchmark: durable submissions per second straight to Candour and through nginx with TLS
# (packaging/nginx/candour.conf, a self-signed certificate), in the same run, same load.
# Candour has one I/O thread; nginx one worker; wrk one thread; all share the machine's cores
# (unpinned: nginx needs a core too), so compare the two figures of one run only.
# Usage: bench/tls.sh [seconds per run, default 10] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-32}"  # at most 64: the site's limit_conn per client address
scripts/setup.sh wrk > /dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build --target candour -j"$(nproc)" > /dev/null
binary="$PWD/build/cli/candour"
work="$(mktemp -d /tmp/candour-tls-XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

"$binary" serve --data "$work/data" --key-file "$work/key" --listen 127.0.0.1:0 --threads 1 \
  --rate-limit 100000000 --trusted-proxy 127.0.0.1 --demo-responses 0 > "$work/out" 2>&1 &
port=""
for _ in $(seq 100); do
  port="$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/out")"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/out"; exit 1; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2> /dev/null
https_port=$((port + 1))
sed -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" \
    -e "/listen \[::\]/d" -e "s|listen 80;|listen 127.0.0.1:$((port + 2));|" \
    -e "s|/etc/letsencrypt/live/survey.example.org/fullchain.pem|$work/cert.pem|" \
    -e "s|/etc/letsencrypt/live/survey.example.org/privkey.pem|$work/key.pem|" \
    -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$port;|" \
    -e "s|error_log /var/log/nginx/candour-error.log emerg;|error_log $work/error.log warn;|" \
    packaging/nginx/candour.conf > "$work/candour.conf"
mkdir -p "$work/tmp"
cat > "$work/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path $work/tmp/body; proxy_temp_path $work/tmp/proxy;
  fastcgi_temp_path $work/tmp/fastcgi; uwsgi_temp_path $work/tmp/uwsgi;
  scgi_temp_path $work/tmp/scgi;
  access_log off;
  include $work/candour.conf;
}
CONF
/usr/sbin/nginx -p "$work/" -c "$work/nginx.conf" -e "$work/error.log" &
for _ in $(seq 100); do
  curl -s -o /dev/null --cacert "$work/cert.pem" --resolve "localhost:$https_port:127.0.0.1" \
    "https://localhost:$https_port/healthz" && break
  sleep 0.1
done

load() {  # load URL: prints wrk's RESULT line
  wrk -t1 -c"$connections" -d2s -s bench/submit.lua "$1" > /dev/null  # warm-up
  wrk -t1 -c"$connections" -d"${duration}s" -s bench/submit.lua "$1" | grep '^RESULT'
}
echo "Candour submissions, ${connections} connections, ${duration}s each, same run:"
echo "direct        $(load "http://127.0.0.1:$port")"
echo "nginx+TLS     $(load "https://localhost:$https_port")"
