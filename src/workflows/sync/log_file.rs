//! A device log's file as far as a sync needs it: its first line, and its
//! bytes from the position read up to, when the file still holds what was
//! read there (the same length, the line ending there the same); else the
//! whole file. A sync with nothing new reads a few kilobytes of each log.

use std::path::Path;

use crate::domain::sync_event::{Event, Token};
use crate::error::{Error, Result};
use crate::formats::sync_log;
use crate::storage::{LogPosition, PeerCursor};

/// The largest log read (a million answers are some 200 MB).
pub const MAX_LOG_BYTES: u64 = 1 << 30;

/// How much of a log's start holds its first line, and how far back
/// from a read position its last line is looked for (lines are some 200
/// bytes; a longer one is checked by reading the whole file).
pub(super) const WINDOW: u64 = 4096;

/// A log as far as a sync needs it: its first line, and its bytes from
/// `from` on. `from` is the position asked for when the file still holds
/// what was read up to there (as long, the line ending there the same);
/// otherwise 0, the whole file. A sync with nothing new reads a few
/// kilobytes of each log, not the log.
#[derive(Debug)]
pub struct Loaded {
    /// Device and incarnation, if the first line names them.
    pub header: Option<(Token, Token)>,
    /// Whether the file has a complete first line (which may name nothing).
    pub first_line: bool,
    pub len: u64,
    pub from: u64,
    pub bytes: Vec<u8>,
}

impl Loaded {
    /// Whether the position asked for still held.
    pub fn intact(&self, at: &LogPosition) -> bool {
        self.from == at.bytes
    }
}

/// The log at `path` read on from `at` (see `Loaded`), bounded; `None`
/// when there is no such file.
pub fn load(path: &Path, at: &LogPosition) -> Result<Option<Loaded>> {
    let mut file = match std::fs::File::open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
        Ok(file) => file,
    };
    let io = |e| Error::io(path, e);
    let len = file.metadata().map_err(io)?.len();
    if len > MAX_LOG_BYTES {
        return Err(Error::File {
            file: path.display().to_string(),
            message: format!("{len} bytes is over the limit of {MAX_LOG_BYTES}"),
        });
    }
    let start = range(&mut file, 0, len.min(WINDOW)).map_err(io)?;
    let first_line = memchr::memchr(b'\n', &start).is_some();
    let header = header(&start);
    let from = if at.bytes > 0 && at.bytes <= len {
        let back = at.bytes.saturating_sub(WINDOW);
        let before = range(&mut file, back, at.bytes - back).map_err(io)?;
        // Whole lines only: in a window that starts inside the last line,
        // only a part of it would be hashed.
        let whole = back == 0
            || memchr::memrchr(b'\n', &before[..before.len().saturating_sub(1)]).is_some();
        if whole && ends_with_line(&before, &at.hash) {
            at.bytes
        } else {
            0
        }
    } else {
        0
    };
    let bytes = range(&mut file, from, len - from).map_err(io)?;
    Ok(Some(Loaded {
        header,
        first_line,
        len,
        from,
        bytes,
    }))
}

/// `len` bytes of `file` from `start` (fewer if it shrank meanwhile).
fn range(file: &mut std::fs::File, start: u64, len: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Read as _, Seek, SeekFrom};
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(len).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The log's first line, which names its device and incarnation.
pub fn header(bytes: &[u8]) -> Option<(Token, Token)> {
    let end = memchr::memchr(b'\n', bytes)?;
    match sync_log::decode(&bytes[..end]) {
        Ok((
            0,
            Event::Device {
                device,
                incarnation,
            },
        )) => Some((device, incarnation)),
        _ => None,
    }
}

/// Whether `bytes` ends with a whole line (its `\n` included) whose hash
/// is `hash`.
fn ends_with_line(bytes: &[u8], hash: &str) -> bool {
    let Some((&b'\n', rest)) = bytes.split_last() else {
        return false;
    };
    let start = memchr::memrchr(b'\n', rest).map_or(0, |i| i + 1);
    sync_log::line_hash(&bytes[start..]) == hash
}

/// `device`'s log at `path` loaded for reading on from `cursor`: from
/// its position when that still holds and the log is the same incarnation,
/// else whole.
pub fn load_for(path: &Path, cursor: Option<&PeerCursor>) -> Result<Option<Loaded>> {
    let at = cursor.map_or(LogPosition::START, |c| c.read.clone());
    let Some(loaded) = load(path, &at)? else {
        return Ok(None);
    };
    let same = match (&loaded.header, cursor) {
        (Some((_, incarnation)), Some(c)) => *incarnation == c.incarnation,
        _ => true,
    };
    if loaded.from > 0 && !same {
        return load(path, &LogPosition::START);
    }
    Ok(Some(loaded))
}
