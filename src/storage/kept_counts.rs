//! The triggers that keep `deck_card_counts` (migration 0008) set aside for
//! a bulk write, and the decks counted once before commit.
//!
//! Why: the insert trigger's upsert per inserted card made importing 100 000
//! new cards a fifth slower, and the update trigger's two statements per
//! card were a sixth of merging 800 000 answers into 100 000 cards; one
//! grouped pass over `cards_stats`, after the indexes are built again, costs
//! a fraction of that. Dropping is part of the caller's transaction, so a
//! rollback brings the triggers back.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// Fires for every inserted card.
pub(super) const ON_INSERT: &str = "deck_card_counts_insert";
/// Fires for every card whose deck, suspension or due day changes.
pub(super) const ON_UPDATE: &str = "deck_card_counts_update";

/// The decks to count again when the triggers come back.
pub(super) enum Recount<'a> {
    These(&'a [i64]),
    All,
}

/// The definitions of the triggers set aside, to create them again.
#[derive(Default)]
pub(super) struct CountsTriggers {
    /// `(name, CREATE TRIGGER …)`.
    set_aside: Vec<(&'static str, String)>,
}

impl CountsTriggers {
    /// Drops those of `names` that exist (a rollback to a savepoint may have
    /// brought one back since the last call); `tx` must be a transaction.
    pub fn set_aside(&mut self, tx: &Connection, names: &[&'static str]) -> Result<()> {
        for name in names {
            if let Some(create) = definition(tx, name)? {
                tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
                self.set_aside.retain(|(n, _)| n != name);
                self.set_aside.push((name, create));
            }
        }
        Ok(())
    }

    /// Counts `decks` again from their cards and creates again, exactly as
    /// the migration wrote it, each trigger still set aside. Call it after
    /// the card indexes are back: the count streams `cards_stats`.
    pub fn restore(self, tx: &Connection, decks: Recount<'_>) -> Result<()> {
        let missing: Vec<&String> = self
            .set_aside
            .iter()
            .filter_map(|(name, create)| match definition(tx, name) {
                Ok(None) => Some(Ok(create)),
                Ok(Some(_)) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_>>()?;
        if missing.is_empty() {
            return Ok(());
        }
        match decks {
            Recount::All => tx.execute_batch(COUNT_ALL)?,
            Recount::These(decks) => count_decks(tx, decks)?,
        }
        for create in missing {
            tx.execute_batch(create)?;
        }
        Ok(())
    }
}

/// Every deck counted again, grouped in `cards_stats` order (see 0008).
const COUNT_ALL: &str = "DELETE FROM deck_card_counts; \
     INSERT INTO deck_card_counts (deck_id, suspended, is_new, due, cards) \
     SELECT deck_id, suspended, due IS NULL, IFNULL(due, 0), COUNT(*) \
     FROM cards GROUP BY deck_id, suspended, due";

fn count_decks(tx: &Connection, decks: &[i64]) -> Result<()> {
    let mut clear = tx.prepare_cached("DELETE FROM deck_card_counts WHERE deck_id = ?1")?;
    let mut count = tx.prepare_cached(
        "INSERT INTO deck_card_counts (deck_id, suspended, is_new, due, cards) \
         SELECT deck_id, suspended, due IS NULL, IFNULL(due, 0), COUNT(*) \
         FROM cards WHERE deck_id = ?1 GROUP BY suspended, due",
    )?;
    for deck in decks {
        clear.execute([deck])?;
        count.execute([deck])?;
    }
    Ok(())
}

fn definition(tx: &Connection, name: &str) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?)
}
