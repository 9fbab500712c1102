//! The `?` overlay: every key, from `keys::HELP` and the effective key map
//! (the config's `[keys]` included), plus the grade scale.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::domain::Grade;
use crate::tui::app::App;
use crate::tui::keys::HELP;
use crate::tui::ui::Theme;

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
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<column$}", grade.value()), theme.key),
            Span::raw(grade.label()),
        ]));
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
