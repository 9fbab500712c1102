//! One card's review history, as `recall log` and the browser show it.

use rusqlite::params;

use super::Store;
use super::cards::kind_from_code;
use crate::domain::{AnswerKind, CardId, Day, EFactor, Schedule};
use crate::error::Result;

/// One answer of a card's log, with the state before and after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub reviewed_at_ms: i64,
    pub utc_offset_secs: i32,
    pub day: Day,
    pub grade: u8,
    pub kind: AnswerKind,
    pub duration_ms: u32,
    pub before: Schedule,
    pub after: Schedule,
    /// Brought in from Anki's review log rather than answered in recall.
    pub imported: bool,
}

fn schedule(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Schedule> {
    Ok(Schedule {
        repetitions: r.get(first)?,
        efactor: EFactor(r.get(first + 1)?),
        interval: r.get(first + 2)?,
        due: r.get::<_, Option<i64>>(first + 3)?.map(Day),
        lapses: r.get(first + 4)?,
    })
}

impl Store {
    /// Every answer of `card`, oldest first.
    pub fn card_history(&self, card: CardId) -> Result<Vec<HistoryRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT reviewed_at, utc_offset, day, grade, kind, duration_ms, \
               reps_before, ef_before, interval_before, due_before, lapses_before, \
               reps_after, ef_after, interval_after, due_after, lapses_after, \
               anki_kind IS NOT NULL \
             FROM reviews WHERE card_id = ?1 ORDER BY reviewed_at, id",
        )?;
        let rows = stmt.query_map(params![card], |r| {
            Ok(HistoryRow {
                reviewed_at_ms: r.get(0)?,
                utc_offset_secs: r.get(1)?,
                day: Day(r.get(2)?),
                grade: r.get(3)?,
                kind: kind_from_code(r.get(4)?),
                duration_ms: r.get(5)?,
                before: schedule(r, 6)?,
                after: schedule(r, 11)?,
                imported: r.get(16)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
