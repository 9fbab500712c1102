//! Checks that hold for every format: ids unique within a deck, a front,
//! no field too large, tags without spaces. recall's own formats also need
//! a back; files other programs made may leave it empty (Anki does).

use super::MAX_FIELD_BYTES;
use crate::domain::text::forbidden_in_name;
use crate::domain::{CardDraft, DeckDraft};
use crate::error::{Error, Result};

/// The checks for one deck, card by card: a big file is checked as it is
/// read, each card while its line is at hand.
pub struct DeckCheck {
    /// Ids so far, as digests (`digest128`), with the number of the card
    /// that had each: the cards themselves move on to the database while
    /// the file is read, and a copy of every id was a sixth of importing a
    /// million cards' peak memory. Two ids sharing a digest (a chance of
    /// one in 2¹²⁸) would be refused as the same.
    // foldhash, not std's SipHash: hashing the ids was a tenth of parsing a
    // 100 000-card file (it is seeded per process all the same). Halves and
    // a u32, not a u128 and a usize: 24 bytes an entry instead of 32 (u128
    // is aligned to 16), 17 MB less for a million cards.
    seen: foldhash::HashMap<[u64; 2], u32>,
    back_required: bool,
}

impl DeckCheck {
    /// The checks of recall's own formats for the deck named `name`, or
    /// what is wrong with the name.
    pub fn new(name: &str) -> std::result::Result<DeckCheck, String> {
        Self::with_rules(name, true)
    }

    /// The checks for a deck another program made: a card's back may be
    /// empty, as Anki allows.
    pub fn foreign(name: &str) -> std::result::Result<DeckCheck, String> {
        Self::with_rules(name, false)
    }

    fn with_rules(name: &str, back_required: bool) -> std::result::Result<DeckCheck, String> {
        if name.trim().is_empty() {
            return Err("the deck has no name".into());
        }
        // A newline or an escape in a name would forge lines in every list
        // it is shown in, or reprogram the terminal.
        if let Some(c) = forbidden_in_name(name) {
            return Err(format!(
                "the deck name holds {c}, a control or bidi character, which names may not"
            ));
        }
        Ok(DeckCheck {
            seen: foldhash::HashMap::default(),
            back_required,
        })
    }

    /// Checks the deck's next card: what is wrong with it, if anything.
    pub fn card(&mut self, card: &CardDraft) -> std::result::Result<(), String> {
        if card.key.trim().is_empty() {
            return Err("the card's id is empty".into());
        }
        if let Some(c) = forbidden_in_name(&card.key) {
            return Err(format!(
                "the card's id holds {c}, a control or bidi character, which ids may not"
            ));
        }
        // A deck file holds far fewer than 2³² cards (`MAX_FILE_BYTES`).
        let number = u32::try_from(self.seen.len() + 1).unwrap_or(u32::MAX);
        let digest = crate::digest::digest128(card.key.as_str());
        let id = [(digest >> 64) as u64, digest as u64];
        if let Some(first) = self.seen.get(&id) {
            return Err(format!(
                "duplicate id {:?} (card {first} has it too)",
                card.key
            ));
        }
        self.seen.insert(id, number);
        if card.front.trim().is_empty() {
            return Err("the card's front is empty".into());
        }
        if self.back_required && card.back.trim().is_empty() {
            return Err("the card's back is empty".into());
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

/// `DeckCheck` over a whole deck of one of recall's own formats. `locate`
/// gives the error for card number `i` of the draft (`usize::MAX`: the
/// deck itself).
pub fn validate(deck: &DeckDraft, locate: impl Fn(usize, String) -> Error) -> Result<()> {
    let check = DeckCheck::new(&deck.name).map_err(|m| locate(usize::MAX, m))?;
    check_all(check, deck, locate)
}

/// `validate` for a deck another program made (`DeckCheck::foreign`).
pub fn validate_foreign(deck: &DeckDraft, locate: impl Fn(usize, String) -> Error) -> Result<()> {
    let check = DeckCheck::foreign(&deck.name).map_err(|m| locate(usize::MAX, m))?;
    check_all(check, deck, locate)
}

fn check_all(
    mut check: DeckCheck,
    deck: &DeckDraft,
    locate: impl Fn(usize, String) -> Error,
) -> Result<()> {
    for (i, card) in deck.cards.iter().enumerate() {
        check.card(card).map_err(|m| locate(i, m))?;
    }
    Ok(())
}
