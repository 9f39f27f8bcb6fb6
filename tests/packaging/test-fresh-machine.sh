#!/bin/bash
# test-fresh-machine.sh SOURCE WORK: the README's first command on a
# machine where nothing was run before. A new Debian 12 (debootstrap
# minbase: no compiler, no git), a clone of SOURCE inside, and there
# ./build-aux/run-studio alone, on this test's X display (its abstract
# socket reaches into the chroot): the window must open. Then a step that
# fails must say which it was, with its output.
#
# TAP; skipped where it cannot run (not root, no debootstrap), which the
# skip says.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

source_dir=$1
work=$2
root="$work/root"
window_wait=900

echo "1..2"
skip_all() {
  echo "ok 1 # SKIP $1"
  echo "ok 2 # SKIP $1"
  exit 0
}
[ "$(id -u)" -eq 0 ] || skip_all "debootstrap and chroot need root"
command -v debootstrap >/dev/null || skip_all "no debootstrap (build-aux/install-deps test installs it)"
[ -n "${DISPLAY:-}" ] || skip_all "no X display to show the window on"

studio=
cleanup() {
  [ -n "$studio" ] && kill "$studio" 2>/dev/null && wait "$studio" 2>/dev/null
  # What run-studio mounted in the chroot (build-aux/kernel-filesystems.sh)
  for mount in "$root/dev/pts" "$root/proc"; do
    mountpoint -q "$mount" && umount -l "$mount"
  done
  rm -rf "$work"
}
trap cleanup EXIT

rm -rf "$work"
mkdir -p "$work"
if ! debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1; then
  tail -20 "$work/debootstrap.log" | sed 's/^/# /'
  echo "not ok 1 - debootstrap made no Debian 12 to try run-studio in"
  echo "not ok 2 - a failing step says which it was # SKIP no chroot"
  exit 0
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
git clone --quiet "$source_dir" "$root/root/flash-studio"

in_chroot() {
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DISPLAY="$DISPLAY" LANG=C.UTF-8 /bin/bash -c "cd /root/flash-studio && $1"
}

# The window's title, as the X server lists it
window_open() {
  xwininfo -root -tree 2>/dev/null | grep -q '"Flash Studio": ("flash-studio"'
}

in_chroot ./build-aux/run-studio >"$work/run-studio.log" 2>&1 </dev/null &
studio=$!
opened=no
for _ in $(seq "$window_wait"); do
  if window_open; then
    opened=yes
    break
  fi
  kill -0 "$studio" 2>/dev/null || break
  sleep 1
done
if [ $opened = yes ]; then
  echo "ok 1 - ./build-aux/run-studio alone, on a fresh Debian 12, installs, builds and opens the window"
else
  tail -40 "$work/run-studio.log" | sed 's/^/# /'
  echo "not ok 1 - ./build-aux/run-studio alone, on a fresh Debian 12, installs, builds and opens the window"
fi
kill "$studio" 2>/dev/null
wait "$studio" 2>/dev/null
studio=

# A build file that meson refuses: the configuring step must say so
echo "error('a planted mistake')" >>"$root/root/flash-studio/meson.build"
rm -rf "$root/root/flash-studio/_build"
in_chroot ./build-aux/run-studio >"$work/failing.log" 2>&1 </dev/null
status=$?
if [ $status -ne 0 ] && grep -q "a planted mistake" "$work/failing.log" &&
   grep -q "^run-studio: Configuring _build failed: the output above says why.$" "$work/failing.log"; then
  echo "ok 2 - a failing step says which it was, with its output"
else
  sed 's/^/# /' "$work/failing.log" | tail -20
  echo "not ok 2 - a failing step says which it was, with its output (exit status $status)"
fi
