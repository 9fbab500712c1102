//! Bulk writes with SQLite's CHECK constraints and foreign keys off, for
//! writes whose values hold both by construction.
//!
//! Why, measured: the log's `kind IN (0, 1, 2)` builds a temporary B-tree
//! for every row it checks (SQLite's way with IN lists), a third of a bulk
//! merge's time; and a foreign key makes every insert statement keep a
//! statement journal (it may have to abort after writing), 8 % of a card
//! import. What the merge and the import write comes from typed values
//! (`Grade`, `AnswerKind`), which hold the CHECK ranges; each card they
//! write belongs to a deck they have just read or created in the same
//! transaction, and each log row to a card they have just read.

use super::Store;
use crate::error::Result;

impl Store {
    /// Runs `write` with CHECK constraints and foreign keys off. Both
    /// pragmas outlive transactions (and cannot change inside one), so
    /// `write` begins its own, and they are put back whatever it did;
    /// statements compiled meanwhile are compiled again (SQLite expires
    /// them when a flag changes).
    pub(super) fn unchecked<T>(
        &mut self,
        write: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        self.conn
            .pragma_update(None, "ignore_check_constraints", true)?;
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let result = write(self);
        self.conn.pragma_update(None, "foreign_keys", true)?;
        self.conn
            .pragma_update(None, "ignore_check_constraints", false)?;
        result
    }
}
