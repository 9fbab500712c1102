//! Input files read with bounds: a special file (FIFO, device, directory,
//! socket) is refused before it is opened, so a FIFO never blocks and
//! `/dev/zero` is never read; a file is read in pieces up to a limit, and
//! a text deck whose first piece is already garbage (a NUL byte, bytes
//! that are not UTF-8, a PDF…) is refused there, not gigabytes later.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::collection_file::ZSTD_MAGIC;
use super::decode::{NUL_BYTE, looks_like_utf16};
use super::{Format, decode_utf8, file_error, sniff, sqlite_kind};
use crate::error::{Error, Result};

/// The first piece read: sniffing needs no more, and garbage shows in it.
pub const HEAD_BYTES: usize = 64 << 10;

/// The size of the regular file at `path` (a symlink is followed); any
/// other kind of file is refused, naming what it is. `what` is the kind
/// of file expected ("a deck file", "a review log").
pub fn regular_file(path: &Path, what: &str) -> Result<u64> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    match crate::file_kind::special_kind(&metadata.file_type()) {
        Some(kind) => Err(file_error(
            &path.display().to_string(),
            format!("is {kind}, not {what}"),
        )),
        None => Ok(metadata.len()),
    }
}

/// A deck file opened, its first piece read: the rest is read whole
/// (`into_bytes`) or as it is asked for (`into_reader`).
pub struct DeckFile {
    path: PathBuf,
    head: Vec<u8>,
    /// The rest, to a byte past the limit: one byte more shows the file
    /// is over it.
    rest: std::io::Take<File>,
    /// The size the file had when opened (at most the limit).
    size: u64,
    limit: u64,
}

/// Opens a deck file to read at most `limit` bytes of it (a file that grew
/// past the size it had when checked is refused too) and reads its first
/// piece. Unless `forced` or the extension names a binary format, a first
/// piece that proves the file is no text deck ends the reading with the
/// error the whole file would have given.
pub fn open_deck(path: &Path, limit: u64, forced: Option<Format>) -> Result<DeckFile> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut rest = file.take(limit.saturating_add(1));
    let first = usize::try_from(size).unwrap_or(HEAD_BYTES).min(HEAD_BYTES);
    let mut head = Vec::with_capacity(first);
    (&mut rest)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    let declared = forced.or_else(|| Format::from_extension(path));
    let binary = declared.is_some_and(|f| matches!(f, Format::Anki) || f.is_database());
    if !binary {
        text_garbage(&path.display().to_string(), &head)?;
    }
    Ok(DeckFile {
        path: path.to_path_buf(),
        head,
        rest,
        size,
        limit,
    })
}

impl DeckFile {
    /// The first `HEAD_BYTES` of the file (all of a smaller one).
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// All the file's bytes.
    pub fn into_bytes(mut self) -> Result<Vec<u8>> {
        let mut bytes = self.head;
        // The file's size up front: grown by doubling, a 13 MB file took a
        // 16 MiB buffer, a sixth of a 100 000-card import's peak memory.
        let left = self.size.saturating_sub(bytes.len() as u64);
        bytes.reserve_exact(usize::try_from(left).unwrap_or(0));
        self.rest
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(&self.path, e))?;
        if bytes.len() as u64 > self.limit {
            return Err(over_limit(&self.path, self.limit));
        }
        Ok(bytes)
    }

    /// The file's bytes, its head and then the rest as it is read: only a
    /// piece of it in memory at a time. A read past the limit fails, with
    /// the error `into_bytes` gives (carried: see `Error::from_read`).
    pub fn into_reader(self) -> impl Read {
        let rest = Bounded {
            read: self.head.len() as u64,
            inner: self.rest,
            path: self.path,
            limit: self.limit,
        };
        std::io::Cursor::new(self.head).chain(rest)
    }
}

fn over_limit(path: &Path, limit: u64) -> Error {
    file_error(
        &path.display().to_string(),
        format!("over the limit of {limit} bytes for a deck file"),
    )
}

/// The rest of a deck file, counted against the limit.
struct Bounded {
    inner: std::io::Take<File>,
    /// Bytes of the file read so far, its head included.
    read: u64,
    path: PathBuf,
    limit: u64,
}

impl Read for Bounded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            // Left for the caller to retry, as `read_to_end` does.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return Err(e),
            Err(e) => return Err(Error::io(&self.path, e).into_io()),
        };
        self.read += n as u64;
        if self.read > self.limit {
            return Err(over_limit(&self.path, self.limit).into_io());
        }
        Ok(n)
    }
}

/// The error a file starting with `head` gives as a text deck, if its
/// first bytes already prove it is none. Packages and collections (zip,
/// SQLite, zstd) and UTF-16 text (NUL bytes are part of it) pass: their
/// own readers judge them.
pub fn text_garbage(file: &str, head: &[u8]) -> Result<()> {
    let containers: [&[u8]; 5] = [
        b"PK\x03\x04",
        sqlite_kind::MAGIC,
        ZSTD_MAGIC,
        b"\xff\xfe",
        b"\xfe\xff",
    ];
    if containers.iter().any(|m| head.starts_with(m)) || looks_like_utf16(head) {
        return Ok(());
    }
    if let Some(kind) = sniff::binary_kind(head) {
        return Err(file_error(file, format!("{kind}, not a deck file")));
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let valid = match std::str::from_utf8(text) {
        Ok(valid) => valid,
        // Bytes that can never be UTF-8: the located error of the whole.
        Err(e) if e.error_len().is_some() => {
            return decode_utf8(file, head).map(|_| ());
        }
        // A character cut at the end of the piece: judged with the rest.
        Err(e) => std::str::from_utf8(&text[..e.valid_up_to()]).unwrap_or_default(),
    };
    match valid.find('\0') {
        Some(at) => Err(Error::at_offset(file, valid, at, NUL_BYTE)),
        None => Ok(()),
    }
}

/// A reader that fails at the first NUL byte, past `limit` bytes, and
/// (`max_line`) at a line longer than that: a review log of zeros or one
/// endless line ends there instead of filling memory.
pub struct Guarded<R> {
    inner: R,
    read: u64,
    limit: u64,
    line: u64,
    max_line: Option<u64>,
}

impl<R: Read> Guarded<R> {
    pub fn new(inner: R, limit: u64, max_line: Option<u64>) -> Guarded<R> {
        Guarded {
            inner,
            read: 0,
            limit,
            line: 0,
            max_line,
        }
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let invalid = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidData, m);
        let got = &buf[..n];
        // Searched with memchr, not byte by byte: this reader sees every
        // byte of a review log (the byte loop was 4 % of merging one).
        if let Some(i) = memchr::memchr(0, got) {
            let at = self.read + i as u64 + 1;
            return Err(invalid(format!(
                "binary data (a NUL byte at byte {at}), not a review log"
            )));
        }
        if let Some(max) = self.max_line
            && let Some(at) = self.overlong_line(got, max)
        {
            return Err(invalid(format!(
                "a line longer than {max} bytes (at byte {at}), not a review log"
            )));
        }
        self.read += n as u64;
        if self.read > self.limit {
            return Err(invalid(format!(
                "over the limit of {} bytes for a review log",
                self.limit
            )));
        }
        Ok(n)
    }
}

impl<R> Guarded<R> {
    /// Follows the length of the current line through `got`; the byte
    /// offset (1-based, in the whole input) where it passes `max`, if it does.
    fn overlong_line(&mut self, got: &[u8], max: u64) -> Option<u64> {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', got).chain([got.len()]) {
            let length = self.line + (end - start) as u64;
            if length > max {
                let over = max - self.line; // bytes of this line that still fit
                return Some(self.read + start as u64 + over + 1);
            }
            if end < got.len() {
                self.line = 0;
                start = end + 1;
            } else {
                self.line = length;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_files_are_refused_before_they_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let e = regular_file(dir.path(), "a deck file").unwrap_err();
        assert!(e.to_string().ends_with(": is a directory, not a deck file"));
        let e = regular_file(Path::new("/dev/null"), "a deck file").unwrap_err();
        assert_eq!(
            e.to_string(),
            "/dev/null: is a character device, not a deck file"
        );
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Opening it would block for ever: the check must not.
            let e = regular_file(&fifo, "a review log").unwrap_err();
            assert!(
                e.to_string()
                    .ends_with("is a FIFO (named pipe), not a review log")
            );
        }
    }

    #[test]
    fn a_first_piece_that_is_garbage_is_refused_where_it_shows() {
        let e = text_garbage("f", b"q,a\nq2,\0\0\0")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "f:2:4: binary data (a NUL byte), not a text deck");
        let e = text_garbage("f", b"ok\nbad \xff").unwrap_err().to_string();
        assert_eq!(e, "f:2:5: not valid UTF-8 (byte 8 of the file)");
        let e = text_garbage("f", b"%PDF-1.7").unwrap_err().to_string();
        assert_eq!(e, "f: a PDF document, not a deck file");
        // A character cut by the end of the piece, UTF-16 and packages pass.
        assert!(text_garbage("f", "q,é".as_bytes().split_last().unwrap().1).is_ok());
        let utf16: Vec<u8> = "q,a\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(text_garbage("f", &utf16).is_ok());
        assert!(text_garbage("f", b"PK\x03\x04\0\0").is_ok());
    }

    #[test]
    fn a_deck_file_streamed_or_whole_reads_what_it_grows_to_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.csv");
        let grow = |text: &str| {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            file.write_all(text.as_bytes()).unwrap();
        };
        let streamed = |deck: DeckFile| {
            let mut out = Vec::new();
            match deck.into_reader().read_to_end(&mut out) {
                Ok(_) => Ok(out),
                Err(e) => Err(Error::from_read("d.csv", e).to_string()),
            }
        };
        std::fs::write(&path, "q,a\n").unwrap();
        let (whole, stream) = (open_deck(&path, 10, None), open_deck(&path, 10, None));
        // Grown after it was opened (its first piece read), under the limit.
        grow("q2,b\n");
        assert_eq!(whole.unwrap().into_bytes().unwrap(), b"q,a\nq2,b\n");
        assert_eq!(streamed(stream.unwrap()).unwrap(), b"q,a\nq2,b\n");
        let (whole, stream) = (open_deck(&path, 10, None), open_deck(&path, 10, None));
        grow("q3\n");
        let e = whole.unwrap().into_bytes().unwrap_err().to_string();
        assert!(
            e.ends_with(": over the limit of 10 bytes for a deck file"),
            "{e}"
        );
        assert_eq!(streamed(stream.unwrap()), Err(e));
    }

    #[test]
    fn a_guarded_reader_stops_at_nul_length_and_long_lines() {
        let read = |bytes: &[u8], limit, line| {
            let mut out = Vec::new();
            Guarded::new(bytes, limit, line)
                .read_to_end(&mut out)
                .map_err(|e| e.to_string())
        };
        assert_eq!(read(b"a,b\nc,d\n", 100, Some(4)), Ok(8));
        assert!(
            read(b"a,b\0", 100, None)
                .unwrap_err()
                .contains("NUL byte at byte 4")
        );
        assert!(
            read(b"abcdef", 3, None)
                .unwrap_err()
                .contains("limit of 3 bytes")
        );
        assert!(
            read(b"ab\nabcdef", 100, Some(4))
                .unwrap_err()
                .contains("longer than 4 bytes (at byte 8)")
        );
        // A line carried across reads is measured whole, and a line of
        // exactly the maximum passes.
        let chunked = |parts: [&[u8]; 3], line| {
            let mut out = Vec::new();
            let [a, b, c] = parts;
            Guarded::new(a.chain(b).chain(c), 100, line)
                .read_to_end(&mut out)
                .map_err(|e| e.to_string())
        };
        let e = chunked([b"ab\nab", b"c", b"def\n"], Some(4)).unwrap_err();
        assert!(e.contains("longer than 4 bytes (at byte 8)"), "{e}");
        assert_eq!(chunked([b"ab\nab", b"c", b"d\nabcd"], Some(4)), Ok(12));
        let e = chunked([b"ab", b"c,\0", b""], None).unwrap_err();
        assert!(e.contains("NUL byte at byte 5"), "{e}");
    }
}
