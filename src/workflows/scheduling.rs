//! Which scheduler each deck uses, and switching it: `recall scheduler`,
//! the answer path's choice, and keeping every deck's card states those of
//! its algorithm when the config file's default changes.

use std::collections::HashMap;

use crate::domain::{CardId, CardState, DeckScheduler, Fsrs, Schedule, SchedulerKind};
use crate::error::{Error, Result};
use crate::storage::{CardHistory, DeckSetting, Rescheduled, Store};

/// A deck's effective choice, and where its FSRS parameters come from.
#[derive(Debug, Clone)]
pub struct DeckChoice {
    pub setting: DeckSetting,
    pub kind: SchedulerKind,
    pub retention: f32,
    /// "deck", "global" (fitted for every deck) or "default" (the crate's).
    pub params_from: &'static str,
    pub fsrs: Fsrs,
}

/// The FSRS a deck would use: its own fitted parameters, else the global
/// ones, else the crate's defaults.
pub fn fsrs_for(store: &Store, deck: i64, retention: f32) -> Result<(Fsrs, &'static str)> {
    let (params, from) = match store.fitted_params(Some(deck))? {
        Some(p) => (p.params, "deck"),
        None => match store.fitted_params(None)? {
            Some(p) => (p.params, "global"),
            None => (Vec::new(), "default"),
        },
    };
    let fsrs = Fsrs::new(&params, retention)
        .map_err(|e| Error::invalid(format!("{e} (stored by `recall fsrs optimize`)")))?;
    Ok((fsrs, from))
}

fn choice(store: &Store, setting: DeckSetting) -> Result<DeckChoice> {
    let defaults = store.scheduling_defaults();
    let retention = setting.retention.unwrap_or(defaults.retention);
    let (fsrs, params_from) = fsrs_for(store, setting.deck, retention)?;
    Ok(DeckChoice {
        kind: setting.scheduler.unwrap_or(defaults.scheduler),
        retention,
        params_from,
        fsrs,
        setting,
    })
}

/// Every deck's choice, for `recall scheduler` and the statistics.
pub fn choices(store: &Store) -> Result<Vec<DeckChoice>> {
    store
        .deck_settings()?
        .into_iter()
        .map(|s| choice(store, s))
        .collect()
}

/// Each deck's effective algorithm, by name: what the statistics show.
pub fn kinds_by_deck(store: &Store) -> Result<HashMap<String, SchedulerKind>> {
    Ok(choices(store)?
        .into_iter()
        .map(|c| (c.setting.name, c.kind))
        .collect())
}

/// The scheduler of the deck named `deck`: the algorithm its card states
/// were computed by (the effective one, once `reconcile` has run).
pub fn for_deck(store: &Store, deck: &str) -> Result<DeckScheduler> {
    let Some(setting) = store.deck_setting(deck)? else {
        return Ok(DeckScheduler::Sm2);
    };
    Ok(match setting.states_by {
        SchedulerKind::Sm2 => DeckScheduler::Sm2,
        SchedulerKind::Fsrs => DeckScheduler::Fsrs(choice(store, setting)?.fsrs),
    })
}

/// `recall scheduler set DECK ALGORITHM [--retention R]`: the deck's own
/// setting, and its whole log replayed into today's states, in one
/// transaction. Returns the deck's choice after and how many cards moved.
pub fn set(
    store: &mut Store,
    deck: &str,
    kind: SchedulerKind,
    retention: Option<f32>,
) -> Result<(DeckChoice, usize)> {
    let (_, name) = store.resolve_deck(deck)?;
    if let Some(r) = retention
        && !(r > 0.0 && r < 1.0)
    {
        return Err(Error::invalid(format!(
            "--retention {r}: the desired retention is a probability between 0 and 1, such as 0.9"
        )));
    }
    let setting = store
        .deck_setting(&name)?
        .ok_or_else(|| Error::invalid(format!("no deck named {name:?}")))?;
    let retention = retention.or(setting.retention);
    let cards = replay_deck(store, &setting, (Some(kind), retention), kind)?;
    let after = store
        .deck_setting(&name)?
        .ok_or_else(|| Error::invalid(format!("deck {name:?} vanished")))?;
    Ok((choice(store, after)?, cards))
}

/// Replays every deck whose card states were computed by another algorithm
/// than the one it now uses (the config file's default changed): cheap when
/// none does, one small query. Returns the names of the decks replayed.
pub fn reconcile(store: &mut Store) -> Result<Vec<String>> {
    let defaults = store.scheduling_defaults();
    let mut replayed = Vec::new();
    for setting in store.deck_settings()? {
        let kind = setting.scheduler.unwrap_or(defaults.scheduler);
        if kind != setting.states_by {
            let own = (setting.scheduler, setting.retention);
            replay_deck(store, &setting, own, kind)?;
            replayed.push(setting.name);
        }
    }
    Ok(replayed)
}

/// Replays every deck whose states FSRS computes (after a merge of
/// imported answers, which rewrites the cards it touches as SM-2 does).
pub fn replay_fsrs_decks(store: &mut Store) -> Result<Vec<String>> {
    replay_fsrs_where(store, |_, _| Ok(true))
}

/// After new parameters were stored for `deck` (`None`: the global ones):
/// replays the FSRS decks that use them, so their memory states and due
/// days are those of the new parameters. Returns their names.
pub fn replay_users_of(store: &mut Store, deck: Option<i64>) -> Result<Vec<String>> {
    replay_fsrs_where(store, |store, setting| match deck {
        Some(id) => Ok(setting.deck == id),
        None => Ok(store.fitted_params(Some(setting.deck))?.is_none()),
    })
}

/// Replays the FSRS decks `pick` chooses; returns their names.
fn replay_fsrs_where(
    store: &mut Store,
    pick: impl Fn(&Store, &DeckSetting) -> Result<bool>,
) -> Result<Vec<String>> {
    let mut replayed = Vec::new();
    for setting in store.deck_settings()? {
        if setting.states_by == SchedulerKind::Fsrs && pick(store, &setting)? {
            let own = (setting.scheduler, setting.retention);
            replay_deck(store, &setting, own, SchedulerKind::Fsrs)?;
            replayed.push(setting.name);
        }
    }
    Ok(replayed)
}

/// Rewrites the states of `setting`'s deck as `target` computes them.
fn replay_deck(
    store: &mut Store,
    setting: &DeckSetting,
    own: (Option<SchedulerKind>, Option<f32>),
    target: SchedulerKind,
) -> Result<usize> {
    let retention = own.1.unwrap_or(store.scheduling_defaults().retention);
    let scheduler = match target {
        SchedulerKind::Sm2 => DeckScheduler::Sm2,
        SchedulerKind::Fsrs => DeckScheduler::Fsrs(fsrs_for(store, setting.deck, retention)?.0),
    };
    store.reschedule_deck(setting.deck, own, target, |h| recompute(&scheduler, h))
}

/// One card's state under `scheduler`. Back to SM-2, a card with its SM-2
/// state kept starts from that exact state and replays only the answers
/// given since; otherwise the whole log is replayed.
fn recompute(scheduler: &DeckScheduler, history: &CardHistory) -> Rescheduled {
    let (start, log, kept_last): (Schedule, _, _) = match (scheduler, history.stash) {
        (DeckScheduler::Sm2, Some((schedule, last_review, counted))) => (
            schedule,
            &history.log[counted.min(history.log.len())..],
            last_review,
        ),
        _ => (history.start, &history.log[..], history.last_review),
    };
    let (state, last) = scheduler.replay(start, log);
    (state, last.or(kept_last))
}

/// A stored card's whole state: its schedule and its FSRS memory state.
pub fn card_state(store: &Store, card: CardId, schedule: Schedule) -> Result<CardState> {
    Ok(CardState {
        schedule,
        memory: store.card_memory(card)?,
    })
}

/// What the card views show of a card's scheduling: its deck's algorithm
/// and, under FSRS, its memory state and today's retrievability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardView {
    pub scheduler: SchedulerKind,
    pub memory: Option<MemoryView>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryView {
    pub stability: f32,
    pub difficulty: f32,
    pub retrievability: Option<f32>,
}

/// The `CardView` of `card` (in state `schedule`) on `today`.
pub fn card_view(
    store: &Store,
    card: CardId,
    deck: &str,
    schedule: Schedule,
    today: crate::domain::Day,
) -> Result<CardView> {
    let scheduler = for_deck(store, deck)?;
    let state = card_state(store, card, schedule)?;
    let memory = match (&scheduler, state.memory) {
        (DeckScheduler::Fsrs(f), Some(m)) => Some(MemoryView {
            stability: m.stability,
            difficulty: m.difficulty,
            retrievability: f.retrievability(&state, today),
        }),
        _ => None,
    };
    Ok(CardView {
        scheduler: scheduler.kind(),
        memory,
    })
}
