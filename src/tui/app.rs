//! The TUI's state machine: screens, and what each action does to them.
//! No drawing, no SQL and no writes here: sessions come from
//! `crate::workflows::study`, and what an action wants written is returned
//! as an `Effect`, which `effects::apply` carries out before the next card
//! shows. The session and its review actions (grade, suspend, bury, undo,
//! edit) are in `session`.

use ratatui::layout::Rect;

use crate::domain::Scope;
use crate::domain::{CardId, Day, QueueEntry, Session};
use crate::error::Result;
use crate::workflows::Context;

use super::browser::{Browser, BrowserAction, Focus};
use super::effects::Effect;
pub use super::home::DeckRow;
use super::media::Media;
use super::review::{Shown, Study};
use super::stats::StatsView;
use super::typed::TypedAction;
use super::widgets::Scroll;

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
    /// The card's media in the system viewer (`o`), its sound (`r`).
    OpenMedia,
    PlaySound,
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
    /// A key on a typed answer's text field.
    Typed(TypedAction),
    /// The grade a typed answer suggests.
    AcceptSuggestion,
}

/// Which key map applies (see `keys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Home,
    Front,
    /// The front of a card that asks for a typed answer: keys type.
    Typing,
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
    /// The terminal's size, as the loop last drew it: what the scroll
    /// limits and the browser's page are worked out from.
    pub area: Rect,
    /// `Store::data_version` when the home screen was loaded.
    pub(super) home_version: i64,
    /// The card on screen's pictures, files and sounds (`media`).
    pub media: Media,
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
        app.sync_media();
        Ok(app)
    }

    fn bare(ctx: Context, direct: bool) -> App {
        App {
            media: Media::new(ctx.ui.media.clone()),
            ctx,
            screen: Screen::Home,
            decks: Vec::new(),
            selected: 0,
            study: None,
            help: None,
            rejected_edit: None,
            status: None,
            direct,
            area: Rect::default(),
            home_version: 0,
        }
    }

    pub fn mode(&self) -> Mode {
        if self.help.is_some() {
            return Mode::Help;
        }
        match &self.screen {
            Screen::Home => Mode::Home,
            Screen::Review(shown) if shown.typing() => Mode::Typing,
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

    /// The terminal is `area` now (the loop says so before each draw).
    pub fn resize(&mut self, area: Rect) {
        self.area = area;
    }

    pub fn today(&self) -> Day {
        self.ctx.clock.today()
    }

    /// Applies one action to the App's state; what it wants written comes
    /// back as the effect. Storage errors (of the reads) end up in the
    /// status line, not in a crash: the user can retry.
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
            return Ok(self.scroll_help(offset, action));
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
            Action::Open | Action::StudyAll | Action::Cram => self.start_session(action)?,
            Action::Reveal => {
                if let Screen::Review(shown) = &mut self.screen {
                    shown.revealed = true;
                    shown.scroll = 0;
                }
            }
            Action::Stats | Action::NextScope | Action::NextPeriod => self.stats(action)?,
            Action::Grade(q) => return Ok(self.grade(q)),
            Action::Undo => return Ok(self.undo()),
            Action::Suspend => return Ok(self.set_aside(false)),
            Action::Bury => return Ok(self.set_aside(true)),
            Action::Edit => return Ok(self.edit()),
            Action::OpenMedia => return Ok(self.media_effect(false)),
            Action::PlaySound => return Ok(self.media_effect(true)),
            Action::Browse => self.open_browser()?,
            Action::Typed(key) => return Ok(self.typed_key(key)),
            Action::AcceptSuggestion => return Ok(self.accept_suggestion()),
            // The deck list's first and last deck are the browser's keys.
            Action::Browser(BrowserAction::First | BrowserAction::Last) => self.scroll(action),
            // The browser's other actions do nothing elsewhere.
            Action::Browser(_) => {}
        }
        Ok(Effect::None)
    }

    /// Help is open over the screen: keys scroll it; any other closes it.
    fn scroll_help(&mut self, offset: u16, action: Action) -> Effect {
        let Scroll { max, page } = super::ui::scroll(self);
        // It may have opened past the end (a section near the bottom).
        let offset = offset.min(max);
        self.help = match action {
            Action::ScrollDown => Some(offset.saturating_add(1).min(max)),
            Action::ScrollUp => Some(offset.saturating_sub(1)),
            Action::PageDown => Some(offset.saturating_add(page).min(max)),
            Action::PageUp => Some(offset.saturating_sub(page)),
            Action::Quit => return Effect::Quit,
            _ => None,
        };
        Effect::None
    }

    /// The selected deck's session, every deck's, or studying ahead.
    fn start_session(&mut self, action: Action) -> Result<()> {
        match action {
            Action::Open => {
                if let Some(row) = self.decks.get(self.selected) {
                    let scope = Scope {
                        deck: Some(row.summary.name.clone()),
                        tag: None,
                    };
                    self.open(scope, false)?;
                }
            }
            Action::Cram => {
                let scope = self.study.as_ref().map(|s| s.scope.clone());
                self.open(scope.unwrap_or_default(), true)?;
            }
            _ => self.open(Scope::default(), false)?,
        }
        Ok(())
    }

    /// The statistics screen, then its next scope or period.
    fn stats(&mut self, action: Action) -> Result<()> {
        if action == Action::Stats {
            self.screen = Screen::Stats(StatsView::first(self)?);
        } else if let Screen::Stats(view) = &self.screen {
            let (scope, period) = if action == Action::NextScope {
                (view.scope + 1, view.period)
            } else {
                (view.scope, view.period + 1)
            };
            self.screen = Screen::Stats(StatsView::open(self, scope, period)?);
        }
        Ok(())
    }

    /// The card on screen in `$EDITOR`: as stored, or as last refused.
    fn edit(&mut self) -> Effect {
        let Screen::Review(shown) = &self.screen else {
            return Effect::None;
        };
        let text = match self.rejected_edit.take() {
            Some((card, text)) if card == shown.card.id => text,
            _ => crate::formats::card_snippet::render(&shown.card),
        };
        Effect::Edit {
            card: shown.card.id,
            text,
        }
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
            // A page: the deck rows the list shows at the size last drawn.
            let page = usize::from(super::widgets::home::deck_rows(self.area));
            self.selected = match action {
                Action::ScrollDown => (self.selected + 1).min(last),
                Action::ScrollUp => self.selected.saturating_sub(1),
                Action::PageDown => self.selected.saturating_add(page).min(last),
                Action::PageUp => self.selected.saturating_sub(page),
                Action::Browser(BrowserAction::First) => 0,
                Action::Browser(BrowserAction::Last) => last,
                _ => self.selected,
            };
            return;
        }
        let Scroll { max, page } = super::ui::scroll(self);
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
