//! Card states through the sync logs (`sync_states`, migration 0010): a
//! device's suspensions and burials found by difference, noted with the
//! newest-wins rule, and given to this database's cards.

use rusqlite::{OptionalExtension, params};

use super::sync::{SyncTx, card_name};
use crate::domain::Day;
use crate::domain::sync_event::{CardFlags, CardName, Token};
use crate::error::Result;

impl SyncTx<'_> {
    /// Records a `state` event of `origin`'s log.
    pub(super) fn note_state(
        &self,
        origin: &Token,
        card: &CardName,
        at_ms: i64,
        state: &CardFlags,
    ) -> Result<()> {
        // The newest state wins, whatever order the lines are read in.
        self.tx
            .prepare_cached(
                "INSERT INTO sync_states (deck, card, suspended, buried_until, \
                   changed_at, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (deck, card) DO UPDATE SET suspended = excluded.suspended, \
                   buried_until = excluded.buried_until, changed_at = excluded.changed_at, \
                   origin = excluded.origin \
                 WHERE (excluded.changed_at, excluded.origin) > \
                   (sync_states.changed_at, sync_states.origin)",
            )?
            .execute(params![
                card.deck,
                card.card,
                state.suspended,
                state.buried_until.map(|d| d.0),
                at_ms,
                origin.as_str()
            ])?;
        Ok(())
    }

    /// Cards whose suspension or burial here differs from what the logs
    /// last set (changed here since the last sync), with the time of the
    /// change (`card_times`, or `now_ms` if unstamped), after the state it
    /// changed whatever the clocks say: it was made knowing that one.
    pub fn own_state_changes(&self, now_ms: i64) -> Result<Vec<(CardName, CardFlags, i64)>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT d.name, c.key, c.suspended, c.buried_until, \
               MAX(IFNULL(t.flags_at, ?1), IFNULL(s.changed_at + 1, 0)) \
             FROM cards c JOIN decks d ON d.id = c.deck_id \
             LEFT JOIN sync_states s ON s.deck = d.name AND s.card = c.key \
             LEFT JOIN card_times t ON t.card = c.id \
             WHERE c.suspended IS NOT IFNULL(s.suspended, 0) \
               OR c.buried_until IS NOT s.buried_until \
             ORDER BY d.name, c.key",
        )?;
        let rows = stmt.query_map([now_ms], |r| {
            Ok((
                card_name(r)?,
                CardFlags {
                    suspended: r.get(2)?,
                    buried_until: r.get::<_, Option<i64>>(3)?.map(Day),
                },
                r.get(4)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The card's suspension and burial here, if it is here.
    pub fn card_flags(&self, card: &CardName) -> Result<Option<CardFlags>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT c.suspended, c.buried_until FROM cards c JOIN decks d ON d.id = c.deck_id \
                 WHERE d.name = ?1 AND c.key = ?2",
            )?
            .query_row(params![card.deck, card.card], |r| {
                Ok(CardFlags {
                    suspended: r.get(0)?,
                    buried_until: r.get::<_, Option<i64>>(1)?.map(Day),
                })
            })
            .optional()?)
    }

    /// Gives every card here the suspension and burial the logs last set;
    /// how many changed.
    pub fn settle_states(&self) -> Result<u64> {
        let changed = self.tx.execute(
            "UPDATE cards SET suspended = x.suspended, buried_until = x.buried_until \
             FROM (SELECT c.id, s.suspended, s.buried_until FROM sync_states s \
                   JOIN decks d ON d.name = s.deck \
                   JOIN cards c ON c.deck_id = d.id AND c.key = s.card \
                   WHERE c.suspended IS NOT s.suspended OR c.buried_until IS NOT s.buried_until) x \
             WHERE cards.id = x.id",
            [],
        )?;
        Ok(changed as u64)
    }
}
