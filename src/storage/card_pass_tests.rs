//! The card pass: folded by the aggregate, whole or in the parts of any
//! split, it counts what reading every card row by row counts; and each of
//! its statements reads its range of `cards_stats` without scanning the rest.

use super::*;
use crate::storage::Store;
use crate::storage::queue::tests::plan;

pub(in crate::storage) const TODAY: Day = Day(20_513);

/// A store with three decks of 300 cards between them (new, learning,
/// mature, suspended and buried ones, some due on the same days, a few
/// hard ones tied on lapses and e-factor) and a fourth deck with none.
pub(in crate::storage) fn mixed_store(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("pass.db")).unwrap();
    store
        .conn
        .execute_batch(&format!(
            "INSERT INTO decks (name, created_at) VALUES ('a', 0), ('b', 0), ('c', 0), ('empty', 0);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
             INSERT INTO cards (deck_id, key, front, back, created_at, updated_at, repetitions,
                                efactor, interval, due, lapses, suspended, buried_until)
             SELECT 1 + i % 3, 'k' || i, 'f', 'b', 0, 0, i % 5, 1300 + (i * 37) % 1400,
                    (i * 7) % 400, CASE WHEN i % 4 = 0 THEN NULL ELSE {t} - 20 + (i * 13) % 60 END,
                    (i * 11) % 4, i % 9 = 0, CASE WHEN i % 10 = 0 THEN {t} + i % 3 END
             FROM n",
            t = TODAY.0
        ))
        .unwrap();
    store
}

/// The tally of the cards of `deck` (or all), read row by row.
fn row_by_row(store: &Store, deck: Option<i64>) -> CardTally {
    let mut stmt = store
        .conn
        .prepare(&format!(
            "SELECT {ARGS} FROM cards c WHERE ?1 IS NULL OR c.deck_id = ?1"
        ))
        .unwrap();
    let mut rows = stmt.query([deck]).unwrap();
    let mut tally = CardTally::new(TODAY);
    while let Some(r) = rows.next().unwrap() {
        let card = CardState {
            deck: r.get(0).unwrap(),
            suspended: r.get(1).unwrap(),
            buried_until: r.get::<_, Option<i64>>(2).unwrap().map(Day),
            due: r.get::<_, Option<i64>>(3).unwrap().map(Day),
            repetitions: r.get(4).unwrap(),
            interval: r.get(5).unwrap(),
            efactor: r.get(6).unwrap(),
            lapses: r.get(7).unwrap(),
            id: r.get(8).unwrap(),
        };
        tally.add(&card, TODAY);
    }
    tally
}

pub(in crate::storage) fn assert_same(found: &CardTally, expected: &CardTally, what: &str) {
    assert_eq!(found.decks, expected.decks, "{what}");
    assert_eq!(found.due, expected.due, "{what}");
    assert_eq!(found.intervals, expected.intervals, "{what}");
    assert_eq!(found.efactors, expected.efactors, "{what}");
    assert_eq!(found.hardest(), expected.hardest(), "{what}");
}

/// Every key a split can take in the store: each deck, suspension and due
/// day there is, the start of each deck's new cards, and keys between.
fn every_split(store: &Store) -> Vec<Split> {
    let mut stmt = store
        .conn
        .prepare("SELECT DISTINCT deck_id, suspended, IFNULL(due, -9223372036854775808) FROM cards")
        .unwrap();
    let keys = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect::<Vec<(i64, i64, i64)>>();
    keys.into_iter()
        .flat_map(|(deck, suspended, due)| {
            [due, due.saturating_add(1)].map(|due| Split {
                deck,
                suspended,
                due,
            })
        })
        .collect()
}

#[test]
fn the_whole_pass_counts_what_the_rows_hold() {
    let dir = tempfile::tempdir().unwrap();
    let store = mixed_store(&dir);
    for deck in [None, Some(1), Some(2), Some(3), Some(4)] {
        let expected = row_by_row(&store, deck);
        let found = fold_scope(&store.conn, TODAY, deck).unwrap();
        assert_same(&found, &expected, &format!("deck {deck:?}"));
    }
    // Not vacuous: every class of card is there.
    let all = row_by_row(&store, None);
    let class = |f: fn(&crate::domain::stats::CardCounts) -> u64| -> u64 {
        all.decks.values().map(|(c, _)| f(c)).sum()
    };
    for n in [
        class(|c| c.new),
        class(|c| c.learning),
        class(|c| c.mature),
        class(|c| c.suspended),
        class(|c| c.buried),
    ] {
        assert!(n > 0, "{:?}", all.decks);
    }
}

#[test]
fn the_parts_of_any_split_hold_each_card_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = mixed_store(&dir);
    let splits = every_split(&store);
    assert!(splits.len() > 100);
    for deck in [None, Some(1), Some(2), Some(3)] {
        let whole = row_by_row(&store, deck);
        for split in splits.iter().filter(|s| deck.is_none_or(|d| d == s.deck)) {
            let (lower, upper) = split.parts(deck.is_some());
            let mut found = fold(&store.conn, TODAY, lower, split.keys()).unwrap();
            found.merge(fold(&store.conn, TODAY, upper, split.keys()).unwrap());
            assert_same(&found, &whole, &format!("deck {deck:?}, {split:?}"));
        }
    }
}

#[test]
fn halfway_is_the_middle_of_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let store = mixed_store(&dir);
    for deck in [None, Some(2)] {
        let (split, cards) = Split::halfway(&store.conn, deck).unwrap().unwrap();
        let whole = fold_scope(&store.conn, TODAY, deck).unwrap();
        let total: u64 = whole.decks.values().map(|(c, _)| c.cards).sum();
        assert_eq!(cards, total);
        let (lower, _) = split.parts(deck.is_some());
        let below = fold(&store.conn, TODAY, lower, split.keys()).unwrap();
        let below: u64 = below.decks.values().map(|(c, _)| c.cards).sum();
        // Within one due day's cards of the middle (the cuts fall between days).
        assert!(below.abs_diff(total / 2) <= 10, "{below} of {total}");
    }
    assert_eq!(Split::halfway(&store.conn, Some(4)).unwrap(), None);
}

#[test]
fn one_deck_is_a_range_of_the_index_and_all_decks_a_scan_without_filter() {
    let dir = tempfile::tempdir().unwrap();
    let store = mixed_store(&dir);
    // Defines the function the statements call.
    fold_scope(&store.conn, TODAY, None).unwrap();
    assert_eq!(
        plan(&store, &statement(ALL_DECKS)),
        ["SCAN c USING COVERING INDEX cards_stats"]
    );
    assert!(!statement(ALL_DECKS).contains("WHERE"));
    assert_eq!(
        plan(&store, &statement(ONE_DECK)),
        ["SEARCH c USING COVERING INDEX cards_stats (deck_id=?)"]
    );
    for r in LOWER.iter().chain(&UPPER) {
        let plan = plan(&store, &statement(*r));
        assert_eq!(plan.len(), 1, "{r:?}: {plan:?}");
        assert!(
            plan[0].starts_with("SEARCH c USING COVERING INDEX cards_stats (deck_id"),
            "{r:?}: {plan:?}"
        );
    }
}

#[test]
fn a_value_out_of_range_is_an_error_not_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let store = mixed_store(&dir);
    store
        .conn
        .execute("UPDATE cards SET lapses = -1 WHERE id = 5", [])
        .unwrap();
    let err = fold_scope(&store.conn, TODAY, None).unwrap_err();
    assert!(err.to_string().contains("out of range"), "{err}");
}
