//! One card's part of a merge (`merge.rs`): its stored log read, the
//! incoming answers that are new added, and its whole log written again
//! in time order with the states a replay computes.

use rusqlite::{CachedStatement, OptionalExtension, Transaction};

use super::cards::{kind_code, kind_from_code};
use super::day_totals::DayTotals;
use super::merge::MergeReport;
use super::review_rows::{CardStates, ReviewBatch, ReviewRow};
use crate::domain::log::{LoggedAnswer, Replayed, replay_between_resets};
use crate::domain::log_packed::CardAnswer;
use crate::domain::{AnswerKind, CardId, Day, Grade, Schedule};
use crate::error::{Error, Result};

/// An answer of the stored log, with what the rewrite keeps of it.
pub(super) struct Stored {
    pub answer: LoggedAnswer,
    pub kind: i64,
    pub interval_before: u32,
    /// The mark of an answer imported from Anki, kept through the rewrite.
    anki_kind: Option<i64>,
}

/// The statements and buffers of one merge, reused card after card.
pub(super) struct Merge<'t> {
    pub deck_of: CachedStatement<'t>,
    resets: CachedStatement<'t>,
    existing: CachedStatement<'t>,
    pub delete: CachedStatement<'t>,
    reviews: ReviewBatch<'t>,
    states: CardStates<'t>,
    pub stored: Vec<Stored>,
    /// The stored answers, then the new ones: the card's log to replay.
    pub log: Vec<LoggedAnswer>,
    from_anki: foldhash::HashMap<i64, i64>,
    /// The log held no answer, or no card had been reset, when the merge
    /// began (`skip_empty_tables`).
    no_log: bool,
    no_resets: bool,
}

impl<'t> Merge<'t> {
    pub fn new(tx: &'t Transaction<'_>) -> Result<Merge<'t>> {
        Ok(Merge {
            deck_of: tx.prepare_cached("SELECT deck_id FROM cards WHERE id = ?1")?,
            resets: tx
                .prepare_cached("SELECT at_ms FROM card_resets WHERE card = ?1 ORDER BY at_ms")?,
            existing: tx.prepare_cached(
                "SELECT reviewed_at, utc_offset, day, grade, kind, duration_ms, interval_before, \
                   anki_kind FROM reviews WHERE card_id = ?1 ORDER BY reviewed_at, id",
            )?,
            delete: tx.prepare_cached("DELETE FROM reviews WHERE card_id = ?1")?,
            reviews: ReviewBatch::new(tx)?,
            states: CardStates::new(tx)?,
            stored: Vec::new(),
            log: Vec::new(),
            from_anki: foldhash::HashMap::default(),
            no_log: false,
            no_resets: false,
        })
    }

    /// For a merge of many cards: the first history merged into a database
    /// asks nothing per card of a log or resets that are empty (the two
    /// look-ups were 2 % of merging 800 000 answers). Each card is merged
    /// once, so what the merge writes changes neither for the cards still
    /// to come. (A sync's replay of one card has no use for it.)
    pub fn skip_empty_tables(&mut self, tx: &Transaction<'_>) -> Result<()> {
        self.no_log = is_empty(tx, "reviews")?;
        self.no_resets = is_empty(tx, "card_resets")?;
        Ok(())
    }

    /// Writes what is still pending.
    pub fn finish(self) -> Result<()> {
        self.reviews.finish()
    }

    /// Merges `card`'s incoming answers (`group`, in time order).
    pub fn card(
        &mut self,
        card: CardId,
        group: &[impl CardAnswer],
        replay: impl Fn(&[LoggedAnswer]) -> Vec<Replayed>,
        totals: &mut DayTotals,
        report: &mut MergeReport,
    ) -> Result<()> {
        self.load(card)?;
        self.log.clear();
        self.log.extend(self.stored.iter().map(|s| s.answer));
        let known = self.log.len();
        for answer in group.iter().map(CardAnswer::answer) {
            // Only the stored log counts: the file may hold two answers in
            // one millisecond (a frozen RECALL_NOW), and both are real.
            let seen = self.stored[..known]
                .iter()
                .any(|s| s.answer.reviewed_at_ms == answer.reviewed_at_ms);
            if seen {
                report.skipped += 1;
            } else {
                self.log.push(answer);
            }
        }
        if self.log.len() == known {
            return Ok(());
        }
        report.added += (self.log.len() - known) as u64;
        report.cards += 1;
        self.log.sort_by_key(|a| a.reviewed_at_ms);
        let deck: i64 = self
            .deck_of
            .query_row([card], |r| r.get(0))
            .optional()?
            .ok_or_else(|| {
                // Read before the transaction began, then deleted by another recall.
                Error::Changed(format!(
                    "card number {card} was deleted while the log was being read; nothing was \
                     imported (run the import again)"
                ))
            })?;
        if known > 0 {
            self.delete.execute([card])?;
            for s in &self.stored {
                totals.tally(deck, &s.answer, s.kind, s.interval_before, -1);
            }
        }
        let resets = self.resets_of(card)?;
        let (steps, restarts) = replay_between_resets(&replay, &self.log, &resets);
        self.rewrite(card, deck, &steps, &restarts, totals)
    }

    /// The card's resets (`card_resets`), oldest first.
    pub fn resets_of(&mut self, card: CardId) -> Result<Vec<i64>> {
        if self.no_resets {
            return Ok(Vec::new());
        }
        let rows = self.resets.query_map([card], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The card's stored log into `stored`, oldest first.
    pub fn load(&mut self, card: CardId) -> Result<()> {
        self.stored.clear();
        self.from_anki.clear();
        if self.no_log {
            return Ok(());
        }
        let rows = self.existing.query_map([card], |r| {
            Ok(Stored {
                answer: LoggedAnswer {
                    reviewed_at_ms: r.get(0)?,
                    utc_offset_secs: r.get(1)?,
                    day: Day(r.get(2)?),
                    grade: Grade::new(r.get(3)?).unwrap_or(Grade::ALL[0]),
                    cram: kind_from_code(r.get(4)?) == AnswerKind::Cram,
                    duration_ms: r.get(5)?,
                },
                kind: r.get(4)?,
                interval_before: r.get(6)?,
                anki_kind: r.get(7)?,
            })
        })?;
        for row in rows {
            let row = row?;
            if let Some(anki_kind) = row.anki_kind {
                self.from_anki.insert(row.answer.reviewed_at_ms, anki_kind);
            }
            self.stored.push(row);
        }
        Ok(())
    }

    /// Writes the card's merged `log` with its replayed `steps`, and the
    /// card's final state; at each step of `restarts`, after a reset, the
    /// card had not been scheduled before.
    pub fn rewrite(
        &mut self,
        card: CardId,
        deck: i64,
        steps: &[Replayed],
        restarts: &[usize],
        totals: &mut DayTotals,
    ) -> Result<()> {
        let mut last_scheduled = None;
        for (i, (answer, step)) in self.log.iter().zip(steps).enumerate() {
            if restarts.contains(&i) {
                last_scheduled = None;
            }
            self.reviews.push(&ReviewRow {
                card,
                answer,
                step,
                last_before: last_scheduled,
                anki_kind: self.from_anki.get(&answer.reviewed_at_ms).copied(),
            })?;
            totals.tally(deck, answer, kind_code(step.kind), step.before.interval, 1);
            if step.kind == AnswerKind::Schedule {
                last_scheduled = Some(answer.reviewed_at_ms);
            }
        }
        // Reset after its last answer: new, as `recall reset` left it.
        let restart = restarts.last().copied().unwrap_or(0).min(steps.len());
        if restart == steps.len() {
            last_scheduled = None;
        }
        let last = steps[restart..].last().map_or(Schedule::NEW, |s| s.after);
        self.states.set(card, &last, last_scheduled)
    }
}

/// Whether `table` (one of this module's) has no row.
fn is_empty(tx: &Transaction<'_>, table: &str) -> Result<bool> {
    let sql = format!("SELECT NOT EXISTS (SELECT 1 FROM {table})");
    Ok(tx.prepare_cached(&sql)?.query_row([], |r| r.get(0))?)
}
