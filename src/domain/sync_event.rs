//! What one device tells the others through the sync folder (docs/sync.md):
//! its identity, an answer, an undo, a card's state, reset, deletion and
//! revival, a deck's new name. Pure values; the line format that
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
    /// The card was reset to new at `at_ms`: every replay of its log starts
    /// over from new after it (the answers before stay in the history).
    Reset { card: CardName, at_ms: i64 },
    /// The card was deleted at `at_ms`, with its answers up to then.
    Delete { card: CardName, at_ms: i64 },
    /// A deleted card was imported again at `at_ms`: it exists from then on.
    Revive { card: CardName, at_ms: i64 },
    /// The deck named `from` was renamed `to` at `at_ms`.
    Rename {
        from: String,
        to: String,
        at_ms: i64,
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
    /// The card an event is for (none: the device line, a rename).
    pub fn card(&self) -> Option<&CardName> {
        match self {
            Event::Device { .. } | Event::Rename { .. } => None,
            Event::Answer { card, .. }
            | Event::Undo { card, .. }
            | Event::State { card, .. }
            | Event::Reset { card, .. }
            | Event::Delete { card, .. }
            | Event::Revive { card, .. } => Some(card),
        }
    }

    /// The moment an event is about (for `sync status`).
    pub fn at_ms(&self) -> Option<i64> {
        match self {
            Event::Device { .. } => None,
            Event::Answer { answer, .. } => Some(answer.reviewed_at_ms),
            Event::Undo { at_ms, .. }
            | Event::State { at_ms, .. }
            | Event::Reset { at_ms, .. }
            | Event::Delete { at_ms, .. }
            | Event::Revive { at_ms, .. }
            | Event::Rename { at_ms, .. } => Some(*at_ms),
        }
    }
}

/// Every deck name the renames mention, with the name its deck has once
/// all of them are applied. `renames` in the order they win in (time, then
/// device): each renames the deck a name stood for, however it is named by
/// then, so two devices that renamed one deck end with the later name, and
/// an answer given under any of its old names finds it.
pub fn fold_renames<'a>(
    renames: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> std::collections::BTreeMap<String, String> {
    use std::collections::BTreeMap;
    // A name → the deck it stands for (by its first name); a deck → its name.
    let mut deck_of: BTreeMap<String, String> = BTreeMap::new();
    let mut name_of: BTreeMap<String, String> = BTreeMap::new();
    for (from, to) in renames {
        let deck = deck_of
            .get(from)
            .cloned()
            .unwrap_or_else(|| from.to_string());
        deck_of.insert(from.to_string(), deck.clone());
        deck_of.insert(to.to_string(), deck.clone());
        name_of.insert(deck, to.to_string());
    }
    deck_of
        .into_iter()
        .map(|(name, deck)| {
            let now = name_of.get(&deck).cloned().unwrap_or_else(|| name.clone());
            (name, now)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold_renames;

    fn folded(renames: &[(&str, &str)]) -> Vec<(String, String)> {
        fold_renames(renames.iter().copied()).into_iter().collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
            .collect()
    }

    #[test]
    fn the_later_of_two_renames_of_one_deck_wins_under_every_name() {
        let got = folded(&[("geo", "x"), ("geo", "y")]);
        assert_eq!(got, pairs(&[("geo", "y"), ("x", "y"), ("y", "y")]));
    }

    #[test]
    fn a_chain_and_a_rename_back_end_where_the_last_one_says() {
        let chain = folded(&[("a", "b"), ("b", "c")]);
        assert_eq!(chain, pairs(&[("a", "c"), ("b", "c"), ("c", "c")]));
        let back = folded(&[("a", "b"), ("b", "a")]);
        assert_eq!(back, pairs(&[("a", "a"), ("b", "a")]));
    }
}
