//! The insert trigger of `deck_card_counts` (migration 0008) set aside for
//! a bulk card import, and the imported decks counted once before commit.
//!
//! Why: the trigger's upsert per inserted card made importing 100 000 new
//! cards a fifth slower; one grouped pass over `cards_stats` per deck,
//! after the indexes are built again, costs a fraction of that. Dropping is
//! part of the import's transaction, so a rollback brings the trigger back.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

const INSERT_TRIGGER: &str = "deck_card_counts_insert";

/// The trigger's definition while it is set aside, to create it again.
#[derive(Default)]
pub(super) struct CountsTrigger {
    create: Option<String>,
}

impl CountsTrigger {
    /// Drops the insert trigger if it exists (a rollback to a savepoint may
    /// have brought it back since the last call); `tx` must be a transaction.
    pub fn set_aside(&mut self, tx: &Connection) -> Result<()> {
        if let Some(create) = definition(tx)? {
            tx.execute_batch(&format!("DROP TRIGGER {INSERT_TRIGGER}"))?;
            self.create = Some(create);
        }
        Ok(())
    }

    /// Counts `decks` again from their cards and creates the trigger again,
    /// exactly as the migration wrote it, if it is still set aside. Call it
    /// after the card indexes are back: the count streams `cards_stats`.
    pub fn restore(self, tx: &Connection, decks: impl IntoIterator<Item = i64>) -> Result<()> {
        let Some(create) = self.create else {
            return Ok(());
        };
        if definition(tx)?.is_some() {
            return Ok(());
        }
        let mut clear = tx.prepare_cached("DELETE FROM deck_card_counts WHERE deck_id = ?1")?;
        // Grouped in the index's order (see migration 0008).
        let mut count = tx.prepare_cached(
            "INSERT INTO deck_card_counts (deck_id, suspended, is_new, due, cards) \
             SELECT deck_id, suspended, due IS NULL, IFNULL(due, 0), COUNT(*) \
             FROM cards WHERE deck_id = ?1 GROUP BY suspended, due",
        )?;
        for deck in decks {
            clear.execute([deck])?;
            count.execute([deck])?;
        }
        tx.execute_batch(&create)?;
        Ok(())
    }
}

fn definition(tx: &Connection) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1")?
        .query_row([INSERT_TRIGGER], |r| r.get(0))
        .optional()?)
}
