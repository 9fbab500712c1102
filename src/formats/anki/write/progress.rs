//! `--with-progress`: a recall card's SM-2 state as Anki's review state,
//! and its answers as `revlog` rows. Pure, so tested directly; the README
//! (Export to Anki › With progress) has the tables.
//!
//! Days: Anki counts a review card's `due` in days from the collection's
//! creation (`crt`). The package is created on the day of the export (see
//! `collection`), so a card due on recall's day `d` is due `d - created`.

use super::super::collection::{AnkiCard, AnkiReview};
use crate::domain::log::{LoggedAnswer, Replayed};
use crate::domain::{AnswerKind, Day, Grade, Schedule};

/// One card's state and log, as the package carries them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardProgress {
    pub schedule: Schedule,
    pub suspended: bool,
    /// Hidden while today is before this day.
    pub buried_until: Option<Day>,
    /// Every answer, oldest first.
    pub log: Vec<ExportedAnswer>,
}

/// One answer, the states it found and left, and for an answer that came
/// from Anki the kind Anki logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportedAnswer {
    pub answer: LoggedAnswer,
    pub step: Replayed,
    pub anki_kind: Option<u8>,
}

/// A new card's state: shown in `position` order, as Anki numbers new
/// cards. (Ids, note, deck and ord are the collection's to fill in.)
pub fn new_card(position: i64) -> AnkiCard {
    AnkiCard {
        id: 0,
        note: 0,
        deck: 0,
        ord: 0,
        kind: 0,
        queue: 0,
        due: position,
        interval: 0,
        factor: 0,
        reps: 0,
        lapses: 0,
        original_deck: 0,
        original_due: 0,
    }
}

/// The Anki state of `card`, in a collection created on day `created`;
/// `today` decides whether a burial still holds. A new card keeps
/// `position`.
pub fn card_state(card: &CardProgress, position: i64, created: Day, today: Day) -> AnkiCard {
    let s = &card.schedule;
    let Some(due) = s.due else {
        return with_queue(new_card(position), card, today);
    };
    // SM-2 counts a failed answer (even a new card's first) as a lapse and
    // starts the card again at one day: Anki's relearning, due on a day.
    let relearning = s.repetitions == 0;
    let state = AnkiCard {
        kind: if relearning { 3 } else { 2 },
        queue: if relearning { 3 } else { 2 },
        due: days(due.days_since(created)),
        interval: days(i64::from(s.interval.max(1))),
        factor: i64::from(s.efactor.0),
        // Anki counts every answer; recall's repetitions are the streak.
        reps: i64::try_from(card.log.len())
            .unwrap_or(i64::MAX)
            .max(i64::from(s.repetitions)),
        lapses: i64::from(s.lapses),
        ..new_card(position)
    };
    with_queue(state, card, today)
}

/// A count of days as Anki can hold it: its `due` and `ivl` columns are
/// 32-bit (`rslib` `Card`, `RevlogEntry`), and SM-2's intervals saturate at
/// `u32::MAX`; such a card goes out due on the last day Anki has.
fn days(n: i64) -> i64 {
    n.clamp(i64::from(i32::MIN), i64::from(i32::MAX))
}

/// The card's `data` column: the time (Unix seconds) of its last
/// scheduling answer as `lrt`, which Anki's database check otherwise adds
/// to every studied card; `""` for a card without one.
pub fn card_data(card: &CardProgress) -> String {
    let last = card
        .log
        .iter()
        .rev()
        .find(|a| a.step.kind != AnswerKind::Cram);
    last.map_or_else(String::new, |a| {
        format!("{{\"lrt\":{}}}", a.answer.reviewed_at_ms.div_euclid(1000))
    })
}

/// Suspension and burial override the queue, as in Anki (the type stays).
fn with_queue(state: AnkiCard, card: &CardProgress, today: Day) -> AnkiCard {
    let queue = if card.suspended {
        -1
    } else if card.buried_until.is_some_and(|until| until > today) {
        -3
    } else {
        state.queue
    };
    AnkiCard { queue, ..state }
}

/// Seconds logged as the interval of a re-drill: recall asks a failed card
/// again within the session, which Anki logs as a learning step of minutes
/// (its exact wait is not recorded, so a minute stands for it).
const REDRILL_STEP_SECS: i64 = 60;

/// recall's 0–5 grade as Anki's button: 0–2 (failed) Again, 3 Hard, 4 Good,
/// 5 Easy. Anki's importer in recall maps them back to 1, 3, 4, 5.
pub fn ease(grade: Grade) -> i64 {
    match grade.value() {
        0..=2 => 1,
        3 => 2,
        4 => 3,
        _ => 4,
    }
}

/// The `revlog` row of one answer (its card is the collection's to fill
/// in; its id is `at_ms` made unique, see `RevlogIds`).
pub fn revlog(answer: &ExportedAnswer) -> AnkiReview {
    let (before, after) = (&answer.step.before, &answer.step.after);
    let kind = match answer.anki_kind {
        // An answer that came from Anki goes back as Anki logged it.
        Some(kind) => i64::from(kind),
        None => match answer.step.kind {
            AnswerKind::Cram => 3,
            _ => anki_kind(before),
        },
    };
    let interval = match answer.step.kind {
        AnswerKind::Redrill => -REDRILL_STEP_SECS,
        _ => days(i64::from(after.interval)),
    };
    AnkiReview {
        at_ms: answer.answer.reviewed_at_ms,
        card: 0,
        ease: ease(answer.answer.grade),
        interval,
        last_interval: days(i64::from(before.interval)),
        factor: i64::from(after.efactor.0),
        time_ms: i64::from(answer.answer.duration_ms),
        kind,
    }
}

/// What Anki calls an answer given in state `before`: learning for a new
/// card, relearning after a lapse, review otherwise.
fn anki_kind(before: &Schedule) -> i64 {
    match (before.due, before.repetitions) {
        (None, _) => 0,
        (Some(_), 0) => 2,
        _ => 1,
    }
}

/// Review log ids are answer times in milliseconds, unique over the
/// collection: a time already taken moves on by a millisecond.
#[derive(Debug, Default)]
pub struct RevlogIds(std::collections::HashSet<i64>);

impl RevlogIds {
    pub fn take(&mut self, at_ms: i64) -> i64 {
        let mut id = at_ms;
        while !self.0.insert(id) {
            id += 1;
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EFactor;

    fn schedule(reps: u32, interval: u32, due: Option<i64>, lapses: u32) -> Schedule {
        Schedule {
            repetitions: reps,
            efactor: EFactor(2360),
            interval,
            due: due.map(Day),
            lapses,
        }
    }

    fn card(s: Schedule) -> CardProgress {
        CardProgress {
            schedule: s,
            suspended: false,
            buried_until: None,
            log: Vec::new(),
        }
    }

    fn answer(grade: u8, kind: AnswerKind, before: Schedule, after: Schedule) -> ExportedAnswer {
        ExportedAnswer {
            answer: LoggedAnswer {
                reviewed_at_ms: 1_800_000_000_000,
                utc_offset_secs: 0,
                day: Day(20_833),
                grade: Grade::new(grade).unwrap(),
                cram: kind == AnswerKind::Cram,
                duration_ms: 4_200,
            },
            step: Replayed {
                kind,
                before,
                after,
            },
            anki_kind: None,
        }
    }

    const CREATED: Day = Day(20_000);

    #[test]
    fn a_review_card_keeps_interval_ease_lapses_and_its_due_day() {
        let mut c = card(schedule(3, 15, Some(20_010), 1));
        c.log = vec![answer(4, AnswerKind::Schedule, Schedule::NEW, Schedule::NEW); 5];
        let s = card_state(&c, 7, CREATED, CREATED);
        assert_eq!((s.kind, s.queue, s.due, s.interval), (2, 2, 10, 15));
        assert_eq!((s.factor, s.reps, s.lapses), (2360, 5, 1));
        // Overdue cards are due before today, as in Anki.
        let overdue = card_state(&card(schedule(2, 6, Some(19_990), 0)), 7, CREATED, CREATED);
        assert_eq!((overdue.due, overdue.reps), (-10, 2));
    }

    #[test]
    fn intervals_past_what_anki_holds_are_its_largest() {
        let far = card(schedule(40, u32::MAX, Some(i64::from(u32::MAX) * 2), 0));
        let s = card_state(&far, 1, CREATED, CREATED);
        assert_eq!(
            (s.due, s.interval),
            (i64::from(i32::MAX), i64::from(i32::MAX))
        );
        let huge = schedule(40, u32::MAX, None, 0);
        let row = revlog(&answer(4, AnswerKind::Schedule, huge, huge));
        assert_eq!(row.interval, i64::from(i32::MAX));
    }

    #[test]
    fn new_cards_stay_new_in_position_order_and_failed_ones_relearn() {
        let s = card_state(&card(Schedule::NEW), 7, CREATED, CREATED);
        assert_eq!((s.kind, s.queue, s.due, s.reps), (0, 0, 7, 0));
        let s = card_state(&card(schedule(0, 1, Some(20_001), 2)), 7, CREATED, CREATED);
        assert_eq!((s.kind, s.queue, s.due, s.interval), (3, 3, 1, 1));
        assert_eq!(s.lapses, 2);
    }

    #[test]
    fn suspended_and_buried_cards_leave_their_queue_but_keep_their_type() {
        let mut c = card(schedule(2, 6, Some(20_003), 0));
        c.buried_until = Some(Day(20_001));
        assert_eq!(card_state(&c, 1, CREATED, CREATED).queue, -3);
        // A burial that has run out is no burial.
        assert_eq!(card_state(&c, 1, CREATED, Day(20_001)).queue, 2);
        c.suspended = true;
        let s = card_state(&c, 1, CREATED, CREATED);
        assert_eq!((s.kind, s.queue), (2, -1));
        let mut new = card(Schedule::NEW);
        new.suspended = true;
        assert_eq!(card_state(&new, 1, CREATED, CREATED).queue, -1);
    }

    #[test]
    fn the_last_scheduling_answer_is_the_last_review_time() {
        let mut c = card(schedule(1, 1, Some(20_001), 0));
        assert_eq!(card_data(&c), "");
        let mut first = answer(4, AnswerKind::Schedule, Schedule::NEW, c.schedule);
        let mut cram = first;
        first.answer.reviewed_at_ms = 1_700_000_000_999;
        cram.step.kind = AnswerKind::Cram;
        c.log = vec![first, cram];
        assert_eq!(card_data(&c), r#"{"lrt":1700000000}"#);
    }

    #[test]
    fn grades_become_anki_buttons() {
        let buttons: Vec<i64> = Grade::ALL.into_iter().map(ease).collect();
        assert_eq!(buttons, [1, 1, 1, 2, 3, 4]);
    }

    #[test]
    fn answers_become_revlog_rows_of_the_kind_anki_logs() {
        let new = Schedule::NEW;
        let learned = schedule(1, 1, Some(20_001), 0);
        let row = revlog(&answer(4, AnswerKind::Schedule, new, learned));
        assert_eq!(
            (row.ease, row.kind, row.interval, row.last_interval),
            (3, 0, 1, 0)
        );
        assert_eq!((row.factor, row.time_ms), (2360, 4_200));
        let reviewed = schedule(2, 6, Some(20_007), 0);
        assert_eq!(
            revlog(&answer(5, AnswerKind::Schedule, learned, reviewed)).kind,
            1
        );
        let lapsed = schedule(0, 1, Some(20_008), 1);
        let row = revlog(&answer(1, AnswerKind::Schedule, reviewed, lapsed));
        assert_eq!(
            (row.ease, row.kind, row.interval, row.last_interval),
            (1, 1, 1, 6)
        );
        let redrill = revlog(&answer(3, AnswerKind::Redrill, lapsed, lapsed));
        assert_eq!((redrill.kind, redrill.interval), (2, -60));
        assert_eq!(
            revlog(&answer(4, AnswerKind::Cram, reviewed, reviewed)).kind,
            3
        );
        let mut from_anki = answer(4, AnswerKind::Schedule, new, learned);
        from_anki.anki_kind = Some(1);
        assert_eq!(revlog(&from_anki).kind, 1);
    }

    #[test]
    fn revlog_ids_are_unique_answer_times() {
        let mut ids = RevlogIds::default();
        assert_eq!(ids.take(5), 5);
        assert_eq!(ids.take(5), 6);
        assert_eq!(ids.take(6), 7);
        assert_eq!(ids.take(1), 1);
    }
}
