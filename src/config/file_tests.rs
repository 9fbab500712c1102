//! The config file's reading: values, their checks and the messages that
//! name the line.

use super::*;

fn message(text: &str) -> String {
    parse("config.toml", text).unwrap_err().to_string()
}

#[test]
fn a_full_file_is_read_with_the_line_of_every_value() {
    let c = parse(
        "c",
        "new_per_day = 5\nleech_action = \"tag\"\n\n[deck.\"Lang::*\"]\nreviews_per_day = 50\n\
         [keys]\npreset = \"vim\"\nreveal = [\"l\", \"space\"]\nundo = \"z\"\n",
    )
    .unwrap();
    assert_eq!(c.new_per_day, Some(At { value: 5, line: 1 }));
    assert_eq!(c.leech_action.map(|a| a.value), Some(LeechAction::Tag));
    let (name, deck) = &c.decks[0];
    assert_eq!((name.value.as_str(), name.line), ("Lang::*", 4));
    assert_eq!(deck.reviews_per_day, Some(At { value: 50, line: 5 }));
    assert_eq!(c.preset.map(|p| (p.value, p.line)), Some(("vim".into(), 7)));
    let keys: Vec<_> = c
        .keys
        .iter()
        .map(|(a, k)| (a.value.as_str(), k.value.clone(), k.line))
        .collect();
    assert_eq!(
        keys,
        [
            ("reveal", vec!["l".into(), "space".into()], 8),
            ("undo", vec!["z".into()], 9)
        ]
    );
}

#[test]
fn a_bad_value_names_its_line_and_key() {
    let m = message("new_per_day = 5\nreviews_per_day = \"many\"\n");
    assert!(m.starts_with("config.toml:2:"), "{m}");
    assert!(m.contains("key `reviews_per_day`"), "{m}");
    assert!(m.contains("--no-config"), "{m}");
    let m = message("[deck.\"Geo\"]\nnew_per_day = -1\n");
    assert!(m.starts_with("config.toml:2:"), "{m}");
    assert!(m.contains("key `deck.\"Geo\".new_per_day`"), "{m}");
    let m = message("day_starts_at = 24\n");
    assert!(m.starts_with("config.toml:1:"), "{m}");
    assert!(m.contains("day_starts_at") && m.contains("0 to 23"), "{m}");
    let m = message("leech_action = \"delete\"\n");
    assert!(
        m.contains("key `leech_action`") && m.contains("suspend"),
        "{m}"
    );
}

#[test]
fn an_unknown_key_names_its_line_and_what_is_known() {
    let m = message("\n\nnew_limit = 5\n");
    assert!(m.starts_with("config.toml:3:"), "{m}");
    assert!(m.contains("new_limit") && m.contains("new_per_day"), "{m}");
    let m = message("[deck.\"Geo\"]\nnew = 1\n");
    assert!(m.starts_with("config.toml:2:"), "{m}");
    assert!(m.contains("new") && m.contains("new_per_day"), "{m}");
}

#[test]
fn broken_toml_names_its_line() {
    let m = message("new_per_day = 5\n[keys\n");
    assert!(m.starts_with("config.toml:2:"), "{m}");
}
