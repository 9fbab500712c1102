//! A new Anki collection in the legacy schema 11 (what `collection.anki21`
//! holds): Anki's own tables, with the note types and decks as JSON in the
//! `col` row. Its own connection to a file of its own: a foreign SQLite
//! file is a format concern, so this SQL lives here and not in `storage`.
//! Everything is written in one transaction. Cards are new (type 0, queue
//! 0, due = position) unless their progress goes along (see `progress`).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, Transaction, params};
use serde_json::{Value, json};

use super::notes::{Note, NoteKind};
use super::progress::{self, CardProgress, RevlogIds};
use crate::domain::Day;

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

/// One deck going out: its name (`::` between levels), its notes and,
/// with progress, each card's state and log by recall key.
pub struct Deck {
    pub name: String,
    pub notes: Vec<Note>,
    pub progress: Option<HashMap<String, CardProgress>>,
}

/// Writes the collection of `decks` to the new file `path`. `now` is Unix
/// seconds; the collection is created on recall's study day `today`, the
/// day Anki counts review cards' due days from.
pub fn write(path: &Path, decks: &[Deck], now: i64, today: Day) -> rusqlite::Result<()> {
    let mut db = Connection::open(path)?;
    let tx = db.transaction()?;
    tx.execute_batch(SCHEMA)?;
    let first = decks.first().map_or(1, |deck| deck_id(&deck.name));
    let total: usize = decks.iter().map(|deck| deck.notes.len()).sum();
    // Created at midnight UTC of the study day, with Anki's offset of the
    // creation (minutes west) saying so: Anki's day count then starts on
    // that day wherever the user is, as recall's does.
    let conf = json!({"nextPos": total + 1, "curDeck": first, "creationOffset": 0,
                      "schedVer": 2});
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, '{}', '{}')",
        params![
            today.0 * 86_400,
            now * 1000,
            conf.to_string(),
            models(first, now).to_string(),
            decks_json(decks.iter().map(|deck| deck.name.as_str()), now).to_string(),
        ],
    )?;
    insert_notes(&tx, decks, now, today)?;
    tx.commit()
}

/// The notes, their cards and, with progress, the cards' review logs.
fn insert_notes(tx: &Transaction, decks: &[Deck], now: i64, today: Day) -> rusqlite::Result<()> {
    // The sort field is the first field's text; the checksum is left 0:
    // Anki's importer computes both again (`Note::prepare_for_update`).
    let mut note_row =
        tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')")?;
    let mut cards = CardRows {
        card: tx.prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, -1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, \
             ?13, 0, 0, 0, ?14)",
        )?,
        revlog: tx.prepare("INSERT INTO revlog VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)")?,
        revlog_ids: RevlogIds::default(),
        now,
        today,
    };
    // Ids count up from now in milliseconds, as Anki's own are.
    let base = now * 1000;
    let (mut note_id, mut card_id) = (base, base);
    for deck in decks {
        let deck_id = deck_id(&deck.name);
        for note in &deck.notes {
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
            for (ord, key) in &note.cards {
                card_id += 1;
                let progress = deck.progress.as_ref().and_then(|p| p.get(key));
                // New cards are shown in `due` order: the note's position.
                let at = (card_id, note_id, deck_id, *ord, note_id - base);
                cards.insert(at, progress)?;
            }
        }
    }
    Ok(())
}

/// The statements that write a card and its log.
struct CardRows<'a> {
    card: rusqlite::Statement<'a>,
    revlog: rusqlite::Statement<'a>,
    revlog_ids: RevlogIds,
    now: i64,
    today: Day,
}

impl CardRows<'_> {
    /// Card `id` of note `note` (template `ord`) in deck `deck`, at
    /// `position` among new cards, with its progress if it goes along.
    fn insert(
        &mut self,
        (id, note, deck, ord, position): (i64, i64, i64, u32, i64),
        progress: Option<&CardProgress>,
    ) -> rusqlite::Result<()> {
        let s = progress.map_or(progress::new_card(position), |p| {
            progress::card_state(p, position, self.today, self.today)
        });
        // A relearning card has its one relearning step left.
        let left = i64::from(s.kind == 3);
        let data = progress.map(progress::card_data).unwrap_or_default();
        self.card.execute(params![
            id, note, deck, ord, self.now, s.kind, s.queue, s.due, s.interval, s.factor, s.reps,
            s.lapses, left, data
        ])?;
        for answer in progress.iter().flat_map(|p| &p.log) {
            let r = progress::revlog(answer);
            let row_id = self.revlog_ids.take(r.at_ms);
            self.revlog.execute(params![
                row_id,
                id,
                r.ease,
                r.interval,
                r.last_interval,
                r.factor,
                r.time_ms,
                r.kind
            ])?;
        }
        Ok(())
    }
}

/// The name of Anki's deck 1, which every collection has.
pub const DEFAULT_DECK: &str = "Default";

/// A deck's id: from its name, so it is the same on every export (Anki's
/// Default deck is 1, as in every collection).
fn deck_id(name: &str) -> i64 {
    if name == DEFAULT_DECK {
        return 1;
    }
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
    all.insert("1".into(), deck(1, DEFAULT_DECK));
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

/// The note type's name (see `shape`).
pub fn notetype_name(kind: NoteKind) -> &'static str {
    shape(kind).0
}

/// A card template: name, question format, answer format.
type Template = (&'static str, &'static str, &'static str);

/// A note type's name, fields and templates, as Anki's stock types have
/// them (plus the Notes field). Named apart from the stock types: a
/// collection has its own "Basic" (another id), so Anki would import ours
/// as "Basic+", and a text file naming "Basic" would then not update the
/// notes it matches by GUID (Anki refuses a note type change there).
fn shape(kind: NoteKind) -> (&'static str, &'static [&'static str], Vec<Template>) {
    const BASIC: &[&str] = &["Front", "Back", "Notes"];
    const FRONT_BACK: Template = (
        "Card 1",
        "{{Front}}",
        "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
    );
    match kind {
        NoteKind::Basic => ("recall Basic", BASIC, vec![FRONT_BACK]),
        NoteKind::Reversed => (
            "recall Basic (and reversed card)",
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
            "recall Basic (type in the answer)",
            BASIC,
            vec![(
                "Card 1",
                "{{Front}}\n\n{{type:Back}}",
                "{{FrontSide}}\n\n<hr id=answer>\n\n{{type:Back}}",
            )],
        ),
        NoteKind::Cloze => (
            "recall Cloze",
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
