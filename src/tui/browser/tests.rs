//! The browser's state over a real database: the query as typed, paging
//! through a window of rows, and marks.

use super::*;
use crate::domain::{CardDraft, DeckDraft};
use crate::storage::{CardAction, ImportOptions};

const TODAY: Day = Day(20_513); // 2026-03-01

/// Deck "big" with `n` new cards c000, c001 … (fronts "card 000" …), and
/// deck "small" with one card whose front says "rare".
fn store(n: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("browser.db")).unwrap();
    let card = |key: String, front: String| CardDraft {
        key,
        front,
        back: "back".into(),
        notes: String::new(),
        tags: vec![],
        typed: false,
    };
    let big = DeckDraft {
        name: "big".into(),
        description: String::new(),
        position: None,
        cards: (0..n)
            .map(|i| card(format!("c{i:03}"), format!("card {i:03}")))
            .collect(),
    };
    let small = DeckDraft {
        name: "small".into(),
        description: String::new(),
        position: None,
        cards: vec![card("r".into(), "a rare word".into())],
    };
    store
        .import(&[big, small], ImportOptions::default(), 0)
        .unwrap();
    (dir, store)
}

fn front(b: &Browser) -> &str {
    &b.current().unwrap().front
}

#[test]
fn typing_narrows_the_list_and_erasing_widens_it() {
    let (_dir, store) = store(3);
    let mut b = Browser::open(&store, TODAY).unwrap();
    assert_eq!((b.total, b.focus), (Some(4), Focus::Query));
    for c in "rare".chars() {
        let mut text = b.query.clone();
        text.push(c);
        b.set_query(&store, TODAY, text).unwrap();
    }
    assert_eq!(b.total, Some(1));
    assert_eq!(front(&b), "a rare word");
    assert_eq!(b.detail.as_ref().unwrap().card.key, "r", "detail follows");
    b.set_query(&store, TODAY, String::new()).unwrap();
    assert_eq!(b.total, Some(4));
}

#[test]
fn a_query_that_does_not_parse_shows_its_column_and_keeps_the_list() {
    let (_dir, store) = store(3);
    let mut b = Browser::open(&store, TODAY).unwrap();
    b.set_query(&store, TODAY, "deck:small".into()).unwrap();
    b.set_query(&store, TODAY, "deck:small is:fresh".into())
        .unwrap();
    let err = b.error.clone().expect("an error");
    assert_eq!(err.column, 15, "{err}");
    assert!(err.problem.contains("is:fresh"), "{err}");
    assert_eq!(
        (b.total, front(&b)),
        (Some(1), "a rare word"),
        "the last good list"
    );
    b.set_query(&store, TODAY, "deck:small is:new".into())
        .unwrap();
    assert!(b.error.is_none());
}

#[test]
fn scrolling_fetches_windows_of_rows_never_every_row() {
    let (_dir, store) = store(450);
    let mut b = Browser::open(&store, TODAY).unwrap();
    assert_eq!(b.rows.len(), 2 * PAGE);
    assert_eq!(b.total, None, "not counted until needed");
    b.view = 20;
    for _ in 0..15 {
        b.down(&store, TODAY, 20).unwrap();
    }
    assert_eq!(front(&b), "card 300");
    assert!(
        b.rows.len() <= 2 * PAGE && b.start > 0,
        "a window: {}",
        b.start
    );
    assert!(b.top <= 300 && 300 < b.top + 20, "the cursor is on screen");
    b.last(&store, TODAY).unwrap();
    assert_eq!((b.cursor, b.total), (450, Some(451)));
    assert_eq!(front(&b), "a rare word");
    b.down(&store, TODAY, 20).unwrap();
    assert_eq!(b.cursor, 450, "stops at the last card");
    b.up(&store, TODAY, 1).unwrap();
    assert_eq!(front(&b), "card 449");
    b.move_to(&store, TODAY, 0).unwrap();
    assert_eq!((front(&b), b.start, b.top), ("card 000", 0, 0));
}

#[test]
fn paging_past_an_end_not_yet_counted_lands_on_the_last_card() {
    let (_dir, store) = store(450);
    let mut b = Browser::open(&store, TODAY).unwrap();
    b.move_to(&store, TODAY, 10_000).unwrap();
    assert_eq!(front(&b), "a rare word");
    assert_eq!(b.total, Some(451));
}

#[test]
fn actions_apply_to_the_marked_cards_else_the_current_one() {
    let (_dir, mut store) = store(5);
    let mut b = Browser::open(&store, TODAY).unwrap();
    let first = b.current().unwrap().id;
    assert_eq!(b.targets(), vec![first]);
    b.toggle_mark();
    b.down(&store, TODAY, 2).unwrap();
    b.toggle_mark();
    let third = b.current().unwrap().id;
    assert_eq!(b.targets(), vec![first, third]);
    b.toggle_mark();
    assert_eq!(b.targets(), vec![first]);
    store
        .apply_to_cards(&b.targets(), CardAction::Suspend, TODAY)
        .unwrap();
    b.reload(&store, TODAY).unwrap();
    assert!(b.marked.is_empty(), "marks go with the action");
    assert_eq!(b.cursor, 2, "the cursor stays");
    b.set_query(&store, TODAY, "is:suspended".into()).unwrap();
    assert_eq!((b.total, b.current().unwrap().id), (Some(1), first));
}
