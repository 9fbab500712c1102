#!/usr/bin/env python3
"""Round trips through the real Anki (26.9, the `anki` PyPI package) and recall.

    /work/main/.venv-anki/bin/python tests/anki/roundtrip.py [--recall target/debug/recall]
        [--fixtures tests/fixtures/anki] [CORPUS_FILE.apkg ...]

1. recall -> Anki -> recall: tests/anki/export-deck.toml is studied in a scratch recall
   database over a week (the scenario of tests/it/anki_export_progress.rs: answers on three
   days, a lapse and its re-drill, a suspended and a buried card), exported with
   `--with-progress` (the current layout), imported into a fresh Anki collection with its
   scheduling, checked there (Anki's statistics see the history: `prop:reps>0`, the revlog
   rows, each card's `ivl`, due day, ease, suspended/buried), exported again by Anki's own
   exporter (an .apkg with scheduling) and imported into a fresh recall database with
   `import --with-progress`: the same cards (front, back, tags), the same schedules (due,
   interval, ease, lapses, state) and the same review log (card, second, grade as Anki's
   button, kind, duration).
2. The same through a collection package (`export all --format colpkg`) that Anki opens as
   its collection, exported again by Anki as a .colpkg and read back by recall.
3. Anki -> recall -> Anki: each corpus package given (from ../shared/corpus, never committed)
   is imported into Anki (the oracle's view: every card as Anki renders it) and into recall
   with `--with-progress`; recall exports every deck with progress, Anki imports that, and
   every card Anki showed first must be there again: same deck, question and answer as text
   (as the reviewer shows them: `view`), with its pictures, and as many answers in Anki's
   log; a card with LaTeX comes back with the TeX as text, and is counted apart.
With --fixtures, Anki's own exports of part 1 and 2 are written there
(recall-progress-by-anki.apkg, recall-colpkg-by-anki.colpkg): the regression fixtures that
`cargo test` reads. Exits 1 and says what differs on a mismatch."""
import argparse
import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, "/work/shared/tools")
from anki_oracle import text  # noqa: E402
from anki._backend import RustBackend  # noqa: E402
from anki.collection import (  # noqa: E402
    Collection, ExportAnkiPackageOptions, ImportAnkiPackageRequest)
from anki.import_export_pb2 import ImportAnkiPackageOptions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DECK = ROOT / "tests/anki/export-deck.toml"
NAME = "Lang::French"
NOW = "2026-12-01T12:00:00Z"
FAILURES = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILURES.append(what)


def recall(binary, db, now, *args):
    env = dict(os.environ, RECALL_DB=str(db), RECALL_NOW=now, NO_COLOR="1")
    done = subprocess.run([binary, *map(str, args)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"recall {' '.join(map(str, args))} failed: {done.stderr}")
    return done.stdout


def studied(binary, db):
    """The scenario of tests/it/anki_export_progress.rs::studied."""
    recall(binary, db, "2026-11-20T10:00:00Z", "import", DECK)
    for day in (20, 21, 27):
        for key in ("compare", "chat", "chat:reverse", "capital:c1"):
            recall(binary, db, f"2026-11-{day}T10:00:00Z", "answer", key, "4", "--deck", NAME,
                   "--duration-ms", "3000")
    for at, grade in (("2026-11-28T10:00:00Z", "1"), ("2026-11-28T10:05:00Z", "3")):
        recall(binary, db, at, "answer", "compare", grade, "--deck", NAME, "--duration-ms", "3000")
    recall(binary, db, NOW, "suspend", f"{NAME}/chat:reverse")
    recall(binary, db, NOW, "bury", f"{NAME}/capital:c1")


def cards(binary, db, deck=NAME):
    """recall's cards of the deck by front: (key, state) where state is what must survive."""
    out = json.loads(recall(binary, db, NOW, "cards", f"deck:{deck}", "--json"))["cards"]
    return {c["front"]: (c["card_id"], (c["due"], c["interval_days"], c["efactor"], c["lapses"],
                                        c["state"])) for c in out}


def texts(binary, db, deck=NAME):
    out = json.loads(recall(binary, db, NOW, "export", "deck", deck, "--format", "json"))
    return sorted((c["front"], c["back"], c.get("notes", ""), tuple(sorted(c.get("tags", []))))
                  for c in out["cards"])


def review_log(binary, db):
    """(front, second, Anki button's grade, kind, duration) of every answer."""
    fronts = {key: front for front, (key, _) in cards(binary, db).items()}
    rows = csv.DictReader(io.StringIO(recall(binary, db, NOW, "export", "reviews",
                                             "--format", "csv")))
    button = {0: 1, 1: 1, 2: 1}
    return sorted((fronts[r["card"]], r["reviewed_at"][:19], button.get(int(r["grade"]),
                   int(r["grade"])), r["kind"], r["duration_ms"]) for r in rows)


def fresh_collection(tmp, name):
    return Collection(str(Path(tempfile.mkdtemp(dir=tmp)) / name))


def import_package(col, path):
    return col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False)))


def open_colpkg(tmp, path):
    d = Path(tempfile.mkdtemp(dir=tmp))
    RustBackend().import_collection_package(
        col_path=str(d / "collection.anki2"), backup_path=str(path),
        media_folder=str(d / "media"), media_db=str(d / "media.db"))
    return Collection(str(d / "collection.anki2"))


def anki_sees(col, binary, db, label):
    """What Anki's statistics see of the studied deck, against recall's own numbers."""
    mine = cards(binary, db)
    reviews = len(review_log(binary, db))
    studied_cards = sum(1 for _, s in mine.values() if s[0] is not None)
    check(len(col.find_cards("prop:reps>0")) == studied_cards,
          f"{label}: Anki finds {len(col.find_cards('prop:reps>0'))} cards with reps>0, "
          f"recall studied {studied_cards}")
    n = col.db.scalar("select count() from revlog")
    check(n == reviews, f"{label}: Anki's revlog has {n} rows, recall's log {reviews} answers")
    today = col.sched.today
    for cid in col.find_cards(f'"deck:{NAME}"'):
        card = col.get_card(cid)
        front = text(card.question())
        match = [s for f, (_, s) in mine.items() if text(html.escape(f)) == front]
        if not match or match[0][0] is None:
            continue
        due, ivl, ef, lapses, state = match[0]
        # Anki counts from its own today (the real clock: it shifts an imported card's due
        # days by the day count between the two collections, taken now), recall's due is a date.
        days = (_date(due) - anki_today()).days
        ok = (card.ivl == ivl and card.due - today == days and card.factor == round(ef * 1000)
              and card.lapses == lapses
              and (state != "suspended" or card.queue == -1)
              and (state != "buried" or card.queue == -3))
        check(ok, f"{label}: {front[:24]!r}: Anki ivl {card.ivl}, due in {card.due - today} d, "
                  f"factor {card.factor}, lapses {card.lapses}, queue {card.queue}; recall "
                  f"{ivl} d, due in {days} d, EF {ef}, {lapses}, {state}")


def _date(day):
    return date.fromisoformat(day)


def anki_today():
    """The local date whose study day it is for Anki now (its day starts at 04:00)."""
    return (datetime.now() - timedelta(hours=4)).date()


def recall_anki_recall(binary, tmp, fixtures):
    db = tmp / "studied.db"
    studied(binary, db)
    apkg = tmp / "progress.apkg"
    recall(binary, db, NOW, "export", "deck", NAME, "--format", "apkg", "--with-progress",
           "--output", apkg)
    col = fresh_collection(tmp, "a.anki2")
    import_package(col, apkg)
    anki_sees(col, binary, db, "apkg in Anki")
    back = tmp / "by-anki.apkg"
    col.export_anki_package(out_path=str(back), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False))
    col.close()
    compare_back(binary, db, tmp, back, "apkg -> Anki -> apkg")
    if fixtures:
        shutil.copy(back, fixtures / "recall-progress-by-anki.apkg")

    colpkg = tmp / "all.colpkg"
    recall(binary, db, NOW, "export", "all", "--format", "colpkg", "--output", colpkg)
    col = open_colpkg(tmp, colpkg)
    anki_sees(col, binary, db, "colpkg in Anki")
    back = tmp / "by-anki.colpkg"
    col.export_collection_package(str(back), include_media=False, legacy=False)
    compare_back(binary, db, tmp, back, "colpkg -> Anki -> colpkg")
    if fixtures:
        # Only the studied deck: the bundled decks would make the fixture ten times larger.
        col = open_colpkg(tmp, back)
        for deck in col.decks.all_names_and_ids():
            if not deck.name.startswith("Lang") and deck.name != "Default":
                col.decks.remove([deck.id])
        col.fix_integrity()  # and vacuums: the removed decks' pages go
        col.export_collection_package(str(fixtures / "recall-colpkg-by-anki.colpkg"),
                                      include_media=False, legacy=False)


def compare_back(binary, db, tmp, package, label):
    other = Path(tempfile.mkdtemp(dir=tmp)) / "back.db"
    said = recall(binary, other, NOW, "import", package, "--with-progress")
    print(f"     recall: {said.strip()}")
    check(texts(binary, other) == texts(binary, db), f"{label}: the same cards "
          f"({len(texts(binary, db))}: fronts, backs, notes, tags)")
    mine, theirs = cards(binary, db), cards(binary, other)
    diff = [(f, s[1], theirs.get(f, (None, None))[1]) for f, s in mine.items()
            if theirs.get(f, (None, None))[1] != s[1]]
    check(not diff, f"{label}: the same schedules (due, interval, EF, lapses, state)"
          + "".join(f"\n       {f!r}: recall {a}, back {b}" for f, a, b in diff))
    a, b = review_log(binary, db), review_log(binary, other)
    check(a == b, f"{label}: the same review log ({len(a)} answers: card, second, grade "
          f"as Anki's button, kind, duration)"
          + "".join(f"\n       - {x}" for x in sorted(set(a) - set(b)))
          + "".join(f"\n       + {x}" for x in sorted(set(b) - set(a))))


def shown(col):
    """Every card as Anki's reviewer shows it (deck, question, answer as text, `view`), with
    how many answers its log has: rows with a button pressed (ease > 0). Rows without one
    (Anki's manual reschedules, type 4) record no answer, and recall's importer leaves them
    out. The oracle's `cards_of`, but where its text is not what the reviewer shows: a type
    box on the back is the reviewer's correct answer (`typed`), and the HTML is read as a
    browser reads it (`view`)."""
    answers = dict(col.db.all("select cid, count() from revlog where ease > 0 group by cid"))
    out = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        answer = card.answer()
        back = answer.split("<hr id=answer>", 1)[1] if "<hr id=answer>" in answer else answer
        out.append((col.decks.name(card.did), view(TYPE_BOX.sub("", card.question())),
                    view(TYPE_BOX.sub(lambda m: typed(col, card, *m.groups()), back)),
                    answers.get(cid, 0)))
    return out


TYPE_BOX = re.compile(r"\[\[type:((?:[a-z]+:)?)([^\]]*)\]\]")


def typed(col, card, filters, field):
    """The correct answer the reviewer shows for `{{type:FIELD}}`: the field, or with
    `type:cloze:` only this card's deletions (`aqt/reviewer.py`, through
    `extract_cloze_for_typing`; the oracle puts the whole field there, `{{c1::…}}` and all)."""
    note = card.note()
    if field not in note.keys():
        return ""
    if filters == "cloze:":
        return html.escape(col.extract_cloze_for_typing(note[field], card.ord + 1))
    return note[field]


PRE = re.compile(r"(<pre\b.*?</pre>)", re.S | re.I)
TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
CELL_BREAK = re.compile(r"(</t[dh]>)\s*(<t[dh][\s>])", re.I)
BR = re.compile(r"<br\s*/?>", re.I)


def view(card_html):
    """The text of a card's HTML as the reviewer (a browser) shows it, in the oracle's terms
    (`text`), with what the oracle's text gets wrong put right: a line break in the source
    is a space, but in a <pre>; a table reads as its rows, one a line, its cells apart by
    " | " (the oracle runs them together) and a <br> in a cell a space (the row stays one
    line: recall shows a table so, and writes that text to Anki); an HTML list's items are
    lines with no marker (recall's "• " dropped)."""
    parts = PRE.split(card_html)
    flowing = "".join(p if i % 2 else p.replace("\n", " ") for i, p in enumerate(parts))
    rows = TABLE.sub(lambda m: CELL_BREAK.sub(r"\1 | \2", BR.sub(" ", m.group(0))), flowing)
    return "\n".join(line.removeprefix("• ") for line in text(rows).split("\n"))


def has_latex(card):
    """Whether Anki shows LaTeX on the card: as a picture it renders (`latex-….png`, or its
    note that it cannot), where recall shows the TeX as text (`$…$`) and writes that text."""
    return any("[image: latex-" in side or "LaTeX image generation" in side
               for side in card[1:3])


def anki_recall_anki(binary, tmp, path):
    col = fresh_collection(tmp, "o.anki2")
    import_package(col, path)
    before = shown(col)
    col.close()
    db = Path(tempfile.mkdtemp(dir=tmp)) / "r.db"
    said = recall(binary, db, NOW, "import", path, "--with-progress")
    out = tmp / "out.apkg"
    recall(binary, db, NOW, "export", "all", "--format", "apkg", "--with-progress",
           "--force", "--output", out)
    col = fresh_collection(tmp, "b.anki2")
    import_package(col, out)
    decks = {c[0] for c in before}
    after = Counter(c for c in shown(col) if c[0] in decks)
    col.close()
    missing = Counter(before) - after
    # Pictures and sounds go along with recall's media; LaTeX goes back as its TeX.
    latex = sum(n for card, n in missing.items() if has_latex(card))
    other = {card: n for card, n in missing.items() if not has_latex(card)}
    kept = len(before) - sum(missing.values())
    answers = sum(c[3] for c in before)
    check(not other, f"{Path(path).name}: {kept} of {len(before)} cards Anki showed are there "
          f"again ({answers} answers in the log); {latex} with LaTeX back as TeX" + "".join(
              f"\n       missing {m!r:.300}" for m in list(other)[:3]))
    print(f"     recall: {said.strip()[:300]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recall", default=str(ROOT / "target/debug/recall"))
    ap.add_argument("--fixtures", type=Path)
    ap.add_argument("corpus", nargs="*")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="recall-roundtrip-"))
    try:
        recall_anki_recall(args.recall, tmp, args.fixtures)
        for path in args.corpus:
            anki_recall_anki(args.recall, tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish()


def finish():
    """Exits 1, saying how many checks failed, if any did."""
    if FAILURES:
        sys.exit(f"{len(FAILURES)} check(s) failed")


if __name__ == "__main__":
    main()
