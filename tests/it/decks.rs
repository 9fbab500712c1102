//! The bundled decks: they parse, are well-formed, cover the lesson, and
//! install into a fresh database.

use std::collections::HashSet;

use recall::bundled;
use serde_json::Value;

use crate::common::{Env, day};

#[test]
fn every_bundled_deck_parses_with_unique_names_and_sane_cards() {
    let decks = bundled::decks().expect("bundled decks parse");
    assert!(decks.len() >= 8, "only {} decks", decks.len());
    let mut names = HashSet::new();
    let mut total = 0;
    for deck in &decks {
        assert!(
            names.insert(&deck.name),
            "duplicate deck name {}",
            deck.name
        );
        assert!(
            !deck.description.trim().is_empty(),
            "{} has no description",
            deck.name
        );
        for card in &deck.cards {
            let what = format!("{} / {}", deck.name, card.key);
            assert!(!card.notes.trim().is_empty(), "{what}: no notes");
            assert!(!card.tags.is_empty(), "{what}: no tags");
            assert!(card.front.chars().count() <= 600, "{what}: front too long");
            assert!(card.back.chars().count() <= 2000, "{what}: back too long");
            assert!(
                card.key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == ':'),
                "{what}: id is not a slug"
            );
        }
        total += deck.cards.len();
    }
    assert!(total > 150, "only {total} cards");
}

#[test]
fn the_lesson_figures_and_terms_all_appear_in_some_card() {
    let terms = include_str!("decks_coverage_terms.txt");
    let text: String = bundled::decks()
        .unwrap()
        .iter()
        .flat_map(|d| &d.cards)
        .map(|c| format!("{}\n{}\n{}\n", c.front, c.back, c.notes).to_lowercase())
        .collect();
    let missing: Vec<&str> = terms
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|term| !text.contains(&term.to_lowercase()))
        .collect();
    assert!(missing.is_empty(), "not asked by any card: {missing:?}");
}

#[test]
fn the_diagrams_survive_verbatim() {
    let all: Vec<String> = bundled::decks()
        .unwrap()
        .iter()
        .flat_map(|d| d.cards.iter().map(|c| format!("{}\n{}", c.back, c.notes)))
        .collect();
    let with_boxes = all
        .iter()
        .filter(|t| t.contains('┌') && t.contains('└'))
        .count();
    assert!(
        with_boxes >= 5,
        "only {with_boxes} cards carry a box drawing"
    );
}

#[test]
fn a_fresh_database_gets_every_bundled_deck() {
    let env = Env::new();
    let decks = env.json(&day(0), &["decks", "--json"]);
    let bundled = bundled::decks().unwrap();
    let listed: HashSet<&str> = decks
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    for deck in &bundled {
        assert!(
            listed.contains(deck.name.as_str()),
            "{} not installed",
            deck.name
        );
        let row = decks
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == deck.name.as_str())
            .unwrap();
        assert_eq!(row["total"].as_u64(), Some(deck.cards.len() as u64));
    }
}

/// Simulates an older release: the fingerprint is stale and, given a card
/// number, that card's stored text differs from this release's.
fn older_release(env: &Env, changed: Option<&str>) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    if let Some(id) = changed {
        conn.execute("UPDATE cards SET back = 'old text' WHERE id = ?1", [id])
            .unwrap();
    }
    conn.execute(
        "UPDATE meta SET value = 'old' WHERE key = 'bundled_decks_hash'",
        [],
    )
    .unwrap();
}

#[test]
fn a_newer_bundled_deck_updates_cards_and_keeps_progress() {
    let env = Env::new();
    let first: Value = env.json(&day(0), &["next", "--json"]);
    let id = first["card"]["id"].as_i64().unwrap().to_string();
    let deck = first["card"]["deck"].as_str().unwrap().to_string();
    let key = first["card"]["card_id"].as_str().unwrap().to_string();
    env.json(&day(0), &["answer", &id, "5", "--json"]);

    older_release(&env, Some(&id));
    let after = env.json(&day(0), &["answer", &key, "5", "--deck", &deck, "--json"]);
    assert_eq!(
        after["kind"], "redrill",
        "progress kept: today's answer still counts"
    );
    assert_eq!(after["due"], "2026-03-02");
    let next = env.json(&day(1), &["next", "--deck", &deck, "--json"]);
    assert_eq!(next["card"]["card_id"], key.as_str());
    assert_ne!(
        next["card"]["back"], "old text",
        "the newer text was installed"
    );
}

/// Runs `recall ARGS --json` at `now`: its stdout as JSON (it must stay
/// clean) and its stderr.
fn json_and_stderr(env: &Env, now: &str, args: &[&str]) -> (Value, String) {
    let out = env.at(now).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "recall {args:?} failed: {stderr}");
    let json = serde_json::from_slice(&out.stdout).expect("clean JSON on stdout");
    (json, stderr)
}

/// `(suspended, tags, due, interval, efactor, repetitions, reviews)` of a card.
fn card_state(env: &Env, key: &str) -> (i64, String, Option<i64>, i64, i64, i64, i64) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row(
        "SELECT suspended, tags, due, interval, efactor, repetitions, \
           (SELECT COUNT(*) FROM reviews r WHERE r.card_id = c.id) \
         FROM cards c WHERE key = ?1",
        [key],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        },
    )
    .unwrap()
}

#[test]
fn a_bundled_card_a_release_dropped_is_retired_with_its_history() {
    let env = Env::new();
    let first = env.json(&day(0), &["next", "--json"]);
    let deck = first["card"]["deck"].as_str().unwrap().to_string();
    let kept = first["card"]["id"].as_i64().unwrap().to_string();
    // An older release shipped one more card, which the user answered.
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute(
            "INSERT INTO cards (deck_id, key, front, back, notes, tags, created_at, updated_at) \
             VALUES ((SELECT id FROM decks WHERE name = ?1), 'dropped-card', \
                     'An old question?', 'An old answer', '', 'rds exam', 0, 0)",
            [&deck],
        )
        .unwrap();
    }
    env.json(
        &day(0),
        &["answer", "dropped-card", "4", "--deck", &deck, "--json"],
    );
    let before = card_state(&env, "dropped-card");
    assert_eq!((before.0, before.6), (0, 1), "active, one answer");
    // Due tomorrow, and then the first card of its deck: what `next` shows.
    let due = env.json(&day(1), &["next", "--deck", &deck, "--json"]);
    assert_eq!(due["card"]["card_id"], "dropped-card", "{due}");
    // The next release: that card gone, another's text changed.
    older_release(&env, Some(&kept));

    let (_, stderr) = json_and_stderr(&env, &day(1), &["decks", "--json"]);
    assert_eq!(
        stderr,
        "recall: the bundled decks were updated: 1 card changed, 0 added; 1 retired \
         (suspended, tagged \"retired\", history kept; `recall cards tag:retired` lists them)\n"
    );
    let after = card_state(&env, "dropped-card");
    assert_eq!(after.0, 1, "suspended");
    assert_eq!(
        after.1, "rds exam retired",
        "its tags kept, `retired` added"
    );
    assert_eq!(
        (after.2, after.3, after.4, after.5, after.6),
        (before.2, before.3, before.4, before.5, before.6),
        "its schedule and history kept"
    );
    let next = env.json(&day(1), &["next", "--deck", &deck, "--json"]);
    assert_ne!(next["card"]["card_id"], "dropped-card", "{next}");
    let found = env.json(&day(1), &["cards", "tag:retired", "--json"]);
    assert!(found.to_string().contains("dropped-card"), "{found}");

    // Told once: the next open has nothing to say.
    let (_, stderr) = json_and_stderr(&env, &day(1), &["decks", "--json"]);
    assert_eq!(stderr, "");
    // Nor does a later release that still lacks it (already retired).
    older_release(&env, None);
    let (_, stderr) = json_and_stderr(&env, &day(2), &["decks", "--json"]);
    assert_eq!(stderr, "");
}

/// Imports a one-card deck `name`, with `order` as the file's first line.
fn import_deck(env: &Env, name: &str, order: &str) {
    let text =
        format!("name = {name:?}\n{order}\n[[cards]]\nid = \"c\"\nfront = \"q\"\nback = \"a\"\n");
    let file = env.file(&format!("{name}.toml"), text);
    env.at(&day(0)).arg("import").arg(&file).assert().success();
}

/// The deck names `recall decks --json` lists, in its order.
fn listed(env: &Env) -> Vec<String> {
    env.json(&day(0), &["decks", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn decks_are_listed_bundled_in_file_order_then_by_order_key_and_name() {
    let env = Env::new();
    import_deck(&env, "Aardvark", "");
    import_deck(&env, "Zebra", "order = 0");
    let bundled: Vec<String> = bundled::decks()
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    let mut expected = vec!["Zebra".to_string()];
    expected.extend(bundled.iter().cloned());
    expected.push("Aardvark".into());
    assert_eq!(listed(&env), expected);
    // The statistics list their decks in the same order.
    let stats = env.json(&day(0), &["stats", "--format", "json"]);
    let per_deck: Vec<&str> = stats["decks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(per_deck, expected);

    // A re-import without the key takes the deck's place away.
    import_deck(&env, "Zebra", "");
    let mut expected = bundled.clone();
    expected.extend(["Aardvark".to_string(), "Zebra".to_string()]);
    assert_eq!(listed(&env), expected);
}

#[test]
fn a_database_from_before_deck_positions_gets_them_on_its_next_open_quietly() {
    let env = Env::new();
    env.json(&day(0), &["decks", "--json"]);
    // What migration 0007 leaves in a database that had the bundled decks:
    // no positions, and no fingerprint (so that they are imported again).
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute("UPDATE decks SET position = NULL", [])
            .unwrap();
        conn.execute("DELETE FROM meta WHERE key = 'bundled_decks_hash'", [])
            .unwrap();
    }
    // The first open after it: nothing changed in a card, nothing to tell.
    let (_, stderr) = json_and_stderr(&env, &day(0), &["decks", "--json"]);
    assert_eq!(stderr, "");
    let in_file_order: Vec<String> = bundled::decks()
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    let mut alphabetical = in_file_order.clone();
    alphabetical.sort();
    assert_ne!(alphabetical, in_file_order, "the test would prove nothing");
    assert_eq!(listed(&env), in_file_order);
}
