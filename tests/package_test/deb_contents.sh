#!/usr/bin/env bash
# The .deb built by `cpack -G DEB`: its name, its files, its conffile, its dependencies and
# its maintainer scripts.
set -euo pipefail
deb="${1:?usage: deb_contents.sh PACKAGE.deb VERSION}"
version="${2:?usage: deb_contents.sh PACKAGE.deb VERSION}"
fail() { echo "deb_contents: $*" >&2; exit 1; }
[ -f "$deb" ] || fail "$deb was not built"
[ "$(basename "$deb")" = "candour_${version}_amd64.deb" ] || fail "unexpected name $(basename "$deb")"
files="$(dpkg-deb -c "$deb")"
for f in ./usr/bin/candour ./lib/systemd/system/candour.service ./etc/candour/candour.conf \
         ./usr/share/doc/candour/README.md; do
  printf '%s\n' "$files" | grep -q " $f\$" || fail "$f is not in the package"
done
printf '%s\n' "$files" | grep -E ' \./usr/bin/candour$' | grep -q '^-rwxr-xr-x root/root' ||
  fail "/usr/bin/candour is not an executable owned by root"
conffiles="$(dpkg-deb -I "$deb" conffiles)"
[ "$conffiles" = "/etc/candour/candour.conf" ] || fail "conffiles: $conffiles"
depends="$(dpkg-deb -f "$deb" Depends)"
for d in libsodium23 libboost-json1.81.0 libc6 libstdc++6 libqrencode4 passwd; do
  printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qxF "$d" ||
    fail "Depends lacks $d: $depends"
done
for s in postinst prerm postrm; do
  dpkg-deb -I "$deb" "$s" > /dev/null || fail "no $s script"
done
echo "$(basename "$deb"): $(printf '%s\n' "$files" | wc -l) entries; Depends: $depends"
