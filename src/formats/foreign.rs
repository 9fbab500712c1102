//! What every reader of another program's deck file ends with: cards
//! checked by the foreign rules (`DeckCheck::foreign`: a back may be
//! empty) as they come, ids made unique in file order (`UniqueIds`), errors
//! located at the card's line, and a file without a card refused.

use super::ids::UniqueIds;
use super::{DeckCheck, Loaded, file_error, line_error};
use crate::domain::{CardDraft, DeckDraft};
use crate::error::{Error, Result};

/// One deck of a foreign file, while its cards are read.
pub struct DeckBuilder<'f> {
    file: &'f str,
    name: String,
    check: DeckCheck,
    ids: UniqueIds,
    cards: Vec<CardDraft>,
}

impl<'f> DeckBuilder<'f> {
    /// A deck named `name` of `file`, or the error a bad name is.
    pub fn new(file: &'f str, name: &str) -> Result<DeckBuilder<'f>> {
        let check = DeckCheck::foreign(name).map_err(|m| line_error(file, 1, m))?;
        Ok(DeckBuilder {
            file,
            name: name.to_string(),
            check,
            ids: UniqueIds::default(),
            cards: Vec::new(),
        })
    }

    /// Adds a card read at `line`. A card without a key gets one derived
    /// from its front; a key given twice gets `-2`, `-3`, … (`UniqueIds`).
    pub fn push(&mut self, card: CardDraft, line: usize) -> Result<()> {
        let file = self.file;
        self.push_located(card, |m| line_error(file, line, m))
    }

    /// `push`, for a file without lines: `locate` makes the error.
    pub fn push_located(
        &mut self,
        mut card: CardDraft,
        locate: impl FnOnce(String) -> Error,
    ) -> Result<()> {
        card.key = if card.key.is_empty() {
            self.ids.derive(&card.front)
        } else {
            self.ids.unique(card.key)
        };
        self.check.card(&card).map_err(locate)?;
        self.cards.push(card);
        Ok(())
    }

    /// The deck added to `loaded`; with no card, the error `none` says
    /// (what was looked for: "no … (hashcards)").
    pub fn finish(self, mut loaded: Loaded, none: &str) -> Result<Loaded> {
        if self.cards.is_empty() {
            return Err(file_error(self.file, format!("no cards: {none}")));
        }
        if self.ids.repeats() > 0 {
            loaded.warnings.push(format!(
                "{} card(s) with the id or front of an earlier one: imported too, with ids \
                 numbered -2, -3, …",
                self.ids.repeats()
            ));
        }
        loaded.decks.push(DeckDraft {
            name: self.name,
            description: String::new(),
            position: None,
            cards: self.cards,
        });
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(key: &str, front: &str, back: &str) -> CardDraft {
        CardDraft {
            key: key.into(),
            front: front.into(),
            back: back.into(),
            notes: String::new(),
            tags: Vec::new(),
            typed: false,
        }
    }

    #[test]
    fn cards_are_checked_keyed_and_located() {
        let mut deck = DeckBuilder::new("f", "D").unwrap();
        deck.push(card("", "q", ""), 1).unwrap();
        deck.push(card("", "q", "a"), 2).unwrap();
        deck.push(card("k", "r", "b"), 3).unwrap();
        let e = deck.push(card("x", " ", "b"), 9).unwrap_err();
        assert_eq!(e.to_string(), "f:9:1: the card's front is empty");
        let loaded = deck.finish(Loaded::default(), "none").unwrap();
        let keys: Vec<_> = loaded.decks[0]
            .cards
            .iter()
            .map(|c| c.key.clone())
            .collect();
        let q = super::super::derived_id("q");
        assert_eq!(keys, [q.clone(), format!("{q}-2"), "k".into()]);
        let empty = DeckBuilder::new("f", "D").unwrap();
        let e = empty.finish(Loaded::default(), "no Q: (x)").unwrap_err();
        assert_eq!(e.to_string(), "f: no cards: no Q: (x)");
        assert!(DeckBuilder::new("f", " ").is_err());
    }
}
