//! Craft tests over every bundled card (issue 15): no two cards ask the
//! same thing, no front gives its answer away, every box diagram is
//! rectangular. The checks themselves are in `craft`, proven on literal
//! cards in `craft_fixtures`.

use recall::bundled;
use recall::domain::DeckDraft;

use crate::craft::{self, Card};
use crate::craft_boxes;

fn cards(decks: &[DeckDraft]) -> Vec<Card<'_>> {
    decks
        .iter()
        .flat_map(|d| {
            d.cards.iter().map(|c| Card {
                deck: &d.name,
                key: &c.key,
                front: &c.front,
                back: &c.back,
            })
        })
        .collect()
}

#[test]
fn no_two_bundled_cards_ask_the_same_thing() {
    let decks = bundled::decks().unwrap();
    let found = craft::duplicates(&cards(&decks));
    let lines: Vec<String> = found
        .iter()
        .map(|d| format!("{} ~ {}: {}", d.first, d.second, d.why))
        .collect();
    assert!(
        lines.is_empty(),
        "{} pairs of cards ask the same thing (keep the framing that teaches it best, \
         let the other ask what it alone can):\n{}",
        lines.len(),
        lines.join("\n")
    );
}

#[test]
fn no_bundled_front_gives_its_answer_away() {
    let decks = bundled::decks().unwrap();
    let lines: Vec<String> = cards(&decks)
        .iter()
        .filter_map(|c| craft::giveaway(c).map(|why| format!("{}: {why}", c.name())))
        .collect();
    assert!(
        lines.is_empty(),
        "{} fronts give their answer away:\n{}",
        lines.len(),
        lines.join("\n")
    );
}

#[test]
fn every_bundled_box_diagram_is_rectangular() {
    let decks = bundled::decks().unwrap();
    let mut lines = Vec::new();
    for deck in &decks {
        for card in &deck.cards {
            for (side, text) in [
                ("front", &card.front),
                ("back", &card.back),
                ("notes", &card.notes),
            ] {
                for problem in craft_boxes::box_problems(text) {
                    lines.push(format!("{} / {} {side}, {problem}", deck.name, card.key));
                }
            }
        }
    }
    assert!(
        lines.is_empty(),
        "box diagrams out of shape:\n{}",
        lines.join("\n")
    );
}
