//! What another program knew about the cards an import brings (Anki,
//! `--with-progress`): suspended and buried states, schedules and review
//! history. Given only to cards recall has never scheduled or reviewed, in
//! the import's transaction: progress made here is never overwritten, and
//! importing the same file again adds nothing twice.

use rusqlite::{OptionalExtension, params};

use super::cards::kind_code;
use super::day_totals::DayTotals;
use super::import::Importer;
use super::review_rows::{ReviewRow, ReviewWriter};
use crate::domain::imported::{CardHistory, ForeignKind};
use crate::domain::{AnswerKind, Day, ImportedProgress};
use crate::error::Result;

/// A card that recall has never scheduled or reviewed: still as imported.
const UNTOUCHED: &str =
    "due IS NULL AND NOT EXISTS (SELECT 1 FROM reviews WHERE card_id = cards.id)";

fn anki_kind_code(kind: ForeignKind) -> i64 {
    match kind {
        ForeignKind::Learn => 0,
        ForeignKind::Review => 1,
        ForeignKind::Relearn => 2,
        ForeignKind::Filtered => 3,
    }
}

impl Importer<'_> {
    /// Schedules and suspended/buried states from another program. A buried
    /// card stays hidden through `today`.
    pub fn apply_progress(&mut self, progress: &[ImportedProgress], today: Day) -> Result<()> {
        let mut schedule = self.tx.prepare_cached(&format!(
            "UPDATE cards SET repetitions = ?3, efactor = ?4, interval = ?5, due = ?6, \
               lapses = ?7 WHERE deck_id = ?1 AND key = ?2 AND {UNTOUCHED}"
        ))?;
        let mut suspend = self.tx.prepare_cached(&format!(
            "UPDATE cards SET suspended = 1 \
             WHERE deck_id = ?1 AND key = ?2 AND suspended = 0 AND {UNTOUCHED}"
        ))?;
        let mut bury = self.tx.prepare_cached(&format!(
            "UPDATE cards SET buried_until = ?3 WHERE deck_id = ?1 AND key = ?2 \
               AND (buried_until IS NULL OR buried_until < ?3) AND {UNTOUCHED}"
        ))?;
        for p in progress {
            let Some(&index) = self.by_name.get(&p.deck) else {
                continue;
            };
            let deck = &mut self.decks[index];
            // Flags first: the schedule below makes the card "touched".
            if p.suspended && suspend.execute(params![deck.id, p.key])? > 0 {
                deck.report.suspended += 1;
            }
            if p.buried && bury.execute(params![deck.id, p.key, today.plus(1).0])? > 0 {
                deck.report.buried += 1;
            }
            let Some(s) = &p.schedule else {
                continue;
            };
            let changed = schedule.execute(params![
                deck.id,
                p.key,
                s.repetitions,
                s.efactor.0,
                s.interval,
                s.due.map(|d| d.0),
                s.lapses,
            ])?;
            if changed > 0 {
                deck.report.progress += 1;
            }
        }
        Ok(())
    }

    /// Another program's review log, as answers of recall's log marked with
    /// the kind that program logged. A card that already has answers gets
    /// none.
    pub fn add_history(&mut self, cards: &[CardHistory]) -> Result<()> {
        if cards.is_empty() {
            return Ok(());
        }
        let mut totals = DayTotals::begin(&self.tx)?;
        let mut card_of = self.tx.prepare_cached(
            "SELECT id FROM cards WHERE deck_id = ?1 AND key = ?2 \
               AND NOT EXISTS (SELECT 1 FROM reviews WHERE card_id = cards.id)",
        )?;
        let mut reviews = ReviewWriter::new(&self.tx)?;
        let mut last_review = self
            .tx
            .prepare_cached("UPDATE cards SET last_review = ?2 WHERE id = ?1")?;
        for history in cards {
            let Some(&index) = self.by_name.get(&history.deck) else {
                continue;
            };
            let deck = &mut self.decks[index];
            let Some(card) = card_of
                .query_row(params![deck.id, history.key], |r| r.get::<_, i64>(0))
                .optional()?
            else {
                continue;
            };
            let mut last_scheduled: Option<i64> = None;
            for s in &history.steps {
                let a = &s.answer;
                reviews.insert(&ReviewRow {
                    card,
                    answer: a,
                    step: &s.step,
                    last_before: last_scheduled,
                    anki_kind: Some(anki_kind_code(s.kind)),
                })?;
                totals.tally(
                    deck.id,
                    a,
                    kind_code(s.step.kind),
                    s.step.before.interval,
                    1,
                );
                if s.step.kind == AnswerKind::Schedule {
                    last_scheduled = Some(a.reviewed_at_ms);
                }
                deck.report.answers += 1;
            }
            if last_scheduled.is_some() {
                last_review.execute(params![card, last_scheduled])?;
            }
        }
        drop((card_of, reviews, last_review));
        totals.finish(&self.tx)
    }
}
