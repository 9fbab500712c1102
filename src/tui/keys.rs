//! Keys → actions, per screen. The help overlay is generated from `HELP`, so
//! a key added here and there cannot be missing from the help.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{Action, Mode};

/// What `?` shows: (screen, [(keys, what they do)]).
pub const HELP: &[(&str, &[(&str, &str)])] = &[
    (
        "Home",
        &[
            ("↑ ↓  j k", "choose a deck"),
            ("Enter", "study the chosen deck"),
            ("a", "study all decks"),
            ("S", "statistics"),
            ("q  Esc", "quit"),
        ],
    ),
    (
        "Review",
        &[
            ("Space  Enter", "show the answer"),
            ("0 – 5", "grade: 0 blackout … 5 perfect"),
            ("u", "undo the last answer (several levels)"),
            ("s", "suspend the card"),
            ("b", "bury the card until tomorrow"),
            ("e", "edit the card in $EDITOR"),
            ("↑ ↓  j k", "scroll a line"),
            ("PgUp PgDn  K J", "scroll a page"),
            ("q  Esc", "back to the decks (answers are saved)"),
        ],
    ),
    (
        "Nothing due / summary",
        &[
            ("c", "study ahead (schedule unchanged)"),
            ("u", "undo the last answer"),
            ("Enter  q  Esc", "back to the decks"),
        ],
    ),
    (
        "Statistics",
        &[
            ("Tab", "next deck (all decks, then each deck)"),
            ("p  Shift-Tab", "next period (7, 30, 365 days)"),
            ("q  Esc", "back to the decks"),
        ],
    ),
    (
        "Anywhere",
        &[("?", "this help"), ("Ctrl-C", "quit at once")],
    ),
];

/// The action a key asks for on the current screen, if any.
pub fn action(mode: Mode, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c' | 'C')) {
        return Some(Action::Quit);
    }
    if ctrl {
        return None;
    }
    if mode == Mode::Help {
        return Some(match key.code {
            KeyCode::Down | KeyCode::Char('j') => Action::ScrollDown,
            KeyCode::Up | KeyCode::Char('k') => Action::ScrollUp,
            KeyCode::PageDown | KeyCode::Char('J') => Action::PageDown,
            KeyCode::PageUp | KeyCode::Char('K') => Action::PageUp,
            _ => Action::CloseHelp,
        });
    }
    let common = match key.code {
        KeyCode::Char('?') => Some(Action::Help),
        KeyCode::Char('q') | KeyCode::Esc => Some(Action::Back),
        _ => None,
    };
    common.or_else(|| match mode {
        Mode::Home => home(key.code),
        Mode::Front | Mode::Back => review(mode, key.code),
        Mode::Summary | Mode::NothingDue => finished(key.code),
        Mode::Stats => stats(key.code),
        Mode::Help => None,
    })
}

fn home(code: KeyCode) -> Option<Action> {
    match code {
        KeyCode::Down | KeyCode::Char('j') => Some(Action::ScrollDown),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::ScrollUp),
        KeyCode::Enter => Some(Action::Open),
        KeyCode::Char('a') => Some(Action::StudyAll),
        KeyCode::Char('S') => Some(Action::Stats),
        _ => None,
    }
}

fn stats(code: KeyCode) -> Option<Action> {
    match code {
        KeyCode::Tab => Some(Action::NextScope),
        KeyCode::BackTab | KeyCode::Char('p') => Some(Action::NextPeriod),
        _ => None,
    }
}

fn review(mode: Mode, code: KeyCode) -> Option<Action> {
    match code {
        KeyCode::Char(' ') | KeyCode::Enter if mode == Mode::Front => Some(Action::Reveal),
        KeyCode::Char(c @ '0'..='5') => Some(Action::Grade(c as u8 - b'0')),
        KeyCode::Char('u') => Some(Action::Undo),
        KeyCode::Char('s') => Some(Action::Suspend),
        KeyCode::Char('b') => Some(Action::Bury),
        KeyCode::Char('e') => Some(Action::Edit),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::ScrollDown),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::ScrollUp),
        KeyCode::PageDown | KeyCode::Char('J') => Some(Action::PageDown),
        KeyCode::PageUp | KeyCode::Char('K') => Some(Action::PageUp),
        _ => None,
    }
}

fn finished(code: KeyCode) -> Option<Action> {
    match code {
        KeyCode::Char('c') => Some(Action::Cram),
        KeyCode::Char('u') => Some(Action::Undo),
        KeyCode::Enter => Some(Action::Back),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn grades_and_reveal_depend_on_the_side_shown() {
        let space = press(KeyCode::Char(' '));
        assert_eq!(action(Mode::Front, space), Some(Action::Reveal));
        assert_eq!(action(Mode::Back, space), None);
        assert_eq!(
            action(Mode::Back, press(KeyCode::Char('4'))),
            Some(Action::Grade(4))
        );
        assert_eq!(action(Mode::Home, press(KeyCode::Char('4'))), None);
    }

    #[test]
    fn statistics_open_from_home_and_cycle_scope_and_period() {
        let shift_tab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            action(Mode::Home, press(KeyCode::Char('S'))),
            Some(Action::Stats)
        );
        assert_eq!(
            action(Mode::Stats, press(KeyCode::Tab)),
            Some(Action::NextScope)
        );
        assert_eq!(action(Mode::Stats, shift_tab), Some(Action::NextPeriod));
        assert_eq!(
            action(Mode::Stats, press(KeyCode::Char('p'))),
            Some(Action::NextPeriod)
        );
        assert_eq!(action(Mode::Stats, press(KeyCode::Esc)), Some(Action::Back));
        assert_eq!(action(Mode::Stats, press(KeyCode::Char('5'))), None);
    }

    #[test]
    fn ctrl_c_quits_everywhere_and_any_key_closes_help() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [Mode::Home, Mode::Front, Mode::Back, Mode::Help] {
            assert_eq!(action(mode, ctrl_c), Some(Action::Quit));
        }
        assert_eq!(
            action(Mode::Help, press(KeyCode::Char('x'))),
            Some(Action::CloseHelp)
        );
    }
}
