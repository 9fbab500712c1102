//! Keys → actions, per screen, as data: `BINDABLE` names every action a key
//! can ask for, the screens it works on and its default keys; a `KeyMap` is
//! that table after the config's preset and `[keys]` section. The help
//! overlay is generated from `HELP` and the map, so it shows the keys that
//! really work. Ctrl-C always quits and cannot be rebound.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{Action, Mode};
use crate::config::file::At;

use Mode::{Back as Answer, Front, Help, Home, NothingDue, Stats, Summary};

/// An action a key can be bound to.
pub struct Bindable {
    /// Its name in the config's `[keys]` section.
    pub name: &'static str,
    pub action: Action,
    /// The screens where it applies.
    pub modes: &'static [Mode],
    pub default: &'static [&'static str],
    /// Added by `preset = "vim"`.
    pub vim: &'static [&'static str],
}

const SCREENS: &[Mode] = &[Home, Front, Answer, Summary, NothingDue, Stats];
const REVIEW: &[Mode] = &[Front, Answer];
const SCROLL: &[Mode] = &[Home, Front, Answer, Help];
const PAGE: &[Mode] = &[Front, Answer, Help];
const FINISHED: &[Mode] = &[Summary, NothingDue];

const fn bind(
    name: &'static str,
    action: Action,
    modes: &'static [Mode],
    default: &'static [&'static str],
) -> Bindable {
    Bindable {
        name,
        action,
        modes,
        default,
        vim: &[],
    }
}

/// Every bindable action; the defaults are recall's keys as they always were.
pub const BINDABLE: &[Bindable] = &[
    bind("help", Action::Help, SCREENS, &["?"]),
    bind("back", Action::Back, SCREENS, &["q", "esc"]),
    Bindable {
        vim: &["ctrl-p"],
        ..bind("up", Action::ScrollUp, SCROLL, &["up", "k"])
    },
    Bindable {
        vim: &["ctrl-n"],
        ..bind("down", Action::ScrollDown, SCROLL, &["down", "j"])
    },
    Bindable {
        vim: &["ctrl-u", "ctrl-b"],
        ..bind("page_up", Action::PageUp, PAGE, &["pageup", "K"])
    },
    Bindable {
        vim: &["ctrl-d", "ctrl-f"],
        ..bind("page_down", Action::PageDown, PAGE, &["pagedown", "J"])
    },
    Bindable {
        vim: &["l"],
        ..bind("open", Action::Open, &[Home], &["enter"])
    },
    bind("study_all", Action::StudyAll, &[Home], &["a"]),
    bind("stats", Action::Stats, &[Home], &["S"]),
    Bindable {
        vim: &["l"],
        ..bind("reveal", Action::Reveal, &[Front], &["space", "enter"])
    },
    bind("grade_0", Action::Grade(0), REVIEW, &["0"]),
    bind("grade_1", Action::Grade(1), REVIEW, &["1"]),
    bind("grade_2", Action::Grade(2), REVIEW, &["2"]),
    bind("grade_3", Action::Grade(3), REVIEW, &["3"]),
    bind("grade_4", Action::Grade(4), REVIEW, &["4"]),
    bind("grade_5", Action::Grade(5), REVIEW, &["5"]),
    bind(
        "undo",
        Action::Undo,
        &[Front, Answer, Summary, NothingDue],
        &["u"],
    ),
    bind("suspend", Action::Suspend, REVIEW, &["s"]),
    bind("bury", Action::Bury, REVIEW, &["b"]),
    bind("edit", Action::Edit, REVIEW, &["e"]),
    bind("cram", Action::Cram, FINISHED, &["c"]),
    bind("done", Action::Back, FINISHED, &["enter"]),
    bind("next_scope", Action::NextScope, &[Stats], &["tab"]),
    bind(
        "next_period",
        Action::NextPeriod,
        &[Stats],
        &["p", "backtab"],
    ),
];

/// One line of the help: the actions whose keys it shows, and what they do.
pub type HelpLine = (&'static [&'static str], &'static str);

/// What `?` shows: (screen, its lines).
pub const HELP: &[(&str, &[HelpLine])] = &[
    (
        "Home",
        &[
            (&["up", "down"], "choose a deck"),
            (&["open"], "study the chosen deck"),
            (&["study_all"], "study all decks"),
            (&["stats"], "statistics"),
            (&["back"], "quit"),
        ],
    ),
    (
        "Review",
        &[
            (&["reveal"], "show the answer"),
            (
                &[
                    "grade_0", "grade_1", "grade_2", "grade_3", "grade_4", "grade_5",
                ],
                "grade: 0 blackout … 5 perfect",
            ),
            (&["undo"], "undo the last answer (several levels)"),
            (&["suspend"], "suspend the card"),
            (&["bury"], "bury the card until tomorrow"),
            (&["edit"], "edit the card in $EDITOR"),
            (&["up", "down"], "scroll a line"),
            (&["page_up", "page_down"], "scroll a page"),
            (&["back"], "back to the decks (answers are saved)"),
        ],
    ),
    (
        "Nothing due / summary",
        &[
            (&["cram"], "study ahead (schedule unchanged)"),
            (&["undo"], "undo the last answer"),
            (&["done", "back"], "back to the decks"),
        ],
    ),
    (
        "Statistics",
        &[
            (&["next_scope"], "next deck (all decks, then each deck)"),
            (&["next_period"], "next period (7, 30, 365 days)"),
            (&["back"], "back to the decks"),
        ],
    ),
    // No action: Ctrl-C, which cannot be rebound.
    (
        "Anywhere",
        &[(&["help"], "this help"), (&[], "quit at once")],
    ),
];

/// A key as recall tells keys apart: its code, and whether Ctrl is held
/// (Shift is in the character already; Alt is ignored, as it always was).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
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

    fn of(event: &KeyEvent) -> Key {
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
        let map = KeyMap { keys };
        map.check_conflicts()?;
        Ok(map)
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

impl Key {
    /// The key as the config writes it (what `parse` reads back).
    fn name(&self) -> String {
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

fn key_error(line: usize, key: &str, expected: &str) -> KeyError {
    KeyError {
        line,
        key: key.to_string(),
        expected: expected.to_string(),
    }
}

fn screen_name(mode: Mode) -> &'static str {
    match mode {
        Home => "home",
        Front | Answer => "review",
        Summary | NothingDue => "summary",
        Stats => "statistics",
        Help => "help",
    }
}

/// The action a key asks for with the default keys.
pub fn action(mode: Mode, key: KeyEvent) -> Option<Action> {
    KeyMap::default().action(mode, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn at<T>(value: T, line: usize) -> At<T> {
        At { value, line }
    }

    fn entry(action: &str, keys: &[&str], line: usize) -> (At<String>, At<Vec<String>>) {
        (
            at(action.to_string(), line),
            at(keys.iter().map(|k| k.to_string()).collect(), line),
        )
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
        assert_eq!(
            action(Mode::Help, press(KeyCode::Char('j'))),
            Some(Action::ScrollDown)
        );
    }

    #[test]
    fn a_remapped_action_answers_to_its_new_keys_only() {
        let map = KeyMap::build(
            None,
            &[
                entry("reveal", &["r"], 3),
                entry("grade_4", &["g", "f4"], 4),
            ],
        )
        .unwrap();
        assert_eq!(
            map.action(Front, press(KeyCode::Char('r'))),
            Some(Action::Reveal)
        );
        assert_eq!(map.action(Front, press(KeyCode::Char(' '))), None);
        assert_eq!(
            map.action(Answer, press(KeyCode::Char('g'))),
            Some(Action::Grade(4))
        );
        assert_eq!(
            map.action(Answer, press(KeyCode::F(4))),
            Some(Action::Grade(4))
        );
        assert_eq!(map.action(Answer, press(KeyCode::Char('4'))), None);
        assert_eq!(map.label(&["reveal"]), "r");
        assert_eq!(map.label(&["grade_4"]), "g  F4");
    }

    #[test]
    fn the_vim_preset_adds_ctrl_paging_and_l() {
        let map = KeyMap::build(Some(&at("vim".into(), 1)), &[]).unwrap();
        let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(map.action(Front, ctrl_d), Some(Action::PageDown));
        assert_eq!(
            map.action(Home, press(KeyCode::Char('l'))),
            Some(Action::Open)
        );
        assert_eq!(
            map.action(Front, press(KeyCode::Char('j'))),
            Some(Action::ScrollDown)
        );
        assert_eq!(action(Front, ctrl_d), None, "not in the default preset");
    }

    #[test]
    fn a_key_bound_twice_on_one_screen_is_reported_at_its_line() {
        let err = KeyMap::build(None, &[entry("undo", &["s"], 7)]).unwrap_err();
        assert_eq!((err.line, err.key.as_str()), (7, "undo"));
        assert!(
            err.expected.contains("suspend") && err.expected.contains("review"),
            "{err:?}"
        );
        // The same key on different screens is no conflict.
        KeyMap::build(None, &[entry("cram", &["s"], 2)]).unwrap();
        let err = KeyMap::build(None, &[entry("grade_9", &["x"], 5)]).unwrap_err();
        assert_eq!(err.line, 5);
        let err = KeyMap::build(None, &[entry("back", &["ctrl-c"], 6)]).unwrap_err();
        assert!(err.expected.contains("Ctrl-C always quits"), "{err:?}");
    }

    #[test]
    fn the_default_keys_read_back_as_the_config_writes_them() {
        let map = KeyMap::default();
        for (name, keys, line) in map.describe() {
            assert_eq!(line, None);
            let entries = [entry(
                name,
                &keys.iter().map(String::as_str).collect::<Vec<_>>(),
                1,
            )];
            let rebuilt = KeyMap::build(None, &entries).unwrap();
            let keys_of = |m: &KeyMap| m.keys.iter().map(|k| k.0.clone()).collect::<Vec<_>>();
            assert_eq!(keys_of(&rebuilt), keys_of(&map), "{name}: {keys:?}");
        }
        assert_eq!(map.label(&["up", "down"]), "↑ ↓  k j");
        assert_eq!(map.label(&["done", "back"]), "Enter  q  Esc");
        assert_eq!(
            map.label(&[
                "grade_0", "grade_1", "grade_2", "grade_3", "grade_4", "grade_5"
            ]),
            "0 – 5"
        );
    }
}
