//! The study session as the CLI and the TUI share it: building today's queue
//! from the store, and recording an answer through the scheduler.

use crate::clock::Clock;
use crate::domain::seen::Seen;
use crate::domain::session::{answer_kind, pending_redrills, state_after};
use crate::domain::{Day, Grade, Limits, Scheduler, Session, Sm2};
use crate::error::Result;
use crate::storage::{AnswerRecord, Recorded, Scope, Store};

/// Today's queue for `scope`: due cards up to the review cap, new cards up
/// to each deck's daily limit, then the re-drills today's log asks for.
pub fn todays_session(store: &Store, scope: &Scope, today: Day, limits: Limits) -> Result<Session> {
    let answers = store.today_answers(scope, today)?;
    let due = store.due_cards(scope, today, limits.remaining_reviews(&answers))?;
    let mut new = Vec::new();
    for deck in store.deck_ids_in(scope)? {
        let room = limits.remaining_new(deck, &answers);
        if room > 0 {
            new.extend(store.new_cards(scope, deck, today, room)?);
        }
    }
    Ok(Session::new(due, new, pending_redrills(&answers)))
}

/// Studying ahead: cards not yet due, soonest first; never re-scheduled.
pub fn cram_session(store: &Store, scope: &Scope, today: Day, limit: u32) -> Result<Session> {
    Ok(Session::cram(store.upcoming_cards(scope, today, limit)?))
}

/// Records one answer to `seen`, the card as the user saw it, durably,
/// before returning. If the database no longer holds that card (pruned,
/// restored) or, for a card on screen, no longer in the state shown
/// (answered elsewhere), nothing is written: the error is `Error::Changed`.
pub fn answer(
    store: &mut Store,
    clock: &Clock,
    seen: Seen<'_>,
    grade: Grade,
    duration_ms: u32,
    cram: bool,
) -> Result<Recorded> {
    answer_with(store, clock, &Sm2, seen, grade, duration_ms, cram)
}

pub fn answer_with(
    store: &mut Store,
    clock: &Clock,
    scheduler: &dyn Scheduler,
    seen: Seen<'_>,
    grade: Grade,
    duration_ms: u32,
    cram: bool,
) -> Result<Recorded> {
    let now = clock.now();
    let day = clock.day_of(now);
    let record = AnswerRecord {
        grade,
        reviewed_at_ms: now.timestamp_millis(),
        utc_offset_secs: now.offset().local_minus_utc(),
        day,
        duration_ms,
    };
    store.record_answer(seen, record, |state, scheduled_today| {
        let kind = answer_kind(scheduled_today, cram);
        (kind, state_after(scheduler, state, grade, day, kind))
    })
}
