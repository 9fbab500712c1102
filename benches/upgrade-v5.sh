#!/usr/bin/env bash
# How long the upgrade to schema 5 (migrations/0005: ids never reused, a
# rebuild of decks, cards, reviews and review_days) takes on a large
# collection, and its peak memory.
#
#   bash benches/upgrade-v5.sh [CARDS] [REVIEWS_PER_CARD]   (default: 100000 8)
#
# examples/synth.rs builds the collection (current schema); its rows are
# copied into a database made by migrations 0001-0004 alone, as a version-4
# recall left it (Python's sqlite3), and `recall decks` upgrades that copy.
set -euo pipefail
cd "$(dirname "$0")/.."
CARDS=${1:-100000}
PER=${2:-8}
export RECALL_NOW=2026-03-01T09:00:00+00:00
cargo build --release --quiet --bin recall --example synth
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
./target/release/examples/synth --cards "$CARDS" --reviews-per-card "$PER" \
  --today "$RECALL_NOW" --db "$WORK/s.db" 2>&1 | sed 's/^/  /'
python3 - "$WORK/s.db" "$WORK/v4.db" <<'PY'
import sqlite3, sys
src, dst = sys.argv[1:3]
c = sqlite3.connect(dst, isolation_level=None)
for name in ["0001_init", "0002_review_days", "0003_deck_due_index", "0004_imported_answers"]:
    c.executescript(open(f"migrations/{name}.sql").read())
c.execute("PRAGMA application_id = 1380142156")  # 0x5243_4C4C, "RCLL"
c.execute("PRAGMA user_version = 4")
c.execute("ATTACH ? AS s", (src,))
c.execute("BEGIN")
c.execute("INSERT INTO decks SELECT id, name, description, created_at FROM s.decks")
cols = [r[1] for r in c.execute("PRAGMA main.table_info(cards)")]
c.execute(f"INSERT INTO cards ({','.join(cols)}) SELECT {','.join(cols)} FROM s.cards")
cols = [r[1] for r in c.execute("PRAGMA main.table_info(reviews)")]
c.execute(f"INSERT INTO reviews ({','.join(cols)}) SELECT {','.join(cols)} FROM s.reviews")
c.execute("COMMIT")
n = [c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("cards", "reviews", "review_days")]
print(f"  version-4 copy: {n[0]} cards, {n[1]} reviews, {n[2]} review_days rows")
c.execute("PRAGMA journal_mode = WAL")
PY
ls -l "$WORK/v4.db" | awk '{printf "  database: %.0f MB\n", $5/1048576}'
for keep in 0 7; do
  rm -rf "$WORK/m.db"* "$WORK/backups"
  cp "$WORK/v4.db" "$WORK/m.db"
  s=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$WORK/rss" ./target/release/recall --db "$WORK/m.db" \
    --keep-backups "$keep" decks >/dev/null
  e=$(date +%s%N)
  echo "  upgrade to v5 (--keep-backups $keep): $(((e - s) / 1000000)) ms, peak memory $(awk '{printf "%.1f MB", $1/1024}' "$WORK/rss")"
done
# The same command once upgraded: what the command costs without the upgrade.
s=$(date +%s%N)
./target/release/recall --db "$WORK/m.db" --keep-backups 0 decks >/dev/null
e=$(date +%s%N)
echo "  the same command on the upgraded database: $(((e - s) / 1000000)) ms"
