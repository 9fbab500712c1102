//! The review log and card states going out (exports) and coming back in
//! (`import --reviews`). Exports stream row by row, so their memory does not
//! grow with the log.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::Store;
use super::cards::{describe, kind_code, kind_from_code, schedule_from};
use super::day_totals::DayTotals;
use super::queue::SCOPE_FILTER;
use crate::domain::leech::LeechPolicy;
use crate::domain::log::{LoggedAnswer, Replayed};
use crate::domain::seen::AnswerRef;
use crate::domain::{AnswerKind, CardId, Day, EFactor, Grade, Schedule};
use crate::error::{Error, Result};
use crate::storage::Scope;

/// A card's SM-2 state, as `export progress` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressRow {
    pub deck: String,
    pub key: String,
    pub schedule: Schedule,
    /// Unix ms and the offset of the last scheduling answer.
    pub last_review: Option<(i64, i32)>,
}

/// One answer of the log, as `export reviews` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub deck: String,
    pub key: String,
    pub reviewed_at_ms: i64,
    pub utc_offset_secs: i32,
    pub grade: u8,
    pub kind: AnswerKind,
    pub duration_ms: u32,
}

/// What a merge of imported answers did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeReport {
    pub added: u64,
    /// Already in the log (same card, same millisecond).
    pub skipped: u64,
    /// Cards whose state was recomputed.
    pub cards: u64,
}

impl Store {
    /// Calls `each` with every card of the scope, by deck name and card id.
    pub fn each_progress(
        &self,
        scope: &Scope,
        mut each: impl FnMut(ProgressRow) -> Result<()>,
    ) -> Result<()> {
        let deck = self.deck_id(scope)?;
        let sql = format!(
            "SELECT d.name, c.key, c.repetitions, c.efactor, c.interval, c.due, c.lapses, \
               c.last_review, \
               (SELECT r.utc_offset FROM reviews r \
                 WHERE r.card_id = c.id AND r.reviewed_at = c.last_review LIMIT 1) \
             FROM cards c JOIN decks d ON d.id = c.deck_id \
             WHERE ?1 IS NULL AND {SCOPE_FILTER} ORDER BY d.name, c.key"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![None::<i64>, deck, scope.tag])?;
        while let Some(r) = rows.next()? {
            let last: Option<i64> = r.get(7)?;
            each(ProgressRow {
                deck: r.get(0)?,
                key: r.get(1)?,
                schedule: Schedule {
                    repetitions: r.get(2)?,
                    efactor: EFactor(r.get(3)?),
                    interval: r.get(4)?,
                    due: r.get::<_, Option<i64>>(5)?.map(Day),
                    lapses: r.get(6)?,
                },
                last_review: last
                    .map(|ms| {
                        Ok::<_, rusqlite::Error>((ms, r.get::<_, Option<i32>>(8)?.unwrap_or(0)))
                    })
                    .transpose()?,
            })?;
        }
        Ok(())
    }

    /// Calls `each` with every answer of the scope from the study day `since` on, oldest first.
    pub fn each_review(
        &self,
        scope: &Scope,
        since: Option<Day>,
        mut each: impl FnMut(LogRow) -> Result<()>,
    ) -> Result<()> {
        let deck = self.deck_id(scope)?;
        let sql = format!(
            "SELECT d.name, c.key, r.reviewed_at, r.utc_offset, r.grade, r.kind, r.duration_ms \
             FROM reviews r JOIN cards c ON c.id = r.card_id JOIN decks d ON d.id = c.deck_id \
             WHERE (?1 IS NULL OR r.day >= ?1) AND {SCOPE_FILTER} \
             ORDER BY r.reviewed_at, r.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![since.map(|d| d.0), deck, scope.tag])?;
        while let Some(r) = rows.next()? {
            each(LogRow {
                deck: r.get(0)?,
                key: r.get(1)?,
                reviewed_at_ms: r.get(2)?,
                utc_offset_secs: r.get(3)?,
                grade: r.get(4)?,
                kind: kind_from_code(r.get(5)?),
                duration_ms: r.get(6)?,
            })?;
        }
        Ok(())
    }

    /// Every card by deck name, then by its id within the deck.
    pub fn card_index(&self) -> Result<HashMap<String, HashMap<String, CardId>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.name, c.key, c.id FROM cards c JOIN decks d ON d.id = c.deck_id",
        )?;
        let mut index: HashMap<String, HashMap<String, CardId>> = HashMap::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            index
                .entry(r.get(0)?)
                .or_default()
                .insert(r.get(1)?, r.get(2)?);
        }
        Ok(index)
    }

    /// Takes back `answer`: its log row goes and the card gets exactly the
    /// state it had before, in one transaction — only while that answer is
    /// still there and still the card's latest, with the card in the state
    /// it left. Latest by id, not by time: ids only grow (0005), a card's
    /// state comes from its answers in the order they were recorded, and a
    /// merge (`import --reviews`) records a card's whole log again in time
    /// order. Otherwise nothing changes and the error says why: an undo
    /// never removes some other answer, nor leaves card and log disagreeing.
    pub fn undo_answer(&mut self, answer: AnswerRef) -> Result<CardId> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        undo_in(&tx, answer, self.leech)?;
        tx.commit()?;
        Ok(answer.card)
    }

    /// `recall undo`: takes back the answer recorded last (ids are never
    /// reused, so the largest is the newest), found and undone in one
    /// transaction so no answer given meanwhile is taken instead.
    pub fn undo_last_answer(&mut self) -> Result<CardId> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last = tx
            .prepare_cached(
                "SELECT id, card_id, reviewed_at FROM reviews ORDER BY id DESC LIMIT 1",
            )?
            .query_row([], |r| {
                Ok(AnswerRef {
                    review_id: r.get(0)?,
                    card: r.get(1)?,
                    reviewed_at_ms: r.get(2)?,
                })
            })
            .optional()?
            .ok_or_else(|| Error::invalid("there is no answer to undo"))?;
        undo_in(&tx, last, self.leech)?;
        tx.commit()?;
        Ok(last.card)
    }

    /// Merges imported answers into the log in one transaction. Per card,
    /// answers already in the stored log at the same millisecond are skipped; if any
    /// remain, the card's whole log is rewritten in time order with the states
    /// `replay` computes, and the card takes the final state.
    pub fn merge_reviews(
        &mut self,
        mut incoming: Vec<(CardId, LoggedAnswer)>,
        replay: impl Fn(&[LoggedAnswer]) -> Vec<Replayed>,
    ) -> Result<MergeReport> {
        // Stable: answers of one card at the same millisecond keep the file's order.
        incoming.sort_by_key(|(card, a)| (*card, a.reviewed_at_ms));
        // (measured without the bulk cache: 800 000 answers, 62 s)
        self.with_bulk_cache(|store| store.merge_in_transaction(&incoming, replay))
    }

    fn merge_in_transaction(
        &mut self,
        incoming: &[(CardId, LoggedAnswer)],
        replay: impl Fn(&[LoggedAnswer]) -> Vec<Replayed>,
    ) -> Result<MergeReport> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The per-day totals are folded by hand (see `DayTotals`).
        let mut totals = DayTotals::begin(&tx)?;
        let mut report = MergeReport::default();
        {
            let mut deck_of = tx.prepare_cached("SELECT deck_id FROM cards WHERE id = ?1")?;
            let mut existing = tx.prepare_cached(
                "SELECT reviewed_at, utc_offset, day, grade, kind, duration_ms, interval_before, \
                   anki_kind FROM reviews WHERE card_id = ?1 ORDER BY reviewed_at, id",
            )?;
            let mut delete = tx.prepare_cached("DELETE FROM reviews WHERE card_id = ?1")?;
            let mut insert = tx.prepare_cached(INSERT_REVIEW)?;
            let mut update = tx.prepare_cached(
                "UPDATE cards SET repetitions = ?2, efactor = ?3, interval = ?4, due = ?5, \
                   lapses = ?6, last_review = ?7 WHERE id = ?1",
            )?;
            let mut log: Vec<LoggedAnswer> = Vec::new();
            // (kind code, interval before) of the stored answers, beside `log`.
            let mut stored: Vec<(i64, u32)> = Vec::new();
            // The answers imported from Anki keep that mark through the rewrite.
            let mut from_anki: HashMap<i64, i64> = HashMap::new();
            for group in incoming.chunk_by(|a, b| a.0 == b.0) {
                let card = group[0].0;
                log.clear();
                stored.clear();
                from_anki.clear();
                let rows = existing.query_map([card], |r| {
                    Ok((
                        LoggedAnswer {
                            reviewed_at_ms: r.get(0)?,
                            utc_offset_secs: r.get(1)?,
                            day: Day(r.get(2)?),
                            grade: Grade::new(r.get(3)?).unwrap_or(Grade::ALL[0]),
                            cram: kind_from_code(r.get(4)?) == AnswerKind::Cram,
                            duration_ms: r.get(5)?,
                        },
                        (r.get::<_, i64>(4)?, r.get::<_, u32>(6)?),
                        r.get::<_, Option<i64>>(7)?,
                    ))
                })?;
                for row in rows {
                    let (answer, kind, anki_kind) = row?;
                    if let Some(anki_kind) = anki_kind {
                        from_anki.insert(answer.reviewed_at_ms, anki_kind);
                    }
                    log.push(answer);
                    stored.push(kind);
                }
                let known = log.len();
                for (_, answer) in group {
                    // Only the stored log counts: the file may hold two answers in
                    // one millisecond (a frozen RECALL_NOW), and both are real.
                    let seen = log[..known]
                        .iter()
                        .any(|a| a.reviewed_at_ms == answer.reviewed_at_ms);
                    if seen {
                        report.skipped += 1;
                    } else {
                        log.push(*answer);
                    }
                }
                if log.len() == known {
                    continue;
                }
                report.added += (log.len() - known) as u64;
                report.cards += 1;
                log.sort_by_key(|a| a.reviewed_at_ms);
                if known > 0 {
                    delete.execute([card])?;
                }
                let deck: i64 = deck_of.query_row([card], |r| r.get(0))?;
                for (a, &(kind, interval_before)) in log[..known].iter().zip(&stored) {
                    totals.tally(deck, a, kind, interval_before, -1);
                }
                let steps = replay(&log);
                let mut last_scheduled = None;
                for (a, step) in log.iter().zip(&steps) {
                    insert_review(
                        &mut insert,
                        card,
                        a,
                        step,
                        last_scheduled,
                        from_anki.get(&a.reviewed_at_ms).copied(),
                    )?;
                    totals.tally(deck, a, kind_code(step.kind), step.before.interval, 1);
                    if step.kind == AnswerKind::Schedule {
                        last_scheduled = Some(a.reviewed_at_ms);
                    }
                }
                let f = steps.last().map_or(Schedule::NEW, |s| s.after);
                update.execute(params![
                    card,
                    f.repetitions,
                    f.efactor.0,
                    f.interval,
                    f.due.map(|d| d.0),
                    f.lapses,
                    last_scheduled
                ])?;
            }
        }
        if report.added == 0 {
            // Nothing new: the database stays exactly as it was, triggers and all.
            tx.rollback()?;
            return Ok(report);
        }
        totals.finish(&tx)?;
        tx.commit()?;
        Ok(report)
    }
}

/// Writes one answer of the log with the card's state before and after it.
pub(super) const INSERT_REVIEW: &str = "INSERT INTO reviews (card_id, reviewed_at, utc_offset, day, grade, kind, duration_ms, \
       reps_before, ef_before, interval_before, due_before, lapses_before, last_before, \
       reps_after, ef_after, interval_after, due_after, lapses_after, anki_kind) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

/// `INSERT_REVIEW` for one answer: `last_before` is the card's previous
/// scheduling answer, `anki_kind` the mark of an answer imported from Anki.
pub(super) fn insert_review(
    insert: &mut rusqlite::CachedStatement<'_>,
    card: CardId,
    a: &LoggedAnswer,
    step: &Replayed,
    last_before: Option<i64>,
    anki_kind: Option<i64>,
) -> Result<()> {
    let (b, f) = (step.before, step.after);
    insert.execute(params![
        card,
        a.reviewed_at_ms,
        a.utc_offset_secs,
        a.day.0,
        a.grade.value(),
        kind_code(step.kind),
        a.duration_ms,
        b.repetitions,
        b.efactor.0,
        b.interval,
        b.due.map(|d| d.0),
        b.lapses,
        last_before,
        f.repetitions,
        f.efactor.0,
        f.interval,
        f.due.map(|d| d.0),
        f.lapses,
        anki_kind,
    ])?;
    Ok(())
}

/// The undo of `answer` inside `tx`, after the checks `undo_answer` names.
fn undo_in(tx: &Transaction<'_>, answer: AnswerRef, leech: LeechPolicy) -> Result<()> {
    let found = tx
        .prepare_cached(
            "SELECT d.name, c.key, r.reps_after, r.ef_after, r.interval_after, r.due_after, \
               r.lapses_after, c.repetitions, c.efactor, c.interval, c.due, c.lapses, \
               EXISTS (SELECT 1 FROM reviews n WHERE n.card_id = r.card_id AND n.id > r.id) \
             FROM reviews r JOIN cards c ON c.id = r.card_id JOIN decks d ON d.id = c.deck_id \
             WHERE r.id = ?1 AND r.card_id = ?2 AND r.reviewed_at = ?3",
        )?
        .query_row(
            params![answer.review_id, answer.card, answer.reviewed_at_ms],
            |r| {
                Ok((
                    describe(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?),
                    schedule_from(r, 2)?,
                    schedule_from(r, 7)?,
                    r.get::<_, bool>(12)?,
                ))
            },
        )
        .optional()?;
    let Some((card, left, now, answered_since)) = found else {
        return Err(Error::Changed(
            "that answer is no longer there (it was undone elsewhere, or the collection was \
             restored or its log rewritten by import --reviews); nothing was changed"
                .into(),
        ));
    };
    if answered_since {
        return Err(Error::Changed(format!(
            "that answer is no longer there as the latest (the {card} was answered again \
             since, in another recall or by import --reviews); nothing was changed"
        )));
    }
    if now != left {
        return Err(Error::Changed(format!(
            "that answer is no longer there as the latest (the {card} was changed since, \
             by an import or a restore); nothing was changed"
        )));
    }
    tx.prepare_cached(
        "UPDATE cards SET (repetitions, efactor, interval, due, lapses, last_review) = \
           (SELECT reps_before, ef_before, interval_before, due_before, lapses_before, last_before \
            FROM reviews WHERE id = ?1) \
         WHERE id = ?2",
    )?
    .execute(params![answer.review_id, answer.card])?;
    super::leech::undo(tx, leech, answer.review_id)?;
    tx.prepare_cached("DELETE FROM reviews WHERE id = ?1")?
        .execute([answer.review_id])?;
    Ok(())
}
