//! Keys as the config names them (`"s"`, `"space"`, `"ctrl-d"`) and as the
//! help shows them (`s`, `Space`, `Ctrl-d`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key as recall tells keys apart: its code, and whether Ctrl is held
/// (Shift is in the character already; Alt is ignored, as it always was).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub(super) code: KeyCode,
    pub(super) ctrl: bool,
}

const NAMED: &[(&str, KeyCode, &str)] = &[
    ("space", KeyCode::Char(' '), "Space"),
    ("enter", KeyCode::Enter, "Enter"),
    ("esc", KeyCode::Esc, "Esc"),
    ("tab", KeyCode::Tab, "Tab"),
    ("backtab", KeyCode::BackTab, "Shift-Tab"),
    ("up", KeyCode::Up, "↑"),
    ("down", KeyCode::Down, "↓"),
    ("left", KeyCode::Left, "←"),
    ("right", KeyCode::Right, "→"),
    ("pageup", KeyCode::PageUp, "PgUp"),
    ("pagedown", KeyCode::PageDown, "PgDn"),
    ("home", KeyCode::Home, "Home"),
    ("end", KeyCode::End, "End"),
    ("backspace", KeyCode::Backspace, "Backspace"),
    ("delete", KeyCode::Delete, "Del"),
    ("insert", KeyCode::Insert, "Ins"),
];

const ALIASES: &[(&str, &str)] = &[
    ("return", "enter"),
    ("escape", "esc"),
    ("shift-tab", "backtab"),
    ("pgup", "pageup"),
    ("pgdn", "pagedown"),
    ("del", "delete"),
];

impl Key {
    /// Reads a key as the config writes it: one character (`s`, `S`, `?`),
    /// a name (`space`, `enter`, `esc`, `tab`, `shift-tab`, `up`, `pageup`,
    /// `f1` …), or `ctrl-` and a character.
    pub fn parse(text: &str) -> Option<Key> {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Some(Key {
                code: KeyCode::Char(c),
                ctrl: false,
            });
        }
        let lower = text.to_ascii_lowercase();
        if let Some(rest) = lower
            .strip_prefix("ctrl-")
            .or_else(|| lower.strip_prefix("ctrl+"))
        {
            let mut chars = rest.chars();
            return match (chars.next(), chars.next()) {
                (Some(c), None) if c != 'c' => Some(Key {
                    code: KeyCode::Char(c),
                    ctrl: true,
                }),
                _ => None,
            };
        }
        let name = ALIASES
            .iter()
            .find(|(alias, _)| *alias == lower)
            .map_or(lower.as_str(), |(_, name)| name);
        if let Some(&(_, code, _)) = NAMED.iter().find(|(n, _, _)| *n == name) {
            return Some(Key { code, ctrl: false });
        }
        let f: u8 = name.strip_prefix('f')?.parse().ok()?;
        (1..=12).contains(&f).then_some(Key {
            code: KeyCode::F(f),
            ctrl: false,
        })
    }

    pub(super) fn of(event: &KeyEvent) -> Key {
        Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        }
    }

    /// The key as the help shows it.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(c) if c != ' ' => c.to_string(),
            code => NAMED
                .iter()
                .find(|(_, k, _)| *k == code)
                .map_or_else(|| format!("{code:?}"), |(_, _, label)| (*label).to_string()),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

impl Key {
    /// The key as the config writes it (what `parse` reads back).
    pub(super) fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(c) if c != ' ' => c.to_string(),
            KeyCode::F(n) => format!("f{n}"),
            code => NAMED
                .iter()
                .find(|(_, k, _)| *k == code)
                .map_or_else(|| format!("{code:?}"), |(name, _, _)| (*name).to_string()),
        };
        if self.ctrl {
            format!("ctrl-{base}")
        } else {
            base
        }
    }
}
