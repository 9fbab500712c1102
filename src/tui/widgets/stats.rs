//! The statistics screen (`S` from home). `StatsScreen` is a self-contained
//! ratatui widget: it renders a computed `Stats` and knows nothing of the
//! store or of keys; `render` puts it on the TUI's screen with its key hints
//! (the scope and period it shows are `tui::stats::StatsView`).
//!
//! Layout: a title line, a calendar heatmap of the period (a column per
//! week, Monday on top, months above), the 30-day forecast (dates below)
//! beside the retention and streak figures, and the per-deck table. Taller
//! than the terminal, it scrolls (`render` draws it whole off screen and
//! shows the lines the offset asks for).

use chrono::Datelike;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Row, Table, Widget};

use std::collections::HashMap;

use crate::domain::stats::{Stats, percent};
use crate::domain::text::escape_line;
use crate::domain::{Day, SchedulerKind};
use crate::tui::app::App;
use crate::tui::stats::StatsView;
use crate::tui::ui::{Theme, draw_footer};

use super::Scroll;

/// Weeks the heatmap shows: a year, and the week in progress.
const WEEKS: i64 = 53;
/// The heatmap: borders, the months, a line per weekday.
const HEAT_HEIGHT: u16 = 10;
/// The forecast and the figures beside it.
const MIDDLE_HEIGHT: u16 = 10;
/// Shades from no answers to the busiest day.
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];
const GREENS: [Color; 5] = [
    Color::DarkGray,
    Color::Indexed(22),
    Color::Indexed(28),
    Color::Indexed(34),
    Color::Indexed(40),
];

const HINTS: &[(&str, &str)] = &[
    ("Tab", "deck"),
    ("p", "period"),
    ("↑↓", "scroll"),
    ("?", "help"),
    ("q", "back"),
];

/// The report, and the key hints under it.
fn areas(area: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area)
}

/// How far the report scrolls in `area` (the deck table can be longer
/// than the screen).
pub fn scroll(view: &StatsView, area: Rect) -> Scroll {
    let [body, _] = areas(area);
    let height = StatsScreen::new(&view.stats, &view.label, false).height();
    Scroll::of(height.into(), body.height)
}

/// The App's statistics screen: `StatsScreen` scrolled, with the keys.
pub struct StatsPage<'a> {
    pub app: &'a App,
    pub view: &'a StatsView,
    pub theme: &'a Theme,
}

impl Widget for StatsPage<'_> {
    /// The App's statistics screen: the report above, the key hints below.
    /// The report is drawn at its full height and shown from `view.scroll` on.
    fn render(self, area: Rect, buf: &mut Buffer) {
        let StatsPage { app, view, theme } = self;
        let [body, bottom] = areas(area);
        let screen = StatsScreen::new(&view.stats, &view.label, theme.color)
            .with_schedulers(&view.schedulers);
        let full = Rect::new(0, 0, body.width, screen.height().max(body.height));
        let mut whole = Buffer::empty(full);
        screen.render(full, &mut whole);
        let max = scroll(view, area).max;
        let offset = view.scroll.min(max);
        for y in 0..body.height {
            for x in 0..body.width {
                if let (Some(from), Some(to)) = (
                    whole.cell(Position::new(x, y + offset)),
                    buf.cell_mut(Position::new(body.x + x, body.y + y)),
                ) {
                    *to = from.clone();
                }
            }
        }
        if max > 0 {
            // In the last column: ↓ while more follows below, else ↑.
            let (mark, y) = if offset < max {
                ("↓", body.bottom() - 1)
            } else {
                ("↑", body.y)
            };
            buf.set_string(body.right() - 1, y, mark, theme.key);
        }
        draw_footer(app, HINTS, theme, bottom, buf);
    }
}

pub struct StatsScreen<'a> {
    stats: &'a Stats,
    /// What is shown, e.g. "all decks · last 365 days"; Tab changes it.
    label: &'a str,
    /// False under NO_COLOR: shades and text only.
    color: bool,
    /// Each deck's algorithm, by name ("-" for a deck not in it).
    schedulers: Option<&'a HashMap<String, SchedulerKind>>,
}

impl<'a> StatsScreen<'a> {
    pub fn new(stats: &'a Stats, label: &'a str, color: bool) -> StatsScreen<'a> {
        StatsScreen {
            stats,
            label,
            color,
            schedulers: None,
        }
    }

    /// The deck table names each deck's algorithm from `schedulers`.
    pub fn with_schedulers(mut self, schedulers: &'a HashMap<String, SchedulerKind>) -> Self {
        self.schedulers = Some(schedulers);
        self
    }

    fn style(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// Answers per day (any kind) for the heatmap, by day number.
    fn answers_on(&self, day: Day) -> Option<u64> {
        let first = self.stats.reviews_by_day.first()?.date;
        let row = self
            .stats
            .reviews_by_day
            .get(usize::try_from(day.days_since(first)).ok()?)?;
        Some(row.reviews + row.redrills + row.cram)
    }

    /// The lines the whole report needs: the fixed blocks and every deck.
    pub fn height(&self) -> u16 {
        let decks = u16::try_from(self.stats.decks.len()).unwrap_or(u16::MAX);
        (1 + HEAT_HEIGHT + MIDDLE_HEIGHT + 3).saturating_add(decks)
    }

    /// "last year", "last 30 days": the period the report covers.
    fn period(&self) -> String {
        match self.stats.days {
            365 => "last year".to_string(),
            days => format!("last {}", crate::domain::plural::plural(days, "day")),
        }
    }

    /// A column per week of the period (at most a year), the month's name
    /// above the first week that starts in it, days before the period blank.
    fn heatmap(&self, area: Rect, buf: &mut Buffer) {
        let block = Block::bordered().title(format!(" Answers per day, {} ", self.period()));
        let inner = block.inner(area);
        block.render(area, buf);
        let today = self.stats.today;
        let start = today.window_start(self.stats.days);
        let this_monday = today.minus(today.date().weekday().num_days_from_monday());
        let period_weeks = this_monday.days_since(start).div_euclid(7) + 2;
        let weeks = i64::from(inner.width.saturating_sub(4))
            .min(WEEKS)
            .min(period_weeks.max(1));
        let first_monday = this_monday.offset(-(weeks - 1) * 7);
        let busiest = start
            .max(first_monday)
            .through(today)
            .filter_map(|d| self.answers_on(d))
            .max()
            .unwrap_or(0);
        let mut free = inner.x + 4;
        // The week of a month's first Monday starts it on the heatmap.
        let starts_month = |week: i64| first_monday.offset(week * 7).date().day() <= 7;
        // The first column names its month too, unless the next month
        // starts within the three columns its name would cover.
        let first_named = !(1..4).any(starts_month);
        for week in 0..weeks {
            let monday = first_monday.offset(week * 7).date();
            let x = inner.x + 4 + week as u16;
            let starts_month = starts_month(week) || (week == 0 && first_named);
            if starts_month && x >= free && x + 3 <= inner.right() {
                buf.set_string(x, inner.y, monday.format("%b").to_string(), Style::new());
                free = x + 4;
            }
        }
        for (row, name) in ["Mon", "", "Wed", "", "Fri", "", "Sun"].iter().enumerate() {
            let y = inner.y + 1 + row as u16;
            if y >= inner.bottom() {
                break;
            }
            buf.set_string(inner.x, y, name, Style::new());
            for week in 0..weeks {
                let day = first_monday.offset(week * 7 + row as i64);
                if day > today || day < start {
                    continue;
                }
                let level = match (self.answers_on(day), busiest) {
                    (Some(n), max) if n > 0 && max > 0 => ((4 * n).div_ceil(max)).min(4) as usize,
                    _ => 0,
                };
                let x = inner.x + 4 + week as u16;
                buf.set_string(x, y, SHADES[level].to_string(), self.style(GREENS[level]));
            }
        }
    }

    /// Bars of cards due per day, today first, and under them the dates of
    /// every tenth day.
    fn forecast(&self, area: Rect, buf: &mut Buffer) {
        let total: u64 = self.stats.forecast.iter().map(|f| f.due).sum();
        let block = Block::bordered().title(format!(" Due, next 30 days: {total} "));
        let inner = block.inner(area);
        block.render(area, buf);
        let [chart, axis] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        let bars: Vec<Bar> = self
            .stats
            .forecast
            .iter()
            .map(|f| Bar::new(f.due).text_value(""))
            .collect();
        BarChart::default()
            .bar_width(1)
            .bar_gap(0)
            .bar_style(self.style(Color::Cyan))
            .data(BarGroup::new(bars))
            .render(chart, buf);
        for (i, day) in self.stats.forecast.iter().enumerate().step_by(10) {
            let x = axis.x + i as u16;
            let label = day.date.date().format("%b %-d").to_string();
            if x + label.len() as u16 <= axis.right() {
                buf.set_string(x, axis.y, &label, Style::new());
            }
        }
    }

    fn figures(&self, area: Rect, buf: &mut Buffer) {
        let r = &self.stats.retention;
        let k = &self.stats.streak;
        let t = &self.stats.totals;
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let line = |name: &str, value: String| {
            Line::from(vec![
                Span::raw(format!("{name:<15}")),
                Span::styled(value, bold),
            ])
        };
        let lines = vec![
            line("Retention", percent(r.overall)),
            line("  young", percent(r.young)),
            line("  mature", percent(r.mature)),
            line("  today", percent(r.today)),
            line(
                "  7 / 30 days",
                format!("{} / {}", percent(r.last_7), percent(r.last_30)),
            ),
            line(
                "Streak",
                format!(
                    "{} (longest {})",
                    crate::domain::plural::plural(k.current, "day"),
                    k.longest
                ),
            ),
            line(
                "Studied",
                format!("{}/7, {}/30 days", k.days_last_7, k.days_last_30),
            ),
            line(
                "Cards",
                format!(
                    "{} new, {} learning, {} mature",
                    t.new, t.learning, t.mature
                ),
            ),
        ];
        Paragraph::new(lines)
            .block(Block::bordered().title(" Retention and streak "))
            .render(area, buf);
    }

    fn decks(&self, area: Rect, buf: &mut Buffer) {
        let header = Row::new(["Deck", "Cards", "Mature", "Due", "Retention", "Algorithm"])
            .style(Style::new().add_modifier(Modifier::BOLD));
        let rows = self.stats.decks.iter().map(|d| {
            Row::new(vec![
                escape_line(&d.name).into_owned(),
                d.cards.to_string(),
                percent(d.mature_share),
                d.due_today.to_string(),
                percent(d.retention),
                self.schedulers
                    .and_then(|s| s.get(&d.name))
                    .map_or("-".to_string(), |k| k.to_string()),
            ])
        });
        let widths = [
            Constraint::Fill(1),
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Length(5),
            Constraint::Length(9),
            Constraint::Length(9),
        ];
        Table::new(rows, widths)
            .header(header)
            .block(Block::bordered().title(" Decks "))
            .render(area, buf);
    }
}

impl Widget for StatsScreen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let [title, heat, middle, decks] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(HEAT_HEIGHT),
            Constraint::Length(MIDDLE_HEIGHT),
            Constraint::Min(3),
        ])
        .areas(area);
        let heading = format!(
            "Statistics · {} · today {}",
            escape_line(self.label),
            self.stats.today
        );
        Line::styled(heading, Style::new().add_modifier(Modifier::BOLD)).render(title, buf);
        self.heatmap(heat, buf);
        let [left, right] =
            Layout::horizontal([Constraint::Length(32), Constraint::Fill(1)]).areas(middle);
        self.forecast(left, buf);
        self.figures(right, buf);
        self.decks(decks, buf);
    }
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
