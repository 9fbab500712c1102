#!/usr/bin/env bash
# Two builds of recall importing the same file into a new database, runs
# interleaved (A, B, A, B, …) so that the machine's drift hits both alike;
# prints each build's median and minimum wall time.
#
#   bash benches/compare.sh FILE RUNS BIN_A BIN_B
#
# e.g. the TSV from `cargo run --release --example synth -- --cards 100000
# --tsv c.tsv`, and the binaries of two checkouts' target/release/recall.
set -euo pipefail
file=$1 runs=$2
shift 2
export RECALL_NOW=2026-03-01T09:00:00+00:00 RECALL_KEEP_BACKUPS=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for _ in $(seq "$runs"); do
  k=0
  for bin in "$@"; do
    k=$((k + 1))
    rm -f "$work"/i.db*
    s=$(date +%s%N)
    "$bin" --db "$work/i.db" import "$file" >/dev/null
    e=$(date +%s%N)
    echo $(((e - s) / 1000)) >>"$work/t.$k"
  done
done
k=0
for bin in "$@"; do
  k=$((k + 1))
  sort -n "$work/t.$k" | awk -v b="$bin" \
    '{a[NR]=$1} END {printf "%s: median %.1f ms, min %.1f ms (%d runs)\n", b, a[int((NR+1)/2)]/1000, a[1]/1000, NR}'
done
