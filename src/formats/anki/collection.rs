//! Reading the SQLite collection of an Anki package, or a bare collection
//! file. Anki's own file, so its SQL lives with the format and not in
//! `storage`: one read-only connection, opened `immutable` (a collection
//! that Anki has open is read as it stands, never written or locked), with
//! Anki's `unicase` collation registered so schema-18 tables can be read.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::Connection;

use super::guard::{self, Refusal};
use super::notetype::{NoteType, Template, legacy_decks, legacy_notetypes};
use super::proto::{NotetypeConfig, TemplateConfig};
use super::unnamed::Unnamed;
use crate::formats::sqlite_file::{corrupt, damage, has_table, open_immutable};

/// The oldest collection schema current Anki opens (2.0's); older files
/// are the alphas of Anki 2.0.
const OLDEST_SCHEMA: i64 = 11;

/// A note as Anki stores it: fields joined by 0x1f, tags space-separated.
#[derive(Debug, Clone)]
pub struct AnkiNote {
    pub id: i64,
    pub guid: String,
    pub notetype: i64,
    pub tags: String,
    pub fields: String,
}

/// A card row: which note and template, its deck and its schedule.
#[derive(Debug, Clone, Copy)]
pub struct AnkiCard {
    pub id: i64,
    pub note: i64,
    pub deck: i64,
    pub ord: i64,
    /// 0 new, 1 learning, 2 review, 3 relearning.
    pub kind: i64,
    /// -1 suspended, -2/-3 buried, 0–4 otherwise.
    pub queue: i64,
    pub due: i64,
    pub interval: i64,
    pub factor: i64,
    pub reps: i64,
    pub lapses: i64,
    /// The home deck and due of a card sitting in a filtered deck (else 0).
    pub original_deck: i64,
    pub original_due: i64,
}

/// One answer of Anki's review log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnkiReview {
    /// Unix milliseconds of the answer (the row id).
    pub at_ms: i64,
    pub card: i64,
    /// 1 Again, 2 Hard, 3 Good, 4 Easy (0: a manual reschedule, no answer).
    pub ease: i64,
    /// Interval after and before: days when positive, seconds when negative.
    pub interval: i64,
    pub last_interval: i64,
    /// Ease after the answer, in thousandths.
    pub factor: i64,
    pub time_ms: i64,
    /// 0 learn, 1 review, 2 relearn, 3 filtered deck, 4 manual, 5 rescheduled.
    pub kind: i64,
}

#[derive(Debug, Clone)]
pub struct AnkiCollection {
    /// Collection creation time (Unix seconds): review due dates count days from it.
    pub created: i64,
    pub notetypes: HashMap<i64, NoteType>,
    /// Deck id → name with `::` between levels.
    pub decks: HashMap<i64, String>,
    pub notes: Vec<AnkiNote>,
    pub cards: Vec<AnkiCard>,
    pub reviews: Vec<AnkiReview>,
}

/// Where a collection is: a file read in place, or one inflated from a
/// package into an `Unnamed` file.
pub enum Source<'a> {
    File(&'a Path),
    Unnamed(Unnamed),
}

/// Reads a collection; its review log only `with_log` (it can be the
/// bulk of the file). Any SQLite error (a damaged file, missing tables)
/// comes back as text for the caller to attribute.
pub fn read_collection(source: Source<'_>, with_log: bool) -> Result<AnkiCollection, Refusal> {
    let budget = guard::TIME_BUDGET;
    let mut conn = match source {
        Source::File(path) => open_immutable(path).map_err(|e| guard::classify(e, budget))?,
        Source::Unnamed(unnamed) => unnamed.into_connection(),
    };
    configure(&mut conn, budget).map_err(|e| guard::classify(e, budget))?;
    guard::plain_tables(&conn)?;
    check(&conn).map_err(|e| match e {
        Checked::Sql(e) => guard::classify(e, budget),
        Checked::Refused(m) => Refusal::Other(m),
    })?;
    read(&conn, with_log).map_err(|e| guard::classify(e, budget))
}

/// The limits of `guard`, from now to `budget` from now, and Anki's
/// collation: names compared case-insensitively over Unicode.
fn configure(conn: &mut Connection, budget: std::time::Duration) -> rusqlite::Result<()> {
    guard::limit(conn, budget)?;
    conn.create_collation("unicase", |a, b| {
        unicase::UniCase::new(a).cmp(&unicase::UniCase::new(b))
    })
}

/// A damaged file, a file that is not a collection and a collection older
/// than Anki 2.0 are refused here, before anything is read.
fn check(conn: &Connection) -> Result<(), Checked> {
    if let Some(quick) = damage(conn)? {
        return Err(Checked::Refused(format!(
            "the SQLite file is damaged: {quick}"
        )));
    }
    // Only real tables: a view named `notes` could make a query run for ever.
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' \
             AND name IN ('col', 'notes', 'cards')",
        [],
        |r| r.get(0),
    )?;
    if tables != 3 {
        return Err(Checked::Refused(
            "not an Anki collection (no col, notes and cards tables)".into(),
        ));
    }
    // Anki 2.0's alphas wrote collections of an older layout (no filtered
    // decks): refused, naming them. A few generators write version 0 with
    // the current layout: read, as Anki 2.x would.
    // (A collection without `ver` at all counts as the oldest.)
    let version: i64 = conn
        .query_row("SELECT ver FROM col", [], |r| r.get(0))
        .unwrap_or(0);
    let columns: i64 = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('cards') WHERE name IN ('odid', 'odue')",
        [],
        |r| r.get(0),
    )?;
    if columns != 2 {
        return Err(Checked::Refused(if version < OLDEST_SCHEMA {
            format!(
                "an Anki collection of schema version {version}, from before Anki 2.0 was \
                 released: too old for current Anki or recall; open it in Anki 2.0 to upgrade it"
            )
        } else {
            "an Anki collection without the columns of Anki 2.0's layout (cards.odid, odue)"
                .to_string()
        }));
    }
    counts(conn)
}

/// Why `check` refused.
enum Checked {
    Sql(rusqlite::Error),
    Refused(String),
}

impl From<rusqlite::Error> for Checked {
    fn from(e: rusqlite::Error) -> Checked {
        Checked::Sql(e)
    }
}

/// The most notes, and cards, a collection may hold: each is in memory
/// while the import runs, about 700 bytes a card all told (measured with
/// `/usr/bin/time -v recall import` on generated packages), so memory
/// stays near 200 MiB at the limit. The largest shared decks have tens of
/// thousands of cards, years of one person's study 100 000.
pub const MAX_CARDS: i64 = 300_000;

/// The most answers `--with-progress` reads from a review log: each costs
/// about 300 bytes until written (300 000 cards and 500 000 answers peak
/// at 360 MiB). Five years of 200 answers a day is 365 000.
pub const MAX_REVIEWS: i64 = 500_000;

/// Refuses a collection over `MAX_CARDS` before anything is read.
fn counts(conn: &Connection) -> Result<(), Checked> {
    for table in ["notes", "cards"] {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        if n > MAX_CARDS {
            return Err(Checked::Refused(format!(
                "the collection has {n} {table}, over the limit of {MAX_CARDS} recall reads \
                 from one file; split the deck in Anki (export each subdeck)"
            )));
        }
    }
    Ok(())
}

fn read(conn: &Connection, with_log: bool) -> rusqlite::Result<AnkiCollection> {
    let modern = has_table(conn, "notetypes")?;
    let created = conn.query_row("SELECT crt FROM col", [], |r| r.get(0))?;
    let (notetypes, decks) = if modern {
        (modern_notetypes(conn)?, modern_decks(conn)?)
    } else {
        let (models, decks): (String, String) =
            conn.query_row("SELECT models, decks FROM col", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        (
            legacy_notetypes(&models).map_err(corrupt)?,
            legacy_decks(&decks).map_err(corrupt)?,
        )
    };
    Ok(AnkiCollection {
        created,
        notetypes,
        decks,
        notes: notes(conn)?,
        cards: cards(conn)?,
        reviews: if with_log { reviews(conn)? } else { Vec::new() },
    })
}

/// Schema 15 and later: note types, fields and templates in tables, their
/// settings as protobuf.
fn modern_notetypes(conn: &Connection) -> rusqlite::Result<HashMap<i64, NoteType>> {
    use prost::Message;
    let mut types = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, name, config FROM notetypes")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let config: Vec<u8> = r.get(2)?;
        let config = NotetypeConfig::decode(config.as_slice())
            .map_err(|e| corrupt(format!("note type {id}: {e}")))?;
        types.insert(
            id,
            NoteType {
                name: r.get(1)?,
                cloze: config.kind == 1,
                css: config.css,
                fields: Vec::new(),
                templates: Vec::new(),
            },
        );
    }
    let mut stmt = conn.prepare("SELECT ntid, name FROM fields ORDER BY ntid, ord")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(t) = types.get_mut(&r.get::<_, i64>(0)?) {
            t.fields.push(r.get(1)?);
        }
    }
    let mut stmt =
        conn.prepare("SELECT ntid, ord, name, config FROM templates ORDER BY ntid, ord")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let config: Vec<u8> = r.get(3)?;
        let config = TemplateConfig::decode(config.as_slice())
            .map_err(|e| corrupt(format!("card template: {e}")))?;
        if let Some(t) = types.get_mut(&r.get::<_, i64>(0)?) {
            t.templates.push(Template {
                ord: r.get(1)?,
                name: r.get(2)?,
                front: config.q_format,
                back: config.a_format,
            });
        }
    }
    Ok(types)
}

/// Schema 15 and later: deck names with 0x1f between levels.
fn modern_decks(conn: &Connection) -> rusqlite::Result<HashMap<i64, String>> {
    conn.prepare("SELECT id, name FROM decks")?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get::<_, String>(1)?.replace('\u{1f}', "::")))
        })?
        .collect()
}

fn notes(conn: &Connection) -> rusqlite::Result<Vec<AnkiNote>> {
    conn.prepare("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")?
        .query_map([], |r| {
            Ok(AnkiNote {
                id: r.get(0)?,
                guid: r.get(1)?,
                notetype: r.get(2)?,
                tags: r.get(3)?,
                fields: r.get(4)?,
            })
        })?
        .collect()
}

fn cards(conn: &Connection) -> rusqlite::Result<Vec<AnkiCard>> {
    conn.prepare(
        "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odid, odue \
         FROM cards ORDER BY nid, ord, id",
    )?
    .query_map([], |r| {
        Ok(AnkiCard {
            id: r.get(0)?,
            note: r.get(1)?,
            deck: r.get(2)?,
            ord: r.get(3)?,
            kind: r.get(4)?,
            queue: r.get(5)?,
            due: r.get(6)?,
            interval: r.get(7)?,
            factor: r.get(8)?,
            reps: r.get(9)?,
            lapses: r.get(10)?,
            original_deck: r.get(11)?,
            original_due: r.get(12)?,
        })
    })?
    .collect()
}

/// The review log, oldest first. A collection without one (some
/// generators leave the table out) has no history.
fn reviews(conn: &Connection) -> rusqlite::Result<Vec<AnkiReview>> {
    if !has_table(conn, "revlog")? {
        return Ok(Vec::new());
    }
    let n: i64 = conn.query_row("SELECT count(*) FROM revlog", [], |r| r.get(0))?;
    if n > MAX_REVIEWS {
        return Err(corrupt(format!(
            "its review log has {n} answers, over the limit of {MAX_REVIEWS} recall reads \
             from one file; import it without --with-progress"
        )));
    }
    conn.prepare(
        "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY cid, id",
    )?
    .query_map([], |r| {
        Ok(AnkiReview {
            at_ms: r.get(0)?,
            card: r.get(1)?,
            ease: r.get(2)?,
            interval: r.get(3)?,
            last_interval: r.get(4)?,
            factor: r.get(5)?,
            time_ms: r.get(6)?,
            kind: r.get(7)?,
        })
    })?
    .collect()
}
