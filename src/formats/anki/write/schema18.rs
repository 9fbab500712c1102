//! The schema-18 description of a collection, as Anki's own exporter
//! writes `collection.anki21b`: the tables Anki's upgrades add to schema 11
//! (`rslib/src/storage/upgrades/schema{14,15,17,18}_upgrade.sql`) hold
//! the settings, options group, decks, note types, fields, templates and
//! tags, their settings as protobuf (`proto`); `col.ver` is 18 and its
//! JSON columns are empty. Anki opens such a file as it is, no upgrade.

use std::collections::BTreeSet;

use prost::Message;
use rusqlite::{Transaction, params};

use super::super::proto::TemplateConfig;
use super::collection::{Collection, DEFAULT_DECK, config, decks};
use super::notes::NoteKind;
use super::notetypes::{self, CSS, FONT, LATEX_POST, LATEX_PRE};
use super::proto::{
    CardRequirement, DeckCommon, DeckConfigConfig, DeckKind, FieldConfig, NormalDeck,
    NotetypeConfig,
};

/// What schema 18 has beyond schema 11's tables (`collection::SCHEMA`),
/// as Anki's upgrades leave it (the `graves` of schema 18 replace 11's).
const TABLES: &str = "
DROP TABLE graves;
CREATE TABLE graves (oid integer NOT NULL, type integer NOT NULL, usn integer NOT NULL,
  PRIMARY KEY (oid, type)) WITHOUT ROWID;
CREATE INDEX idx_graves_pending ON graves (usn);
CREATE TABLE deck_config (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
CREATE TABLE config (KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL,
  mtime_secs integer NOT NULL, val blob NOT NULL) without rowid;
CREATE TABLE tags (tag text NOT NULL PRIMARY KEY COLLATE unicase, usn integer NOT NULL,
  collapsed boolean NOT NULL, config blob NULL) without rowid;
CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL,
  name text NOT NULL COLLATE unicase, config blob NOT NULL, PRIMARY KEY (ntid, ord))
  without rowid;
CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);
CREATE TABLE templates (ntid integer NOT NULL, ord integer NOT NULL,
  name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL, usn integer NOT NULL,
  config blob NOT NULL, PRIMARY KEY (ntid, ord)) without rowid;
CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid);
CREATE INDEX idx_templates_usn ON templates (usn);
CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);
CREATE INDEX idx_notetypes_usn ON notetypes (usn);
CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL);
CREATE UNIQUE INDEX idx_decks_name ON decks (name);
CREATE INDEX idx_notes_mid ON notes (mid);
CREATE INDEX idx_cards_odid ON cards (odid) WHERE odid != 0;
";

/// The id of the one options group, Anki's "Default", which every deck uses.
const DECK_CONFIG: i64 = 1;

/// Creates schema 18's tables and writes what they hold. Anki's `unicase`
/// collation must be registered on the connection (its name columns use it).
pub fn describe(tx: &Transaction, c: &Collection) -> rusqlite::Result<()> {
    tx.execute_batch(TABLES)?;
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 18, 0, 0, 0, '', '', '', '', '')",
        params![c.created, c.now * 1000],
    )?;
    let mut row = tx.prepare("INSERT INTO config VALUES (?1, 0, 0, ?2)")?;
    for (key, value) in config(c) {
        row.execute(params![key, value.to_string().into_bytes()])?;
    }
    tx.execute(
        "INSERT INTO deck_config VALUES (?1, ?2, 0, 0, ?3)",
        params![
            DECK_CONFIG,
            DEFAULT_DECK,
            DeckConfigConfig::anki_default().encode_to_vec()
        ],
    )?;
    insert_decks(tx, c)?;
    for kind in NoteKind::ALL {
        insert_notetype(tx, kind, c.now)?;
    }
    insert_tags(tx, c)
}

/// Each deck and its parents, levels separated by 0x1f as schema 18 has them.
fn insert_decks(tx: &Transaction, c: &Collection) -> rusqlite::Result<()> {
    let mut row = tx.prepare("INSERT INTO decks VALUES (?1, ?2, ?3, -1, ?4, ?5)")?;
    let kind = DeckKind {
        normal: Some(NormalDeck {
            config_id: DECK_CONFIG,
            description: String::new(),
        }),
    };
    for (id, name) in decks(c.decks) {
        row.execute(params![
            id,
            name.replace("::", "\u{1f}"),
            c.now,
            DeckCommon {}.encode_to_vec(),
            kind.encode_to_vec()
        ])?;
    }
    Ok(())
}

/// A note type with its fields and templates.
fn insert_notetype(tx: &Transaction, kind: NoteKind, now: i64) -> rusqlite::Result<()> {
    let (name, fields, templates) = notetypes::shape(kind);
    let id = notetypes::id(kind);
    let reqs = notetypes::requirements(kind)
        .into_iter()
        .map(|ord| CardRequirement {
            card_ord: ord,
            kind: 1,
            field_ords: vec![ord],
        });
    let config = NotetypeConfig {
        kind: i32::from(kind.is_cloze()),
        sort_field_idx: 0,
        css: CSS.to_string(),
        latex_pre: LATEX_PRE.to_string(),
        latex_post: LATEX_POST.to_string(),
        reqs: reqs.collect(),
    };
    tx.execute(
        "INSERT INTO notetypes VALUES (?1, ?2, ?3, -1, ?4)",
        params![id, name, now, config.encode_to_vec()],
    )?;
    let field_config = FieldConfig {
        font_name: FONT.0.to_string(),
        font_size: FONT.1,
    }
    .encode_to_vec();
    let mut row = tx.prepare("INSERT INTO fields VALUES (?1, ?2, ?3, ?4)")?;
    for (ord, name) in (0u32..).zip(fields) {
        row.execute(params![id, ord, name, field_config])?;
    }
    let mut row = tx.prepare("INSERT INTO templates VALUES (?1, ?2, ?3, ?4, -1, ?5)")?;
    for (ord, (name, front, back)) in (0u32..).zip(templates) {
        let config = TemplateConfig {
            q_format: front.to_string(),
            a_format: back.to_string(),
        };
        row.execute(params![id, ord, name, now, config.encode_to_vec()])?;
    }
    Ok(())
}

/// Every tag the notes carry, as Anki's check database registers them: a
/// parent (`a` of `a::b`) has no row of its own. Names differing only in
/// case are one tag to Anki (the column's collation): the first spelling
/// is kept.
fn insert_tags(tx: &Transaction, c: &Collection) -> rusqlite::Result<()> {
    let tags: BTreeSet<&String> = c
        .decks
        .iter()
        .flat_map(|d| &d.notes)
        .flat_map(|n| &n.tags)
        .collect();
    let mut row = tx.prepare("INSERT OR IGNORE INTO tags VALUES (?1, -1, 0, NULL)")?;
    for tag in tags {
        row.execute(params![tag])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::super::proto::NotetypeConfig as ReadConfig;
    use super::*;

    /// The writer's messages agree with the reader's on the fields both
    /// declare (Anki's numbers), and the defaults Anki would read as zero
    /// are written.
    #[test]
    fn configs_decode_as_anki_declares_them() {
        let config = NotetypeConfig {
            kind: 1,
            sort_field_idx: 0,
            css: CSS.into(),
            latex_pre: LATEX_PRE.into(),
            latex_post: LATEX_POST.into(),
            reqs: vec![],
        };
        let read = ReadConfig::decode(config.encode_to_vec().as_slice()).unwrap();
        assert!(read.kind == 1 && read.css == CSS);
        let options = DeckConfigConfig::anki_default().encode_to_vec();
        // new_per_day (field 9, varint 20) and reviews_per_day (10, 200).
        assert!(options.windows(2).any(|w| w == [9 << 3, 20]));
        assert!(options.windows(3).any(|w| w == [10 << 3, 0xc8, 0x01]));
        let kind = DeckKind {
            normal: Some(NormalDeck {
                config_id: 1,
                description: String::new(),
            }),
        };
        // As Anki writes a normal deck of options group 1.
        assert_eq!(kind.encode_to_vec(), [0x0a, 0x02, 0x08, 0x01]);
    }
}
