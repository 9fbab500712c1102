//! What an answer does to a leech, written in the answer's own transaction:
//! the `leech` tag, and with `LeechAction::Suspend` the suspension. Undoing
//! the answer takes both back. The rule itself is `domain::leech`.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use crate::domain::leech::{LEECH_TAG, LeechAction, LeechPolicy};
use crate::domain::{CardId, Schedule};
use crate::error::Result;

impl Store {
    /// The leech rule every answer from now on is recorded with.
    pub fn set_leech_policy(&mut self, policy: LeechPolicy) {
        self.leech = policy;
    }
}

/// After an answer took `card` from `before` to `after`: tags (and
/// suspends) it when that made it a leech, and says what was done.
pub(super) fn apply(
    tx: &Transaction<'_>,
    policy: LeechPolicy,
    card: CardId,
    before: &Schedule,
    after: &Schedule,
) -> Result<Option<LeechAction>> {
    if !policy.is_leech(before.lapses, after.lapses) {
        return Ok(None);
    }
    tx.prepare_cached(
        "UPDATE cards SET suspended = (suspended OR ?3), \
           tags = CASE WHEN instr(' ' || tags || ' ', ' ' || ?2 || ' ') > 0 THEN tags \
                       ELSE trim(tags || ' ' || ?2) END \
         WHERE id = ?1",
    )?
    .execute(params![
        card,
        LEECH_TAG,
        policy.action == LeechAction::Suspend
    ])?;
    Ok(Some(policy.action))
}

/// Before the answer `review_id` is deleted: if it made its card a leech,
/// the card is unsuspended, and loses the tag if this answer gave it.
pub(super) fn undo(tx: &Transaction<'_>, policy: LeechPolicy, review_id: i64) -> Result<()> {
    let lapses: Option<(CardId, u32, u32)> = tx
        .prepare_cached("SELECT card_id, lapses_before, lapses_after FROM reviews WHERE id = ?1")?
        .query_row([review_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((card, before, after)) = lapses else {
        return Ok(());
    };
    if !policy.is_leech(before, after) {
        return Ok(());
    }
    // The first time only: a card flagged again already had the tag.
    let untag = after == policy.threshold;
    tx.prepare_cached(
        "UPDATE cards SET suspended = CASE WHEN ?2 THEN 0 ELSE suspended END, \
           tags = CASE WHEN ?3 THEN trim(replace(' ' || tags || ' ', ' ' || ?4 || ' ', ' ')) \
                       ELSE tags END \
         WHERE id = ?1",
    )?
    .execute(params![
        card,
        policy.action == LeechAction::Suspend,
        untag,
        LEECH_TAG
    ])?;
    Ok(())
}
