//! Reading the SQLite collection inside an Anki package. It is SQL, so it
//! lives here; `formats::apkg` unpacks the zip and turns these rows into
//! cards.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

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

/// Note types and decks: JSON in the `col` row (collection.anki2/anki21),
/// or tables (schema 18, collection.anki21b).
#[derive(Debug, Clone)]
pub enum AnkiMeta {
    Legacy {
        models_json: String,
        decks_json: String,
    },
    Modern {
        /// (id, name, NotetypeConfig protobuf)
        notetypes: Vec<(i64, String, Vec<u8>)>,
        /// (id, name with 0x1f between levels)
        decks: Vec<(i64, String)>,
    },
}

#[derive(Debug, Clone)]
pub struct AnkiCollection {
    /// Collection creation time (Unix seconds): review due dates count days from it.
    pub created: i64,
    pub meta: AnkiMeta,
    pub notes: Vec<AnkiNote>,
    pub cards: Vec<AnkiCard>,
}

/// Reads a collection file read-only. Any SQLite error (a damaged file,
/// missing tables) comes back as text for the caller to attribute.
pub fn read_collection(path: &Path) -> Result<AnkiCollection, String> {
    read(path).map_err(|e| e.to_string())
}

fn read(path: &Path) -> rusqlite::Result<AnkiCollection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Damage shows here rather than as a half-read collection.
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some(check),
        ));
    }
    // Only real tables: a view named `notes` could make a query run for ever.
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' \
         AND name IN ('col', 'notes', 'cards')",
        [],
        |r| r.get(0),
    )?;
    if tables != 3 {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some("not an Anki collection (no col, notes and cards tables)".into()),
        ));
    }
    let modern: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'notetypes'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let (created, meta) = if modern.is_some() {
        let created = conn.query_row("SELECT crt FROM col", [], |r| r.get(0))?;
        let notetypes = conn
            .prepare("SELECT id, name, config FROM notetypes")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let decks = conn
            .prepare("SELECT id, name FROM decks")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        (created, AnkiMeta::Modern { notetypes, decks })
    } else {
        conn.query_row("SELECT crt, models, decks FROM col", [], |r| {
            Ok((
                r.get(0)?,
                AnkiMeta::Legacy {
                    models_json: r.get(1)?,
                    decks_json: r.get(2)?,
                },
            ))
        })?
    };
    let notes = conn
        .prepare("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")?
        .query_map([], |r| {
            Ok(AnkiNote {
                id: r.get(0)?,
                guid: r.get(1)?,
                notetype: r.get(2)?,
                tags: r.get(3)?,
                fields: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let cards = conn
        .prepare(
            "SELECT nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odid, odue \
             FROM cards ORDER BY nid, ord",
        )?
        .query_map([], |r| {
            Ok(AnkiCard {
                note: r.get(0)?,
                deck: r.get(1)?,
                ord: r.get(2)?,
                kind: r.get(3)?,
                queue: r.get(4)?,
                due: r.get(5)?,
                interval: r.get(6)?,
                factor: r.get(7)?,
                reps: r.get(8)?,
                lapses: r.get(9)?,
                original_deck: r.get(10)?,
                original_due: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(AnkiCollection {
        created,
        meta,
        notes,
        cards,
    })
}
