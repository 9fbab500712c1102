#!/usr/bin/env python3
"""recall's FSRS optimizer against Anki's, on the same review history (issue 18).

One command (from the checkout; ANKI_PY or .venv-anki's python, anki==26.9.3):

    /work/main/.venv-anki/bin/python benches/fsrs_vs_anki.py [--cards N] [--seed S]

1. builds recall and examples/synth.rs (release), and with synth a recall database of N cards
   (default 2000, seed 42, about 10 answers each) whose log is merged with
   `recall import --reviews`, at RECALL_NOW (default 2026-12-01T12:00:00+00:00);
2. builds an Anki collection holding the same history: the cards imported from synth's TSV as
   benches/anki_side.py imports them, and every recall answer as one revlog row (grade 0-2 →
   Again, 3 → Hard, 4 → Good, 5 → Easy; a card's answers on its first day are learning
   entries, later same-day re-drills relearning entries, the rest reviews), dates moved by a
   whole number of days so each answer falls on the same study day for both (rollover 04:00,
   the machine's time zone taken as UTC: run with TZ=UTC);
3. runs Anki's optimizer (`col.backend.compute_fsrs_params`, search deck:Synthetic, the
   default parameters as the current ones, one relearning step, no health check) and
   `recall fsrs optimize --deck Synthetic --json`;
4. prints both vectors, the difference per parameter and the largest one.

Anki keeps its current parameters when the fitted ones do not lower the log loss; recall
stores what the optimizer returns. The script says which happened.
"""
import argparse
import datetime
import json
import logging
import os
import sqlite3
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benches"))
import anki_side  # noqa: E402  (the TSV import and the day arithmetic, shared)

from anki.collection import Collection  # noqa: E402

DEFAULTS = [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
            0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658,
            0.1542]


def run(cmd, env=None):
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        anki_side.fail(f"{' '.join(cmd)}: {done.stderr.strip()}")
    return done.stdout


def build_recall(work, cards, seed, now):
    run(["cargo", "build", "--release", "--locked", "--quiet", "--bin", "recall",
         "--example", "synth"])
    db, tsv = os.path.join(work, "recall.db"), os.path.join(work, "cards.tsv")
    env = dict(os.environ, RECALL_NOW=now)
    run([os.path.join(ROOT, "target/release/examples/synth"), "--cards", str(cards),
         "--seed", str(seed), "--today", now, "--db", db, "--tsv", tsv], env)
    return db, tsv


def revlog_kind(first_day, day, redrill):
    if day == first_day:
        return 0  # learning: the new card's first day
    return 2 if redrill else 1  # relearning step, or review


def build_anki(work, db, tsv, now):
    path = os.path.join(work, "collection.anki2")
    col = Collection(path)
    added = anki_side.import_tsv(col, tsv, "Synthetic")
    did = col.decks.id_for_name("Synthetic")
    anki_day = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=4)
    shift_ms = ((anki_day.date() - datetime.date(1970, 1, 1)).days
                - anki_side.recall_today(now)) * anki_side.MS_PER_DAY
    col.close()
    dst = sqlite3.connect(path)
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    anki_card = {}
    for cid, flds in dst.execute(
            "SELECT c.id, n.flds FROM cards c JOIN notes n ON n.id = c.nid WHERE c.did = ?",
            (did,)):
        number = flds.split("\x1f", 1)[0].rsplit("no. ", 1)[-1]
        anki_card[f"c{int(number):07d}"] = cid
    if len(anki_card) != added:
        anki_side.fail(f"{path}: {added} notes but {len(anki_card)} matched by number")
    rows, first_day, last = [], {}, 0
    for key, at, day, grade, kind, ms, ivl_before, ivl_after, ef_after in src.execute(
            "SELECT c.key, r.reviewed_at, r.day, r.grade, r.kind, r.duration_ms,"
            " r.interval_before, r.interval_after, r.ef_after FROM reviews r"
            " JOIN cards c ON c.id = r.card_id ORDER BY r.reviewed_at, r.id"):
        cid = anki_card[key]
        first_day.setdefault(cid, day)
        last = max(at + shift_ms, last + 1)  # revlog ids are unique milliseconds
        rows.append((last, cid, -1, anki_side.anki_ease(grade), ivl_after, ivl_before,
                     ef_after, min(ms, 60_000), revlog_kind(first_day[cid], day, kind == 1)))
    dst.executemany("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    dst.commit()
    dst.close()
    return path, len(rows)


def anki_optimize(path):
    # The optimizer is reached through the backend (no Collection method
    # wraps it in 26.9); its warning about that is not ours to print.
    logging.getLogger("anki.collection").setLevel(logging.ERROR)
    col = Collection(path)
    try:
        out = col.backend.compute_fsrs_params(search="deck:Synthetic", current_params=DEFAULTS,
                                              ignore_revlogs_before_ms=0,
                                              num_of_relearning_steps=1, health_check=False)
    finally:
        col.close()
    return list(out.params), out.fsrs_items


def f32(x):
    """x rounded to the 32-bit float both optimizers compute in."""
    return struct.unpack("f", struct.pack("f", x))[0]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cards", type=int, default=2000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--now", default="2026-12-01T12:00:00+00:00")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as work:
        db, tsv = build_recall(work, args.cards, args.seed, args.now)
        path, answers = build_anki(work, db, tsv, args.now)
        anki, anki_items = anki_optimize(path)
        env = dict(os.environ, RECALL_NOW=args.now)
        mine = json.loads(run([os.path.join(ROOT, "target/release/recall"), "--db", db,
                               "--no-config", "fsrs", "optimize", "--deck", "Synthetic",
                               "--json"], env))
    print(f"history: examples/synth.rs --cards {args.cards} --seed {args.seed}, "
          f"{answers} answers, RECALL_NOW={args.now}")
    print(f"anki 26.9.3 compute_fsrs_params: {anki_items} items"
          + (" (kept its current = default parameters: the fit did not lower the log loss)"
             if anki == DEFAULTS else ""))
    print(f"recall fsrs optimize:            {mine['items']} items, {mine['reviews']} reviews")
    print(f"{'w':>4} {'anki':>10} {'recall':>10} {'recall - anki':>14}")
    worst = 0.0
    for i, (a, r) in enumerate(zip(anki, mine["params"])):
        worst = max(worst, abs(a - r))
        print(f"{i:>4} {a:>10.6f} {r:>10.6f} {r - a:>+14.2e}")
    same = sum(f32(a) == f32(r) for a, r in zip(anki, mine["params"]))
    print(f"largest difference: {worst:.2e}; equal as 32-bit floats (what both store): "
          f"{same} of {len(anki)}")


if __name__ == "__main__":
    main()
