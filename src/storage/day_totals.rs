//! The per-day, per-deck totals of the review log (migration 0002), folded
//! by hand for writes of many answers at once (a merged or imported log):
//! the triggers that keep them cost an upsert and a statement journal per
//! answer, a third of such a write's time. They are dropped inside the
//! caller's transaction and come back with its commit, or its rollback.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use crate::domain::log::LoggedAnswer;
use crate::domain::stats::MATURE_DAYS;
use crate::error::Result;

/// The totals of the answers written since `begin`, by (day, deck).
pub(super) struct DayTotals {
    triggers: Vec<String>,
    totals: HashMap<(i64, i64), [i64; 8]>,
}

impl DayTotals {
    /// Drops the triggers; `tx` must be a transaction.
    pub fn begin(tx: &Connection) -> Result<DayTotals> {
        let triggers: Vec<String> = tx
            .prepare(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' \
                 AND name IN ('review_days_insert', 'review_days_delete')",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tx.execute_batch("DROP TRIGGER review_days_insert; DROP TRIGGER review_days_delete;")?;
        Ok(DayTotals {
            triggers,
            totals: HashMap::new(),
        })
    }

    /// Adds (`sign` 1) or takes away (-1) one answer's share, as the
    /// triggers count it: `kind` is its code, `interval_before` the card's.
    pub fn tally(
        &mut self,
        deck: i64,
        answer: &LoggedAnswer,
        kind: i64,
        interval_before: u32,
        sign: i64,
    ) {
        let scheduled = kind == 0;
        let mature = scheduled && interval_before >= MATURE_DAYS;
        let young = scheduled && !mature;
        let passed = answer.grade.passed();
        let t = self.totals.entry((answer.day.0, deck)).or_default();
        let shares = [
            scheduled,
            kind == 1,
            kind == 2,
            false,
            young,
            young && passed,
            mature,
            mature && passed,
        ];
        for (slot, share) in t.iter_mut().zip(shares) {
            *slot += sign * i64::from(share);
        }
        t[3] += sign * i64::from(answer.duration_ms);
    }

    /// Writes the totals and brings the triggers back.
    pub fn finish(self, tx: &Connection) -> Result<()> {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO review_days (day, deck_id, reviews, redrills, cram, duration_ms, \
               young, young_passed, mature, mature_passed) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
             ON CONFLICT (day, deck_id) DO UPDATE SET \
               reviews = reviews + excluded.reviews, redrills = redrills + excluded.redrills, \
               cram = cram + excluded.cram, duration_ms = duration_ms + excluded.duration_ms, \
               young = young + excluded.young, young_passed = young_passed + excluded.young_passed, \
               mature = mature + excluded.mature, \
               mature_passed = mature_passed + excluded.mature_passed",
        )?;
        for ((day, deck), t) in &self.totals {
            upsert.execute(params![
                day, deck, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]
            ])?;
        }
        drop(upsert);
        for sql in &self.triggers {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}
