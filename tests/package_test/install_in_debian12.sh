#!/usr/bin/env bash
# Installs the .deb in a bare Debian 12 root (debootstrap --variant=minbase, cached as a
# tarball; apt in the root fetches the package's dependencies from the mirror), then starts
# the binary there exactly as the installed unit's ExecStart says, with the installed config,
# as the `candour` user the package made, and with what of the unit's sandbox can be had
# without systemd: the root read-only except the StateDirectory folders, a private /tmp, no
# new privileges, no capabilities. Checks it serves, stores a response, stops on SIGTERM, and
# that `candour count` with the same config sees the response.
# Needs root, debootstrap and the Debian mirror (scripts/setup.sh installs debootstrap).
set -euo pipefail
deb="$(realpath "${1:?usage: install_in_debian12.sh PACKAGE.deb [CACHE_DIR]}")"
cache="${2:-$(dirname "$deb")/package-test-cache}"
mirror="${CANDOUR_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
fail() { echo "install_in_debian12: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (chroot, mounts)"
for tool in debootstrap unshare chroot curl setpriv; do
  command -v "$tool" > /dev/null || fail "$tool was not found: run scripts/setup.sh"
done

mkdir -p "$cache"
tarball="$cache/bookworm-minbase.tar"
if [ ! -f "$tarball" ]; then
  echo "Bootstrapping Debian 12 (minbase) from $mirror, once; cached in $tarball"
  tmp_root="$(mktemp -d "$cache/bootstrap.XXXXXX")"
  chmod 755 "$tmp_root"
  debootstrap --variant=minbase bookworm "$tmp_root" "$mirror" > "$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log" >&2; fail "debootstrap failed"; }
  tar -C "$tmp_root" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
  rm -rf "$tmp_root"
fi

root="$(mktemp -d /tmp/candour-debian12.XXXXXX)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2> /dev/null || true
  for m in proc dev sys; do umount -l "$root/$m" 2> /dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT
tar -C "$root" -xf "$tarball"
chmod 755 "$root"  # mktemp (here and in the cached tarball's ./) made it 0700
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --rbind /sys "$root/sys"
cp "$deb" "$root/tmp/candour.deb"

echo "Installing $(basename "$deb") and its dependencies in the bare root"
chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -c \
  'apt-get update -q > /tmp/apt.log 2>&1 &&
   apt-get install -y -q --no-install-recommends /tmp/candour.deb >> /tmp/apt.log 2>&1' ||
  { tail -30 "$root/tmp/apt.log" >&2; fail "apt-get install of the package failed"; }
chroot "$root" dpkg -s candour | grep -q '^Status: install ok installed' || fail "not installed"
chroot "$root" getent passwd candour > /dev/null || fail "postinst made no candour user"
missing="$(chroot "$root" ldd /usr/bin/candour | grep 'not found' || true)"
[ -z "$missing" ] || fail "libraries missing in the bare root: $missing"

unit="$root/lib/systemd/system/candour.service"
exec_start="$(sed -n 's/^ExecStart=//p' "$unit")"
[ -n "$exec_start" ] || fail "no ExecStart in the installed unit"
user="$(sed -n 's/^User=//p' "$unit")"
# What systemd's StateDirectory= would make: owned by the service's user, mode 0700.
state_dirs="$(sed -n 's/^StateDirectory=//p' "$unit")"
writable=()
for d in $state_dirs; do
  install -d -m 0700 "$root/var/lib/$d"
  chroot "$root" chown "$user:$user" "/var/lib/$d"
  writable+=("/var/lib/$d")
done

# Port 0 for the test (the environment beats the config file, as documented).
log="$cache/serve.log"
: > "$log"
echo "Starting: $exec_start (as $user; read-only root but ${writable[*]}; private /tmp)"
binds=""
for d in "${writable[@]}"; do binds="$binds mount --bind $root$d $root$d;"; done
# Runs a command line in the root as the service user, sandboxed as described above, in place
# of the calling (sub)shell, so that `in_sandbox ... &` gives the server's own pid.
in_sandbox() {
  exec unshare --mount --propagation private sh -c "
    mount --rbind $root $root && $binds mount -o remount,bind,ro $root &&
    mount -t tmpfs -o mode=1777 tmpfs $root/tmp &&
    exec chroot --userspec=$user:$user $root /usr/bin/env -i CANDOUR_LISTEN=127.0.0.1:0 \
      setpriv --no-new-privs --inh-caps=-all --bounding-set=-all $1"
}
# The sandbox is real: the state folders are writable, and nothing else is, not even a folder
# the service user owns.
install -d -m 0700 "$root/var/lib/not-a-state-dir"
chroot "$root" chown "$user:$user" /var/lib/not-a-state-dir
(in_sandbox "/bin/sh -c 'touch /var/lib/candour-key/probe && rm /var/lib/candour-key/probe'") ||
  fail "the sandbox does not let the service write its StateDirectory"
probe="$( (in_sandbox "/bin/sh -c 'touch /var/lib/not-a-state-dir/probe'") 2>&1 || true)"
printf '%s\n' "$probe" | grep -q 'Read-only file system' ||
  fail "the sandbox lets the service write outside its StateDirectory folders: $probe"
in_sandbox "$exec_start" > "$log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 300); do
  port="$(sed -n 's|.*Candour is listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log")"
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2> /dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { cat "$log" >&2; fail "the server did not start"; }
cat "$log"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] ||
  fail "/healthz did not answer 200"
code="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data '{"answers":{}}' "http://127.0.0.1:$port/s/demo/responses")"
[ "$code" = 201 ] || fail "a submission got $code"
kill -TERM "$server_pid"
wait "$server_pid" || fail "the server did not exit 0 on SIGTERM"
server_pid=""
grep -q Stopped "$log" || fail "no graceful stop"
[ -f "$root/var/lib/candour-key/candour.key" ] || fail "the key is not in /var/lib/candour-key"
[ -f "$root/var/lib/candour/data/CURRENT" ] || fail "the data is not in /var/lib/candour/data"
ls "$root"/var/lib/candour-backup/candour-*/CURRENT > /dev/null 2>&1 ||
  fail "no daily backup in /var/lib/candour-backup"
count="$(chroot --userspec="$user:$user" "$root" /usr/bin/candour count \
  --config /etc/candour/candour.conf)"
echo "candour count: $count"
[ "$count" = "demo 1" ] || fail "count printed: $count"
echo "install_in_debian12: installed, started with the unit's command line, served and stopped"
