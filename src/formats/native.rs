//! The native deck structure, shared by the TOML and JSON formats:
//! `{name, description, cards: [{id, front, back, notes, tags, reverse}]}`.

use serde::Deserialize;

use super::{derived_id, entry_cards, normalize_text};
use crate::domain::DeckDraft;

/// A deck file; `C` is a card entry, or one wrapped with its position.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "C: Deserialize<'de>"))]
pub(super) struct DeckFile<C> {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "Vec::new")]
    pub cards: Vec<C>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CardEntry {
    id: Option<String>,
    front: String,
    /// For cloze cards, extra text shown under the answer ("" for none).
    back: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    reverse: bool,
}

/// The deck's drafts (reverse and cloze cards expanded), each with the
/// origin `O` of the entry it came from, for errors found later.
pub(super) fn draft<'a, O: Copy>(
    name: &str,
    description: &str,
    entries: impl IntoIterator<Item = (&'a CardEntry, O)>,
) -> (DeckDraft, Vec<O>) {
    let mut cards = Vec::new();
    let mut origins = Vec::new();
    for (c, origin) in entries {
        let key = c.id.clone().unwrap_or_else(|| derived_id(&c.front));
        for card in entry_cards(key, &c.front, &c.back, &c.notes, c.tags.clone(), c.reverse) {
            cards.push(card);
            origins.push(origin);
        }
    }
    let deck = DeckDraft {
        name: name.trim().to_string(),
        description: normalize_text(description),
        cards,
    };
    (deck, origins)
}
