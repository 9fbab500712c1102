//! Reading decks back out as drafts, for `recall export deck` and
//! `recall export all`.

use rusqlite::OptionalExtension;

use super::Store;
use crate::domain::{CardDraft, DeckDraft};
use crate::error::Result;

impl Store {
    /// The deck named `name` as it would be written to a file (cards in
    /// the order they were added), or `None` if there is no such deck.
    pub fn deck_draft(&self, name: &str) -> Result<Option<DeckDraft>> {
        let deck: Option<(i64, String, Option<u32>)> = self
            .conn
            .prepare_cached("SELECT id, description, position FROM decks WHERE name = ?1")?
            .query_row([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((id, description, position)) = deck else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, front, back, notes, tags, typed FROM cards WHERE deck_id = ?1 ORDER BY id",
        )?;
        let cards = stmt
            .query_map([id], |r| {
                let tags: String = r.get(4)?;
                Ok(CardDraft {
                    key: r.get(0)?,
                    front: r.get(1)?,
                    back: r.get(2)?,
                    notes: r.get(3)?,
                    tags: tags.split_whitespace().map(str::to_string).collect(),
                    typed: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(DeckDraft {
            name: name.to_string(),
            description,
            position,
            cards,
        }))
    }

    /// Every deck as `deck_draft` gives it, by name, read in one
    /// transaction so that a deck written meanwhile is all in or all out.
    pub fn deck_drafts(&self) -> Result<Vec<DeckDraft>> {
        let tx = self.conn.unchecked_transaction()?;
        let names: Vec<String> = tx
            .prepare_cached("SELECT name FROM decks ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut decks = Vec::with_capacity(names.len());
        for name in names {
            decks.extend(self.deck_draft(&name)?);
        }
        tx.finish()?;
        Ok(decks)
    }
}
