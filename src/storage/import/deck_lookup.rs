//! The deck a piece of an import belongs to: found by name or created, and
//! its stored cards loaded once, to match the file's cards against.

use rusqlite::{OptionalExtension, params};

use super::{DeckState, ImportReport, Importer, OnMissing};
use crate::domain::DeckDraft;
use crate::error::Result;

/// A deck's stored cards by key: id, text (front, back, notes, tags) and
/// whether the answer is typed.
pub(super) type StoredCards = foldhash::HashMap<String, (i64, [String; 4], bool)>;

impl Importer<'_> {
    /// The deck a piece belongs to, created or loaded on first sight.
    pub(super) fn deck(&mut self, piece: &DeckDraft) -> Result<usize> {
        if let Some(&index) = self.by_name.get(&piece.name) {
            return Ok(index);
        }
        let id = self.find_or_create(piece)?;
        let stored = self.stored_cards(id)?;
        self.decks.push(DeckState {
            id,
            stored,
            report: ImportReport {
                deck: piece.name.clone(),
                pruned: self.options.missing == OnMissing::Prune,
                ..ImportReport::default()
            },
        });
        self.by_name
            .insert(piece.name.clone(), self.decks.len() - 1);
        Ok(self.decks.len() - 1)
    }

    /// The deck's id; an existing deck takes the file's description and
    /// position (written only when they changed).
    fn find_or_create(&self, piece: &DeckDraft) -> Result<i64> {
        let existing: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM decks WHERE name = ?1")?
            .query_row([&piece.name], |r| r.get(0))
            .optional()?;
        if let Some(id) = existing {
            self.tx
                .prepare_cached(
                    "UPDATE decks SET description = ?2, position = ?3 \
                     WHERE id = ?1 AND (description <> ?2 OR position IS NOT ?3)",
                )?
                .execute(params![id, piece.description, piece.position])?;
            return Ok(id);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO decks (name, description, position, created_at) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                piece.name,
                piece.description,
                piece.position,
                self.now_ms
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn stored_cards(&self, deck: i64) -> Result<StoredCards> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, key, front, back, notes, tags, typed FROM cards WHERE deck_id = ?1",
        )?;
        let rows = stmt.query_map([deck], |r| {
            Ok((
                r.get::<_, String>(1)?,
                (
                    r.get(0)?,
                    [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                    r.get(6)?,
                ),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
