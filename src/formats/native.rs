//! The native deck structure, shared by the TOML and JSON formats:
//! `{name, description, order, cards: [{id, front, back, notes, tags, reverse, type}]}`.

use serde::Deserialize;

use super::{derived_id, normalize_text, push_entry_cards};
use crate::domain::{CardDraft, DeckDraft};

/// A deck file; `C` is a card entry, or one wrapped with its position.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "C: Deserialize<'de>"))]
pub(super) struct DeckFile<C> {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The deck's place in deck listings (`DeckDraft::position`).
    #[serde(default)]
    pub order: Option<u32>,
    #[serde(default = "Vec::new")]
    pub cards: Vec<C>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CardEntry {
    id: Option<String>,
    front: String,
    /// For cloze cards, extra text shown under the answer: may be left
    /// out there (other cards without a back are refused by `validate`).
    #[serde(default)]
    back: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    reverse: bool,
    /// A picture beside the deck file (`image = "fig.png"`), shown under
    /// the front: written into it as `[image: fig.png]`, the marker every
    /// importer uses, so the review screen finds it the same way.
    #[serde(default)]
    image: Option<String>,
    /// The answer is typed (issue 21): `type = true`.
    #[serde(default, rename = "type")]
    typed: bool,
}

/// The deck's drafts (reverse and cloze cards expanded), each with the
/// origin `O` of the entry it came from, for errors found later.
pub(super) fn draft<O: Copy>(
    name: &str,
    description: &str,
    order: Option<u32>,
    entries: impl IntoIterator<Item = (CardEntry, O)>,
) -> (DeckDraft, Vec<O>) {
    let mut cards = Vec::new();
    let mut origins = Vec::new();
    for (c, origin) in entries {
        let key = match c.id {
            Some(id) => id,
            None => derived_id(&c.front),
        };
        let front = match c.image.as_deref().map(str::trim) {
            Some(image) if !image.is_empty() => format!("{}\n\n[image: {image}]", c.front),
            _ => c.front,
        };
        let entry = CardDraft {
            key,
            front,
            back: c.back,
            notes: c.notes,
            tags: c.tags,
            typed: c.typed,
        };
        let n = push_entry_cards(&mut cards, entry, c.reverse);
        origins.extend(std::iter::repeat_n(origin, n));
    }
    let deck = DeckDraft {
        name: name.trim().to_string(),
        description: normalize_text(description),
        position: order,
        cards,
    };
    (deck, origins)
}
