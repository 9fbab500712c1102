//! Anki packages (`.apkg`, `.colpkg`): a zip holding the collection as
//! SQLite, `collection.anki21b` (zstd-compressed, current Anki),
//! `collection.anki21` or `collection.anki2` (older). Read in that order:
//! current packages also carry a dummy `collection.anki2`.
//!
//! Everything here is hostile until proven otherwise: entry sizes are
//! checked as declared and again while inflating, `..` paths are refused,
//! and the collection is read from a private temporary file.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use serde::Deserialize;

use super::collection::{AnkiCard, AnkiCollection, AnkiMeta, read_collection};
use super::progress::schedule_of;
use crate::domain::{CardDraft, DeckDraft, ImportedProgress, Schedule};
use crate::error::{Error, Result};
use crate::formats::{Loaded, MAX_FIELD_BYTES, cloze, html, validate};

/// The most a collection may inflate to. Real collections with years of
/// history are tens of MiB; a zip bomb is stopped here.
pub const MAX_COLLECTION_BYTES: u64 = 256 << 20;

const COLLECTIONS: [&str; 3] = [
    "collection.anki21b",
    "collection.anki21",
    "collection.anki2",
];

/// Parses an Anki package. With `with_progress`, each card's Anki schedule
/// comes along, mapped onto SM-2 (see `schedule_of`).
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
    for name in zip.file_names_raw() {
        let name = String::from_utf8_lossy(name);
        let unsafe_path = name.starts_with(['/', '\\'])
            || name.split(['/', '\\']).any(|part| part == "..")
            || name.contains(':');
        if unsafe_path {
            return Err(fail(format!(
                "unsafe path {name:?} in the archive (absolute or with ..); refusing the package"
            )));
        }
    }
    let Some(entry_name) = COLLECTIONS
        .into_iter()
        .find(|n| zip.index_for_name(n).is_some())
    else {
        return Err(fail(
            "a zip file, but not an Anki package: it has no collection.anki21b, \
             collection.anki21 or collection.anki2"
                .into(),
        ));
    };
    let stored = {
        let entry = zip
            .by_name(entry_name)
            .map_err(|e| fail(format!("{entry_name}: {e}")))?;
        if entry.size() > MAX_COLLECTION_BYTES {
            return Err(fail(format!(
                "{entry_name} declares {} bytes inflated, over the limit of {MAX_COLLECTION_BYTES}",
                entry.size()
            )));
        }
        read_limited(entry, entry_name).map_err(fail)?
    };
    let sqlite = if entry_name.ends_with('b') {
        let decoder = ruzstd::decoding::StreamingDecoder::new(stored.as_slice())
            .map_err(|e| fail(format!("{entry_name} is not zstd data ({e})")))?;
        read_limited(decoder, entry_name).map_err(fail)?
    } else {
        stored
    };

    let collection = {
        let mut temp =
            tempfile::NamedTempFile::new().map_err(|e| Error::io("temporary file", e))?;
        std::io::Write::write_all(&mut temp, &sqlite)
            .map_err(|e| Error::io(temp.path().to_path_buf(), e))?;
        read_collection(temp.path()).map_err(|e| {
            fail(format!(
                "{entry_name} is not a readable Anki collection ({e})"
            ))
        })?
    };
    convert(file, &collection, with_progress)
}

/// Reads at most the limit, checking the real inflated size (a zip entry
/// or zstd frame can lie about its size).
fn read_limited(reader: impl Read, name: &str) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader
        .take(MAX_COLLECTION_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("{name} cannot be read, the package is damaged ({e})"))?;
    if out.len() as u64 > MAX_COLLECTION_BYTES {
        return Err(format!(
            "{name} inflates past the limit of {MAX_COLLECTION_BYTES} bytes (a zip bomb?)"
        ));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct LegacyModel {
    name: String,
    #[serde(rename = "type", default)]
    kind: i64,
}

#[derive(Deserialize)]
struct LegacyDeck {
    name: String,
}

/// Note type id → (name, is cloze); deck id → name with `::` levels.
type Names = (HashMap<i64, (String, bool)>, HashMap<i64, String>);

fn names(meta: &AnkiMeta) -> std::result::Result<Names, String> {
    let id = |s: &str| s.parse::<i64>().map_err(|_| format!("bad id {s:?}"));
    match meta {
        AnkiMeta::Legacy {
            models_json,
            decks_json,
        } => {
            let models: HashMap<String, LegacyModel> =
                serde_json::from_str(models_json).map_err(|e| format!("note types: {e}"))?;
            let decks: HashMap<String, LegacyDeck> =
                serde_json::from_str(decks_json).map_err(|e| format!("decks: {e}"))?;
            let mut types = HashMap::new();
            for (k, m) in models {
                types.insert(id(&k)?, (m.name, m.kind == 1));
            }
            let mut deck_names = HashMap::new();
            for (k, d) in decks {
                deck_names.insert(id(&k)?, d.name);
            }
            Ok((types, deck_names))
        }
        AnkiMeta::Modern { notetypes, decks } => Ok((
            notetypes
                .iter()
                .map(|(id, name, config)| (*id, (name.clone(), notetype_kind(config) == 1)))
                .collect(),
            decks
                .iter()
                .map(|(id, name)| (*id, name.replace('\u{1f}', "::")))
                .collect(),
        )),
    }
}

/// Field 1 (`kind`: 0 normal, 1 cloze) of a NotetypeConfig protobuf. A
/// hand walk over the top-level fields: one varint is all we need.
fn notetype_kind(config: &[u8]) -> u64 {
    fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *bytes.get(*at)?;
            *at += 1;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
    let mut at = 0;
    while at < config.len() {
        let Some(key) = varint(config, &mut at) else {
            return 0;
        };
        let skip = match key & 7 {
            0 => match varint(config, &mut at) {
                Some(v) if key >> 3 == 1 => return v,
                Some(_) => 0,
                None => return 0,
            },
            1 => 8,
            2 => match varint(config, &mut at).and_then(|l| usize::try_from(l).ok()) {
                Some(len) => len,
                None => return 0,
            },
            5 => 4,
            _ => return 0,
        };
        at = at.saturating_add(skip);
    }
    0
}

pub(super) fn convert(file: &str, col: &AnkiCollection, with_progress: bool) -> Result<Loaded> {
    let fail = |message: String| Error::File {
        file: file.to_string(),
        message,
    };
    if col.notes.is_empty() {
        return Err(fail("the package has no notes".into()));
    }
    let (types, deck_names) = names(&col.meta).map_err(|e| fail(format!("collection: {e}")))?;
    let mut by_note: HashMap<i64, Vec<&AnkiCard>> = HashMap::new();
    for card in &col.cards {
        by_note.entry(card.note).or_default().push(card);
    }
    let created_day = col.created.div_euclid(86_400);
    let deck_of = |card: &AnkiCard| {
        let id = if card.original_deck != 0 {
            card.original_deck
        } else {
            card.deck
        };
        deck_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("Anki deck {id}"))
    };

    let mut loaded = Loaded::default();
    let mut decks: Vec<DeckDraft> = Vec::new();
    let mut media = 0;
    let mut scheduled = 0;
    for note in &col.notes {
        let guid = note.guid.as_str();
        let raw: Vec<&str> = note.fields.split('\u{1f}').collect();
        if let Some(big) = raw.iter().find(|f| f.len() > MAX_FIELD_BYTES) {
            return Err(fail(format!(
                "note {guid:?}: a field is {} bytes, over the limit of {MAX_FIELD_BYTES}",
                big.len()
            )));
        }
        media += raw.iter().map(|f| html::media_references(f)).sum::<usize>();
        let fields: Vec<String> = raw.iter().map(|f| html::to_text(f)).collect();
        let field = |i: usize| fields.get(i).cloned().unwrap_or_default();
        let Some((type_name, is_cloze)) = types.get(&note.notetype) else {
            loaded.skipped.push(format!(
                "note {guid:?}: unknown note type {}",
                note.notetype
            ));
            continue;
        };
        let Some(rows) = by_note.get(&note.id) else {
            loaded.skipped.push(format!("note {guid:?}: has no cards"));
            continue;
        };
        let tags: Vec<String> = note.tags.split_whitespace().map(str::to_string).collect();
        // (card, the Anki card it stands for)
        let mut made: Vec<(CardDraft, &AnkiCard)> = Vec::new();
        if *is_cloze {
            let entry = CardDraft {
                key: guid.to_string(),
                front: field(0),
                back: field(1),
                notes: String::new(),
                tags: tags.clone(),
            };
            if entry.front.contains("image-occlusion:") {
                loaded.skipped.push(format!(
                    "note {guid:?}: image occlusion (needs its image; recall shows text only)"
                ));
                continue;
            }
            let Some(cards) = cloze::expand(&entry) else {
                loaded
                    .skipped
                    .push(format!("note {guid:?}: cloze note without deletions"));
                continue;
            };
            for card in cards {
                let number: i64 = card
                    .key
                    .rsplit(":c")
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1);
                let row = rows
                    .iter()
                    .find(|r| r.ord == number - 1)
                    .unwrap_or(&rows[0]);
                made.push((card, row));
            }
        } else {
            for row in rows {
                let (key, front, back) = match row.ord {
                    0 => (guid.to_string(), field(0), field(1)),
                    1 => (format!("{guid}:reverse"), field(1), field(0)),
                    n => {
                        loaded.skipped.push(format!(
                            "note {guid:?}: card {} of note type {type_name:?} (only the first \
                             two card types are read)",
                            n + 1
                        ));
                        continue;
                    }
                };
                if front.trim().is_empty() || back.trim().is_empty() {
                    let side = if front.trim().is_empty() {
                        "front"
                    } else {
                        "back"
                    };
                    loaded.skipped.push(format!(
                        "note {guid:?}: card {} has an empty {side}",
                        row.ord + 1
                    ));
                    continue;
                }
                let card = CardDraft {
                    key,
                    front,
                    back,
                    notes: String::new(),
                    tags: tags.clone(),
                };
                made.push((card, row));
            }
        }
        for (card, row) in made {
            let deck_name = deck_of(row);
            if row.reps > 0 {
                scheduled += 1;
            }
            let schedule = schedule_of(row, created_day);
            if with_progress && (schedule != Schedule::NEW || row.queue == -1) {
                loaded.progress.push(ImportedProgress {
                    deck: deck_name.clone(),
                    key: card.key.clone(),
                    schedule,
                    suspended: row.queue == -1,
                });
            }
            match decks.iter_mut().find(|d| d.name == deck_name) {
                Some(deck) => deck.cards.push(card),
                None => decks.push(DeckDraft {
                    name: deck_name,
                    description: String::new(),
                    cards: vec![card],
                }),
            }
        }
    }
    if decks.is_empty() {
        return Err(fail(format!(
            "no cards could be read ({} note(s) skipped: {})",
            loaded.skipped.len(),
            loaded.skipped.first().map_or("", String::as_str)
        )));
    }
    for deck in &decks {
        validate(deck, |i, message| {
            fail(format!(
                "deck {:?}, card {:?}: {message}",
                deck.name,
                deck.cards.get(i).map_or("", |c| c.key.as_str())
            ))
        })?;
    }
    if media > 0 {
        loaded.warnings.push(format!(
            "{media} media reference(s) kept as text; recall shows no images or sound"
        ));
    }
    if scheduled > 0 && !with_progress {
        loaded.warnings.push(format!(
            "{scheduled} card(s) have Anki review history, not imported; --with-progress maps it onto SM-2"
        ));
    }
    loaded.decks = decks;
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notetype_kind_reads_the_protobuf_field() {
        assert_eq!(notetype_kind(&[0x08, 0x01, 0x12, 0x00]), 1);
        assert_eq!(notetype_kind(&[0x12, 0x02, 0x08, 0x01, 0x08, 0x01]), 1);
        assert_eq!(notetype_kind(&[0x12, 0x02, 0x08]), 0);
        assert_eq!(notetype_kind(&[]), 0);
        assert_eq!(notetype_kind(&[0xff; 20]), 0);
    }
}
