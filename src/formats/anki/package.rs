//! Anki packages (`.apkg`, `.colpkg`): a zip holding the collection as
//! SQLite. Current Anki writes `collection.anki21b` (zstd-compressed,
//! schema 18) with a `meta` entry naming it and a protobuf media map, plus
//! a dummy `collection.anki2`; older versions `collection.anki21` or
//! `collection.anki2` with a JSON media map. Without `meta`, the newest
//! collection present is read.
//!
//! Everything here is hostile until proven otherwise: entry sizes are
//! checked as declared and again while inflating, `..` paths are refused,
//! and the collection is read from a private temporary file.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use prost::Message;

use super::proto::{MediaEntries, PackageMetadata};
use crate::error::{Error, Result};
use crate::formats::Loaded;

/// The most a collection may inflate to. Real collections with years of
/// history are tens of MiB; a zip bomb is stopped here.
pub const MAX_COLLECTION_BYTES: u64 = 256 << 20;

/// The most the `meta` and `media` entries may take: a media map of
/// 100 000 files is a few MiB.
const MAX_MAP_BYTES: u64 = 16 << 20;

const COLLECTIONS: [&str; 3] = [
    "collection.anki21b",
    "collection.anki21",
    "collection.anki2",
];

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Parses an Anki package. With `with_progress`, each card's Anki schedule
/// and review log come along (see `progress`).
pub fn parse(file: &str, bytes: &[u8], with_progress: bool) -> Result<Loaded> {
    let fail = |message: String| Error::File {
        file: file.to_string(),
        message,
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        fail(format!(
            "not a zip archive ({e}); Anki packages (.apkg, .colpkg) are zip files"
        ))
    })?;
    check_paths(&zip).map_err(fail)?;
    let entry_name = collection_entry(&mut zip).map_err(fail)?;
    let stored = read_entry(&mut zip, entry_name, MAX_COLLECTION_BYTES).map_err(fail)?;
    let sqlite = if entry_name.ends_with('b') {
        unzstd(&stored, entry_name, MAX_COLLECTION_BYTES).map_err(fail)?
    } else {
        stored
    };
    let media = media_names(&mut zip, entry_name.ends_with('b'));
    let mut loaded = super::parse_collection_bytes(file, entry_name, &sqlite, with_progress)?;
    // Media are not imported yet: a damaged list costs no card.
    match media {
        Ok(names) if names.is_empty() => {}
        Ok(names) => loaded.warnings.push(format!(
            "the package holds {} media file(s) (images, sound), not imported",
            names.len()
        )),
        Err(e) => loaded.warnings.push(e),
    }
    Ok(loaded)
}

fn check_paths(zip: &Zip<'_>) -> std::result::Result<(), String> {
    for name in zip.file_names_raw() {
        let name = String::from_utf8_lossy(name);
        let unsafe_path = name.starts_with(['/', '\\'])
            || name.split(['/', '\\']).any(|part| part == "..")
            || name.contains(':');
        if unsafe_path {
            return Err(format!(
                "unsafe path {name:?} in the archive (absolute or with ..); refusing the package"
            ));
        }
    }
    Ok(())
}

/// The collection to read: the one `meta` names, else the newest there.
fn collection_entry(zip: &mut Zip<'_>) -> std::result::Result<&'static str, String> {
    if zip.index_for_name("meta").is_some() {
        let meta = read_entry(zip, "meta", MAX_MAP_BYTES)?;
        let meta = PackageMetadata::decode(meta.as_slice())
            .map_err(|e| format!("its meta entry is not Anki's package metadata ({e})"))?;
        let named = match meta.version {
            1 => Some("collection.anki2"),
            2 => Some("collection.anki21"),
            3 => Some("collection.anki21b"),
            _ => None,
        };
        match named {
            Some(name) if zip.index_for_name(name).is_some() => return Ok(name),
            Some(name) => return Err(format!("its meta entry names {name}, which it lacks")),
            None => {
                return Err(format!(
                    "a package of version {} (newer than this recall reads: 1 to 3)",
                    meta.version
                ));
            }
        }
    }
    COLLECTIONS
        .into_iter()
        .find(|n| zip.index_for_name(n).is_some())
        .ok_or_else(|| {
            "a zip file, but not an Anki package: it has no collection.anki21b, \
             collection.anki21 or collection.anki2"
                .to_string()
        })
}

fn read_entry(zip: &mut Zip<'_>, name: &str, limit: u64) -> std::result::Result<Vec<u8>, String> {
    let entry = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    if entry.size() > limit {
        return Err(format!(
            "{name} declares {} bytes inflated, over the limit of {limit}",
            entry.size()
        ));
    }
    read_limited(entry, name, limit)
}

/// zstd-compressed bytes inflated, at most `limit` of them.
pub fn unzstd(bytes: &[u8], name: &str, limit: u64) -> std::result::Result<Vec<u8>, String> {
    let decoder = ruzstd::decoding::StreamingDecoder::new(bytes)
        .map_err(|e| format!("{name} is not zstd data ({e})"))?;
    read_limited(decoder, name, limit)
}

/// Reads at most the limit, checking the real inflated size (a zip entry
/// or zstd frame can lie about its size).
fn read_limited(reader: impl Read, name: &str, limit: u64) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("{name} cannot be read, the package is damaged ({e})"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "{name} inflates past the limit of {limit} bytes (a zip bomb?)"
        ));
    }
    Ok(out)
}

/// The names of the media files the package holds: a JSON map of zip entry
/// to name in older packages, zstd-compressed protobuf in current ones.
fn media_names(zip: &mut Zip<'_>, current: bool) -> std::result::Result<Vec<String>, String> {
    if zip.index_for_name("media").is_none() {
        return Ok(Vec::new());
    }
    let raw = read_entry(zip, "media", MAX_MAP_BYTES)?;
    if current {
        let bytes = unzstd(&raw, "media", MAX_MAP_BYTES)?;
        let entries = MediaEntries::decode(bytes.as_slice())
            .map_err(|e| format!("its media list is damaged ({e})"))?;
        return Ok(entries.entries.into_iter().map(|e| e.name).collect());
    }
    let map: HashMap<String, String> = serde_json::from_slice(&raw)
        .map_err(|e| format!("its media list is not Anki's JSON map ({e})"))?;
    Ok(map.into_values().collect())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, data) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn meta_names_the_collection_and_media_maps_are_read() {
        let meta = PackageMetadata { version: 2 }.encode_to_vec();
        let bytes = zip_of(&[
            ("meta", &meta),
            ("collection.anki21", b"x"),
            ("collection.anki2", b"y"),
            ("media", br#"{"0": "a.png", "1": "b.mp3"}"#),
        ]);
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        assert_eq!(collection_entry(&mut zip).unwrap(), "collection.anki21");
        let mut names = media_names(&mut zip, false).unwrap();
        names.sort();
        assert_eq!(names, ["a.png", "b.mp3"]);

        let future = PackageMetadata { version: 9 }.encode_to_vec();
        let bytes = zip_of(&[("meta", &future), ("collection.anki2", b"y")]);
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        assert!(
            collection_entry(&mut zip)
                .unwrap_err()
                .contains("version 9")
        );
    }
}
