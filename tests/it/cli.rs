//! The scriptable CLI, walked through several days with RECALL_NOW.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{Env, day};

const DECK: &str = r#"
name = "Test"
description = "three cards"

[[cards]]
id = "one"
front = "Q1"
back = "A1"

[[cards]]
id = "two"
front = "Q2"
back = "A2"
notes = "why"
tags = ["x"]

[[cards]]
id = "three"
front = "Q3"
back = "A3"
"#;

/// An env with only the test deck studied: bundled decks get a zero new limit.
fn env_with_deck() -> Env {
    let env = Env::new();
    let deck = env.file("test.toml", DECK);
    env.at(&day(0))
        .args(["import"])
        .arg(&deck)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Test: 3 added, 0 updated, 0 unchanged, 0 missing",
        ));
    env
}

fn next(env: &Env, now: &str) -> Value {
    env.json(now, &["next", "--deck", "Test", "--json"])
}

fn answer(env: &Env, now: &str, id: &Value, grade: u8) -> Value {
    let id = id.as_i64().expect("numeric id").to_string();
    env.json(now, &["answer", &id, &grade.to_string(), "--json"])
}

#[test]
fn worked_example_through_the_cli() {
    // 4,3,5,2,4,5 → 1/2.5, 6/2.36, 15/2.46, 1/2.14, 1/2.14, 6/2.24, answered on each due day.
    let env = env_with_deck();
    let expected = [
        (4, 1, 2.5),
        (3, 6, 2.36),
        (5, 15, 2.46),
        (2, 1, 2.14),
        (4, 1, 2.14),
        (5, 6, 2.24),
    ];
    let mut now = day(0);
    let card = next(&env, &now)["card"]["id"].clone();
    for (grade, interval, ef) in expected {
        let state = answer(&env, &now, &card, grade);
        assert_eq!(state["kind"], "schedule");
        assert_eq!(state["interval_days"], interval);
        assert_eq!(state["efactor"].as_f64(), Some(ef));
        let due = state["due"].as_str().unwrap().to_string();
        now = format!("{due}T09:00:00+00:00");
    }
}

#[test]
fn a_day_of_study_with_redrills_then_the_next_day() {
    let env = env_with_deck();
    let now = day(0);
    let first = next(&env, &now);
    assert_eq!(first["card"]["kind"], "new");
    assert_eq!(first["card"]["card_id"], "one");
    assert_eq!(first["remaining"], 3);

    let s = answer(&env, &now, &first["card"]["id"], 2);
    assert_eq!(
        (
            s["repetitions"].as_u64(),
            s["interval_days"].as_u64(),
            s["lapses"].as_u64()
        ),
        (Some(0), Some(1), Some(1))
    );
    assert_eq!(s["due"], "2026-03-02");

    let second = next(&env, &now);
    assert_eq!(second["card"]["card_id"], "two");
    assert_eq!(second["card"]["notes"], "why");
    answer(&env, &now, &second["card"]["id"], 5);
    let third = next(&env, &now);
    answer(&env, &now, &third["card"]["id"], 3);

    // Step 7: "one" (2) then "three" (3) come back, and do not move the schedule.
    let redrill = next(&env, &now);
    assert_eq!(redrill["card"]["card_id"], "one");
    assert_eq!(redrill["card"]["kind"], "redrill");
    let r = answer(&env, &now, &redrill["card"]["id"], 1);
    assert_eq!(r["kind"], "redrill");
    assert_eq!(r["due"], "2026-03-02");
    assert_eq!(r["lapses"], 1);
    assert_eq!(next(&env, &now)["card"]["card_id"], "three");
    answer(&env, &now, &third["card"]["id"], 4);
    assert_eq!(next(&env, &now)["card"]["card_id"], "one");
    answer(&env, &now, &first["card"]["id"], 5);

    let done = next(&env, &now);
    assert_eq!(done["card"], Value::Null);
    assert_eq!(done["next_due"], "2026-03-02");

    // The next day only "one" is due; after it, nothing until "two" and "three" (1 day each).
    let tomorrow = day(1);
    let due = next(&env, &tomorrow);
    assert_eq!(due["card"]["card_id"], "one");
    assert_eq!(due["card"]["kind"], "review");
    assert_eq!(due["remaining"], 3, "two and three are due too: interval 1");
}

#[test]
fn reviews_before_rollover_belong_to_the_previous_day() {
    let env = env_with_deck();
    let card = next(&env, "2026-03-01T23:00:00+00:00")["card"]["id"].clone();
    answer(&env, "2026-03-01T23:00:00+00:00", &card, 2);
    // 02:00 next morning is still the study day of 2026-03-01: a re-drill.
    let again = answer(&env, "2026-03-02T02:00:00+00:00", &card, 5);
    assert_eq!(again["kind"], "redrill");
    // After 04:00 it is a new day: the answer schedules.
    let later = answer(&env, "2026-03-02T05:00:00+00:00", &card, 5);
    assert_eq!(later["kind"], "schedule");
    assert_eq!(later["due"], "2026-03-03");
}

#[test]
fn new_card_limit_per_deck() {
    let env = env_with_deck();
    let now = day(0);
    let out = env.json(
        &now,
        &["--new-limit", "2", "next", "--deck", "Test", "--json"],
    );
    assert_eq!(out["remaining"], 2);
    let id = out["card"]["id"].as_i64().unwrap().to_string();
    env.at(&now).args(["answer", &id, "5"]).assert().success();
    let out = env.json(
        &now,
        &["--new-limit", "2", "next", "--deck", "Test", "--json"],
    );
    assert_eq!(out["remaining"], 1);
}

#[test]
fn invalid_answers_write_nothing() {
    let env = env_with_deck();
    let now = day(0);
    let before = env.db_bytes();
    env.at(&now)
        .args(["answer", "999999", "4"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no card with id 999999"));
    env.at(&now).args(["answer", "1", "6"]).assert().code(2);
    env.at(&now)
        .args(["answer", "nope", "4"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--deck"));
    env.at(&now)
        .args(["answer", "nope", "4", "--deck", "Test"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no card with id \"nope\""));
    assert_eq!(before, env.db_bytes());
}

#[test]
fn answer_by_deck_and_id_and_undo() {
    let env = env_with_deck();
    let now = day(0);
    let s = env.json(&now, &["answer", "two", "4", "--deck", "Test", "--json"]);
    assert_eq!(s["card_id"], "two");
    assert_eq!(s["due"], "2026-03-02");
    let undone = env.json(&now, &["undo", "--json"]);
    assert_eq!(undone["card_id"], "two");
    assert_eq!(undone["due"], Value::Null);
    assert_eq!(undone["repetitions"], 0);
    // The undone answer no longer counts: the next one schedules again.
    let again = env.json(&now, &["answer", "two", "5", "--deck", "Test", "--json"]);
    assert_eq!(again["kind"], "schedule");
}

#[test]
fn reimport_keeps_progress_and_reports_changes() {
    let env = env_with_deck();
    let now = day(0);
    env.json(&now, &["answer", "one", "5", "--deck", "Test", "--json"]);
    let edited = DECK
        .replace("back = \"A1\"", "back = \"A1, edited\"")
        .replace(
            "[[cards]]\nid = \"three\"\nfront = \"Q3\"\nback = \"A3\"\n",
            "[[cards]]\nid = \"four\"\nfront = \"Q4\"\nback = \"A4\"\n",
        );
    let file = env.file("test.toml", &edited);
    env.at(&now)
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 added, 1 updated, 1 unchanged, 1 missing",
        ))
        .stdout(predicate::str::contains("three"));
    let again = env.at(&now).arg("import").arg(&file).assert().success();
    again.stdout(predicate::str::contains(
        "0 added, 0 updated, 3 unchanged, 1 missing",
    ));
    let card = env.json(&now, &["answer", "one", "5", "--deck", "Test", "--json"]);
    assert_eq!(
        card["kind"], "redrill",
        "progress of the edited card was kept"
    );
    assert_eq!(card["due"], "2026-03-02");

    env.at(&now)
        .arg("import")
        .arg("--prune")
        .arg(&file)
        .assert()
        .success();
    let decks = env.json(&now, &["decks", "--json"]);
    let test = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Test")
        .unwrap();
    assert_eq!(test["total"], 3);
}

#[test]
fn bad_deck_files_are_refused_whole() {
    let env = env_with_deck();
    let now = day(0);
    let good = env.file(
        "good.toml",
        "name = \"Good\"\n[[cards]]\nid = \"g\"\nfront = \"q\"\nback = \"a\"\n",
    );
    let bad = env.file(
        "bad.toml",
        "name = \"Bad\"\n[[cards]]\nid = \"b\"\nfront = \"q\"\n",
    );
    let before = env.db_bytes();
    env.at(&now)
        .arg("import")
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "bad.toml:2:1: the card's back is empty",
        ))
        .stderr(predicate::str::contains("back"));
    assert_eq!(before, env.db_bytes());
    let dry = env
        .at(&now)
        .args(["import", "--dry-run"])
        .arg(&good)
        .assert()
        .success();
    dry.stdout(predicate::str::contains("dry run"));
    assert_eq!(before, env.db_bytes());
}

#[test]
fn newer_schema_is_refused_and_left_untouched() {
    let env = env_with_deck();
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = env.db_bytes();
    env.at(&day(0))
        .arg("decks")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("schema is version 99"))
        .stderr(predicate::str::contains(env.db.to_str().unwrap()));
    assert_eq!(before, env.db_bytes());
}

#[test]
fn garbage_database_is_refused() {
    let env = Env::new();
    std::fs::write(
        &env.db,
        b"this is not sqlite, just some bytes that are long enough to look like a header..",
    )
    .unwrap();
    let before = env.db_bytes();
    env.at(&day(0))
        .arg("decks")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("recall restore"));
    assert_eq!(before, env.db_bytes());
}

#[test]
fn bad_recall_now_is_a_clear_error() {
    let env = Env::new();
    env.at("yesterday")
        .arg("decks")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("RECALL_NOW"));
}

#[test]
fn db_flag_beats_environment_and_creates_directories() {
    let env = Env::new();
    let nested = env.dir.path().join("a/b/c.db");
    env.at(&day(0))
        .arg("--db")
        .arg(&nested)
        .arg("decks")
        .assert()
        .success();
    assert!(nested.exists());
    assert!(!env.db.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&nested).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn card_text_is_escaped_in_plain_output() {
    let env = Env::new();
    let deck = env.file(
        "evil.toml",
        "name = \"Evil\"\n[[cards]]\nid = \"e\"\nfront = \"Title \\u001b]2;PWNED\\u0007 front\"\nback = \"b\"\n",
    );
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let out = env
        .at(&day(0))
        .args(["next", "--deck", "Evil"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("\\x1b]2;PWNED\\x07"), "{text}");
}

#[test]
fn help_describes_every_command() {
    let env = Env::new();
    let out = env.at(&day(0)).arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for cmd in ["decks", "import", "next", "answer", "undo"] {
        assert!(help.contains(cmd), "{cmd} missing from --help");
    }
    env.at(&day(0))
        .args(["answer", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 blackout"));
}

/// The terminal column at which `needle` starts in `line` (a CJK character
/// or an emoji takes two).
fn column_of(line: &str, needle: &str) -> usize {
    let at = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in {line:?}"));
    unicode_width::UnicodeWidthStr::width(&line[..at])
}

#[test]
fn plain_tables_pad_wide_characters_by_their_columns() {
    let env = Env::new();
    // A deck name and a card front two columns a character wide: padded by
    // chars, their rows would stick out by one column per character.
    let wide = env.file(
        "wide.toml",
        "name = \"日本語🎌\"\n[[cards]]\nid = \"w\"\nfront = \"漢字の読み方\"\nback = \"a\"\n",
    );
    let narrow = env.file(
        "narrow.toml",
        "name = \"Narrowish\"\n[[cards]]\nid = \"n\"\nfront = \"plain\"\nback = \"b\"\n",
    );
    env.at(&day(0))
        .arg("import")
        .args([&wide, &narrow])
        .assert()
        .success();

    let out = env.at(&day(0)).arg("decks").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let row = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap()
            .to_string()
    };
    let (head, wide_row, narrow_row) = (row("DECK"), row("日本語🎌"), row("Narrowish"));
    // TOTAL is right-aligned over the counts: all end in the same column.
    let end = column_of(&head, "TOTAL") + "TOTAL".len();
    assert_eq!(column_of(&wide_row, "1  ") + 1, end, "{text}");
    assert_eq!(column_of(&narrow_row, "1  ") + 1, end, "{text}");

    let out = env
        .at(&day(0))
        .args(["cards", "deck:日本語🎌 OR deck:Narrowish"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let head = text.lines().next().unwrap().to_string();
    let wide_row = row_in(&text, "漢字の読み方");
    let narrow_row = row_in(&text, "plain");
    let due = column_of(&head, "DUE");
    assert_eq!(
        column_of(&wide_row, "new"),
        column_of(&narrow_row, "new"),
        "{text}"
    );
    assert!(column_of(&wide_row, "漢字") < due, "{text}");
}

fn row_in(text: &str, needle: &str) -> String {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap()
        .to_string()
}
