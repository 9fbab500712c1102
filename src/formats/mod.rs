//! Format modules turn files into domain values (and back). Each parser is
//! pure: text in, `DeckDraft` or a located error out.

pub mod records;
pub mod toml_deck;

use std::path::Path;

use crate::domain::{CardDraft, DeckDraft};
use crate::error::{Error, Result};

/// Reads a deck file and parses it by its extension.
pub fn load(path: &Path) -> Result<Vec<DeckDraft>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "toml" => Ok(vec![toml_deck::parse(&name, &decode_utf8(&name, &bytes)?)?]),
        _ => Err(Error::File {
            file: name,
            message: format!("unknown deck format {ext:?}; recall reads .toml decks"),
        }),
    }
}

/// The file's text, or an error that says where it stops being UTF-8.
pub fn decode_utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<std::borrow::Cow<'a, str>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(std::borrow::Cow::Borrowed(text)),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid.rsplit(|&b| b == b'\n').next().map_or(0, <[u8]>::len) + 1;
            Err(Error::Parse {
                file: file.to_string(),
                line,
                column,
                message: format!("not valid UTF-8 (byte {} of the file)", e.valid_up_to() + 1),
            })
        }
    }
}

/// Any one field larger than this is refused: no real card needs it, and it
/// keeps hostile files from ballooning the database.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// A stable id for a card whose file gives none: a readable slug of the
/// front plus a short hash, so that equal-looking fronts still differ.
pub fn derived_id(front: &str) -> String {
    let mut slug = String::new();
    for c in front.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.chars().count() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    format!("{slug}-{:08x}", fnv1a(front.as_bytes()) as u32)
}

/// FNV-1a: a tiny, stable hash (std's hasher may change between releases,
/// and these values end up stored as ids).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Text as stored: Windows line ends become `\n`.
pub fn normalize_text(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Adds the back→front card of a `reverse` card.
pub fn reversed(card: &CardDraft) -> CardDraft {
    CardDraft {
        key: format!("{}:reverse", card.key),
        front: card.back.clone(),
        back: card.front.clone(),
        notes: card.notes.clone(),
        tags: card.tags.clone(),
    }
}

/// Checks that hold for every format, after parsing: ids unique, no side
/// empty, no field too large, tags without spaces. `locate` gives the error
/// for card number `i` of the draft.
pub fn validate(deck: &DeckDraft, locate: impl Fn(usize, String) -> Error) -> Result<()> {
    if deck.name.trim().is_empty() {
        return Err(locate(usize::MAX, "the deck has no name".into()));
    }
    let mut seen = std::collections::HashMap::new();
    for (i, card) in deck.cards.iter().enumerate() {
        if card.key.trim().is_empty() {
            return Err(locate(i, "the card's id is empty".into()));
        }
        if let Some(first) = seen.insert(card.key.as_str(), i) {
            return Err(locate(
                i,
                format!(
                    "duplicate id {:?} (card {} has it too)",
                    card.key,
                    first + 1
                ),
            ));
        }
        for (side, text) in [("front", &card.front), ("back", &card.back)] {
            if text.trim().is_empty() {
                return Err(locate(i, format!("the card's {side} is empty")));
            }
        }
        for (side, text) in [
            ("front", &card.front),
            ("back", &card.back),
            ("notes", &card.notes),
        ] {
            if text.len() > MAX_FIELD_BYTES {
                return Err(locate(
                    i,
                    format!(
                        "the card's {side} is {} bytes, over the limit of {MAX_FIELD_BYTES}",
                        text.len()
                    ),
                ));
            }
        }
        if let Some(tag) = card
            .tags
            .iter()
            .find(|t| t.is_empty() || t.chars().any(char::is_whitespace))
        {
            return Err(locate(
                i,
                format!("tag {tag:?} is empty or has a space in it"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_readable_and_stable() {
        let id = derived_id("Which ElastiCache engine is multi-threaded?");
        assert!(id.starts_with("which-elasticache-engine-is-multi-"), "{id}");
        assert!(id.chars().count() <= 40 + 9, "{id}");
        assert_eq!(
            id,
            derived_id("Which ElastiCache engine is multi-threaded?")
        );
        assert_ne!(id, derived_id("Which ElastiCache engine is multi-threaded"));
        assert!(derived_id("東京は？").starts_with("東京は-"));
    }
}
