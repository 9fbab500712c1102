//! The new cards of an import, written many to an `INSERT`.
//!
//! Why: each statement costs SQLite cursors opened and closed, the
//! AUTOINCREMENT counter read and written and the statement's own set-up,
//! about as much again as the row; 32 rows share them. The statement is
//! `INSERT OR ROLLBACK`: a multi-row insert that may abort half-way keeps a
//! statement journal (a copy of every page it touches, and a new card's
//! key lands on a page of its own in the key index); one that can only
//! roll the whole import back keeps none, and an import is all or nothing
//! anyway. The formats refuse a card id twice in a deck before it gets
//! here, so the constraint is the database's own guard.

use rusqlite::{CachedStatement, Transaction};

use crate::domain::CardDraft;
use crate::error::{Error, Result};

/// Rows of one batched `INSERT` (256 parameters, far below SQLite's limit).
const BATCH_ROWS: usize = 32;

/// Parameters of one row: deck, key, front, back, notes, tags, typed, time
/// (the time is both `created_at` and `updated_at`).
const ROW_PARAMS: usize = 8;

/// `INSERT OR ROLLBACK INTO cards` of `rows` rows.
fn insert_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|i| {
            let p = i * ROW_PARAMS;
            let own: Vec<String> = (1..ROW_PARAMS).map(|n| format!("?{}", p + n)).collect();
            let t = p + ROW_PARAMS;
            format!("({}, ?{t}, ?{t})", own.join(", "))
        })
        .collect();
    format!(
        "INSERT OR ROLLBACK INTO cards \
         (deck_id, key, front, back, notes, tags, typed, created_at, updated_at) VALUES {}",
        values.join(", ")
    )
}

/// A new card, as the file has it.
pub(in crate::storage) struct NewCard<'c> {
    pub card: &'c CardDraft,
}

/// Writes `cards` into the deck `deck_id` (named `deck` in errors), in
/// order: they get the ids one at a time would give them.
pub(in crate::storage) fn insert(
    tx: &Transaction<'_>,
    deck_id: i64,
    deck: &str,
    cards: &[NewCard<'_>],
    now_ms: i64,
) -> Result<()> {
    let mut batches = cards.chunks_exact(BATCH_ROWS);
    if batches.len() > 0 {
        let mut many = tx.prepare_cached(&insert_sql(BATCH_ROWS))?;
        for batch in &mut batches {
            write(&mut many, deck_id, batch, now_ms).map_err(|e| duplicate(e, deck, batch))?;
        }
    }
    let mut one = tx.prepare_cached(&insert_sql(1))?;
    for card in batches.remainder() {
        write(&mut one, deck_id, std::slice::from_ref(card), now_ms)
            .map_err(|e| duplicate(e, deck, std::slice::from_ref(card)))?;
    }
    Ok(())
}

/// Binds `rows` (as many as the statement has) and runs it.
fn write(
    stmt: &mut CachedStatement<'_>,
    deck_id: i64,
    rows: &[NewCard<'_>],
    now_ms: i64,
) -> rusqlite::Result<()> {
    // The tags as stored (space-separated), joined in one buffer: SQLite
    // copies each bound text, so one string serves every row.
    let mut tags = String::new();
    for (i, row) in rows.iter().enumerate() {
        let p = i * ROW_PARAMS;
        tags.clear();
        for (n, tag) in row.card.tags.iter().enumerate() {
            if n > 0 {
                tags.push(' ');
            }
            tags.push_str(tag);
        }
        stmt.raw_bind_parameter(p + 1, deck_id)?;
        stmt.raw_bind_parameter(p + 2, &row.card.key)?;
        stmt.raw_bind_parameter(p + 3, &row.card.front)?;
        stmt.raw_bind_parameter(p + 4, &row.card.back)?;
        stmt.raw_bind_parameter(p + 5, &row.card.notes)?;
        stmt.raw_bind_parameter(p + 6, &tags)?;
        stmt.raw_bind_parameter(p + 7, row.card.typed)?;
        stmt.raw_bind_parameter(p + 8, now_ms)?;
    }
    stmt.raw_execute().map(drop)
}

/// A card id already in the deck: the message names the batch's ids, as
/// the rolled-back import cannot be asked which one it was.
fn duplicate(e: rusqlite::Error, deck: &str, rows: &[NewCard<'_>]) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            let keys = match rows {
                [one] => format!("{:?}", one.card.key),
                [first, .., last] => format!("one of {:?} … {:?}", first.card.key, last.card.key),
                [] => String::from("(none)"),
            };
            Error::invalid(format!(
                "deck {deck:?} has a card id twice: {keys}; nothing was imported"
            ))
        }
        _ => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DeckDraft;
    use crate::storage::{ImportOptions, Store};

    fn deck(name: &str, cards: Vec<CardDraft>) -> DeckDraft {
        DeckDraft {
            name: name.into(),
            description: String::new(),
            position: None,
            cards,
        }
    }

    /// Two full batches and a remainder: every card lands with its own
    /// text, in file order, whichever statement wrote it.
    #[test]
    fn batches_and_the_remainder_write_every_card_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("batches.db")).unwrap();
        let count = 2 * BATCH_ROWS + 5;
        let cards = (0..count)
            .map(|i| CardDraft {
                key: format!("k{:03}", (i * 37) % count),
                front: format!("front {i}"),
                back: format!("back {i}"),
                notes: format!("notes {i}"),
                tags: vec![format!("t{i}"), "x".into()],
                typed: i % 3 == 0,
            })
            .collect();
        let deck = deck("Batches", cards);
        let reports = store
            .import(std::slice::from_ref(&deck), ImportOptions::default(), 7)
            .unwrap();
        assert_eq!(reports[0].added as usize, count);
        let mut stmt = store
            .conn
            .prepare(
                "SELECT key, front, back, notes, tags || typed, created_at, updated_at FROM cards \
                 WHERE deck_id = (SELECT id FROM decks WHERE name = 'Batches') ORDER BY id",
            )
            .unwrap();
        let rows: Vec<(String, String, String, String, String, i64, i64)> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let expected: Vec<_> = deck
            .cards
            .iter()
            .map(|c| {
                let t = format!("{}{}", c.tags.join(" "), u8::from(c.typed));
                (
                    c.key.clone(),
                    c.front.clone(),
                    c.back.clone(),
                    c.notes.clone(),
                    t,
                    7,
                    7,
                )
            })
            .collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn each_row_takes_its_own_eight_parameters() {
        let sql = insert_sql(2);
        assert!(sql.ends_with(
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8), \
             (?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)"
        ));
    }

    /// The database's own guard: a key twice in one deck (the formats
    /// refuse it before) is an error naming the deck, and nothing is written.
    #[test]
    fn a_key_twice_rolls_the_whole_import_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("twice.db")).unwrap();
        let card = |key: &str| CardDraft {
            key: key.into(),
            front: "f".into(),
            back: "b".into(),
            notes: String::new(),
            tags: Vec::new(),
            typed: false,
        };
        let cards_now = |store: &Store| -> i64 {
            store
                .conn
                .query_row("SELECT COUNT(*) FROM cards", [], |r| r.get(0))
                .unwrap()
        };
        let before = cards_now(&store);
        for at in [3, BATCH_ROWS + 2] {
            let mut cards: Vec<CardDraft> = (0..BATCH_ROWS + 4)
                .map(|i| card(&format!("k{i}")))
                .collect();
            cards[at] = card("k1");
            let e = store
                .import(&[deck("Twice", cards)], ImportOptions::default(), 1)
                .unwrap_err()
                .to_string();
            assert!(e.contains("deck \"Twice\" has a card id twice"), "{e}");
            assert_eq!(cards_now(&store), before, "nothing written");
            let decks: i64 = store
                .conn
                .query_row("SELECT COUNT(*) FROM decks WHERE name = 'Twice'", [], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(decks, 0);
        }
        // The connection is whole again: the next import lands.
        store
            .import(
                &[deck("Once", vec![card("a")])],
                ImportOptions::default(),
                2,
            )
            .unwrap();
        assert_eq!(cards_now(&store), before + 1);
    }
}
