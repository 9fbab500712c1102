//! Bare Anki collection files (`collection.anki2`, `.anki21`, and the
//! zstd-compressed `collection.anki21b` of current Anki), outside a
//! package. The collection itself is read by `formats::anki`; this module
//! only unpacks a compressed one into a temporary file (with no name) first.

use std::io::{Read, Seek};
use std::path::Path;

use super::sqlite_kind;
use super::{Loaded, anki, file_error};
use crate::error::Result;

/// The four bytes a zstd frame starts with.
pub const ZSTD_MAGIC: &[u8] = b"\x28\xb5\x2f\xfd";

/// Reads the collection at `path`, whose content is `bytes`.
pub fn parse(file: &str, path: &Path, bytes: &[u8], with_progress: bool) -> Result<Loaded> {
    if !bytes.starts_with(ZSTD_MAGIC) {
        return anki::parse_collection_file(file, path, with_progress);
    }
    let fail = |message: String| file_error(file, message);
    let decoder = ruzstd::decoding::StreamingDecoder::new(bytes)
        .map_err(|e| fail(format!("the zstd data is not zstd data ({e})")))?;
    let mut inflated =
        anki::inflate(decoder, "the zstd data", anki::MAX_COLLECTION_BYTES).map_err(fail)?;
    let mut magic = [0; 16];
    let target = inflated.file();
    let read = target.rewind().and_then(|()| target.read_exact(&mut magic));
    if read.is_err() || magic != sqlite_kind::MAGIC {
        return Err(fail(
            "zstd-compressed data, but not an Anki collection (no SQLite database inside)".into(),
        ));
    }
    anki::parse_inflated(
        file,
        "the zstd-compressed collection",
        inflated,
        with_progress,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zstd_that_is_not_a_collection_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("collection.anki21b");
        let e = parse("c", &path, b"\x28\xb5\x2f\xfdjunk", false).unwrap_err();
        assert!(e.to_string().starts_with("c: the zstd data "), "{e}");
    }
}
