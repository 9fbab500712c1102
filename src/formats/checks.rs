//! Checks that hold for every format: ids unique within a deck, no side
//! empty, no field too large, tags without spaces.

use super::MAX_FIELD_BYTES;
use crate::domain::{CardDraft, DeckDraft};
use crate::error::{Error, Result};

/// The checks for one deck, card by card: a big file is checked as it is
/// read, each card while its line is at hand.
pub struct DeckCheck {
    /// Ids so far, with the number of the card that had each. Owned: the
    /// cards themselves move on to the database while the file is read.
    // foldhash, not std's SipHash: hashing the ids was a tenth of parsing a
    // 100 000-card file (it is seeded per process all the same).
    seen: foldhash::HashMap<String, usize>,
}

impl DeckCheck {
    /// The checks for the deck named `name`, or what is wrong with the name.
    pub fn new(name: &str) -> std::result::Result<DeckCheck, String> {
        if name.trim().is_empty() {
            return Err("the deck has no name".into());
        }
        Ok(DeckCheck {
            seen: foldhash::HashMap::default(),
        })
    }

    /// Checks the deck's next card: what is wrong with it, if anything.
    pub fn card(&mut self, card: &CardDraft) -> std::result::Result<(), String> {
        if card.key.trim().is_empty() {
            return Err("the card's id is empty".into());
        }
        let number = self.seen.len() + 1;
        if let Some(first) = self.seen.get(&card.key) {
            return Err(format!(
                "duplicate id {:?} (card {first} has it too)",
                card.key
            ));
        }
        self.seen.insert(card.key.clone(), number);
        for (side, text) in [("front", &card.front), ("back", &card.back)] {
            if text.trim().is_empty() {
                return Err(format!("the card's {side} is empty"));
            }
        }
        for (side, text) in [
            ("front", &card.front),
            ("back", &card.back),
            ("notes", &card.notes),
        ] {
            if text.len() > MAX_FIELD_BYTES {
                return Err(format!(
                    "the card's {side} is {} bytes, over the limit of {MAX_FIELD_BYTES}",
                    text.len()
                ));
            }
        }
        if let Some(tag) = card
            .tags
            .iter()
            .find(|t| t.is_empty() || t.chars().any(char::is_whitespace))
        {
            return Err(format!("tag {tag:?} is empty or has a space in it"));
        }
        Ok(())
    }
}

/// `DeckCheck` over a whole deck. `locate` gives the error for card
/// number `i` of the draft (`usize::MAX`: the deck itself).
pub fn validate(deck: &DeckDraft, locate: impl Fn(usize, String) -> Error) -> Result<()> {
    let mut check = DeckCheck::new(&deck.name).map_err(|m| locate(usize::MAX, m))?;
    for (i, card) in deck.cards.iter().enumerate() {
        check.card(card).map_err(|m| locate(i, m))?;
    }
    Ok(())
}
