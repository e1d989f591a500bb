#!/usr/bin/env bash
# Checks the module layout that CMake's link graph cannot see on its own: which folders may
# include Beast/Asio and RocksDB headers, and which module headers each module may include
# (../shared/STYLE.md, "Layout and dependencies"). Exits 1 naming every violation.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
complain() { echo "layout: $*" >&2; status=1; }

sources() { find "$@" -name '*.cc' -o -name '*.h' 2>/dev/null; }

# Beast and Asio: HTTP lives in server/, and the serve command in cli/ wires it. tests/ holds
# the HTTP client the integration tests talk to the real server with.
while IFS= read -r f; do
  complain "$f includes Beast or Asio (only server/, cli/ and tests/ may)"
done < <(sources crypto stats store survey web bench | xargs grep -l '#include <boost/\(beast\|asio\)' || true)

# RocksDB is private to store/.
while IFS= read -r f; do
  complain "$f includes a RocksDB header (only store/ may)"
done < <(sources crypto stats survey web server cli tests bench | xargs grep -l '#include [<"]rocksdb/' || true)

# Module headers: each module includes only its own and those of the modules it depends on.
declare -A allowed=(
  [crypto]="crypto"
  [stats]="stats"
  [store]="store crypto"
  [survey]="survey crypto stats store"
  [web]="web survey stats crypto"
  [server]="server survey web stats crypto store"
)
for module in "${!allowed[@]}"; do
  while IFS= read -r line; do
    file="${line%%:*}"
    dep="$(sed -n 's/.*#include "\([a-z]*\)\/.*/\1/p' <<< "$line")"
    case " ${allowed[$module]} " in
      *" $dep "*) ;;
      # A module's tests may use the test helpers in tests/ that depend on no module of ours
      # (those linked into candour_test_main, such as tests/temp_dir.h).
      *) if [ "$dep" = tests ] && [[ "$file" == *_test.cc || "$file" == */test_*.h ]]; then
           continue
         fi
         complain "$file includes $dep/ (allowed for $module/: ${allowed[$module]})" ;;
    esac
  done < <(sources "$module" | xargs grep -H '#include "[a-z]*/' || true)
done

[ "$status" = 0 ] && echo "layout: module dependencies and include rules hold"
exit "$status"
