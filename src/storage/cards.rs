//! Cards, today's queue inputs and the review log.

use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::Store;
use super::review_rows::{CardStates, ReviewRow, ReviewWriter};
use crate::domain::log::{LoggedAnswer, Replayed};
use crate::domain::seen::{AnswerRef, Match, Seen};
use crate::domain::{
    AnswerKind, Card, CardId, CardState, Day, EFactor, Grade, Memory, Schedule, Scope,
};
use crate::error::{Error, Result};

/// The facts of one answer that the log keeps beside the states.
#[derive(Debug, Clone, Copy)]
pub struct AnswerRecord {
    pub grade: Grade,
    pub reviewed_at_ms: i64,
    pub utc_offset_secs: i32,
    pub day: Day,
    pub duration_ms: u32,
}

impl AnswerRecord {
    /// The answer as the log keeps it, counted as `kind`.
    fn logged(&self, kind: AnswerKind) -> LoggedAnswer {
        LoggedAnswer {
            reviewed_at_ms: self.reviewed_at_ms,
            utc_offset_secs: self.utc_offset_secs,
            day: self.day,
            grade: self.grade,
            cram: kind == AnswerKind::Cram,
            duration_ms: self.duration_ms,
        }
    }
}

/// What an answer did, as stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recorded {
    pub answer: AnswerRef,
    pub kind: AnswerKind,
    pub before: Schedule,
    pub after: Schedule,
    /// FSRS's memory state after the answer (`None` under SM-2).
    pub memory: Option<Memory>,
    /// The answer made the card a leech, and this was done about it.
    pub leech: Option<crate::domain::leech::LeechAction>,
}

/// The card an answer finds in its own transaction, to hold against the
/// card the user saw.
struct Found {
    deck: String,
    key: String,
    schedule: Schedule,
    memory: Option<Memory>,
    last_review: Option<i64>,
    suspended: bool,
    scheduled_today: bool,
}

impl Found {
    /// `card` as an answer on study day `day` finds it, if it is there.
    fn read(tx: &rusqlite::Connection, card: CardId, day: Day) -> Result<Option<Found>> {
        Ok(tx
            .prepare_cached(
                "SELECT d.name, c.key, c.repetitions, c.efactor, c.interval, c.due, c.lapses, \
                   c.last_review, c.suspended, \
                   EXISTS (SELECT 1 FROM reviews r WHERE r.day = ?2 AND r.card_id = c.id AND r.kind = 0), \
                   c.stability, c.difficulty \
                 FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?1",
            )?
            .query_row(params![card, day.0], |r| {
                Ok(Found {
                    deck: r.get(0)?,
                    key: r.get(1)?,
                    schedule: schedule_from(r, 2)?,
                    memory: super::scheduling::memory_from(r, 10)?,
                    last_review: r.get(7)?,
                    suspended: r.get(8)?,
                    scheduled_today: r.get(9)?,
                })
            })
            .optional()?)
    }
}

/// `card "k" of deck "d"`, escaped (`{:?}`): names come from deck files.
pub(super) fn describe(deck: &str, key: &str) -> String {
    format!("card {key:?} of deck {deck:?}")
}

/// Refuses an answer unless the database still holds the card the user
/// saw: the same deck and id within it (a pruned card's number can name
/// another card after a restore), and for a card on screen, in the state
/// shown (an answer given elsewhere meanwhile, or a restored older copy,
/// changes it).
fn check_seen(seen: Seen<'_>, found: Option<Found>) -> Result<Found> {
    let card = seen.card();
    let shown = describe(&card.deck, &card.key);
    let refused = |why: String| Err(Error::Changed(format!("{why}; nothing was recorded")));
    let gone = || {
        format!(
            "the {shown} is no longer in the collection (deleted, or the collection was \
             restored or replaced)"
        )
    };
    let Some(found) = found else {
        return refused(gone());
    };
    let facts = (
        found.deck.as_str(),
        found.key.as_str(),
        &found.schedule,
        found.last_review,
    );
    match seen.compare(Some(facts)) {
        Match::Same => {}
        Match::Gone => return refused(gone()),
        Match::Other => {
            return refused(format!(
                "card number {} is no longer the {shown} (the collection was restored or \
                 re-imported)",
                card.id
            ));
        }
        Match::Changed => {
            return refused(format!(
                "the {shown} was answered or changed elsewhere since it was shown (another \
                 recall, an import or a restore)"
            ));
        }
    }
    if found.suspended {
        return Err(Error::invalid(format!(
            "the {shown} is suspended; nothing was recorded"
        )));
    }
    Ok(found)
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

pub(super) fn schedule_from(row: &Row<'_>, first: usize) -> rusqlite::Result<Schedule> {
    Ok(Schedule {
        repetitions: row.get(first)?,
        efactor: EFactor(row.get(first + 1)?),
        interval: row.get(first + 2)?,
        due: row.get::<_, Option<i64>>(first + 3)?.map(Day),
        lapses: row.get(first + 4)?,
    })
}

const CARD_COLUMNS: &str = "c.id, d.name, c.key, c.front, c.back, c.notes, c.tags, \
     c.repetitions, c.efactor, c.interval, c.due, c.lapses, c.suspended, c.last_review, c.typed";

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
        typed: row.get(14)?,
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

    /// Records one answer to `seen`, the card as the user saw it, and the
    /// card's new state in one transaction, after checking in it that the
    /// database still holds that card (in that state, if it was shown; see
    /// `check_seen`).
    /// `decide` gets the card's state and whether it was already scheduled
    /// today, and says how the answer counts and what the state becomes.
    pub fn record_answer(
        &mut self,
        seen: Seen<'_>,
        answer: AnswerRecord,
        decide: impl FnOnce(&CardState, bool) -> (AnswerKind, CardState),
    ) -> Result<Recorded> {
        let card = seen.card().id;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = Found::read(&tx, card, answer.day)?;
        let Found {
            schedule: before,
            memory,
            last_review: last_before,
            scheduled_today,
            ..
        } = check_seen(seen, found)?;
        let state = CardState {
            schedule: before,
            memory,
        };
        let (kind, next) = decide(&state, scheduled_today);
        let after = next.schedule;
        if kind == AnswerKind::Schedule {
            CardStates::new(&tx)?.set(card, &after, Some(answer.reviewed_at_ms))?;
        }
        let review_id = ReviewWriter::new(&tx)?.insert(&ReviewRow {
            card,
            answer: &answer.logged(kind),
            step: &Replayed {
                kind,
                before,
                after,
            },
            last_before,
            anki_kind: None,
        })?;
        super::scheduling::record_memory(&tx, card, review_id, memory, next.memory)?;
        let leech = super::leech::apply(&tx, self.leech, card, &before, &after)?;
        tx.commit()?;
        Ok(Recorded {
            answer: AnswerRef {
                review_id,
                card,
                reviewed_at_ms: answer.reviewed_at_ms,
            },
            kind,
            before,
            after,
            memory: next.memory,
            leech,
        })
    }
}
