//! Secondary indexes dropped for a bulk write and built again before its
//! commit, inside the same transaction: one sort of the finished table
//! instead of a scattered B-tree insert per row. Dropping is part of the
//! transaction, so a rollback (an error half-way) brings every index back
//! exactly as it was.
//!
//! (`storage/import.rs` still keeps its own copy of this for the card
//! import; the two are to be folded.)

use rusqlite::{Connection, params_from_iter};

use crate::error::Result;

/// The definitions of the indexes dropped, to build them again.
pub(super) struct DroppedIndexes {
    sql: Vec<String>,
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
        let mut sql = Vec::with_capacity(found.len());
        for (name, create) in found {
            tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
            sql.push(create);
        }
        Ok(DroppedIndexes { sql })
    }

    /// Builds the dropped indexes again, in the same transaction.
    pub fn rebuild(self, tx: &Connection) -> Result<()> {
        for create in &self.sql {
            tx.execute_batch(create)?;
        }
        Ok(())
    }
}
