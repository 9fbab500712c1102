//! SuperMemo SM-2 (Wozniak, 1990), with the readings of its ambiguities that
//! the README documents. Pure arithmetic on integers.

use super::card::{Day, EFactor, Grade, Schedule};

/// A spaced-repetition algorithm: the next state of a card after one
/// scheduling answer. Kept small so another algorithm can be replayed from
/// the same review log later.
pub trait Scheduler {
    fn schedule(&self, state: &Schedule, grade: Grade, today: Day) -> Schedule;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Sm2;

impl Sm2 {
    /// EF' = EF + (0.1 − (5−q)·(0.08 + (5−q)·0.02)), in thousandths, floored at 1.3.
    pub fn next_efactor(ef: EFactor, grade: Grade) -> EFactor {
        let d = i64::from(5 - grade.value());
        let delta = 100 - d * (80 + d * 20);
        let next = (i64::from(ef.0) + delta).max(i64::from(EFactor::MIN.0));
        EFactor(u32::try_from(next).unwrap_or(u32::MAX))
    }

    /// I(1) = 1, I(2) = 6, I(n) = ceil(I(n−1) · EF) with the EF from before this answer.
    fn next_interval(repetition: u32, previous: u32, ef_before: EFactor) -> u32 {
        match repetition {
            0 | 1 => 1,
            2 => 6,
            _ => {
                let product = u64::from(previous) * u64::from(ef_before.0);
                let days = product.div_ceil(1000).max(1);
                u32::try_from(days).unwrap_or(u32::MAX)
            }
        }
    }
}

impl Scheduler for Sm2 {
    fn schedule(&self, state: &Schedule, grade: Grade, today: Day) -> Schedule {
        let efactor = Self::next_efactor(state.efactor, grade);
        let (repetitions, interval, lapses) = if grade.passed() {
            let n = state.repetitions.saturating_add(1);
            (
                n,
                Self::next_interval(n, state.interval, state.efactor),
                state.lapses,
            )
        } else {
            (0, 1, state.lapses.saturating_add(1))
        };
        Schedule {
            repetitions,
            efactor,
            interval,
            due: Some(today.plus(interval)),
            lapses,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(grades: &[u8]) -> Vec<(u32, String)> {
        let mut state = Schedule::NEW;
        let mut day = Day(20_000);
        grades
            .iter()
            .map(|&q| {
                state = Sm2.schedule(&state, Grade::new(q).unwrap(), day);
                day = state.due.unwrap();
                (state.interval, state.efactor.to_string())
            })
            .collect()
    }

    fn expect(pairs: &[(u32, &str)]) -> Vec<(u32, String)> {
        pairs.iter().map(|&(i, ef)| (i, ef.to_string())).collect()
    }

    #[test]
    fn worked_example_all_perfect() {
        assert_eq!(
            run(&[5, 5, 5, 5]),
            expect(&[(1, "2.6"), (6, "2.7"), (17, "2.8"), (48, "2.9")])
        );
    }

    #[test]
    fn worked_example_with_a_lapse() {
        assert_eq!(
            run(&[4, 3, 5, 2, 4, 5]),
            expect(&[
                (1, "2.5"),
                (6, "2.36"),
                (15, "2.46"),
                (1, "2.14"),
                (1, "2.14"),
                (6, "2.24")
            ])
        );
    }

    #[test]
    fn worked_example_blackouts_hit_the_floor() {
        assert_eq!(
            run(&[0, 1, 5, 5]),
            expect(&[(1, "1.7"), (1, "1.3"), (1, "1.4"), (6, "1.5")])
        );
    }

    #[test]
    fn uses_the_efactor_from_before_the_answer() {
        // q=3 with EF 2.3 and I 12: ceil(12 × 2.3) = 28 (not 12 × 2.16), then EF 2.16.
        let state = Schedule {
            repetitions: 3,
            efactor: EFactor(2300),
            interval: 12,
            due: Some(Day(100)),
            lapses: 0,
        };
        let next = Sm2.schedule(&state, Grade::new(3).unwrap(), Day(100));
        assert_eq!(next.interval, 28);
        assert_eq!(next.efactor, EFactor(2160));
        assert_eq!(next.due, Some(Day(128)));
    }

    #[test]
    fn exact_arithmetic_where_floats_round_wrong() {
        // 2.5 + 0.1 + 0.1 + 0.1 in floats is 2.8000000000000003: ceil(10 × it) would be 29.
        let state = Schedule {
            repetitions: 5,
            efactor: EFactor(2800),
            interval: 10,
            due: Some(Day(1)),
            lapses: 0,
        };
        assert_eq!(
            Sm2.schedule(&state, Grade::new(4).unwrap(), Day(1))
                .interval,
            28
        );
    }

    #[test]
    fn a_failure_resets_repetitions_and_counts_a_lapse() {
        let state = Schedule {
            repetitions: 4,
            efactor: EFactor(2500),
            interval: 40,
            due: Some(Day(50)),
            lapses: 2,
        };
        let next = Sm2.schedule(&state, Grade::new(2).unwrap(), Day(50));
        assert_eq!((next.repetitions, next.interval, next.lapses), (0, 1, 3));
        assert_eq!(next.efactor, EFactor(2180));
        assert_eq!(next.due, Some(Day(51)));
    }

    #[test]
    fn efactor_deltas_per_grade() {
        let deltas: Vec<i64> = Grade::ALL
            .iter()
            .map(|&g| i64::from(Sm2::next_efactor(EFactor(2500), g).0) - 2500)
            .collect();
        assert_eq!(deltas, vec![-800, -540, -320, -140, 0, 100]);
    }

    fn grades() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(0u8..=5, 1..60)
    }

    proptest! {
        #[test]
        fn efactor_and_interval_stay_in_bounds(seq in grades()) {
            let mut state = Schedule::NEW;
            for (i, q) in seq.into_iter().enumerate() {
                state = Sm2.schedule(&state, Grade::new(q).unwrap(), Day(i as i64));
                prop_assert!(state.efactor >= EFactor::MIN);
                prop_assert!(state.interval >= 1);
                prop_assert_eq!(state.due, Some(Day(i as i64).plus(state.interval)));
            }
        }

        #[test]
        fn a_good_answer_never_shortens_the_interval(seq in grades(), last in 4u8..=5) {
            let mut state = Schedule::NEW;
            for q in seq {
                state = Sm2.schedule(&state, Grade::new(q).unwrap(), Day(0));
            }
            let next = Sm2.schedule(&state, Grade::new(last).unwrap(), Day(0));
            prop_assert!(next.interval >= state.interval);
        }
    }
}
