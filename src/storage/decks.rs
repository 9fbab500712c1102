//! Decks: their summaries, and the meta table beside them.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::Store;
use crate::domain::Day;
use crate::error::Result;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeckSummary {
    pub name: String,
    pub description: String,
    pub total: u32,
    pub new: u32,
    pub due_today: u32,
    pub suspended: u32,
    /// Hidden until a later day (and not suspended): neither new nor due today,
    /// as in `recall stats`.
    pub buried: u32,
    /// Cards answered today (any kind).
    pub done_today: u32,
}

/// The order of every deck listing (the home screen, `recall decks`,
/// statistics, the browser's deck list), over `decks d`: decks with a
/// position first, in its order, then the others by name. A macro so that
/// constant queries can `concat!` it.
macro_rules! deck_order {
    () => {
        "d.position IS NULL, d.position, d.name"
    };
}
pub(super) use deck_order;

/// Each figure a sum over a few rows of `deck_card_counts` (kept by
/// triggers, migration 0008), less the cards buried until a later day,
/// which `cards_buried` holds apart: counting the deck's cards themselves
/// read every one of them, over 100 ms at a million cards.
const DECK_SUMMARIES: &str = concat!(
    "SELECT d.name, d.description, \
       (SELECT IFNULL(SUM(n.cards), 0) FROM deck_card_counts n WHERE n.deck_id = d.id), \
       (SELECT IFNULL(SUM(n.cards), 0) FROM deck_card_counts n \
          WHERE n.deck_id = d.id AND n.suspended = 0 AND n.is_new = 1) \
       - (SELECT COUNT(*) FROM cards c \
          WHERE c.deck_id = d.id AND c.suspended = 0 AND c.buried_until > ?1 \
            AND c.due IS NULL), \
       (SELECT IFNULL(SUM(n.cards), 0) FROM deck_card_counts n \
          WHERE n.deck_id = d.id AND n.suspended = 0 AND n.is_new = 0 AND n.due <= ?1) \
       - (SELECT COUNT(*) FROM cards c \
          WHERE c.deck_id = d.id AND c.suspended = 0 AND c.buried_until > ?1 \
            AND c.due <= ?1), \
       (SELECT IFNULL(SUM(n.cards), 0) FROM deck_card_counts n \
          WHERE n.deck_id = d.id AND n.suspended = 1), \
       (SELECT COUNT(*) FROM cards c \
          WHERE c.deck_id = d.id AND c.suspended = 0 AND c.buried_until > ?1), \
       (SELECT COUNT(DISTINCT r.card_id) FROM reviews r JOIN cards c ON c.id = r.card_id \
          WHERE r.day = ?1 AND c.deck_id = d.id) \
     FROM decks d ORDER BY ",
    deck_order!()
);

impl Store {
    pub fn deck_summaries(&self, today: Day) -> Result<Vec<DeckSummary>> {
        let mut stmt = self.conn.prepare_cached(DECK_SUMMARIES)?;
        let rows = stmt.query_map([today.0], |r| {
            Ok(DeckSummary {
                name: r.get(0)?,
                description: r.get(1)?,
                total: r.get(2)?,
                new: r.get(3)?,
                due_today: r.get(4)?,
                suspended: r.get(5)?,
                buried: r.get(6)?,
                done_today: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        set_meta(&self.conn, key, value)
    }
}

/// Sets a `meta` value on `conn`, or in the transaction it derefs from.
pub(super) fn set_meta(conn: &rusqlite::Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CardDraft, DeckDraft};
    use crate::storage::ImportOptions;

    /// What the summaries counted before 0008, card by card: the reference
    /// the kept counts must agree with.
    const COUNTED: &str = "SELECT d.name, \
        (SELECT COUNT(*) FROM cards c WHERE c.deck_id = d.id), \
        (SELECT COUNT(*) FROM cards c WHERE c.deck_id = d.id AND c.suspended = 0 \
           AND c.due IS NULL AND (c.buried_until IS NULL OR c.buried_until <= ?1)), \
        (SELECT COUNT(*) FROM cards c WHERE c.deck_id = d.id AND c.suspended = 0 \
           AND c.due <= ?1 AND (c.buried_until IS NULL OR c.buried_until <= ?1)), \
        (SELECT COUNT(*) FROM cards c WHERE c.deck_id = d.id AND c.suspended = 1), \
        (SELECT COUNT(*) FROM cards c WHERE c.deck_id = d.id AND c.suspended = 0 \
           AND c.buried_until > ?1) \
        FROM decks d ORDER BY d.name";

    fn counted(store: &Store, today: i64) -> Vec<(String, u32, u32, u32, u32, u32)> {
        let mut stmt = store.conn.prepare(COUNTED).unwrap();
        stmt.query_map([today], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    fn kept(store: &Store, today: i64) -> Vec<(String, u32, u32, u32, u32, u32)> {
        let mut rows: Vec<_> = store
            .deck_summaries(Day(today))
            .unwrap()
            .into_iter()
            .map(|s| (s.name, s.total, s.new, s.due_today, s.suspended, s.buried))
            .collect();
        rows.sort();
        rows
    }

    fn deck(name: &str, keys: std::ops::Range<u32>) -> DeckDraft {
        DeckDraft {
            name: name.into(),
            description: String::new(),
            position: None,
            cards: keys
                .map(|k| CardDraft {
                    key: format!("{name}{k}"),
                    front: format!("front {k}"),
                    back: "back".into(),
                    notes: String::new(),
                    tags: Vec::new(),
                    typed: false,
                })
                .collect(),
        }
    }

    #[test]
    fn a_bulk_import_counts_its_decks_and_keeps_the_trigger() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bulk.db");
        let mut store = Store::open(&path).unwrap();
        store
            .import(&[deck("A", 0..30)], ImportOptions::default(), 0)
            .unwrap();
        store
            .conn
            .execute_batch("UPDATE cards SET due = 5 WHERE id % 2 = 0")
            .unwrap();
        // Past the bulk threshold: the insert trigger is set aside, then
        // both decks are counted from their cards before the commit.
        store
            .import(
                &[deck("A", 0..7000), deck("B", 0..6000)],
                ImportOptions::default(),
                1,
            )
            .unwrap();
        assert_eq!(kept(&store, 10), counted(&store, 10));
        assert_eq!(kept(&store, 10)[0].1, 7000);
        drop(store);
        // The schema check refuses a database whose trigger is missing.
        let mut store = Store::open(&path).unwrap();
        store
            .import(&[deck("C", 0..3)], ImportOptions::default(), 2)
            .unwrap();
        assert_eq!(kept(&store, 10), counted(&store, 10));
    }

    /// A part taken back after the trigger was set aside (`--keep-going`
    /// past a bad file) brings the trigger back with its counts; the next
    /// part sets it aside again, and the commit counts what is left.
    #[test]
    fn a_part_taken_back_past_the_bulk_threshold_keeps_the_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("parts.db")).unwrap();
        store
            .import(&[deck("A", 0..3000)], ImportOptions::default(), 0)
            .unwrap();
        store
            .import_stream(ImportOptions::default(), 1, false, |importer| {
                importer.begin_part()?;
                importer.add(&deck("A", 0..4000))?;
                importer.add(&deck("B", 0..5000))?;
                importer.discard_part()?;
                importer.begin_part()?;
                importer.add(&deck("C", 0..6000))?;
                importer.end_part()
            })
            .unwrap();
        let rows = kept(&store, 10);
        assert_eq!(rows, counted(&store, 10));
        let totals: Vec<(&str, u32)> = rows.iter().map(|r| (r.0.as_str(), r.1)).collect();
        assert!(
            totals.contains(&("A", 3000)) && totals.contains(&("C", 6000)),
            "{totals:?}"
        );
        assert!(!totals.iter().any(|t| t.0 == "B"), "{totals:?}");
    }

    #[test]
    fn kept_counts_follow_every_kind_of_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("counts.db")).unwrap();
        store
            .import(
                &[deck("A", 0..40), deck("B", 0..25)],
                ImportOptions::default(),
                0,
            )
            .unwrap();
        let today = 100;
        // Each write the collection knows: scheduling (due days before,
        // on and after today), suspending, burying, moving, deleting.
        let writes = [
            "UPDATE cards SET due = 90 + id % 20 WHERE id % 3 = 0",
            "UPDATE cards SET suspended = 1 WHERE id % 5 = 0",
            "UPDATE cards SET buried_until = 101 WHERE id % 7 = 0",
            "UPDATE cards SET buried_until = 99 WHERE id % 11 = 0",
            "UPDATE cards SET due = NULL WHERE id % 13 = 0",
            "UPDATE cards SET front = 'edited' WHERE id % 2 = 0",
            "UPDATE cards SET deck_id = (SELECT id FROM decks WHERE name = 'B') \
             WHERE id % 4 = 1",
            "DELETE FROM cards WHERE id % 9 = 0",
        ];
        for sql in writes {
            store.conn.execute_batch(sql).unwrap();
            for day in [today - 15, today, today + 30] {
                assert_eq!(
                    kept(&store, day),
                    counted(&store, day),
                    "after {sql}, day {day}"
                );
            }
        }
        // A re-import brings back the cards moved away or deleted from A.
        store
            .import(&[deck("A", 0..40)], ImportOptions::default(), 1)
            .unwrap();
        assert_eq!(kept(&store, today), counted(&store, today));
        store
            .conn
            .execute_batch("DELETE FROM decks WHERE name = 'B'")
            .unwrap();
        assert_eq!(kept(&store, today), counted(&store, today));
        let rows: i64 = store
            .conn
            .query_row(
                "SELECT COUNT(*) FROM deck_card_counts n \
                        WHERE NOT EXISTS (SELECT 1 FROM decks d WHERE d.id = n.deck_id)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(rows, 0, "a deleted deck's counts go with it");
    }

    #[test]
    fn deck_summaries_count_on_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.db")).unwrap();
        let mut stmt = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {DECK_SUMMARIES}"))
            .unwrap();
        let plan: Vec<String> = stmt
            .query_map([0], |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let card_steps: Vec<_> = plan
            .iter()
            .filter(|s| s.contains(" c ") || s.contains(" n "))
            .collect();
        assert!(!card_steps.is_empty(), "{plan:?}");
        assert!(
            card_steps.iter().all(|s| s.starts_with("SEARCH")),
            "cards scanned: {plan:?}"
        );
    }
}
