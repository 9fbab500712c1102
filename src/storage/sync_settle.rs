//! Settling a sync: the review log brought in line with the answers the
//! logs hold (`sync_answers`), through the merge of `import --reviews`.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, params};

use super::sync::{CARD_OF, SyncTx, pending_in};
use crate::domain::log::{LoggedAnswer, Replayed};
use crate::domain::sync_event::CardName;
use crate::domain::{CardId, Day, Grade};
use crate::error::Result;

/// What settling the logs into the review log did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Settled {
    /// Answers from other devices now in the review log.
    pub added: u64,
    /// Answers taken out by another device's undo.
    pub undone: u64,
    /// Answers of cards this database does not have (yet).
    pub pending: u64,
    /// Cards suspended, unsuspended, buried or unburied by another device.
    pub states: u64,
    /// Cards reset by another device.
    pub reset: u64,
    /// Cards deleted by another device.
    pub deleted: u64,
}

impl Settled {
    /// Whether any card's log or state was written again.
    pub fn replayed(&self) -> bool {
        self.added + self.undone + self.reset + self.deleted > 0
    }
}

/// Whether this database has the card of the `sync_answers` row being updated.
const CARD_HERE: &str = "EXISTS (SELECT 1 FROM decks d JOIN cards c ON c.deck_id = d.id \
     WHERE d.name = sync_answers.deck AND c.key = sync_answers.card)";

impl SyncTx<'_> {
    /// Brings the review log in line with the logs: answers not yet in it
    /// merged through the exact replay of `import --reviews` (`replay`),
    /// undone ones taken out and their cards replayed the same way.
    /// Replayed too (see `merge::replay_card`): the cards of `own` (this
    /// device's undos since the last sync) and those answered here since
    /// (review ids over `since`) out of time order.
    pub fn settle(
        &self,
        own: &[CardName],
        since: i64,
        replay: impl Fn(&[LoggedAnswer]) -> Vec<Replayed>,
    ) -> Result<Settled> {
        // A card deleted here since: its answers wait again for it.
        let mut settled = Settled::default();
        // Before the answers: those of a deleted card are not merged.
        let (deleted, mut cards) = self.apply_deletions()?;
        settled.deleted = deleted;
        let reset = self.apply_resets()?;
        settled.reset = reset.len() as u64;
        self.tx.execute_batch(&format!(
            "UPDATE sync_answers SET applied = 0 WHERE applied = 1 AND NOT {CARD_HERE}"
        ))?;
        let incoming = self.unapplied()?;
        if !incoming.is_empty() {
            let groups = incoming
                .chunk_by(|a, b| a.0 == b.0)
                .map(|group| (group[0].0, group));
            settled.added = super::merge::merge_in(&self.tx, groups, &replay)?.added;
            self.tx.execute_batch(&format!(
                "UPDATE sync_answers SET applied = 1 \
                 WHERE undone_by IS NULL AND applied = 0 AND {CARD_HERE} AND NOT EXISTS \
                   (SELECT 1 FROM sync_deletes t WHERE t.deck = sync_answers.deck \
                    AND t.card = sync_answers.card AND sync_answers.reviewed_at <= t.deleted_at)"
            ))?;
        }
        for (card, undone) in self.undone_in_log()? {
            cards.entry(card).or_default().extend(undone);
        }
        for card in reset {
            cards.entry(card).or_default();
        }
        for name in own {
            if let Some(id) = self.card_id(name)? {
                cards.entry(id).or_default();
            }
        }
        for id in self.out_of_order(since)? {
            cards.entry(id).or_default();
        }
        for (card, removed) in cards {
            settled.undone += super::merge::replay_card(&self.tx, card, &removed, &replay)? as u64;
        }
        settled.pending = pending_in(&self.tx)?;
        Ok(settled)
    }

    /// Standing answers the review log has not had, of cards it has, sorted
    /// by card and time as the merge wants them.
    fn unapplied(&self) -> Result<Vec<(CardId, LoggedAnswer)>> {
        let sql = format!(
            "SELECT c.id, s.reviewed_at, s.utc_offset, s.day, s.grade, s.cram, s.duration_ms \
             FROM sync_answers s {CARD_OF} WHERE s.undone_by IS NULL AND s.applied = 0 \
               AND NOT EXISTS (SELECT 1 FROM sync_deletes t WHERE t.deck = s.deck \
                 AND t.card = s.card AND s.reviewed_at <= t.deleted_at) \
             ORDER BY c.id, s.reviewed_at"
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, CardId>(0)?,
                LoggedAnswer {
                    reviewed_at_ms: r.get(1)?,
                    utc_offset_secs: r.get(2)?,
                    day: Day(r.get(3)?),
                    // The column's value came from a checked line or a review.
                    grade: Grade::new(r.get(4)?).unwrap_or(Grade::ALL[0]),
                    cram: r.get(5)?,
                    duration_ms: r.get(6)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Cards with an answer recorded (id over `since`) after one later in
    /// time, or after a reset later in time: the live answer was scheduled
    /// from the latest state, where the time order puts it before (another
    /// device's clock ran ahead).
    /// Answers recorded in time order already hold the replay's states.
    fn out_of_order(&self, since: i64) -> Result<Vec<CardId>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT DISTINCT r.card_id FROM reviews r WHERE r.id > ?1 AND (EXISTS \
               (SELECT 1 FROM reviews e WHERE e.card_id = r.card_id \
                AND e.reviewed_at > r.reviewed_at AND e.id < r.id) \
               OR EXISTS (SELECT 1 FROM card_resets t WHERE t.card = r.card_id \
                AND t.at_ms >= r.reviewed_at))",
        )?;
        let rows = stmt.query_map([since], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn card_id(&self, name: &CardName) -> Result<Option<CardId>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id \
                 WHERE d.name = ?1 AND c.key = ?2",
            )?
            .query_row(params![name.deck, name.card], |r| r.get(0))
            .optional()?)
    }

    /// Undone answers still in the review log, by card.
    fn undone_in_log(&self) -> Result<BTreeMap<CardId, Vec<i64>>> {
        let sql = format!(
            "SELECT c.id, s.reviewed_at FROM sync_answers s {CARD_OF} \
             JOIN reviews r ON r.card_id = c.id AND r.reviewed_at = s.reviewed_at \
             WHERE s.undone_by IS NOT NULL "
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let mut out: BTreeMap<CardId, Vec<i64>> = BTreeMap::new();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, CardId>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (card, at) = row?;
            out.entry(card).or_default().push(at);
        }
        Ok(out)
    }
}
