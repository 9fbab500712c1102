//! The review log as history: replaying a card's answers in time order
//! through the scheduler gives its state, whatever machine they came from.

use super::card::{AnswerKind, Day, Grade, Schedule};
use super::session::{answer_kind, state_after};
use super::sm2::Scheduler;

/// One answer of a card's log, as exported and imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedAnswer {
    pub reviewed_at_ms: i64,
    pub utc_offset_secs: i32,
    /// The study day, from the local time and the rollover hour.
    pub day: Day,
    pub grade: Grade,
    /// Studying ahead: never schedules, whatever the day.
    pub cram: bool,
    pub duration_ms: u32,
}

/// How a replayed answer counted and what it did to the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replayed {
    pub kind: AnswerKind,
    pub before: Schedule,
    pub after: Schedule,
}

/// Replays one card's log (in time order) from a new card: the day's first
/// non-cram answer schedules, later ones that day are re-drills, exactly as
/// `recall answer` decides it.
pub fn replay(scheduler: &dyn Scheduler, log: &[LoggedAnswer]) -> Vec<Replayed> {
    replay_with(Schedule::NEW, log, |state, a, kind| {
        state_after(scheduler, state, a.grade, a.day, kind)
    })
    .into_iter()
    .map(|(kind, before, after)| Replayed {
        kind,
        before,
        after,
    })
    .collect()
}

/// The day rules of `replay` over any state (SM-2's `Schedule`, or FSRS's
/// `CardState`): each answer's kind, the state before it and after it.
pub fn replay_with<S: Copy>(
    start: S,
    log: &[LoggedAnswer],
    mut step: impl FnMut(&S, &LoggedAnswer, AnswerKind) -> S,
) -> Vec<(AnswerKind, S, S)> {
    let mut state = start;
    let mut scheduled_on: Option<Day> = None;
    log.iter()
        .map(|a| {
            let kind = answer_kind(scheduled_on == Some(a.day), a.cram);
            let after = step(&state, a, kind);
            if kind == AnswerKind::Schedule {
                scheduled_on = Some(a.day);
            }
            let before = state;
            state = after;
            (kind, before, after)
        })
        .collect()
}

/// An answer on `day` at midnight UTC, for tests.
/// The states of a card's `log` (in time order) replayed from new, and
/// from new again after each of its resets (`resets`, unix ms, in order):
/// as `recall reset` left the card, the history kept. Also where each
/// replay after a reset starts. A reset does not undo the day's
/// scheduling answer: later answers that day are redrills, as they were
/// when given (`storage::cards::Found::read` asks the log).
pub fn replay_between_resets(
    replay: impl Fn(&[LoggedAnswer]) -> Vec<Replayed>,
    log: &[LoggedAnswer],
    resets: &[i64],
) -> (Vec<Replayed>, Vec<usize>) {
    let restarts: Vec<usize> = resets
        .iter()
        .map(|&at| log.partition_point(|a| a.reviewed_at_ms <= at))
        .collect();
    let mut steps: Vec<Replayed> = Vec::with_capacity(log.len());
    let mut start = 0;
    for &end in restarts.iter().chain([&log.len()]) {
        let scheduled_on = log[..start]
            .iter()
            .zip(&steps)
            .rev()
            .find(|(_, s)| s.kind == AnswerKind::Schedule)
            .map(|(a, _)| a.day);
        let mut from = start;
        while from < end && Some(log[from].day) == scheduled_on {
            let kind = if log[from].cram {
                AnswerKind::Cram
            } else {
                AnswerKind::Redrill
            };
            steps.push(Replayed {
                kind,
                before: Schedule::NEW,
                after: Schedule::NEW,
            });
            from += 1;
        }
        steps.extend(replay(&log[from..end]));
        start = end;
    }
    (steps, restarts)
}

#[cfg(test)]
pub(crate) fn answer_on(day: i64, grade: u8) -> LoggedAnswer {
    LoggedAnswer {
        reviewed_at_ms: day * 86_400_000,
        utc_offset_secs: 0,
        day: Day(day),
        grade: Grade::new(grade).expect("a grade of 0 to 5"),
        cram: false,
        duration_ms: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Sm2;

    fn at(day: i64, grade: u8, cram: bool) -> LoggedAnswer {
        LoggedAnswer {
            cram,
            ..answer_on(day, grade)
        }
    }

    #[test]
    fn first_answer_of_the_day_schedules_and_the_rest_redrill() {
        let steps = replay(
            &Sm2,
            &[at(10, 2, false), at(10, 4, false), at(11, 5, false)],
        );
        let kinds: Vec<_> = steps.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![
                AnswerKind::Schedule,
                AnswerKind::Redrill,
                AnswerKind::Schedule
            ]
        );
        assert_eq!(steps[0].after.lapses, 1);
        assert_eq!(steps[1].after, steps[0].after);
        assert_eq!(steps[2].before, steps[0].after);
        assert_eq!(steps[2].after.due, Some(Day(12)));
    }

    #[test]
    fn cram_answers_leave_the_schedule_and_do_not_use_up_the_day() {
        let steps = replay(&Sm2, &[at(10, 0, true), at(10, 5, false)]);
        assert_eq!(steps[0].kind, AnswerKind::Cram);
        assert_eq!(steps[0].after, Schedule::NEW);
        assert_eq!(steps[1].kind, AnswerKind::Schedule);
        assert_eq!(steps[1].after.repetitions, 1);
    }
}
