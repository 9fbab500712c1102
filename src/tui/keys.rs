//! Keys → actions, per screen, as data: `BINDABLE` names every action a key
//! can ask for, the screens it works on and its default keys; a `KeyMap` is
//! that table after the config's preset and `[keys]` section. The help
//! overlay is generated from `HELP` and the map, so it shows the keys that
//! really work. Ctrl-C always quits and cannot be rebound.

mod key;
mod table;
#[cfg(test)]
mod tests;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use super::app::{Action, Mode};
use super::browser::BrowserAction;
use super::typed::TypedAction;
use crate::config::file::At;

pub use key::Key;
pub use table::{BINDABLE, Bindable, HELP, HelpLine};

/// Why a `[keys]` entry cannot be used: its line, key and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub line: usize,
    pub key: String,
    pub expected: String,
}

/// The keys of every bindable action, in `BINDABLE`'s order, with the config
/// line that set them (`None`: the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap {
    keys: Vec<(Vec<Key>, Option<usize>)>,
}

impl Default for KeyMap {
    fn default() -> Self {
        KeyMap::build(None, &[]).expect("the default keys are valid")
    }
}

impl KeyMap {
    /// The preset's keys, then each `[keys]` entry replacing its action's
    /// keys. A key that ends up meaning two things on one screen is an error
    /// at the line that made it so.
    pub fn build(
        preset: Option<&At<String>>,
        entries: &[(At<String>, At<Vec<String>>)],
    ) -> Result<KeyMap, KeyError> {
        let vim = match preset {
            None => false,
            Some(p) if p.value == "default" => false,
            Some(p) if p.value == "vim" => true,
            Some(p) => return Err(key_error(p.line, "preset", "\"default\" or \"vim\"")),
        };
        let preset_line = preset.filter(|_| vim).map(|p| p.line);
        let parse = |names: &[&str]| {
            names
                .iter()
                .filter_map(|n| Key::parse(n))
                .collect::<Vec<_>>()
        };
        let mut keys: Vec<(Vec<Key>, Option<usize>)> = BINDABLE
            .iter()
            .map(|b| {
                let mut keys = parse(b.default);
                if vim && !b.vim.is_empty() {
                    keys.extend(parse(b.vim));
                    return (keys, preset_line);
                }
                (keys, None)
            })
            .collect();
        for (action, names) in entries {
            let Some(i) = BINDABLE.iter().position(|b| b.name == action.value) else {
                let known: Vec<_> = BINDABLE.iter().map(|b| b.name).collect();
                let what = format!("an action: preset, {}", known.join(", "));
                return Err(key_error(action.line, &action.value, &what));
            };
            let mut parsed = Vec::new();
            for name in &names.value {
                let key = Key::parse(name).ok_or_else(|| {
                    let what = format!(
                        "keys like \"s\", \"S\", \"space\", \"enter\", \"esc\", \"tab\", \"up\", \"pageup\", \"f1\", \"ctrl-d\" (not {name:?}; Ctrl-C always quits)"
                    );
                    key_error(names.line, &action.value, &what)
                })?;
                parsed.push(key);
            }
            keys[i] = (parsed, Some(names.line));
        }
        let mut map = KeyMap { keys };
        map.give_way();
        map.check_conflicts()?;
        Ok(map)
    }

    /// Default keys of `yields` actions that another action of their
    /// screens has, dropped from them.
    fn give_way(&mut self) {
        for (i, b) in BINDABLE.iter().enumerate() {
            if !b.yields || self.keys[i].1.is_some() {
                continue;
            }
            let taken: Vec<Key> = BINDABLE
                .iter()
                .enumerate()
                .filter(|&(j, other)| j != i && other.modes.iter().any(|m| b.modes.contains(m)))
                .flat_map(|(j, _)| self.keys[j].0.clone())
                .collect();
            self.keys[i].0.retain(|k| !taken.contains(k));
        }
    }

    /// Two actions of one screen with a common key: reported at the line
    /// of the later-set one (a default counts as set before the file).
    fn check_conflicts(&self) -> Result<(), KeyError> {
        for (i, a) in BINDABLE.iter().enumerate() {
            for (j, b) in BINDABLE.iter().enumerate().skip(i + 1) {
                let Some(mode) = a.modes.iter().find(|m| b.modes.contains(m)) else {
                    continue;
                };
                let Some(key) = self.keys[i].0.iter().find(|k| self.keys[j].0.contains(k)) else {
                    continue;
                };
                let (later, other) = if self.keys[i].1 >= self.keys[j].1 {
                    (i, j)
                } else {
                    (j, i)
                };
                let what = format!(
                    "a key of its own: {} already means {} on the {} screen (rebind that too)",
                    key.label(),
                    BINDABLE[other].name,
                    screen_name(*mode)
                );
                return Err(key_error(
                    self.keys[later].1.unwrap_or(0),
                    BINDABLE[later].name,
                    &what,
                ));
            }
        }
        Ok(())
    }

    /// The action a key asks for on the current screen, if any.
    pub fn action(&self, mode: Mode, event: KeyEvent) -> Option<Action> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let key = Key::of(&event);
        if key.ctrl && matches!(key.code, KeyCode::Char('c' | 'C')) {
            return Some(Action::Quit);
        }
        let bound = BINDABLE
            .iter()
            .zip(&self.keys)
            .find(|(b, (keys, _))| b.modes.contains(&mode) && keys.contains(&key))
            .map(|(b, _)| b.action);
        match bound {
            // In the help, any other key closes it (Ctrl chords excepted).
            None if mode == Mode::Help && !key.ctrl => Some(Action::CloseHelp),
            // A typed answer's field: other keys are typed.
            None if mode == Mode::Typing && !key.ctrl => match key.code {
                KeyCode::Char(c) => Some(Action::Typed(TypedAction::Type(c))),
                _ => None,
            },
            // The browser's query line and prompts: other keys are typed.
            None if matches!(mode, Mode::BrowseQuery | Mode::BrowsePrompt) && !key.ctrl => {
                match key.code {
                    KeyCode::Char(c) => Some(Action::Browser(BrowserAction::Type(c))),
                    _ => None,
                }
            }
            bound => bound,
        }
    }

    /// The keys of the named actions, as the help shows them: two spaces
    /// between keys; actions with as many keys each (up and down) side by
    /// side, "↑ ↓  k j"; six plain digits for the grades as "0 – 5".
    pub fn label(&self, actions: &[&str]) -> String {
        let lists: Vec<&Vec<Key>> = actions
            .iter()
            .filter_map(|name| BINDABLE.iter().position(|b| b.name == *name))
            .map(|i| &self.keys[i].0)
            .collect();
        let parallel = lists.len() > 1 && lists.iter().all(|l| l.len() == lists[0].len());
        let groups: Vec<String> = if parallel {
            (0..lists[0].len())
                .map(|i| {
                    lists
                        .iter()
                        .map(|l| l[i].label())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        } else {
            lists
                .iter()
                .flat_map(|l| l.iter().map(Key::label))
                .collect()
        };
        let text = groups.join("  ");
        if text == "0 1 2 3 4 5" {
            return "0 – 5".to_string();
        }
        text
    }

    /// Every action with its keys (as the config writes them) and the
    /// config line that set them: for `recall config`.
    pub fn describe(&self) -> Vec<(&'static str, Vec<String>, Option<usize>)> {
        BINDABLE
            .iter()
            .zip(&self.keys)
            .map(|(b, (keys, line))| (b.name, keys.iter().map(Key::name).collect(), *line))
            .collect()
    }
}

fn key_error(line: usize, key: &str, expected: &str) -> KeyError {
    KeyError {
        line,
        key: key.to_string(),
        expected: expected.to_string(),
    }
}

fn screen_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Home => "home",
        Mode::Front | Mode::Back | Mode::Typing => "review",
        Mode::Summary | Mode::NothingDue => "summary",
        Mode::Stats => "statistics",
        Mode::Help => "help",
        Mode::Browse | Mode::BrowseQuery | Mode::BrowsePrompt => "browser",
    }
}

/// The action a key asks for with the default keys.
pub fn action(mode: Mode, key: KeyEvent) -> Option<Action> {
    KeyMap::default().action(mode, key)
}
