//! Cards, today's queue inputs and the review log.

use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::Store;
use crate::domain::{AnswerKind, Card, CardId, Day, EFactor, Grade, Schedule};
use crate::error::{Error, Result};

/// Which cards a session or a statistic looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub deck: Option<String>,
    pub tag: Option<String>,
}

/// The facts of one answer that the log keeps beside the states.
#[derive(Debug, Clone, Copy)]
pub struct AnswerRecord {
    pub card: CardId,
    pub grade: Grade,
    pub reviewed_at_ms: i64,
    pub utc_offset_secs: i32,
    pub day: Day,
    pub duration_ms: u32,
}

/// What an answer did, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub review_id: i64,
    pub kind: AnswerKind,
    pub before: Schedule,
    pub after: Schedule,
}

pub(super) fn kind_code(kind: AnswerKind) -> i64 {
    match kind {
        AnswerKind::Schedule => 0,
        AnswerKind::Redrill => 1,
        AnswerKind::Cram => 2,
    }
}

pub(super) fn kind_from_code(code: i64) -> AnswerKind {
    match code {
        0 => AnswerKind::Schedule,
        1 => AnswerKind::Redrill,
        _ => AnswerKind::Cram,
    }
}

fn schedule_from(row: &Row<'_>, first: usize) -> rusqlite::Result<Schedule> {
    Ok(Schedule {
        repetitions: row.get(first)?,
        efactor: EFactor(row.get(first + 1)?),
        interval: row.get(first + 2)?,
        due: row.get::<_, Option<i64>>(first + 3)?.map(Day),
        lapses: row.get(first + 4)?,
    })
}

const CARD_COLUMNS: &str = "c.id, d.name, c.key, c.front, c.back, c.notes, c.tags, \
     c.repetitions, c.efactor, c.interval, c.due, c.lapses, c.suspended, c.last_review";

fn card_from(row: &Row<'_>) -> rusqlite::Result<Card> {
    let tags: String = row.get(6)?;
    Ok(Card {
        id: row.get(0)?,
        deck: row.get(1)?,
        key: row.get(2)?,
        front: row.get(3)?,
        back: row.get(4)?,
        notes: row.get(5)?,
        tags: tags.split_whitespace().map(str::to_string).collect(),
        schedule: schedule_from(row, 7)?,
        suspended: row.get(12)?,
        last_review: row.get(13)?,
    })
}

impl Store {
    /// The deck id a scope names, or an error that lists what exists.
    pub fn deck_id(&self, scope: &Scope) -> Result<Option<i64>> {
        let Some(name) = &scope.deck else {
            return Ok(None);
        };
        let id = self
            .conn
            .prepare_cached("SELECT id FROM decks WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => Ok(Some(id)),
            // Typed by a person: case and the ·/:: separators aside, or a suggestion.
            None => Ok(Some(self.resolve_deck(name)?.0)),
        }
    }

    pub fn card(&self, id: CardId) -> Result<Option<Card>> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?1"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], card_from)
            .optional()?)
    }

    /// Finds a card by its id within a deck.
    pub fn card_by_key(&self, deck: &str, key: &str) -> Result<Option<CardId>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id \
                 WHERE d.name = ?1 AND c.key = ?2",
            )?
            .query_row([deck, key], |r| r.get(0))
            .optional()?)
    }

    /// Records one answer and the card's new state in one transaction.
    /// `decide` gets the card's state and whether it was already scheduled
    /// today, and says how the answer counts and what the state becomes.
    pub fn record_answer(
        &mut self,
        answer: AnswerRecord,
        decide: impl FnOnce(&Schedule, bool) -> (AnswerKind, Schedule),
    ) -> Result<Recorded> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = tx
            .prepare_cached(
                "SELECT repetitions, efactor, interval, due, lapses, last_review, suspended, \
                   EXISTS (SELECT 1 FROM reviews r WHERE r.day = ?2 AND r.card_id = c.id AND r.kind = 0) \
                 FROM cards c WHERE c.id = ?1",
            )?
            .query_row(params![answer.card, answer.day.0], |r| {
                Ok((schedule_from(r, 0)?, r.get::<_, Option<i64>>(5)?, r.get::<_, bool>(6)?, r.get::<_, bool>(7)?))
            })
            .optional()?;
        let Some((before, last_before, suspended, scheduled_today)) = found else {
            return Err(Error::invalid(format!(
                "no card with id {}; `recall next` shows the ids",
                answer.card
            )));
        };
        if suspended {
            return Err(Error::invalid(format!(
                "card {} is suspended; nothing was recorded",
                answer.card
            )));
        }
        let (kind, after) = decide(&before, scheduled_today);
        if kind == AnswerKind::Schedule {
            tx.prepare_cached(
                "UPDATE cards SET repetitions = ?2, efactor = ?3, interval = ?4, due = ?5, \
                   lapses = ?6, last_review = ?7 WHERE id = ?1",
            )?
            .execute(params![
                answer.card,
                after.repetitions,
                after.efactor.0,
                after.interval,
                after.due.map(|d| d.0),
                after.lapses,
                answer.reviewed_at_ms
            ])?;
        }
        tx.prepare_cached(
            "INSERT INTO reviews (card_id, reviewed_at, utc_offset, day, grade, kind, duration_ms, \
               reps_before, ef_before, interval_before, due_before, lapses_before, last_before, \
               reps_after, ef_after, interval_after, due_after, lapses_after) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        )?
        .execute(params![
            answer.card,
            answer.reviewed_at_ms,
            answer.utc_offset_secs,
            answer.day.0,
            answer.grade.value(),
            kind_code(kind),
            answer.duration_ms,
            before.repetitions,
            before.efactor.0,
            before.interval,
            before.due.map(|d| d.0),
            before.lapses,
            last_before,
            after.repetitions,
            after.efactor.0,
            after.interval,
            after.due.map(|d| d.0),
            after.lapses,
        ])?;
        let review_id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Recorded {
            review_id,
            kind,
            before,
            after,
        })
    }

    /// Takes an answer back: the card gets exactly the state it had before,
    /// and the log row is removed. Returns the card it belonged to.
    pub fn undo_answer(&mut self, review_id: i64) -> Result<CardId> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let card: Option<CardId> = tx
            .prepare_cached("SELECT card_id FROM reviews WHERE id = ?1")?
            .query_row([review_id], |r| r.get(0))
            .optional()?;
        let Some(card) = card else {
            return Err(Error::invalid(format!(
                "no answer with id {review_id} to undo"
            )));
        };
        tx.prepare_cached(
            "UPDATE cards SET (repetitions, efactor, interval, due, lapses, last_review) = \
               (SELECT reps_before, ef_before, interval_before, due_before, lapses_before, last_before \
                FROM reviews WHERE id = ?1) \
             WHERE id = ?2",
        )?
        .execute(params![review_id, card])?;
        tx.prepare_cached("DELETE FROM reviews WHERE id = ?1")?
            .execute([review_id])?;
        tx.commit()?;
        Ok(card)
    }

    /// The most recent answer of the log, if any.
    pub fn last_review_id(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT MAX(id) FROM reviews")?
            .query_row([], |r| r.get(0))?)
    }

    pub fn set_suspended(&mut self, card: CardId, suspended: bool) -> Result<()> {
        self.update_card_flag(
            "UPDATE cards SET suspended = ?2 WHERE id = ?1",
            card,
            i64::from(suspended),
        )
    }

    /// Hides a card until the morning of `until`.
    pub fn bury(&mut self, card: CardId, until: Day) -> Result<()> {
        self.update_card_flag(
            "UPDATE cards SET buried_until = ?2 WHERE id = ?1",
            card,
            until.0,
        )
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
        Ok(())
    }

    /// Replaces a card's text (an edit in the TUI); its progress and history
    /// stay, as they do when a deck file is re-imported.
    pub fn update_card_text(
        &mut self,
        card: CardId,
        draft: &crate::domain::CardDraft,
        now_ms: i64,
    ) -> Result<()> {
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE cards SET front = ?2, back = ?3, notes = ?4, tags = ?5, updated_at = ?6 \
                 WHERE id = ?1",
            )?
            .execute(params![
                card,
                draft.front,
                draft.back,
                draft.notes,
                draft.tags.join(" "),
                now_ms
            ])?;
        if changed == 0 {
            return Err(Error::invalid(format!("no card with id {card}")));
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
