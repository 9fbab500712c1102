//! Drawing: the App's state to a frame. Nothing here changes state; how
//! far the text on screen can scroll is worked out from the same layout
//! (`scroll`) when an update needs it.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::{App, Screen};
use super::widgets::browser::BrowserScreen;
use super::widgets::help::HelpOverlay;
use super::widgets::home::HomeScreen;
use super::widgets::review::ReviewScreen;
use super::widgets::stats::StatsPage;
use super::widgets::summary::{NothingDueScreen, SummaryScreen};
use super::widgets::{Scroll, browser, help, review, stats, text};

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Styles, with colours only when `NO_COLOR` is unset.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub title: Style,
    pub accent: Style,
    pub dim: Style,
    pub key: Style,
    pub selected: Style,
    pub redrill: Style,
    pub error: Style,
    /// False under `NO_COLOR`, for widgets that pick their own colours.
    pub color: bool,
}

impl Theme {
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(!no_color)
    }

    pub fn new(color: bool) -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let paint = |style: Style, color_: Color| {
            if color { style.fg(color_) } else { style }
        };
        Theme {
            title: bold,
            accent: paint(bold, Color::Cyan),
            dim: paint(Style::new().add_modifier(Modifier::DIM), Color::Gray),
            key: paint(bold, Color::Yellow),
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            redrill: paint(bold, Color::Magenta),
            error: paint(bold, Color::Red),
            color,
        }
    }
}

impl Theme {
    /// The config's `[theme]` colours over these styles; none under
    /// `NO_COLOR` (`color == false`), which still wins.
    pub fn painted(mut self, colours: &[(&str, Color)]) -> Theme {
        if !self.color {
            return self;
        }
        for &(slot, colour) in colours {
            let style = match slot {
                "title" => &mut self.title,
                "accent" => &mut self.accent,
                "dim" => &mut self.dim,
                "key" => &mut self.key,
                "selected" => &mut self.selected,
                "redrill" => &mut self.redrill,
                "error" => &mut self.error,
                _ => continue,
            };
            *style = style.fg(colour);
        }
        self
    }
}

pub fn render(app: &App, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, area, frame);
        return;
    }
    match &app.screen {
        Screen::Home => frame.render_widget(HomeScreen { app, theme }, area),
        Screen::Review(shown) => frame.render_widget(ReviewScreen { app, shown, theme }, area),
        Screen::Summary(summary) => frame.render_widget(
            SummaryScreen {
                app,
                summary,
                theme,
            },
            area,
        ),
        Screen::NothingDue { next_due, ahead } => frame.render_widget(
            NothingDueScreen {
                app,
                next_due: *next_due,
                ahead: *ahead,
                theme,
            },
            area,
        ),
        Screen::Stats(view) => frame.render_widget(StatsPage { app, view, theme }, area),
        Screen::Browse(b) => frame.render_widget(BrowserScreen { app, b, theme }, area),
    }
    if let Some(offset) = app.help {
        frame.render_widget(HelpOverlay { app, offset, theme }, area);
    }
}

/// How far the text on the App's screen (or the help over it) scrolls at
/// the size last drawn. Below the minimum size only a notice is drawn, and
/// nothing scrolls.
pub fn scroll(app: &App) -> Scroll {
    let area = app.area;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Scroll::NONE;
    }
    if app.help.is_some() {
        return help::scroll(area);
    }
    match &app.screen {
        Screen::Review(shown) => review::scroll(shown, area),
        Screen::Stats(view) => stats::scroll(view, area),
        _ => Scroll::NONE,
    }
}

/// Rows of matches the browser shows at the size last drawn (`None`
/// before a draw, or below the minimum size).
pub fn browser_rows(app: &App, error: bool) -> Option<usize> {
    let area = app.area;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    Some(usize::from(browser::list_height(area, error)).max(1))
}

/// The notice names a key that quits from the screen underneath: the home
/// screen's `quit` key as bound, elsewhere Ctrl-C (q there only goes back).
fn too_small(app: &App, area: Rect, frame: &mut Frame) {
    let quit = match app.mode() {
        crate::tui::app::Mode::Home => app.ctx.ui.keys.label(&["quit"]),
        _ => String::new(),
    };
    let quit = if quit.is_empty() { "Ctrl-C" } else { &quit };
    let text = format!(
        "Terminal too small: {}×{}. recall needs at least {MIN_WIDTH}×{MIN_HEIGHT}. \
         Enlarge the window, or press {quit} to quit.",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The bottom line: the status (what just happened) or the key hints.
pub fn draw_footer(app: &App, hints: &[(&str, &str)], theme: &Theme, area: Rect, buf: &mut Buffer) {
    let line = match &app.status {
        Some(status) => {
            let style = if status.error {
                theme.error
            } else {
                theme.accent
            };
            Line::from(Span::styled(
                text::clip(
                    &crate::domain::text::escape_line(&status.text),
                    area.width.into(),
                ),
                style,
            ))
        }
        None => hint_line(hints, theme, area.width),
    };
    Paragraph::new(line).render(area, buf);
}

/// "key what · key what", as many pairs as fit.
pub fn hint_line(hints: &[(&str, &str)], theme: &Theme, cols: u16) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, what) in hints {
        let sep = if spans.is_empty() { "" } else { " · " };
        let w = text::width(sep) + text::width(key) + 1 + text::width(what);
        if used + w > usize::from(cols) {
            break;
        }
        used += w;
        spans.push(Span::styled(sep, theme.dim));
        spans.push(Span::styled(key.to_string(), theme.key));
        spans.push(Span::raw(format!(" {what}")));
    }
    Line::from(spans)
}

/// The top line: a title on the left, facts on the right.
pub fn draw_header(
    left: Vec<Span<'static>>,
    right: String,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let right_w = u16::try_from(text::width(&right)).unwrap_or(area.width);
    let left_area = Rect {
        width: area.width.saturating_sub(right_w + 1),
        ..area
    };
    Paragraph::new(Line::from(left)).render(left_area, buf);
    let right_area = Rect {
        x: area.right().saturating_sub(right_w),
        width: right_w.min(area.width),
        ..area
    };
    Paragraph::new(Span::styled(right, theme.dim)).render(right_area, buf);
}

/// "m:ss", or "h:mm:ss" past an hour.
pub fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}
