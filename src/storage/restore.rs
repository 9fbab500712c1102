//! `recall restore`: checking a backup and putting it in the database's place.
//!
//! Nothing is replaced until the backup has been proven to open: it is
//! checked (header, integrity, application id, version, schema), copied to
//! a temporary file beside the database, and that copy is opened as every
//! command opens a database (the schema check again, migrations if it is
//! older). Only the opened copy is put in place.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::backup::{
    BackupPolicy, backups_dir, copy_database, create_private_dir, free_name, run_backup,
    with_suffix,
};
use super::{Store, header, migrate, schema};
use crate::error::{Error, Result};

/// Checks that `file` is a whole, healthy recall database this version can
/// read, holding exactly the schema recall's migrations make at its
/// version, without writing to it.
pub fn validate(file: &Path) -> Result<()> {
    let bad = |message: String| Error::File {
        file: file.display().to_string(),
        message,
    };
    match std::fs::metadata(file) {
        Err(_) => return Err(bad("no such file".into())),
        Ok(meta) if !meta.is_file() => {
            let kind = crate::file_kind::describe(&meta.file_type());
            return Err(bad(format!("is {kind}, not a recall database")));
        }
        Ok(_) => {}
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
    let found = schema::read(&conn).map_err(|e| bad(e.to_string()))?;
    let expected = schema::expected(&migrate::MIGRATIONS[..version as usize])?;
    schema::compare(&found, &expected).map_err(|problem| {
        bad(format!(
            "{problem}, so it is not restored: recall restores only a database whose schema \
             is exactly what its migrations make. The database was left as it was"
        ))
    })
}

/// What a restore did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Restored {
    /// The backup of the database as it was before (absent if there was none).
    pub previous: Option<PathBuf>,
    /// True when the previous file could not be opened (damaged, or with a
    /// schema recall did not make) and was moved aside whole.
    pub previous_damaged: bool,
}

/// Replaces the database at `db` with the backup `from`, after checking
/// `from`, opening a copy of it, and saving the current database into
/// `backups/`. A symlink at `db` is followed: its target is replaced, the
/// link stays.
pub fn restore(db: &Path, from: &Path, keep: usize) -> Result<Restored> {
    validate(from)?;
    super::refuse_special_file(db)?;
    let target = follow_links(db);
    let staged = Staged::new(&target, from)?;
    let result = put_in_place(db, &target, &staged.store, keep);
    staged.remove();
    result
}

/// The name of a staged copy, beside the database.
const STAGED_PREFIX: &str = ".recall-restore-";

/// Deletes what a killed restore left beside the database (its staged copy,
/// with its -wal and -shm) once it is an hour old, so that a restore still
/// running in another process is never disturbed.
fn remove_stale_copies(dir: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_string_lossy()
            .starts_with(STAGED_PREFIX);
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < hour_ago);
        if ours && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A copy of the backup beside the database, opened as a `Store` (checked
/// and migrated), to be copied from. It is deleted when done.
struct Staged {
    store: Store,
    file: tempfile::TempPath,
}

impl Staged {
    fn new(target: &Path, from: &Path) -> Result<Staged> {
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        create_private_dir(dir)?;
        remove_stale_copies(dir);
        let file = tempfile::Builder::new()
            .prefix(STAGED_PREFIX)
            .suffix(".db")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, e))?
            .into_temp_path();
        let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| Error::sqlite_at(from, e))?;
        copy_database(&source, &file)?;
        let policy = BackupPolicy {
            keep: 0,
            today: None,
        };
        let store = Store::open_with(&file, policy).map_err(|e| Error::File {
            file: from.display().to_string(),
            message: format!("a copy of it does not open, so it is not restored: {e}"),
        })?;
        Ok(Staged { store, file })
    }

    fn remove(self) {
        let path = self.file.to_path_buf();
        drop(self.store);
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&path, suffix));
        }
        drop(self.file);
    }
}

/// Puts the staged copy at `target` (the file `db` names), saving what was
/// there first.
fn put_in_place(db: &Path, target: &Path, staged: &Store, keep: usize) -> Result<Restored> {
    if std::fs::symlink_metadata(target).is_err() {
        copy_database(&staged.conn, target)?;
        return Ok(Restored {
            previous: None,
            previous_damaged: false,
        });
    }
    let live = match Store::open(db) {
        Ok(live) => live,
        Err(Error::Damaged { .. } | Error::SchemaTooNew { .. } | Error::ForeignSchema { .. }) => {
            return replace_damaged(db, target, &staged.conn);
        }
        Err(e) => return Err(e),
    };
    let previous = match live.backup_into_folder("before-restore", keep) {
        Ok(previous) => previous,
        // Opens, but its pages are damaged: it cannot be copied, only moved.
        Err(Error::Damaged { .. }) => {
            drop(live);
            return replace_damaged(db, target, &staged.conn);
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
    run_backup(&staged.conn, &mut live.conn).map_err(|e| Error::sqlite_at(db, e))?;
    Ok(Restored {
        previous: Some(previous),
        previous_damaged: false,
    })
}

fn replace_damaged(db: &Path, target: &Path, source: &Connection) -> Result<Restored> {
    let previous = move_aside(db, target)?;
    copy_database(source, target)?;
    Ok(Restored {
        previous: Some(previous),
        previous_damaged: true,
    })
}

/// Moves a damaged database file `target` (and its -wal) into `db`'s
/// `backups/` untouched. Only then does a fresh file take its path, renamed
/// into place whole: no recall process can be using the damaged file
/// (opening refuses it), and a stale -wal left beside the new file would be
/// replayed into it, so it goes too.
fn move_aside(db: &Path, target: &Path) -> Result<PathBuf> {
    let dir = backups_dir(db);
    create_private_dir(&dir)?;
    let dest = free_name(&dir, "damaged-", "original")?;
    std::fs::rename(target, &dest).map_err(|e| Error::io(target, e))?;
    for (suffix, keep) in [("-wal", true), ("-shm", false)] {
        let side = with_suffix(target, suffix);
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

/// The file a path names once symlinks are followed (also a dangling one's
/// target, which a restore creates): what is replaced is the database, never
/// the link the user keeps it behind. SQLite follows links the same way, so
/// the -wal beside the target is the one that belongs to it.
fn follow_links(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    // As many hops as Linux allows (40) before ELOOP.
    for _ in 0..40 {
        match std::fs::read_link(&path) {
            Ok(next) => {
                let base = path.parent().unwrap_or(Path::new(""));
                path = base.join(next);
            }
            Err(_) => break,
        }
    }
    path
}
