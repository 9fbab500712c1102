//! The card pass: every card of a scope folded into counts, the forecast and
//! the histograms, one card at a time.

use super::{CardCounts, EFACTOR_EDGES, FORECAST_DAYS, INTERVAL_EDGES, MATURE_DAYS};
use crate::domain::card::Day;

/// One card's scheduling columns, as the card pass streams them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardState {
    pub deck: i64,
    pub suspended: bool,
    pub buried_until: Option<Day>,
    pub due: Option<Day>,
    pub repetitions: u32,
    pub interval: u32,
    /// In thousandths.
    pub efactor: u32,
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
}

impl CardTally {
    pub fn new(today: Day) -> CardTally {
        CardTally {
            decks: Default::default(),
            due: (0..FORECAST_DAYS).map(|i| (today.plus(i), 0)).collect(),
            intervals: INTERVAL_EDGES.iter().map(|&e| (e, 0)).collect(),
            efactors: EFACTOR_EDGES.iter().map(|&e| (e, 0)).collect(),
        }
    }

    /// Counts one card by the README's definitions.
    pub fn add(&mut self, card: &CardState, today: Day) {
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
            deck: 1,
            suspended: false,
            buried_until: None,
            due: due.map(Day),
            repetitions: reps,
            interval,
            efactor: 2500,
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
}
