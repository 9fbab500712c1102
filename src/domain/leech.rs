//! Leeches, as Anki defines them: a card that has lapsed `threshold` times
//! (8 by default) is a leech, and is flagged again every `threshold / 2`
//! lapses after that (12, 16, …), so a card the user brought back is caught
//! again if it keeps failing. What happens then is the policy's `action`.

use serde::Serialize;

/// The tag a leech gets.
pub const LEECH_TAG: &str = "leech";

/// What recall does to a card that becomes a leech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LeechAction {
    /// Tag it `leech` and suspend it (Anki's default).
    Suspend,
    /// Tag it `leech` only; it keeps coming up.
    Tag,
}

impl LeechAction {
    pub fn as_str(self) -> &'static str {
        match self {
            LeechAction::Suspend => "suspend",
            LeechAction::Tag => "tag",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeechPolicy {
    /// Lapses that make a card a leech; 0 turns leech detection off.
    pub threshold: u32,
    pub action: LeechAction,
}

impl Default for LeechPolicy {
    fn default() -> Self {
        LeechPolicy {
            threshold: 8,
            action: LeechAction::Suspend,
        }
    }
}

impl LeechPolicy {
    /// Whether the answer that took a card from `before` to `after` lapses
    /// made it a leech (again). Only a new lapse counts: a re-drill or a
    /// passed answer leaves the count alone, and so decides nothing.
    pub fn is_leech(&self, before: u32, after: u32) -> bool {
        if self.threshold == 0 || after <= before || after < self.threshold {
            return false;
        }
        let every = (self.threshold / 2).max(1);
        (after - self.threshold).is_multiple_of(every)
    }
}

/// Whether `tags` (space-separated) hold the leech tag.
pub fn has_leech_tag(tags: &str) -> bool {
    tags.split_whitespace().any(|t| t == LEECH_TAG)
}

/// A card's tags after a re-import: the file's, plus `leech` if the card
/// had it (`was_leech`: recall gave it; the file cannot know).
pub fn tags_on_reimport(file: &str, was_leech: bool) -> std::borrow::Cow<'_, str> {
    if was_leech && !has_leech_tag(file) {
        std::borrow::Cow::Owned(format!("{file} {LEECH_TAG}").trim_start().to_string())
    } else {
        std::borrow::Cow::Borrowed(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(threshold: u32) -> LeechPolicy {
        LeechPolicy {
            threshold,
            action: LeechAction::Suspend,
        }
    }

    #[test]
    fn a_card_becomes_a_leech_at_the_threshold_then_every_half_threshold() {
        let leech_at: Vec<u32> = (1..=20).filter(|&n| policy(8).is_leech(n - 1, n)).collect();
        assert_eq!(leech_at, [8, 12, 16, 20]);
        let leech_at: Vec<u32> = (1..=8).filter(|&n| policy(3).is_leech(n - 1, n)).collect();
        assert_eq!(leech_at, [3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn only_a_new_lapse_makes_a_leech() {
        assert!(!policy(8).is_leech(8, 8), "a passed answer at 8 lapses");
        assert!(!policy(8).is_leech(9, 8), "an undone lapse");
        assert!(policy(8).is_leech(7, 8));
    }

    #[test]
    fn a_reimport_keeps_the_leech_tag() {
        let again = |file, stored| tags_on_reimport(file, has_leech_tag(stored));
        assert_eq!(again("a b", "a leech"), "a b leech");
        assert_eq!(again("", "leech"), "leech");
        assert_eq!(again("a", "a"), "a");
        assert_eq!(again("leech a", "a leech"), "leech a");
        assert_eq!(again("a", "leeches"), "a");
    }

    #[test]
    fn threshold_zero_turns_leeches_off() {
        assert!((1..100).all(|n| !policy(0).is_leech(n - 1, n)));
    }
}
