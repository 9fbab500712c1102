//! Daily limits for one deck: the global caps of `Limits`, unless the
//! config names the deck (`[deck."Geography"]`) or a prefix of its name
//! (`[deck."Lang::*"]`). An exact name wins over a prefix, and a longer
//! prefix over a shorter one.

use super::card::AnswerKind;
use super::session::{Limits, TodayAnswer};

/// One `[deck."…"]` table of the config: the limits it sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckLimits {
    /// A deck name, or a prefix ending in `*`.
    pub pattern: String,
    pub new_per_day: Option<u32>,
    pub reviews_per_day: Option<u32>,
}

impl DeckLimits {
    /// How specific a match of `name` is (higher wins), or `None`.
    fn matches(&self, name: &str) -> Option<usize> {
        match self.pattern.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix).then_some(prefix.len()),
            None => (self.pattern == name).then_some(usize::MAX),
        }
    }
}

/// The caps that apply to one deck today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeckCaps {
    pub new_per_day: u32,
    /// The deck's own review cap, under the global one; `None`: only that.
    pub reviews_per_day: Option<u32>,
}

impl Limits {
    /// The caps of the deck called `name`: each value from the most
    /// specific `[deck]` table that sets it, else the global one.
    pub fn for_deck(&self, name: &str) -> DeckCaps {
        let mut rules: Vec<(usize, &DeckLimits)> = self
            .decks
            .iter()
            .filter_map(|d| d.matches(name).map(|rank| (rank, d)))
            .collect();
        rules.sort_by_key(|(rank, _)| std::cmp::Reverse(*rank));
        DeckCaps {
            new_per_day: rules
                .iter()
                .find_map(|(_, d)| d.new_per_day)
                .unwrap_or(self.new_per_deck),
            reviews_per_day: rules.iter().find_map(|(_, d)| d.reviews_per_day),
        }
    }

    /// Whether some deck has a review cap of its own.
    pub fn has_deck_review_caps(&self) -> bool {
        self.decks.iter().any(|d| d.reviews_per_day.is_some())
    }
}

impl DeckCaps {
    /// New cards of `deck` that may still be introduced today.
    pub fn remaining_new(&self, deck: i64, today: &[TodayAnswer]) -> u32 {
        self.new_per_day
            .saturating_sub(count(today, |a| a.was_new && a.deck == deck))
    }

    /// Reviews of `deck` that its own cap still allows today, if it has one.
    pub fn remaining_reviews(&self, deck: i64, today: &[TodayAnswer]) -> Option<u32> {
        let done = count(today, |a| !a.was_new && a.deck == deck);
        self.reviews_per_day.map(|cap| cap.saturating_sub(done))
    }
}

/// Today's scheduling answers that `which` picks.
fn count(today: &[TodayAnswer], which: impl Fn(&TodayAnswer) -> bool) -> u32 {
    let n = today
        .iter()
        .filter(|a| a.kind == AnswerKind::Schedule && which(a))
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Grade;

    fn rule(pattern: &str, new: Option<u32>, reviews: Option<u32>) -> DeckLimits {
        DeckLimits {
            pattern: pattern.into(),
            new_per_day: new,
            reviews_per_day: reviews,
        }
    }

    fn limits() -> Limits {
        Limits {
            new_per_deck: 20,
            reviews_per_day: 200,
            decks: vec![
                rule("Lang::*", Some(10), Some(100)),
                rule("Lang::French::*", Some(5), None),
                rule("Lang::French::Verbs", Some(2), None),
            ],
            bury_siblings: true,
        }
    }

    #[test]
    fn an_exact_name_beats_a_longer_prefix_which_beats_a_shorter_one() {
        let l = limits();
        let caps = |name| {
            let c = l.for_deck(name);
            (c.new_per_day, c.reviews_per_day)
        };
        assert_eq!(caps("Geography"), (20, None));
        assert_eq!(caps("Lang::German"), (10, Some(100)));
        assert_eq!(caps("Lang::French::Nouns"), (5, Some(100)));
        assert_eq!(caps("Lang::French::Verbs"), (2, Some(100)));
        assert_eq!(caps("Lang"), (20, None), "Lang::* names the subdecks");
    }

    #[test]
    fn a_decks_caps_count_only_its_own_scheduling_answers() {
        let a = |deck, was_new, kind| TodayAnswer {
            card: 1,
            deck,
            grade: Grade::ALL[4],
            kind,
            was_new,
            eligible: true,
        };
        let today = [
            a(1, true, AnswerKind::Schedule),
            a(1, false, AnswerKind::Schedule),
            a(1, false, AnswerKind::Redrill),
            a(2, false, AnswerKind::Schedule),
        ];
        let caps = DeckCaps {
            new_per_day: 3,
            reviews_per_day: Some(2),
        };
        assert_eq!(caps.remaining_new(1, &today), 2);
        assert_eq!(caps.remaining_reviews(1, &today), Some(1));
        assert_eq!(caps.remaining_reviews(3, &today), Some(2));
    }
}
