//! The deck a piece of an import belongs to: found by name or created, and
//! its stored cards loaded once, to match the file's cards against.

use rusqlite::{OptionalExtension, params};

use super::{DeckState, ImportReport, Importer, OnMissing};
use crate::domain::DeckDraft;
use crate::error::Result;

/// A deck's stored cards by key.
pub(super) type StoredCards = foldhash::HashMap<String, StoredCard>;

/// A stored card as a re-import compares it with the file's.
pub(super) struct StoredCard {
    pub id: i64,
    /// Its front, back and notes as a digest (`text_digest`), not the text:
    /// the text of every stored card was two thirds of re-importing a
    /// 100 000-card deck's peak memory (89 MB).
    pub text: u128,
    /// Kept whole: a re-import keeps the leech tag, a retirement adds one.
    pub tags: String,
    pub typed: bool,
}

/// A card's front, back and notes as 128 bits (`digest128`), compared
/// within one import. An edited card whose digest is that of its old text
/// would be reported unchanged: for two different texts that is a chance
/// of about one in 2¹²⁸.
pub(super) fn text_digest(front: &str, back: &str, notes: &str) -> u128 {
    crate::digest::digest128((front, back, notes))
}

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
            let text =
                |i: usize| -> rusqlite::Result<&str> { r.get_ref(i)?.as_str().map_err(Into::into) };
            Ok((
                r.get::<_, String>(1)?,
                StoredCard {
                    id: r.get(0)?,
                    text: text_digest(text(2)?, text(3)?, text(4)?),
                    tags: r.get(5)?,
                    typed: r.get(6)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::text_digest;

    #[test]
    fn the_digest_tells_fields_apart_and_is_the_same_for_the_same_text() {
        let digest = text_digest("front", "back", "notes");
        assert_eq!(digest, text_digest("front", "back", "notes"));
        for other in [
            text_digest("fron", "tback", "notes"),
            text_digest("front", "back", ""),
            text_digest("front", "", "backnotes"),
            text_digest("front", "back", "notes "),
            text_digest("back", "front", "notes"),
        ] {
            assert_ne!(digest, other);
        }
    }
}
