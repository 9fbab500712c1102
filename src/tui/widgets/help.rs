//! The `?` overlay: every key, from `keys::HELP` and the effective key map
//! (the config's `[keys]` included), plus the grade scale.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::domain::Grade;
use crate::tui::app::{App, Mode};
use crate::tui::keys::HELP;
use crate::tui::ui::Theme;

/// The section of the help a screen's `?` opens at.
fn section(mode: Mode) -> &'static str {
    match mode {
        Mode::Home | Mode::Help => "Home",
        Mode::Front | Mode::Back => "Review",
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

pub fn render(app: &App, offset: u16, theme: &Theme, area: Rect, frame: &mut Frame) {
    let width = area.width.min(64);
    let height = area.height.saturating_sub(2).max(1);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 1,
        width,
        height,
    };
    let map = &app.ctx.ui.keys;
    // An entry with no action is Ctrl-C, which cannot be rebound.
    let label = |actions: &[&str]| {
        if actions.is_empty() {
            "Ctrl-C".to_string()
        } else {
            map.label(actions)
        }
    };
    let column = HELP
        .iter()
        .flat_map(|(_, keys)| keys.iter())
        .map(|(actions, _)| label(actions).chars().count() + 1)
        .max()
        .unwrap_or(0)
        .clamp(15, 28);
    let mut lines = Vec::new();
    for (screen, keys) in HELP {
        lines.push(Line::styled(*screen, theme.accent));
        for (actions, what) in *keys {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<column$}", label(actions)), theme.key),
                Span::raw(*what),
            ]));
        }
    }
    lines.push(Line::styled("Grades (SM-2)", theme.accent));
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
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Span::styled(" Keys ", theme.title))
        .title_bottom(Span::styled(
            " j/k scroll · any other key closes ",
            theme.dim,
        ));
    let inner = block.inner(popup);
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let max = total.saturating_sub(inner.height);
    app.scroll_max.set(max);
    app.page.set(inner.height.saturating_sub(1).max(1));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((offset.min(max), 0)),
        popup,
    );
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
}
