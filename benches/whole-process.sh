#!/usr/bin/env bash
# Whole-process figures of README › Performance, on the synthetic workload, with Anki's
# figures for the same operations on the same data beside them.
#
#   bash benches/whole-process.sh [N ...]        (default: 1000 10000 100000)
#   bash benches/whole-process.sh 10000 100000 1000000   # the million-card row set too
#
# For each N it builds (examples/synth.rs, seed 42) N cards with about 10 reviews per
# reviewed card: the TSV, the review log, and the collection without its history, into which
# the timed `import --reviews` merges the log (the database every later step reads). Then it
# times each operation as a user runs it: hyperfine (median of repeated runs, `apt-get install
# hyperfine`) when installed, else a loop of its own; peak memory from GNU time; "on screen"
# by benches/first_card.py in a 100x30 pty. Every command is printed before it is timed, so
# that any one can be rerun by hand (after the `export` line it prints), and is run once first:
# a command that exits non-zero or does not do its work (the import must report its N cards,
# the merge every answer, `next --json` a card, …) stops the script with status 1 and a message
# naming it, and so does a failing run later (hyperfine stops on a non-zero exit; the loop
# checks each run) or any other failing step. A failing command is never timed as a fast one.
# A command whose first run takes over 10 s is not repeated (that run is the figure). At the
# end: the README's table in Markdown (one row per operation, one column per N, the target
# beside it, **missed** where a figure misses it), recall beside Anki with the ratios, and how
# each figure grows with N.
#
# Anki, side by side: when a python with anki==26.9.3 is found (ANKI_PY=/path/to/python, else
# .venv-anki/ of this checkout, else /work/main/.venv-anki), benches/anki_side.py imports the
# same TSV into a new collection, and on a collection holding the same cards in the same state
# with the same history (built from recall's database: see that file's header) opens it and
# takes the first card of the queue, and computes the 365-day statistics; each as a whole
# process and, separately, the in-process call. Without it, a notice says so and the rest runs.
# Set up:
#   python3 -m venv .venv-anki && .venv-anki/bin/pip install anki==26.9.3 zstandard
#
# Environment:
#   BIN=/path/to/recall   measure that binary instead of building this checkout's release
#                         build (also how the failure check is made: BIN=/bin/false fails)
#   ANKI_PY=/path/to/python   Anki's venv (ANKI_PY=none: skip Anki)
#   BENCH_TMP=DIR         where the data go (default $TMPDIR or /tmp); removed at the end
#   BENCH_RUNS=K          scale every run count by K (default 1; e.g. 3 on a noisy machine)
#   REVIEW_LOG_LIMIT=BYTES   the largest review log recall takes in one file (default 256 MiB,
#                         formats::MAX_FILE_BYTES); a larger log is merged in parts of whole
#                         cards, one command after the other (at a million cards: 465 MiB)
#
# Cost, on the 2-core VM with Anki (figures from runs under load 5): N = 1000 10000 takes
# 1-2 minutes. N = 1 000 000 alone takes ~15 minutes: synth ~15 s, the merge of 8 M answers
# ~1.5 min, the four imports ~15-30 s each, the first text search ~13 s, Anki's collection
# (1 M notes, 8 M revlog rows) ~4 min to build and its import ~1 min; the temp dir holds at
# most ~2.3 GB (the files of one N at a time, each removed when no later step needs it; the
# peak is printed as "disk used", and the script stops at once when the disk has less free).
set -Eeuo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=("${@:-1000 10000 100000}")
read -r -a SIZES <<<"${SIZES[*]}"
export RECALL_NOW=2026-03-01T09:00:00+00:00
export RECALL_KEEP_BACKUPS=0 # measure the operation, not the daily backup
RUNS_SCALE=${BENCH_RUNS:-1}

die() {
  printf '\nwhole-process.sh: FAILED: %s\n' "$*" >&2
  exit 1
}
shown() { printf '%q ' "$@" | sed 's/ $//'; } # a command as a shell reads it back
# Any other command that fails stops the script too, saying which.
trap 'die "line $LINENO: $BASH_COMMAND exited with status $?"' ERR

[[ $RUNS_SCALE =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a whole number, not '$RUNS_SCALE'"
for N in "${SIZES[@]}"; do
  [[ $N =~ ^[1-9][0-9]*$ ]] || die "N must be a number of cards, not '$N'"
done
if [[ -z ${BIN:-} ]]; then
  cargo build --release --locked --quiet --bin recall --example synth
  BIN=$ROOT/target/release/recall
else
  cargo build --release --locked --quiet --example synth
fi
SYNTH=$ROOT/target/release/examples/synth
WORK=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/recall-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
RESULTS=$WORK/results.tsv
: >"$RESULTS"
DISK_PEAK=0

ANKI_PY=${ANKI_PY:-}
if [[ -z $ANKI_PY ]]; then
  for p in "$ROOT/.venv-anki/bin/python" /work/main/.venv-anki/bin/python; do
    [[ -x $p ]] && ANKI_PY=$p && break
  done
fi
ANKI_VERSION=
if [[ -n $ANKI_PY && $ANKI_PY != none ]]; then
  ANKI_VERSION=$("$ANKI_PY" -c 'import anki, importlib.metadata as m; print(m.version("anki"))' 2>/dev/null) ||
    die "ANKI_PY=$ANKI_PY cannot import anki (set up: python3 -m venv .venv-anki && .venv-anki/bin/pip install anki==26.9.3 zstandard)"
fi

machine() {
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores," \
    "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
    "$(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
  echo "rustc: $(rustc -V)"
  echo "recall: $(shown "$BIN") ($("$BIN" --version 2>&1 || true)); checkout $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
  echo "timer: $(command -v hyperfine >/dev/null && hyperfine --version || echo 'own loop (hyperfine not installed)')"
  if [[ -n $ANKI_VERSION ]]; then
    echo "anki: anki $ANKI_VERSION ($ANKI_PY, $("$ANKI_PY" -V))"
    [[ $ANKI_VERSION == 26.9.3 ]] || echo "notice: the figures are for anki $ANKI_VERSION, not 26.9.3"
  else
    echo "notice: Anki is not measured: no python with anki==26.9.3 (ANKI_PY, .venv-anki; see the header)"
  fi
  echo "environment: export RECALL_NOW=$RECALL_NOW RECALL_KEEP_BACKUPS=$RECALL_KEEP_BACKUPS"
  echo "temp dir: $WORK ($(df -h --output=avail "$WORK" | tail -1 | tr -d ' ') free)"
}

disk_mark() { # the most the temp dir has held so far
  local used
  used=$(du -sm "$WORK" | cut -f1)
  ((used > DISK_PEAK)) && DISK_PEAK=$used
  return 0
}

record() { printf '%s\t%s\t%s\n' "$1" "$N" "$2" >>"$RESULTS"; } # KEY VALUE

# runs BASE: BASE runs at up to 10 000 cards, fewer as N grows (each run is longer), at least 3.
runs() {
  local r=$1
  ((N >= 100000)) && r=$((r / 3))
  ((N >= 1000000)) && r=$((r / 3))
  r=$((r * RUNS_SCALE))
  echo $((r < 3 ? 3 : r))
}

# The clock of the timed runs: bash's own, read without starting a process. (Two `date`
# processes around each run, as this loop had, put about 1 ms of their own into a 4 ms figure.)
us_of() { local t=${1//[.,]/}; echo $((10#$t)); } # EPOCHREALTIME ("s.µµµµµµ") in µs

# once CHECK CMD...: run CMD a first time; stop unless it exits 0 and its output passes CHECK
# (a function given the output file). Output in $WORK/out, errors in $WORK/err, its wall time
# in ONCE_MS.
once() {
  local check=$1 status=0 s e
  shift
  s=$EPOCHREALTIME
  "$@" >"$WORK/out" 2>"$WORK/err" || status=$?
  e=$EPOCHREALTIME
  ONCE_MS=$(awk -v d=$(($(us_of "$e") - $(us_of "$s"))) 'BEGIN {printf "%.1f", d / 1e3}')
  if ((status != 0)); then
    tail -5 "$WORK/err" | sed 's/^/  | /' >&2
    die "$(shown "$@") exited with status $status"
  fi
  $check "$WORK/out" || die "$(shown "$@") exited 0 but did not do the work ($check): $(head -c 300 "$WORK/out")"
}

# measure KEY LABEL RUNS PREPARE CHECK CMD...: print the command, run it once (checked; this
# run is also the warm-up), then record the median wall time in ms over RUNS runs, each after
# PREPARE (a shell command, "" for none, not timed). A command whose first run takes over
# LONG_MS is not repeated: that run is the figure (at a million cards a merge of the log takes
# minutes, and the run-to-run spread is small beside it).
LONG_MS=10000
measure() {
  local key=$1 label=$2 n=$3 prepare=$4 check=$5
  shift 5
  echo "  \$ ${prepare:+$prepare; }$(shown "$@")"
  if [[ -n $prepare ]]; then bash -c "$prepare" || die "prepare step '$prepare' failed"; fi
  once "$check" "$@"
  disk_mark
  if awk -v t="$ONCE_MS" -v l=$LONG_MS 'BEGIN {exit !(t > l)}'; then
    echo "  $label: $ONCE_MS ms (one run: a run takes over $((LONG_MS / 1000)) s)"
    record "$key" "$ONCE_MS"
    return
  fi
  local line
  if command -v hyperfine >/dev/null; then
    local args=(-N --style none --runs "$n" --export-json "$WORK/h.json")
    [[ -n $prepare ]] && args+=(--prepare "bash -c $(printf %q "$prepare")")
    hyperfine "${args[@]}" "$(shown "$@")" >"$WORK/hf.log" 2>&1 ||
      { sed 's/^/  | /' "$WORK/hf.log" >&2; die "hyperfine: $(shown "$@") failed (log above)"; }
    line=$(python3 -c 'import json,sys; t=sorted(json.load(open(sys.argv[1]))["results"][0]["times"]); print(*(x*1000 for x in t))' "$WORK/h.json")
  else
    local times=() s e status
    for i in $(seq "$n"); do
      if [[ -n $prepare ]]; then bash -c "$prepare" || die "prepare step '$prepare' failed"; fi
      status=0
      s=$EPOCHREALTIME
      "$@" >/dev/null 2>"$WORK/err" || status=$?
      e=$EPOCHREALTIME
      ((status == 0)) || die "$(shown "$@") exited with status $status on run $i: $(tail -3 "$WORK/err")"
      times+=("$(($(us_of "$e") - $(us_of "$s")))")
    done
    line=$(printf '%s\n' "${times[@]}" | awk '{printf "%.3f ", $1/1000}')
  fi
  read -r -a line <<<"$line"
  summarize "$key" "$label" "${line[@]}"
}

summarize() { # KEY LABEL MS...: print median, min and max; record the median
  local key=$1 label=$2
  shift 2
  local stats
  stats=$(printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {m=(NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2); printf "%.1f %.1f %.1f %d", m, a[1], a[NR], NR}')
  read -r med lo hi count <<<"$stats"
  echo "  $label: $med ms (median of $count; $lo-$hi)"
  record "$key" "$med"
}

peak_mb() { # KEY LABEL CMD...: peak RSS of one run, checked like the timed runs
  local key=$1 label=$2 status=0
  shift 2
  echo "  \$ /usr/bin/time -f %M $(shown "$@")"
  /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>"$WORK/err" || status=$?
  ((status == 0)) || die "$(shown "$@") exited with status $status: $(tail -3 "$WORK/err")"
  local mb
  mb=$(awk '{printf "%.1f", $1/1024}' "$WORK/rss")
  echo "  $label peak memory: $mb MB"
  record "$key" "$mb"
}

tui() { # KEY LABEL NEEDLE CMD...: median time to NEEDLE on screen, and peak RSS
  local key=$1 label=$2 needle=$3
  shift 3
  echo "  \$ python3 benches/first_card.py 5 $(shown "$needle" "$@")"
  python3 benches/first_card.py 5 "$needle" "$@" >"$WORK/tui" || die "$label: benches/first_card.py failed"
  local ms kb
  ms=$(sed -n 's/^median first_card_ms=\([0-9.]*\).*/\1/p' "$WORK/tui")
  kb=$(sed -n 's/.*median peak_rss_kb=\([0-9]*\).*/\1/p' "$WORK/tui")
  [[ -n $ms && -n $kb ]] || die "$label: no median in the output of benches/first_card.py"
  echo "  $label: $ms ms (median of 5), peak memory $(awk -v k="$kb" 'BEGIN {printf "%.1f", k/1024}') MB"
  record "$key" "$ms"
  record "$key-mb" "$(awk -v k="$kb" 'BEGIN {printf "%.1f", k/1024}')"
}

# The checks of the first run: the output shows the work done for this N.
added_all() { grep -q ": $N added, 0 updated" "$1"; }
unchanged_all() { grep -q ": 0 added, 0 updated, $N unchanged" "$1"; }
has_card() { python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["card"] is None)' "$1"; }
answered() { grep -q "^card $ID " "$1"; }
has_reviews() { python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["period"]["reviews"] == 0)' "$1"; }
merged_log() { # every answer of the log added, in one file or in parts
  [[ $(grep -c ' 0 already present' "$1") -eq $(grep -c 'answers added' "$1") ]] &&
    [[ $(awk '/answers added/ {s += $2} END {print s + 0}' "$1") -eq $ANSWERS ]]
}
found_cards() { python3 -c 'import json,sys; sys.exit(len(json.load(open(sys.argv[1]))["cards"]) == 0)' "$1"; }
anki_imported() { grep -q "anki: $N notes imported" "$1"; }
anki_first() { grep -q "anki: first card" "$1"; }
anki_stats() { grep -q "anki: statistics over 365 days" "$1"; }

# anki_in_process KEY LABEL RUNS: the median of the in-process figures anki_side.py logged in
# the last RUNS runs (the timed ones: the checked first run comes before).
anki_in_process() {
  local logged
  mapfile -t logged < <(tail -n "$3" "$WORK/anki.log")
  summarize "$1" "$2" "${logged[@]}"
  rm -f "$WORK/anki.log"
}

synth_done() { grep -q "^synth: $N cards, [0-9]* reviews$" "$WORK/err"; }

# The log merged into a fresh copy of the collection without history: one file when recall
# takes it whole, else in parts of whole cards (the same answers, the same result). The last
# run's database becomes s.db, which every later step reads.
REVIEW_LOG_LIMIT=${REVIEW_LOG_LIMIT:-$((256 << 20))} # recall's MAX_FILE_BYTES (src/formats/mod.rs)
merge_log() {
  local r=("$@") size parts=() cmd p
  size=$(stat -c %s "$WORK/r.csv")
  if ((size <= REVIEW_LOG_LIMIT)); then
    parts=("$WORK/r.csv")
  else
    # Lines of one card stay in one part (the log is written card by card).
    LC_ALL=C awk -F, -v limit=$((REVIEW_LOG_LIMIT / 16 * 15)) -v out="$WORK/part" '
      NR == 1 { header = $0; next }
      !k || (bytes > limit && $2 != last) {
        if (k) close(f)
        f = out (++k) ".csv"; print header > f; bytes = 0
      }
      { print > f; bytes += length($0) + 1; last = $2 }' "$WORK/r.csv" || die "splitting $WORK/r.csv failed"
    rm "$WORK/r.csv"
    parts=("$WORK"/part*.csv)
    echo "  notice: the log is $((size >> 20)) MiB, over recall's limit of $((REVIEW_LOG_LIMIT >> 20)) MiB for a file" \
      "(REVIEW_LOG_LIMIT): merged in ${#parts[@]} parts of whole cards, one command after the other"
  fi
  if ((${#parts[@]} == 1)); then
    cmd=("${r[@]}" --db "$WORK/m.db" import --reviews "${parts[0]}")
  else
    local script=""
    for p in "${parts[@]}"; do script+="${script:+ && }$(shown "${r[@]}" --db "$WORK/m.db" import --reviews "$p")"; done
    cmd=(bash -c "$script")
  fi
  measure import-reviews "import --reviews of the whole log ($ANSWERS answers${parts[1]:+, in ${#parts[@]} parts})" "$(runs 3)" \
    "rm -f $WORK/m.db-wal $WORK/m.db-shm; cp $WORK/base.db $WORK/m.db" merged_log "${cmd[@]}"
  ((${#parts[@]} == 1)) || record import-reviews-parts "${#parts[@]}"
  rm -f "$WORK/m.db"*
  cp "$WORK/base.db" "$WORK/m.db"
  peak_mb import-reviews-mb "import-reviews" "${cmd[@]}"
  rm -f "${parts[@]}" "$WORK/r.csv" "$WORK/base.db"
  for p in m.db m.db-wal m.db-shm; do
    [[ -e $WORK/$p ]] && mv "$WORK/$p" "$WORK/s${p#m}"
  done
  return 0
}

recall_ops() {
  local db=$WORK/s.db r=("$BIN" --no-config)
  measure import-new "import of the $N-card TSV into a new database" "$(runs 10)" \
    "rm -f $WORK/i.db $WORK/i.db-wal $WORK/i.db-shm" added_all "${r[@]}" --db "$WORK/i.db" import "$WORK/c.tsv"
  measure import-deck-new "import --deck into a new database" "$(runs 10)" \
    "rm -f $WORK/i.db $WORK/i.db-wal $WORK/i.db-shm" added_all "${r[@]}" --db "$WORK/i.db" import "$WORK/c.tsv" --deck Synthetic
  # A used database: the same N cards already there (a re-import changes nothing) …
  measure import-again "re-import of the same TSV (all unchanged)" "$(runs 10)" \
    "" unchanged_all "${r[@]}" --db "$WORK/i.db" import "$WORK/c.tsv" --deck Synthetic
  peak_mb import-again-mb "import-again" "${r[@]}" --db "$WORK/i.db" import "$WORK/c.tsv" --deck Synthetic
  rm -f "$WORK"/i.db*
  peak_mb import-new-mb "import-new" "${r[@]}" --db "$WORK/i.db" import "$WORK/c.tsv"
  rm -f "$WORK"/i.db*
  # … and one holding another deck of N cards (the collection without its history).
  measure import-deck-used "import --deck into a database holding another N-card deck" "$(runs 10)" \
    "rm -f $WORK/w.db-wal $WORK/w.db-shm; cp $WORK/base.db $WORK/w.db" added_all \
    "${r[@]}" --db "$WORK/w.db" import "$WORK/c.tsv" --deck Second
  rm -f "$WORK"/w.db*
  merge_log "${r[@]}"

  measure next "open + first card (next --json)" "$(runs 30)" "" has_card "${r[@]}" --db "$db" next --json
  ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["card"]["id"])' "$WORK/out")
  measure answer "one answer (answer, whole process)" "$(runs 30)" "" answered "${r[@]}" --db "$db" answer "$ID" 4
  measure stats "stats --format json (365 days)" "$(runs 10)" "" has_reviews "${r[@]}" --db "$db" stats --format json
  peak_mb next-mb "next" "${r[@]}" --db "$db" next --json
  peak_mb answer-mb "answer" "${r[@]}" --db "$db" answer "$ID" 5
  peak_mb stats-mb "stats" "${r[@]}" --db "$db" stats --format json
  # The first text search after a bulk import indexes the text (once): timed as the one run it is.
  echo "  \$ $(shown "${r[@]}" --db "$db" cards pomme --limit 50 --json)"
  once found_cards "${r[@]}" --db "$db" cards pomme --limit 50 --json
  echo "  first text search after the import (indexes the text): $ONCE_MS ms (one run)"
  record search-first "$ONCE_MS"
  measure search-word "search a word, first page (cards pomme --limit 50)" "$(runs 20)" "" found_cards \
    "${r[@]}" --db "$db" cards pomme --limit 50 --json
  measure search-due "search a filter, first page (cards is:due --limit 50)" "$(runs 20)" "" found_cards \
    "${r[@]}" --db "$db" cards is:due --limit 50 --json
  tui tui-review "TUI review, first card on screen" "no. " "${r[@]}" --db "$db" review --deck Synthetic
  # `recall` itself: the home screen, every deck with today's counts.
  tui tui-home "TUI home screen on screen" "Synthetic" "${r[@]}" --db "$db"
}

anki_ops() {
  local a=("$ANKI_PY" benches/anki_side.py) dir=$WORK/anki s e n
  local col=$dir/s.anki2
  mkdir "$dir"
  echo "  Anki $ANKI_VERSION: building a collection with the same cards, states and history"
  echo "  \$ $(shown "${a[@]}" build "$col" "$WORK/c.tsv" Synthetic "$WORK/s.db" "$RECALL_NOW")"
  s=$(date +%s)
  once anki_built "${a[@]}" build "$col" "$WORK/c.tsv" Synthetic "$WORK/s.db" "$RECALL_NOW"
  e=$(date +%s)
  sed 's/^/  /' "$WORK/out"
  echo "  (built in $((e - s)) s)"
  rm -f "$WORK"/s.db* # read by no later step: a million cards' database is 1.1 GB
  n=$(runs 5)
  measure anki-import "Anki: import of the TSV into a new collection (whole process)" "$n" \
    "rm -rf $dir/i; mkdir $dir/i" anki_imported "${a[@]}" import "$dir/i/i.anki2" "$WORK/c.tsv" Synthetic --log "$WORK/anki.log"
  anki_in_process anki-import-in "Anki: the import call (in-process)" "$n"
  rm -rf "$dir/i"
  n=$(runs 10)
  measure anki-first "Anki: open + first card of the queue (whole process)" "$n" "" anki_first \
    "${a[@]}" first "$col" --log "$WORK/anki.log"
  anki_in_process anki-first-in "Anki: open + get_queued_cards (in-process)" "$n"
  n=$(runs 5)
  measure anki-stats "Anki: statistics, 365 days (whole process)" "$n" "" anki_stats \
    "${a[@]}" stats "$col" --log "$WORK/anki.log"
  anki_in_process anki-stats-in "Anki: open + graphs (in-process)" "$n"
  disk_mark
  rm -rf "$dir"
}
anki_built() { grep -q "anki: built" "$1"; }

echo "# bash benches/whole-process.sh ${SIZES[*]}"
machine
# The most the temp dir holds is ~2.3 kB a card (2.2 GB at a million: the TSV, the collection
# without history, the log in parts and the merged database); stop now rather than mid-run.
need_mb=$(printf '%s\n' "${SIZES[@]}" | sort -n | tail -1 | awk '{printf "%d", $1 * 2.5 / 1000 + 50}')
free_mb=$(df -m --output=avail "$WORK" | tail -1 | tr -d ' ')
((free_mb >= need_mb)) || die "$WORK has $free_mb MB free; N = ${SIZES[*]} needs about $need_mb MB (BENCH_TMP=DIR for another place)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for N in "${SIZES[@]}"; do
  echo
  echo "== N = $N cards"
  # The collection without its history; the history is merged into it by `import --reviews`,
  # a timed step whose result is the database the other steps read.
  synth=("$SYNTH" --cards "$N" --reviews-per-card 10 --today "$RECALL_NOW"
    --db-without-log "$WORK/base.db" --tsv "$WORK/c.tsv" --reviews-csv "$WORK/r.csv")
  echo "  \$ $(shown "${synth[@]}")"
  once synth_done "${synth[@]}"
  sed 's/^/  /' "$WORK/err"
  ANSWERS=$(sed -n 's/^synth: [0-9]* cards, \([0-9]*\) reviews$/\1/p' "$WORK/err")
  echo "  (synth took $ONCE_MS ms)"
  disk_mark
  recall_ops
  [[ -n $ANKI_VERSION ]] && anki_ops
  rm -f "$WORK"/s.db* "$WORK/c.tsv"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "disk used at most: $DISK_PEAK MB in $WORK"
echo
python3 benches/bench_table.py "$RESULTS" "${SIZES[@]}"
