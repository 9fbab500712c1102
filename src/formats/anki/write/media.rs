//! The media files a package carries: the pictures and sounds its cards
//! name, each a zip entry named by its number (`0`, `1`, …) and listed in
//! the `media` entry with its name, as Anki reads them. The legacy layout
//! lists them as JSON (`{"0": "cat.jpg"}`) and stores the files as they
//! are; the current one lists them as protobuf `MediaEntries` (name, size,
//! SHA-1, which Anki's importer requires) and compresses each file with
//! zstd, as Anki's own exporter does.

use std::path::PathBuf;

use sha1::{Digest, Sha1};

use super::super::proto::MediaEntry;
use crate::error::{Error, Result};

/// A file going into the package: its name in the cards' text, and where
/// recall keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub name: String,
    pub path: PathBuf,
}

/// The name a file has in the package, and in the `<img>` that shows it:
/// Anki's media folder is flat, so the folders of a name a Markdown deck
/// gives (`figs/map.png`) become part of it (`figs_map.png`).
pub fn flat_name(name: &str) -> String {
    name.replace(['/', '\\'], "_")
}

/// A package's media: the `media` list's entries and the numbered files.
pub(super) struct Packed {
    pub entries: Vec<MediaEntry>,
    pub files: Vec<(String, Vec<u8>)>,
}

/// Reads `files` and numbers them; with `compress`, each is zstd data.
/// Two names that flatten alike go in once, the first kept.
pub(super) fn pack(files: &[MediaFile], compress: impl Fn(&[u8]) -> Vec<u8>) -> Result<Packed> {
    let mut packed = Packed {
        entries: Vec::new(),
        files: Vec::new(),
    };
    for file in files {
        let name = flat_name(&file.name);
        if packed.entries.iter().any(|e| e.name == name) {
            continue;
        }
        let bytes = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, e))?;
        let size = u32::try_from(bytes.len()).map_err(|_| {
            Error::invalid(format!(
                "{}: the file {} is over 4 GiB, more than an Anki package holds",
                name,
                file.path.display()
            ))
        })?;
        packed.entries.push(MediaEntry {
            name,
            size,
            sha1: Sha1::digest(&bytes).to_vec(),
        });
        let number = packed.files.len().to_string();
        packed.files.push((number, compress(&bytes)));
    }
    Ok(packed)
}

/// The legacy `media` entry: each file's number and name, as JSON.
pub(super) fn legacy_map(entries: &[MediaEntry]) -> Vec<u8> {
    let map: serde_json::Map<String, serde_json::Value> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i.to_string(), e.name.clone().into()))
        .collect();
    serde_json::Value::Object(map).to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_numbered_hashed_and_flattened_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stored");
        std::fs::write(&path, b"abc").unwrap();
        let file = |name: &str| MediaFile {
            name: name.into(),
            path: path.clone(),
        };
        let files = [file("figs/a.png"), file("b.mp3"), file("figs\\a.png")];
        let packed = pack(&files, |b| b.to_vec()).unwrap();
        let names: Vec<&str> = packed.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["figs_a.png", "b.mp3"]);
        assert_eq!(packed.entries[0].size, 3);
        // SHA-1 of "abc".
        let hex: String = packed.entries[0]
            .sha1
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(packed.files[1], ("1".to_string(), b"abc".to_vec()));
        assert_eq!(
            String::from_utf8(legacy_map(&packed.entries)).unwrap(),
            r#"{"0":"figs_a.png","1":"b.mp3"}"#
        );
    }

    #[test]
    fn a_file_gone_is_named() {
        let missing = MediaFile {
            name: "x.png".into(),
            path: PathBuf::from("/nonexistent/recall/x"),
        };
        let err = pack(&[missing], |b| b.to_vec()).err().unwrap();
        assert!(err.to_string().contains("/nonexistent/recall/x"), "{err}");
    }
}
