//! When this device changed a card's state (migration 0013): the time of
//! its last suspension or burial, of every reset, and the cards deleted, as the
//! command's clock had it, for the sync to send as the time of the change
//! (docs/sync.md › Card events).

use rusqlite::{Connection, params};

use super::Store;
use crate::clock::Clock;
use crate::domain::CardId;
use crate::error::Result;

impl Store {
    /// The clock the changes from now on are stamped with (the system's
    /// until this is called: a store used without a command's clock).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = Some(clock);
    }

    /// Now, in unix ms, for a stamp.
    pub(super) fn stamp_ms(&self) -> i64 {
        self.clock.map_or_else(
            || chrono::Utc::now().timestamp_millis(),
            |c| c.now().timestamp_millis(),
        )
    }

    /// Records that `card`'s suspension or burial changed now.
    pub(super) fn stamp_flags(&self, card: CardId) -> Result<()> {
        stamp(&self.conn, card, Stamp::Flags, self.stamp_ms())
    }
}

/// Which time of a card a stamp sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stamp {
    Flags,
    Reset,
}

/// Records that `card`'s flags changed, or it was reset, at `at_ms`.
pub(super) fn stamp(conn: &Connection, card: CardId, which: Stamp, at_ms: i64) -> Result<()> {
    let sql = match which {
        Stamp::Flags => {
            "INSERT INTO card_times (card, flags_at) VALUES (?1, ?2) \
             ON CONFLICT (card) DO UPDATE SET flags_at = excluded.flags_at"
        }
        // After every answer here, whatever the clocks: it was made knowing
        // them (an answer from a device whose clock runs ahead included).
        Stamp::Reset => {
            "INSERT OR IGNORE INTO card_resets (card, at_ms) VALUES (?1, \
               MAX(?2, IFNULL((SELECT MAX(reviewed_at) FROM reviews WHERE card_id = ?1), ?2)))"
        }
    };
    conn.prepare_cached(sql)?.execute(params![card, at_ms])?;
    Ok(())
}

/// Records, before it goes, that `card` is deleted at `at_ms` (or after
/// its last answer, if a clock ran ahead): by name, since its row will be
/// gone when a sync tells the others.
pub(super) fn note_deletion(conn: &Connection, card: CardId, at_ms: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO deleted_cards (deck, card, at_ms) \
         SELECT d.name, c.key, MAX(?2, IFNULL((SELECT MAX(reviewed_at) FROM reviews r \
           WHERE r.card_id = c.id), ?2)) \
         FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?1 \
         ON CONFLICT (deck, card) DO UPDATE SET at_ms = MAX(at_ms, excluded.at_ms)",
    )?
    .execute(params![card, at_ms])?;
    Ok(())
}

/// Records that `deck` was renamed at `at_ms` (once a sync knows its name).
pub(super) fn note_rename(conn: &Connection, deck: i64, at_ms: i64) -> Result<()> {
    conn.prepare_cached("UPDATE sync_decks SET renamed_at = ?2 WHERE deck = ?1")?
        .execute(params![deck, at_ms])?;
    Ok(())
}
