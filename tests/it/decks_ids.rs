//! `decks/ids.txt`, the registry of every bundled card id ever shipped:
//! ids are never reused for another question, since a user who studied a
//! card keeps its history under its id (a removed card is retired in their
//! database, not deleted). The `live` lines are exactly today's bundled
//! cards; `retired` lines stay forever.
//!
//! To update the file after editing `decks/*.toml`:
//! `RECALL_WRITE_IDS=1 cargo test --test it decks_ids` (never under CI).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use recall::bundled;

const HEADER: &str = "\
# Every bundled card id ever shipped: deck name, TAB, card key as stored
# (reverse cards ID:reverse, cloze cards ID:c1 ...), TAB, live or retired.
# A removed card's line is marked retired, never deleted, and a retired id
# never goes back to live nor names another question (give it a new id).
# After editing decks/*.toml, update this file with:
#   RECALL_WRITE_IDS=1 cargo test --test it decks_ids
";

const FIX: &str = "update decks/ids.txt: add new ids as live, mark removed ones retired, \
     never delete a line or flip retired back to live; \
     `RECALL_WRITE_IDS=1 cargo test --test it decks_ids` does exactly that";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Live,
    Retired,
}

type Key = (String, String);

/// The registry's lines, in file order, or the first bad line.
fn parse(text: &str) -> Result<Vec<(Key, State)>, String> {
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("decks/ids.txt:{}: {line:?}", n + 1);
        let fields: Vec<&str> = line.split('\t').collect();
        let [deck, key, state] = fields[..] else {
            return Err(format!("{}: not deck TAB key TAB state", at()));
        };
        let state = match state {
            "live" => State::Live,
            "retired" => State::Retired,
            _ => return Err(format!("{}: the state is live or retired", at())),
        };
        lines.push(((deck.to_string(), key.to_string()), state));
    }
    Ok(lines)
}

/// The registry as it should be now: every line kept, a live one that is
/// no longer shipped marked retired, each new card added as live. A retired
/// id back in the decks stays retired (the check then fails on it).
fn regenerate(old: &[(Key, State)], current: &BTreeSet<Key>) -> String {
    let mut all: BTreeMap<&Key, State> = BTreeMap::new();
    for (key, state) in old {
        let state = match state {
            State::Live if !current.contains(key) => State::Retired,
            _ => *state,
        };
        // A key listed both ways is retired: it was shipped and removed.
        let entry = all.entry(key).or_insert(state);
        if state == State::Retired {
            *entry = State::Retired;
        }
    }
    for key in current {
        all.entry(key).or_insert(State::Live);
    }
    let mut text = HEADER.to_string();
    for ((deck, key), state) in all {
        let state = if state == State::Live {
            "live"
        } else {
            "retired"
        };
        text.push_str(&format!("{deck}\t{key}\t{state}\n"));
    }
    text
}

/// Every card of today's bundled decks, as `(deck, key)`.
fn bundled_keys() -> BTreeSet<Key> {
    bundled::decks()
        .unwrap()
        .iter()
        .flat_map(|d| d.cards.iter().map(|c| (d.name.clone(), c.key.clone())))
        .collect()
}

/// What is wrong with the registry for these cards (empty: nothing).
fn problems(lines: &[(Key, State)], current: &BTreeSet<Key>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (key, _) in lines {
        if !seen.insert(key) {
            problems.push(format!("listed twice: {key:?}"));
        }
    }
    for (key, state) in lines {
        match state {
            State::Retired if current.contains(key) => problems.push(format!(
                "a current card uses the retired id {key:?}: give the card a new id"
            )),
            State::Live if !current.contains(key) => {
                problems.push(format!("live but no longer shipped: {key:?}"))
            }
            _ => {}
        }
    }
    for key in current {
        // (A current card under a retired id is reported above.)
        if !seen.contains(key) {
            problems.push(format!("shipped but not listed: {key:?}"));
        }
    }
    problems
}

#[test]
fn decks_ids_txt_lists_every_bundled_card_ever_shipped() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/ids.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let current = bundled_keys();
    let mut lines = parse(&text).unwrap_or_else(|e| panic!("{e}; {FIX}"));
    if std::env::var_os("RECALL_WRITE_IDS").is_some() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "RECALL_WRITE_IDS rewrites decks/ids.txt, which CI never does"
        );
        let new = regenerate(&lines, &current);
        std::fs::write(&path, &new).unwrap();
        lines = parse(&new).unwrap();
    }
    let problems = problems(&lines, &current);
    assert!(problems.is_empty(), "{}\n{FIX}", problems.join("\n"));
}

fn key(deck: &str, key: &str) -> Key {
    (deck.to_string(), key.to_string())
}

#[test]
fn the_check_finds_each_kind_of_problem() {
    let current: BTreeSet<Key> = [key("D", "a"), key("D", "b")].into();
    let ok = parse("# header\nD\ta\tlive\nD\tb\tlive\nD\told\tretired\n").unwrap();
    assert_eq!(problems(&ok, &current), Vec::<String>::new());
    let bad = parse("D\ta\tlive\nD\ta\tlive\nD\tb\tretired\nD\tgone\tlive\n").unwrap();
    let found = problems(&bad, &current).join("\n");
    assert!(found.contains("listed twice: (\"D\", \"a\")"), "{found}");
    assert!(found.contains("retired id (\"D\", \"b\")"), "{found}");
    assert!(
        found.contains("no longer shipped: (\"D\", \"gone\")"),
        "{found}"
    );
    let missing = parse("D\ta\tlive\n").unwrap();
    let found = problems(&missing, &current).join("\n");
    assert!(found.contains("not listed: (\"D\", \"b\")"), "{found}");
    assert!(parse("D\ta\n").unwrap_err().contains("ids.txt:1:"));
    assert!(
        parse("D\ta\tgone\n")
            .unwrap_err()
            .contains("live or retired")
    );
}

#[test]
fn regenerating_keeps_retired_lines_retires_removed_ones_and_adds_new_ones() {
    let old = parse("D\ta\tlive\nD\told\tretired\nD\tremoved\tlive\nD\tback\tretired\n").unwrap();
    let current: BTreeSet<Key> = [key("D", "a"), key("D", "new"), key("D", "back")].into();
    let new = regenerate(&old, &current);
    let lines = parse(&new).unwrap();
    let states: BTreeMap<Key, State> = lines.iter().cloned().collect();
    assert_eq!(states.len(), 5, "no line lost: {new}");
    assert_eq!(states[&key("D", "a")], State::Live);
    assert_eq!(states[&key("D", "new")], State::Live);
    assert_eq!(states[&key("D", "old")], State::Retired);
    assert_eq!(states[&key("D", "removed")], State::Retired);
    // A retired id is never flipped back: the check reports the reuse.
    assert_eq!(states[&key("D", "back")], State::Retired);
    assert_eq!(problems(&lines, &current).len(), 1, "{new}");
    assert!(new.starts_with(HEADER));
}
