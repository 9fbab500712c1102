//! `--with-progress`: an Anki card's schedule mapped onto SM-2 as far as
//! it honestly maps (the README has the table). Pure, so tested directly.

use super::collection::AnkiCard;
use crate::domain::{Day, EFactor, Schedule};

/// Anki's schedule for a card, mapped onto SM-2 (the README has the table).
pub fn schedule_of(card: &AnkiCard, created_day: i64) -> Schedule {
    let due = if card.original_deck != 0 {
        card.original_due
    } else {
        card.due
    };
    let efactor = match u32::try_from(card.factor) {
        Ok(0) | Err(_) => EFactor::INITIAL,
        Ok(f) => EFactor(f.clamp(EFactor::MIN.0, 10_000)),
    };
    let lapses = u32::try_from(card.lapses).unwrap_or(0);
    let day = |d: i64| Some(Day(created_day.saturating_add(d.clamp(-36_500, 36_500))));
    match card.kind {
        // Review: Anki's interval and ease carry over; due counts days from
        // the collection's creation.
        2 => {
            let interval = u32::try_from(card.interval.clamp(1, 36_500)).unwrap_or(1);
            Schedule {
                repetitions: if interval >= 6 { 2 } else { 1 },
                efactor,
                interval,
                due: day(due),
                lapses,
            }
        }
        // Relearning after a lapse: SM-2's state after a failed answer.
        3 => Schedule {
            repetitions: 0,
            efactor,
            interval: 1,
            due: if card.queue == 1 {
                Some(Day(due.div_euclid(86_400)))
            } else {
                day(due)
            },
            lapses,
        },
        // New, or still in Anki's learning steps: SM-2 starts it afresh.
        _ => Schedule::NEW,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(kind: i64, queue: i64, due: i64, ivl: i64, factor: i64) -> AnkiCard {
        AnkiCard {
            note: 1,
            deck: 1,
            ord: 0,
            kind,
            queue,
            due,
            interval: ivl,
            factor,
            reps: 5,
            lapses: 1,
            original_deck: 0,
            original_due: 0,
        }
    }

    #[test]
    fn review_cards_keep_interval_ease_and_due() {
        let s = schedule_of(&card(2, 2, 30, 20, 2300), 20_000);
        assert_eq!(s.interval, 20);
        assert_eq!(s.efactor, EFactor(2300));
        assert_eq!(s.due, Some(Day(20_030)));
        assert_eq!(s.repetitions, 2);
        assert_eq!(s.lapses, 1);
        let s = schedule_of(&card(2, 2, 3, 3, 1000), 20_000);
        assert_eq!((s.repetitions, s.efactor), (1, EFactor::MIN));
    }

    #[test]
    fn new_and_learning_cards_start_fresh_relearning_restarts() {
        assert_eq!(schedule_of(&card(0, 0, 7, 0, 0), 20_000), Schedule::NEW);
        assert_eq!(
            schedule_of(&card(1, 1, 1_700_000_000, 0, 0), 20_000),
            Schedule::NEW
        );
        let s = schedule_of(&card(3, 1, 1_728_000_000, 10, 2100), 20_000);
        assert_eq!((s.repetitions, s.interval), (0, 1));
        assert_eq!(s.due, Some(Day(20_000)));
    }
}
