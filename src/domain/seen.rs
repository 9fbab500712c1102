//! Which card, and which answer, the user acted on. Row ids alone do not
//! say: a restored older copy of the collection hands the same numbers to
//! other rows. A write checks these in its own transaction (see
//! `storage::cards` and `storage::log`) and refuses when they no longer hold.

use super::card::{Card, CardId, Schedule};

/// One answer of the log as the one who recorded it knows it. An undo
/// looks for all three: a review id alone could, in a restored older copy
/// of the collection, belong to some other answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerRef {
    pub review_id: i64,
    pub card: CardId,
    pub reviewed_at_ms: i64,
}

/// The card an answer is for, as the one answering knows it. Its number,
/// deck and id within the deck are always held against the database in the
/// answer's transaction; the scheduling state too when the card was shown.
#[derive(Debug, Clone, Copy)]
pub enum Seen<'a> {
    /// On screen (the TUI): the card in the state it was shown in, so an
    /// answer given elsewhere meanwhile, or a restored older copy, is noticed.
    Shown(&'a Card),
    /// Named by a script (`recall answer`), which showed nothing: the card
    /// in whatever state it is in now.
    Named(&'a Card),
}

/// How the card an answer finds under the seen card's number stands to
/// the card seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Same,
    /// No card has that number any more.
    Gone,
    /// The number names a card of another deck or id within the deck.
    Other,
    /// The same card, but it was shown in another state.
    Changed,
}

/// What the database holds under a card number: deck, id within the deck,
/// scheduling state and last scheduling answer.
pub type FoundCard<'a> = (&'a str, &'a str, &'a Schedule, Option<i64>);

impl<'a> Seen<'a> {
    pub fn card(self) -> &'a Card {
        match self {
            Seen::Shown(card) | Seen::Named(card) => card,
        }
    }

    /// Whether `found` is the card seen (and, if it was shown, in the
    /// state shown).
    pub fn compare(self, found: Option<FoundCard<'_>>) -> Match {
        let seen = self.card();
        match found {
            None => Match::Gone,
            Some((deck, key, _, _)) if deck != seen.deck || key != seen.key => Match::Other,
            Some((_, _, schedule, last_review))
                if matches!(self, Seen::Shown(_))
                    && (*schedule != seen.schedule || last_review != seen.last_review) =>
            {
                Match::Changed
            }
            Some(_) => Match::Same,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::card::Day;

    #[test]
    fn an_answer_is_for_the_card_seen_and_a_shown_card_also_in_its_state() {
        let seen = Card {
            id: 7,
            deck: "geo".into(),
            key: "france".into(),
            front: "Capital of France?".into(),
            back: "Paris".into(),
            notes: String::new(),
            tags: vec![],
            schedule: Schedule::NEW,
            suspended: false,
            last_review: None,
            typed: false,
        };
        let answered = Schedule {
            repetitions: 1,
            interval: 1,
            due: Some(Day(11)),
            ..Schedule::NEW
        };
        let (shown, named) = (Seen::Shown(&seen), Seen::Named(&seen));
        let same = Some(("geo", "france", &Schedule::NEW, None));
        for seen in [shown, named] {
            assert_eq!(seen.compare(same), Match::Same);
            assert_eq!(seen.compare(None), Match::Gone);
            let other = Some(("geo", "jupiter", &Schedule::NEW, None));
            assert_eq!(seen.compare(other), Match::Other);
            let other_deck = Some(("space", "france", &Schedule::NEW, None));
            assert_eq!(seen.compare(other_deck), Match::Other);
        }
        // Answered elsewhere since: a shown card no longer matches, a card
        // a script names by number still does.
        let since = Some(("geo", "france", &answered, Some(1)));
        assert_eq!(shown.compare(since), Match::Changed);
        assert_eq!(named.compare(since), Match::Same);
        let only_time = Some(("geo", "france", &Schedule::NEW, Some(1)));
        assert_eq!(shown.compare(only_time), Match::Changed);
    }
}
