//! `recall restore`: checking a backup and putting it in the database's place.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::backup::{
    backups_dir, copy_database, create_private_dir, free_name, run_backup, with_suffix,
};
use super::{Store, header, migrate};
use crate::error::{Error, Result};

/// Checks that `file` is a whole, healthy recall database this version can
/// read, without writing to it.
pub fn validate(file: &Path) -> Result<()> {
    let bad = |message: String| Error::File {
        file: file.display().to_string(),
        message,
    };
    if !file.is_file() {
        return Err(bad("no such file".into()));
    }
    header::check(file).map_err(|e| bad(e.to_string()))?;
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad(format!("cannot open it as a database ({e})")))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(format!("not a usable SQLite database ({e})")))?;
    if check != "ok" {
        return Err(bad(format!("the integrity check failed: {check}")));
    }
    let (version, app_id): (i64, i64) = conn
        .query_row(
            "SELECT user_version, application_id FROM pragma_user_version, pragma_application_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| bad(e.to_string()))?;
    if app_id != migrate::APPLICATION_ID || version < 1 {
        return Err(bad("not a recall database".into()));
    }
    if version > migrate::LATEST {
        return Err(bad(format!(
            "its schema is version {version}, newer than this recall understands ({}); upgrade recall first",
            migrate::LATEST
        )));
    }
    Ok(())
}

/// What a restore did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Restored {
    /// The backup of the database as it was before (absent if there was none).
    pub previous: Option<PathBuf>,
    /// True when the previous file was damaged and moved aside whole.
    pub previous_damaged: bool,
}

/// Replaces the database at `db` with the backup `from`, after checking
/// `from` and saving the current database into `backups/`.
pub fn restore(db: &Path, from: &Path, keep: usize) -> Result<Restored> {
    validate(from)?;
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::sqlite_at(from, e))?;
    if !db.exists() {
        copy_database(&source, db)?;
        return Ok(Restored {
            previous: None,
            previous_damaged: false,
        });
    }
    let live = match Store::open(db) {
        Ok(live) => live,
        Err(Error::Damaged { .. } | Error::SchemaTooNew { .. }) => {
            return replace_damaged(db, &source);
        }
        Err(e) => return Err(e),
    };
    let previous = match live.backup_into_folder("before-restore", keep) {
        Ok(previous) => previous,
        // Opens, but its pages are damaged: it cannot be copied, only moved.
        Err(Error::Damaged { .. }) => {
            drop(live);
            return replace_damaged(db, &source);
        }
        Err(e) => return Err(e),
    };
    let mut live = live;
    // Into the live file through SQLite itself: the copy is one write
    // transaction on the live database, so it takes the same locks as any
    // writer, goes through its WAL, and other recall processes (which keep
    // no state between transactions) see either the old or the restored
    // database, never a mix. Replacing the file underneath them instead would
    // leave their -wal and -shm files describing a database that is no
    // longer there.
    run_backup(&source, &mut live.conn).map_err(|e| Error::sqlite_at(db, e))?;
    Ok(Restored {
        previous: Some(previous),
        previous_damaged: false,
    })
}

fn replace_damaged(db: &Path, source: &Connection) -> Result<Restored> {
    let previous = move_aside(db)?;
    copy_database(source, db)?;
    Ok(Restored {
        previous: Some(previous),
        previous_damaged: true,
    })
}

/// Moves a damaged database (and its -wal) into `backups/` untouched. Only
/// then does a fresh file take its path, renamed into place whole: no recall
/// process can be using the damaged file (opening refuses it), and a stale
/// -wal left beside the new file would be replayed into it, so it goes too.
fn move_aside(db: &Path) -> Result<PathBuf> {
    let dir = backups_dir(db);
    create_private_dir(&dir)?;
    let dest = free_name(&dir, "damaged-", "original")?;
    std::fs::rename(db, &dest).map_err(|e| Error::io(db, e))?;
    for (suffix, keep) in [("-wal", true), ("-shm", false)] {
        let side = with_suffix(db, suffix);
        if side.exists() {
            let result = if keep {
                std::fs::rename(&side, with_suffix(&dest, suffix))
            } else {
                std::fs::remove_file(&side)
            };
            result.map_err(|e| Error::io(&side, e))?;
        }
    }
    Ok(dest)
}
