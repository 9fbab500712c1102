//! A typed answer on the review screen (`tui::typed` holds its state): the
//! text field under the front, then the comparison above the answer, and
//! the suggested grade marked in the grade bar. Colours say which
//! characters matched; without them (NO_COLOR) missing characters show as
//! `[-x]` and extra ones as `[+x]`, and the suggestion carries a `▸`.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use super::review::rule;
use super::text;
use crate::domain::Grade;
use crate::domain::text::escape_line;
use crate::domain::typed::{Comparison, Segment, verdict};
use crate::tui::review::Shown;
use crate::tui::typed::{Field, TypedState};
use crate::tui::ui::Theme;

const TYPING_HINTS: &[(&str, &str)] = &[
    ("Enter", "check"),
    ("Esc", "flip without typing"),
    ("← →", "move"),
    ("Ctrl-C", "quit"),
];
const COMPARED_HINTS: &[(&str, &str)] = &[
    ("Enter/Space", "accept the suggestion"),
    ("0-5", "grade"),
    ("u", "undo"),
    ("?", "help"),
    ("q", "back"),
];

/// The footer's keys while a typed card is on screen, if one is.
pub fn hints(shown: &Shown) -> Option<&'static [(&'static str, &'static str)]> {
    match shown.typed.as_ref()? {
        TypedState::Typing(_) => Some(TYPING_HINTS),
        TypedState::Compared(_) => Some(COMPARED_HINTS),
    }
}

/// The lines that go under the card's front in `cols` columns: the field
/// while typing, the comparison once it is checked, nothing otherwise.
pub fn lines(shown: &Shown, cols: usize, theme: &Theme) -> Vec<Line<'static>> {
    match &shown.typed {
        None => Vec::new(),
        Some(TypedState::Typing(field)) => field_lines(field, cols, theme),
        Some(TypedState::Compared(c)) => comparison_lines(c, cols, theme),
    }
}

/// `› text`, scrolled sideways to keep the cursor in view; the cursor is
/// the reversed cell (a space at the end).
fn field_lines(field: &Field, cols: usize, theme: &Theme) -> Vec<Line<'static>> {
    let prompt = "› ";
    let room = cols.saturating_sub(prompt.len() + 1).max(1);
    let chars = field.chars();
    let cursor = field.cursor();
    // The first character shown: as far right as keeps the cursor in view.
    let mut first = 0;
    let mut used: usize = chars[..cursor].iter().map(|c| c.width().unwrap_or(0)).sum();
    while used >= room && first < cursor {
        used -= chars[first].width().unwrap_or(0);
        first += 1;
    }
    let mut spans = vec![Span::styled(prompt, theme.key)];
    let mut width = 0;
    for (i, c) in chars.iter().enumerate().skip(first) {
        width += c.width().unwrap_or(0);
        if width > room {
            break;
        }
        let style = if i == cursor {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        spans.push(Span::styled(c.to_string(), style));
    }
    if cursor == chars.len() {
        spans.push(Span::styled(
            " ",
            Style::new().add_modifier(Modifier::REVERSED),
        ));
    }
    vec![
        Line::raw(""),
        rule("type the answer", cols, theme),
        Line::from(spans),
        Line::styled(
            text::clip("Enter checks it · Esc flips the card without typing", cols),
            theme.dim,
        ),
    ]
}

/// "── your answer", the typed text with the differences marked, and the
/// suggestion with what it means.
fn comparison_lines(c: &Comparison, cols: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::raw(""), rule("your answer", cols, theme)];
    let pieces: Vec<Span<'static>> = c.segments.iter().map(|s| piece(s, theme)).collect();
    if pieces.is_empty() {
        lines.push(Line::styled("(nothing typed)", theme.dim));
    }
    lines.extend(wrapped(&pieces, cols.max(2)));
    let grade = c.suggested;
    lines.push(Line::from(vec![
        Span::styled(format!("suggested {}", grade.value()), theme.key),
        Span::styled(
            text::clip(
                &format!(" · {} · Enter or Space records it", verdict(grade)),
                cols.saturating_sub(11),
            ),
            theme.dim,
        ),
    ]));
    lines
}

/// One run of the comparison as a span: matching text plain, extra text
/// struck out in the error colour, missing text underlined; under NO_COLOR
/// the two marked `[+…]` and `[-…]` as well.
fn piece(segment: &Segment, theme: &Theme) -> Span<'static> {
    let (text, style, mark) = match segment {
        Segment::Same(t) => (t, paint(theme, Color::Green), None),
        Segment::Extra(t) => (
            t,
            paint(theme, Color::Red).add_modifier(Modifier::CROSSED_OUT),
            Some('+'),
        ),
        Segment::Missing(t) => (
            t,
            paint(theme, Color::Yellow).add_modifier(Modifier::UNDERLINED),
            Some('-'),
        ),
    };
    let text = escape_line(text);
    match mark {
        Some(m) if !theme.color => Span::styled(format!("[{m}{text}]"), style),
        _ => Span::styled(text.into_owned(), style),
    }
}

fn paint(theme: &Theme, color: Color) -> Style {
    if theme.color {
        Style::new().fg(color)
    } else {
        Style::new()
    }
}

/// `pieces` broken into lines of `cols` columns, character by character
/// (an answer is short; where it is not, any break point will do).
fn wrapped(pieces: &[Span<'static>], cols: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in pieces {
        let mut run = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > cols {
                if !run.is_empty() {
                    line.push(Span::styled(std::mem::take(&mut run), span.style));
                }
                lines.push(Line::from(std::mem::take(&mut line)));
                used = 0;
            }
            run.push(c);
            used += w;
        }
        if !run.is_empty() {
            line.push(Span::styled(run, span.style));
        }
    }
    if !line.is_empty() {
        lines.push(Line::from(line));
    }
    lines
}

/// Marks the suggested grade's cell of the grade bar in `bar` (laid out
/// as the review screen lays it: six equal cells): reversed, with a `▸`.
pub fn mark_suggestion(shown: &Shown, theme: &Theme, bar: Rect, buf: &mut Buffer) {
    let Some(q) = shown.typed.as_ref().and_then(TypedState::suggestion) else {
        return;
    };
    if bar.height == 0 || Grade::new(q).is_none() {
        return;
    }
    let cells = Layout::horizontal([Constraint::Ratio(1, 6); 6]).split(bar);
    let cell = cells[usize::from(q)];
    let first_row = Rect { height: 1, ..cell };
    buf.set_style(first_row, theme.selected);
    if let Some(c) = buf.cell_mut((cell.x, cell.y)) {
        c.set_symbol("▸");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::typed::{Normalise, compare};
    use ratatui::widgets::{Paragraph, Widget};

    fn screen(lines: Vec<Line<'static>>, width: u16) -> String {
        let height = u16::try_from(lines.len()).unwrap_or(1).max(1);
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        Paragraph::new(lines).render(area, &mut buf);
        buf.content()
            .chunks(usize::from(width))
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
            .map(|row| row.trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_field_keeps_its_cursor_in_view() {
        let mut field = Field::default();
        for c in "the mitochondria is the powerhouse of the cell".chars() {
            field.edit(crate::tui::typed::TypedAction::Type(c));
        }
        let theme = Theme::new(false);
        insta::assert_snapshot!(
            "typed_field_end",
            screen(field_lines(&field, 30, &theme), 30)
        );
        field.edit(crate::tui::typed::TypedAction::Home);
        insta::assert_snapshot!(
            "typed_field_home",
            screen(field_lines(&field, 30, &theme), 30)
        );
    }

    #[test]
    fn the_comparison_marks_differences_without_colour() {
        let theme = Theme::new(false);
        let c = compare(
            "Amazon Simple Storge Srvice!",
            "Amazon Simple Storage Service",
            Normalise::default(),
        );
        insta::assert_snapshot!(
            "typed_comparison",
            screen(comparison_lines(&c, 24, &theme), 24)
        );
        let nothing = compare("", "Paris", Normalise::default());
        insta::assert_snapshot!(
            "typed_nothing",
            screen(comparison_lines(&nothing, 40, &theme), 40)
        );
    }

    #[test]
    fn with_colour_the_marks_are_styles_not_characters() {
        let theme = Theme::new(true);
        let c = compare("Parsi", "Paris", Normalise::default());
        let lines = comparison_lines(&c, 40, &theme);
        let text: String = lines[2].spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "parsis");
        let extra = &lines[2].spans[1];
        assert_eq!(extra.content, "s");
        assert!(extra.style.add_modifier.contains(Modifier::CROSSED_OUT));
    }
}
