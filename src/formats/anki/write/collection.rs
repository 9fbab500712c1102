//! A new Anki collection in the legacy schema 11 (what `collection.anki21`
//! holds): Anki's own tables, with the note types and decks as JSON in the
//! `col` row. Its own connection to a file of its own: a foreign SQLite
//! file is a format concern, so this SQL lives here and not in `storage`.
//! Everything is written in one transaction. Cards are new (type 0, queue
//! 0, due = position); progress is not exported yet.

use std::path::Path;

use rusqlite::{Connection, params};
use serde_json::{Value, json};

use super::notes::{Note, NoteKind};

/// Anki's schema-11 tables (`rslib/src/storage/schema11.sql`).
const SCHEMA: &str = "
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,
  factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

/// Fixed note type ids: the same types on every export, so Anki sees a
/// re-import's notes as of the type it already has and updates them.
fn notetype_id(kind: NoteKind) -> i64 {
    match kind {
        NoteKind::Basic => 1_700_000_020_001,
        NoteKind::Reversed => 1_700_000_020_002,
        NoteKind::Cloze => 1_700_000_020_003,
        NoteKind::Typed => 1_700_000_020_004,
    }
}

const CSS: &str = ".card { font-family: arial; font-size: 20px; text-align: center; \
                   color: black; background-color: white; }";

/// Writes the collection of `decks` (name with `::` between levels, and
/// its notes) to the new file `path`. `now` is Unix seconds.
pub fn write(path: &Path, decks: &[(String, Vec<Note>)], now: i64) -> rusqlite::Result<()> {
    let mut db = Connection::open(path)?;
    let tx = db.transaction()?;
    tx.execute_batch(SCHEMA)?;
    let first = decks.first().map_or(1, |(name, _)| deck_id(name));
    let total: usize = decks.iter().map(|(_, notes)| notes.len()).sum();
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, '{}', '{}')",
        params![
            now - now.rem_euclid(86_400),
            now * 1000,
            json!({"nextPos": total + 1, "curDeck": first}).to_string(),
            models(first, now).to_string(),
            decks_json(decks.iter().map(|(name, _)| name.as_str()), now).to_string(),
        ],
    )?;
    // The sort field is the first field's text; the checksum is left 0:
    // Anki's importer computes both again (`Note::prepare_for_update`).
    let mut note_row =
        tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')")?;
    let mut card_row = tx.prepare(
        "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, -1, 0, 0, ?6, 0, 0, 0, 0, 0, 0, 0, 0, '')",
    )?;
    // Ids count up from now in milliseconds, as Anki's own are.
    let base = now * 1000;
    let (mut note_id, mut card_id) = (base, base);
    for (name, notes) in decks {
        let deck_id = deck_id(name);
        for note in notes {
            note_id += 1;
            let tags = if note.tags.is_empty() {
                String::new()
            } else {
                format!(" {} ", note.tags.join(" "))
            };
            note_row.execute(params![
                note_id,
                note.guid,
                notetype_id(note.kind),
                now,
                tags,
                note.fields.join("\u{1f}"),
                crate::formats::html::to_text(&note.fields[0]),
            ])?;
            for &ord in &note.ords {
                card_id += 1;
                // New cards are shown in `due` order: the note's position.
                card_row.execute(params![card_id, note_id, deck_id, ord, now, note_id - base])?;
            }
        }
    }
    drop((note_row, card_row));
    tx.commit()
}

/// A deck's id: from its name, so it is the same on every export.
fn deck_id(name: &str) -> i64 {
    // Past 1 (Anki's Default deck), below 2^53 (JSON numbers).
    (crate::fnv::fnv1a(name.as_bytes()) >> 12) as i64 + 2
}

/// The decks and each of their parents (`A`, `A::B`, `A::B::C`), as the
/// legacy `decks` JSON, with Anki's Default deck.
fn decks_json<'a>(names: impl Iterator<Item = &'a str>, now: i64) -> Value {
    let deck = |id: i64, name: &str| {
        json!({
            "id": id, "mod": now, "name": name, "usn": -1,
            "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0],
            "collapsed": false, "browserCollapsed": false, "desc": "", "dyn": 0, "conf": 1,
            "extendNew": 0, "extendRev": 0,
        })
    };
    let mut all = serde_json::Map::new();
    all.insert("1".into(), deck(1, "Default"));
    for name in names {
        let parts: Vec<&str> = name.split("::").collect();
        for depth in 1..=parts.len() {
            let name = parts[..depth].join("::");
            let id = deck_id(&name);
            all.insert(id.to_string(), deck(id, &name));
        }
    }
    Value::Object(all)
}

/// A card template: name, question format, answer format.
type Template = (&'static str, &'static str, &'static str);

/// A note type's name, fields and templates, as Anki's stock types have
/// them (plus the Notes field).
fn shape(kind: NoteKind) -> (&'static str, &'static [&'static str], Vec<Template>) {
    const BASIC: &[&str] = &["Front", "Back", "Notes"];
    const FRONT_BACK: Template = (
        "Card 1",
        "{{Front}}",
        "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
    );
    match kind {
        NoteKind::Basic => ("Basic", BASIC, vec![FRONT_BACK]),
        NoteKind::Reversed => (
            "Basic (and reversed card)",
            BASIC,
            vec![
                FRONT_BACK,
                (
                    "Card 2",
                    "{{Back}}",
                    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}",
                ),
            ],
        ),
        // As Anki's stock type, with the FrontSide rule so that the answer
        // reads back without the front.
        NoteKind::Typed => (
            "Basic (type in the answer)",
            BASIC,
            vec![(
                "Card 1",
                "{{Front}}\n\n{{type:Back}}",
                "{{FrontSide}}\n\n<hr id=answer>\n\n{{type:Back}}",
            )],
        ),
        NoteKind::Cloze => (
            "Cloze",
            &["Text", "Back Extra", "Notes"],
            vec![(
                "Cloze",
                "{{cloze:Text}}",
                "{{cloze:Text}}{{#Back Extra}}<br><br>{{Back Extra}}{{/Back Extra}}",
            )],
        ),
    }
}

/// The three note types, as the legacy `models` JSON. Each has a "Notes"
/// field for recall's notes, kept but not shown on the cards.
fn models(deck_id: i64, now: i64) -> Value {
    let mut all = serde_json::Map::new();
    for kind in NoteKind::ALL {
        let (name, fields, templates) = shape(kind);
        let id = notetype_id(kind);
        let flds: Vec<Value> = fields
            .iter()
            .enumerate()
            .map(|(ord, name)| {
                json!({"name": name, "ord": ord, "sticky": false, "rtl": false,
                       "font": "Arial", "size": 20})
            })
            .collect();
        let tmpls: Vec<Value> = templates
            .iter()
            .enumerate()
            .map(|(ord, (name, qfmt, afmt))| {
                json!({"name": name, "ord": ord, "qfmt": qfmt, "afmt": afmt,
                       "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0})
            })
            .collect();
        let req: Vec<Value> = (0..templates.len())
            .map(|ord| json!([ord, "any", [ord]]))
            .collect();
        all.insert(
            id.to_string(),
            json!({
                "id": id, "name": name, "type": u8::from(kind == NoteKind::Cloze),
                "mod": now, "usn": -1, "sortf": 0, "did": deck_id, "tmpls": tmpls,
                "flds": flds, "css": CSS, "latexPre": "", "latexPost": "", "latexsvg": false,
                "req": if kind == NoteKind::Cloze { json!([]) } else { json!(req) },
                "tags": [], "vers": [],
            }),
        );
    }
    Value::Object(all)
}
