//! Anki packages (`.apkg`, `.colpkg`): a zip holding the collection as
//! SQLite. Current Anki writes `collection.anki21b` (zstd-compressed,
//! schema 18) with a `meta` entry naming it and a protobuf media map, plus
//! a dummy `collection.anki2`; older versions `collection.anki21` or
//! `collection.anki2` with a JSON media map. Without `meta`, the newest
//! collection present is read.
//!
//! Everything here is hostile until proven otherwise: entry sizes are
//! checked as declared and again while inflating, `..` paths are refused,
//! and the collection is inflated into a temporary file that has no name
//! (see `unnamed::Unnamed`).

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use prost::Message;

use super::package_media;
use super::proto::PackageMetadata;
use super::unnamed::Unnamed;
use crate::error::{Error, Result};
use crate::formats::{Loaded, file_error};

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

/// Parses an Anki package in memory (see `parse_file`).
pub fn parse(file: &str, bytes: &[u8], with_progress: bool) -> Result<Loaded> {
    parse_from(file, Cursor::new(bytes), with_progress)
}

/// Parses the Anki package at `path`, read from the file as the zip needs
/// it: only the collection is ever in memory whole. With `with_progress`,
/// each card's Anki schedule and review log come along (see `progress`).
pub fn parse_file(file: &str, path: &Path, with_progress: bool) -> Result<Loaded> {
    let reader = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    parse_from(file, std::io::BufReader::new(reader), with_progress)
}

fn parse_from<R: Read + Seek>(file: &str, reader: R, with_progress: bool) -> Result<Loaded> {
    let fail = |message: String| file_error(file, message);
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| {
        fail(format!(
            "not a zip archive ({e}); Anki packages (.apkg, .colpkg) are zip files"
        ))
    })?;
    check_paths(&zip).map_err(fail)?;
    let entry_name = collection_entry(&mut zip).map_err(fail)?;
    let current = entry_name.ends_with('b');
    let map = media_map(&mut zip);
    let inflated = inflate_entry(&mut zip, entry_name).map_err(fail)?;
    let mut loaded = super::parse_inflated(file, entry_name, inflated, with_progress)?;
    // A damaged media list or file costs no card: it shows as its name.
    match map {
        Ok(map) => {
            let media = package_media::read(&mut zip, map, current, &loaded.decks, MAX_MAP_BYTES);
            loaded.media_problems.extend(media.warnings);
            if media.bundle.is_some() {
                // They are shown now; those that did not come are named above.
                let as_text = super::convert::MEDIA_AS_TEXT;
                loaded.warnings.retain(|w| !w.contains(as_text));
            }
            loaded.media = media.bundle;
        }
        Err(e) => loaded.warnings.push(e),
    }
    Ok(loaded)
}

/// The collection entry inflated (and, for `.anki21b`, un-zstd-ed).
fn inflate_entry<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> std::result::Result<Unnamed, String> {
    let entry = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    if entry.size() > MAX_COLLECTION_BYTES {
        return Err(format!(
            "{name} declares {} bytes inflated, over the limit of {MAX_COLLECTION_BYTES}",
            entry.size()
        ));
    }
    if name.ends_with('b') {
        let decoder = ruzstd::decoding::StreamingDecoder::new(entry)
            .map_err(|e| format!("{name} is not zstd data ({e})"))?;
        inflate(decoder, name, MAX_COLLECTION_BYTES)
    } else {
        inflate(entry, name, MAX_COLLECTION_BYTES)
    }
}

/// `reader` inflated into an `Unnamed` collection file, at most `limit`
/// bytes of it.
pub fn inflate(reader: impl Read, name: &str, limit: u64) -> std::result::Result<Unnamed, String> {
    let mut target = Unnamed::new()?;
    let copied = std::io::copy(&mut reader.take(limit + 1), target.file())
        .map_err(|e| format!("{name} cannot be read, the package is damaged ({e})"))?;
    if copied > limit {
        return Err(format!(
            "{name} inflates past the limit of {limit} bytes (a zip bomb?)"
        ));
    }
    target
        .written()
        .map_err(|e| format!("the temporary copy of {name}: {e}"))?;
    Ok(target)
}

fn check_paths<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> std::result::Result<(), String> {
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
fn collection_entry<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> std::result::Result<&'static str, String> {
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

fn read_entry<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> std::result::Result<Vec<u8>, String> {
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

/// The raw `media` entry, if the package has one (see `package_media`).
fn media_map<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> std::result::Result<Option<Vec<u8>>, String> {
    if zip.index_for_name("media").is_none() {
        return Ok(None);
    }
    read_entry(zip, "media", MAX_MAP_BYTES).map(Some)
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
        let map = media_map(&mut zip).unwrap().unwrap();
        let members = package_media::members(&map, false, MAX_MAP_BYTES).unwrap();
        let names: Vec<_> = members.iter().map(|m| m.name.as_str()).collect();
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
