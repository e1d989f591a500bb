#!/usr/bin/env bash
# Installs what Candour needs to build on Debian 12 (as root, or with sudo); with --browser,
# also what the browser tests need (Chromium, Node.js, the npm packages of tests/browser).
# Skips apt and npm entirely when everything is already installed.
set -euo pipefail

browser=0
if [ "${1:-}" = "--browser" ]; then
  browser=1
  shift
fi

packages=(
  g++ cmake make pkg-config clang-format
  libboost1.81-dev libboost-json1.81-dev
  libsodium-dev librocksdb-dev libgtest-dev libglpk-dev libqrencode-dev libcli11-dev
  # tests/proxy_test.cc: Debian's nginx in front of Candour, with a certificate made by openssl
  # at test time, driven by curl. The package's own service is never started by the test.
  nginx openssl curl
  # The package tests (ctest -L package): systemd-analyze rates the unit, debootstrap makes
  # the bare Debian 12 root the .deb is installed in.
  systemd debootstrap
  # gzip of public responses (server/gzip.cc) and its test client (tests/http_client.cc).
  zlib1g-dev
  # web/locale_icu_test.cc: our month, quarter and number tables checked against ICU's output
  # (the service itself does not link ICU).
  libicu-dev
)
if [ "$browser" = 1 ]; then
  # The browser tests (tests/browser) drive Debian's Chromium; they never download one.
  packages+=(chromium)
  # libfaketime: the paper forms of past months are imported as if while those months were
  # open (published months are frozen).
  packages+=(faketime)
  # Node.js from Debian unless a node is already on PATH.
  if ! command -v node > /dev/null 2>&1; then packages+=(nodejs npm); fi
fi
# Extra packages for a purpose, e.g. `scripts/setup.sh wrk` for the benchmarks.
packages+=("$@")

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The browser tests' npm packages (playwright-core, axe-core), exactly as locked: installed when
# node_modules is missing or older than package-lock.json. No browser is downloaded.
browser_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
installed_lock="$browser_dir/node_modules/.package-lock.json"
if [ "$browser" = 1 ] && [ -f "$browser_dir/package-lock.json" ] &&
   { [ ! -f "$installed_lock" ] || [ "$browser_dir/package-lock.json" -nt "$installed_lock" ]; }; then
  echo "Installing the browser tests' npm packages in tests/browser"
  (cd "$browser_dir" &&
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
