//! The card browser: the query line, a page of matching cards, and the
//! selected card with its whole history. Every text from the collection is
//! one line here, through `escape_line`, clipped to its column.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::browser_detail::detail_lines;
use super::text;
use crate::domain::text::escape_line;
use crate::storage::CardRow;
use crate::tui::app::App;
use crate::tui::browser::{Browser, Focus, Prompt};
use crate::tui::ui::{Theme, draw_footer, draw_header};

/// The list's columns after the front: title, width; dropped from the last
/// when the terminal is narrow, so the front keeps some room.
const COLUMNS: &[(&str, usize)] = &[
    ("DUE", 10),
    ("IVL", 5),
    ("EASE", 5),
    ("LAPSES", 6),
    ("STATE", 9),
];
const DECK: usize = 14;
const FRONT_MIN: usize = 16;

/// Rows of matches a browser of `area` shows at once: half of what is
/// left after the header, the query line (and its error), the column
/// heads and the footer; the detail gets the rest.
pub fn list_height(area: Rect, error: bool) -> u16 {
    let avail = area.height.saturating_sub(4 + u16::from(error));
    (avail / 2).max(3).min(avail)
}

/// The card browser: the query, the list, the selected card in full.
pub struct BrowserScreen<'a> {
    pub app: &'a App,
    pub b: &'a Browser,
    pub theme: &'a Theme,
}

impl Widget for BrowserScreen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let BrowserScreen { app, b, theme } = self;
        let error = u16::from(b.error.is_some());
        let list = list_height(area, b.error.is_some());
        let [top, query, err, head, body, detail, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(error),
            Constraint::Length(1),
            Constraint::Length(list),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        draw_header(
            vec![Span::styled(" recall", theme.title), Span::raw(" · cards")],
            format!("{} ", position(b)),
            theme,
            top,
            buf,
        );
        query_line(b, theme, query, buf);
        if let Some(e) = &b.error {
            let line = format!(" {e} (the list is the last search that worked)");
            let line = text::clip(&escape_line(&line), err.width.into());
            Paragraph::new(Span::styled(line, theme.error)).render(err, buf);
        }
        let cols = columns(area.width.into());
        let width = usize::from(area.width);
        Paragraph::new(Span::styled(heading(cols, width), theme.dim)).render(head, buf);
        Paragraph::new(rows(b, usize::from(list).max(1), cols, width, theme)).render(body, buf);
        if let Some(d) = &b.detail {
            Paragraph::new(detail_lines(d, theme, detail)).render(detail, buf);
        }
        match &b.prompt {
            Some(prompt) => prompt_line(b, prompt, theme, bottom, buf),
            None => {
                let owned = hints(app, b);
                let hints: Vec<(&str, &str)> =
                    owned.iter().map(|(k, w)| (k.as_str(), *w)).collect();
                draw_footer(app, &hints, theme, bottom, buf);
            }
        }
    }
}

/// "12 of 340", "12 of 200+" before the end was reached, "no cards".
fn position(b: &Browser) -> String {
    let marked = match b.marked.len() {
        0 => String::new(),
        n => format!("{n} marked · "),
    };
    let total = match b.total {
        Some(0) => return format!("{marked}no cards match"),
        Some(n) => n.to_string(),
        None => format!("{}+", b.start + b.rows.len()),
    };
    format!("{marked}{} of {total}", b.cursor + 1)
}

fn query_line(b: &Browser, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let focused = b.focus == Focus::Query && b.prompt.is_none();
    let label = Span::styled(" Search: ", if focused { theme.accent } else { theme.dim });
    let room = usize::from(area.width).saturating_sub(11);
    let typed = escape_line(&b.query);
    // The end of a long query stays in view, where the typing happens.
    let skip = text::width(&typed).saturating_sub(room);
    let shown: String = typed.chars().skip(skip).collect();
    let mut spans = vec![label, Span::raw(shown)];
    if focused {
        spans.push(Span::styled("▏", theme.accent));
    } else if b.query.is_empty() {
        spans.push(Span::styled("(every card; / to search)", theme.dim));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

/// How many of `COLUMNS` fit beside the deck and a front of `FRONT_MIN`.
fn columns(width: usize) -> usize {
    let mut used = 2 + DECK + 1 + FRONT_MIN;
    let mut n = 0;
    for (_, w) in COLUMNS {
        if used + 1 + w > width {
            break;
        }
        used += 1 + w;
        n += 1;
    }
    n
}

fn cell(s: &str, w: usize) -> String {
    let clipped = text::clip(s, w);
    let pad = w.saturating_sub(text::width(&clipped));
    format!("{clipped}{}", " ".repeat(pad))
}

fn right(s: &str, w: usize) -> String {
    let clipped = text::clip(s, w);
    let pad = w.saturating_sub(text::width(&clipped));
    format!("{}{clipped}", " ".repeat(pad))
}

/// The deck and front cells, then the rest right-aligned, with the front
/// taking what is left of `width`.
fn layout(deck: &str, front: &str, rest: &[String], width: usize) -> String {
    let fixed: usize = COLUMNS[..rest.len()].iter().map(|(_, w)| w + 1).sum();
    let front_w = width.saturating_sub(2 + DECK + 1 + fixed).max(1);
    let mut line = format!("{} {}", cell(deck, DECK), cell(front, front_w));
    for (value, (_, w)) in rest.iter().zip(COLUMNS) {
        line.push(' ');
        line.push_str(&right(value, *w));
    }
    line
}

fn heading(cols: usize, width: usize) -> String {
    let rest: Vec<String> = COLUMNS[..cols].iter().map(|(t, _)| t.to_string()).collect();
    format!("  {}", layout("DECK", "FRONT", &rest, width))
}

/// The list's rows from `b.top` on, `view` of them.
fn rows(b: &Browser, view: usize, cols: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let first = b.top.saturating_sub(b.start);
    if b.rows.is_empty() {
        return vec![Line::styled("  No card matches this search.", theme.dim)];
    }
    b.rows
        .iter()
        .enumerate()
        .skip(first)
        .take(view)
        .map(|(i, r)| {
            let here = b.start + i == b.cursor;
            let arrow = if here { "▶" } else { " " };
            let mark = if b.marked.contains(&r.id) { "•" } else { " " };
            let line = format!("{arrow}{mark}{}", row_text(r, cols, width));
            if here {
                Line::styled(line, theme.selected)
            } else {
                Line::raw(line)
            }
        })
        .collect()
}

fn row_text(r: &CardRow, cols: usize, width: usize) -> String {
    let front = r.front.replace(['\n', '\r'], " ");
    let rest = r.schedule_columns("new");
    layout(
        &escape_line(&r.deck),
        &escape_line(&front),
        &rest[..cols],
        width,
    )
}

fn prompt_line(b: &Browser, prompt: &Prompt, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let n = b.targets().len();
    let what = crate::tui::browser::cards(n);
    let spans = match prompt {
        Prompt::Move(typed) => vec![
            Span::styled(format!(" Move {what} to deck: "), theme.accent),
            Span::raw(escape_line(typed).into_owned()),
            Span::styled("▏", theme.accent),
            Span::styled("  Enter moves · Esc cancels", theme.dim),
        ],
        Prompt::Delete => vec![Span::styled(
            format!(
                " Delete {what} and {} history? A backup is made first. y deletes · any other key keeps",
                if n == 1 { "its" } else { "their" }
            ),
            theme.error,
        )],
    };
    Paragraph::new(Line::from(spans)).render(area, buf);
}

/// The footer's keys, as the key map has them.
fn hints(app: &App, b: &Browser) -> Vec<(String, &'static str)> {
    let map = &app.ctx.ui.keys;
    let keys: &[(&[&str], &'static str)] = if b.focus == Focus::Query {
        &[(&["results"], "to the list"), (&["leave_search"], "back")]
    } else {
        &[
            (&["search"], "search"),
            (&["mark"], "mark"),
            (&["suspend", "unsuspend"], "(un)suspend"),
            (&["bury", "unbury"], "(un)bury"),
            (&["reset"], "reset"),
            (&["edit"], "edit"),
            (&["move"], "move"),
            (&["delete"], "delete"),
            (&["help"], "help"),
            (&["back"], "back"),
        ]
    };
    keys.iter()
        .map(|(actions, what)| (map.label(actions).replace("  ", " "), *what))
        .collect()
}
