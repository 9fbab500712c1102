//! A new Anki collection, in schema 11 (what `collection.anki21` holds:
//! the note types and decks as JSON in the `col` row, `legacy`) or in
//! schema 18 (what `collection.anki21b` holds: tables of their own,
//! `schema18`). Notes, cards and the review log are the same tables in
//! both, written here. Its own connection to a file of its own: a foreign
//! SQLite file is a format concern, so this SQL lives here and not in
//! `storage`. Everything is written in one transaction. Cards are new
//! (type 0, queue 0, due = position) unless their progress goes along
//! (see `progress`).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, Transaction, params};
use serde_json::{Value, json};

use super::notes::Note;
use super::progress::{self, CardProgress, RevlogIds};
use super::{legacy, notetypes, schema18};
use crate::domain::Day;

/// Anki's schema-11 tables (`rslib/src/storage/schema11.sql`), which
/// schema 18 builds on.
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

/// Which of Anki's collection schemas to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// Note types, decks and settings as JSON in `col` (Anki 2.0 to 2.1.49).
    V11,
    /// Their own tables, settings as protobuf (Anki 2.1.50 and later).
    V18,
}

/// One deck going out: its name (`::` between levels), its notes and,
/// with progress, each card's state and log by recall key.
pub struct Deck {
    pub name: String,
    pub notes: Vec<Note>,
    pub progress: Option<HashMap<String, CardProgress>>,
}

/// What a collection's description is written from (`legacy`,
/// `schema18`): the decks, when, and the settings that follow from them.
pub struct Collection<'a> {
    pub decks: &'a [Deck],
    /// Unix seconds of the export.
    pub now: i64,
    /// Unix seconds of the collection's creation (`col.crt`).
    pub created: i64,
    /// The first deck's id: Anki's current deck.
    pub first_deck: i64,
}

/// Writes the collection of `decks` to the new file `path` in `schema`.
/// `now` is Unix seconds; the collection is created on recall's study day
/// `today`, the day Anki counts review cards' due days from.
pub fn write(
    path: &Path,
    decks: &[Deck],
    (now, today): (i64, Day),
    schema: Schema,
) -> rusqlite::Result<()> {
    let mut db = Connection::open(path)?;
    // Anki's collation of names: schema 18's name columns are declared
    // with it, and SQLite needs it to build their indexes.
    db.create_collation("unicase", |a, b| {
        unicase::UniCase::new(a).cmp(&unicase::UniCase::new(b))
    })?;
    let tx = db.transaction()?;
    tx.execute_batch(SCHEMA)?;
    let collection = Collection {
        decks,
        now,
        // Created at midnight UTC of the study day, with Anki's offset of
        // the creation (minutes west, `config`) saying so: Anki's day
        // count then starts on that day wherever the user is, as recall's does.
        created: today.0 * 86_400,
        first_deck: decks.first().map_or(1, |deck| deck_id(&deck.name)),
    };
    match schema {
        Schema::V11 => legacy::describe(&tx, &collection)?,
        Schema::V18 => schema18::describe(&tx, &collection)?,
    }
    insert_notes(&tx, decks, now, today)?;
    tx.commit()
}

/// The collection's settings: the keys a new Anki collection has
/// (`rslib/src/config/schema11.rs`), with the current deck and note type
/// and the next new card's position those of the export. Schema 11 keeps
/// them as one JSON object in `col.conf`, schema 18 as rows of `config`.
pub fn config(c: &Collection) -> Vec<(&'static str, Value)> {
    let positions: usize = c.decks.iter().map(|deck| deck.notes.len()).sum();
    vec![
        ("activeDecks", json!([c.first_deck])),
        ("curDeck", json!(c.first_deck)),
        ("newSpread", json!(0)),
        ("collapseTime", json!(1200)),
        ("timeLim", json!(0)),
        ("estTimes", json!(true)),
        ("dueCounts", json!(true)),
        (
            "curModel",
            json!(notetypes::id(super::notes::NoteKind::Basic)),
        ),
        ("nextPos", json!(positions + 1)),
        ("sortType", json!("noteFld")),
        ("sortBackwards", json!(false)),
        ("addToCur", json!(true)),
        ("dayLearnFirst", json!(false)),
        ("schedVer", json!(2)),
        ("creationOffset", json!(0)),
        ("sched2021", json!(true)),
    ]
}

/// Anki's Default deck, the decks and each of their parents (`A`, `A::B`,
/// `A::B::C`): `(id, name)` with `::` between levels, by id.
pub fn decks(decks: &[Deck]) -> Vec<(i64, String)> {
    let mut all = std::collections::BTreeMap::new();
    all.insert(1, DEFAULT_DECK.to_string());
    for deck in decks {
        let parts: Vec<&str> = deck.name.split("::").collect();
        for depth in 1..=parts.len() {
            let name = parts[..depth].join("::");
            all.insert(deck_id(&name), name);
        }
    }
    all.into_iter().collect()
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
                notetypes::id(note.kind),
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
