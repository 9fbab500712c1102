#!/usr/bin/env bash
# Whole-process figures of README › Performance, on the synthetic workload.
#
#   bash benches/whole-process.sh [N ...]     (default: 1000 10000 100000)
#
# Builds recall and the generator in release mode, generates N cards with
# about 10 reviews each (examples/synth.rs, seed 42), then times each
# operation as a user runs it: hyperfine (median of repeated runs) when it
# is installed, else a loop under /usr/bin/time; peak memory from GNU time;
# "first card on screen" by benches/first_card.py in a 100x30 pty.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("${@:-1000 10000 100000}")
read -r -a SIZES <<<"${SIZES[*]}"
export RECALL_NOW=2026-03-01T09:00:00+00:00
export RECALL_KEEP_BACKUPS=0   # measure the operation, not the daily backup
cargo build --release --quiet --bin recall --example synth
BIN=$PWD/target/release/recall
SYNTH=$PWD/target/release/examples/synth
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# time_ms LABEL RUNS PREPARE CMD: median wall time in ms over RUNS runs.
time_ms() {
  local label=$1 runs=$2 prepare=$3 cmd=$4
  if command -v hyperfine >/dev/null; then
    hyperfine -N --style none --runs "$runs" --warmup 1 --prepare "$prepare" \
      --export-json "$WORK/h.json" "$cmd" >/dev/null 2>&1
    python3 -c "import json;r=json.load(open('$WORK/h.json'))['results'][0];print(f\"$label: {r['median']*1000:.1f} ms (median of {len(r['times'])})\")"
  else
    for _ in $(seq "$runs"); do
      bash -c "$prepare" >/dev/null 2>&1
      s=$(date +%s%N); bash -c "$cmd" >/dev/null 2>&1; e=$(date +%s%N)
      echo $(((e - s) / 1000))
    done | median | awk -v l="$label" '{printf "%s: %.1f ms (median)\n", l, $1/1000}'
  fi
}

peak_mb() { # LABEL CMD: peak RSS of one run
  /usr/bin/time -f "%M" -o "$WORK/rss" bash -c "exec $2" >/dev/null 2>&1
  awk -v l="$1" '{printf "%s peak memory: %.1f MB\n", l, $1/1024}' "$WORK/rss"
}

for N in "${SIZES[@]}"; do
  echo "== N = $N cards"
  "$SYNTH" --cards "$N" --reviews-per-card 10 --today "$RECALL_NOW" \
    --db "$WORK/s.db" --db-without-log "$WORK/base.db" \
    --tsv "$WORK/c.tsv" --reviews-csv "$WORK/r.csv" 2>&1 | sed 's/^/  /'
  DB="$WORK/s.db"
  time_ms "import of the $N-card TSV into a new database" 10 "rm -f $WORK/i.db*" \
    "$BIN --db $WORK/i.db import $WORK/c.tsv"
  time_ms "open + first card (next --json)" 30 "true" "$BIN --db $DB next --json"
  ID=$("$BIN" --db "$DB" next --json | python3 -c 'import json,sys;print(json.load(sys.stdin)["card"]["id"])')
  time_ms "one answer (answer, whole process)" 30 "true" "$BIN --db $DB answer $ID 4"
  time_ms "stats --format json (365 days)" 10 "true" "$BIN --db $DB stats --format json"
  # The log merged into a fresh copy of the same collection without history.
  time_ms "import --reviews of the whole log" 3 \
    "rm -f $WORK/m.db*; cp $WORK/base.db $WORK/m.db" \
    "$BIN --db $WORK/m.db import --reviews $WORK/r.csv"
  peak_mb "next" "$BIN --db $DB next --json"
  peak_mb "answer" "$BIN --db $DB answer $ID 5"
  peak_mb "stats" "$BIN --db $DB stats --format json"
  python3 benches/first_card.py 5 "no. " "$BIN" --db "$DB" review --deck Synthetic |
    tail -1 | sed 's/^/  TUI review, first card on screen: /'
  # `recall` itself: the home screen, every deck with today's counts.
  python3 benches/first_card.py 5 "Synthetic" "$BIN" --db "$DB" |
    tail -1 | sed 's/^/  TUI home screen on screen: /'
done
