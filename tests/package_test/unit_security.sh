#!/usr/bin/env bash
# The service unit's exposure, as `systemd-analyze security --offline=yes` rates it, must be
# 2.0 or less. Fails (never skips) when systemd-analyze is missing.
set -euo pipefail
unit="${1:?usage: unit_security.sh UNIT_FILE}"
limit="2.0"
if ! command -v systemd-analyze > /dev/null 2>&1; then
  echo "unit_security: systemd-analyze was not found: install Debian's systemd package" \
    "(scripts/setup.sh does)" >&2
  exit 1
fi
out="$(systemd-analyze security --offline=yes --no-pager "$unit" 2>&1)" || {
  echo "$out" >&2
  echo "unit_security: systemd-analyze failed on $unit" >&2
  exit 1
}
level="$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
if [ -z "$level" ]; then
  echo "$out" >&2
  echo "unit_security: no overall exposure level in systemd-analyze's output" >&2
  exit 1
fi
echo "$unit: exposure $level (at most $limit)"
printf '%s\n' "$out" | grep '✗' || true
awk -v l="$level" -v m="$limit" 'BEGIN { exit !(l + 0 <= m + 0) }' || {
  echo "unit_security: exposure $level is above $limit" >&2
  exit 1
}
