#!/usr/bin/env bash
# Installs what Candour needs to build and test on Debian 12 (as root, or with sudo).
# Skips apt entirely when everything is already installed.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libsodium-dev librocksdb-dev libgtest-dev libglpk-dev libqrencode-dev
)
# Extra packages for a purpose, e.g. `scripts/setup.sh wrk` for the benchmarks.
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
