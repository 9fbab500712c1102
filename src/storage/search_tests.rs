//! Card search against a real database: what each filter finds, the order,
//! paging, and the plans (read by index, no sort of every match).

use super::*;
use crate::clock::Clock;
use crate::domain::query::parse;
use crate::domain::{CardDraft, DeckDraft, Grade};
use crate::storage::{CardAction, ImportOptions};
use crate::workflows::study;

const TODAY: Day = Day(20_513); // 2026-03-01

fn clock_on(day: Day) -> Clock {
    let at = format!("{}T09:00:00+00:00", day);
    Clock::fixed(chrono::DateTime::parse_from_rfc3339(&at).unwrap(), 4)
}

fn card(key: &str, front: &str, back: &str, tags: &[&str]) -> CardDraft {
    CardDraft {
        key: key.into(),
        front: front.into(),
        back: back.into(),
        notes: String::new(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        typed: false,
    }
}

/// Two decks; in "Lang::Spanish" card `perro` answered (due in 1 day),
/// `gato` suspended, `casa` buried; "AWS · RDS" all new.
fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("search.db")).unwrap();
    let decks = [
        DeckDraft {
            name: "Lang::Spanish".into(),
            description: String::new(),
            position: None,
            cards: vec![
                card("perro", "el perro", "the dog", &["noun", "Animal"]),
                card("gato", "el gato", "the cat", &["noun", "animal"]),
                card("casa", "la casa", "the house", &["noun"]),
                card("uber", "ÜBER", "over (German, by mistake)", &["leech"]),
            ],
        },
        DeckDraft {
            name: "AWS · RDS".into(),
            description: String::new(),
            position: None,
            cards: vec![
                card(
                    "multi-az",
                    "What does Multi-AZ give RDS?",
                    "A standby that is replicated synchronously",
                    &["ha"],
                ),
                card(
                    "replica",
                    "Read replica?",
                    "Asynchronously replicated copy [ro]",
                    &["scale"],
                ),
            ],
        },
    ];
    store.import(&decks, ImportOptions::default(), 0).unwrap();
    let id = |key| store.card_by_key("Lang::Spanish", key).unwrap().unwrap();
    let (perro, gato, casa) = (id("perro"), id("gato"), id("casa"));
    let seen = store.card(perro).unwrap().unwrap();
    study::answer(
        &mut store,
        &clock_on(TODAY),
        crate::domain::seen::Seen::Shown(&seen),
        Grade::new(5).unwrap(),
        0,
        false,
    )
    .unwrap();
    store
        .apply_to_cards(&[gato], CardAction::Suspend, TODAY)
        .unwrap();
    store
        .apply_to_cards(&[casa], CardAction::Bury, TODAY)
        .unwrap();
    (dir, store)
}

fn keys(store: &Store, query: &str) -> Vec<String> {
    let query = parse(query).unwrap();
    let page = store.search_page(&query, TODAY, 0, 100).unwrap();
    let ids = store.search_ids(&query, TODAY).unwrap();
    assert_eq!(ids, page.rows.iter().map(|r| r.id).collect::<Vec<_>>());
    assert_eq!(store.search_count(&query, TODAY).unwrap(), ids.len() as u64);
    page.rows.into_iter().map(|r| r.key).collect()
}

#[test]
fn the_empty_query_lists_every_card_by_deck_then_due() {
    let (_dir, store) = store();
    // Decks by name; new cards first in the order added, then by due day.
    assert_eq!(
        keys(&store, ""),
        ["multi-az", "replica", "gato", "casa", "uber", "perro"]
    );
}

#[test]
fn text_matches_inside_words_ignoring_case_in_front_back_and_notes() {
    let (_dir, store) = store();
    assert_eq!(keys(&store, "SYNC"), ["multi-az", "replica"]);
    assert_eq!(keys(&store, "asynchronously"), ["replica"]);
    assert_eq!(keys(&store, "über"), ["uber"]);
    assert_eq!(keys(&store, "the dog"), ["perro"]);
    assert_eq!(keys(&store, "\"the dog\""), ["perro"]);
    assert_eq!(keys(&store, "\"dog the\""), Vec::<String>::new());
    // Under three characters: no trigram, checked card by card.
    assert_eq!(keys(&store, "el"), ["gato", "perro"]);
    // GLOB and LIKE characters are text like any other.
    assert_eq!(keys(&store, "[ro]"), ["replica"]);
    assert_eq!(keys(&store, "%"), Vec::<String>::new());
}

#[test]
fn filters_find_what_they_name() {
    let (_dir, store) = store();
    assert_eq!(keys(&store, "deck:lang"), ["gato", "casa", "uber", "perro"]);
    assert_eq!(keys(&store, "deck:aws::rds"), ["multi-az", "replica"]);
    assert_eq!(
        keys(&store, "deck:Lang::*"),
        ["gato", "casa", "uber", "perro"]
    );
    assert_eq!(keys(&store, "deck:*rds"), ["multi-az", "replica"]);
    assert_eq!(keys(&store, "deck:nothing"), Vec::<String>::new());
    assert_eq!(keys(&store, "tag:animal"), ["gato", "perro"]);
    assert_eq!(keys(&store, "tag:an*"), ["gato", "perro"]);
    assert_eq!(keys(&store, "tag:no"), Vec::<String>::new());
    assert_eq!(
        keys(&store, "is:new"),
        ["multi-az", "replica", "gato", "casa", "uber"]
    );
    assert_eq!(keys(&store, "is:learning"), ["perro"]);
    assert_eq!(keys(&store, "is:review"), Vec::<String>::new());
    assert_eq!(keys(&store, "is:suspended"), ["gato"]);
    assert_eq!(keys(&store, "is:buried"), ["casa"]);
    assert_eq!(keys(&store, "is:leech"), ["uber"]);
    assert_eq!(keys(&store, "is:due"), Vec::<String>::new());
    assert_eq!(keys(&store, "due:=1"), ["perro"]);
    assert_eq!(keys(&store, "due:<1"), Vec::<String>::new());
    assert_eq!(keys(&store, "ivl:>=1 ease:>2.5"), ["perro"]);
    assert_eq!(keys(&store, "ease:<2.6"), Vec::<String>::new());
    assert_eq!(keys(&store, "lapses:=0 deck:aws*"), ["multi-az", "replica"]);
}

#[test]
fn negation_or_and_parentheses_combine_filters() {
    let (_dir, store) = store();
    assert_eq!(keys(&store, "deck:lang -is:new"), ["perro"]);
    assert_eq!(keys(&store, "dog OR gato"), ["gato", "perro"]);
    // "cat" is in "replicated": text matches inside words.
    assert_eq!(keys(&store, "cat").len(), 3);
    assert_eq!(keys(&store, "-(deck:lang OR sync)"), Vec::<String>::new());
    assert_eq!(
        keys(&store, "-due:<7"),
        ["multi-az", "replica", "gato", "casa", "uber"]
    );
    assert_eq!(
        keys(&store, "-is:buried deck:lang is:new"),
        ["gato", "uber"]
    );
}

#[test]
fn pages_follow_each_other_and_say_when_more_follow() {
    let (_dir, store) = store();
    let all = parse("").unwrap();
    let first = store.search_page(&all, TODAY, 0, 4).unwrap();
    let second = store.search_page(&all, TODAY, 4, 4).unwrap();
    assert!(first.more && !second.more);
    let keys: Vec<_> = first
        .rows
        .iter()
        .chain(&second.rows)
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(
        keys,
        ["multi-az", "replica", "gato", "casa", "uber", "perro"]
    );
    assert_eq!(first.rows[2].status, Status::Suspended);
    assert_eq!(first.rows[3].status, Status::Buried);
    assert_eq!(second.rows[1].status, Status::Learning);
    assert_eq!(second.rows[1].due, Some(TODAY.plus(1)));
}

#[test]
fn the_text_index_follows_edits_and_deletions() {
    let (_dir, mut store) = store();
    let perro = store
        .card_by_key("Lang::Spanish", "perro")
        .unwrap()
        .unwrap();
    let draft = card("perro", "el perrito", "the puppy", &[]);
    let seen = store.card(perro).unwrap().unwrap();
    store.update_card_text(&seen, &draft, 1).unwrap();
    assert_eq!(keys(&store, "puppy"), ["perro"]);
    assert_eq!(keys(&store, "dog"), Vec::<String>::new());
    let (deck, _) = store.resolve_deck("aws::rds").unwrap();
    store.delete_deck(deck).unwrap();
    assert_eq!(keys(&store, "sync"), Vec::<String>::new());
    let rows: i64 = store
        .conn
        .query_row(
            "SELECT COUNT(*) FROM cards_text WHERE cards_text MATCH '\"syn\"'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 0);
}

/// The plan of a search's statement, one line per step.
fn plan(store: &Store, query: &str) -> Vec<String> {
    let (from, sql) = store.plan(&parse(query).unwrap(), TODAY).unwrap();
    let text = format!(
        "EXPLAIN QUERY PLAN SELECT {COLUMNS} FROM {from} WHERE {} {ORDER} LIMIT 51",
        sql.text
    );
    let mut stmt = store.conn.prepare(&text).unwrap();
    let rows = stmt
        .query_map(params_from_iter(&sql.params), |r| r.get::<_, String>(3))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn searches_read_by_index_and_never_sort_every_match() {
    let (_dir, store) = store();
    for query in [
        "",
        "is:suspended",
        "deck:lang tag:noun",
        "lapses:>3 OR -is:new",
        "el",
    ] {
        let plan = plan(&store, query);
        assert!(
            plan.iter().any(|s| s.contains("cards_browse")),
            "{query}: not on the browse index: {plan:?}"
        );
        assert!(
            plan.iter()
                .all(|s| !s.contains("TEMP B-TREE") && !s.starts_with("SCAN c")),
            "{query}: sorts or scans: {plan:?}"
        );
    }
    // A rare word: only its candidates are read (by rowid), then sorted.
    let plan = plan(&store, "asynchronously");
    assert!(
        plan.iter().any(|s| s.contains("INTEGER PRIMARY KEY")),
        "{plan:?}"
    );
}

#[test]
fn cards_added_after_a_search_or_after_a_deletion_are_found() {
    let (_dir, mut store) = store();
    assert_eq!(keys(&store, "house"), ["casa"]);
    // The newest card deleted, then a card added: it gets a new id (0005).
    let last: i64 = store
        .conn
        .query_row("SELECT MAX(id) FROM cards", [], |r| r.get(0))
        .unwrap();
    store
        .conn
        .execute("DELETE FROM cards WHERE id = ?1", [last])
        .unwrap();
    let deck = DeckDraft {
        name: "Later".into(),
        description: String::new(),
        position: None,
        cards: vec![card("new", "a window", "una ventana", &[])],
    };
    store.import(&[deck], ImportOptions::default(), 1).unwrap();
    let added = store.card_by_key("Later", "new").unwrap().unwrap();
    assert!(added > last, "ids are never reused");
    assert_eq!(keys(&store, "ventana"), ["new"]);
    // An edit of a card not indexed yet, then the first search.
    let deck = DeckDraft {
        name: "Later".into(),
        description: String::new(),
        position: None,
        cards: vec![
            card("new", "a window", "una ventana", &[]),
            card("two", "door", "puerta", &[]),
        ],
    };
    store.import(&[deck], ImportOptions::default(), 2).unwrap();
    let two = store.card_by_key("Later", "two").unwrap().unwrap();
    let seen = store.card(two).unwrap().unwrap();
    store
        .update_card_text(&seen, &card("two", "door", "la puerta", &[]), 3)
        .unwrap();
    assert_eq!(keys(&store, "la puerta"), ["two"]);
    assert_eq!(keys(&store, "window"), ["new"]);
}

#[test]
fn a_small_import_is_searchable_without_catching_up_at_the_first_search() {
    let (_dir, mut store) = store();
    let mark = |store: &Store| -> (i64, i64) {
        store
            .conn
            .query_row(
                "SELECT indexed_through, (SELECT MAX(id) FROM cards) FROM cards_text_state",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    let deck = DeckDraft {
        name: "Small".into(),
        description: String::new(),
        position: None,
        cards: vec![card("w", "a window", "una ventana", &[])],
    };
    store.import(&[deck], ImportOptions::default(), 1).unwrap();
    let (indexed, newest) = mark(&store);
    assert_eq!(indexed, newest, "indexed in the import's own transaction");
    assert_eq!(keys(&store, "ventana"), ["w"]);
}

#[test]
fn the_background_indexer_catches_up_in_small_steps() {
    let (_dir, store) = store();
    // As a bulk import leaves it: nothing of the text indexed.
    store
        .conn
        .execute_batch(
            "INSERT INTO cards_text (cards_text) VALUES ('delete-all'); \
             UPDATE cards_text_state SET indexed_through = 0;",
        )
        .unwrap();
    let total: i64 = store
        .conn
        .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    assert!(total > 2, "the test needs a few cards");
    // What a search for words would index first; a filter indexes nothing.
    let words = crate::domain::query::parse("house").unwrap();
    let filter = crate::domain::query::parse("is:new").unwrap();
    assert_eq!(store.text_to_index(&words).unwrap(), total as u64);
    assert_eq!(store.text_to_index(&filter).unwrap(), 0);
    let mut steps = 0;
    while store.index_text_step(2).unwrap() {
        steps += 1;
        assert!(steps <= total, "the indexer never finishes");
    }
    assert!(steps >= (total - 1) / 2, "{steps} steps for {total} cards");
    // The mark is at the top, so this search reads the index as the steps
    // left it (it would find nothing in an emptied one).
    assert_eq!(keys(&store, "house"), ["casa"]);
    assert!(!store.index_text_step(2).unwrap(), "nothing left to do");
    assert_eq!(store.text_to_index(&words).unwrap(), 0);
}
