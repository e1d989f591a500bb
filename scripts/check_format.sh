#!/usr/bin/env bash
# Fails, naming the files, if any C++ source differs from what clang-format (.clang-format)
# makes of it. `scripts/check_format.sh --fix` rewrites them instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cc' '*.h')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run -Werror "${files[@]}" 2> /tmp/candour-format.$$; then
  grep -o '^[^:]*:' /tmp/candour-format.$$ | sort -u | sed 's/:$//; s/^/format: /' >&2
  rm -f /tmp/candour-format.$$
  echo "format: run scripts/check_format.sh --fix" >&2
  exit 1
fi
rm -f /tmp/candour-format.$$
echo "format: every C++ file is as clang-format makes it"
