//! The home screen: every deck with today's counts.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap,
};

use super::text;
use crate::domain::text::escape_line;
use crate::storage::DeckSummary;
use crate::tui::app::App;
use crate::tui::ui::{Theme, draw_footer, draw_header};

const HINTS: &[(&str, &str)] = &[
    ("↑↓", "move"),
    ("Enter", "study"),
    ("a", "all decks"),
    ("S", "stats"),
    ("?", "help"),
    ("/", "find"),
    ("q", "quit"),
];

const NO_DECKS: &str =
    "No decks yet. Add one with `recall import FILE` (TOML), then run recall again.";

/// The home screen for the decks the App holds.
pub struct HomeScreen<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for HomeScreen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let HomeScreen { app, theme } = self;
        let [top, body, about, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        draw_header(
            vec![Span::styled(" recall", theme.title), Span::raw(" · decks")],
            format!("{} ", app.today().date().format("%a %Y-%m-%d")),
            theme,
            top,
            buf,
        );
        if app.decks.is_empty() {
            Paragraph::new(NO_DECKS)
                .wrap(Wrap { trim: true })
                .block(Block::new().borders(Borders::TOP))
                .render(body, buf);
        } else {
            let mut state = TableState::default().with_selected(Some(app.selected));
            StatefulWidget::render(deck_table(app, theme), body, buf, &mut state);
            let description = text::clip(&escape_line(&description(app)), about.width.into());
            Paragraph::new(Span::styled(description, theme.dim)).render(about, buf);
        }
        draw_footer(app, HINTS, theme, bottom, buf);
    }
}

/// The deck rows the list shows in `area`: all of its lines but the
/// header, the description and the footer (`render`'s layout), and the
/// table's rule and column names (`deck_table`); at least one.
pub fn deck_rows(area: Rect) -> u16 {
    area.height.saturating_sub(5).max(1)
}

/// The decks, one row each, then their total; the selected one marked.
fn deck_table<'a>(app: &'a App, theme: &Theme) -> Table<'a> {
    let rows = app.decks.iter().map(|d| {
        Row::new([
            Cell::from(escape_line(&d.summary.name).into_owned()),
            count(d.to_study),
            count(d.summary.due_today),
            count(d.summary.new),
            count(d.summary.done_today),
        ])
    });
    let sum = |f: fn(&DeckSummary) -> u32| -> u32 { app.decks.iter().map(|d| f(&d.summary)).sum() };
    let total = Row::new([
        Cell::from("Total"),
        count(app.decks.iter().map(|d| d.to_study).sum::<usize>()),
        count(sum(|s| s.due_today)),
        count(sum(|s| s.new)),
        count(sum(|s| s.done_today)),
    ])
    .style(theme.title)
    .top_margin(1);
    Table::new(
        rows.chain(std::iter::once(total)),
        [
            Constraint::Fill(1),
            Constraint::Length(6),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(5),
        ],
    )
    .header(head(theme))
    .row_highlight_style(theme.selected)
    .highlight_symbol("▶ ")
    .block(Block::new().borders(Borders::TOP).border_style(theme.dim))
}

/// The column names: the deck's on the left, the counts' over their numbers.
fn head(theme: &Theme) -> Row<'static> {
    Row::new(["Deck", "Today", "Due", "New", "Done"].map(|h| {
        let line = Line::from(h);
        Cell::from(if h == "Deck" {
            line
        } else {
            line.right_aligned()
        })
    }))
    .style(theme.dim)
}

/// A count, right-aligned under its column name.
fn count(n: impl ToString) -> Cell<'static> {
    Cell::from(Line::from(n.to_string()).right_aligned())
}

/// The first line of the selected deck's description (unescaped), or "".
fn description(app: &App) -> String {
    app.decks
        .get(app.selected)
        .and_then(|d| d.summary.description.lines().next())
        .unwrap_or("")
        .to_string()
}
