//! The card pass of `recall stats` on two cores: the store's connection
//! folds the lower half of `cards_stats` while a second connection, on a
//! thread of its own, folds the upper half (`card_pass::Split`).
//!
//! Why: the pass is nearly all of `recall stats` (at a million cards, 3.0 G
//! of its 3.1 G instructions), and a fold whose halves merge. One SQLite
//! connection runs on one thread at a time, hence the second connection.
//!
//! Both must read the same snapshot, or a card that another process moves
//! from one half to the other in between would be counted twice or not at
//! all. Each connection has its own read transaction, and two of them begun
//! one after the other are the same snapshot only if nobody committed in
//! between; `Helper::shares_snapshot` checks exactly that (see there) and
//! the pair begins again when someone did.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, Transaction};

use super::card_pass::{self, Split};
use super::{BUSY_TIMEOUT, Store};
use crate::domain::Day;
use crate::domain::stats::CardTally;
use crate::error::Result;

/// Below this many cards in scope a second connection (opened, its schema
/// read, a thread started: about a millisecond) would cost more than it
/// saves.
const MIN_CARDS: u64 = 50_000;

/// How many times the two snapshots are begun again before the pass makes
/// do with one connection (other processes committing all the while).
const ATTEMPTS: usize = 3;

/// A read transaction on the store's connection for everything `recall
/// stats` reads, so the report is of one state of the database; and when
/// the card pass is worth two cores, the second connection at that state.
pub(super) struct StatsSnapshot<'a> {
    conn: &'a Connection,
    /// `None` when the caller was in a transaction already.
    _tx: Option<Transaction<'a>>,
    helper: Option<(Helper, Split)>,
}

impl Store {
    /// Begins the read transaction of a `stats` report of deck `deck` (or
    /// all decks) and tag `tag` (or none). A tag's cards are read from the
    /// table (the tags are not in the index), by one reader.
    pub(super) fn stats_snapshot(
        &self,
        deck: Option<i64>,
        tag: Option<&str>,
    ) -> Result<StatsSnapshot<'_>> {
        self.stats_snapshot_split(deck, tag.is_none().then_some(MIN_CARDS))
    }

    /// `stats_snapshot`, with a second reader if `split_from` cards or more
    /// are in scope (`None`: one reader).
    fn stats_snapshot_split(
        &self,
        deck: Option<i64>,
        split_from: Option<u64>,
    ) -> Result<StatsSnapshot<'_>> {
        if !self.conn.is_autocommit() {
            return Ok(StatsSnapshot {
                conn: &self.conn,
                _tx: None,
                helper: None,
            });
        }
        let mut helper = match split_from {
            Some(min) => self.helper(deck, min)?,
            None => None,
        };
        for _ in 0..ATTEMPTS {
            let tx = self.conn.unchecked_transaction()?;
            // A deferred transaction's snapshot begins with its first read.
            tx.query_row("PRAGMA data_version", [], |_| Ok(()))?;
            let shared = match helper.as_mut().map(|(h, _)| h.shares_snapshot()) {
                None | Some(Ok(true)) => true,
                Some(Ok(false)) => false,
                // A helper that fails leaves the pass to this connection.
                Some(Err(_)) => {
                    helper = None;
                    true
                }
            };
            if shared {
                return Ok(StatsSnapshot {
                    conn: &self.conn,
                    _tx: Some(tx),
                    helper,
                });
            }
        }
        Ok(StatsSnapshot {
            conn: &self.conn,
            _tx: Some(self.conn.unchecked_transaction()?),
            helper: None,
        })
    }

    /// The second reader, in a read transaction begun now, and where it
    /// splits the pass: when two cores are there and `min` cards or more.
    fn helper(&self, deck: Option<i64>, min: u64) -> Result<Option<(Helper, Split)>> {
        let Some((split, cards)) = Split::halfway(&self.conn, deck)? else {
            return Ok(None);
        };
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        if cards < min || cores < 2 {
            return Ok(None);
        }
        // An in-memory or temporary database has no file to open twice.
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()) else {
            return Ok(None);
        };
        Ok(Helper::open(Path::new(path)).ok().map(|h| (h, split)))
    }
}

impl StatsSnapshot<'_> {
    /// The card tally of the scope: deck `deck` or all decks, the cards
    /// with tag `tag` or all. With a helper, it reads the upper half of the
    /// index on a thread of its own while this thread reads the lower half;
    /// the helper's connection closes with it.
    pub fn card_tally(
        &mut self,
        today: Day,
        deck: Option<i64>,
        tag: Option<&str>,
    ) -> Result<CardTally> {
        if let Some(tag) = tag {
            return card_pass::fold_tagged(self.conn, today, deck, tag);
        }
        let Some((helper, split)) = self.helper.take() else {
            return card_pass::fold_scope(self.conn, today, deck);
        };
        let (lower, upper) = split.parts(deck.is_some());
        std::thread::scope(|s| {
            let theirs = s.spawn(move || card_pass::fold(&helper.conn, today, upper, split.keys()));
            let mine = card_pass::fold(self.conn, today, lower, split.keys());
            let theirs = theirs
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let mut mine = mine?;
            mine.merge(theirs?);
            Ok(mine)
        })
    }
}

/// The second connection, read-only, in a read transaction.
struct Helper {
    conn: Connection,
    /// `PRAGMA data_version` when its transaction began.
    version: i64,
}

impl Helper {
    fn open(path: &Path) -> Result<Helper> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.execute_batch("BEGIN")?;
        let version = data_version(&conn)?;
        Ok(Helper { conn, version })
    }

    /// Whether the store's transaction, begun (and read from) after this
    /// one's, has the same snapshot. This transaction ends and another
    /// begins: `PRAGMA data_version` changes between the two exactly when
    /// another connection committed in between (SQLite compares the WAL's
    /// header, or the file's change counter, as each read transaction
    /// begins), and so exactly when the store's snapshot, begun between
    /// them, might differ from either. The helper keeps the second.
    fn shares_snapshot(&mut self) -> Result<bool> {
        self.conn.execute_batch("COMMIT; BEGIN")?;
        let before = std::mem::replace(&mut self.version, data_version(&self.conn)?);
        Ok(before == self.version)
    }
}

/// Also begins the connection's read transaction, if it has none.
fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::card_pass::tests::{TODAY, assert_same, mixed_store};

    fn two_cores() -> bool {
        std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2)
    }

    #[test]
    fn two_readers_count_what_one_counts() {
        let dir = tempfile::tempdir().unwrap();
        let store = mixed_store(&dir);
        for deck in [None, Some(1), Some(3)] {
            let one = card_pass::fold_scope(&store.conn, TODAY, deck).unwrap();
            let mut snapshot = store.stats_snapshot_split(deck, Some(0)).unwrap();
            assert_eq!(snapshot.helper.is_some(), two_cores(), "deck {deck:?}");
            let two = snapshot.card_tally(TODAY, deck, None).unwrap();
            assert_same(&two, &one, &format!("deck {deck:?}"));
        }
        // Too few cards for a second reader.
        let snapshot = store.stats_snapshot_split(None, Some(301)).unwrap();
        assert!(snapshot.helper.is_none());
    }

    #[test]
    fn a_commit_between_the_two_transactions_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let store = mixed_store(&dir);
        let other = Connection::open(dir.path().join("pass.db")).unwrap();
        let mut helper = Helper::open(Path::new(store.conn.path().unwrap())).unwrap();
        // Nobody commits: the store's transaction, begun between, shares the snapshot.
        let tx = store.conn.unchecked_transaction().unwrap();
        data_version(&tx).unwrap();
        assert!(helper.shares_snapshot().unwrap());
        drop(tx);
        // Another connection commits after the helper's transaction began,
        // before the store's did: not the same snapshot.
        other
            .execute("UPDATE cards SET suspended = 1 WHERE id = 7", [])
            .unwrap();
        let tx = store.conn.unchecked_transaction().unwrap();
        data_version(&tx).unwrap();
        assert!(!helper.shares_snapshot().unwrap());
        drop(tx);
        // The helper now holds the later snapshot, and nobody commits again.
        let tx = store.conn.unchecked_transaction().unwrap();
        data_version(&tx).unwrap();
        assert!(helper.shares_snapshot().unwrap());
    }

    #[test]
    fn inside_a_transaction_of_the_caller_one_reader_reads() {
        let dir = tempfile::tempdir().unwrap();
        let store = mixed_store(&dir);
        let one = card_pass::fold_scope(&store.conn, TODAY, None).unwrap();
        let _tx = store.conn.unchecked_transaction().unwrap();
        let mut snapshot = store.stats_snapshot_split(None, Some(0)).unwrap();
        assert!(snapshot.helper.is_none());
        let found = snapshot.card_tally(TODAY, None, None).unwrap();
        assert_same(&found, &one, "in the caller's transaction");
    }
}
