//! Resets, deletions, revivals and deck renames through the sync logs
//! (migration 0013, docs/sync.md › Card events): this device's own found
//! from what its commands recorded (`card_times`, `deleted_cards`,
//! `sync_decks`), every device's noted with a rule that makes the order
//! of reading them not matter (the newest reset and deletion win; renames
//! fold in time order), and applied to this database's cards and decks.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::params;

use super::Store;
use super::sync::{SyncTx, card_name};
use crate::domain::CardId;
use crate::domain::sync_event::{CardName, Event, Token, fold_renames};
use crate::error::Result;

/// A tombstone's card is gone while its deletion is the later. (Either
/// time may be NULL; `MAX` of a NULL is NULL, so the merges below say
/// `MAX(IFNULL(a, b), IFNULL(b, a))`.)
const DEAD: &str = "t.deleted_at > IFNULL(t.revived_at, -1)";

/// The renames in the order they win in, on `conn`.
fn renames_in(conn: &rusqlite::Connection) -> Result<BTreeMap<String, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_name, to_name FROM sync_renames ORDER BY at_ms, origin, from_name",
    )?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(fold_renames(
        rows.iter().map(|(a, b)| (a.as_str(), b.as_str())),
    ))
}

impl Store {
    /// Every deck name the logs' renames mention, with its deck's name now:
    /// a snapshot under an old one is of the deck that has the new one.
    pub fn deck_renames(&self) -> Result<BTreeMap<String, String>> {
        renames_in(&self.conn)
    }

    /// The keys of `deck`'s cards that a deletion in the logs took away
    /// and no later import brought back: not to be made again from a snapshot.
    pub fn dead_cards(&self, deck: &str) -> Result<BTreeSet<String>> {
        let sql = format!("SELECT t.card FROM sync_deletes t WHERE t.deck = ?1 AND {DEAD}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([deck], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl SyncTx<'_> {
    /// Decks renamed here since the last sync, from the name the logs know
    /// to the name now, at the rename's time (or `now_ms` if unrecorded),
    /// and after every rename this database has read, whatever the clocks
    /// say: it was made knowing them.
    pub fn own_renames(&self, now_ms: i64) -> Result<Vec<Event>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT s.name, d.name, MAX(IFNULL(s.renamed_at, ?1), \
               IFNULL((SELECT MAX(at_ms) + 1 FROM sync_renames), 0)) FROM sync_decks s \
             JOIN decks d ON d.id = s.deck WHERE s.name != d.name ORDER BY d.id",
        )?;
        let rows = stmt.query_map([now_ms], |r| {
            Ok(Event::Rename {
                from: r.get(0)?,
                to: r.get(1)?,
                at_ms: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The card events `sql` selects as (deck, card, time), each made by `event`.
    fn card_events(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        event: impl Fn(CardName, i64) -> Event,
    ) -> Result<Vec<Event>> {
        let mut stmt = self.tx.prepare_cached(sql)?;
        let rows = stmt.query_map(params, |r| Ok(event(card_name(r)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Cards deleted here since the last sync.
    pub fn own_deletions(&self) -> Result<Vec<Event>> {
        // After a revival read here, as the revivals are after deletions.
        self.card_events(
            "SELECT k.deck, k.card, MAX(k.at_ms, IFNULL(t.revived_at + 1, 0)) FROM deleted_cards k \
             LEFT JOIN sync_deletes t ON t.deck = k.deck AND t.card = k.card \
             ORDER BY k.at_ms, k.deck, k.card",
            [],
            |card, at_ms| Event::Delete { card, at_ms },
        )
    }

    /// Cards here that the logs say are deleted: imported again here since
    /// (a deletion from another device is applied when it is read). Their
    /// revival is later than the deletion whatever the clocks say.
    pub fn own_revivals(&self, now_ms: i64) -> Result<Vec<Event>> {
        let sql = format!(
            "SELECT t.deck, t.card, MAX(?1, t.deleted_at + 1) FROM sync_deletes t \
             JOIN decks d ON d.name = t.deck JOIN cards c ON c.deck_id = d.id AND c.key = t.card \
             WHERE {DEAD} ORDER BY t.deck, t.card"
        );
        self.card_events(&sql, [now_ms], |card, at_ms| Event::Revive { card, at_ms })
    }

    /// Resets here that the logs do not hold.
    pub fn own_resets(&self) -> Result<Vec<Event>> {
        self.card_events(
            "SELECT d.name, c.key, t.at_ms FROM card_resets t JOIN cards c ON c.id = t.card \
             JOIN decks d ON d.id = c.deck_id WHERE NOT EXISTS (SELECT 1 FROM sync_resets s \
               WHERE s.deck = d.name AND s.card = c.key AND s.at_ms = t.at_ms) \
             ORDER BY t.at_ms, d.name, c.key",
            [],
            |card, at_ms| Event::Reset { card, at_ms },
        )
    }

    /// Records a reset, deletion, revival or rename of `origin`'s log:
    /// every reset and rename, the newest deletion and revival of a card,
    /// whatever the order read in.
    pub(super) fn note_card_event(&self, origin: &Token, event: &Event) -> Result<()> {
        let (sql, card, at_ms) = match event {
            Event::Reset { card, at_ms } => (
                "INSERT OR IGNORE INTO sync_resets (deck, card, at_ms) VALUES (?1, ?2, ?3)",
                card,
                at_ms,
            ),
            Event::Delete { card, at_ms } => (
                "INSERT INTO sync_deletes (deck, card, deleted_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (deck, card) DO UPDATE SET \
                   deleted_at = MAX(IFNULL(deleted_at, excluded.deleted_at), excluded.deleted_at)",
                card,
                at_ms,
            ),
            Event::Revive { card, at_ms } => (
                "INSERT INTO sync_deletes (deck, card, revived_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (deck, card) DO UPDATE SET \
                   revived_at = MAX(IFNULL(revived_at, excluded.revived_at), excluded.revived_at)",
                card,
                at_ms,
            ),
            Event::Rename { from, to, at_ms } => {
                self.tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO sync_renames (from_name, to_name, at_ms, origin) \
                         VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![from, to, at_ms, origin.as_str()])?;
                return Ok(());
            }
            _ => return Ok(()),
        };
        self.tx
            .prepare_cached(sql)?
            .execute(params![card.deck, card.card, at_ms])?;
        Ok(())
    }

    /// Gives every deck here, and every row the logs' events left under
    /// an old name, the name the renames end with; what could not be
    /// renamed (the name is another deck's here).
    pub fn apply_renames(&self) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        for (old, new) in renames_in(&self.tx)? {
            if old == new {
                continue;
            }
            let (here, taken): (bool, bool) = self.tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM decks WHERE name = ?1), \
                        EXISTS (SELECT 1 FROM decks WHERE name = ?2)",
                params![old, new],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if here && taken {
                warnings.push(format!(
                    "another device renamed the deck {old:?} to {new:?}, a name a deck here has \
                     already; it keeps its name here"
                ));
                continue;
            }
            if here {
                self.tx
                    .prepare_cached("UPDATE decks SET name = ?2 WHERE name = ?1")?
                    .execute(params![old, new])?;
            }
            self.move_rows(&old, &new)?;
        }
        Ok(warnings)
    }

    /// The sync tables' rows of deck `old` under `new`, merged by each
    /// table's own rule with rows already there.
    fn move_rows(&self, old: &str, new: &str) -> Result<()> {
        const MOVES: [&str; 6] = [
            "INSERT INTO sync_answers SELECT ?2, card, reviewed_at, utc_offset, day, grade, cram, \
               duration_ms, origin, undone_by, applied FROM sync_answers WHERE deck = ?1 \
             ON CONFLICT DO UPDATE SET undone_by = IFNULL(undone_by, excluded.undone_by)",
            "INSERT INTO sync_states SELECT ?2, card, suspended, buried_until, changed_at, origin \
               FROM sync_states WHERE deck = ?1 \
             ON CONFLICT DO UPDATE SET suspended = excluded.suspended, \
               buried_until = excluded.buried_until, changed_at = excluded.changed_at, \
               origin = excluded.origin \
             WHERE (excluded.changed_at, excluded.origin) > \
               (sync_states.changed_at, sync_states.origin)",
            "INSERT OR IGNORE INTO sync_resets SELECT ?2, card, at_ms FROM sync_resets \
             WHERE deck = ?1",
            "INSERT INTO sync_deletes SELECT ?2, card, deleted_at, revived_at FROM sync_deletes \
               WHERE deck = ?1 \
             ON CONFLICT DO UPDATE SET \
               deleted_at = MAX(IFNULL(deleted_at, excluded.deleted_at), \
                                IFNULL(excluded.deleted_at, deleted_at)), \
               revived_at = MAX(IFNULL(revived_at, excluded.revived_at), \
                                IFNULL(excluded.revived_at, revived_at))",
            "INSERT INTO deleted_cards SELECT ?2, card, at_ms FROM deleted_cards WHERE deck = ?1 \
             ON CONFLICT DO UPDATE SET at_ms = MAX(at_ms, excluded.at_ms)",
            // The deck snapshot's mark (workflows::sync::decks) goes with it.
            "INSERT OR IGNORE INTO meta (key, value) \
             SELECT 'sync.deck.' || ?2, value FROM meta WHERE key = 'sync.deck.' || ?1",
        ];
        const GONE: [&str; 6] = [
            "DELETE FROM sync_answers WHERE deck = ?1",
            "DELETE FROM sync_states WHERE deck = ?1",
            "DELETE FROM sync_resets WHERE deck = ?1",
            "DELETE FROM sync_deletes WHERE deck = ?1",
            "DELETE FROM deleted_cards WHERE deck = ?1",
            "DELETE FROM meta WHERE key = 'sync.deck.' || ?1",
        ];
        for (moved, gone) in MOVES.iter().zip(GONE) {
            self.tx.prepare_cached(moved)?.execute(params![old, new])?;
            self.tx.prepare_cached(gone)?.execute([old])?;
        }
        Ok(())
    }

    /// Deletes the cards here the logs say are deleted; how many, and the
    /// cards imported again since whose log still holds answers from
    /// before their deletion (to be taken out: they went with it).
    pub(super) fn apply_deletions(&self) -> Result<(u64, BTreeMap<CardId, Vec<i64>>)> {
        let dead = format!(
            "DELETE FROM cards WHERE id IN (SELECT c.id FROM sync_deletes t \
               JOIN decks d ON d.name = t.deck JOIN cards c ON c.deck_id = d.id AND c.key = t.card \
             WHERE {DEAD})"
        );
        let deleted = self.tx.execute(&dead, [])? as u64;
        // A deck whose last card a deletion took goes with it, on every
        // device alike (the one that deleted it too).
        let empty = format!(
            "DELETE FROM decks WHERE NOT EXISTS (SELECT 1 FROM cards c WHERE c.deck_id = decks.id) \
             AND EXISTS (SELECT 1 FROM sync_deletes t WHERE t.deck = decks.name AND {DEAD})"
        );
        self.tx.execute(&empty, [])?;
        // Gone for good: never merged again, and not undone here either.
        // Through the tombstones' cards (the key's prefix), not a pass over
        // every answer the logs hold.
        self.tx.execute_batch(
            "UPDATE sync_answers SET applied = 0 WHERE (deck, card) IN \
               (SELECT deck, card FROM sync_deletes WHERE deleted_at IS NOT NULL) \
             AND applied = 1 AND reviewed_at <= (SELECT t.deleted_at FROM sync_deletes t \
               WHERE t.deck = sync_answers.deck AND t.card = sync_answers.card)",
        )?;
        let mut stmt = self.tx.prepare_cached(
            "SELECT c.id, r.reviewed_at FROM sync_deletes t \
               JOIN decks d ON d.name = t.deck JOIN cards c ON c.deck_id = d.id AND c.key = t.card \
               JOIN reviews r ON r.card_id = c.id AND r.reviewed_at <= t.deleted_at",
        )?;
        let mut old: BTreeMap<CardId, Vec<i64>> = BTreeMap::new();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, CardId>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (card, at) = row?;
            old.entry(card).or_default().push(at);
        }
        Ok((deleted, old))
    }

    /// Gives each card here the resets the logs hold that it lacks; the
    /// cards whose logs are to be replayed.
    pub(super) fn apply_resets(&self) -> Result<Vec<CardId>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT c.id, s.at_ms FROM sync_resets s JOIN decks d ON d.name = s.deck \
               JOIN cards c ON c.deck_id = d.id AND c.key = s.card \
             WHERE NOT EXISTS (SELECT 1 FROM card_resets t \
               WHERE t.card = c.id AND t.at_ms = s.at_ms)",
        )?;
        let rows: Vec<(CardId, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut cards: Vec<CardId> = Vec::new();
        for (card, at) in rows {
            // At the event's time exactly: every device splits the log there.
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO card_resets (card, at_ms) VALUES (?1, ?2)")?
                .execute(params![card, at])?;
            if !cards.contains(&card) {
                cards.push(card);
            }
        }
        Ok(cards)
    }

    /// After this device's events are in its log: its deletions sent, and
    /// every deck's name as the logs now know it.
    pub fn sent(&self) -> Result<()> {
        self.tx.execute_batch(
            "DELETE FROM deleted_cards; \
             DELETE FROM sync_decks WHERE deck NOT IN (SELECT id FROM decks); \
             INSERT INTO sync_decks (deck, name) SELECT id, name FROM decks WHERE true \
             ON CONFLICT (deck) DO UPDATE SET name = excluded.name, renamed_at = NULL \
             WHERE sync_decks.name != excluded.name OR sync_decks.renamed_at IS NOT NULL",
        )?;
        Ok(())
    }

    /// The resets, deletions and revivals the logs hold, and `device`'s
    /// renames: its log written again (the others' too, which is harmless:
    /// each is noted by a rule that keeps the newest).
    pub(super) fn card_events_of(&self, device: &Token) -> Result<Vec<Event>> {
        let mut events = Vec::new();
        let mut stmt = self
            .tx
            .prepare_cached("SELECT deck, card, at_ms FROM sync_resets ORDER BY at_ms")?;
        let rows = stmt.query_map([], |r| {
            Ok(Event::Reset {
                card: card_name(r)?,
                at_ms: r.get(2)?,
            })
        })?;
        for row in rows {
            events.push(row?);
        }
        let mut stmt = self
            .tx
            .prepare_cached("SELECT deck, card, deleted_at, revived_at FROM sync_deletes")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let card: CardName = card_name(r)?;
            if let Some(at_ms) = r.get::<_, Option<i64>>(2)? {
                events.push(Event::Delete {
                    card: card.clone(),
                    at_ms,
                });
            }
            if let Some(at_ms) = r.get::<_, Option<i64>>(3)? {
                events.push(Event::Revive { card, at_ms });
            }
        }
        let mut stmt = self.tx.prepare_cached(
            "SELECT from_name, to_name, at_ms FROM sync_renames WHERE origin = ?1 ORDER BY at_ms",
        )?;
        let rows = stmt.query_map([device.as_str()], |r| {
            Ok(Event::Rename {
                from: r.get(0)?,
                to: r.get(1)?,
                at_ms: r.get(2)?,
            })
        })?;
        for row in rows {
            events.push(row?);
        }
        Ok(events)
    }
}
