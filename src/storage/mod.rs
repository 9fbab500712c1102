//! The storage layer: the only code that speaks SQL. It opens the database,
//! applies the migrations in `migrations/`, and turns rows into domain values.

pub mod backup;
mod bulk_indexes;
mod card_actions;
mod card_pass;
mod card_times;
mod cards;
mod day_totals;
mod deck_histories;
mod decks;
mod export;
mod header;
mod history;
mod import;
mod imported;
mod journal;
mod kept_counts;
mod leech;
mod log;
mod media;
pub mod media_files;
mod merge;
mod merge_card;
mod migrate;
mod queue;
pub mod restore;
mod review_rows;
mod scheduling;
mod schema;
mod search;
mod search_sql;
mod seen_card;
mod stats;
mod sync;
mod sync_events;
mod sync_settle;
mod sync_states;
mod two_readers;
mod unchecked;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result};

pub use backup::BackupPolicy;
pub use card_actions::{CardAction, Deleted};
pub use cards::{AnswerRecord, Recorded};
pub use decks::DeckSummary;
pub use export::{AnswerRow, CardStateRow};
pub use history::HistoryRow;
pub use import::{ImportOptions, ImportReport, Importer, OnMissing};
pub use log::{LogRow, ProgressRow};
pub use media::{MissingMedia, StoredMedia};
pub use merge::MergeReport;
pub use queue::Candidate;
pub use scheduling::{CardHistory, DeckSetting, FittedParams, Rescheduled};
pub use search::{CardRow, Page};
pub use sync::{DeviceState, LogPosition, PeerCursor, SyncTx};
pub use sync_settle::Settled;

/// How long a command waits for another recall process to finish writing.
pub(crate) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// An open recall database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Why the day's automatic backup could not be made, for the command
    /// to show: a failing backup never stops anyone studying.
    warning: Option<String>,
    /// Applied with every answer, in its transaction (see `leech`).
    leech: crate::domain::leech::LeechPolicy,
    /// The config file's scheduler and retention, for decks without their own.
    scheduling: crate::domain::scheduler::Defaults,
    /// What changes of card states are stamped with (`card_times`).
    clock: Option<crate::clock::Clock>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date. A damaged file or a newer schema is refused and
    /// left as it is.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, BackupPolicy::default())
    }

    /// `open`, with a backup before any migration and, when `policy.today`
    /// is given, the day's automatic backup.
    pub fn open_with(path: &Path, policy: BackupPolicy) -> Result<Store> {
        Store::open_migrating(path, policy, migrate::MIGRATIONS)
    }

    fn open_migrating(path: &Path, policy: BackupPolicy, migrations: &[&str]) -> Result<Store> {
        refuse_special_file(path)?;
        header::check(path).map_err(|detail| Error::Damaged {
            path: path.to_path_buf(),
            detail,
        })?;
        create_private_file(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| damaged(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            warning: None,
            leech: Default::default(),
            scheduling: Default::default(),
            clock: None,
        };
        store.configure().map_err(|e| store.classify(e))?;
        if store.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(Error::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        // Before anything is written, a backup or a migration included: an
        // older file is checked against the migrations of its own version.
        let version = store.checked_version(migrations)?;
        if version > 0 && (version as usize) < migrations.len() && policy.keep > 0 {
            store.backup_into_folder(&format!("before-migration-v{version}"), policy.keep)?;
        }
        migrate::run_list(&mut store.conn, path, migrations)?;
        if let Some(today) = policy.today {
            store.daily_backup(today, policy.keep, version == 0)?;
        }
        Ok(store)
    }

    /// The schema version, once the schema is found to be exactly what
    /// `migrations` make at that version. Both are read in one transaction,
    /// so one snapshot: another process's migration cannot land in between.
    ///
    /// The expected schema is embedded at build time (see `schema.rs`), so
    /// the cost is one read of `sqlite_schema` and a comparison: tens of
    /// microseconds, measured in the README's Reliability section.
    fn checked_version(&mut self, migrations: &[&str]) -> Result<i64> {
        let path = &self.path;
        let tx = self.conn.transaction().map_err(|e| damaged(path, e))?;
        let version = migrate::version(&tx, path)?;
        let found = schema::read(&tx).map_err(|e| damaged(path, e))?;
        drop(tx);
        let made = migrations.get(..version as usize).unwrap_or(migrations);
        let expected = schema::expected(made)?;
        schema::compare(&found, &expected).map_err(|problem| Error::ForeignSchema {
            path: path.clone(),
            problem: problem.to_string(),
        })?;
        Ok(version)
    }

    /// The warning left by opening (a failed daily backup), once.
    pub fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs a bulk write with a page cache of `BULK_CACHE_KIB` instead of
    /// SQLite's 2 MB, given back after. A large transaction touches most
    /// pages of the card and review indexes; with the default cache it
    /// would spill pages to the WAL and read them back over and over.
    pub(super) fn with_bulk_cache<T>(
        &mut self,
        write: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        set_cache_kib(&self.conn, BULK_CACHE_KIB)?;
        let result = write(self);
        set_cache_kib(&self.conn, DEFAULT_CACHE_KIB)?;
        result
    }

    fn configure(&self) -> rusqlite::Result<()> {
        // Wait for other recall processes instead of failing with "database is locked".
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.set_prepared_statement_cache_capacity(64);
        search_sql::register_functions(&self.conn)?;
        // Reading the header first: a file that is not SQLite fails here, before
        // anything below writes to it.
        self.conn
            .query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))?;
        Ok(())
    }

    /// Turns an SQLite error at open time into one that names the file.
    fn classify(&self, e: rusqlite::Error) -> Error {
        damaged(&self.path, e)
    }
}

/// The page cache of a bulk write, in KiB (see `Store::with_bulk_cache`):
/// 4 MiB. A card import writes its new rows and index entries once each,
/// and a bulk merge drops the indexes, writes the log and updates the
/// cards, each page once, while it holds every answer. Measured on the
/// synthetic 100 000 cards with 8 KiB pages (hyperfine, median of 10):
/// the import into a new database took 229 ms with 4 MiB and 228-229 with
/// 8, into a used one 222-226 and 218-226 ms, peaking at 24.5 MB against
/// 29.2; a million cards 1.94-2.04 s against 1.96-2.01 s, 97 against 101
/// MB. With 8 MiB the cache filled while a merge dropped the indexes, and
/// merging 800 000 answers peaked at 31.5 MB, with 4 MiB at 27.3 MB, in
/// the same time (1.36-1.46 s against 1.40-1.42 s). (Earlier, callgrind:
/// the import took 2 931 M instructions with 16 MiB, 2 933 M with 8.)
pub(super) const BULK_CACHE_KIB: i64 = 4_096;

/// The page cache of a bulk merge while it builds the indexes again, in
/// KiB: their sorts run in the cache's memory and spill to temporary files
/// past it. 800 000 answers took 15.19 G instructions with 64 MiB, 15.54 G
/// with 16, 15.66 G with 8, and a peak of 148 MB against 58 MB with 8; by
/// the clock no slower (2.6 s against 2.9 s: fewer pages to allocate and
/// fault in). So did a million cards' history, in two files of 4 143 868
/// and 3 889 934 answers: 16.4 s + 19.4 s with 8 MiB, 19.0 s + 22.4 s
/// with 32 and 62 MiB.
pub(super) const INDEX_BUILD_CACHE_KIB: i64 = 8_192;

/// SQLite's own page cache, in KiB.
const DEFAULT_CACHE_KIB: i64 = 2_000;

/// Sets the page cache to `kib` KiB.
pub(super) fn set_cache_kib(conn: &Connection, kib: i64) -> Result<()> {
    Ok(conn.pragma_update(None, "cache_size", -kib)?)
}

/// Runs `scan`, which reads a table once from end to end, with SQLite's
/// own page cache, and gives the cache its size back after: inside a bulk
/// write (`Store::with_bulk_cache`) no page the scan reads is wanted again,
/// and kept they filled the cache (then 8 MiB).
pub(super) fn with_default_cache<T>(
    conn: &Connection,
    scan: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let size: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -DEFAULT_CACHE_KIB)?;
    let result = scan();
    conn.pragma_update(None, "cache_size", size)?;
    result
}

fn damaged(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Error::Damaged {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => Error::sqlite_at(path, e),
    }
}

/// Refuses a path that exists but is not a regular file (after symlinks):
/// SQLite would hang on a FIFO and give misleading errors for the rest.
pub(super) fn refuse_special_file(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(Error::NotAFile {
            path: path.to_path_buf(),
            kind: crate::file_kind::describe(&meta.file_type()),
        }),
        _ => Ok(()),
    }
}

/// Creates the database file (and its folders) readable by its owner only,
/// before SQLite does: SQLite gives its -wal and -shm files the same mode.
fn create_private_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        backup::create_private_dir(parent)?;
    }
    match backup::create_private_file(path, false) {
        Ok(_) => Ok(()),
        // A read-only file is still worth opening: reads work and writes fail clearly.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && path.exists() => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

#[cfg(test)]
mod reliability_tests;
#[cfg(test)]
mod scheduling_tests;

#[cfg(test)]
mod cache_tests {
    use super::{Connection, DEFAULT_CACHE_KIB, with_default_cache};
    use crate::error::Error;

    fn size(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_scan_runs_with_the_default_cache_and_the_size_comes_back_even_on_an_error() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "cache_size", -8192).unwrap();
        let inside = with_default_cache(&conn, || Ok(size(&conn))).unwrap();
        assert_eq!((inside, size(&conn)), (-DEFAULT_CACHE_KIB, -8192));
        let failed: Result<(), Error> =
            with_default_cache(&conn, || Err(Error::invalid("the scan failed")));
        assert!(failed.is_err());
        assert_eq!(size(&conn), -8192);
    }
}
