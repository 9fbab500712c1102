//! The storage layer: the only code that speaks SQL. It opens the database,
//! applies the migrations in `migrations/`, and turns rows into domain values.

pub mod backup;
mod card_actions;
mod cards;
mod day_totals;
mod decks;
mod export;
mod header;
mod history;
mod import;
mod imported;
mod journal;
mod log;
mod migrate;
mod queue;
pub mod restore;
mod search;
mod search_sql;
mod stats;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result};

pub use backup::BackupPolicy;
pub use card_actions::{CardAction, Deleted};
pub use cards::{AnswerRecord, Recorded, Scope};
pub use decks::DeckSummary;
pub use history::HistoryRow;
pub use import::{ImportOptions, ImportReport, Importer};
pub use log::{LogRow, MergeReport, ProgressRow};
pub use search::{CardRow, Page};

/// How long a command waits for another recall process to finish writing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// An open recall database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
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
        };
        store.configure().map_err(|e| store.classify(e))?;
        if store.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(Error::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        let version = migrate::version(&store.conn, path)?;
        if version > 0 && (version as usize) < migrations.len() && policy.keep > 0 {
            store.backup_into_folder(&format!("before-migration-v{version}"), policy.keep)?;
        }
        migrate::run_list(&mut store.conn, path, migrations)?;
        if let Some(today) = policy.today {
            store.daily_backup(today, policy.keep, version == 0)?;
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs a bulk write (an import) with a 64 MiB page cache. A large
    /// transaction touches most pages of the card and review indexes; with
    /// SQLite's default 2 MB cache it would spill pages to the WAL and read
    /// them back over and over. Commands exit right after, so the memory is
    /// given back at once anyway.
    pub(super) fn with_bulk_cache<T>(
        &mut self,
        write: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        self.conn.pragma_update(None, "cache_size", -65_536)?;
        let result = write(self);
        self.conn.pragma_update(None, "cache_size", -2_000)?;
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

fn damaged(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Error::Damaged {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => Error::sqlite_at(path, e),
    }
}

/// Creates the database file (and its folders) readable by its owner only,
/// before SQLite does: SQLite gives its -wal and -shm files the same mode.
fn create_private_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
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
