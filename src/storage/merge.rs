//! `import --reviews`: answers from another copy of the log merged into
//! this one, in one transaction. Per card, answers already stored at the
//! same millisecond are skipped; if any remain, the card's whole log is
//! written again in time order with the states a replay computes, and the
//! card takes the final state.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::bulk_indexes::DroppedIndexes;
use super::day_totals::DayTotals;
use super::kept_counts::{CountsTriggers, ON_UPDATE, Recount};
use super::merge_card::Merge;
use super::{INDEX_BUILD_CACHE_KIB, Store, journal, set_cache_kib};
use crate::domain::CardId;
use crate::domain::log::{LoggedAnswer, Replayed, replay_between_resets};
use crate::domain::log_packed::{ByCard, CardAnswer};
use crate::error::Result;

/// What a merge of imported answers did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeReport {
    pub added: u64,
    /// Already in the log (same card, same millisecond).
    pub skipped: u64,
    /// Cards whose state was recomputed.
    pub cards: u64,
}

/// From this many answers on, a merge may take the bulk path (`Bulk`).
const BULK_ANSWERS: usize = 20_000;

/// The indexes a bulk merge drops and builds again. Every secondary card
/// index holds a scheduling column, so each card's new state would be a
/// delete and an insert in five scattered indexes: two thirds of replaying
/// 700 000 answers into 100 000 cards. `reviews_day` is filled day by day
/// while the log is written card by card, so each row lands somewhere
/// else in it. `reviews_card` stays: the merge reads each card's stored
/// log through it, and it is filled in its own order.
const BULK_INDEXES: [&str; 6] = [
    "cards_due",
    "cards_new",
    "cards_stats",
    "cards_deck_due",
    "cards_browse",
    "reviews_day",
];

/// How a merge writes. Both give the same database; `Bulk` is faster for
/// a log that touches a large share of the cards, `Rowwise` for a small one
/// (building an index again reads the whole table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Path {
    Rowwise,
    /// The card indexes dropped and built again (`BULK_INDEXES`), the deck
    /// counts' update trigger set aside and the decks counted once at the
    /// end (`kept_counts`), CHECK
    /// constraints not evaluated per row (see `unchecked`), and a rollback
    /// journal when nobody else has the database open (`journal::bulk`).
    Bulk,
}

impl Store {
    /// Merges imported answers into the log in one transaction (see the
    /// module's comment); `replay` computes the states of a card's log.
    pub fn merge_reviews(
        &mut self,
        incoming: ByCard,
        replay: impl Fn(&[LoggedAnswer]) -> Vec<Replayed>,
    ) -> Result<MergeReport> {
        let path = self.path_for(incoming.len(), incoming.cards())?;
        self.merge_sorted(incoming, replay, path)
    }

    /// `Bulk` for a log of at least `BULK_ANSWERS` answers, at least a
    /// quarter as many as the stored log has, touching at least a quarter
    /// of the cards. Building the indexes again costs about 1.3 µs a row of
    /// the whole log; a row-by-row answer into a big log, its index pages
    /// out of the cache, 14 µs: the second half of a million cards' history
    /// (3 889 934 answers into 4 143 868) took 56 s row by row, where the
    /// first half, in bulk, wrote its rows in 8 s and built the indexes in 10.
    /// (It took the bulk path only with no fewer answers than the log.)
    fn path_for(&self, incoming: usize, touched: usize) -> Result<Path> {
        if incoming < BULK_ANSWERS {
            return Ok(Path::Rowwise);
        }
        let (answers, cards) = self.largest_ids()?;
        let big = i64::try_from(incoming)
            .unwrap_or(i64::MAX)
            .saturating_mul(4)
            >= answers
            && i64::try_from(touched).unwrap_or(i64::MAX).saturating_mul(4) >= cards;
        Ok(if big { Path::Bulk } else { Path::Rowwise })
    }

    /// The largest answer and card ids: their counts without counting
    /// (ids only grow, 0005).
    pub(super) fn largest_ids(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT IFNULL(MAX(id), 0) FROM reviews), \
                    (SELECT IFNULL(MAX(id), 0) FROM cards)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// The merge of `incoming` along `path`.
    pub(super) fn merge_sorted(
        &mut self,
        incoming: ByCard,
        replay: impl Fn(&[LoggedAnswer]) -> Vec<Replayed>,
        path: Path,
    ) -> Result<MergeReport> {
        // (measured without the bulk cache: 800 000 answers, 62 s)
        self.with_bulk_cache(|store| {
            if path == Path::Rowwise {
                return merge_transaction(&mut store.conn, incoming, replay, path);
            }
            let journal = journal::bulk(&store.conn)?;
            let result =
                store.unchecked(|store| merge_transaction(&mut store.conn, incoming, replay, path));
            if journal {
                journal::back_to_wal(&store.conn)?;
            }
            result
        })
    }
}

/// One merge transaction: committed, or rolled back when nothing was added
/// (the database stays exactly as it was, triggers and indexes and all) or
/// on an error.
fn merge_transaction(
    conn: &mut Connection,
    incoming: ByCard,
    replay: impl Fn(&[LoggedAnswer]) -> Vec<Replayed>,
    path: Path,
) -> Result<MergeReport> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut counts = CountsTriggers::default();
    let dropped = match path {
        Path::Bulk => {
            counts.set_aside(&tx, &[ON_UPDATE])?;
            Some(DroppedIndexes::drop(&tx, &BULK_INDEXES)?)
        }
        Path::Rowwise => None,
    };
    let report = merge_in(&tx, incoming.groups(), replay)?;
    // Gone before the indexes are built, which take memory of their own to
    // sort: merging 800 000 answers (then 32 bytes each) peaked at 53 MB
    // with them kept, 43.5 MB without.
    drop(incoming);
    if report.added == 0 {
        tx.rollback()?;
        return Ok(report);
    }
    if let Some(dropped) = dropped {
        set_cache_kib(&tx, INDEX_BUILD_CACHE_KIB)?;
        dropped.rebuild(&tx)?;
    }
    counts.restore(&tx, Recount::All)?;
    tx.commit()?;
    Ok(report)
}

/// The merge of `groups` (each card once, with its answers in time order)
/// inside `tx`; the caller commits, or rolls back when nothing was added.
/// A sync (`storage::sync`) runs it inside its own transaction.
pub(super) fn merge_in<'a, A: CardAnswer + 'a>(
    tx: &Transaction<'_>,
    groups: impl Iterator<Item = (CardId, &'a [A])>,
    replay: impl Fn(&[LoggedAnswer]) -> Vec<Replayed>,
) -> Result<MergeReport> {
    // The per-day totals are folded by hand (see `DayTotals`).
    let mut totals = DayTotals::begin(tx)?;
    let mut merge = Merge::new(tx)?;
    merge.skip_empty_tables(tx)?;
    let mut report = MergeReport::default();
    for (card, answers) in groups {
        merge.card(card, answers, &replay, &mut totals, &mut report)?;
    }
    merge.finish()?;
    // Always, so that the triggers come back inside a caller's transaction
    // that goes on (a sync); with nothing added the totals are empty.
    totals.finish(tx)?;
    Ok(report)
}

/// Writes `card`'s log again as the merge does (in time order, with the
/// states a replay computes), without the answers at `removed` (unix ms:
/// a sync's undo made on another device); how many of those were there.
/// A sync runs it for the cards answered here since the last one too: an
/// answer given while the log held later ones (another device's clock runs
/// ahead) was scheduled from the latest state, where the merged order puts
/// it before them.
pub(super) fn replay_card(
    tx: &Transaction<'_>,
    card: CardId,
    removed: &[i64],
    replay: impl Fn(&[LoggedAnswer]) -> Vec<Replayed>,
) -> Result<usize> {
    let mut merge = Merge::new(tx)?;
    merge.load(card)?;
    merge.log.clear();
    let kept = merge
        .stored
        .iter()
        .map(|s| s.answer)
        .filter(|a| !removed.contains(&a.reviewed_at_ms));
    merge.log.extend(kept);
    let deck: i64 = merge.deck_of.query_row([card], |r| r.get(0))?;
    let resets = merge.resets_of(card)?;
    // The per-day totals are folded by hand, as in `merge_in`.
    let mut totals = DayTotals::begin(tx)?;
    merge.delete.execute([card])?;
    for s in &merge.stored {
        totals.tally(deck, &s.answer, s.kind, s.interval_before, -1);
    }
    let (steps, restarts) = replay_between_resets(&replay, &merge.log, &resets);
    merge.rewrite(card, deck, &steps, &restarts, &mut totals)?;
    let taken = merge.stored.len() - merge.log.len();
    merge.finish()?;
    totals.finish(tx)?;
    Ok(taken)
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
