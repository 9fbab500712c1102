//! The workload a scheduler would give: a simple simulation, the same for
//! SM-2 and FSRS so their numbers compare. Pure and seeded.
//!
//! The user's memory is taken to be FSRS with the fitted parameters (the
//! model that predicts their history best, as `recall fsrs evaluate`
//! measures): each simulated day, every card the scheduler under test has
//! due is answered; it is recalled with the probability that model gives
//! after the days since its last answer, graded as the fsrs crate's
//! simulator grades (its default rating probabilities: a recalled card is
//! Hard, Good or Easy; a new card's first rating by its own table), and
//! the scheduler under test picks the next due day. New cards come in up
//! to the daily new-card limit. Counted: the answers that schedule, one
//! per card and day (same-day re-drills are left out).

use super::card::{AnswerKind, Day, Grade};
use super::fsrs::{CardState, Fsrs, Memory};
use super::rng::SplitMix64;
use super::scheduler::DeckScheduler;

/// One card as the simulation starts it.
#[derive(Debug, Clone, Copy)]
pub struct SimCard {
    /// Its state under the scheduler being simulated.
    pub state: CardState,
    /// Its memory under the model of the user's memory, and the day of its
    /// last answer; `None` for a card not yet studied.
    pub truth: Option<(Memory, Day)>,
}

/// What to simulate.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub today: Day,
    pub days: u32,
    pub new_per_day: u32,
    pub seed: u64,
}

/// An index drawn with the weights `p`.
fn pick(rng: &mut SplitMix64, p: &[f32]) -> usize {
    let total: f32 = p.iter().sum();
    let mut u = rng.next_f32() * total;
    for (i, &w) in p.iter().enumerate() {
        if u < w {
            return i;
        }
        u -= w;
    }
    p.len().saturating_sub(1)
}

/// Answers that schedule on each simulated day.
pub fn simulate(
    scheduler: &DeckScheduler,
    truth: &Fsrs,
    cards: &[SimCard],
    plan: Plan,
) -> Vec<u32> {
    let defaults = fsrs::SimulatorConfig::default();
    let grade = |i: usize| Grade::ALL[[1, 3, 4, 5][i]];
    let mut rng = SplitMix64(plan.seed);
    let mut cards = cards.to_vec();
    let mut waiting: Vec<usize> = (0..cards.len())
        .filter(|&i| cards[i].truth.is_none())
        .rev()
        .collect();
    let mut per_day = Vec::with_capacity(plan.days as usize);
    for d in 0..plan.days {
        let day = plan.today.plus(d);
        let mut answered = 0;
        for _ in 0..plan.new_per_day {
            let Some(i) = waiting.pop() else { break };
            let g = grade(pick(&mut rng, &defaults.first_rating_prob));
            let card = &mut cards[i];
            card.state = scheduler.answer(&card.state, g, day, AnswerKind::Schedule);
            card.truth = Some((truth.memory_after(None, 0, g), day));
            answered += 1;
        }
        for card in cards.iter_mut() {
            let Some((memory, last)) = card.truth else {
                continue;
            };
            if last == day || card.state.schedule.due.is_none_or(|due| due > day) {
                continue;
            }
            let elapsed = u32::try_from(day.0 - last.0).unwrap_or(0);
            let g = if rng.next_f32() < truth.recall_probability(memory, elapsed) {
                grade(1 + pick(&mut rng, &defaults.review_rating_prob))
            } else {
                grade(0)
            };
            card.state = scheduler.answer(&card.state, g, day, AnswerKind::Schedule);
            card.truth = Some((truth.memory_after(Some(memory), elapsed, g), day));
            answered += 1;
        }
        per_day.push(answered);
    }
    per_day
}

/// The mean of the first `days` of `per_day`.
pub fn mean(per_day: &[u32], days: usize) -> f64 {
    let part = &per_day[..days.min(per_day.len())];
    part.iter().map(|&n| f64::from(n)).sum::<f64>() / part.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_cards(n: usize) -> Vec<SimCard> {
        vec![
            SimCard {
                state: CardState::NEW,
                truth: None,
            };
            n
        ]
    }

    fn plan(seed: u64) -> Plan {
        Plan {
            today: Day(1000),
            days: 60,
            new_per_day: 5,
            seed,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_days() {
        let truth = Fsrs::new(&[], 0.9).unwrap();
        let s = DeckScheduler::Fsrs(truth.clone());
        let a = simulate(&s, &truth, &new_cards(100), plan(7));
        assert_eq!(a, simulate(&s, &truth, &new_cards(100), plan(7)));
        assert_eq!(a.len(), 60);
        // Five new cards a day for twenty days, then only reviews.
        assert!(a[0] == 5 && a[25] > 0);
        assert!(a.iter().map(|&n| u64::from(n)).sum::<u64>() > 100);
    }

    #[test]
    fn a_higher_retention_asks_for_more_reviews() {
        let truth = Fsrs::new(&[], 0.9).unwrap();
        let total = |r: f32| {
            let s = DeckScheduler::Fsrs(Fsrs::new(&[], r).unwrap());
            simulate(&s, &truth, &new_cards(200), plan(3))
                .iter()
                .sum::<u32>()
        };
        assert!(total(0.97) > total(0.8));
    }

    #[test]
    fn mean_of_the_first_days() {
        assert_eq!(mean(&[2, 4, 9], 2), 3.0);
        assert_eq!(mean(&[], 30), 0.0);
    }
}
