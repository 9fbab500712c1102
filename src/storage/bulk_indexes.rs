//! Secondary indexes dropped for a bulk write and built again before its
//! commit, inside the same transaction: one sort of the finished table
//! instead of a scattered B-tree insert per row. Dropping is part of the
//! transaction, so a rollback (an error half-way) brings every index back
//! exactly as it was.
//! Used by the card import (`import.rs`) and the review-log merge
//! (`merge.rs`).

use rusqlite::{Connection, params_from_iter};

use crate::error::Result;

/// The definitions of the indexes dropped, to build them again.
#[derive(Default)]
pub(super) struct DroppedIndexes {
    /// `(name, CREATE INDEX …)`, as `sqlite_schema` has them.
    dropped: Vec<(String, String)>,
}

impl DroppedIndexes {
    /// Drops those of `names` that exist; `tx` must be a transaction. Their
    /// definitions come from `sqlite_schema`, so they come back exactly as
    /// the migrations wrote them.
    pub fn drop(tx: &Connection, names: &[&str]) -> Result<DroppedIndexes> {
        let marks = vec!["?"; names.len()].join(", ");
        let found: Vec<(String, String)> = tx
            .prepare(&format!(
                "SELECT name, sql FROM sqlite_schema \
                 WHERE type = 'index' AND sql IS NOT NULL AND name IN ({marks}) ORDER BY name"
            ))?
            .query_map(params_from_iter(names), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, _) in &found {
            tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        Ok(DroppedIndexes { dropped: found })
    }

    /// Whether nothing is dropped (yet, or any more).
    pub fn is_empty(&self) -> bool {
        self.dropped.is_empty()
    }

    /// Forgets the indexes that exist again: a rollback to a savepoint
    /// taken before the drop brought them back.
    pub fn forget_restored(&mut self, tx: &Connection) -> Result<()> {
        let mut exists =
            tx.prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1")?;
        let mut kept = Vec::with_capacity(self.dropped.len());
        for (name, create) in std::mem::take(&mut self.dropped) {
            if !exists.exists([&name])? {
                kept.push((name, create));
            }
        }
        self.dropped = kept;
        Ok(())
    }

    /// Builds the dropped indexes again, in the same transaction.
    pub fn rebuild(self, tx: &Connection) -> Result<()> {
        for (_, create) in &self.dropped {
            tx.execute_batch(create)?;
        }
        Ok(())
    }
}
