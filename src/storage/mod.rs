//! The storage layer: the only code that speaks SQL. It opens the database,
//! applies the migrations in `migrations/`, and turns rows into domain values.

mod cards;
mod decks;
mod log;
mod migrate;
mod stats;

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result};

pub use cards::{AnswerRecord, Recorded, Scope};
pub use decks::{DeckSummary, ImportOptions, ImportReport};
pub use log::{LogRow, MergeReport, ProgressRow};

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
        create_private_file(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| damaged(path, &e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure().map_err(|e| store.classify(e))?;
        migrate::run(&mut store.conn, path)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> rusqlite::Result<()> {
        // Wait for other recall processes instead of failing with "database is locked".
        self.conn.busy_timeout(std::time::Duration::from_secs(10))?;
        self.conn.set_prepared_statement_cache_capacity(64);
        // Reading the header first: a file that is not SQLite fails here, before
        // anything below writes to it.
        self.conn
            .query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))?;
        Ok(())
    }

    /// Turns an SQLite error at open time into one that names the file.
    fn classify(&self, e: rusqlite::Error) -> Error {
        damaged(&self.path, &e)
    }
}

fn damaged(path: &Path, e: &rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Error::Damaged {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => Error::File {
            file: path.display().to_string(),
            message: e.to_string(),
        },
    }
}

/// Creates the database file (and its folders) readable by its owner only,
/// before SQLite does: SQLite gives its -wal and -shm files the same mode.
fn create_private_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        // A read-only file is still worth opening: reads work and writes fail clearly.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && path.exists() => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}
