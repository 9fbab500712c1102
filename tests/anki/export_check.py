#!/usr/bin/env python3
"""What the real Anki (26.9, the `anki` PyPI package) makes of `recall export deck --format apkg`.

    /work/main/.venv-anki/bin/python tests/anki/export_check.py [--recall target/debug/recall]
        [--fixture tests/fixtures/anki/recall-export-by-anki.apkg]

Imports tests/anki/export-deck.toml into a scratch recall database, exports the deck
as an Anki package, imports that into a fresh Anki collection and checks, card by card:
  - every recall card is there once, in the same deck, with Anki's question and answer the
    front and back recall shows (as text, through the oracle's HTML-to-text, which collapses
    runs of spaces; preformatted text is also checked character for character in the HTML);
  - the tags are the card's tags;
  - a second export (another day, after a card's back was edited in recall) imported into the
    same collection updates the notes: the GUIDs are the same, no note or card is added, and
    Anki shows the edited back;
  - `export all` of that database (the bundled decks too) gives each Anki deck the cards
    recall has in it, as text;
  - `export all --format anki-txt` of it, after one card was edited in recall, imported into
    that collection (the package first: it brings recall's note types) updates by GUID:
    no note added, the edited one updated, every other unchanged, each deck still as recall
    shows it;
  - a cloze text with typed answers goes out as one note of recall's typed cloze type: Anki
    shows its cards as recall does, the box on the front, and on the back, where Anki's
    reviewer puts the comparison, once, with the deletion to type as Anki expects it.
With --fixture, the Anki collection holding the first export is exported again by Anki's own
exporter to that file (the regression fixture `cargo test` reads back). Exits 1 and says what differs on a mismatch."""
import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, "/work/shared/tools")
from anki_oracle import cards_of, text  # noqa: E402
from anki.collection import (  # noqa: E402
    Collection, ExportAnkiPackageOptions, ImportAnkiPackageRequest, ImportCsvRequest)
from anki.import_export_pb2 import ImportAnkiPackageOptions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DECK = ROOT / "tests/anki/export-deck.toml"
NAME = "Lang::French"
EDITED = "true & false, edited"


def recall(binary, db, now, *args):
    env = dict(os.environ, RECALL_DB=str(db), RECALL_NOW=now, NO_COLOR="1")
    return subprocess.run([binary, *args], env=env, check=True, capture_output=True,
                          text=True).stdout


def import_into(col, path):
    return col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)))


def shown(card):
    """A recall card's (front, back) as the oracle's text() gives Anki's."""
    return tuple(text(html.escape(card[s]).replace("\n", "<br>")) for s in ("front", "back"))


def check_all(binary, db, tmp):
    """`export all`: every deck of the database (the bundled decks too) in one package; each
    Anki deck has the cards recall has in the deck of that name, as text. Then the same
    decks as one text file (`--format anki-txt`), after an edit in recall, imported over it."""
    out = tmp / "all.apkg"
    recall(binary, db, "2026-12-01T12:00:00Z",
           "export", "all", "--format", "apkg", "--output", str(out))
    col = Collection(str(tmp / "all.anki2"))
    import_into(col, out)
    problems = same_decks(binary, db, col, "export all")
    notes = col.note_count()
    # One back edited in recall (a bundled deck's card), then every deck as text.
    edited = tmp / "rds.toml"
    edited.write_text(recall(binary, db, "2026-12-01T12:00:00Z",
                             "export", "deck", "AWS · RDS", "--format", "toml")
                      .replace('back = "', f'back = "{EDITED}: ', 1))
    recall(binary, db, "2026-12-02T12:00:00Z", "import", "--deck", "AWS · RDS", str(edited))
    txt = tmp / "all.txt"
    txt.write_text(recall(binary, db, "2026-12-02T12:00:00Z",
                          "export", "all", "--format", "anki-txt"))
    metadata = col.get_csv_metadata(path=str(txt), delimiter=None)
    log = col.import_csv(ImportCsvRequest(path=str(txt), metadata=metadata)).log
    print(f"export all --format anki-txt: {len(log.new)} new, {len(log.updated)} updated, "
          f"{len(log.duplicate)} unchanged, {len(log.missing_notetype)} without a note type "
          f"(Anki had {notes} notes)")
    if len(log.new) or len(log.updated) != 1 or len(log.duplicate) != notes - 1 \
            or col.note_count() != notes:
        problems.append("export all --format anki-txt did not update exactly the edited note")
    problems += same_decks(binary, db, col, "export all --format anki-txt")
    col.close()
    return problems


TYPED_CLOZE = """name = "Typed"
[[cards]]
id = "capital"
type = true
front = "{{c1::Paris}} is the capital of {{c2::France}}"
back = "Since 508."
"""


def check_typed_cloze(binary, tmp):
    db = tmp / "typed.db"
    deck = tmp / "typed.toml"
    deck.write_text(TYPED_CLOZE)
    recall(binary, db, "2026-12-01T12:00:00Z", "import", str(deck))
    out = tmp / "typed.apkg"
    recall(binary, db, "2026-12-01T12:00:00Z",
           "export", "deck", "Typed", "--format", "apkg", "--output", str(out))
    mine = json.loads(recall(binary, db, "2026-12-01T12:00:00Z",
                             "export", "deck", "Typed", "--format", "json"))["cards"]
    col = Collection(str(tmp / "typed.anki2"))
    import_into(col, out)
    problems = []
    shown_by_anki = sorted((c["question"], c["answer"]) for c in cards_of(col))
    if shown_by_anki != sorted(shown(c) for c in mine) or col.note_count() != 1:
        problems.append(f"typed cloze: Anki shows {shown_by_anki} in {col.note_count()} notes")
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        answer = card.answer()
        expected = col.extract_cloze_for_typing(card.note()["Text"], card.ord + 1)
        if (card.note_type()["name"] != "recall Cloze (type in the answer)"
                or "[[type:cloze:Text]]" not in card.question()
                or answer.count("[[type:cloze:Text]]") != 1
                or answer.index("[[type:cloze:Text]]") > answer.index("<hr id=answer>")
                or expected != ["Paris", "France"][card.ord]):
            problems.append(f"typed cloze: card {card.ord + 1} is not typed as Anki types")
    print(f"typed cloze: {len(shown_by_anki)} cards in {col.note_count()} note, each as recall "
          f"shows it, the box on the front and its comparison on the back")
    col.close()
    return problems


def same_decks(binary, db, col, label):
    """Each Anki deck (but Default) against the recall deck of that name, as text."""
    anki = {}
    for c in cards_of(col):
        anki.setdefault(c["deck"], []).append((c["question"], c["answer"]))
    problems, total = [], 0
    for deck, got in sorted(anki.items()):
        if deck == "Default":
            continue
        # recall finds "AWS · RDS" by the name Anki has for it, "AWS::RDS".
        mine = json.loads(recall(binary, db, "2026-12-02T12:00:00Z",
                                 "export", "deck", deck, "--format", "json"))["cards"]
        total += len(mine)
        if sorted(got) != sorted(shown(c) for c in mine):
            problems.append(f"{label}: deck {deck!r} differs: {len(got)} Anki cards, "
                            f"{len(mine)} recall cards")
    print(f"{label}: {total} cards in {len(anki)} decks, each as recall shows it")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recall", default=str(ROOT / "target/debug/recall"))
    ap.add_argument("--fixture")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="recall-export-check-"))
    db = tmp / "recall.db"
    recall(args.recall, db, "2026-12-01T12:00:00Z", "import", str(DECK))
    mine = json.loads(recall(args.recall, db, "2026-12-01T12:00:00Z",
                             "export", "deck", NAME, "--format", "json"))["cards"]
    first, second = tmp / "1.apkg", tmp / "2.apkg"
    recall(args.recall, db, "2026-12-01T12:00:00Z",
           "export", "deck", NAME, "--format", "apkg", "--output", str(first))
    # The second export comes after an edit in recall: Anki must take the new text.
    edited = tmp / "edited.toml"
    edited.write_text(DECK.read_text().replace('back = "true & false"', f'back = "{EDITED}"'))
    recall(args.recall, db, "2027-03-04T05:06:07Z", "import", "--deck", NAME, str(edited))
    recall(args.recall, db, "2027-03-04T05:06:07Z",
           "export", "deck", NAME, "--format", "apkg", "--output", str(second))

    col = Collection(str(tmp / "collection.anki2"))
    problems = []
    import_into(col, first)
    anki = cards_of(col)
    # (guid, ord) -> Anki's card, for its tags and its raw HTML.
    raw = {(col.get_card(i).note().guid, col.get_card(i).ord): col.get_card(i)
           for i in col.find_cards("")}
    by_text = {}
    for c in anki:
        by_text.setdefault((c["question"], c["answer"]), []).append(c)
    for card in mine:
        key = shown(card)
        found = by_text.get(key, [])
        if len(found) != 1:
            problems.append(f"{card['id']}: {len(found)} Anki cards show {key!r}")
            continue
        c = found[0]
        if c["deck"] != NAME:
            problems.append(f"{card['id']}: in deck {c['deck']!r}")
        anki_card = raw[(c["guid"], c["ord"])]
        note = anki_card.note()
        if sorted(note.tags) != sorted(card.get("tags", [])):
            problems.append(f"{card['id']}: tags {note.tags} for {card.get('tags', [])}")
        for side in ("front", "back"):
            if card[side].startswith((" ", "\t")) or "\n " in card[side] or "─" in card[side]:
                answer_html = html.unescape(anki_card.answer())
                if card[side] not in answer_html:
                    problems.append(f"{card['id']}: {side} not shown verbatim in <pre>")
    if len(anki) != len(mine):
        problems.append(f"Anki has {len(anki)} cards, recall {len(mine)}")
    if args.fixture:
        # The first export as Anki keeps it, before the second brings the edit.
        col.export_anki_package(out_path=str(Path(args.fixture).resolve()),
                                options=ExportAnkiPackageOptions(with_scheduling=False,
                                                                 with_media=False),
                                limit=None)
        print(f"wrote {args.fixture} with Anki's exporter")
    notes_before = col.note_count()
    log = import_into(col, second).log
    if col.note_count() != notes_before or len(log.new) or len(cards_of(col)) != len(anki):
        problems.append(f"a second export added notes: {len(log.new)} new, "
                        f"{col.note_count()} notes (was {notes_before})")
    if not any(c["answer"] == EDITED for c in cards_of(col)):
        problems.append(f"the edited back {EDITED!r} is not in Anki after the second import")
    print(f"recall: {len(mine)} cards; Anki: {len(anki)} cards in {notes_before} notes "
          f"({', '.join(sorted({c['notetype'] for c in anki}))}); second export: "
          f"{len(log.new)} new, {len(log.updated)} updated, {len(log.duplicate)} unchanged")
    problems += check_all(args.recall, db, tmp)
    problems += check_typed_cloze(args.recall, tmp)
    col.close()
    for p in problems:
        print("MISMATCH", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
