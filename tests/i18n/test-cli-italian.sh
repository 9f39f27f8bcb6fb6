#!/bin/sh
# test-cli-italian.sh: flash-studio-cli speaks Italian when asked to.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs FLASH_STUDIO_CLI with LANGUAGE=it and the catalogs of the build folder
# (FLASH_STUDIO_LOCALEDIR, which main() reads before its compiled-in
# LOCALEDIR). glibc honours LANGUAGE under C.UTF-8, not under C or POSIX.
set -eu

: "${FLASH_STUDIO_CLI:?the flash-studio-cli to run}"
: "${FLASH_STUDIO_LOCALEDIR:?the folder holding it/LC_MESSAGES/flash-studio.mo}"

if [ ! -f "$FLASH_STUDIO_LOCALEDIR/it/LC_MESSAGES/flash-studio.mo" ]; then
  echo "no it/LC_MESSAGES/flash-studio.mo in $FLASH_STUDIO_LOCALEDIR" >&2
  exit 1
fi

expect () {
  if ! printf '%s\n' "$output" | grep -qF -- "$1"; then
    echo "“$1” is not in the output of flash-studio-cli $2:" >&2
    printf '%s\n' "$output" >&2
    exit 1
  fi
}

output=$(LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE=it "$FLASH_STUDIO_CLI" --help)
expect "Comandi:" "--help"
expect "Uso:" "--help"

# A verb's summary, and an error of the core library (its own text domain)
output=$(LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE=it "$FLASH_STUDIO_CLI" --help)
expect "Mostra ciò che contiene" "--help"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'abc' > "$tmp/x.bin"
output=$(LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE=it "$FLASH_STUDIO_CLI" image-info "$tmp/x.bin" 2>&1 || true)
expect "x.bin: l’intestazione dell’immagine richiede 24 byte, ma il file ne ha solo 3" "image-info"

# Without LANGUAGE the same build speaks English
output=$(LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= "$FLASH_STUDIO_CLI" --help)
expect "Commands:" "--help (English)"
echo "flash-studio-cli speaks Italian under LANGUAGE=it"
