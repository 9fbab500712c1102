//! The card pass: every card of a scope folded into counts, the forecast and
//! the histograms, one card at a time.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{CardCounts, EFACTOR_EDGES, FORECAST_DAYS, INTERVAL_EDGES, MATURE_DAYS};
use crate::domain::card::{Day, EFactor};

/// How many of the hardest cards the report lists.
pub const HARDEST: usize = 10;

/// A card's place among the hardest: most lapses, then lowest e-factor,
/// then lowest id (so ties pick the same cards every time).
type Hardness = (Reverse<u32>, u32, i64);

/// One card's scheduling columns, as the card pass streams them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardState {
    pub id: i64,
    pub deck: i64,
    pub suspended: bool,
    pub buried_until: Option<Day>,
    pub due: Option<Day>,
    pub repetitions: u32,
    pub interval: u32,
    /// In thousandths.
    pub efactor: u32,
    pub lapses: u32,
}

/// Cards folded one at a time into everything the report needs from them,
/// in memory that does not grow with the collection.
#[derive(Debug, Clone, Default)]
pub struct CardTally {
    /// deck id → (counts, due today).
    pub decks: std::collections::BTreeMap<i64, (CardCounts, u64)>,
    pub due: Vec<(Day, u64)>,
    pub intervals: Vec<(u32, u64)>,
    pub efactors: Vec<(u32, u64)>,
    /// The hardest scheduled cards so far, the least hard on top: picked
    /// in the same pass, so the report reads the cards once, not twice.
    hardest: BinaryHeap<Hardness>,
}

impl CardTally {
    pub fn new(today: Day) -> CardTally {
        CardTally {
            decks: Default::default(),
            due: (0..FORECAST_DAYS).map(|i| (today.plus(i), 0)).collect(),
            intervals: INTERVAL_EDGES.iter().map(|&e| (e, 0)).collect(),
            efactors: EFACTOR_EDGES.iter().map(|&e| (e, 0)).collect(),
            hardest: BinaryHeap::with_capacity(HARDEST + 1),
        }
    }

    /// The ids of the hardest cards (at most `HARDEST`), hardest first.
    pub fn hardest(&self) -> Vec<i64> {
        let mut picked: Vec<Hardness> = self.hardest.iter().copied().collect();
        picked.sort_unstable();
        picked.into_iter().map(|(.., id)| id).collect()
    }

    /// Keeps `card` if it is among the hardest seen: scheduled, and lapsed
    /// or below the initial e-factor (suspended and buried cards too).
    fn rank(&mut self, card: &CardState) {
        if card.due.is_none() || (card.lapses == 0 && card.efactor >= EFactor::INITIAL.0) {
            return;
        }
        let hardness = (Reverse(card.lapses), card.efactor, card.id);
        // Most cards are no harder than the least hard kept: a comparison
        // instead of a push and a pop (a fifth of the pass on 100 000 cards).
        if self.hardest.len() == HARDEST && self.hardest.peek().is_some_and(|&top| hardness >= top)
        {
            return;
        }
        self.hardest.push(hardness);
        if self.hardest.len() > HARDEST {
            self.hardest.pop();
        }
    }

    /// Folds in `other`, the tally of other cards on the same day: as if
    /// its cards had been added here. The card pass reads its index in
    /// parts (storage/card_pass.rs), each folded on its own, then merged.
    pub fn merge(&mut self, other: CardTally) {
        for (deck, (counts, due_today)) in other.decks {
            let (mine, my_due) = self.decks.entry(deck).or_default();
            *mine = mine.add(counts);
            *my_due += due_today;
        }
        add_buckets(&mut self.due, other.due);
        add_buckets(&mut self.intervals, other.intervals);
        add_buckets(&mut self.efactors, other.efactors);
        // The hardest of both parts are among the hardest of each.
        for hardness in other.hardest {
            self.hardest.push(hardness);
            if self.hardest.len() > HARDEST {
                self.hardest.pop();
            }
        }
    }

    /// Counts one card by the README's definitions.
    pub fn add(&mut self, card: &CardState, today: Day) {
        self.rank(card);
        let (counts, due_today) = self.decks.entry(card.deck).or_default();
        counts.cards += 1;
        let buried = card.buried_until.is_some_and(|until| until > today);
        if card.suspended {
            counts.suspended += 1;
            return;
        }
        // The forecast and the histograms see buried cards too: they are due.
        if let Some(due) = card.due {
            let i = usize::try_from(due.days_since(today).max(0)).unwrap_or(usize::MAX);
            if let Some(slot) = self.due.get_mut(i) {
                slot.1 += 1;
            }
            bump(&mut self.intervals, card.interval);
            bump(&mut self.efactors, card.efactor);
        }
        match card.due {
            _ if buried => counts.buried += 1,
            None => counts.new += 1,
            Some(due) => {
                if card.repetitions >= 2 && card.interval >= MATURE_DAYS {
                    counts.mature += 1;
                } else {
                    counts.learning += 1;
                }
                if due <= today {
                    *due_today += 1;
                }
            }
        }
    }
}

/// Adds the counts of `theirs` to the same buckets (same bounds, same order) of `mine`.
fn add_buckets<K: PartialEq + std::fmt::Debug>(mine: &mut [(K, u64)], theirs: Vec<(K, u64)>) {
    for (m, t) in mine.iter_mut().zip(theirs) {
        debug_assert_eq!(m.0, t.0, "tallies of different days merged");
        m.1 += t.1;
    }
}

/// Adds one to the bucket (lower bound, count) that holds `value`.
fn bump(buckets: &mut [(u32, u64)], value: u32) {
    let i = buckets
        .partition_point(|&(e, _)| e <= value)
        .saturating_sub(1);
    if let Some(b) = buckets.get_mut(i) {
        b.1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(due: Option<i64>, reps: u32, interval: u32) -> CardState {
        CardState {
            id: i64::from(reps * 1000 + interval),
            deck: 1,
            suspended: false,
            buried_until: None,
            due: due.map(Day),
            repetitions: reps,
            interval,
            efactor: 2500,
            lapses: 0,
        }
    }

    #[test]
    fn each_card_lands_in_exactly_one_class() {
        let today = Day(100);
        let mut t = CardTally::new(today);
        t.add(&card(None, 0, 0), today);
        t.add(&card(Some(90), 1, 1), today);
        t.add(&card(Some(150), 3, 21), today);
        t.add(&card(Some(101), 3, 20), today);
        t.add(
            &CardState {
                suspended: true,
                ..card(Some(100), 3, 30)
            },
            today,
        );
        t.add(
            &CardState {
                buried_until: Some(Day(101)),
                ..card(Some(100), 3, 30)
            },
            today,
        );
        let (counts, due_today) = t.decks[&1];
        assert_eq!(
            counts,
            CardCounts {
                cards: 6,
                new: 1,
                learning: 2,
                mature: 1,
                suspended: 1,
                buried: 1
            }
        );
        assert_eq!(due_today, 1);
        // The buried card is still due today; the suspended one is nowhere.
        assert_eq!(t.due[0], (today, 2));
        assert_eq!(t.due[1], (Day(101), 1));
        assert_eq!(t.intervals[0], (1, 1));
        assert_eq!(t.intervals.iter().map(|b| b.1).sum::<u64>(), 4);
    }

    #[test]
    fn the_hardest_are_the_most_lapsed_then_the_lowest_efactor() {
        let today = Day(100);
        let mut t = CardTally::new(today);
        let hard = |id: i64, lapses: u32, efactor: u32, due: Option<i64>| CardState {
            id,
            lapses,
            efactor,
            due: due.map(Day),
            ..card(Some(100), 3, 30)
        };
        // Not hard: never lapsed at the initial e-factor, or never scheduled.
        t.add(&hard(1, 0, 2500, Some(90)), today);
        t.add(&hard(2, 9, 1300, None), today);
        for id in 10..40 {
            t.add(&hard(id, 1, 2000, Some(90)), today);
        }
        t.add(&hard(5, 4, 1900, Some(90)), today);
        t.add(&hard(6, 4, 1700, Some(90)), today);
        t.add(&hard(7, 0, 2400, Some(90)), today);
        t.add(
            &CardState {
                suspended: true,
                ..hard(8, 2, 2500, Some(90))
            },
            today,
        );
        // Ties on lapses and e-factor go to the lowest ids.
        assert_eq!(t.hardest(), [6, 5, 8, 10, 11, 12, 13, 14, 15, 16]);
    }

    /// Cards of every class, two decks, and hard ones with tied ranks.
    fn mixed_cards() -> Vec<CardState> {
        (0..200_i64)
            .map(|i| CardState {
                id: i,
                deck: 1 + i % 2,
                suspended: i % 9 == 0,
                buried_until: (i % 10 == 0).then_some(Day(100 + i % 3)),
                due: (i % 4 != 0).then_some(Day(80 + (i * 13) % 60)),
                repetitions: (i % 5) as u32,
                interval: ((i * 7) % 400) as u32,
                efactor: (1300 + (i * 37) % 1400) as u32,
                lapses: ((i * 11) % 4) as u32,
            })
            .collect()
    }

    fn tally(cards: &[CardState], today: Day) -> CardTally {
        let mut t = CardTally::new(today);
        for card in cards {
            t.add(card, today);
        }
        t
    }

    #[test]
    fn two_parts_merged_are_the_whole_pass() {
        let today = Day(100);
        let cards = mixed_cards();
        let whole = tally(&cards, today);
        let cuts = [0, 1, 57, 100, 199, 200].map(|cut| {
            let (low, high) = cards.split_at(cut);
            (format!("cut at {cut}"), low.to_vec(), high.to_vec())
        });
        // Interleaved too: each part holds some of the hardest.
        let (odd, even): (Vec<_>, Vec<_>) = cards.iter().partition(|c| c.id % 2 == 1);
        for (what, low, high) in cuts.into_iter().chain([("odd and even".into(), odd, even)]) {
            let mut merged = tally(&low, today);
            merged.merge(tally(&high, today));
            assert_eq!(merged.decks, whole.decks, "{what}");
            assert_eq!(merged.due, whole.due, "{what}");
            assert_eq!(merged.intervals, whole.intervals, "{what}");
            assert_eq!(merged.efactors, whole.efactors, "{what}");
            assert_eq!(merged.hardest(), whole.hardest(), "{what}");
        }
        // Not a vacuous comparison: every figure has something in it.
        assert_eq!(whole.decks.len(), 2);
        assert!(whole.due.iter().any(|d| d.1 > 0));
        assert_eq!(whole.hardest().len(), HARDEST);
    }
}
