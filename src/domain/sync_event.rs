//! What one device tells the others through the sync folder (docs/sync.md):
//! its identity, an answer, an undo. Pure values; the line format that
//! carries them is `formats::sync_log`, the SQL that merges them is
//! `storage::sync`.

use super::card::Day;
use super::log::LoggedAnswer;

/// A device id or an incarnation: 128 random bits, shown as 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Token(String);

impl Token {
    pub fn from_bits(bits: u128) -> Token {
        Token(format!("{bits:032x}"))
    }

    /// `text` if it is 32 lowercase hex digits (a folder name from DIR is
    /// untrusted: it becomes part of paths and of messages).
    pub fn parse(text: &str) -> Option<Token> {
        let hex = text.len() == 32
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        hex.then(|| Token(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A card as every device names it: deck name and card key, as `export
/// reviews` and `import --reviews` do (database ids differ per device).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardName {
    pub deck: String,
    pub card: String,
}

/// One line of a device's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The first line: whose log this is, and which start of it.
    Device { device: Token, incarnation: Token },
    Answer {
        card: CardName,
        answer: LoggedAnswer,
    },
    /// Takes back the answer to `card` given at `at_ms`, on every device.
    Undo { card: CardName, at_ms: i64 },
    /// The card's suspension and burial as this device had them at `at_ms`
    /// (when its sync saw them change): the newest wins everywhere.
    State {
        card: CardName,
        at_ms: i64,
        state: CardFlags,
    },
}

/// What a `State` event sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CardFlags {
    pub suspended: bool,
    /// Hidden until the morning of this day.
    pub buried_until: Option<Day>,
}

impl Event {
    /// The card an answer or undo is for.
    pub fn card(&self) -> Option<&CardName> {
        match self {
            Event::Device { .. } => None,
            Event::Answer { card, .. } | Event::Undo { card, .. } | Event::State { card, .. } => {
                Some(card)
            }
        }
    }

    /// The moment an answer or undo is about (for `sync status`).
    pub fn at_ms(&self) -> Option<i64> {
        match self {
            Event::Device { .. } => None,
            Event::Answer { answer, .. } => Some(answer.reviewed_at_ms),
            Event::Undo { at_ms, .. } | Event::State { at_ms, .. } => Some(*at_ms),
        }
    }
}
