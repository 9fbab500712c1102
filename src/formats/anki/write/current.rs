//! The current package layout, as Anki 2.1.50 and later write it: `meta`
//! (protobuf, version 3 = `collection.anki21b`), the collection
//! zstd-compressed in `collection.anki21b`, a placeholder
//! `collection.anki2` that tells older versions to update, and `media`, the
//! protobuf media list zstd-compressed, and each media file zstd-compressed
//! under its number (`media`).
//!
//! The collection inside is in schema 18, as Anki's own exporter writes it
//! (`schema18`); the placeholder, read only by versions before 2.1.50, in
//! schema 11.

use prost::Message;
use ruzstd::encoding::{CompressionLevel, compress_to_vec};

use super::super::proto::{MediaEntries, PackageMetadata};
use super::Entries;
use super::collection::{self, Deck};
use super::media::{self, MediaFile};
use super::notes::{Note, NoteKind};
use crate::error::Result;

/// `PackageMetadata.version` of a `collection.anki21b` package.
const LATEST: i32 = 3;

/// What Anki's placeholder says (its `exporting-colpkg-too-new`).
const PLEASE_UPDATE: &str =
    "Please update to the latest Anki version, then import the .colpkg/.apkg file again.";

/// The zip entries of a current package holding the collection `sqlite`
/// and `media`: `(name, bytes)`, in the order Anki writes them.
pub fn entries(sqlite: &[u8], placeholder: Vec<u8>, media: &[MediaFile]) -> Result<Entries> {
    let meta = PackageMetadata { version: LATEST }.encode_to_vec();
    let packed = media::pack(media, zstd)?;
    let list = MediaEntries {
        entries: packed.entries,
    }
    .encode_to_vec();
    let mut entries: Entries = vec![
        ("meta".into(), meta),
        ("collection.anki21b".into(), zstd(sqlite)),
        ("collection.anki2".into(), placeholder),
        ("media".into(), zstd(&list)),
    ];
    entries.extend(packed.files);
    Ok(entries)
}

/// zstd at its fastest level (ruzstd's encoder has no other real one yet):
/// a collection is mostly text and compresses well even so.
pub(super) fn zstd(bytes: &[u8]) -> Vec<u8> {
    compress_to_vec(bytes, CompressionLevel::Fastest)
}

/// The placeholder collection: one Basic note in the Default deck saying
/// to update Anki, which is what an old Anki that reads only
/// `collection.anki2` imports.
pub fn placeholder_deck() -> Deck {
    Deck {
        name: collection::DEFAULT_DECK.to_string(),
        notes: vec![Note {
            kind: NoteKind::Basic,
            guid: "recallPleaseUpdate".to_string(),
            fields: vec![PLEASE_UPDATE.to_string(), String::new(), String::new()],
            tags: vec![],
            cards: vec![(0, String::new())],
        }],
        progress: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entries_are_what_anki_reads() {
        let sqlite = b"SQLite format 3\0 and the rest".repeat(100);
        let dir = tempfile::tempdir().unwrap();
        let picture = dir.path().join("stored");
        std::fs::write(&picture, b"not really a png").unwrap();
        let media = [MediaFile {
            name: "cat.png".into(),
            path: picture,
        }];
        let entries = entries(&sqlite, b"placeholder".to_vec(), &media).unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "meta",
                "collection.anki21b",
                "collection.anki2",
                "media",
                "0"
            ]
        );
        let meta = PackageMetadata::decode(entries[0].1.as_slice()).unwrap();
        assert_eq!(meta.version, 3);
        let unzstd = |bytes: &[u8]| {
            let mut out = Vec::new();
            let mut decoder = ruzstd::decoding::StreamingDecoder::new(bytes).unwrap();
            std::io::Read::read_to_end(&mut decoder, &mut out).unwrap();
            out
        };
        assert_eq!(unzstd(&entries[1].1), sqlite);
        assert!(entries[1].1.len() < sqlite.len() / 4, "compressed");
        let media = MediaEntries::decode(unzstd(&entries[3].1).as_slice()).unwrap();
        assert_eq!(media.entries.len(), 1);
        assert_eq!(
            (media.entries[0].name.as_str(), media.entries[0].size),
            ("cat.png", 16)
        );
        assert_eq!(media.entries[0].sha1.len(), 20);
        assert_eq!(unzstd(&entries[4].1), b"not really a png");
    }
}
