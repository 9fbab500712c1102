//! The media files beside the database: `<db dir>/media/<2 hex>/<sha256>`,
//! named by their content so that two decks (or two names) with the same
//! picture share one file, and a name from a package is never a path: no
//! crafted name can write outside `media/`. Folders are 0700, files 0600
//! (tempfile's mode), each written to a temporary file in `media/` and
//! renamed into place once complete and synced: a crash leaves a stray
//! temporary file at worst, never half a picture under a hash.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The media folder of one database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaDir {
    root: PathBuf,
}

/// A file stored: its hash (lower-case hex) and size in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
}

impl MediaDir {
    /// `media/` in the database's folder.
    pub fn beside(database: &Path) -> MediaDir {
        let dir = database.parent().unwrap_or(Path::new("."));
        MediaDir {
            root: dir.join("media"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the file of `sha256` is (or would be). A hash that is not 64
    /// hex digits (a damaged row) names no file.
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let hex = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
        hex.then(|| self.root.join(&sha256[..2]).join(sha256))
    }

    /// Copies `reader` in, at most `limit` bytes (more is an error naming
    /// `name`), hashing as it goes; a file already there with that hash is
    /// kept and the copy dropped.
    pub fn store(&self, name: &str, reader: &mut dyn Read, limit: u64) -> Result<Stored> {
        super::backup::create_private_dir(&self.root)?;
        let mut temp = tempfile::Builder::new()
            .prefix(".incoming-")
            .tempfile_in(&self.root)
            .map_err(|e| Error::io(&self.root, e))?;
        let mut hashing = Hashing {
            inner: temp.as_file_mut(),
            hash: Sha256::new(),
        };
        let size = io::copy(&mut reader.take(limit.saturating_add(1)), &mut hashing)
            .map_err(|e| Error::invalid(format!("media file {name:?} cannot be read: {e}")))?;
        if size > limit {
            return Err(Error::invalid(format!(
                "media file {name:?} is over the limit of {limit} bytes"
            )));
        }
        let sha256 = hex(&hashing.hash.finalize());
        let stored = Stored { sha256, size };
        // Always Some: a SHA-256 is 64 hex digits.
        let target = self
            .path_of(&stored.sha256)
            .ok_or_else(|| Error::invalid(format!("media file {name:?}: no hash")))?;
        if std::fs::metadata(&target).is_ok_and(|m| m.len() == size) {
            return Ok(stored);
        }
        let folder = target.parent().unwrap_or(&self.root);
        super::backup::create_private_dir(folder)?;
        temp.as_file()
            .sync_all()
            .map_err(|e| Error::io(temp.path(), e))?;
        temp.persist(&target)
            .map_err(|e| Error::io(&target, e.error))?;
        Ok(stored)
    }

    /// The hashes of the files there (temporary files and strangers left
    /// out), for `recall check --fix` to find those no deck names.
    pub fn hashes(&self) -> Result<Vec<String>> {
        let mut found = Vec::new();
        let folders = match std::fs::read_dir(&self.root) {
            Ok(folders) => folders,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(found),
            Err(e) => return Err(Error::io(&self.root, e)),
        };
        for folder in folders.flatten() {
            let Ok(files) = std::fs::read_dir(folder.path()) else {
                continue;
            };
            for file in files.flatten() {
                let name = file.file_name().to_string_lossy().into_owned();
                if self.path_of(&name).is_some_and(|p| p == file.path()) {
                    found.push(name);
                }
            }
        }
        found.sort();
        Ok(found)
    }

    /// Deletes the file of `sha256` (gone already is fine).
    pub fn remove(&self, sha256: &str) -> Result<()> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(());
        };
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Error::io(&path, e)),
            _ => Ok(()),
        }
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A writer that hashes what passes through it.
struct Hashing<'a> {
    inner: &'a mut std::fs::File,
    hash: Sha256,
}

impl Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_stored_by_hash_once_private_and_limited() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaDir::beside(&dir.path().join("recall.db"));
        let a = media.store("a.png", &mut &b"abc"[..], 10).unwrap();
        // sha256("abc")
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(
            a,
            Stored {
                sha256: abc.into(),
                size: 3
            }
        );
        let path = media.path_of(abc).unwrap();
        assert_eq!(path, dir.path().join("media/ba").join(abc));
        assert_eq!(std::fs::read(&path).unwrap(), b"abc");
        // The same content under another name: the same file, no second one.
        assert_eq!(media.store("b.png", &mut &b"abc"[..], 10).unwrap(), a);
        assert_eq!(media.hashes().unwrap(), [abc]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
            assert_eq!(mode(media.root()), 0o700);
        }
        let err = media.store("big.png", &mut &[0u8; 11][..], 10).unwrap_err();
        assert!(err.to_string().contains("big.png"), "{err}");
        // Nothing of the refused file is left, not even its temporary copy.
        let left: Vec<_> = std::fs::read_dir(media.root()).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        media.remove(abc).unwrap();
        assert!(media.hashes().unwrap().is_empty());
        assert_eq!(media.path_of("../../etc/passwd"), None);
    }
}
