//! A deck's cards with their logs, as a switch of its scheduler replays
//! them (`Store::reschedule_deck`), and the reading of one logged answer
//! from a row, which the export and the sync share.

use rusqlite::Row;

use super::cards::{kind_from_code, schedule_from};
use super::scheduling::CardHistory;
use crate::domain::log::LoggedAnswer;
use crate::domain::{AnswerKind, CardId, Day, Grade, Schedule};
use crate::error::Result;

pub(super) fn logged_from(r: &Row<'_>, first: usize) -> rusqlite::Result<LoggedAnswer> {
    Ok(LoggedAnswer {
        reviewed_at_ms: r.get(first)?,
        utc_offset_secs: r.get(first + 1)?,
        day: Day(r.get(first + 2)?),
        // The column's CHECK keeps grades in 0..=5.
        grade: Grade::new(r.get(first + 3)?).unwrap_or(Grade::ALL[0]),
        cram: kind_from_code(r.get(first + 4)?) == AnswerKind::Cram,
        duration_ms: r.get(first + 5)?,
    })
}

/// One card's log, oldest first: each answer's id, and the state before
/// the first answer.
struct CardLog {
    ids: Vec<i64>,
    start: Option<Schedule>,
    answers: Vec<LoggedAnswer>,
}

fn card_log(log: &mut rusqlite::CachedStatement<'_>, card: CardId) -> Result<CardLog> {
    let mut read = CardLog {
        ids: Vec::new(),
        start: None,
        answers: Vec::new(),
    };
    let rows = log.query_map([card], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            logged_from(r, 1)?,
            schedule_from(r, 7)?,
        ))
    })?;
    for row in rows {
        let (id, answer, before) = row?;
        read.start.get_or_insert(before);
        read.ids.push(id);
        read.answers.push(answer);
    }
    Ok(read)
}

/// Every card of `deck` with its log, its first state and its kept SM-2 state.
pub(super) fn histories_in(tx: &rusqlite::Connection, deck: i64) -> Result<Vec<CardHistory>> {
    let mut cards = tx.prepare_cached(
        "SELECT c.id, c.repetitions, c.efactor, c.interval, c.due, c.lapses, \
           s.repetitions, s.efactor, s.interval, s.due, s.lapses, s.last_review, s.last_answer, \
           c.last_review \
         FROM cards c LEFT JOIN sm2_states s ON s.card_id = c.id WHERE c.deck_id = ?1 ORDER BY c.id",
    )?;
    let mut log = tx.prepare_cached(
        "SELECT id, reviewed_at, utc_offset, day, grade, kind, duration_ms, \
           reps_before, ef_before, interval_before, due_before, lapses_before \
         FROM reviews WHERE card_id = ?1 ORDER BY reviewed_at, id",
    )?;
    let mut last_reset = tx.prepare_cached("SELECT MAX(at_ms) FROM card_resets WHERE card = ?1")?;
    let rows = cards.query_map([deck], |r| {
        let stash = match r.get::<_, Option<i64>>(12)? {
            Some(last) => Some((schedule_from(r, 6)?, r.get(11)?, last)),
            None => None,
        };
        Ok((
            r.get::<_, CardId>(0)?,
            schedule_from(r, 1)?,
            stash,
            r.get::<_, Option<i64>>(13)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (card, current, stash, last_review) = row?;
        let CardLog {
            ids,
            start,
            answers,
        } = card_log(&mut log, card)?;
        // After a reset (`recall reset`, or one a sync brought) the card
        // starts from new: only the answers since count, as in the merge.
        let reset: Option<i64> = last_reset.query_row([card], |r| r.get(0))?;
        if let Some(at) = reset {
            let after = answers.partition_point(|a| a.reviewed_at_ms <= at);
            out.push(CardHistory {
                card,
                start: Schedule::NEW,
                log: answers[after..].to_vec(),
                last_review: None,
                stash: None,
            });
            continue;
        }
        // The kept state counts the answers up to `last_answer`; those
        // after it must all come later in time too. A merge can slip older
        // answers in: then the whole log is replayed, as the merge does.
        let stash = stash.and_then(|(schedule, last_review, last_answer)| {
            let counted = ids.iter().filter(|&&id| id <= last_answer).count();
            ids[..counted]
                .iter()
                .all(|&id| id <= last_answer)
                .then_some((schedule, last_review, counted))
        });
        out.push(CardHistory {
            card,
            start: start.unwrap_or(current),
            log: answers,
            last_review,
            stash,
        });
    }
    Ok(out)
}
