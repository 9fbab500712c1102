//! Where a command's output goes: stdout, or a file written whole or not at
//! all.
//!
//! A file output never replaces what it should not: an existing file only
//! with `--force`, never a FIFO, a device, a directory or the live database,
//! and a symlink is written through (its target replaced, the link kept).
//! The new content is written to a file with no name (Linux's `O_TMPFILE`)
//! and given its name only when complete, so a killed export leaves nothing
//! behind; elsewhere a named temporary file beside the target is persisted
//! with `tempfile`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How many symlinks a target may go through, as Linux's own limit.
const MAX_SYMLINKS: usize = 40;

/// A command's output: stdout, or a file that `finish` puts in place.
pub struct Output {
    inner: Inner,
}

enum Inner {
    /// Escaped when stdout is a terminal, data otherwise.
    Stdout(crate::terminal::Screen<std::io::Stdout>),
    File(Pending),
}

/// A file output not yet in place. Dropped unfinished, it vanishes.
struct Pending {
    writer: BufWriter<File>,
    temp: Temp,
    /// The file that will be written: the output path with symlinks followed.
    target: PathBuf,
    /// The path the user gave, for messages.
    shown: PathBuf,
    force: bool,
}

enum Temp {
    /// A file with no name yet (`O_TMPFILE`): nothing to clean up.
    #[cfg(target_os = "linux")]
    Unnamed,
    /// A named temporary file beside the target, removed on drop.
    Named(tempfile::TempPath),
}

impl Output {
    /// Stdout when `path` is `None`; else a checked file output. `protected`
    /// lists files that must never be replaced (the live database).
    pub fn open(path: Option<&Path>, force: bool, protected: &[&Path]) -> Result<Output> {
        let Some(path) = path else {
            return Ok(Output {
                inner: Inner::Stdout(crate::terminal::Screen::stdout()),
            });
        };
        let target = checked_target(path, force, protected)?;
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let (file, temp) = temp_file(&dir, &target).map_err(|e| Error::io(&dir, e))?;
        Ok(Output {
            inner: Inner::File(Pending {
                writer: BufWriter::new(file),
                temp,
                target,
                shown: path.to_path_buf(),
                force,
            }),
        })
    }

    /// Flushes and, for a file, syncs it and gives it its name. Without this
    /// call a file output leaves no file and the target as it was.
    pub fn finish(self) -> Result<()> {
        match self.inner {
            Inner::Stdout(mut out) => Ok(out.flush()?),
            Inner::File(pending) => pending.finish(),
        }
    }
}

impl Pending {
    fn finish(self) -> Result<()> {
        let Pending {
            writer,
            temp,
            target,
            shown,
            force,
        } = self;
        let file = writer
            .into_inner()
            .map_err(|e| Error::io(&shown, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&shown, e))?;
        let placed = match temp {
            #[cfg(target_os = "linux")]
            Temp::Unnamed => unnamed::link(&file, &target, force),
            Temp::Named(path) => persist(path, &target, force),
        };
        placed.map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => exists(&shown),
            _ => Error::io(&shown, e),
        })?;
        sync_parent(&target);
        Ok(())
    }
}

fn persist(path: tempfile::TempPath, target: &Path, force: bool) -> std::io::Result<()> {
    let placed = if force {
        path.persist(target)
    } else {
        path.persist_noclobber(target)
    };
    placed.map_err(|e| e.error)
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.inner {
            Inner::Stdout(out) => out.write(buf),
            Inner::File(pending) => pending.writer.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.inner {
            Inner::Stdout(out) => out.flush(),
            Inner::File(pending) => pending.writer.flush(),
        }
    }
}

/// The file an output to `path` would write, after refusing what must not
/// be written: a special file, an existing file without `force`, a
/// protected file. Symlinks are followed so the link itself survives.
pub fn checked_target(path: &Path, force: bool, protected: &[&Path]) -> Result<PathBuf> {
    let refuse = |message: String| Error::File {
        file: path.display().to_string(),
        message,
    };
    let (target, through_link) = follow_symlinks(path).map_err(|e| Error::io(path, e))?;
    let Ok(meta) = std::fs::metadata(&target) else {
        if through_link && !force {
            return Err(refuse(format!(
                "is a symlink to {}, which does not exist; pass --force to write there",
                target.display()
            )));
        }
        return Ok(target);
    };
    if !meta.is_file() {
        return Err(refuse(format!(
            "is {}, not a regular file; recall writes only regular files",
            crate::file_kind::describe(&meta.file_type())
        )));
    }
    if protected.iter().any(|p| same_file(&meta, p)) {
        return Err(refuse(
            "is recall's live database (or one of its files); write the copy somewhere else".into(),
        ));
    }
    if !force {
        return Err(exists(path));
    }
    Ok(target)
}

fn exists(path: &Path) -> Error {
    Error::File {
        file: path.display().to_string(),
        message: "already exists; pass --force to replace it".into(),
    }
}

/// `path` with every symlink along its last component followed, and
/// whether there was one. A missing target ends the walk.
fn follow_symlinks(path: &Path) -> std::io::Result<(PathBuf, bool)> {
    let mut current = path.to_path_buf();
    for hops in 0..MAX_SYMLINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok((current, hops > 0)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((current, hops > 0)),
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(format!(
        "more than {MAX_SYMLINKS} symlinks in a row"
    )))
}

/// True when `meta` is the file at `path` or one of SQLite's files beside
/// it (its -wal and -shm).
fn same_file(meta: &std::fs::Metadata, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        std::fs::metadata(PathBuf::from(name))
            .is_ok_and(|other| other.dev() == meta.dev() && other.ino() == meta.ino())
    })
}

/// A file to write the output into before it has its name: unnamed where
/// the system allows it, else a private temporary file beside the target.
fn temp_file(dir: &Path, target: &Path) -> std::io::Result<(File, Temp)> {
    #[cfg(target_os = "linux")]
    if let Some(file) = unnamed::create(dir)? {
        return Ok((file, Temp::Unnamed));
    }
    named_temp_file(dir, target)
}

fn named_temp_file(dir: &Path, target: &Path) -> std::io::Result<(File, Temp)> {
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(target.file_name().unwrap_or_default());
    prefix.push(".recall-tmp-");
    let named = tempfile::Builder::new().prefix(&prefix).tempfile_in(dir)?;
    let (file, path) = named.into_parts();
    Ok((file, Temp::Named(path)))
}

/// Makes the new name durable: the directory entry is synced too. A
/// failure here is not worth failing the command over: the data is synced.
fn sync_parent(target: &Path) {
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = File::open(dir)
    {
        let _ = dir.sync_all();
    }
}

#[cfg(target_os = "linux")]
mod unnamed {
    //! Linux's `O_TMPFILE`: a file in a directory that has no name until
    //! `linkat` gives it one, so a process killed mid-write leaves nothing.

    use std::fs::File;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    use rustix::fs::{AtFlags, CWD, Mode, OFlags};
    use rustix::io::Errno;

    /// An unnamed private file in `dir`, or `None` where the system does
    /// not support them (the caller falls back to a named one).
    pub fn create(dir: &Path) -> std::io::Result<Option<File>> {
        // The name is given through /proc; without it, use a named file.
        if !Path::new("/proc/self/fd").is_dir() {
            return Ok(None);
        }
        let flags = OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC;
        match rustix::fs::openat(CWD, dir, flags, Mode::from_raw_mode(0o600)) {
            Ok(fd) => Ok(Some(File::from(fd))),
            Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Gives `file` the name `target`. Without `force` an existing target
    /// fails (`AlreadyExists`), atomically; with it the file is linked
    /// under a fresh name beside the target and renamed over it.
    pub fn link(file: &File, target: &Path, force: bool) -> std::io::Result<()> {
        let source = format!("/proc/self/fd/{}", file.as_raw_fd());
        let link = |to: &Path| rustix::fs::linkat(CWD, &*source, CWD, to, AtFlags::SYMLINK_FOLLOW);
        if !force {
            return link(target).map_err(Into::into);
        }
        for attempt in 0..100u32 {
            let mut name = target.as_os_str().to_os_string();
            name.push(format!(".recall-tmp-{}-{attempt}", std::process::id()));
            let staged = std::path::PathBuf::from(name);
            match link(&staged) {
                Ok(()) => {
                    return std::fs::rename(&staged, target).inspect_err(|_| {
                        let _ = std::fs::remove_file(&staged);
                    });
                }
                Err(Errno::EXIST) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(std::io::Error::other(
            "no free temporary name beside the output",
        ))
    }
}

#[cfg(test)]
mod tests;
