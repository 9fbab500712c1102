//! Moving and deleting cards: all of them or none.

use super::*;
use crate::domain::{CardDraft, DeckDraft};
use crate::storage::ImportOptions;

fn card(key: &str) -> CardDraft {
    CardDraft {
        key: key.into(),
        front: format!("front {key}"),
        back: "back".into(),
        notes: String::new(),
        tags: vec![],
        typed: false,
    }
}

/// Deck "a" with cards x and y, deck "b" with card x.
fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("actions.db")).unwrap();
    let deck = |name: &str, keys: &[&str]| DeckDraft {
        name: name.into(),
        description: String::new(),
        position: None,
        cards: keys.iter().map(|k| card(k)).collect(),
    };
    store
        .import(
            &[deck("a", &["x", "y"]), deck("b", &["x"])],
            ImportOptions::default(),
            0,
        )
        .unwrap();
    (dir, store)
}

fn id(store: &Store, deck: &str, key: &str) -> CardId {
    store.card_by_key(deck, key).unwrap().unwrap()
}

#[test]
fn moved_cards_belong_to_the_new_deck() {
    let (_dir, mut store) = store();
    let y = id(&store, "a", "y");
    let (b, _) = store.resolve_deck("b").unwrap();
    assert_eq!(store.move_cards(&[y], b).unwrap(), 1);
    assert_eq!(store.card(y).unwrap().unwrap().deck, "b");
    assert_eq!(store.card_by_key("a", "y").unwrap(), None);
}

#[test]
fn a_move_onto_a_taken_id_moves_nothing() {
    let (_dir, mut store) = store();
    let (ax, ay) = (id(&store, "a", "x"), id(&store, "a", "y"));
    let (b, _) = store.resolve_deck("b").unwrap();
    let err = store.move_cards(&[ay, ax], b).unwrap_err().to_string();
    assert!(
        err.contains("\"x\"") && err.contains("nothing was moved"),
        "{err}"
    );
    assert_eq!(store.card(ay).unwrap().unwrap().deck, "a", "rolled back");
}

#[test]
fn deleted_cards_are_gone_and_an_unknown_id_deletes_nothing() {
    let (_dir, mut store) = store();
    let (ax, ay) = (id(&store, "a", "x"), id(&store, "a", "y"));
    let err = store.delete_cards(&[ax, 999_999]).unwrap_err().to_string();
    assert!(err.contains("999999"), "{err}");
    assert!(store.card(ax).unwrap().is_some(), "rolled back");
    let deleted = store.delete_cards(&[ax, ay]).unwrap();
    assert_eq!((deleted.cards, deleted.reviews), (2, 0));
    assert!(store.card(ax).unwrap().is_none() && store.card(ay).unwrap().is_none());
}
