//! One card as a small TOML document: what `e` in the review screen opens in
//! `$EDITOR`. The same fields as a deck file's card, without the id (the
//! card keeps its id, and so its progress).

use serde::{Deserialize, Serialize};

use super::{file_error, normalize_text, validate};
use crate::domain::{Card, CardDraft, DeckDraft};
use crate::error::{Error, Result};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Snippet {
    front: String,
    back: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    tags: Vec<String>,
}

const HEADER: &str = "# Edit this card, save and quit. Its progress is kept.\n\
    # Saving an empty file, or quitting without saving, changes nothing.\n\n";

/// The card as the editor shows it.
pub fn render(card: &Card) -> String {
    let snippet = Snippet {
        front: card.front.clone(),
        back: card.back.clone(),
        notes: card.notes.clone(),
        tags: card.tags.clone(),
    };
    // Serializing four strings cannot fail; an empty body would only make
    // the edit a no-op.
    let body = toml::to_string(&snippet).unwrap_or_default();
    format!("{HEADER}{body}")
}

/// The edited text as the card's new fields (`key` is the card's own).
/// `file` names the snippet in errors.
pub fn parse(file: &str, text: &str, card: &Card) -> Result<CardDraft> {
    let snippet: Snippet = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        Error::at_offset(file, text, offset, e.message().trim_end())
    })?;
    let draft = CardDraft {
        key: card.key.clone(),
        front: normalize_text(&snippet.front),
        back: normalize_text(&snippet.back),
        notes: normalize_text(&snippet.notes),
        tags: snippet.tags,
        // Not in the snippet: the deck file says it, and a re-import.
        typed: card.typed,
    };
    let deck = DeckDraft {
        name: card.deck.clone(),
        description: String::new(),
        position: None,
        cards: vec![draft],
    };
    validate(&deck, |_, message| file_error(file, message))?;
    let mut cards = deck.cards;
    cards
        .pop()
        .ok_or_else(|| Error::invalid("the edited card went missing"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Schedule;

    fn card() -> Card {
        Card {
            id: 7,
            deck: "d".into(),
            key: "k".into(),
            front: "Q \"quoted\"\nline two".into(),
            back: "┌─┐\n└─┘".into(),
            notes: String::new(),
            tags: vec!["a".into()],
            schedule: Schedule::NEW,
            suspended: false,
            last_review: None,
            typed: false,
        }
    }

    #[test]
    fn a_rendered_card_parses_back_unchanged() {
        let card = card();
        let draft = parse("edit.toml", &render(&card), &card).unwrap();
        assert_eq!(draft.front, card.front);
        assert_eq!(draft.back, card.back);
        assert_eq!(draft.tags, card.tags);
        assert_eq!(draft.key, "k");
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let err = parse("edit.toml", "front = \"x\"\nback = 3\n", &card()).unwrap_err();
        assert!(err.to_string().starts_with("edit.toml:2:"), "{err}");
        let err = parse("edit.toml", "front = \" \"\nback = \"y\"\n", &card()).unwrap_err();
        assert!(err.to_string().contains("front is empty"), "{err}");
        let err = parse(
            "edit.toml",
            "front = \"x\"\nback = \"y\"\nid = \"z\"\n",
            &card(),
        );
        assert!(err.unwrap_err().to_string().contains("unknown field"));
    }
}
