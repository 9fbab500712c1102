//! The TUI's state machine: screens, and what each action does to them.
//! No drawing and no SQL here: sessions come from `crate::study`, writes go
//! through `Store` methods, one transaction each, before the next card shows.
//! The review actions (grade, suspend, bury, undo, edit) are in `session`.

use std::cell::Cell;

use crate::commands::Context;
use crate::domain::{CardId, Day, QueueEntry, Session};
use crate::error::Result;
use crate::storage::Scope;
use crate::study;

use super::browser::{Browser, BrowserAction, Focus};
pub use super::home::DeckRow;
use super::review::{Shown, Study};
use super::stats::StatsView;

/// How many cards "study ahead" offers at once.
pub(super) const CRAM_SIZE: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    Open,
    StudyAll,
    Reveal,
    Grade(u8),
    Undo,
    Suspend,
    Bury,
    Edit,
    Cram,
    /// The statistics screen; then the next deck scope, the next period.
    Stats,
    NextScope,
    NextPeriod,
    Help,
    CloseHelp,
    Back,
    Quit,
    /// Opens the card browser; then its own actions.
    Browse,
    Browser(BrowserAction),
}

/// Which key map applies (see `keys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Home,
    Front,
    Back,
    Summary,
    NothingDue,
    Stats,
    Help,
    /// The browser's list, its query line, and its prompt (move, delete).
    Browse,
    BrowseQuery,
    BrowsePrompt,
}

/// What the event loop must do after an update: the App cannot run an
/// editor or end the process itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    Quit,
    /// Open `$EDITOR` on `text` (a card snippet) and hand the result to
    /// `App::finish_edit`.
    Edit {
        card: CardId,
        text: String,
    },
}

/// The end of a session, as the summary screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub cards: usize,
    pub answers: usize,
    pub passed3: usize,
    pub passed4: usize,
    pub seconds: i64,
    pub due_tomorrow: u32,
    pub cram: bool,
}

pub enum Screen {
    Home,
    Review(Shown),
    Summary(Summary),
    NothingDue { next_due: Option<Day>, ahead: usize },
    Stats(StatsView),
    Browse(Box<Browser>),
}

/// A line under the screen: what just happened, or what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub ctx: Context,
    pub screen: Screen,
    pub decks: Vec<DeckRow>,
    pub selected: usize,
    /// The session being studied, kept through the summary so undo works.
    pub study: Option<Study>,
    pub help: Option<u16>,
    /// A refused edit (text and problem): `e` reopens it, nothing is lost.
    pub rejected_edit: Option<(CardId, String)>,
    pub status: Option<Status>,
    /// Started as `recall review`: leaving the session leaves the program.
    pub direct: bool,
    /// The farthest the current text can scroll, as the last draw found it.
    pub scroll_max: Cell<u16>,
    /// Lines one page scroll moves, as the last draw found it.
    pub page: Cell<u16>,
    /// `Store::data_version` when the home screen was loaded.
    pub(super) home_version: i64,
}

impl App {
    /// The home screen.
    pub fn home(ctx: Context) -> Result<App> {
        let mut app = App::bare(ctx, false);
        app.load_home()?;
        if let Some(notice) = app.ctx.notice.take() {
            app.info(notice);
        }
        Ok(app)
    }

    /// Straight into a session (`recall review`).
    pub fn review(ctx: Context, scope: Scope) -> Result<App> {
        let mut app = App::bare(ctx, true);
        app.open(scope, false)?;
        Ok(app)
    }

    fn bare(ctx: Context, direct: bool) -> App {
        App {
            ctx,
            screen: Screen::Home,
            decks: Vec::new(),
            selected: 0,
            study: None,
            help: None,
            rejected_edit: None,
            status: None,
            direct,
            scroll_max: Cell::new(0),
            page: Cell::new(1),
            home_version: 0,
        }
    }

    pub fn mode(&self) -> Mode {
        if self.help.is_some() {
            return Mode::Help;
        }
        match &self.screen {
            Screen::Home => Mode::Home,
            Screen::Review(shown) if shown.revealed => Mode::Back,
            Screen::Review(_) => Mode::Front,
            Screen::Summary(_) => Mode::Summary,
            Screen::NothingDue { .. } => Mode::NothingDue,
            Screen::Stats(_) => Mode::Stats,
            Screen::Browse(b) if b.prompt.is_some() => Mode::BrowsePrompt,
            Screen::Browse(b) if b.focus == Focus::Query => Mode::BrowseQuery,
            Screen::Browse(_) => Mode::Browse,
        }
    }

    pub fn today(&self) -> Day {
        self.ctx.clock.today()
    }

    /// Applies one action. Storage errors end up in the status line, not in
    /// a crash: the user can retry, and nothing half-done was written.
    pub fn update(&mut self, action: Action) -> Effect {
        match self.try_update(action) {
            Ok(effect) => effect,
            Err(err) => {
                self.error(err.to_string());
                Effect::None
            }
        }
    }

    fn try_update(&mut self, action: Action) -> Result<Effect> {
        if action != Action::Quit {
            self.status = None;
        }
        if let Some(offset) = self.help {
            let page = self.page.get();
            let max = self.scroll_max.get();
            // It may have opened past the end (a section near the bottom).
            let offset = offset.min(max);
            self.help = match action {
                Action::ScrollDown => Some(offset.saturating_add(1).min(max)),
                Action::ScrollUp => Some(offset.saturating_sub(1)),
                Action::PageDown => Some(offset.saturating_add(page).min(max)),
                Action::PageUp => Some(offset.saturating_sub(page)),
                Action::Quit => return Ok(Effect::Quit),
                _ => None,
            };
            return Ok(Effect::None);
        }
        if matches!(self.screen, Screen::Browse(_)) {
            return self.browse(action);
        }
        if action != Action::Quit && self.home_is_stale()? {
            // The key was meant for a list that is gone (a restore, an
            // import): it does nothing but show the new one.
            self.load_home()?;
            self.error("The collection changed underneath this session: reloaded.");
            return Ok(Effect::None);
        }
        match action {
            Action::Quit => return Ok(Effect::Quit),
            Action::Help => self.help = Some(super::widgets::help::offset_for(self.mode())),
            Action::CloseHelp => {}
            Action::Back => return self.back(),
            Action::ScrollUp | Action::ScrollDown | Action::PageUp | Action::PageDown => {
                self.scroll(action)
            }
            Action::Open => {
                if let Some(row) = self.decks.get(self.selected) {
                    let scope = Scope {
                        deck: Some(row.summary.name.clone()),
                        tag: None,
                    };
                    self.open(scope, false)?;
                }
            }
            Action::StudyAll => self.open(Scope::default(), false)?,
            Action::Cram => {
                let scope = self.study.as_ref().map(|s| s.scope.clone());
                self.open(scope.unwrap_or_default(), true)?;
            }
            Action::Reveal => {
                if let Screen::Review(shown) = &mut self.screen {
                    shown.revealed = true;
                    shown.scroll = 0;
                }
            }
            Action::Stats => self.screen = Screen::Stats(StatsView::first(self)?),
            Action::NextScope | Action::NextPeriod => {
                if let Screen::Stats(view) = &self.screen {
                    let (scope, period) = if action == Action::NextScope {
                        (view.scope + 1, view.period)
                    } else {
                        (view.scope, view.period + 1)
                    };
                    self.screen = Screen::Stats(StatsView::open(self, scope, period)?);
                }
            }
            Action::Grade(q) => self.grade(q)?,
            Action::Undo => self.undo()?,
            Action::Suspend => self.set_aside(false)?,
            Action::Bury => self.set_aside(true)?,
            Action::Edit => {
                if let Screen::Review(shown) = &self.screen {
                    let text = match self.rejected_edit.take() {
                        Some((card, text)) if card == shown.card.id => text,
                        _ => crate::formats::card_snippet::render(&shown.card),
                    };
                    return Ok(Effect::Edit {
                        card: shown.card.id,
                        text,
                    });
                }
            }
            Action::Browse => self.open_browser()?,
            // The browser's own actions do nothing elsewhere.
            Action::Browser(_) => {}
        }
        Ok(Effect::None)
    }

    fn back(&mut self) -> Result<Effect> {
        if matches!(self.screen, Screen::Home) || self.direct {
            return Ok(Effect::Quit);
        }
        self.study = None;
        self.load_home()?;
        Ok(Effect::None)
    }

    fn scroll(&mut self, action: Action) {
        if matches!(self.screen, Screen::Home) {
            let last = self.decks.len().saturating_sub(1);
            self.selected = match action {
                Action::ScrollDown => (self.selected + 1).min(last),
                Action::ScrollUp => self.selected.saturating_sub(1),
                _ => self.selected,
            };
            return;
        }
        let (page, max) = (self.page.get(), self.scroll_max.get());
        let scroll = match &mut self.screen {
            Screen::Review(shown) => &mut shown.scroll,
            Screen::Stats(view) => &mut view.scroll,
            _ => return,
        };
        *scroll = match action {
            Action::ScrollDown => scroll.saturating_add(1),
            Action::ScrollUp => scroll.saturating_sub(1),
            Action::PageDown => scroll.saturating_add(page),
            _ => scroll.saturating_sub(page),
        }
        .min(max);
    }

    /// Starts a session of `scope`: today's queue, or studying ahead.
    pub fn open(&mut self, scope: Scope, cram: bool) -> Result<()> {
        let today = self.today();
        let session = if cram {
            study::cram_session(&self.ctx.store, &scope, today, CRAM_SIZE)?
        } else {
            study::todays_session(&self.ctx.store, &scope, today, &self.ctx.limits)?
        };
        let mut study = Study::new(scope, cram, session, self.ctx.clock.now());
        study.version = self.ctx.store.data_version()?;
        self.study = Some(study);
        self.status = None;
        self.show_current()
    }

    /// Shows the session's current card, or how the session ended.
    pub(super) fn show_current(&mut self) -> Result<()> {
        let Some(study) = &mut self.study else {
            return self.load_home();
        };
        let now = self.ctx.clock.now();
        while let Some(entry) = study.session.current() {
            if let Some(card) = self.ctx.store.card(entry.card)? {
                self.screen = Screen::Review(Shown::new(card, entry.kind, now));
                return Ok(());
            }
            // Deleted by a re-import in another process meanwhile.
            study.session.remove(entry.card);
        }
        let today = self.ctx.clock.today();
        if study.answers.is_empty() {
            let next_due = self.ctx.store.next_due_day(&study.scope, today)?;
            let ahead =
                study::cram_session(&self.ctx.store, &study.scope, today, CRAM_SIZE)?.remaining();
            self.screen = Screen::NothingDue { next_due, ahead };
        } else {
            let due_tomorrow = self.ctx.store.due_count_on(&study.scope, today.plus(1))?;
            self.screen = Screen::Summary(study.summary(now, due_tomorrow));
        }
        Ok(())
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// The card on screen and how it came up, for the tests and the UI.
    pub fn current(&self) -> Option<QueueEntry> {
        match &self.screen {
            Screen::Review(shown) => Some(shown.entry()),
            _ => None,
        }
    }

    pub fn session(&self) -> Option<&Session> {
        self.study.as_ref().map(|s| &s.session)
    }

    /// True while the screen shows a running clock (it ticks each second).
    pub fn ticking(&self) -> bool {
        matches!(self.screen, Screen::Review(_)) && self.help.is_none()
    }
}
