//! The card browser's detail pane: the selected card's front and back in
//! the room its answers leave them, then as many of its latest answers as fit.

use chrono::{DateTime, FixedOffset};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::text;
use crate::domain::text::escape_line;
use crate::storage::HistoryRow;
use crate::tui::browser::Detail;
use crate::tui::ui::Theme;

/// The selected card: a rule naming it, its front and back laid out in the
/// room the answers leave them (the front at most `FRONT_LINES`), then its
/// answers (as many of the latest as fit).
pub(super) fn detail_lines(d: &Detail, theme: &Theme, area: Rect) -> Vec<Line<'static>> {
    const FRONT_LINES: usize = 3;
    let w = usize::from(area.width);
    let card = &d.card;
    let title = format!(
        "── card {} · {} / {} ",
        card.id,
        escape_line(&card.deck),
        escape_line(&card.key)
    );
    let fill = w.saturating_sub(text::width(&title));
    let mut lines = vec![Line::styled(
        text::clip(&format!("{title}{}", "─".repeat(fill)), w),
        theme.dim,
    )];
    let memory = memory_line(d, w, theme);
    // What the answers keep for themselves: a heading and a few of them,
    // or the line that says there are none.
    let answers = if d.history.is_empty() {
        1
    } else {
        (d.history.len() + 1).min(5)
    };
    let text_room = usize::from(area.height)
        .saturating_sub(1 + usize::from(memory.is_some()) + answers)
        .max(2);
    let front = field_lines(
        "Front",
        &card.front,
        theme.title,
        w,
        FRONT_LINES.min(text_room - 1),
        theme,
    );
    let back_room = text_room - front.len();
    lines.extend(front);
    lines.extend(field_lines(
        "Back",
        &card.back,
        Style::new(),
        w,
        back_room,
        theme,
    ));
    lines.extend(memory);
    let room = usize::from(area.height).saturating_sub(lines.len());
    lines.extend(history_lines(d, room, w, theme));
    lines
}

/// "FSRS    stability 12.3 d · difficulty 5.4 · retrievability 87%": an
/// FSRS card's memory state today (nothing under SM-2, nor for a new card).
fn memory_line(d: &Detail, w: usize, theme: &Theme) -> Option<Line<'static>> {
    let m = d.view.memory?;
    let r = m
        .retrievability
        .map_or("-".to_string(), |r| format!("{:.0}%", r * 100.0));
    let text = format!(
        "stability {:.1} d · difficulty {:.1} · retrievability {r}",
        m.stability, m.difficulty
    );
    Some(Line::from(vec![
        Span::styled(format!("{:<7} ", "FSRS"), theme.dim),
        Span::raw(text::clip(&text, w.saturating_sub(8))),
    ]))
}

/// "Front   the text …": a field laid out in at most `room` lines (at
/// least one) beside its name, the last with a mark when more would follow.
fn field_lines(
    name: &str,
    value: &str,
    style: Style,
    w: usize,
    room: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let value = crate::domain::math_text::display(value);
    let cols = w.saturating_sub(8);
    let mut laid = text::layout(value.trim_end(), cols.saturating_sub(2));
    if laid.is_empty() {
        laid.push(String::new());
    }
    let room = room.max(1);
    if laid.len() > room {
        laid.truncate(room);
        if let Some(last) = laid.last_mut() {
            last.push_str(" …");
        }
    }
    laid.into_iter()
        .enumerate()
        .map(|(i, line)| {
            let label = if i == 0 { name } else { "" };
            Line::from(vec![
                Span::styled(format!("{label:<7} "), theme.dim),
                Span::styled(text::clip(&line, cols), style),
            ])
        })
        .collect()
}

/// The card's answers in `room` lines: a heading and the latest ones, with
/// how many earlier ones did not fit; or a line saying why there are none.
fn history_lines(d: &Detail, room: usize, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let n = d.history.len();
    if n == 0 {
        return vec![Line::styled("No answers yet.", theme.dim)];
    }
    if room < 3 {
        let text = format!("{n} answers; a taller terminal lists them");
        return vec![Line::styled(text::clip(&text, w), theme.dim)];
    }
    let head = format!(
        "{:<16} {:>5} {:<8} {:>17} {:>13} {:>6}",
        "ANSWERED", "GRADE", "KIND", "INTERVAL", "EF", "TIME"
    );
    let mut lines = vec![Line::styled(text::clip(&head, w), theme.dim)];
    // The latest answers when all do not fit, and how many are above.
    let shown = if n < room { n } else { room - 2 };
    let skipped = n - shown;
    if skipped > 0 {
        let more = format!(
            "… {skipped} earlier (recall log {} lists them all)",
            d.card.id
        );
        lines.push(Line::styled(text::clip(&more, w), theme.dim));
    }
    for r in &d.history[skipped..] {
        lines.push(Line::raw(text::clip(&history_line(r), w)));
    }
    lines
}

fn history_line(r: &HistoryRow) -> String {
    let when = FixedOffset::east_opt(r.utc_offset_secs)
        .zip(DateTime::from_timestamp_millis(r.reviewed_at_ms))
        .map_or("?".into(), |(o, t)| {
            t.with_timezone(&o).format("%Y-%m-%d %H:%M").to_string()
        });
    let kind = if r.imported {
        "imported"
    } else {
        r.kind.as_str()
    };
    let time = match r.duration_ms {
        0 => "-".into(),
        ms => format!("{:.1}s", f64::from(ms) / 1000.0),
    };
    format!(
        "{when:<16} {:>5} {kind:<8} {:>17} {:>13} {time:>6}",
        r.grade,
        format!("{} → {}", days(r.before.interval), days(r.after.interval)),
        format!("{} → {}", r.before.efactor, r.after.efactor),
    )
}

fn days(n: u32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

#[cfg(test)]
#[path = "browser_detail_tests.rs"]
mod tests;
