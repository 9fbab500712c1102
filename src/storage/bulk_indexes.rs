//! Secondary indexes dropped for a bulk write and built again before its
//! commit, inside the same transaction: one sort of the finished table
//! instead of a scattered B-tree insert per row. Dropping is part of the
//! transaction, so a rollback (an error half-way) brings every index back
//! exactly as it was.
//! Used by the review-log merge (`merge.rs`), whose new card states
//! would each move five index entries to scattered places. The card import
//! keeps its indexes: see `import::BULK_CARDS`.

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

    /// Builds the dropped indexes again, in the same transaction.
    pub fn rebuild(self, tx: &Connection) -> Result<()> {
        for (_, create) in &self.dropped {
            tx.execute_batch(create)?;
        }
        Ok(())
    }
}
