#!/usr/bin/env python3
"""A synthetic Anki package in Anki 2.0's layout (schema 11) for timing `recall import`:
N/2 "Basic (and reversed card)" notes (two cards each, HTML fields, eight review-log answers
per card) and N/2 cloze notes (two deletions each). Python's standard library only.

    python3 benches/anki_package.py /tmp/big.apkg 50000
    /usr/bin/time recall import [--with-progress] /tmp/big.apkg
"""
import json
import os
import sqlite3
import sys
import tempfile
import zipfile


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "big.apkg"
    notes = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
    db = tempfile.mktemp(suffix=".anki21")
    c = sqlite3.connect(db)
    c.executescript("""
        CREATE TABLE col (id INTEGER PRIMARY KEY, crt INTEGER, ver INTEGER, models TEXT, decks TEXT);
        CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, tags TEXT, flds TEXT);
        CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, ord INTEGER,
            type INTEGER, queue INTEGER, due INTEGER, ivl INTEGER, factor INTEGER, reps INTEGER,
            lapses INTEGER, odid INTEGER, odue INTEGER);
        CREATE TABLE revlog (id INTEGER PRIMARY KEY, cid INTEGER, usn INTEGER, ease INTEGER,
            ivl INTEGER, lastIvl INTEGER, factor INTEGER, time INTEGER, type INTEGER);""")
    back = "{{FrontSide}}\n\n<hr id=answer>\n\n"
    models = {
        "1": {"name": "Basic (and reversed card)", "type": 0,
              "flds": [{"name": "Front"}, {"name": "Back"}],
              "tmpls": [{"name": "Card 1", "qfmt": "{{Front}}", "afmt": back + "{{Back}}"},
                        {"name": "Card 2", "qfmt": "{{Back}}", "afmt": back + "{{Front}}"}]},
        "2": {"name": "Cloze", "type": 1, "flds": [{"name": "Text"}, {"name": "Back Extra"}],
              "tmpls": [{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                         "afmt": "{{cloze:Text}}<br>\n{{Back Extra}}"}]},
    }
    decks = {"10": {"name": "Big::Basic"}, "11": {"name": "Big::Cloze"}}
    c.execute("INSERT INTO col VALUES (1, 1600000000, 11, ?, ?)",
              (json.dumps(models), json.dumps(decks)))
    card, answer = 1, 1600000000000
    rows_n, rows_c, rows_r = [], [], []
    for n in range(1, notes + 1):
        if n % 2:
            rows_n.append((n, f"g{n}", 1, "tag1 tag2",
                           f"Question <b>{n}</b> about &amp; things<br>more\x1f"
                           f"Answer {n} <i>italic</i> <ul><li>a</li><li>b</li></ul>"))
            for ord_ in (0, 1):
                rows_c.append((card, n, 10, ord_, 2, 2, 100, 20, 2500, 5, 0, 0, 0))
                for _ in range(8):
                    rows_r.append((answer, card, 0, 3, 20, 10, 2500, 5000, 1))
                    answer += 1
                card += 1
        else:
            rows_n.append((n, f"g{n}", 2, "",
                           f"The {{{{c1::capital}}}} of {{{{c2::France::country}}}} is {n}\x1fextra"))
            for ord_ in (0, 1):
                rows_c.append((card, n, 11, ord_, 0, 0, n, 0, 0, 0, 0, 0, 0))
                card += 1
    c.executemany("INSERT INTO notes VALUES (?,?,?,?,?)", rows_n)
    c.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows_c)
    c.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", rows_r)
    c.commit()
    c.close()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(db, "collection.anki21")
        z.writestr("media", "{}")
    os.remove(db)
    print(f"{out}: {len(rows_n)} notes, {len(rows_c)} cards, {len(rows_r)} answers")


if __name__ == "__main__":
    main()
