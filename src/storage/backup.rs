//! Backups: consistent copies of the database made with SQLite's online
//! backup API (never a plain file copy, which could catch a half-applied
//! transaction or miss what still sits in the WAL), kept in `backups/`
//! beside the database. `restore.rs` puts one back.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::Store;
use crate::domain::Day;
use crate::error::{Error, Result};

/// The name prefix of the backups that rotation manages. Damaged files moved
/// aside by a restore are named differently so that rotation never deletes them.
const PREFIX: &str = "recall-";
const META_LAST_DAY: &str = "last_backup_day";

/// What `Store::open_with` does about backups.
#[derive(Debug, Clone, Copy)]
pub struct BackupPolicy {
    /// How many backups `backups/` keeps; 0 turns automatic backups off.
    pub keep: usize,
    /// The study day (with RECALL_NOW and the rollover hour applied), for
    /// "at most one automatic backup a day".
    pub today: Option<Day>,
}

impl Default for BackupPolicy {
    fn default() -> Self {
        BackupPolicy {
            keep: 7,
            today: None,
        }
    }
}

/// The folder beside the database that holds its backups.
pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

/// The managed backups of `db`, oldest first (their names sort by time).
pub fn list(db: &Path) -> Result<Vec<PathBuf>> {
    let dir = backups_dir(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(".db"))
                // An empty file is a name reserved by a backup in progress.
                && std::fs::metadata(p).is_ok_and(|m| m.len() > 0)
        })
        .collect();
    found.sort();
    Ok(found)
}

impl Store {
    /// Writes a consistent copy of the database to `dest`, which must not exist.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        self.quick_check()?;
        copy_database(&self.conn, dest)
    }

    /// A backup into `backups/`, then rotation down to `keep` (0: no rotation).
    /// Returns the new file.
    pub fn backup_into_folder(&self, reason: &str, keep: usize) -> Result<PathBuf> {
        self.quick_check()?;
        backup_into_folder(&self.conn, &self.path, reason, keep)
    }

    /// Refuses to copy a database whose pages are damaged: the copy would be
    /// damaged too, and rotation would delete a good backup to make room for
    /// it. Linear in the file's size (milliseconds for a typical collection),
    /// and run only when a backup is made, at most daily on its own.
    fn quick_check(&self) -> Result<()> {
        let damaged = |detail: String| Error::Damaged {
            path: self.path.clone(),
            detail,
        };
        let result: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| damaged(e.to_string()))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(damaged(format!("the integrity check failed: {result}")))
        }
    }

    /// The automatic backup of the day, at most one per study day. The cost
    /// when none is due is one indexed read of the `meta` table.
    ///
    /// A backup that cannot be written (no folder, no permission, a full
    /// disk) must not stop anyone studying: the command goes on, with a
    /// warning, and the next command tries again. A database damaged inside
    /// is still refused: it must not be used, nor copied over good backups.
    pub(super) fn daily_backup(&mut self, today: Day, keep: usize, fresh: bool) -> Result<()> {
        let day = today.0.to_string();
        if keep == 0 || self.meta(META_LAST_DAY)?.as_deref() == Some(day.as_str()) {
            return Ok(());
        }
        // A database created just now has nothing worth saving yet.
        if !fresh {
            match self.backup_into_folder("daily", keep) {
                Ok(_) => {}
                Err(e @ Error::Damaged { .. }) => return Err(e),
                Err(e) => {
                    self.warning = Some(backup_warning(&self.path, &e));
                    return Ok(());
                }
            }
        }
        self.set_meta(META_LAST_DAY, &day)
    }
}

/// What a user reads when the day's backup failed: what, where, and the two
/// ways out.
fn backup_warning(db: &Path, e: &Error) -> String {
    // SQLite's own words: the friendlier ones say "nothing was saved",
    // which is true of the backup but not of the command.
    let cause = match e {
        Error::Database { path, source } => format!("{}: {source}", path.display()),
        other => other.to_string(),
    };
    format!(
        "the daily backup was not made ({cause}); the command went ahead without it. Make {} a \
         folder you can write to, with free space, or turn automatic backups off with \
         --keep-backups 0 (or RECALL_KEEP_BACKUPS=0).",
        backups_dir(db).display()
    )
}

fn backup_into_folder(conn: &Connection, db: &Path, reason: &str, keep: usize) -> Result<PathBuf> {
    let dir = backups_dir(db);
    create_private_dir(&dir)?;
    let dest = free_name(&dir, PREFIX, reason)?;
    copy_database(conn, &dest)?;
    if keep > 0 {
        rotate(db, keep)?;
    }
    Ok(dest)
}

/// The kind of a managed backup: its reason without the version, so
/// `before-migration-v3` and `-v4` are one kind. Names are
/// `recall-{stamp}Z-{nn}-{reason}.db` (see `free_name`).
fn kind(path: &Path) -> &str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let reason = name
        .strip_suffix(".db")
        .and_then(|n| n.split_once("Z-"))
        .and_then(|(_, rest)| rest.split_once('-'))
        .map_or("", |(_, reason)| reason);
    match reason.rsplit_once("-v") {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => reason,
    }
}

/// Deletes the oldest managed backups beyond `keep` of each kind, and what
/// killed backups left behind (a `.part` file, an empty reserved name) once
/// it is an hour old, so that a backup still being written is never touched.
///
/// Each kind (daily, manual, before-migration, before-restore) is rotated
/// apart: daily backups only ever replace daily backups. Otherwise a week
/// of daily backups of a wrongly restored database would delete the
/// `before-restore` copy, the only one of the collection as it was. Damaged
/// files moved aside by restore (`damaged-…`) are never deleted.
pub fn rotate(db: &Path, keep: usize) -> Result<()> {
    let all = list(db)?;
    let mut kinds: Vec<&str> = all.iter().map(|p| kind(p)).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for k in kinds {
        let same: Vec<&PathBuf> = all.iter().filter(|p| kind(p) == k).collect();
        for old in &same[..same.len().saturating_sub(keep)] {
            std::fs::remove_file(old).map_err(|e| Error::io(*old, e))?;
        }
    }
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    let Ok(entries) = std::fs::read_dir(backups_dir(db)) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(meta) = entry.metadata() else { continue };
        let stale = meta.modified().is_ok_and(|t| t < hour_ago);
        let leftover = name.ends_with(".db.part") || (name.ends_with(".db") && meta.len() == 0);
        if stale && leftover && name.starts_with(PREFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Reserves `{prefix}2026-03-01T09-00-00.123Z-00-{reason}.db`, sortable by
/// time, by creating it empty: two processes backing up in the same
/// millisecond get different names. The names use the real clock, not
/// RECALL_NOW, so that rotation keeps the newest copies even when scripts
/// run with a made-up time.
pub(super) fn free_name(dir: &Path, prefix: &str, reason: &str) -> Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y-%m-%dT%H-%M-%S%.3fZ");
    for n in 0..100 {
        let path = dir.join(format!("{prefix}{stamp}-{n:02}-{reason}.db"));
        match create_private_file(&path, true) {
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Err(Error::invalid(format!(
        "{}: too many backups in the same millisecond",
        dir.display()
    )))
}

/// Copies the main database of `conn` to `dest` (absent, or reserved empty
/// by `free_name`): written to a temporary name, synced, then renamed, so
/// `dest` is complete or absent (or empty).
pub(super) fn copy_database(conn: &Connection, dest: &Path) -> Result<()> {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    let temp = dest.with_file_name(name);
    let result = (|| {
        create_private_file(&temp, true).map_err(|e| Error::io(&temp, e))?;
        let mut target = Connection::open(&temp).map_err(|e| Error::sqlite_at(&temp, e))?;
        run_backup(conn, &mut target).map_err(|e| Error::sqlite_at(&temp, e))?;
        // A copy in rollback-journal mode is one self-contained file: opening
        // it (read-only, to check or restore it) leaves no -wal/-shm behind.
        target
            .pragma_update(None, "journal_mode", "DELETE")
            .map_err(|e| Error::sqlite_at(&temp, e))?;
        target
            .close()
            .map_err(|(_, e)| Error::sqlite_at(&temp, e))?;
        sync_file(&temp)?;
        std::fs::rename(&temp, dest).map_err(|e| Error::io(dest, e))?;
        sync_dir(dest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
        if std::fs::metadata(dest).is_ok_and(|m| m.len() == 0) {
            let _ = std::fs::remove_file(dest);
        }
    }
    result
}

/// Runs one backup from `from` into `to` in a single step: one read
/// transaction on the source gives a snapshot as of one moment. Busy steps
/// (a writer holding the destination) are retried for up to 10 s.
pub(super) fn run_backup(from: &Connection, to: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(from, to)?;
    for _ in 0..1000 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    Err(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("the database stayed busy during the backup".into()),
    ))
}

fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(path, e))
}

/// Makes a rename durable (the directory entry), where the platform allows.
fn sync_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(dir, e))?;
    }
    Ok(())
}

/// Creates `path` readable by its owner only; `new` insists that it did
/// not exist. A file created here is set to 0600 whatever the umask (which
/// can only take bits away, and with `umask 777` would leave it unusable).
pub(super) fn create_private_file(path: &Path, new: bool) -> std::io::Result<std::fs::File> {
    let mut options = OpenOptions::new();
    options.write(true);
    let existed = !new && path.exists();
    if new {
        options.create_new(true);
    } else {
        options.create(true).truncate(false);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    if !existed {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Creates `dir` and any missing parents, each 0700 whatever the umask;
/// folders that exist are left as they are. A path that exists but is not a
/// folder (a file named `backups`) is an error naming it.
pub(super) fn create_private_dir(dir: &Path) -> Result<()> {
    let mut missing = Vec::new();
    let mut at = dir;
    while std::fs::metadata(at).is_err() {
        missing.push(at);
        match at.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => at = parent,
            _ => break,
        }
    }
    for folder in missing.into_iter().rev() {
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(folder) {
            Ok(()) => set_private_dir(folder)?,
            // Another process made it in the meantime.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::io(folder, e)),
        }
    }
    if !std::fs::metadata(dir).is_ok_and(|m| m.is_dir()) {
        let e = std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "it exists but is not a folder",
        );
        return Err(Error::io(dir, e));
    }
    Ok(())
}

fn set_private_dir(folder: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::io(folder, e))?;
    }
    Ok(())
}

pub(super) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
