//! The review log and card states going out (exports), and an answer taken
//! back (undo). Exports stream row by row, so their memory does not grow
//! with the log. Coming back in (`import --reviews`) is `merge`.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::Store;
use super::cards::{describe, kind_from_code, schedule_from};
use super::queue::SCOPE_FILTER;
use crate::domain::Scope;
use crate::domain::leech::LeechPolicy;
use crate::domain::seen::AnswerRef;
use crate::domain::{AnswerKind, CardId, Day, EFactor, Schedule};
use crate::error::{Error, Result};

/// Every card by deck name and its id within the deck, looked up once for
/// each line of a review log. Held as a digest of the two names
/// (`digest128`), where a map of maps of names also held every card's id
/// as a `String` of its own; the digest as four words and the card as its
/// slot (its number among the cards, in id order), 20 bytes a slot of the
/// table, where a u128 (aligned to 16) and an i64 took 32. Two cards
/// sharing a digest (a chance of one in 2¹²⁸) would have their answers
/// given to one of them.
pub struct CardIndex {
    slots: foldhash::HashMap<[u32; 4], u32>,
    /// Each slot's card id.
    ids: Vec<CardId>,
}

impl CardIndex {
    fn digest(deck: &str, key: &str) -> [u32; 4] {
        let d = crate::digest::digest128((deck, key));
        // Each word is 32 of the 128 bits.
        [
            d as u32,
            (d >> 32) as u32,
            (d >> 64) as u32,
            (d >> 96) as u32,
        ]
    }

    /// The slot of the card of id `key` in the deck named `deck`.
    pub fn slot(&self, deck: &str, key: &str) -> Option<u32> {
        self.slots.get(&Self::digest(deck, key)).copied()
    }

    /// How many cards (slots).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Each slot's card id, in slot order.
    pub fn into_ids(self) -> Vec<CardId> {
        self.ids
    }
}

/// The most cards a `CardIndex` makes room for at once; past it, it grows
/// as it fills. The room comes from the largest card id, which is the
/// number of cards where none was deleted (ids count up from 1), and costs
/// no count; but a database holding some id far past its number of cards
/// must not get a table that size.
const INDEX_ROOM: usize = 1 << 22;

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

    /// Every card by deck name, then by its id within the deck, each given
    /// a slot in id order.
    pub fn card_index(&self) -> Result<CardIndex> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.name, c.key, c.id FROM cards c JOIN decks d ON d.id = c.deck_id \
             ORDER BY c.id",
        )?;
        let (_, largest) = self.largest_ids()?;
        let room = usize::try_from(largest).unwrap_or(0).min(INDEX_ROOM);
        let mut slots = foldhash::HashMap::default();
        slots.reserve(room);
        let mut ids = Vec::with_capacity(room);
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let text = |i| -> rusqlite::Result<&str> { Ok(r.get_ref(i)?.as_str()?) };
            let slot = u32::try_from(ids.len()).map_err(|_| {
                Error::invalid("a review log cannot be merged into over 4 294 967 295 cards")
            })?;
            slots.insert(CardIndex::digest(text(0)?, text(1)?), slot);
            ids.push(r.get(2)?);
        }
        drop(rows);
        // The cards' pages read are not wanted again, and would stay in the
        // cache while the log is read: 1.8 MB at 100 000 cards.
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        Ok(CardIndex { slots, ids })
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
             by an import, a restore or `recall scheduler set`); nothing was changed"
        )));
    }
    tx.prepare_cached(
        "UPDATE cards SET (repetitions, efactor, interval, due, lapses, last_review) = \
           (SELECT reps_before, ef_before, interval_before, due_before, lapses_before, last_before \
            FROM reviews WHERE id = ?1) \
         WHERE id = ?2",
    )?
    .execute(params![answer.review_id, answer.card])?;
    // FSRS's memory state too, on a deck whose states FSRS computes.
    tx.prepare_cached(
        "UPDATE cards SET (stability, difficulty) = \
           (SELECT stability_before, difficulty_before FROM reviews WHERE id = ?1) \
         WHERE id = ?2 AND (SELECT states_by FROM decks WHERE id = cards.deck_id) = 'fsrs'",
    )?
    .execute(params![answer.review_id, answer.card])?;
    super::leech::undo(tx, leech, answer.review_id)?;
    tx.prepare_cached("DELETE FROM reviews WHERE id = ?1")?
        .execute([answer.review_id])?;
    Ok(())
}
