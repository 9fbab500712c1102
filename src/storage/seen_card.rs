//! Changes to the card the user is looking at (the TUI's suspend, bury,
//! edit and their undos): each checked against the card as it was shown,
//! so a number that now names another card changes nothing.

use rusqlite::params;

use super::Store;
use super::cards::describe;
use crate::domain::{Card, CardId, Day};
use crate::error::{Error, Result};

/// The `WHERE` of a write to the card the user saw: its number (`?1`), and
/// its deck (`?2`) and id within the deck (`?3`), so that a number that now
/// names another card (a restored copy, a re-import) matches nothing.
const SEEN_CARD: &str = "id = ?1 AND key = ?3 AND deck_id = (SELECT id FROM decks WHERE name = ?2)";

/// The card the user saw is not in the database any more (as that card).
fn gone(seen: &Card) -> Error {
    Error::Changed(format!(
        "the {} is no longer in the collection as it was shown (deleted, or the collection \
         was restored or replaced); nothing was changed",
        describe(&seen.deck, &seen.key)
    ))
}

impl Store {
    /// Suspends the card the user saw (checked as `SEEN_CARD` says).
    pub fn suspend(&mut self, seen: &Card) -> Result<()> {
        self.update_seen_card(
            "UPDATE cards SET suspended = ?4 WHERE",
            seen,
            rusqlite::types::Value::Integer(1),
        )?;
        self.stamp_flags(seen.id)
    }

    /// Brings a suspended card back (undo of `suspend`).
    pub fn unsuspend(&mut self, card: CardId) -> Result<()> {
        self.update_card_flag("UPDATE cards SET suspended = ?2 WHERE id = ?1", card, 0)?;
        self.stamp_flags(card)
    }

    /// Hides the card the user saw until the morning of `until`.
    pub fn bury(&mut self, seen: &Card, until: Day) -> Result<()> {
        self.update_seen_card(
            "UPDATE cards SET buried_until = ?4 WHERE",
            seen,
            rusqlite::types::Value::Integer(until.0),
        )?;
        self.stamp_flags(seen.id)
    }

    /// Shows a buried card again today.
    pub fn unbury(&mut self, card: CardId) -> Result<()> {
        let changed = self
            .conn
            .prepare_cached("UPDATE cards SET buried_until = NULL WHERE id = ?1")?
            .execute([card])?;
        if changed == 0 {
            return Err(Error::invalid(format!("no card with id {card}")));
        }
        self.stamp_flags(card)
    }

    /// Replaces the text of the card the user saw and edited (checked as
    /// `SEEN_CARD` says); its progress and history stay, as they do when a
    /// deck file is re-imported.
    pub fn update_card_text(
        &mut self,
        seen: &Card,
        draft: &crate::domain::CardDraft,
        now_ms: i64,
    ) -> Result<()> {
        let changed = self
            .conn
            .prepare_cached(&format!(
                "UPDATE cards SET front = ?4, back = ?5, notes = ?6, tags = ?7, updated_at = ?8 \
                 WHERE {SEEN_CARD}"
            ))?
            .execute(params![
                seen.id,
                seen.deck,
                seen.key,
                draft.front,
                draft.back,
                draft.notes,
                draft.tags.join(" "),
                now_ms
            ])?;
        if changed == 0 {
            return Err(gone(seen));
        }
        Ok(())
    }

    /// `UPDATE … WHERE` (`head`) of the card the user saw, `?4` = `value`.
    fn update_seen_card(
        &mut self,
        head: &str,
        seen: &Card,
        value: rusqlite::types::Value,
    ) -> Result<()> {
        let changed = self
            .conn
            .prepare_cached(&format!("{head} {SEEN_CARD}"))?
            .execute(params![seen.id, seen.deck, seen.key, value])?;
        if changed == 0 {
            return Err(gone(seen));
        }
        Ok(())
    }

    fn update_card_flag(&mut self, sql: &str, card: CardId, value: i64) -> Result<()> {
        let changed = self
            .conn
            .prepare_cached(sql)?
            .execute(params![card, value])?;
        if changed == 0 {
            return Err(Error::invalid(format!("no card with id {card}")));
        }
        Ok(())
    }
}
