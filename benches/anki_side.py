#!/usr/bin/env python3
"""Anki's side of benches/whole-process.sh: the same operations on the same data, through
Anki's own Python library (its Rust backend, in-process), so that every ratio in README ›
Performance comes from one run on one machine.

Setup, once (in the checkout, or point ANKI_PY at another venv's python):

    python3 -m venv .venv-anki && .venv-anki/bin/pip install anki==26.9.3 zstandard

Commands (each a whole process, as whole-process.sh times them; `--log FILE` appends the
in-process milliseconds of the timed part to FILE, one line a run, for the in-process median):

    anki_side.py import COLLECTION TSV DECK [--log FILE]
        A new collection (COLLECTION must not exist) and Anki's CSV import of TSV into a new
        deck DECK with the Basic note type, Front and Back from the file's two columns: what
        File › Import does with the file's `#` headers. Timed in-process: the import call.
    anki_side.py first COLLECTION [--log FILE]
        Open the collection and take the first card of the queue (the current deck's; `build`
        selects DECK), as Anki's reviewer does. Timed in-process: open + get_queued_cards.
    anki_side.py stats COLLECTION [--log FILE]
        Open the collection and compute what the Statistics screen shows over 365 days (the
        backend's `graphs`, search "" = the whole collection, as `recall stats` covers every
        deck). Timed in-process: open + graphs.
    anki_side.py build COLLECTION TSV DECK RECALL_DB RECALL_NOW
        The collection `first` and `stats` read: the TSV imported as above, then each card's
        SM-2 state and its whole review log copied from recall's database RECALL_DB (the
        cards of examples/synth.rs, the same as the TSV's, and their log merged with
        `recall import --reviews`), so both programs hold the same cards in the same state
        with the same history. Anki has no importer for a foreign review log, so the
        rows are written with SQL into the collection Anki created (after closing it):
          - cards are matched by the number in their front ("no. 123" = recall's c0000123);
          - a scheduled card becomes a review card (type 2, queue 2) with recall's interval,
            e-factor (Anki's factor is the same permille), repetitions and lapses, due on the
            same day relative to today; a suspended one gets queue -1; new cards stay new;
          - every recall review becomes one revlog row: grade 0-2 → Again, 3 → Hard,
            4 → Good, 5 → Easy; a re-drill is a relearning step (type 2), a card's first
            answer a learning one (type 0), the rest reviews (type 1); interval before/after,
            e-factor and answer time as recall logged them;
          - RECALL_NOW is the synthetic "now", Anki's clock is the machine's: every date is
            moved by the same whole number of days, so today's due cards and the last 365 days
            of history are the same days for both.
        Prints the counts (cards, scheduled, due today, revlog rows) for the caller to check.

Exit status 1 with a message naming the collection when a step fails or does no work (no card
imported, an empty queue, no review in the statistics).
"""
import argparse
import datetime
import os
import re
import sqlite3
import sys
import time

from anki.collection import Collection
from anki.import_export_pb2 import ImportCsvRequest

MS_PER_DAY = 86_400_000


def fail(message):
    print(f"anki_side.py: {message}", file=sys.stderr)
    sys.exit(1)


def log_ms(path, ms):
    if path:
        with open(path, "a") as f:
            f.write(f"{ms:.3f}\n")


def import_tsv(col, tsv, deck):
    """Anki's CSV import of TSV into the new deck DECK as Basic notes; returns the notes added."""
    meta = col.get_csv_metadata(tsv, None)  # reads the file's #separator/#html/#columns lines
    meta.deck_name = deck
    meta.global_notetype.id = col.models.by_name("Basic")["id"]
    del meta.global_notetype.field_columns[:]
    meta.global_notetype.field_columns.extend([1, 2])
    result = col.import_csv(ImportCsvRequest(path=tsv, metadata=meta))
    return len(result.log.new)


def cmd_import(args):
    if os.path.exists(args.collection):
        fail(f"{args.collection}: exists; `import` wants a new collection")
    col = Collection(args.collection)
    start = time.perf_counter()
    added = import_tsv(col, args.tsv, args.deck)
    ms = (time.perf_counter() - start) * 1000
    col.close()
    if added == 0:
        fail(f"{args.collection}: Anki imported no note from {args.tsv}")
    log_ms(args.log, ms)
    print(f"anki: {added} notes imported into {args.deck!r} in {ms:.1f} ms (in-process)")


def cmd_first(args):
    start = time.perf_counter()
    col = Collection(args.collection)
    queued = col.sched.get_queued_cards(fetch_limit=1)
    ms = (time.perf_counter() - start) * 1000
    cards = list(queued.cards)
    if not cards:
        col.close()
        fail(f"{args.collection}: the queue is empty")
    print(f"anki: first card {cards[0].card.id} ({queued.review_count} reviews,"
          f" {queued.new_count} new due) in {ms:.1f} ms (in-process)")
    col.close()
    log_ms(args.log, ms)


def cmd_stats(args):
    start = time.perf_counter()
    col = Collection(args.collection)
    graphs = col._backend.graphs(search="", days=365)
    ms = (time.perf_counter() - start) * 1000
    col.close()
    answers = sum(r.learn + r.relearn + r.young + r.mature + r.filtered
                  for r in graphs.reviews.count.values())
    if answers == 0:
        fail(f"{args.collection}: the statistics count no review in 365 days")
    log_ms(args.log, ms)
    print(f"anki: statistics over 365 days, {answers} answers, in {ms:.1f} ms (in-process)")


def recall_today(now):
    """recall's study day of RECALL_NOW (days since 1970-01-01, the day starting at 04:00)."""
    local = datetime.datetime.fromisoformat(now) - datetime.timedelta(hours=4)
    return (local.date() - datetime.date(1970, 1, 1)).days


def anki_ease(grade):
    return 1 if grade <= 2 else grade - 1


def revlog_type(kind, reps_before):
    if kind == 1:
        return 2  # a re-drill: a relearning step
    return 0 if reps_before == 0 else 1


def cmd_build(args):
    if os.path.exists(args.collection):
        fail(f"{args.collection}: exists; `build` wants a new collection")
    col = Collection(args.collection)
    added = import_tsv(col, args.tsv, args.deck)
    did = col.decks.id_for_name(args.deck)
    col.decks.select(did)
    shift = col.sched.today - recall_today(args.now)  # Anki's day number minus recall's
    anki_day = datetime.datetime.now() - datetime.timedelta(hours=4)  # Anki's default rollover
    anki_epoch_day = (anki_day.date() - datetime.date(1970, 1, 1)).days
    day_shift_ms = (anki_epoch_day - recall_today(args.now)) * MS_PER_DAY
    today = col.sched.today
    col.close()

    src = sqlite3.connect(f"file:{args.recall_db}?mode=ro", uri=True)
    deck_id = src.execute("SELECT id FROM decks WHERE name = ?", (args.deck,)).fetchone()
    if deck_id is None:
        fail(f"{args.recall_db}: no deck named {args.deck!r}")
    number = re.compile(r"no\. (\d+)")
    dst = sqlite3.connect(args.collection)
    anki_card = {}  # recall's card key → Anki's card id
    for cid, flds in dst.execute(
            "SELECT c.id, n.flds FROM cards c JOIN notes n ON n.id = c.nid WHERE c.did = ?", (did,)):
        m = number.search(flds.split("\x1f", 1)[0])
        if m:
            anki_card[f"c{int(m.group(1)):07d}"] = cid
    if len(anki_card) != added:
        fail(f"{args.collection}: {added} notes imported but {len(anki_card)} matched by number")

    states, recall_id = [], {}
    for rid, key, reps, ef, ivl, due, lapses, suspended in src.execute(
            "SELECT id, key, repetitions, efactor, interval, due, lapses, suspended"
            " FROM cards WHERE deck_id = ?", deck_id):
        cid = anki_card.get(key)
        if cid is None:
            fail(f"{args.collection}: recall's card {key} is not in Anki's deck")
        recall_id[rid] = cid
        if due is not None:
            queue = -1 if suspended else 2
            states.append((queue, due + shift, ivl, ef, reps, lapses, cid))
    dst.executemany("UPDATE cards SET type = 2, queue = ?, due = ?, ivl = ?, factor = ?,"
                    " reps = ?, lapses = ?, mod = 0, usn = -1 WHERE id = ?", states)

    def revlog():  # streamed: a million cards have ~8 M answers
        last = 0
        for rid, at, grade, kind, ms, reps_before, ivl_before, ivl_after, ef_after in src.execute(
                "SELECT r.card_id, r.reviewed_at, r.grade, r.kind, r.duration_ms, r.reps_before,"
                " r.interval_before, r.interval_after, r.ef_after FROM reviews r"
                " JOIN cards c ON c.id = r.card_id WHERE c.deck_id = ? ORDER BY r.reviewed_at",
                deck_id):
            # revlog's id is the answer's time in ms and must be unique: two cards answered in
            # the same second of the synthetic log take the next free millisecond.
            last = max(at + day_shift_ms, last + 1)
            yield (last, recall_id[rid], -1, anki_ease(grade), ivl_after, ivl_before, ef_after,
                   min(ms, 60_000), revlog_type(kind, reps_before))

    dst.executemany("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog())
    dst.commit()
    answers = dst.execute("SELECT count() FROM revlog").fetchone()[0]
    logged = src.execute("SELECT count() FROM reviews r JOIN cards c ON c.id = r.card_id"
                         " WHERE c.deck_id = ?", deck_id).fetchone()[0]
    if answers != logged:
        fail(f"{args.collection}: {answers} revlog rows for recall's {logged} answers")
    due_anki = dst.execute("SELECT count() FROM cards WHERE did = ? AND queue = 2 AND due <= ?",
                           (did, today)).fetchone()[0]
    due_recall = src.execute("SELECT count() FROM cards WHERE deck_id = ? AND due <= ?"
                             " AND suspended = 0", (deck_id[0], recall_today(args.now))).fetchone()[0]
    dst.close()
    if due_anki != due_recall:
        fail(f"{args.collection}: {due_anki} cards due in Anki, {due_recall} in recall")
    print(f"anki: built {args.collection}: {added} cards, {len(states)} scheduled,"
          f" {due_anki} due today (recall: {due_recall}), {answers} revlog rows")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    for name, extra in (("import", ["tsv", "deck"]), ("first", []), ("stats", []),
                        ("build", ["tsv", "deck", "recall_db", "now"])):
        s = sub.add_parser(name)
        s.add_argument("collection")
        for arg in extra:
            s.add_argument(arg)
        if name != "build":
            s.add_argument("--log")
    args = p.parse_args()
    {"import": cmd_import, "first": cmd_first, "stats": cmd_stats, "build": cmd_build}[args.command](args)


if __name__ == "__main__":
    main()
