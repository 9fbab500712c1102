//! Reading decks back out as drafts, for `recall export deck` and
//! `recall export all`, and with their cards' states and review log for an
//! Anki package with progress.

use rusqlite::{Connection, OptionalExtension};

use super::Store;
use super::cards::{kind_from_code, schedule_from};
use super::deck_histories::logged_from;
use crate::domain::log::{LoggedAnswer, Replayed};
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

/// A card's state, as an Anki package with progress carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardStateRow {
    pub key: String,
    pub schedule: Schedule,
    pub suspended: bool,
    /// Hidden while today is before this day.
    pub buried_until: Option<Day>,
}

/// One answer of a deck's log: the card's key, the answer, the states it
/// found and left, and the kind Anki logged for an answer imported from
/// Anki (0004).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    pub key: String,
    pub answer: LoggedAnswer,
    pub step: Replayed,
    pub anki_kind: Option<u8>,
}

impl Store {
    /// Every card's state in the deck named `name`, and its whole review
    /// log oldest first, read in one transaction so that states and log
    /// agree even while answers are being recorded.
    pub fn deck_progress(&self, name: &str) -> Result<(Vec<CardStateRow>, Vec<AnswerRow>)> {
        let tx = self.conn.unchecked_transaction()?;
        let states = card_states(&tx, name)?;
        let answers = answers(&tx, name)?;
        tx.finish()?;
        Ok((states, answers))
    }
}

fn card_states(conn: &Connection, deck: &str) -> Result<Vec<CardStateRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.key, c.repetitions, c.efactor, c.interval, c.due, c.lapses, c.suspended, \
           c.buried_until \
         FROM cards c JOIN decks d ON d.id = c.deck_id WHERE d.name = ?1",
    )?;
    let rows = stmt.query_map([deck], |r| {
        Ok(CardStateRow {
            key: r.get(0)?,
            schedule: schedule_from(r, 1)?,
            suspended: r.get(6)?,
            buried_until: r.get::<_, Option<i64>>(7)?.map(Day),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn answers(conn: &Connection, deck: &str) -> Result<Vec<AnswerRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.key, r.reviewed_at, r.utc_offset, r.day, r.grade, r.kind, r.duration_ms, \
           r.reps_before, r.ef_before, r.interval_before, r.due_before, r.lapses_before, \
           r.reps_after, r.ef_after, r.interval_after, r.due_after, r.lapses_after, \
           r.anki_kind \
         FROM reviews r JOIN cards c ON c.id = r.card_id JOIN decks d ON d.id = c.deck_id \
         WHERE d.name = ?1 ORDER BY r.reviewed_at, r.id",
    )?;
    let rows = stmt.query_map([deck], |r| {
        Ok(AnswerRow {
            key: r.get(0)?,
            answer: logged_from(r, 1)?,
            step: Replayed {
                kind: kind_from_code(r.get(5)?),
                before: schedule_from(r, 7)?,
                after: schedule_from(r, 12)?,
            },
            anki_kind: r.get(17)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
