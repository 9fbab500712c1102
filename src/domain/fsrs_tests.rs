//! Golden tests of `fsrs.rs` against the crate's own scheduling: the
//! expected values come from calling the crate directly, never from numbers
//! printed once.

use super::*;
use fsrs::{FSRSItem, FSRSReview};

fn g(q: u8) -> Grade {
    Grade::new(q).unwrap()
}

fn fsrs() -> Fsrs {
    Fsrs::new(&[], 0.9).unwrap()
}

/// Answers `grades`, each on the day it falls due: (interval, memory).
fn run(f: &Fsrs, grades: &[u8]) -> Vec<(u32, Memory)> {
    let mut state = CardState::NEW;
    let mut day = Day(20_000);
    grades
        .iter()
        .map(|&q| {
            state = f.answer(&state, g(q), day, AnswerKind::Schedule);
            day = state.schedule.due.unwrap();
            (state.schedule.interval, state.memory.unwrap())
        })
        .collect()
}

/// The same answers stepped through the crate directly.
fn expected(grades: &[u8]) -> Vec<(u32, Memory)> {
    let model = FSRS::new(&[]).unwrap();
    let mut memory: Option<MemoryState> = None;
    let mut elapsed = 0;
    grades
        .iter()
        .map(|&q| {
            let states = model.next_states(memory, 0.9, elapsed).unwrap();
            let next = match rating(g(q)) {
                1 => states.again,
                2 => states.hard,
                3 => states.good,
                _ => states.easy,
            };
            memory = Some(next.memory);
            elapsed = next.interval.round().max(1.0) as u32;
            (elapsed, next.memory.into())
        })
        .collect()
}

#[test]
fn grades_map_onto_the_four_ratings() {
    let ratings: Vec<u32> = Grade::ALL.iter().map(|&q| rating(q)).collect();
    assert_eq!(ratings, vec![1, 1, 1, 2, 3, 4]);
}

#[test]
fn golden_sequences_follow_the_crate() {
    for grades in [
        &[4, 4, 4, 4][..],
        &[5, 5, 5],
        &[3, 4, 2, 4, 5],
        &[0, 1, 4, 4, 3, 5],
    ] {
        assert_eq!(run(&fsrs(), grades), expected(grades), "grades {grades:?}");
    }
}

#[test]
fn memory_after_a_log_equals_the_crates_memory_state() {
    // Good on day 0, re-drill Good the same day, Hard 3 days later.
    let f = fsrs();
    let mut state = f.answer(&CardState::NEW, g(4), Day(100), AnswerKind::Schedule);
    state = f.answer(&state, g(4), Day(100), AnswerKind::Redrill);
    state = f.answer(&state, g(3), Day(103), AnswerKind::Schedule);
    let item = FSRSItem {
        reviews: vec![
            FSRSReview {
                rating: 3,
                delta_t: 0,
            },
            FSRSReview {
                rating: 3,
                delta_t: 0,
            },
            FSRSReview {
                rating: 2,
                delta_t: 3,
            },
        ],
    };
    let crate_memory = FSRS::new(&[]).unwrap().memory_state(item, None).unwrap();
    assert_eq!(state.memory, Some(crate_memory.into()));
}

#[test]
fn a_redrill_moves_memory_but_not_the_due_day() {
    let f = fsrs();
    let first = f.answer(&CardState::NEW, g(1), Day(10), AnswerKind::Schedule);
    let again = f.answer(&first, g(4), Day(10), AnswerKind::Redrill);
    assert_eq!(again.schedule, first.schedule);
    assert_ne!(again.memory, first.memory);
    let cram = f.answer(&again, g(0), Day(10), AnswerKind::Cram);
    assert_eq!(cram, again);
}

#[test]
fn lapses_and_repetitions_count_as_under_sm2() {
    let f = fsrs();
    let mut state = CardState::NEW;
    for (day, q) in [(0, 4), (3, 5), (20, 2)] {
        state = f.answer(&state, g(q), Day(day), AnswerKind::Schedule);
    }
    assert_eq!((state.schedule.repetitions, state.schedule.lapses), (0, 1));
    assert_eq!(state.schedule.efactor, Schedule::NEW.efactor);
}

#[test]
fn intervals_preview_what_answering_gives() {
    let f = fsrs();
    let state = f.answer(&CardState::NEW, g(4), Day(0), AnswerKind::Schedule);
    let today = state.schedule.due.unwrap();
    let shown = f.intervals(&state, today);
    for q in Grade::ALL {
        let next = f.answer(&state, q, today, AnswerKind::Schedule);
        assert_eq!(shown[q.value() as usize], next.schedule.interval);
    }
    assert!(shown[5] > shown[4] && shown[4] > shown[3]);
}

#[test]
fn retrievability_is_the_crates_and_the_retention_on_the_due_day() {
    let f = fsrs();
    let state = f.answer(&CardState::NEW, g(4), Day(0), AnswerKind::Schedule);
    let memory: MemoryState = state.memory.unwrap().into();
    let due = state.schedule.due.unwrap();
    let r = f.retrievability(&state, due).unwrap();
    let elapsed = state.schedule.interval as f32;
    assert_eq!(
        r,
        fsrs::current_retrievability(memory, elapsed, fsrs::FSRS6_DEFAULT_DECAY)
    );
    assert_eq!(f.retrievability(&state, Day(0)), Some(1.0));
    assert_eq!(f.retrievability(&CardState::NEW, Day(0)), None);
}

#[test]
fn bad_retention_or_parameters_are_refused_with_a_reason() {
    assert!(Fsrs::new(&[], 1.5).unwrap_err().contains("retention"));
    assert!(
        Fsrs::new(&[1.0, 2.0], 0.9)
            .unwrap_err()
            .contains("parameters")
    );
}

#[test]
fn a_card_reset_to_new_starts_afresh_whatever_memory_it_held() {
    let f = fsrs();
    let learned = f.answer(&CardState::NEW, g(5), Day(0), AnswerKind::Schedule);
    let reset = CardState {
        schedule: Schedule::NEW,
        memory: learned.memory,
    };
    let again = f.answer(&reset, g(4), Day(30), AnswerKind::Schedule);
    let fresh = f.answer(&CardState::NEW, g(4), Day(30), AnswerKind::Schedule);
    assert_eq!(again, fresh);
    assert_eq!(
        f.intervals(&reset, Day(30)),
        f.intervals(&CardState::NEW, Day(30))
    );
    assert_eq!(f.retrievability(&reset, Day(30)), None);
}
