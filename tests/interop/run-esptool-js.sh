#!/bin/bash
# run-esptool-js.sh SIM INTEROP_DIR: flashes a virtual board over its pty
# with esptool-js. Skips (77) when Node.js or the npm packages are missing;
# build-aux/run-tests installs both.
set -euo pipefail
sim=$1
interop=$2

if ! command -v node >/dev/null || [ ! -d "$interop/node_modules/esptool-js" ]; then
  echo "SKIP: needs node and esptool-js (npm ci --prefix tests/interop)"
  exit 77
fi

work=$(mktemp -d)
trap 'kill "$sim_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
mkfifo "$work/control"
"$sim" --board heltec-wifi-kit-32 --flash-file "$work/flash.bin" --pty --download --instant \
  < "$work/control" > "$work/sim.out" 2>&1 &
sim_pid=$!
exec 3> "$work/control"

for _ in $(seq 100); do
  [ -s "$work/sim.out" ] && break
  sleep 0.1
done
pty=$(head -n 1 "$work/sim.out")
echo "virtual board on $pty"
cd "$interop"
timeout 300 node esptool-js-flash.mjs "$pty" "$work/flash.bin"
