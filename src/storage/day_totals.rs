//! The per-day, per-deck totals of the review log (migration 0002), folded
//! by hand for writes of many answers at once (a merged or imported log):
//! the triggers that keep them cost an upsert and a statement journal per
//! answer, a third of such a write's time. They are dropped inside the
//! caller's transaction and come back with its commit, or its rollback.

use rusqlite::{Connection, params};

use crate::domain::log::LoggedAnswer;
use crate::domain::stats::MATURE_DAYS;
use crate::error::Result;

/// One row of `review_days` (or a change to one): the columns the
/// triggers keep, counted the way they count them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct DayTotal {
    /// Scheduling answers (kind 0).
    reviews: i64,
    /// Re-drills (kind 1).
    redrills: i64,
    /// Cram answers (kind 2).
    cram: i64,
    /// Of every kind.
    duration_ms: i64,
    /// Scheduling answers to cards younger than `MATURE_DAYS`, and those passed.
    young: i64,
    young_passed: i64,
    /// Scheduling answers to mature cards, and those passed.
    mature: i64,
    mature_passed: i64,
}

impl DayTotal {
    /// One answer's share: `kind` is its code, `interval_before` the card's.
    fn of(answer: &LoggedAnswer, kind: i64, interval_before: u32) -> DayTotal {
        let scheduled = kind == 0;
        let mature = scheduled && interval_before >= MATURE_DAYS;
        let young = scheduled && !mature;
        let passed = answer.grade.passed();
        DayTotal {
            reviews: scheduled.into(),
            redrills: (kind == 1).into(),
            cram: (kind == 2).into(),
            duration_ms: answer.duration_ms.into(),
            young: young.into(),
            young_passed: (young && passed).into(),
            mature: mature.into(),
            mature_passed: (mature && passed).into(),
        }
    }

    /// Adds `sign` (1 or -1) times `other`.
    fn add(&mut self, other: &DayTotal, sign: i64) {
        self.reviews += sign * other.reviews;
        self.redrills += sign * other.redrills;
        self.cram += sign * other.cram;
        self.duration_ms += sign * other.duration_ms;
        self.young += sign * other.young;
        self.young_passed += sign * other.young_passed;
        self.mature += sign * other.mature;
        self.mature_passed += sign * other.mature_passed;
    }
}

/// The totals of the answers written since `begin`, by (day, deck).
pub(super) struct DayTotals {
    triggers: Vec<String>,
    totals: foldhash::HashMap<(i64, i64), DayTotal>,
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
            totals: foldhash::HashMap::default(),
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
        let share = DayTotal::of(answer, kind, interval_before);
        self.totals
            .entry((answer.day.0, deck))
            .or_default()
            .add(&share, sign);
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
        for (&(day, deck), t) in &self.totals {
            upsert.execute(params![
                day,
                deck,
                t.reviews,
                t.redrills,
                t.cram,
                t.duration_ms,
                t.young,
                t.young_passed,
                t.mature,
                t.mature_passed
            ])?;
        }
        drop(upsert);
        for sql in &self.triggers {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}
