//! The statistics widget over a fixed report: a snapshot, and NO_COLOR.

use super::*;
use crate::domain::stats::{CardCounts, DayTotals, DeckCards, HardCard, StatsInput, Tally};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A fixed report: answers on a pattern of days over the last months.
fn sample() -> Stats {
    sample_on(chrono::NaiveDate::from_ymd_opt(2026, 6, 10).unwrap())
}

fn sample_on(today: chrono::NaiveDate) -> Stats {
    let today = Day::from_date(today);
    let day_totals = (0..120)
        .filter(|i| i % 3 != 0)
        .map(|i| {
            let mut t = DayTotals::empty(today.offset(-i), 1);
            t.reviews = (i % 7) as u64 + 1;
            t.redrills = (i % 2) as u64;
            t.young = Tally {
                answers: t.reviews,
                passed: t.reviews - (i % 2) as u64,
            };
            t
        })
        .collect::<Vec<_>>();
    let active_days = {
        let mut d: Vec<Day> = day_totals.iter().map(|t| t.day).collect();
        d.sort();
        d
    };
    Stats::compute(StatsInput {
        today,
        days: 365,
        decks: vec![DeckCards {
            deck: 1,
            name: "Spanish \u{1b}[31m verbs".into(),
            counts: CardCounts {
                cards: 40,
                new: 10,
                learning: 20,
                mature: 8,
                suspended: 2,
                buried: 0,
            },
            due_today: 5,
        }],
        day_totals,
        active_days,
        due: (0..30).map(|i| (today.plus(i), u64::from(i % 5))).collect(),
        intervals: vec![(1, 5), (6, 10)],
        efactors: vec![(2500, 15)],
        hardest: vec![HardCard {
            deck: "Spanish".into(),
            id: "ser".into(),
            lapses: 3,
            efactor: 1.7,
        }],
    })
}

fn draw(color: bool) -> Terminal<TestBackend> {
    draw_stats(&sample(), color)
}

fn draw_stats(stats: &Stats, color: bool) -> Terminal<TestBackend> {
    let schedulers = stats
        .decks
        .iter()
        .map(|d| (d.name.clone(), crate::domain::SchedulerKind::Fsrs))
        .collect();
    let mut terminal = Terminal::new(TestBackend::new(90, 32)).unwrap();
    terminal
        .draw(|f| {
            f.render_widget(
                StatsScreen::new(stats, "all decks · last 365 days", color)
                    .with_schedulers(&schedulers),
                f.area(),
            )
        })
        .unwrap();
    terminal
}

#[test]
fn stats_screen_snapshot() {
    insta::assert_snapshot!(draw(false).backend());
}

#[test]
fn no_color_means_no_colors() {
    let colored = |t: &Terminal<TestBackend>| {
        t.backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| c.fg != Color::Reset)
            .count()
    };
    assert_eq!(colored(&draw(false)), 0);
    assert!(colored(&draw(true)) > 0);
}

/// The heatmap's row of month names (the line under its top border).
fn month_row(stats: &Stats) -> String {
    let terminal = draw_stats(stats, false);
    let buffer = terminal.backend().buffer();
    let y = (0..buffer.area.height)
        .find(|&y| (0..buffer.area.width).any(|x| buffer[(x, y)].symbol() == "┌"))
        .unwrap()
        + 1;
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

/// A year that begins in the last days of a month: its first column is
/// that month's, but the next month starts a column later. The next
/// month is named, not the first column's at the cost of the next one's.
#[test]
fn a_first_column_of_a_months_last_days_leaves_the_name_to_the_next_month() {
    // 365 days to 2026-03-01 start on Mon 2025-03-02's week: Mon 2025-02-24.
    let row = month_row(&sample_on(
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
    ));
    assert!(row.starts_with("│     Mar  Apr"), "{row}");
    assert!(!row.contains("Feb  Apr"), "{row}");
    // A first column well inside its month keeps the month's name.
    let row = month_row(&sample());
    assert!(row.starts_with("│    Jun "), "{row}");
}
