//! The study session as the CLI and the TUI share it: building today's queue
//! from the store, and recording an answer through the scheduler.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::clock::Clock;
use crate::domain::Scope;
use crate::domain::query::Query;
use crate::domain::seen::Seen;
use crate::domain::session::{answer_kind, pending_redrills};
use crate::domain::siblings::note_key;
use crate::domain::{
    Card, CardId, Day, DeckScheduler, Grade, Limits, Scheduler, Session, Sm2, TodayAnswer,
};
use crate::error::{Error, Result};
use crate::storage::{AnswerRecord, Candidate, Deleted, Recorded, Store};
use crate::workflows::scheduling;

/// Today's queue for `scope`: due cards up to the review caps (global, and
/// each deck's own), new cards up to each deck's daily limit, then the
/// re-drills today's log asks for. With `bury_siblings`, one card per note:
/// none of a note answered today, and one of a note not yet answered.
pub fn todays_session(
    store: &Store,
    scope: &Scope,
    today: Day,
    limits: &Limits,
) -> Result<Session> {
    let answers = store.today_answers(scope, today)?;
    let decks = store.decks_in(scope)?;
    let mut notes = Notes::new(limits.bury_siblings, store, today)?;
    let due = due_cards(store, scope, today, limits, &decks, &answers, &mut notes)?;
    let mut new = Vec::new();
    for (deck, name) in &decks {
        let room = limits.for_deck(name).remaining_new(*deck, &answers);
        let found = take(
            room,
            |n| store.new_cards(scope, *deck, today, n),
            &mut notes,
        )?;
        new.extend(found.into_iter().map(|c| c.id));
    }
    Ok(Session::new(due, new, pending_redrills(&answers)))
}

/// Due cards, oldest first, under the global review cap and each deck's own.
fn due_cards(
    store: &Store,
    scope: &Scope,
    today: Day,
    limits: &Limits,
    decks: &[(i64, String)],
    answers: &[TodayAnswer],
    notes: &mut Notes,
) -> Result<Vec<CardId>> {
    let room = limits.remaining_reviews(answers);
    if !limits.has_deck_review_caps() {
        let due = take(room, |n| store.due_cards(scope, today, n), notes)?;
        return Ok(due.into_iter().map(|c| c.id).collect());
    }
    // Each deck up to its own cap, then the oldest `room` of them all.
    let mut due = Vec::new();
    for (deck, name) in decks {
        let caps = limits.for_deck(name);
        let cap = caps
            .remaining_reviews(*deck, answers)
            .map_or(room, |c| c.min(room));
        due.extend(take(
            cap,
            |n| store.due_cards_in(scope, *deck, today, n),
            notes,
        )?);
    }
    due.sort_by_key(|c| (c.due, c.id));
    Ok(due.into_iter().take(room as usize).map(|c| c.id).collect())
}

/// The sibling rule: the notes that already have a card today.
struct Notes {
    bury_siblings: bool,
    taken: HashSet<(i64, String)>,
}

impl Notes {
    fn new(bury_siblings: bool, store: &Store, today: Day) -> Result<Notes> {
        let mut taken = HashSet::new();
        if bury_siblings {
            for (deck, key) in store.answered_on(today)? {
                taken.insert((deck, note_key(&key).to_owned()));
            }
        }
        Ok(Notes {
            bury_siblings,
            taken,
        })
    }

    /// Whether `card` may come up today; if so, its note is taken.
    fn take(&mut self, card: &Candidate) -> bool {
        !self.bury_siblings
            || self
                .taken
                .insert((card.deck, note_key(&card.key).to_owned()))
    }
}

/// Up to `room` cards from `fetch` (a query returning its first `n` rows)
/// that the sibling rule lets through. Cards set aside for a sibling do not
/// count, so the query is asked again for more until `room` is filled or it
/// has no more to give.
fn take(
    room: u32,
    fetch: impl Fn(u32) -> Result<Vec<Candidate>>,
    notes: &mut Notes,
) -> Result<Vec<Candidate>> {
    let mut kept = Vec::new();
    let (mut limit, mut seen) = (room, 0);
    while kept.len() < room as usize {
        let found = fetch(limit)?;
        for card in found.iter().skip(seen) {
            if kept.len() == room as usize {
                break;
            }
            if notes.take(card) {
                kept.push(card.clone());
            }
        }
        if found.len() < limit as usize {
            break;
        }
        seen = found.len();
        limit = limit.saturating_mul(2);
    }
    Ok(kept)
}

/// Studying ahead: cards not yet due, soonest first; never re-scheduled.
pub fn cram_session(store: &Store, scope: &Scope, today: Day, limit: u32) -> Result<Session> {
    Ok(Session::cram(store.upcoming_cards(scope, today, limit)?))
}

/// The scheduler of the merge of imported logs, which rewrites SM-2 states
/// (FSRS decks are replayed after it: `scheduling::replay_fsrs_decks`).
/// Answers go through their deck's scheduler (`scheduling::for_deck`).
pub const SCHEDULER: &dyn Scheduler = &Sm2;

/// The interval each grade (0 to 5) would give `card` if answered today,
/// under its deck's scheduler: what the review screen's grade bar shows.
pub fn intervals(store: &Store, card: &Card, today: Day) -> Result<[u32; 6]> {
    let scheduler = scheduling::for_deck(store, &card.deck)?;
    let state = scheduling::card_state(store, card.id, card.schedule)?;
    Ok(scheduler.intervals(&state, today))
}

/// Records one answer to `seen`, the card as the user saw it, durably,
/// before returning, through its deck's scheduler. If the database no
/// longer holds that card (pruned, restored) or, for a card on screen, no
/// longer in the state shown (answered elsewhere), nothing is written: the
/// error is `Error::Changed`.
pub fn answer(
    store: &mut Store,
    clock: &Clock,
    seen: Seen<'_>,
    grade: Grade,
    duration_ms: u32,
    cram: bool,
) -> Result<Recorded> {
    let scheduler = scheduling::for_deck(store, &seen.card().deck)?;
    answer_with(store, clock, &scheduler, seen, grade, duration_ms, cram)
}

pub fn answer_with(
    store: &mut Store,
    clock: &Clock,
    scheduler: &DeckScheduler,
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
        (kind, scheduler.answer(state, grade, day, kind))
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

/// Deletes cards with their history, after saving the database into
/// `backups/`, as `delete_deck` does. Returns the backup and what went.
pub fn delete_cards(
    store: &mut Store,
    cards: &[CardId],
    keep_backups: usize,
) -> Result<(PathBuf, Deleted)> {
    let backup = store.backup_into_folder("before-card-delete", keep_backups)?;
    let deleted = store.delete_cards(cards)?;
    Ok((backup, deleted))
}
