//! The terminal UI: `recall` (home screen) and `recall review`.
//!
//! This file owns the terminal: raw mode and the alternate screen on the way
//! in (`ratatui::try_init`), and their undoing on every way out (return,
//! error, panic, and every signal that would end the process: `signals`).
//! The loop blocks on terminal events; it only wakes once a second while
//! the review screen shows its running clock. Each key is an action for
//! `App::update`, whose effect `effects::apply` writes (`step`).

pub mod app;
pub mod browser;
mod editor;
pub mod effects;
mod home;
pub mod keys;
mod launch;
pub mod media;
pub mod review;
mod session;
mod signals;
pub mod stats;
mod sync;
pub mod typed;
pub mod ui;
pub mod widgets;

use std::io::{IsTerminal, stdout};
use std::sync::Once;
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::crossterm::{cursor, execute};
use ratatui::layout::{Position, Rect};

use crate::domain::Scope;
use crate::error::Result;
use crate::workflows::Context;

pub use app::{Action, App, Mode, Screen};
pub use effects::{Effect, Flow, apply, finish_edit, step};
pub use ui::Theme;

/// Where the TUI starts.
pub enum Start {
    Home,
    Review(Scope),
}

pub fn run(ctx: Context, start: Start) -> Result<()> {
    run_with(ctx, start, &crate::config::Sync::default())
}

/// `run`, syncing on opening and on quitting as `sync` asks (`tui::sync`).
pub fn run_with(mut ctx: Context, start: Start, sync: &crate::config::Sync) -> Result<()> {
    if !stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(crate::error::Error::invalid(
            "the review screen needs a terminal; scripts can use `recall next` and `recall answer`",
        ));
    }
    // Under RECALL_NOW the timer and answer durations still run (see clock).
    ctx.clock = ctx.clock.running();
    ctx.store.set_clock(ctx.clock);
    let mut app = match start {
        Start::Home => App::home(ctx)?,
        Start::Review(scope) => App::review(ctx, scope)?,
    };
    let theme = Theme::from_env().painted(&app.ctx.ui.theme);
    index_text_in_background(app.ctx.store.path());
    install_handlers();
    // Before the terminal changes: whatever fails after raw mode is on
    // (entering the alternate screen included) still ends with it off.
    let guard = TerminalGuard;
    let mut terminal = ratatui::try_init()?;
    // In raw mode: the terminal's graphics answer, asked for when the
    // first picture is drawn, must not be taken for keys.
    app.media.detect(theme.color);
    let autoplay = app.sync_media();
    effects::apply(&mut app, autoplay);
    terminal.hide_cursor()?;
    redraw_all(&mut terminal)?;
    let mut background = sync::on_open(&app.ctx, sync);
    event_loop(&mut terminal, &mut app, &theme, &mut background)?;
    drop(guard);
    sync::on_quit(app.ctx, sync);
    Ok(())
}

/// Clears the screen and forgets what was drawn, so the next draw paints
/// every cell. Not `terminal.clear()`: it asks the terminal for the cursor
/// position first, a round trip that delays the first card and fails
/// outright on terminals that never answer.
fn redraw_all(terminal: &mut DefaultTerminal) -> Result<()> {
    let size = terminal.size()?;
    terminal.resize(Rect::from((Position::ORIGIN, size)))?;
    Ok(())
}

/// Cards a bulk import left out of the search index are indexed while the
/// user studies, a few thousand per transaction (about a tenth of a second
/// of the write lock each), so the browser's first search is not the one
/// that waits for 100 000 cards. Any failure is left to that search, which
/// indexes whatever is still missing itself.
fn index_text_in_background(db: &std::path::Path) {
    let db = db.to_path_buf();
    std::thread::spawn(move || {
        let Ok(store) = crate::storage::Store::open(&db) else {
            return;
        };
        while let Ok(true) = store.index_text_step(4_000) {
            std::thread::sleep(Duration::from_millis(20));
        }
    });
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    theme: &Theme,
    background: &mut Option<sync::Background>,
) -> Result<()> {
    loop {
        // A background sync's outcome waits for the home screen.
        if matches!(app.screen, Screen::Home)
            && let Some(text) = background.as_ref().and_then(sync::Background::finished)
        {
            sync::show_outcome(app, text);
            *background = None;
        }
        let size = terminal.size()?;
        app.resize(Rect::from((Position::ORIGIN, size)));
        terminal.draw(|frame| ui::render(app, theme, frame))?;
        // Awake now and then while a sync runs, to show when it is done.
        let wake = match (background.is_some(), app.ticking()) {
            (true, _) => Some(Duration::from_millis(250)),
            (false, true) => Some(Duration::from_secs(1)),
            (false, false) => None,
        };
        if let Some(wake) = wake
            && !event::poll(wake)?
        {
            continue;
        }
        let key = match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => key,
            // A resize (or anything else) just redraws.
            _ => continue,
        };
        let Some(action) = app.ctx.ui.keys.action(app.mode(), key) else {
            continue;
        };
        match step(app, action) {
            Flow::Continue => {}
            Flow::Quit => return Ok(()),
            Flow::Edit { card, text } => {
                leave_terminal();
                let edited = editor::edit(&text);
                enter_terminal()?;
                terminal.hide_cursor()?;
                redraw_all(terminal)?;
                finish_edit(app, card, edited);
            }
        }
    }
}

/// Raw mode and the alternate screen end when it drops (a return, an
/// error, a panic that unwinds).
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        leave_terminal();
    }
}

/// Back into raw mode and the alternate screen after `$EDITOR`.
fn enter_terminal() -> Result<()> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen)?;
    Ok(())
}

/// Puts the terminal back as it was; safe to call twice. `try_restore`
/// leaves the cursor as it is: it is shown here.
fn leave_terminal() {
    let _ = ratatui::try_restore();
    let _ = execute!(stdout(), cursor::Show);
}

/// A signal thread, and a panic hook under the one `ratatui::try_init`
/// adds, that restore the terminal first (this one shows the cursor too).
fn install_handlers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            leave_terminal();
            previous(info);
        }));
        signals::restore_terminal_on_signals();
    });
}
