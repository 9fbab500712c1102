//! recall decks out as an Anki package (`.apkg`, `.colpkg`) that current
//! Anki imports: by default the current layout (`current`), with
//! `--legacy` the older one, a zip holding `collection.anki21` and a JSON
//! media map. The current one holds SQLite in Anki's schema 18, the legacy
//! one in schema 11 (`collection`).
//! Cards are grouped into notes (`notes`), their text written as HTML
//! (`html`); with progress, their schedules and review log go along
//! (`progress`).

mod cloze_source;
mod collection;
mod current;
mod html;
mod legacy;
mod media;
mod notes;
mod notetypes;
mod progress;
mod proto;
mod schema18;
mod text;

use std::collections::HashMap;
use std::io::{Cursor, Write};

use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use collection::Schema;

use crate::domain::{Day, DeckDraft};
use crate::error::{Error, Result};

pub use media::{MediaFile, flat_name};
pub use notes::guid;
pub use progress::{CardProgress, ExportedAnswer};
pub use text::notes_text;

/// A package written: its bytes, and what the user should hear of.
pub struct Package {
    pub bytes: Vec<u8>,
    /// `(deck, note key)` of each cloze text exported as plain cards.
    pub plain_cloze: Vec<(String, String)>,
}

/// A deck going out, and with `--with-progress` its cards' states and
/// review log by key (`Store::deck_progress`).
pub struct Source<'a> {
    pub deck: &'a DeckDraft,
    pub progress: Option<HashMap<String, CardProgress>>,
}

/// When the package is written: `now` (Unix seconds) dates the notes and
/// numbers them; `today`, recall's study day, is the collection's creation
/// day, which Anki counts due days from.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    pub now: i64,
    pub today: Day,
}

/// Which of Anki's package layouts to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `collection.anki21b` (zstd) with `meta` and the placeholder
    /// `collection.anki2`: what Anki writes since 2.1.50 (see `current`).
    Current,
    /// `collection.anki21` and a JSON media map: what older AnkiDroid
    /// versions and Anki before 2.1.50 read.
    Legacy,
}

/// A package's zip entries: `(name, bytes)`.
type Entries = Vec<(String, Vec<u8>)>;

/// The package of `decks` with the `media` files their cards name, in
/// `layout`. A collection package (`.colpkg`) is the same zip: Anki's
/// importer of it replaces the whole collection.
pub fn package(
    decks: Vec<Source<'_>>,
    media: &[MediaFile],
    at: Written,
    layout: Layout,
) -> Result<Package> {
    let mut plain_cloze = Vec::new();
    let mut names = DeckNames::default();
    let decks: Vec<collection::Deck> = decks
        .into_iter()
        .map(|source| {
            let name = anki_deck_name(&source.deck.name);
            // The GUIDs are of recall's deck, whatever Anki's is named.
            let notes = notes::notes(&name, &source.deck.cards);
            let keys = notes.plain_cloze.into_iter();
            plain_cloze.extend(keys.map(|key| (source.deck.name.clone(), key)));
            collection::Deck {
                name: names.anki(&name),
                notes: notes.notes,
                progress: source.progress,
            }
        })
        .collect();
    let entries = match layout {
        Layout::Legacy => {
            let sqlite = collection_file(&decks, at, Schema::V11)?;
            let packed = media::pack(media, <[u8]>::to_vec)?;
            let mut entries: Entries = vec![
                ("collection.anki21".into(), sqlite),
                ("media".into(), media::legacy_map(&packed.entries)),
            ];
            entries.extend(packed.files);
            entries
        }
        Layout::Current => {
            let sqlite = collection_file(&decks, at, Schema::V18)?;
            // Read only by Anki before 2.1.50, which knows schema 11 alone.
            let placeholder = collection_file(&[current::placeholder_deck()], at, Schema::V11)?;
            current::entries(&sqlite, placeholder, media)?
        }
    };
    let bytes = zipped(&entries)
        .map_err(|e| Error::invalid(format!("cannot write the Anki package: {e}")))?;
    Ok(Package { bytes, plain_cloze })
}

/// The bytes of the collection of `decks` in `schema`, written to a
/// temporary file (SQLite needs one) that is gone after.
fn collection_file(decks: &[collection::Deck], at: Written, schema: Schema) -> Result<Vec<u8>> {
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let path = dir.path().join("collection");
    collection::write(&path, decks, (at.now, at.today), schema)
        .map_err(|e| Error::invalid(format!("cannot write the Anki collection: {e}")))?;
    std::fs::read(&path).map_err(|e| Error::io(&path, e))
}

/// recall's deck name as Anki's: levels joined by `::` (recall's bundled
/// decks use ` · `), each level trimmed.
pub fn anki_deck_name(name: &str) -> String {
    name.replace('·', "::")
        .split("::")
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("::")
}

/// Anki's deck names, which are one name whatever their case (schema
/// 18's `decks.name` is unique under Anki's `unicase` collation, and Anki
/// finds decks by name so): recall's decks "Zed" and "zed" go into one
/// Anki deck named as the first, and "zed::A" into "Zed::A".
#[derive(Default)]
struct DeckNames(HashMap<unicase::UniCase<String>, String>);

impl DeckNames {
    /// The name Anki's deck for recall's deck `name` (`::` between levels) has.
    fn anki(&mut self, name: &str) -> String {
        let mut out = String::new();
        for level in name.split("::") {
            let prefix = if out.is_empty() {
                level.to_string()
            } else {
                format!("{out}::{level}")
            };
            out = self
                .0
                .entry(unicase::UniCase::new(prefix.clone()))
                .or_insert(prefix)
                .clone();
        }
        out
    }
}

/// The zip of `entries`. Entries that are zstd data already (or tiny) are
/// stored, as Anki stores them; SQLite files are deflated (the placeholder
/// too: Anki stores it, vacuumed to small pages).
fn zipped(entries: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        let method = if name.ends_with(".anki21") || name.ends_with(".anki2") {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        zip.start_file(
            name.as_str(),
            SimpleFileOptions::default().compression_method(method),
        )?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CardDraft;
    use crate::formats::push_entry_cards;
    use proptest::prelude::*;

    /// Card text with what HTML and cloze text make special.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[a-zA-Z0-9]{1,6}",
            Just(" ".to_string()),
            Just("  ".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just("&".to_string()),
            Just("&amp;".to_string()),
            Just("<b>".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("[...]".to_string()),
            Just("\n    indented".to_string()),
            Just("│ └─".to_string()),
            Just("é→東".to_string()),
            Just("{{c1::one}}".to_string()),
            Just("{{c2::two::hint}}".to_string()),
        ];
        proptest::collection::vec(piece, 1..8)
            // Spaces at the end of a line show as nothing, in recall as in
            // Anki; recall's HTML reader keeps one blank line of several
            // (Anki shows them all): neither is what this test is about.
            .prop_map(|p| {
                let text = p.concat();
                let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
                let mut text = lines.join("\n");
                while text.contains("\n\n\n") {
                    text = text.replace("\n\n\n", "\n\n");
                }
                crate::formats::trim_blank_lines(&text).to_string()
            })
            .prop_filter("a side has text", |s| !s.trim().is_empty())
    }

    fn deck() -> impl Strategy<Value = DeckDraft> {
        let card = (
            text(),
            text(),
            prop_oneof![Just(String::new()), text()],
            any::<bool>(),
            proptest::collection::vec("[a-z]{1,5}", 0..3),
        );
        proptest::collection::vec(card, 1..5).prop_map(|cards| {
            let mut out = Vec::new();
            for (i, (front, back, notes, reverse, tags)) in cards.into_iter().enumerate() {
                let entry = CardDraft {
                    key: format!("k{i}"),
                    front,
                    back,
                    notes,
                    tags,
                    typed: false,
                };
                push_entry_cards(&mut out, entry, reverse);
            }
            DeckDraft {
                name: "A::B".into(),
                description: String::new(),
                position: None,
                cards: out,
            }
        })
    }

    fn sides(cards: &[CardDraft]) -> Vec<(&str, &str, &str, &[String])> {
        cards
            .iter()
            .map(|c| {
                (
                    c.front.as_str(),
                    c.back.as_str(),
                    c.notes.as_str(),
                    c.tags.as_slice(),
                )
            })
            .collect()
    }

    proptest! {
        // Each case writes and reads a whole package.
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// What recall's Anki importer reads of the package is what recall
        /// had: the same fronts, backs, notes and tags, in the same deck.
        #[test]
        fn a_package_reads_back_as_the_same_cards(deck in deck()) {
            let at = Written { now: 1_800_000_000, today: Day(20_833) };
            let source = Source { deck: &deck, progress: None };
            let bytes = package(vec![source], &[], at, Layout::Current).unwrap().bytes;
            let loaded = crate::formats::anki::parse_package("x.apkg", &bytes, false)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(loaded.decks.len(), 1);
            prop_assert_eq!(&loaded.decks[0].name, &deck.name);
            prop_assert_eq!(sides(&loaded.decks[0].cards), sides(&deck.cards));
        }
    }

    #[test]
    fn decks_differing_in_case_are_one_anki_deck() {
        let mut names = DeckNames::default();
        assert_eq!(names.anki("Zed"), "Zed");
        assert_eq!(names.anki("zed"), "Zed");
        assert_eq!(names.anki("ZED::Sub"), "Zed::Sub");
        assert_eq!(names.anki("zed::sub::x"), "Zed::Sub::x");
        assert_eq!(names.anki("Other"), "Other");
    }

    #[test]
    fn deck_levels_become_anki_levels() {
        assert_eq!(anki_deck_name("AWS · RDS"), "AWS::RDS");
        assert_eq!(anki_deck_name("Lang::French"), "Lang::French");
    }
}
