//! Bare Anki collection files (`collection.anki2`, `.anki21`, and the
//! zstd-compressed `collection.anki21b` of current Anki), outside a
//! package. The collection itself is read by `formats::anki`; this module
//! only unpacks a compressed one into a temporary file first.

use std::io::Read;
use std::path::Path;

use super::sqlite_kind::{self, Database};
use super::{Loaded, anki};
use crate::error::{Error, Result};

/// The four bytes a zstd frame starts with.
pub const ZSTD_MAGIC: &[u8] = b"\x28\xb5\x2f\xfd";

/// Reads the collection at `path`, whose content is `bytes`.
pub fn parse(file: &str, path: &Path, bytes: &[u8], with_progress: bool) -> Result<Loaded> {
    if !bytes.starts_with(ZSTD_MAGIC) {
        return anki::parse_collection_file(file, path, with_progress);
    }
    let fail = |message: String| Error::File {
        file: file.to_string(),
        message,
    };
    let sqlite = inflate(bytes).map_err(fail)?;
    if !sqlite.starts_with(sqlite_kind::MAGIC) {
        return Err(fail(
            "zstd-compressed data, but not an Anki collection (no SQLite database inside)".into(),
        ));
    }
    let mut temp = tempfile::NamedTempFile::new().map_err(|e| Error::io("temporary file", e))?;
    std::io::Write::write_all(&mut temp, &sqlite).map_err(|e| Error::io(temp.path(), e))?;
    match sqlite_kind::classify(temp.path(), &sqlite).map_err(fail)? {
        Database::AnkiCollection => anki::parse_collection_file(file, temp.path(), with_progress),
        other => Err(fail(format!(
            "zstd-compressed {}, not an Anki collection",
            sqlite_kind::describe(&other)
        ))),
    }
}

/// Decompresses a zstd frame, refusing past the collection size limit
/// (checked while inflating: a frame can lie about its size).
fn inflate(bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let limit = anki::MAX_COLLECTION_BYTES;
    let decoder = ruzstd::decoding::StreamingDecoder::new(bytes)
        .map_err(|e| format!("damaged zstd data ({e})"))?;
    let mut out = Vec::new();
    decoder
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("damaged zstd data ({e})"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "zstd data inflating past the limit of {limit} bytes (a zip bomb?)"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zstd_that_is_not_a_collection_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("collection.anki21b");
        let e = parse("c", &path, b"\x28\xb5\x2f\xfdjunk", false).unwrap_err();
        assert!(e.to_string().starts_with("c: damaged zstd data"), "{e}");
    }
}
