//! Schema migrations, tracked by `PRAGMA user_version`. A hand-written runner
//! (rather than rusqlite_migration) keeps us on the current rusqlite and is
//! all we need: each file is applied once, in order, in its own transaction.

use std::path::Path;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// `migrations/NNNN_name.sql`, in order. Index + 1 is the schema version.
pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    // Per-day totals kept by triggers, so statistics never scan the whole log.
    include_str!("../../migrations/0002_review_days.sql"),
    // Due cards of one deck by index: the home screen counts each deck's.
    include_str!("../../migrations/0003_deck_due_index.sql"),
    // Answers imported from Anki's review log, marked with the kind Anki logged.
    include_str!("../../migrations/0004_imported_answers.sql"),
    // Deck, card and review ids are never handed out twice (AUTOINCREMENT).
    include_str!("../../migrations/0005_ids_never_reused.sql"),
    // Card search: a trigram index of the text, and the browser's order by index.
    include_str!("../../migrations/0006_card_search.sql"),
    // Decks listed in the order their files give (the bundled: the lesson's).
    include_str!("../../migrations/0007_deck_order.sql"),
    // Each deck's cards counted by state and due day: the home screen sums rows.
    include_str!("../../migrations/0008_deck_card_counts.sql"),
    // FSRS beside SM-2: each deck's scheduler, memory states, fitted parameters.
    include_str!("../../migrations/0009_fsrs.sql"),
    // Sync through a shared folder: the device, read positions, the logs' answers.
    include_str!("../../migrations/0010_sync.sql"),
    // Media (issue 21): each deck's media names → a content-addressed file.
    include_str!("../../migrations/0011_media.sql"),
    // Cards that ask for a typed answer (issue 21).
    include_str!("../../migrations/0012_typed_answer.sql"),
    // When card states changed, and a sync's resets, deletions and renames (issue 19).
    include_str!("../../migrations/0013_sync_times.sql"),
];

/// Marks the file as ours ("RCLL"), so another program's SQLite file is refused.
pub const APPLICATION_ID: i64 = 0x5243_4C4C;

pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The schema version of a database, after refusing one that is newer than
/// this recall or was not made by recall. Reads only.
pub fn version(conn: &Connection, path: &Path) -> Result<i64> {
    // One statement, so one snapshot: read apart, another process's first
    // migration could land in between and its tables look like a stranger's.
    let (version, app_id, has_tables): (i64, i64, bool) = conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version), \
                (SELECT application_id FROM pragma_application_id), \
                EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if version > LATEST {
        return Err(Error::SchemaTooNew {
            path: path.to_path_buf(),
            found: version,
            supported: LATEST,
        });
    }
    if (version > 0 && app_id != APPLICATION_ID) || (version == 0 && has_tables) {
        return Err(Error::Damaged {
            path: path.to_path_buf(),
            detail: "it holds tables that recall did not create".into(),
        });
    }
    Ok(version)
}

/// The page size of a new database, in bytes; one made before keeps its
/// own (4096, SQLite's default). Measured on 100 000 cards (hyperfine,
/// median of 10), 4096 against 8192: an import into a new database 243-256
/// against 217-224 ms, into one holding another deck 223 against 197 ms,
/// the merge of 800 000 answers 1.33 against 1.28 s, `next` and one
/// answer 3.3 and 3.5 against 3.5 and 3.7 ms, statistics and searches the
/// same. Fewer pages for the same rows: fewer B-tree splits and writes.
/// (16384 took 215 and 187 ms and 1.20 s, but writes twice the bytes for
/// each page an answer changes.)
pub(super) const NEW_PAGE_SIZE: i64 = 8192;

/// Applies `migrations` (`MIGRATIONS`, or a longer list in tests).
pub(super) fn run_list(conn: &mut Connection, path: &Path, migrations: &[&str]) -> Result<()> {
    let version = version(conn, path)?;
    if version == 0 {
        // Before the first page is written: it cannot change after.
        conn.pragma_update(None, "page_size", NEW_PAGE_SIZE)?;
    }
    // WAL lets readers (stats, a second terminal) run while a session writes.
    super::journal::set_wal(conn)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // NORMAL in WAL mode: a committed answer survives the process being
    // killed or crashing (it is in the WAL before COMMIT returns); only a
    // power loss or OS crash can take back the last commits. FULL would add
    // an fsync to every answer. The README's Reliability section says so.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    for (i, sql) in migrations.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current > i as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Store;

    fn page_size(path: &Path) -> i64 {
        let conn = Connection::open(path).unwrap();
        conn.query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_new_database_takes_the_page_size_and_one_made_before_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.db");
        drop(Store::open(&new).unwrap());
        assert_eq!(page_size(&new), NEW_PAGE_SIZE);
        // A file whose first page was written with SQLite's default.
        let old = dir.path().join("old.db");
        let conn = Connection::open(&old).unwrap();
        conn.execute_batch("PRAGMA page_size = 4096").unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        drop(conn);
        drop(Store::open(&old).unwrap());
        assert_eq!(page_size(&old), 4096);
    }
}
