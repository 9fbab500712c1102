//! The scheduler a deck uses: SM-2 (the default) or FSRS. A closed choice
//! of two, so an enum: each answer and each preview asks the deck's value,
//! which works on the whole `CardState` (SM-2 reads and writes only its
//! `Schedule`, through the `Scheduler` trait, unchanged and exact).

use std::fmt;
use std::str::FromStr;

use super::card::{AnswerKind, Day, Grade, Schedule};
use super::fsrs::{CardState, Fsrs};
use super::log::{LoggedAnswer, replay_with};
use super::session::state_after;
use super::sm2::{Scheduler, Sm2};

/// Which algorithm, as stored and typed: `sm2` or `fsrs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SchedulerKind {
    #[default]
    Sm2,
    Fsrs,
}

impl SchedulerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SchedulerKind::Sm2 => "sm2",
            SchedulerKind::Fsrs => "fsrs",
        }
    }
}

impl fmt::Display for SchedulerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SchedulerKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "sm2" | "sm-2" => Ok(SchedulerKind::Sm2),
            "fsrs" => Ok(SchedulerKind::Fsrs),
            _ => Err(format!(
                "{s:?} is not a scheduler: the choices are sm2 and fsrs"
            )),
        }
    }
}

/// What a deck without its own setting uses (the config file's
/// `scheduler` and `desired_retention`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Defaults {
    pub scheduler: SchedulerKind,
    pub retention: f32,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            scheduler: SchedulerKind::Sm2,
            retention: super::fsrs::DEFAULT_RETENTION,
        }
    }
}

/// A deck's scheduler, ready to schedule.
#[derive(Debug, Clone)]
pub enum DeckScheduler {
    Sm2,
    Fsrs(Fsrs),
}

impl DeckScheduler {
    pub fn kind(&self) -> SchedulerKind {
        match self {
            DeckScheduler::Sm2 => SchedulerKind::Sm2,
            DeckScheduler::Fsrs(_) => SchedulerKind::Fsrs,
        }
    }

    pub fn fsrs(&self) -> Option<&Fsrs> {
        match self {
            DeckScheduler::Sm2 => None,
            DeckScheduler::Fsrs(f) => Some(f),
        }
    }

    /// The state after an answer of `kind`.
    pub fn answer(
        &self,
        state: &CardState,
        grade: Grade,
        today: Day,
        kind: AnswerKind,
    ) -> CardState {
        match self {
            DeckScheduler::Sm2 => {
                CardState::sm2(state_after(&Sm2, &state.schedule, grade, today, kind))
            }
            DeckScheduler::Fsrs(f) => f.answer(state, grade, today, kind),
        }
    }

    /// The interval each grade (0 to 5) would give if answered today: what
    /// the review screen's grade bar shows.
    pub fn intervals(&self, state: &CardState, today: Day) -> [u32; 6] {
        match self {
            DeckScheduler::Sm2 => {
                Grade::ALL.map(|grade| Sm2.schedule(&state.schedule, grade, today).interval)
            }
            DeckScheduler::Fsrs(f) => f.intervals(state, today),
        }
    }

    /// A card's state from its log replayed from `start` (a new card, or
    /// the state its log begins from when the log does not go back to its
    /// first answer), with the day rules of `recall answer`. Also returns
    /// the time of the last answer that scheduled.
    pub fn replay(&self, start: Schedule, log: &[LoggedAnswer]) -> (CardState, Option<i64>) {
        let memory = match self {
            DeckScheduler::Fsrs(f) => f.memory_from_sm2(&start),
            DeckScheduler::Sm2 => None,
        };
        let first = CardState {
            schedule: start,
            memory,
        };
        let steps = replay_with(first, log, |state, a, kind| {
            self.answer(state, a.grade, a.day, kind)
        });
        let last_scheduled = log
            .iter()
            .zip(&steps)
            .filter(|(_, (kind, _, _))| *kind == AnswerKind::Schedule)
            .map(|(a, _)| a.reviewed_at_ms)
            .next_back();
        let state = steps.last().map_or(first, |(_, _, after)| *after);
        (state, last_scheduled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::log::replay;

    use crate::domain::log::answer_on as at;

    #[test]
    fn kinds_parse_as_typed_and_refuse_others() {
        assert_eq!("FSRS".parse(), Ok(SchedulerKind::Fsrs));
        assert_eq!("sm2".parse(), Ok(SchedulerKind::Sm2));
        assert!(
            "anki"
                .parse::<SchedulerKind>()
                .unwrap_err()
                .contains("sm2 and fsrs")
        );
    }

    #[test]
    fn sm2_replay_is_the_log_replay_of_sm2() {
        let log = [at(1, 4), at(1, 2), at(2, 5), at(8, 3)];
        let (state, last) = DeckScheduler::Sm2.replay(Schedule::NEW, &log);
        let steps = replay(&Sm2, &log);
        assert_eq!(state, CardState::sm2(steps.last().unwrap().after));
        assert_eq!(last, Some(8 * 86_400_000));
    }

    #[test]
    fn fsrs_replay_answers_as_recall_answer_would() {
        let f = Fsrs::new(&[], 0.9).unwrap();
        let log = [at(1, 4), at(1, 2), at(4, 5)];
        let (state, _) = DeckScheduler::Fsrs(f.clone()).replay(Schedule::NEW, &log);
        let mut live = f.answer(&CardState::NEW, log[0].grade, Day(1), AnswerKind::Schedule);
        live = f.answer(&live, log[1].grade, Day(1), AnswerKind::Redrill);
        live = f.answer(&live, log[2].grade, Day(4), AnswerKind::Schedule);
        assert_eq!(state, live);
    }
}
