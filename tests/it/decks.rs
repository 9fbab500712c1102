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

#[test]
fn a_newer_bundled_deck_updates_cards_and_keeps_progress() {
    let env = Env::new();
    let first: Value = env.json(&day(0), &["next", "--json"]);
    let id = first["card"]["id"].as_i64().unwrap().to_string();
    let deck = first["card"]["deck"].as_str().unwrap().to_string();
    let key = first["card"]["card_id"].as_str().unwrap().to_string();
    env.json(&day(0), &["answer", &id, "5", "--json"]);

    // Simulate an older release: the stored text differs and the fingerprint is stale.
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute("UPDATE cards SET back = 'old text' WHERE id = ?1", [&id])
            .unwrap();
        conn.execute(
            "UPDATE meta SET value = 'old' WHERE key = 'bundled_decks_hash'",
            [],
        )
        .unwrap();
    }
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
