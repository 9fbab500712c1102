//! The two writes every answer makes, wherever it comes from (`recall
//! answer`, a merged log, another program's history): its row of the
//! review log, and the card's new state. One place for each, so the
//! log's 19 columns and the card's six are spelled once.

use rusqlite::{CachedStatement, Connection, params};

use super::cards::kind_code;
use crate::domain::log::{LoggedAnswer, Replayed};
use crate::domain::{CardId, Schedule};
use crate::error::Result;

/// One row of the log: an answer with the card's state before and after it.
pub(super) struct ReviewRow<'a> {
    pub card: CardId,
    pub answer: &'a LoggedAnswer,
    /// How it counted (`kind`), and the states around it.
    pub step: &'a Replayed,
    /// The card's previous scheduling answer (what undo gives back).
    pub last_before: Option<i64>,
    /// The mark of an answer imported from Anki (0004).
    pub anki_kind: Option<i64>,
}

/// Writes rows of the review log, with one prepared statement for many rows.
pub(super) struct ReviewWriter<'c> {
    insert: CachedStatement<'c>,
}

impl<'c> ReviewWriter<'c> {
    pub fn new(conn: &'c Connection) -> Result<ReviewWriter<'c>> {
        let insert = conn.prepare_cached(
            "INSERT INTO reviews (card_id, reviewed_at, utc_offset, day, grade, kind, \
               duration_ms, reps_before, ef_before, interval_before, due_before, \
               lapses_before, last_before, reps_after, ef_after, interval_after, due_after, \
               lapses_after, anki_kind) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
               ?17, ?18, ?19)",
        )?;
        Ok(ReviewWriter { insert })
    }

    /// Writes `row` and gives its id.
    pub fn insert(&mut self, row: &ReviewRow<'_>) -> Result<i64> {
        let (a, b, f) = (row.answer, row.step.before, row.step.after);
        let id = self.insert.insert(params![
            row.card,
            a.reviewed_at_ms,
            a.utc_offset_secs,
            a.day.0,
            a.grade.value(),
            kind_code(row.step.kind),
            a.duration_ms,
            b.repetitions,
            b.efactor.0,
            b.interval,
            b.due.map(|d| d.0),
            b.lapses,
            row.last_before,
            f.repetitions,
            f.efactor.0,
            f.interval,
            f.due.map(|d| d.0),
            f.lapses,
            row.anki_kind,
        ])?;
        Ok(id)
    }
}

/// Writes cards' scheduling states, with one prepared statement for many cards.
pub(super) struct CardStates<'c> {
    update: CachedStatement<'c>,
}

impl<'c> CardStates<'c> {
    pub fn new(conn: &'c Connection) -> Result<CardStates<'c>> {
        let update = conn.prepare_cached(
            "UPDATE cards SET repetitions = ?2, efactor = ?3, interval = ?4, due = ?5, \
               lapses = ?6, last_review = ?7 WHERE id = ?1",
        )?;
        Ok(CardStates { update })
    }

    /// Gives `card` the state `s`, last scheduled at `last_review` (Unix ms).
    pub fn set(&mut self, card: CardId, s: &Schedule, last_review: Option<i64>) -> Result<()> {
        self.update.execute(params![
            card,
            s.repetitions,
            s.efactor.0,
            s.interval,
            s.due.map(|d| d.0),
            s.lapses,
            last_review
        ])?;
        Ok(())
    }
}
