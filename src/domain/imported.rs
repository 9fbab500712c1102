//! Answers another program logged (Anki's review log, imported with
//! `--with-progress`). recall keeps them as answers of its own log, marked
//! as imported, with the card's state before and after each as that program
//! recorded it: Anki's intervals and eases, not SM-2's recomputed.

use super::card::{AnswerKind, Day, EFactor, Grade, Schedule};
use super::log::{LoggedAnswer, Replayed};
use super::session::answer_kind;

/// The kinds of answer Anki logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignKind {
    /// A new card's learning steps.
    Learn,
    Review,
    /// A forgotten card's steps.
    Relearn,
    /// Studied in a filtered deck (ahead of schedule): recall's cram.
    Filtered,
}

/// One answer of another program's log, for the card `key` of `deck`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignAnswer {
    pub deck: String,
    pub key: String,
    pub reviewed_at_ms: i64,
    pub grade: Grade,
    pub kind: ForeignKind,
    pub duration_ms: u32,
    /// Days to the next review after this answer (0 during learning steps).
    pub interval: u32,
    /// The ease after this answer; `None` when none was logged.
    pub efactor: Option<EFactor>,
}

/// One imported answer as a step of recall's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportedStep {
    pub answer: LoggedAnswer,
    pub step: Replayed,
    pub kind: ForeignKind,
}

/// One card's imported answers, as steps of recall's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardHistory {
    pub deck: String,
    pub key: String,
    pub steps: Vec<ImportedStep>,
}

/// Answers of any cards, grouped by card (in the order cards first appear)
/// and each card's put in time order, as `steps`.
pub fn histories(
    answers: Vec<ForeignAnswer>,
    moment: impl Fn(i64) -> (Day, i32),
) -> Vec<CardHistory> {
    let mut order: std::collections::HashMap<(String, String), usize> = Default::default();
    let mut numbered: Vec<(usize, ForeignAnswer)> = answers
        .into_iter()
        .map(|a| {
            let next = order.len();
            let card = *order.entry((a.deck.clone(), a.key.clone())).or_insert(next);
            (card, a)
        })
        .collect();
    numbered.sort_by_key(|(card, a)| (*card, a.reviewed_at_ms));
    let answers: Vec<ForeignAnswer> = numbered.into_iter().map(|(_, a)| a).collect();
    answers
        .chunk_by(|a, b| a.deck == b.deck && a.key == b.key)
        .map(|card| CardHistory {
            deck: card[0].deck.clone(),
            key: card[0].key.clone(),
            steps: steps(card, &moment),
        })
        .collect()
}

/// One card's answers, oldest first, as steps of recall's log. `moment`
/// gives an answer's study day and UTC offset from its Unix milliseconds.
/// As in recall, a day's first answer schedules and later ones re-drill;
/// the states follow the intervals and eases the program logged.
pub fn steps(answers: &[ForeignAnswer], moment: impl Fn(i64) -> (Day, i32)) -> Vec<ImportedStep> {
    let mut state = Schedule::NEW;
    let mut scheduled_on: Option<Day> = None;
    answers
        .iter()
        .map(|a| {
            let (day, offset) = moment(a.reviewed_at_ms);
            let cram = a.kind == ForeignKind::Filtered;
            let kind = answer_kind(scheduled_on == Some(day), cram);
            if kind == AnswerKind::Schedule {
                scheduled_on = Some(day);
            }
            let after = if cram {
                state
            } else {
                Schedule {
                    repetitions: if a.grade.passed() {
                        state
                            .repetitions
                            .saturating_add(u32::from(kind == AnswerKind::Schedule))
                    } else {
                        0
                    },
                    efactor: a.efactor.map_or(state.efactor, |e| e.max(EFactor::MIN)),
                    interval: a.interval,
                    due: Some(day.plus(a.interval)),
                    lapses: state.lapses.saturating_add(u32::from(
                        a.kind == ForeignKind::Review && !a.grade.passed(),
                    )),
                }
            };
            let step = ImportedStep {
                answer: LoggedAnswer {
                    reviewed_at_ms: a.reviewed_at_ms,
                    utc_offset_secs: offset,
                    day,
                    grade: a.grade,
                    cram,
                    duration_ms: a.duration_ms,
                },
                step: Replayed {
                    kind,
                    before: state,
                    after,
                },
                kind: a.kind,
            };
            state = after;
            step
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(hour: i64, grade: u8, kind: ForeignKind, interval: u32) -> ForeignAnswer {
        ForeignAnswer {
            deck: "d".into(),
            key: "k".into(),
            reviewed_at_ms: hour * 3_600_000,
            grade: Grade::new(grade).unwrap(),
            kind,
            duration_ms: 1000,
            interval,
            efactor: (kind == ForeignKind::Review).then_some(EFactor(2350)),
        }
    }

    #[test]
    fn answers_are_grouped_by_card_in_time_order() {
        let mut late = answer(5, 4, ForeignKind::Review, 2);
        late.key = "other".into();
        let log = vec![
            answer(3, 4, ForeignKind::Review, 2),
            late,
            answer(1, 1, ForeignKind::Learn, 0),
        ];
        let cards = histories(log, |ms| (Day(ms.div_euclid(86_400_000)), 0));
        assert_eq!(cards.len(), 2);
        assert_eq!((cards[0].key.as_str(), cards[0].steps.len()), ("k", 2));
        assert_eq!(cards[0].steps[0].answer.reviewed_at_ms, 3_600_000);
        assert_eq!(cards[1].key, "other");
    }

    #[test]
    fn a_day_s_first_answer_schedules_and_states_follow_anki() {
        use ForeignKind::*;
        let log = [
            answer(0, 1, Learn, 0),
            answer(1, 4, Learn, 1),
            answer(30, 4, Review, 3),
            answer(100, 1, Review, 1),
            answer(101, 5, Filtered, 1),
        ];
        let steps = steps(&log, |ms| (Day(ms.div_euclid(86_400_000)), 0));
        let kinds: Vec<_> = steps.iter().map(|s| s.step.kind).collect();
        assert_eq!(
            kinds,
            [
                AnswerKind::Schedule,
                AnswerKind::Redrill,
                AnswerKind::Schedule,
                AnswerKind::Schedule,
                AnswerKind::Cram
            ]
        );
        assert_eq!(steps[1].step.after.interval, 1);
        assert_eq!(steps[1].step.after.efactor, EFactor::INITIAL);
        let review = steps[2].step.after;
        assert_eq!(
            (review.interval, review.efactor, review.due),
            (3, EFactor(2350), Some(Day(4)))
        );
        assert_eq!(review.repetitions, 1);
        assert_eq!(steps[3].step.after.lapses, 1);
        assert_eq!(steps[3].step.after.repetitions, 0);
        assert_eq!(steps[4].step.after, steps[3].step.after);
        assert_eq!(steps[2].step.before, steps[1].step.after);
    }
}
