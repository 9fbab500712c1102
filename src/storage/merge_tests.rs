//! Merging a review log: the bulk path and the row-by-row one give the
//! same database, and either leaves it exactly as it was when it fails.

use super::*;
use crate::domain::log::replay;
use crate::domain::log_packed::LogBuilder;
use crate::domain::{CardDraft, Day, DeckDraft, Grade, Sm2};
use crate::storage::ImportOptions;

const CARDS: usize = 40;
const DAY_MS: i64 = 86_400_000;

/// A store with one deck of `CARDS` cards, and a stored log for the first
/// twenty (three answers each, one of them marked as Anki's).
fn store(dir: &tempfile::TempDir, name: &str) -> Store {
    let mut store = Store::open(&dir.path().join(name)).unwrap();
    let deck = DeckDraft {
        name: "d".into(),
        description: String::new(),
        position: None,
        cards: (0..CARDS)
            .map(|i| CardDraft {
                key: format!("c{i}"),
                front: format!("front {i}"),
                back: "back".into(),
                notes: String::new(),
                tags: Vec::new(),
                typed: false,
            })
            .collect(),
    };
    store.import(&[deck], ImportOptions::default(), 0).unwrap();
    let stored: Vec<_> = (0..20)
        .flat_map(|card| (0..3).map(move |n| answer(card, n * 2, 4)))
        .collect();
    store
        .merge_sorted(by_card(stored), |log| replay(&Sm2, log), Path::Rowwise)
        .unwrap();
    store
        .conn
        .execute(
            "UPDATE reviews SET anki_kind = 1 WHERE id = (SELECT MIN(id) FROM reviews)",
            [],
        )
        .unwrap();
    store
}

/// An answer to the `card`th card on day `day`, at a time that tells cards apart.
fn answer(card: usize, day: i64, grade: u8) -> (CardId, LoggedAnswer) {
    let card = i64::try_from(card).unwrap() + 1;
    let answer = LoggedAnswer {
        reviewed_at_ms: 1_700_000_000_000 + day * DAY_MS + card * 1000,
        utc_offset_secs: 3600,
        // The study day of that time in UTC, as a log's answers have.
        day: Day(1_700_000_000_000 / DAY_MS + day),
        grade: Grade::new(grade).unwrap(),
        cram: false,
        duration_ms: 1500 + u32::try_from(card).unwrap(),
    };
    (card, answer)
}

fn by_card(answers: Vec<(CardId, LoggedAnswer)>) -> ByCard {
    // Slots as a review log's are: the cards' ids in order, one slot each.
    let mut ids: Vec<CardId> = answers.iter().map(|(card, _)| *card).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut log = LogBuilder::with_capacity(ids.len(), answers.len());
    for (card, answer) in &answers {
        let slot = ids.binary_search(card).unwrap();
        log.push(u32::try_from(slot).unwrap(), answer).unwrap();
    }
    log.by_card(ids)
}

/// The path a merge of `answers` takes.
fn path_of(store: &Store, answers: Vec<(CardId, LoggedAnswer)>) -> Path {
    let log = by_card(answers);
    store.path_for(log.len(), log.cards()).unwrap()
}

/// A log from another copy: answers the stored log already has (cards
/// 0-19 on days 0 and 4), new ones for cards with a stored log and without
/// (20-29), a re-drill, a cram answer and failed ones among them.
fn incoming() -> Vec<(CardId, LoggedAnswer)> {
    let mut log = Vec::new();
    for card in 0..30 {
        for day in [0, 1, 3, 4, 7] {
            let grade = if day == 3 && card % 3 == 0 { 1 } else { 5 };
            log.push(answer(card, day, grade));
        }
        let (id, mut again) = answer(card, 7, 3);
        again.reviewed_at_ms += 60_000;
        log.push((id, again));
        let (id, mut cram) = answer(card, 8, 4);
        cram.cram = true;
        log.push((id, cram));
    }
    log
}

/// Everything a merge may change, and the schema around it, as text.
fn dump(store: &Store) -> Vec<String> {
    let mut lines = Vec::new();
    for sql in [
        "SELECT * FROM reviews ORDER BY id",
        "SELECT * FROM cards ORDER BY id",
        "SELECT * FROM review_days ORDER BY day, deck_id",
        // The triggers leave a count at zero where a recount has no row.
        "SELECT * FROM deck_card_counts WHERE cards <> 0 ORDER BY deck_id, suspended, is_new, due",
        "SELECT * FROM sqlite_sequence ORDER BY name",
        "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name",
        "PRAGMA journal_mode",
        "PRAGMA ignore_check_constraints",
        "PRAGMA foreign_keys",
    ] {
        let mut stmt = store.conn.prepare(sql).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let values: Vec<String> = (0..columns)
                .map(|i| format!("{:?}", row.get::<_, rusqlite::types::Value>(i).unwrap()))
                .collect();
            lines.push(values.join("|"));
        }
    }
    lines
}

#[test]
fn the_bulk_and_the_row_by_row_merge_give_the_same_database() {
    let dir = tempfile::tempdir().unwrap();
    let (mut small, mut bulk) = (store(&dir, "small.db"), store(&dir, "bulk.db"));
    assert_eq!(dump(&small), dump(&bulk), "the two start alike");
    let before = dump(&small);
    let merge = |store: &mut Store, path| {
        store
            .merge_sorted(by_card(incoming()), |log| replay(&Sm2, log), path)
            .unwrap()
    };
    let report = merge(&mut small, Path::Rowwise);
    assert_eq!(report, merge(&mut bulk, Path::Bulk));
    assert_eq!(
        report,
        MergeReport {
            added: 30 * 7 - 40,
            skipped: 40,
            cards: 30
        }
    );
    assert_ne!(dump(&small), before, "the merge wrote");
    assert_eq!(dump(&small), dump(&bulk));
    let marked: i64 = bulk
        .conn
        .query_row(
            "SELECT COUNT(*) FROM reviews WHERE anki_kind = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(marked, 1, "Anki's mark survives the rewrite");
}

#[test]
fn a_merge_that_fails_half_way_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    for path in [Path::Rowwise, Path::Bulk] {
        let mut store = store(&dir, &format!("{path:?}.db"));
        let before = dump(&store);
        // The last card (by id, so merged last) was deleted meanwhile.
        let mut log = incoming();
        log.push(answer(CARDS + 5, 0, 4));
        let err = store
            .merge_sorted(by_card(log), |log| replay(&Sm2, log), path)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("card number 46 was deleted") && err.contains("nothing was imported"),
            "{path:?}: {err}"
        );
        assert_eq!(
            dump(&store),
            before,
            "{path:?}: indexes, triggers, rows and pragmas are as they were"
        );
    }
}

#[test]
fn a_large_log_into_a_smaller_one_takes_the_bulk_path() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir, "paths.db");
    let many: Vec<_> = (0..BULK_ANSWERS)
        .map(|i| answer(i % CARDS, i64::try_from(i / CARDS).unwrap(), 4))
        .collect();
    assert_eq!(path_of(&store, many.clone()), Path::Bulk);
    assert_eq!(path_of(&store, incoming()), Path::Rowwise, "a small log");
    // Many answers, but for two cards of forty: the card indexes would be
    // built again for 38 cards that did not change.
    let two: Vec<_> = many
        .iter()
        .filter(|(card, _)| *card <= 2)
        .copied()
        .collect();
    let two: Vec<_> = two.iter().cycle().take(BULK_ANSWERS).copied().collect();
    assert_eq!(path_of(&store, two), Path::Rowwise);
}

#[test]
fn answers_of_one_card_in_one_millisecond_keep_the_files_order() {
    // Enough of them that an unstable sort of time alone would mix them up.
    let grades: Vec<u8> = (0..60u32).map(|i| ((i * 7 + i / 5) % 6) as u8).collect();
    for grades in [grades.clone(), grades.into_iter().rev().collect()] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(&dir, "a.db");
        let (card, first) = answer(30, 9, 0);
        // In the file, between answers of other cards.
        let mut file = Vec::new();
        for (i, &grade) in grades.iter().enumerate() {
            file.push(answer(31 + i % 5, 9 + i as i64, 3));
            let grade = Grade::new(grade).unwrap();
            file.push((card, LoggedAnswer { grade, ..first }));
        }
        store
            .merge_reviews(by_card(file), |log| replay(&Sm2, log))
            .unwrap();
        let logged: Vec<u8> = store
            .conn
            .prepare("SELECT grade FROM reviews WHERE card_id = ?1 ORDER BY id")
            .unwrap()
            .query_map([card], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(logged, grades);
    }
}
