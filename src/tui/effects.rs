//! Where the TUI writes. `App::update` changes the App's state (reading
//! the store as it needs) and returns what it wants written as an `Effect`;
//! `apply` carries that out here, one transaction each, through
//! `workflows` and `Store`, then hands the outcome back to the App, which
//! decides what shows next. Rendering reads the App's state only.
//!
//! A grade, suspend, bury or edit carries the card as it was shown: the
//! write checks, in its own transaction, that the database still holds that
//! card in that state, and `Error::Changed` reloads the session instead.

use crate::domain::seen::Seen;
use crate::domain::{Card, CardDraft, CardId, Grade, QueueEntry};
use crate::error::{Error, Result};
use crate::storage::CardAction;
use crate::workflows::study;

use super::app::{Action, App};
use super::review::Undo;

/// What an update asks for beyond the App's own state.
#[derive(Debug)]
pub enum Effect {
    None,
    Quit,
    /// Open `$EDITOR` on `text` (a card snippet); what comes back goes to
    /// `finish_edit`.
    Edit {
        card: CardId,
        text: String,
    },
    /// Record `grade` for the card on screen, answered in `millis`.
    Grade {
        shown: Box<Card>,
        entry: QueueEntry,
        grade: Grade,
        millis: u32,
        cram: bool,
    },
    /// Suspend the card on screen, or bury it until tomorrow.
    SetAside {
        shown: Box<Card>,
        entry: QueueEntry,
        bury: bool,
    },
    /// Take back the undo stack's last step.
    Undo(Undo),
    /// Save an edited snippet (`text`, parsed as `draft`) over the card as
    /// it was shown.
    SaveEdit {
        shown: Box<Card>,
        text: String,
        draft: CardDraft,
    },
    /// A browser action over its target cards; `done` opens the status line.
    Cards {
        targets: Vec<CardId>,
        action: CardAction,
        done: &'static str,
    },
    /// Move the browser's targets to the deck `deck` names (as typed).
    Move {
        targets: Vec<CardId>,
        deck: String,
    },
    /// Delete the browser's targets, after a backup.
    Delete {
        targets: Vec<CardId>,
    },
    /// Start `command` on each file, detached (`o`, `r`: see `launch`).
    Launch {
        command: Vec<String>,
        files: Vec<std::path::PathBuf>,
    },
}

/// What the terminal loop does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
    /// Leave the terminal, run the editor on `text`, then `finish_edit`.
    Edit {
        card: CardId,
        text: String,
    },
}

/// One action: the App's update, then its effect.
pub fn step(app: &mut App, action: Action) -> Flow {
    let effect = app.update(action);
    let flow = apply(app, effect);
    // The next card's media (and, with autoplay, its sound).
    let autoplay = app.sync_media();
    apply(app, autoplay);
    flow
}

/// What the editor gave back (`Err`: why it gave nothing), saved.
pub fn finish_edit(
    app: &mut App,
    card: CardId,
    edited: std::result::Result<String, String>,
) -> Flow {
    let effect = app.edited(card, edited);
    let flow = apply(app, effect);
    // The edited text may name other media.
    app.media.reload();
    let autoplay = app.sync_media();
    apply(app, autoplay);
    flow
}

/// Carries out `effect`. Storage errors end up in the status line, not in
/// a crash: the user can retry, and nothing half-done was written.
pub fn apply(app: &mut App, effect: Effect) -> Flow {
    match write(app, effect) {
        Ok(flow) => flow,
        Err(err) => {
            app.error(err.to_string());
            Flow::Continue
        }
    }
}

fn write(app: &mut App, effect: Effect) -> Result<Flow> {
    let today = app.today();
    let store = &mut app.ctx.store;
    match effect {
        Effect::None => {}
        Effect::Quit => return Ok(Flow::Quit),
        Effect::Edit { card, text } => return Ok(Flow::Edit { card, text }),
        Effect::Grade {
            shown,
            entry,
            grade,
            millis,
            cram,
        } => {
            let seen = Seen::Shown(&shown);
            let done = study::answer(store, &app.ctx.clock, seen, grade, millis, cram);
            handed_back(app, done, |app, recorded| {
                app.graded(&shown, entry, grade, recorded)
            })?;
        }
        Effect::SetAside { shown, entry, bury } => {
            let done = if bury {
                store.bury(&shown, today.plus(1))
            } else {
                store.suspend(&shown)
            };
            handed_back(app, done, |app, ()| app.set_aside_done(entry, bury))?;
        }
        Effect::Undo(step) => undo(app, step)?,
        Effect::SaveEdit { shown, text, draft } => {
            let now_ms = app.ctx.clock.now().timestamp_millis();
            match store.update_card_text(&shown, &draft, now_ms) {
                Ok(()) => app.edit_saved(shown.id)?,
                Err(err) => app.edit_refused(shown.id, &text, &err),
            }
        }
        Effect::Cards {
            targets,
            action,
            done,
        } => {
            let changed = store.apply_to_cards(&targets, action, today)?;
            app.cards_changed(done, changed, targets.len())?;
        }
        Effect::Move { targets, deck } => {
            // A name that resolves to no deck keeps the prompt for a fix.
            let (deck, name) = store.resolve_deck(deck.trim())?;
            let moved = store.move_cards(&targets, deck)?;
            app.cards_moved(moved, &name)?;
        }
        Effect::Launch { command, files } => {
            for file in &files {
                super::launch::spawn(&command, file).map_err(Error::invalid)?;
            }
        }
        Effect::Delete { targets } => {
            let keep = app.ctx.ui.keep_backups;
            let (backup, deleted) = study::delete_cards(store, &targets, keep)?;
            app.cards_deleted(&backup, &deleted)?;
        }
    }
    Ok(Flow::Continue)
}

/// Undo's step, taken back in the store. It leaves the stack once done,
/// or when it cannot be done (the answer is no longer the card's latest,
/// the card is gone); a busy database or a full disk keeps an answer's
/// step for another try.
fn undo(app: &mut App, step: Undo) -> Result<()> {
    let store = &mut app.ctx.store;
    let done = match step {
        Undo::Answer { answer, .. } => store.undo_answer(answer).map(drop),
        Undo::Suspend { entry } => store.unsuspend(entry.card),
        Undo::Bury { entry } => store.unbury(entry.card),
    };
    let retry = matches!(step, Undo::Answer { .. })
        && matches!(&done, Err(e) if !matches!(e, Error::Changed(_)));
    if done.is_err() && !retry {
        app.drop_undo_step();
    }
    handed_back(app, done, |app, ()| app.undone(step))
}

/// A write's outcome, handed back to the App: `then` on success; on
/// `Error::Changed` (nothing was written) the session is reloaded.
fn handed_back<T>(
    app: &mut App,
    done: Result<T>,
    then: impl FnOnce(&mut App, T) -> Result<()>,
) -> Result<()> {
    match done {
        Ok(value) => then(app, value),
        Err(Error::Changed(why)) => app.reload_session(&why),
        Err(e) => Err(e),
    }
}
