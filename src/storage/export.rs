//! Reading decks back out as drafts, for `recall export deck` and
//! `recall export all`, and with their cards' states and review log for an
//! Anki package with progress.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::Store;
use super::cards::{kind_from_code, schedule_from};
use crate::domain::log::Replayed;
use crate::domain::{CardDraft, Day, DeckDraft, Schedule};
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
            "SELECT key, front, back, notes, tags FROM cards WHERE deck_id = ?1 ORDER BY id",
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

/// One card's state and log as an Anki package with progress carries
/// them (`recall export … --with-progress`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardProgress {
    pub schedule: Schedule,
    pub suspended: bool,
    /// Hidden while today is before this day.
    pub buried_until: Option<Day>,
    /// Every answer, oldest first.
    pub log: Vec<ExportedAnswer>,
}

/// One answer of a card's log, with the state it found and left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportedAnswer {
    pub reviewed_at_ms: i64,
    pub grade: u8,
    pub duration_ms: u32,
    pub step: Replayed,
    /// The kind Anki logged, for an answer imported from Anki (0004).
    pub anki_kind: Option<u8>,
}

impl Store {
    /// Each card of the deck named `name` by its key, with its state and
    /// whole review log, read in one transaction so that state and log
    /// agree even while answers are being recorded.
    pub fn deck_progress(&self, name: &str) -> Result<HashMap<String, CardProgress>> {
        let tx = self.conn.unchecked_transaction()?;
        let mut cards = card_states(&tx, name)?;
        each_answer(&tx, name, |key, answer| {
            if let Some(card) = cards.get_mut(&key) {
                card.log.push(answer);
            }
        })?;
        tx.finish()?;
        Ok(cards)
    }
}

fn card_states(conn: &Connection, deck: &str) -> Result<HashMap<String, CardProgress>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.key, c.repetitions, c.efactor, c.interval, c.due, c.lapses, c.suspended, \
           c.buried_until \
         FROM cards c JOIN decks d ON d.id = c.deck_id WHERE d.name = ?1",
    )?;
    let mut rows = stmt.query([deck])?;
    let mut cards = HashMap::new();
    while let Some(r) = rows.next()? {
        let progress = CardProgress {
            schedule: schedule_from(r, 1)?,
            suspended: r.get(6)?,
            buried_until: r.get::<_, Option<i64>>(7)?.map(Day),
            log: Vec::new(),
        };
        cards.insert(r.get::<_, String>(0)?, progress);
    }
    Ok(cards)
}

/// Calls `each` with the key and answer of every answer in the deck,
/// oldest first.
fn each_answer(
    conn: &Connection,
    deck: &str,
    mut each: impl FnMut(String, ExportedAnswer),
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.key, r.reviewed_at, r.grade, r.duration_ms, r.kind, \
           r.reps_before, r.ef_before, r.interval_before, r.due_before, r.lapses_before, \
           r.reps_after, r.ef_after, r.interval_after, r.due_after, r.lapses_after, \
           r.anki_kind \
         FROM reviews r JOIN cards c ON c.id = r.card_id JOIN decks d ON d.id = c.deck_id \
         WHERE d.name = ?1 ORDER BY r.reviewed_at, r.id",
    )?;
    let mut rows = stmt.query([deck])?;
    while let Some(r) = rows.next()? {
        let answer = ExportedAnswer {
            reviewed_at_ms: r.get(1)?,
            grade: r.get(2)?,
            duration_ms: r.get(3)?,
            step: Replayed {
                kind: kind_from_code(r.get(4)?),
                before: schedule_from(r, 5)?,
                after: schedule_from(r, 10)?,
            },
            anki_kind: r.get(15)?,
        };
        each(r.get(0)?, answer);
    }
    Ok(())
}
