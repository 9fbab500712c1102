//! The study session as the CLI and the TUI share it: building today's queue
//! from the store, and recording an answer through the scheduler.

use std::path::PathBuf;

use crate::clock::Clock;
use crate::domain::query::Query;
use crate::domain::session::{answer_kind, pending_redrills, state_after};
use crate::domain::{CardId, Day, Grade, Limits, Scheduler, Session, Sm2};
use crate::error::{Error, Result};
use crate::storage::{AnswerRecord, Deleted, Recorded, Scope, Store};

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

/// Records one answer, durably, before returning.
pub fn answer(
    store: &mut Store,
    clock: &Clock,
    card: CardId,
    grade: Grade,
    duration_ms: u32,
    cram: bool,
) -> Result<Recorded> {
    answer_with(store, clock, &Sm2, card, grade, duration_ms, cram)
}

pub fn answer_with(
    store: &mut Store,
    clock: &Clock,
    scheduler: &dyn Scheduler,
    card: CardId,
    grade: Grade,
    duration_ms: u32,
    cram: bool,
) -> Result<Recorded> {
    let now = clock.now();
    let day = clock.day_of(now);
    let record = AnswerRecord {
        card,
        grade,
        reviewed_at_ms: now.timestamp_millis(),
        utc_offset_secs: now.offset().local_minus_utc(),
        day,
        duration_ms,
    };
    store.record_answer(record, |state, scheduled_today| {
        let kind = answer_kind(scheduled_today, cram);
        (kind, state_after(scheduler, state, grade, day, kind))
    })
}

/// The card a person names on the command line: its number (as `recall
/// next` and `recall cards` print it), or `DECK/ID` with the deck typed as
/// `resolve_deck` accepts it. A deck name may hold `/`: every split is tried.
pub fn find_card(store: &Store, name: &str) -> Result<CardId> {
    if let Ok(id) = name.parse::<CardId>() {
        return match store.card(id)? {
            Some(_) => Ok(id),
            None => Err(Error::invalid(format!(
                "no card with number {id}; `recall cards` lists them"
            ))),
        };
    }
    let splits: Vec<(&str, &str)> = name
        .match_indices('/')
        .map(|(i, _)| (&name[..i], &name[i + 1..]))
        .collect();
    let Some(&(last_deck, last_key)) = splits.last() else {
        return Err(Error::invalid(format!(
            "{name:?} is not a card: give its number or DECK/ID (see `recall cards`)"
        )));
    };
    for &(deck, key) in splits.iter().rev() {
        if let Ok((_, deck)) = store.resolve_deck(deck)
            && let Some(id) = store.card_by_key(&deck, key)?
        {
            return Ok(id);
        }
    }
    // The error of the likeliest reading: an unknown deck, or no such card in it.
    let (_, deck) = store.resolve_deck(last_deck)?;
    Err(Error::invalid(format!(
        "deck {deck:?} has no card with id {last_key:?}"
    )))
}

/// The cards named one by one, or every match of a query: what the card
/// commands act on.
pub fn find_cards(
    store: &Store,
    names: &[String],
    query: Option<&Query>,
    today: Day,
) -> Result<Vec<CardId>> {
    let mut ids = names
        .iter()
        .map(|name| find_card(store, name))
        .collect::<Result<Vec<_>>>()?;
    if let Some(query) = query {
        ids.extend(store.search_ids(query, today)?);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Deletes a deck with its cards and history, after saving the database
/// into `backups/` (kept even when automatic backups are off). Returns the
/// backup and what went.
pub fn delete_deck(
    store: &mut Store,
    deck: i64,
    keep_backups: usize,
) -> Result<(PathBuf, Deleted)> {
    let backup = store.backup_into_folder("before-deck-delete", keep_backups)?;
    let deleted = store.delete_deck(deck)?;
    Ok((backup, deleted))
}
