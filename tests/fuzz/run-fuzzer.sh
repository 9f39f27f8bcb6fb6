#!/bin/sh
# run-fuzzer.sh TARGET CORPUS WORKDIR
# Replays the seed corpus, then fuzzes for a bounded number of runs with a
# fixed seed, so a test run takes the same path each time. New inputs go to
# WORKDIR, never into the source tree.
set -eu
target=$1
corpus=$2
work=$3
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
"$target" -runs=0 -error_exitcode=1 "$corpus"
# libFuzzer's own exit status for a crash, 77, is what meson reads as a skip
exec "$target" -seed=1 -runs="${FUZZ_RUNS:-20000}" -max_len=8192 -timeout=10 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$corpus"
