use super::*;
use Mode::{Back as Answer, Front, Home};
use ratatui::crossterm::event::KeyModifiers;

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
    // On the answer, Space records a typed answer's suggestion (and does
    // nothing on a card without one: `App::accept_suggestion`).
    assert_eq!(action(Mode::Back, space), Some(Action::AcceptSuggestion));
    assert_eq!(
        action(Mode::Back, press(KeyCode::Char('4'))),
        Some(Action::Grade(4))
    );
    assert_eq!(action(Mode::Home, press(KeyCode::Char('4'))), None);
}

#[test]
fn on_a_typed_answer_field_every_key_types_but_enter_esc_and_the_editing_keys() {
    use crate::tui::typed::TypedAction::{Cancel, Erase, Left, Submit, Type};
    for c in ['4', 'q', ' ', '?', 'u', 'é'] {
        assert_eq!(
            action(Mode::Typing, press(KeyCode::Char(c))),
            Some(Action::Typed(Type(c)))
        );
    }
    let typed = |code| action(Mode::Typing, press(code));
    assert_eq!(typed(KeyCode::Enter), Some(Action::Typed(Submit)));
    assert_eq!(typed(KeyCode::Esc), Some(Action::Typed(Cancel)));
    assert_eq!(typed(KeyCode::Backspace), Some(Action::Typed(Erase)));
    assert_eq!(typed(KeyCode::Left), Some(Action::Typed(Left)));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(action(Mode::Typing, ctrl_c), Some(Action::Quit));
    // Rebindable like any other action.
    let map = KeyMap::build(None, &[entry("check_typed", &["tab"], 3)]).unwrap();
    assert_eq!(
        map.action(Mode::Typing, press(KeyCode::Tab)),
        Some(Action::Typed(Submit))
    );
    assert_eq!(map.action(Mode::Typing, press(KeyCode::Enter)), None);
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
fn esc_never_quits_from_the_home_screen_and_q_does() {
    assert_eq!(action(Home, press(KeyCode::Esc)), None);
    assert_eq!(action(Home, press(KeyCode::Char('q'))), Some(Action::Back));
    for mode in [Front, Answer, Mode::Summary, Mode::Stats] {
        assert_eq!(action(mode, press(KeyCode::Esc)), Some(Action::Back));
    }
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
    // `r` was free when such configs were written: playing sound gives it
    // up (and has no key) rather than making the config an error.
    assert_eq!(map.label(&["play_sound"]), "");
    assert_eq!(
        KeyMap::default().action(Answer, press(KeyCode::Char('r'))),
        Some(Action::PlaySound)
    );
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

#[test]
fn the_deck_list_pages_and_jumps_to_either_end() {
    use crate::tui::browser::BrowserAction::{First, Last};
    assert_eq!(
        action(Home, press(KeyCode::End)),
        Some(Action::Browser(Last))
    );
    assert_eq!(
        action(Home, press(KeyCode::Home)),
        Some(Action::Browser(First))
    );
    assert_eq!(
        action(Home, press(KeyCode::PageDown)),
        Some(Action::PageDown)
    );
    assert_eq!(action(Home, press(KeyCode::PageUp)), Some(Action::PageUp));
}
