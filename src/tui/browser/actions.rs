//! What the browser's keys do: move, mark, and ask for changes to the
//! collection. Each change is an `Effect` over every target card, written
//! by `effects` in one transaction (all or none); the list is then read
//! again here and the status line says what happened.

use std::path::Path;

use crate::error::Result;
use crate::storage::{CardAction, Deleted};

use super::super::app::{Action, App, Screen};
use super::super::effects::Effect;
use super::super::session::build_session;
use super::{Browser, BrowserAction, Focus, Prompt, cards};

impl App {
    /// Opens the browser over the current screen; a review screen is kept to
    /// come back to.
    pub(in crate::tui) fn open_browser(&mut self) -> Result<()> {
        // Read first: if that fails, the screen stays as it was.
        let mut browser = Browser::open(&self.ctx.store, self.today())?;
        browser.opened_at = Some(self.ctx.clock.now());
        browser.back = match std::mem::replace(&mut self.screen, Screen::Home) {
            review @ Screen::Review(_) => Some(Box::new(review)),
            _ => None,
        };
        self.screen = Screen::Browse(Box::new(browser));
        Ok(())
    }

    fn browser(&mut self) -> Option<&mut Browser> {
        match &mut self.screen {
            Screen::Browse(b) => Some(b),
            _ => None,
        }
    }

    /// The browser's keys: moving and marking here, what changes cards
    /// in `card_effect`.
    pub(in crate::tui) fn browse(&mut self, action: Action) -> Result<Effect> {
        let today = self.today();
        // The page is the list's height at the size last drawn.
        let error = matches!(&self.screen, Screen::Browse(b) if b.error.is_some());
        let rows = super::super::ui::browser_rows(self, error);
        let Screen::Browse(b) = &mut self.screen else {
            return Ok(Effect::None);
        };
        if let Some(rows) = rows {
            b.view = rows;
        }
        let store = &self.ctx.store;
        let page = b.view.max(1);
        match action {
            Action::Quit => return Ok(Effect::Quit),
            Action::Help => self.help = Some(0),
            Action::Back => return self.leave_browser(),
            Action::Browser(BrowserAction::Type(c)) => return self.typed(c),
            Action::Browser(BrowserAction::Erase) => return self.erased(),
            Action::Browser(BrowserAction::Confirm) => return self.confirm(),
            Action::Browser(BrowserAction::Cancel) => b.prompt = None,
            Action::Browser(BrowserAction::FocusList) => b.focus = Focus::List,
            Action::Browser(BrowserAction::FocusQuery) => b.focus = Focus::Query,
            Action::ScrollDown => b.down(store, today, 1)?,
            Action::ScrollUp => b.up(store, today, 1)?,
            Action::PageDown => b.down(store, today, page)?,
            Action::PageUp => b.up(store, today, page)?,
            Action::Browser(BrowserAction::First) => b.move_to(store, today, 0)?,
            Action::Browser(BrowserAction::Last) => b.last(store, today)?,
            Action::Browser(BrowserAction::Mark) => {
                b.toggle_mark();
                b.down(store, today, 1)?;
            }
            _ => return Ok(card_effect(b, action)),
        }
        Ok(Effect::None)
    }

    /// A character for the query line or the prompt; at the delete prompt,
    /// y deletes and any other key keeps the cards.
    fn typed(&mut self, c: char) -> Result<Effect> {
        let today = self.today();
        let Screen::Browse(b) = &mut self.screen else {
            return Ok(Effect::None);
        };
        match &mut b.prompt {
            Some(Prompt::Move(text)) => text.push(c),
            Some(Prompt::Delete) if matches!(c, 'y' | 'Y') => return self.confirm(),
            Some(Prompt::Delete) => {
                b.prompt = None;
                self.info("Nothing deleted.");
            }
            None => {
                let mut text = b.query.clone();
                text.push(c);
                b.set_query(&self.ctx.store, today, text)?;
            }
        }
        Ok(Effect::None)
    }

    fn erased(&mut self) -> Result<Effect> {
        let today = self.today();
        let Screen::Browse(b) = &mut self.screen else {
            return Ok(Effect::None);
        };
        match &mut b.prompt {
            Some(Prompt::Move(text)) => {
                text.pop();
            }
            Some(Prompt::Delete) => {}
            None => {
                let mut text = b.query.clone();
                text.pop();
                b.set_query(&self.ctx.store, today, text)?;
            }
        }
        Ok(Effect::None)
    }

    /// Enter at a prompt: the move or the deletion.
    fn confirm(&mut self) -> Result<Effect> {
        let Some(b) = self.browser() else {
            return Ok(Effect::None);
        };
        let targets = b.targets();
        Ok(match b.prompt.clone() {
            Some(Prompt::Move(deck)) => Effect::Move { targets, deck },
            Some(Prompt::Delete) => Effect::Delete { targets },
            None => Effect::None,
        })
    }

    /// A browser action was applied: `changed` of `asked` cards changed.
    pub(in crate::tui) fn cards_changed(
        &mut self,
        done: &str,
        changed: usize,
        asked: usize,
    ) -> Result<()> {
        let unchanged = asked - changed;
        let mut text = format!("{done}: {}.", cards(changed));
        if unchanged > 0 {
            text.push_str(&format!(" {} already so.", cards(unchanged)));
        }
        self.after_write(text)
    }

    pub(in crate::tui) fn cards_moved(&mut self, moved: usize, deck: &str) -> Result<()> {
        self.after_write(format!("Moved {} to {deck}.", cards(moved)))
    }

    pub(in crate::tui) fn cards_deleted(&mut self, backup: &Path, deleted: &Deleted) -> Result<()> {
        let n = usize::try_from(deleted.cards).unwrap_or(usize::MAX);
        self.after_write(format!(
            "Deleted {} ({} answers); a backup is in {}.",
            cards(n),
            deleted.reviews,
            backup.display()
        ))
    }

    /// The list read again, the prompt closed, and what happened said.
    fn after_write(&mut self, text: String) -> Result<()> {
        let today = self.today();
        if let Screen::Browse(b) = &mut self.screen {
            b.prompt = None;
            b.changed = true;
            b.reload(&self.ctx.store, today)?;
        }
        self.info(text);
        Ok(())
    }

    /// Back where the browser was opened: the home screen read again, or
    /// the review, its queue rebuilt if a card changed meanwhile.
    fn leave_browser(&mut self) -> Result<Effect> {
        let Screen::Browse(b) = std::mem::replace(&mut self.screen, Screen::Home) else {
            return Ok(Effect::None);
        };
        let Some(back) = b.back else {
            self.load_home()?;
            return Ok(Effect::None);
        };
        self.screen = *back;
        if let (Screen::Review(shown), Some(opened)) = (&mut self.screen, b.opened_at) {
            shown.shown_at += self.ctx.clock.now() - opened;
        }
        if b.changed
            && let Some(study) = &mut self.study
        {
            study.session = build_session(&self.ctx, &study.scope, study.cram)?;
            study.version = self.ctx.store.data_version()?;
            self.show_current()?;
        }
        Ok(Effect::None)
    }
}

/// What the keys that change cards ask for: a change over the targets, a
/// prompt before a move or a deletion, the selected card in `$EDITOR`.
fn card_effect(b: &mut Browser, action: Action) -> Effect {
    let change = |action, done| b.change(action, done);
    match action {
        Action::Suspend => change(CardAction::Suspend, "Suspended"),
        Action::Browser(BrowserAction::Unsuspend) => change(CardAction::Unsuspend, "Unsuspended"),
        Action::Bury => change(CardAction::Bury, "Buried until tomorrow"),
        Action::Browser(BrowserAction::Unbury) => change(CardAction::Unbury, "Unburied"),
        Action::Browser(BrowserAction::Reset) => change(CardAction::Reset, "Reset to new"),
        Action::Browser(BrowserAction::Move) if !b.targets().is_empty() => {
            b.prompt = Some(Prompt::Move(String::new()));
            Effect::None
        }
        Action::Browser(BrowserAction::Delete) if !b.targets().is_empty() => {
            b.prompt = Some(Prompt::Delete);
            Effect::None
        }
        Action::Edit => match &b.detail {
            Some(detail) => Effect::Edit {
                card: detail.card.id,
                text: crate::formats::card_snippet::render(&detail.card),
            },
            None => Effect::None,
        },
        _ => Effect::None,
    }
}
