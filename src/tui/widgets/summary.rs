//! The end of a session, and the screen for a day with nothing due.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::Day;
use crate::domain::text::escape_line;
use crate::tui::app::{App, Summary};
use crate::tui::ui::{Theme, clock, draw_footer, draw_header};

fn scope_name(app: &App) -> String {
    let Some(study) = &app.study else {
        return "all decks".into();
    };
    let deck = study.scope.deck.as_deref().unwrap_or("all decks");
    let name = match &study.scope.tag {
        Some(tag) => format!("{deck}, tag {tag}"),
        None => deck.to_string(),
    };
    escape_line(&name).into_owned()
}

fn frame_of(app: &App, title: &str, theme: &Theme, area: Rect, buf: &mut Buffer) -> [Rect; 2] {
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(
        vec![
            Span::styled(" recall", theme.title),
            Span::raw(format!(" · {}", scope_name(app))),
        ],
        format!("{title} "),
        theme,
        top,
        buf,
    );
    let inner = Block::new().borders(Borders::TOP).border_style(theme.dim);
    let body_inner = inner.inner(body);
    let body_inner = Rect {
        x: body_inner.x + 1,
        width: body_inner.width.saturating_sub(2),
        ..body_inner
    };
    inner.render(body, buf);
    [body_inner, bottom]
}

fn percent(part: usize, whole: usize) -> String {
    (part * 100 + whole / 2)
        .checked_div(whole)
        .map_or_else(|| "–".into(), |p| format!("{p}%"))
}

/// How the session went, once its last card is answered.
pub struct SummaryScreen<'a> {
    pub app: &'a App,
    pub summary: &'a Summary,
    pub theme: &'a Theme,
}

impl Widget for SummaryScreen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let SummaryScreen {
            app,
            summary: s,
            theme,
        } = self;
        let [body, bottom] = frame_of(app, "session complete", theme, area, buf);
        let fact = |name: &str, value: String| {
            Line::from(vec![
                Span::styled(format!(" {name:<18}"), theme.dim),
                Span::styled(value, theme.title),
            ])
        };
        let headline = if s.cram {
            "Studied ahead. Schedules were not changed."
        } else {
            "Done for now. Every answer is saved."
        };
        let lines = vec![
            Line::styled(headline, theme.accent),
            Line::raw(""),
            fact(
                "Cards reviewed",
                format!(
                    "{} ({})",
                    s.cards,
                    crate::domain::plural::plural(s.answers, "answer")
                ),
            ),
            fact("Graded 3 or more", percent(s.passed3, s.answers)),
            fact("Graded 4 or more", percent(s.passed4, s.answers)),
            fact("Time spent", clock(s.seconds)),
            fact("Due tomorrow", s.due_tomorrow.to_string()),
        ];
        Paragraph::new(lines).render(body, buf);
        let back = if app.direct { "quit" } else { "home" };
        draw_footer(
            app,
            &[
                ("Enter", back),
                ("u", "undo last"),
                ("?", "help"),
                ("q", back),
            ],
            theme,
            bottom,
            buf,
        );
    }
}

/// A session with nothing to study: when the next card is due, and how
/// many could be studied ahead.
pub struct NothingDueScreen<'a> {
    pub app: &'a App,
    pub next_due: Option<Day>,
    pub ahead: usize,
    pub theme: &'a Theme,
}

impl Widget for NothingDueScreen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let NothingDueScreen {
            app,
            next_due,
            ahead,
            theme,
        } = self;
        let [body, bottom] = frame_of(app, "nothing due", theme, area, buf);
        let today = app.today();
        let when = match next_due {
            Some(day) => {
                let days = day.days_since(today);
                let plural = if days == 1 { "" } else { "s" };
                format!(
                    "The next card is due on {} (in {days} day{plural}).",
                    day.date().format("%a %Y-%m-%d")
                )
            }
            None => "No card is scheduled yet.".into(),
        };
        let mut lines = vec![
            Line::styled("Nothing is due today.", theme.accent),
            Line::raw(""),
            Line::raw(when),
            Line::raw(""),
        ];
        if ahead > 0 {
            lines.push(Line::from(vec![
                Span::styled("c", theme.key),
                Span::raw(format!(
                    "  study ahead: {ahead} card{} not yet due, soonest first. \
                 Your schedule is not changed.",
                    if ahead == 1 { "" } else { "s" }
                )),
            ]));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(body, buf);
        let back = if app.direct { "quit" } else { "home" };
        let mut hints = vec![("q", back), ("?", "help")];
        if ahead > 0 {
            hints.insert(0, ("c", "study ahead"));
        }
        draw_footer(app, &hints, theme, bottom, buf);
    }
}
