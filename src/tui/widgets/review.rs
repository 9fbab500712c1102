//! The review screen: progress, the card, and the grade bar.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, Paragraph, Widget};

use super::{Scroll, image, text};
use crate::domain::text::escape_line;
use crate::domain::{Grade, QueueKind};
use crate::tui::app::App;
use crate::tui::review::{Shown, short_days};
use crate::tui::ui::{Theme, clock, draw_footer, draw_header};

const FRONT_HINTS: &[(&str, &str)] = &[
    ("Space", "show answer"),
    ("u", "undo"),
    ("s", "suspend"),
    ("b", "bury"),
    ("e", "edit"),
    ("?", "help"),
    ("q", "back"),
];
const BACK_HINTS: &[(&str, &str)] = &[
    ("0-5", "grade"),
    ("u", "undo"),
    ("s", "suspend"),
    ("b", "bury"),
    ("e", "edit"),
    ("?", "help"),
    ("q", "back"),
];

/// What each grade means, where a cell has room for it and a gap (`?`
/// gives the full meanings).
const LABELS: [&str; 6] = [
    "blackout",
    "wrong, knew it",
    "wrong, familiar",
    "right but hard",
    "hesitant",
    "perfect",
];
/// The same in 10 columns.
const SHORT_LABELS: [&str; 6] = ["blackout", "wrong", "nearly", "hard", "hesitant", "perfect"];

/// The header, the progress gauge, the card, the grade bar, the footer.
fn areas(shown: &Shown, area: Rect) -> [Rect; 5] {
    // Labels under the grades only where there is room; `?` lists them too.
    let bar_height = match (shown.revealed, area.width >= 66, area.height) {
        (false, _, _) => 0,
        (true, true, 18..) => 3,
        (true, true, 16..) => 2,
        (true, _, _) => 1,
    };
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(bar_height),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Where the card's text goes in its area: one column of margin on each
/// side (the text never touches the edge), a line above where there is
/// room.
fn text_area(body: Rect) -> Rect {
    let gap = u16::from(body.height > 8);
    Rect {
        x: body.x + 1,
        width: body.width.saturating_sub(2),
        y: body.y + gap,
        height: body.height.saturating_sub(gap),
    }
}

/// How far the card scrolls on a review screen of `area`.
pub fn scroll(shown: &Shown, area: Rect) -> Scroll {
    let [_, _, body, _, _] = areas(shown, area);
    let inner = text_area(body);
    let lines = card_lines(shown, usize::from(inner.width).max(1), &Theme::new(false));
    Scroll::of(lines.len(), inner.height)
}

/// The review screen for the card on screen.
pub struct ReviewScreen<'a> {
    pub app: &'a App,
    pub shown: &'a Shown,
    pub theme: &'a Theme,
}

impl Widget for ReviewScreen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let ReviewScreen { app, shown, theme } = self;
        let [top, gauge, body, bar, bottom] = areas(shown, area);
        let (done, left, elapsed) = app.study.as_ref().map_or((0, 0, 0), |s| {
            let secs = (app.ctx.clock.now() - s.started).num_seconds();
            (s.answers.len(), s.session.remaining(), secs)
        });
        draw_header(
            title(shown, theme),
            format!("{left} left · {} ", clock(elapsed)),
            theme,
            top,
            buf,
        );
        let total = done + left;
        let ratio = if total == 0 {
            0.0
        } else {
            done as f64 / total as f64
        };
        LineGauge::default()
            .ratio(ratio)
            .label(format!("{done}/{total}"))
            .filled_style(theme.accent)
            .unfilled_style(theme.dim)
            .render(gauge, buf);
        let left = render_card(shown, theme, body, area, buf);
        image::CardPicture { media: &app.media }.render(left, buf);
        if shown.revealed {
            render_grade_bar(shown, theme, bar, buf);
            super::typed::mark_suggestion(shown, theme, bar, buf);
        }
        let hints = super::typed::hints(shown).unwrap_or(if shown.revealed {
            BACK_HINTS
        } else {
            FRONT_HINTS
        });
        draw_footer(app, hints, theme, bottom, buf);
    }
}

/// "recall · deck  NEW": the deck, and how the card came up.
fn title(shown: &Shown, theme: &Theme) -> Vec<Span<'static>> {
    let badge = match shown.kind {
        QueueKind::New => Span::styled("  NEW", theme.accent),
        QueueKind::Review => Span::styled("  REVIEW", theme.dim),
        QueueKind::Redrill => Span::styled("  RE-DRILL", theme.redrill),
        QueueKind::Cram => Span::styled("  AHEAD", theme.redrill),
    };
    vec![
        Span::styled(" recall", theme.title),
        Span::raw(" · "),
        Span::raw(escape_line(&shown.card.deck).into_owned()),
        badge,
    ]
}

/// The card's text in `body`, from `shown.scroll` on, with a mark in the
/// margin while there is more (`screen` is the whole review screen).
/// Returns the room left under the text (for a picture), after a blank line.
fn render_card(shown: &Shown, theme: &Theme, body: Rect, screen: Rect, buf: &mut Buffer) -> Rect {
    let inner = text_area(body);
    let lines = card_lines(shown, usize::from(inner.width).max(1), theme);
    let used = u16::try_from(lines.len() + 1).unwrap_or(u16::MAX);
    let left = Rect {
        y: inner.y.saturating_add(used),
        height: inner.height.saturating_sub(used),
        ..inner
    };
    let max = scroll(shown, screen).max;
    let scroll = shown.scroll.min(max);
    Paragraph::new(lines).scroll((scroll, 0)).render(inner, buf);
    if max > 0 {
        // In the right margin: ↓ at the bottom while more follows, ↑ at the top.
        let (more, y) = if scroll < max {
            ("↓", inner.bottom().saturating_sub(1))
        } else {
            ("↑", inner.y)
        };
        let mark = Rect {
            x: body.right().saturating_sub(1),
            y,
            width: 1,
            height: 1,
        };
        Paragraph::new(Span::styled(more, theme.key)).render(mark, buf);
    }
    left
}

/// The card laid out in `cols` columns: a note on how it came up, the
/// front, and once revealed the answer and the notes under their rules.
fn card_lines(shown: &Shown, cols: usize, theme: &Theme) -> Vec<Line<'static>> {
    let note = match shown.kind {
        QueueKind::Redrill => "↻ re-drill: graded below 4 today · schedule unchanged",
        QueueKind::Cram => "studying ahead · schedule unchanged",
        _ => "",
    };
    let card = &shown.card;
    let mut lines: Vec<Line> = Vec::new();
    if !note.is_empty() {
        lines.push(Line::styled(text::clip(note.trim(), cols), theme.redrill));
    }
    let styled = |text: &str, style: Style| {
        text::layout(&crate::domain::math_text::display(text), cols)
            .into_iter()
            .map(move |l| Line::styled(l, style))
    };
    lines.extend(styled(&card.front, theme.title));
    lines.extend(super::typed::lines(shown, cols, theme));
    if shown.revealed {
        lines.push(Line::raw(""));
        lines.push(rule("answer", cols, theme));
        lines.extend(styled(&card.back, Style::new()));
        if !card.notes.trim().is_empty() {
            lines.push(Line::raw(""));
            lines.push(rule("notes", cols, theme));
            lines.extend(styled(&card.notes, theme.dim));
        }
    }
    lines
}

pub(super) fn rule(name: &str, cols: usize, theme: &Theme) -> Line<'static> {
    let label = format!("── {name} ");
    let fill = cols.saturating_sub(text::width(&label));
    Line::styled(format!("{label}{}", "─".repeat(fill)), theme.dim)
}

/// Each grade with the interval it would give: `4 · 17d`, or `same` where
/// the answer cannot move the schedule (re-drill, studying ahead); under it,
/// where there is room, what the grade means (0–2, failures, in the error
/// colour: bold only under NO_COLOR), and for 0–3 that the card comes back
/// today.
fn render_grade_bar(shown: &Shown, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let cells = Layout::horizontal([Constraint::Ratio(1, 6); 6]).split(area);
    for (i, grade) in Grade::ALL.into_iter().enumerate() {
        let next = if shown.schedules() {
            short_days(shown.intervals[i])
        } else {
            "same".to_string()
        };
        let failure = grade.value() < 3;
        let style = if failure {
            theme.error
        } else if grade.needs_redrill() {
            theme.dim
        } else {
            theme.title
        };
        let sep = if area.width >= 66 { " · " } else { " " };
        let fits = |s: &str| text::width(s) + 2 <= usize::from(cells[i].width);
        let label = if fits(LABELS[i]) {
            LABELS[i]
        } else {
            SHORT_LABELS[i]
        };
        let wide = fits("↻ again today");
        // Below 4 the card comes back today (SM-2 step 7), failure or not;
        // studying ahead never brings a card back.
        let back_today = grade.needs_redrill() && shown.kind != QueueKind::Cram;
        let label_style = if failure { theme.error } else { theme.dim };
        let again = match (back_today, wide) {
            (false, _) => "",
            (true, true) => "↻ again today",
            (true, false) => "↻ today",
        };
        let mut lines = vec![Line::from(vec![
            Span::styled(format!(" {}", grade.value()), theme.key),
            Span::styled(format!("{sep}{next}"), style),
        ])];
        if area.height >= 3 {
            lines.push(Line::styled(format!(" {label}"), label_style));
            lines.push(Line::styled(format!(" {again}"), label_style));
        } else if back_today {
            lines.push(Line::styled(format!(" {label} ↻"), label_style));
        } else {
            lines.push(Line::styled(format!(" {label}"), label_style));
        }
        Paragraph::new(lines).render(cells[i], buf);
    }
}
