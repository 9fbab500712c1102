//! The home screen: every deck with today's counts.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use super::text;
use crate::domain::text::escape_line;
use crate::tui::app::App;
use crate::tui::ui::{Theme, footer, header};

const HINTS: &[(&str, &str)] = &[
    ("↑↓", "move"),
    ("Enter", "study"),
    ("a", "all decks"),
    ("S", "stats"),
    ("?", "help"),
    ("/", "find"),
    ("q", "quit"),
];

pub fn render(app: &App, theme: &Theme, area: Rect, frame: &mut Frame) {
    let [top, body, about, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let today = app.today();
    header(
        vec![Span::styled(" recall", theme.title), Span::raw(" · decks")],
        format!("{} ", today.date().format("%a %Y-%m-%d")),
        theme,
        top,
        frame,
    );

    if app.decks.is_empty() {
        let text = "No decks yet. Add one with `recall import FILE` (TOML), then run recall again.";
        frame.render_widget(
            Paragraph::new(text)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .block(Block::new().borders(Borders::TOP)),
            body,
        );
        footer(app, HINTS, theme, bottom, frame);
        return;
    }

    let number = |n: u32| Cell::from(Line::from(n.to_string()).right_aligned());
    let rows = app.decks.iter().map(|d| {
        Row::new([
            Cell::from(escape_line(&d.summary.name).into_owned()),
            Cell::from(Line::from(d.to_study.to_string()).right_aligned()),
            number(d.summary.due_today),
            number(d.summary.new),
            number(d.summary.done_today),
        ])
    });
    let sum = |f: fn(&crate::storage::DeckSummary) -> u32| -> u32 {
        app.decks.iter().map(|d| f(&d.summary)).sum()
    };
    let to_study: usize = app.decks.iter().map(|d| d.to_study).sum();
    let total = Row::new([
        Cell::from("Total"),
        Cell::from(Line::from(to_study.to_string()).right_aligned()),
        number(sum(|s| s.due_today)),
        number(sum(|s| s.new)),
        number(sum(|s| s.done_today)),
    ])
    .style(theme.title)
    .top_margin(1);
    let head = Row::new(["Deck", "Today", "Due", "New", "Done"].map(|h| {
        let line = Line::from(h);
        Cell::from(if h == "Deck" {
            line
        } else {
            line.right_aligned()
        })
    }))
    .style(theme.dim);
    let table = Table::new(
        rows.chain(std::iter::once(total)),
        [
            Constraint::Fill(1),
            Constraint::Length(6),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(5),
        ],
    )
    .header(head)
    .row_highlight_style(theme.selected)
    .highlight_symbol("▶ ")
    .block(Block::new().borders(Borders::TOP).border_style(theme.dim));
    let mut state = TableState::default().with_selected(Some(app.selected));
    frame.render_stateful_widget(table, body, &mut state);

    let description = app
        .decks
        .get(app.selected)
        .map(|d| {
            d.summary
                .description
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    let description = text::clip(&escape_line(&description), about.width.into());
    frame.render_widget(Paragraph::new(Span::styled(description, theme.dim)), about);
    footer(app, HINTS, theme, bottom, frame);
}
