//! `recall cards`, `recall log`, the card commands and `recall deck`: the
//! real binary against a database holding the bundled decks and a small
//! Spanish deck, with RECALL_NOW walking through days.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{Env, day};

const SPANISH: &str = r#"
name = "Lang::Spanish"

[[cards]]
id = "perro"
front = "el perro"
back = "the dog"
tags = ["noun", "animal"]

[[cards]]
id = "gato"
front = "el gato"
back = "the cat"
notes = "Gato también es un gato hidráulico."
tags = ["noun", "animal"]

[[cards]]
id = "comer"
front = "comer"
back = "to eat"
tags = ["verb"]
"#;

/// The bundled decks and Lang::Spanish; `perro` answered on day 0 (grade 5).
fn env() -> Env {
    let env = Env::new();
    let deck = env.file("spanish.toml", SPANISH);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    env.at(&day(0))
        .args(["answer", "--deck", "lang::spanish", "perro", "5"])
        .assert()
        .success();
    env
}

/// The `deck/card_id` of every card a query lists (all of them).
fn found(env: &Env, now: &str, query: &str) -> Vec<String> {
    let v = env.json(now, &["cards", query, "--json", "--limit", "0"]);
    assert_eq!(v["more"], false);
    v["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}/{}",
                c["deck"].as_str().unwrap(),
                c["card_id"].as_str().unwrap()
            )
        })
        .collect()
}

fn spanish(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| format!("Lang::Spanish/{k}")).collect()
}

#[test]
fn cards_finds_by_text_deck_tag_state_and_properties() {
    let env = env();
    let now = day(0);
    assert_eq!(
        found(&env, &now, "deck:lang"),
        spanish(&["gato", "comer", "perro"])
    );
    assert_eq!(
        found(&env, &now, "deck:LANG::* tag:animal"),
        spanish(&["gato", "perro"])
    );
    assert_eq!(found(&env, &now, "hidráulico"), spanish(&["gato"]));
    assert_eq!(found(&env, &now, "\"THE DOG\""), spanish(&["perro"]));
    assert_eq!(
        found(&env, &now, "deck:lang is:new"),
        spanish(&["gato", "comer"])
    );
    assert_eq!(found(&env, &now, "is:learning"), spanish(&["perro"]));
    assert_eq!(found(&env, &now, "due:=1"), spanish(&["perro"]));
    assert_eq!(found(&env, &day(1), "is:due"), spanish(&["perro"]));
    assert_eq!(
        found(&env, &now, "ivl:>=1 ease:>2.5 lapses:=0"),
        spanish(&["perro"])
    );
    assert_eq!(
        found(&env, &now, "deck:lang -tag:noun"),
        spanish(&["comer"])
    );
    assert_eq!(
        found(&env, &now, "deck:lang (dog OR eat)"),
        spanish(&["comer", "perro"])
    );
    // The bundled decks are searched alike, by their `·` names typed with `::`.
    let rds = found(&env, &now, "deck:aws::rds \"encryption at rest\"");
    assert!(
        !rds.is_empty() && rds.iter().all(|c| c.starts_with("AWS · RDS/")),
        "{rds:?}"
    );
}

#[test]
fn cards_prints_a_table_and_pages_through_matches() {
    let env = env();
    env.at(&day(0))
        .args(["cards", "deck:lang"])
        .assert()
        .success()
        .stdout(predicate::str::contains("DECK"))
        .stdout(predicate::str::contains("Lang::Spanish"))
        .stdout(predicate::str::contains("el perro"))
        .stdout(predicate::str::contains("2026-03-02"))
        .stdout(predicate::str::contains("learning"))
        .stdout(predicate::str::contains("3 cards."));
    env.at(&day(0))
        .args(["cards", "deck:lang", "--limit", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Cards 1-2 of 3; --offset 2"));
    let second = env.json(
        &day(0),
        &[
            "cards",
            "deck:lang",
            "--limit",
            "2",
            "--offset",
            "2",
            "--json",
        ],
    );
    assert_eq!(second["cards"][0]["card_id"], "perro");
    assert_eq!(second["more"], false);
}

#[test]
fn a_bad_query_names_the_column_and_the_problem_and_exits_non_zero() {
    let env = env();
    env.at(&day(0))
        .args(["cards", "deck:lang", "(dog"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("column 11"))
        .stderr(predicate::str::contains("'(' is never closed"));
    env.at(&day(0))
        .args(["cards", "is:sleeping"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown state `is:sleeping`"));
}

/// The card numbers `recall next --deck lang::spanish` would show in turn today.
fn next_card(env: &Env, now: &str) -> Value {
    env.json(now, &["next", "--deck", "lang::spanish", "--json"])["card"].clone()
}

#[test]
fn a_suspended_card_is_listed_and_comes_back_when_unsuspended() {
    let env = env();
    let now = day(0);
    assert_eq!(next_card(&env, &now)["card_id"], "gato");
    env.at(&now)
        .args(["suspend", "Lang · Spanish/gato"])
        .assert()
        .success()
        .stdout("1 card suspended.\n");
    assert_eq!(found(&env, &now, "is:suspended"), spanish(&["gato"]));
    assert_eq!(next_card(&env, &now)["card_id"], "comer");
    // Days later, the suspended card is still listed, and unsuspending brings it back.
    let later = day(3);
    assert_eq!(found(&env, &later, "is:suspended"), spanish(&["gato"]));
    let id = env.json(&later, &["cards", "is:suspended", "--json"])["cards"][0]["id"]
        .as_i64()
        .unwrap();
    env.at(&later)
        .args(["unsuspend", &id.to_string()])
        .assert()
        .success()
        .stdout("1 card unsuspended.\n");
    assert!(found(&env, &later, "is:suspended").is_empty());
    assert_eq!(next_card(&env, &later)["card_id"], "perro"); // due first
    env.at(&later)
        .args(["answer", "--deck", "Lang::Spanish", "perro", "5"])
        .assert()
        .success();
    assert_eq!(next_card(&env, &later)["card_id"], "gato");
}

#[test]
fn a_buried_card_waits_until_tomorrow_or_until_unburied() {
    let env = env();
    let now = day(0);
    env.at(&now)
        .args(["bury", "lang::spanish/gato", "lang::spanish/comer"])
        .assert()
        .success()
        .stdout("2 cards buried until tomorrow.\n");
    assert_eq!(found(&env, &now, "is:buried"), spanish(&["gato", "comer"]));
    let next = env.json(&now, &["next", "--deck", "Lang::Spanish", "--json"]);
    assert_eq!(next["card"], Value::Null);
    // The counts agree: a buried card is neither new nor due.
    let decks = env.json(&now, &["decks", "--json"]);
    let lang = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Lang::Spanish")
        .unwrap();
    assert_eq!(
        (lang["new"].as_u64(), lang["buried"].as_u64()),
        (Some(0), Some(2))
    );
    let stats = env.json(
        &now,
        &["stats", "--deck", "Lang::Spanish", "--format", "json"],
    );
    assert_eq!(stats["totals"]["new"], lang["new"]);
    assert_eq!(stats["totals"]["buried"], lang["buried"]);
    // Tomorrow they are back; unbury brings one back today.
    assert!(found(&env, &day(1), "is:buried").is_empty());
    env.at(&now)
        .args(["unbury", "--query", "deck:lang is:buried tag:verb"])
        .assert()
        .success()
        .stdout("1 card unburied.\n");
    assert_eq!(next_card(&env, &now)["card_id"], "comer");
}

#[test]
fn reset_makes_a_card_new_and_keeps_its_history() {
    let env = env();
    let now = day(1);
    env.at(&now)
        .args(["answer", "--deck", "Lang::Spanish", "perro", "2"])
        .assert()
        .success();
    env.at(&now)
        .args(["reset", "lang::spanish/perro"])
        .assert()
        .success()
        .stdout("1 card reset to new (history kept).\n");
    let log = env.json(&now, &["log", "Lang::Spanish/perro", "--json"]);
    assert_eq!(log["card"]["state"], "new");
    assert_eq!(log["card"]["due"], Value::Null);
    let reviews = log["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[0]["grade"], 5);
    assert_eq!(reviews[0]["kind"], "schedule");
    assert_eq!(reviews[0]["reviewed_at"], "2026-03-01T09:00:00+00:00");
    assert_eq!(reviews[0]["before"]["interval_days"], 0);
    assert_eq!(reviews[0]["after"]["interval_days"], 1);
    assert_eq!(reviews[1]["after"]["lapses"], 1);
    assert!(found(&env, &now, "is:new deck:lang").contains(&"Lang::Spanish/perro".to_string()));
    env.at(&now)
        .args(["log", "lang::spanish/perro"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 days → 1 day"))
        .stdout(predicate::str::contains("2.5 → 2.6"))
        .stdout(predicate::str::contains("2 answers."));
}

#[test]
fn card_commands_change_nothing_when_one_card_is_unknown() {
    let env = env();
    env.at(&day(0))
        .args(["suspend", "lang::spanish/gato", "lang::spanish/nope"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "deck \"Lang::Spanish\" has no card with id \"nope\"",
        ));
    env.at(&day(0))
        .args(["suspend", "99999"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no card with number 99999"));
    assert!(found(&env, &day(0), "is:suspended").is_empty());
}

#[test]
fn deck_rename_keeps_the_cards_and_their_progress() {
    let env = env();
    env.at(&day(0))
        .args(["deck", "rename", "lang · spanish", "Lang::Español"])
        .assert()
        .success()
        .stdout("Renamed Lang::Spanish to Lang::Español.\n");
    let log = env.json(&day(0), &["log", "Lang::Español/perro", "--json"]);
    assert_eq!(log["reviews"].as_array().unwrap().len(), 1);
    env.at(&day(0))
        .args(["deck", "rename", "lang::español", "AWS · RDS"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "a deck named \"AWS · RDS\" already exists",
        ));
}

#[test]
fn an_unknown_deck_name_says_did_you_mean() {
    let env = env();
    env.at(&day(0))
        .args(["deck", "rename", "Lang::Spansh", "x"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no deck named \"Lang::Spansh\"; did you mean \"Lang::Spanish\"?",
        ));
    env.at(&day(0))
        .args(["next", "--deck", "aws::aurora"])
        .assert()
        .success()
        .stdout(predicate::str::contains("AWS · Aurora"));
}

#[test]
fn deck_delete_saves_a_backup_first_and_needs_yes_off_a_terminal() {
    let env = env();
    env.at(&day(0))
        .args(["deck", "delete", "lang::spanish"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("needs --yes"));
    assert_eq!(found(&env, &day(0), "deck:lang").len(), 3);
    env.at(&day(0))
        .args(["deck", "delete", "lang::spanish", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Deleted Lang::Spanish with 3 cards and 1 answer.",
        ))
        .stdout(predicate::str::contains("before-deck-delete"));
    assert!(found(&env, &day(0), "deck:lang").is_empty());
    let backup = std::fs::read_dir(env.dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("before-deck-delete"))
        .expect("a backup named for the deletion");
    let conn = rusqlite::Connection::open(&backup).unwrap();
    let (cards, reviews): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM cards c JOIN decks d ON d.id = c.deck_id \
                      WHERE d.name = 'Lang::Spanish'), (SELECT COUNT(*) FROM reviews)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((cards, reviews), (3, 1));
}
