#!/usr/bin/env python3
"""recall's schema-18 collection (`collection.anki21b`) as the real Anki (26.9, the `anki`
PyPI package) sees it.

    /work/main/.venv-anki/bin/python tests/anki/schema18_check.py [--recall target/debug/recall]

The deck of tests/anki/export-deck.toml, studied in recall over a week (roundtrip.py's
scenario), goes out three ways in the current layout (`export deck --with-progress`,
`export all --with-progress`, `export all --format colpkg`) and once with `--legacy`
(schema 11). Then:
  1. the oracle's view (each package imported into a fresh Anki collection with its
     scheduling, every card as Anki renders it, with its review count) of the current
     package is the same as that of the legacy one: the same cards, shown the same;
  2. each package's `collection.anki21b`, decompressed, is opened directly as an Anki
     collection: `col.ver` is 18 before and after (Anki took it as it is, no upgrade),
     Anki reads recall's note types (fields, templates, kind), decks (levels, options group
     1) and options group (Anki's defaults), every card and review-log row is there, the
     oracle's view of it is that of the imported package, and Anki's check database finds
     nothing to fix and leaves the tags as they were.
Exits 1 and says what differs on a mismatch."""
import argparse
import shutil
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

import zstandard

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, "/work/shared/tools")
from anki_oracle import cards_of  # noqa: E402
from anki.collection import Collection  # noqa: E402
from roundtrip import (  # noqa: E402
    NAME, NOW, ROOT, check, finish, fresh_collection, import_package, recall, studied)

RECALL_TYPES = {
    "recall Basic": (0, ["Front", "Back", "Notes"], 1),
    "recall Basic (and reversed card)": (0, ["Front", "Back", "Notes"], 2),
    "recall Basic (type in the answer)": (0, ["Front", "Back", "Notes"], 1),
    "recall Cloze": (1, ["Text", "Back Extra", "Notes"], 1),
    "recall Cloze (type in the answer)": (1, ["Text", "Back Extra", "Notes"], 1),
}


def view(col):
    """The oracle's view of a collection: every card as Anki renders it, sorted."""
    return sorted((c["deck"], c["notetype"].rstrip("+"), c["ord"], c["question"], c["answer"],
                   c["suspended"], c["reviews"]) for c in cards_of(col))


def imported_view(tmp, package):
    col = fresh_collection(tmp, "i.anki2")
    import_package(col, package)
    seen = view(col)
    col.close()
    return seen


def schema_version(path):
    with sqlite3.connect(path) as db:
        return db.execute("select ver from col").fetchone()[0]


def opened_directly(tmp, package, label):
    """The package's collection.anki21b, decompressed, opened as Anki's collection."""
    with zipfile.ZipFile(package) as z:
        names = z.namelist()
        data = zstandard.ZstdDecompressor().stream_reader(z.read("collection.anki21b")).read()
    check(names[:3] == ["meta", "collection.anki21b", "collection.anki2"],
          f"{label}: the current layout ({', '.join(names[:4])})")
    path = Path(tempfile.mkdtemp(dir=tmp)) / "collection.anki2"
    path.write_bytes(data)
    with sqlite3.connect(path) as db:
        cards, revlog = (db.execute(f"select count() from {t}").fetchone()[0]
                         for t in ("cards", "revlog"))
        json_columns = db.execute("select models || decks || dconf || tags || conf from col"
                                  ).fetchone()[0]
    before = schema_version(path)
    check(before == 18 and json_columns == "",
          f"{label}: col.ver {before} as written, its JSON columns empty")
    col = Collection(str(path))
    check(col.db.scalar("select ver from col") == 18,
          f"{label}: Anki opens it as schema {col.db.scalar('select ver from col')}")
    types = {}
    for entry in col.models.all_names_and_ids():
        nt = col.models.get(entry.id)
        types[nt["name"]] = (nt["type"], [f["name"] for f in nt["flds"]], len(nt["tmpls"]))
    check(types == RECALL_TYPES, f"{label}: Anki reads the note types: {sorted(types)}")
    decks = {d.name: col.decks.get(d.id) for d in col.decks.all_names_and_ids()}
    check(NAME in decks and "Lang" in decks and all(d["conf"] == 1 for d in decks.values()),
          f"{label}: Anki reads the decks: {sorted(decks)}, each with options group 1")
    conf = col.decks.get_config(1)
    check(conf["new"]["perDay"] == 20 and conf["rev"]["perDay"] == 200
          and conf["new"]["delays"] == [1.0, 10.0] and conf["lapse"]["delays"] == [10.0],
          f"{label}: options group 1 as Anki's default: {conf['new']['perDay']} new, "
          f"{conf['rev']['perDay']} reviews a day, steps {conf['new']['delays']}")
    check(len(col.find_cards("")) == cards and col.db.scalar("select count() from revlog")
          == revlog, f"{label}: Anki finds the {cards} cards and {revlog} review-log rows")
    seen = view(col)
    tags = col.db.all("select tag, collapsed, config from tags order by tag")
    problems, ok = col.fix_integrity()
    check(ok, f"{label}: Anki's check database finds nothing to fix"
          + ("" if ok else f": {problems!r}"))
    again = col.db.all("select tag, collapsed, config from tags order by tag")
    check(tags == again and tags, f"{label}: and registers the {len(tags)} tags as recall did")
    col.close()
    return seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recall", default=str(ROOT / "target/debug/recall"))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="recall-schema18-"))
    try:
        db = tmp / "studied.db"
        studied(args.recall, db)
        out = {name: tmp / name for name in ("deck.apkg", "legacy.apkg", "all.apkg",
                                             "all.colpkg")}
        recall(args.recall, db, NOW, "export", "deck", NAME, "--format", "apkg",
               "--with-progress", "--output", out["deck.apkg"])
        recall(args.recall, db, NOW, "export", "deck", NAME, "--format", "apkg",
               "--with-progress", "--legacy", "--output", out["legacy.apkg"])
        recall(args.recall, db, NOW, "export", "all", "--format", "apkg", "--with-progress",
               "--output", out["all.apkg"])
        recall(args.recall, db, NOW, "export", "all", "--format", "colpkg",
               "--output", out["all.colpkg"])

        legacy = imported_view(tmp, out["legacy.apkg"])
        current = imported_view(tmp, out["deck.apkg"])
        check(current == legacy and len(current) == 7,
              f"schema 18 and schema 11 imported: the same {len(current)} cards, shown the "
              f"same, with their review counts ({sum(c[-1] for c in current)} answers)")
        for name in ("deck.apkg", "all.apkg", "all.colpkg"):
            direct = opened_directly(tmp, out[name], name)
            if name != "all.colpkg":
                imported = current if name == "deck.apkg" else imported_view(tmp, out[name])
                # The imported collection has Anki's own Default deck, empty, too.
                check(direct == imported, f"{name}: opened directly, Anki shows the "
                      f"{len(direct)} cards it shows when importing the package")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
