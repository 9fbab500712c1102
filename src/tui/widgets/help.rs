//! The `?` overlay: every key, from `keys::HELP` and the effective key map
//! (the config's `[keys]` included), plus the grade scale.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::domain::Grade;
use crate::tui::app::{App, Mode};
use crate::tui::keys::{HELP, KeyMap};
use crate::tui::ui::Theme;

use super::Scroll;

/// The section of the help a screen's `?` opens at.
fn section(mode: Mode) -> &'static str {
    match mode {
        Mode::Home | Mode::Help => "Home",
        Mode::Front | Mode::Back | Mode::Typing => "Review",
        Mode::Summary | Mode::NothingDue => "Nothing due / summary",
        Mode::Stats => "Statistics",
        Mode::Browse | Mode::BrowseQuery | Mode::BrowsePrompt => "Card browser",
    }
}

/// The scroll offset that puts `mode`'s section at the top of the help:
/// the lines `render` draws before its heading.
pub fn offset_for(mode: Mode) -> u16 {
    let before: usize = HELP
        .iter()
        .take_while(|(screen, _)| *screen != section(mode))
        .map(|(_, keys)| 1 + keys.len())
        .sum();
    u16::try_from(before).unwrap_or(0)
}

/// The overlay's box: up to 64 columns, centred, a line free above and
/// below.
fn popup(area: Rect) -> Rect {
    let width = area.width.min(64);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 1,
        width,
        height: area.height.saturating_sub(2).max(1),
    }
}

fn block(theme: &Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Span::styled(" Keys ", theme.title))
        .title_bottom(Span::styled(
            " j/k scroll · any other key closes ",
            theme.dim,
        ))
}

/// How far the help scrolls over a screen of `area`.
pub fn scroll(area: Rect) -> Scroll {
    let inner = block(&Theme::new(false)).inner(popup(area));
    let lines: usize = HELP.iter().map(|(_, keys)| 1 + keys.len()).sum();
    Scroll::of(lines + 1 + Grade::ALL.len(), inner.height)
}

/// The `?` overlay over the screen, scrolled down `offset` lines.
pub struct HelpOverlay<'a> {
    pub app: &'a App,
    pub offset: u16,
    pub theme: &'a Theme,
}

impl Widget for HelpOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let HelpOverlay { app, offset, theme } = self;
        let popup = popup(area);
        let map = &app.ctx.ui.keys;
        let mut lines = key_lines(map, theme);
        let column = key_column(map);
        lines.extend(grade_lines(column, theme));
        let max = scroll(area).max;
        Clear.render(popup, buf);
        Paragraph::new(lines)
            .block(block(theme))
            .scroll((offset.min(max), 0))
            .render(popup, buf);
    }
}

/// The keys as bound: an entry with no action is Ctrl-C, which cannot be
/// rebound.
fn label(map: &KeyMap, actions: &[&str]) -> String {
    if actions.is_empty() {
        "Ctrl-C".to_string()
    } else {
        map.label(actions)
    }
}

/// The width of the keys' column: the longest label, within bounds.
fn key_column(map: &KeyMap) -> usize {
    HELP.iter()
        .flat_map(|(_, keys)| keys.iter())
        .map(|(actions, _)| label(map, actions).chars().count() + 1)
        .max()
        .unwrap_or(0)
        .clamp(15, 28)
}

/// Each screen's heading, then its keys and what they do.
fn key_lines(map: &KeyMap, theme: &Theme) -> Vec<Line<'static>> {
    let column = key_column(map);
    let mut lines = Vec::new();
    for (screen, keys) in HELP {
        lines.push(Line::styled(*screen, theme.accent));
        for (actions, what) in *keys {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<column$}", label(map, actions)), theme.key),
                Span::raw(*what),
            ]));
        }
    }
    lines
}

/// The grade scale, failures marked.
fn grade_lines(column: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("Grades (SM-2)", theme.accent)];
    for grade in Grade::ALL {
        let mut line = vec![
            Span::styled(format!("  {:<column$}", grade.value()), theme.key),
            Span::raw(grade.label()),
        ];
        if grade.value() < 3 {
            line.push(Span::styled(
                ": a failure (lapse), again today",
                theme.error,
            ));
        } else if grade.needs_redrill() {
            line.push(Span::styled(": again today", theme.dim));
        }
        lines.push(Line::from(line));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_opens_at_the_section_of_the_screen_it_was_called_from() {
        assert_eq!(offset_for(Mode::Home), 0);
        let review = offset_for(Mode::Front);
        assert_eq!(review, offset_for(Mode::Back));
        assert_eq!(usize::from(review), 1 + HELP[0].1.len());
        let stats = HELP.iter().position(|(s, _)| *s == "Statistics").unwrap();
        let lines: usize = HELP[..stats].iter().map(|(_, k)| 1 + k.len()).sum();
        assert_eq!(usize::from(offset_for(Mode::Stats)), lines);
        assert!(offset_for(Mode::Summary) > review);
    }

    #[test]
    fn the_scroll_limit_counts_every_line_drawn() {
        let map = KeyMap::default();
        let theme = Theme::new(false);
        let drawn = key_lines(&map, &theme).len() + grade_lines(15, &theme).len();
        // 24 rows: the box is 22 high, 20 inside its borders.
        let area = Rect::new(0, 0, 80, 24);
        assert_eq!(scroll(area), Scroll::of(drawn, 20));
        assert!(scroll(area).max > 0, "the help fits in 20 lines");
    }
}
