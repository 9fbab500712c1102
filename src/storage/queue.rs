//! The queries behind today's queue. They run on every start and after
//! every answer, so each is a constant statement (prepared once, cached)
//! that an index answers without scanning the collection; the test at the
//! bottom checks that with EXPLAIN QUERY PLAN.

use rusqlite::{Params, params};

use super::Store;
use super::cards::kind_from_code;
use crate::domain::Scope;
use crate::domain::{CardId, Day, Grade, TodayAnswer};
use crate::error::Result;

/// The tag filter: `?3` is the tag (or NULL).
macro_rules! has_tag {
    () => {
        "(?3 IS NULL OR instr(' ' || c.tags || ' ', ' ' || ?3 || ' ') > 0)"
    };
}

/// The scope filter of every query below: `?2` is the deck id (or NULL),
/// `?3` the tag (or NULL).
macro_rules! in_scope {
    () => {
        concat!("(?2 IS NULL OR c.deck_id = ?2) AND ", has_tag!())
    };
}

/// A query over scheduled cards, in two versions: for all decks, and for
/// the one deck `?2` with `c.deck_id = ?2` written out. Given `?2 IS NULL
/// OR …`, SQLite can only test each row's deck, so for a deck with no due
/// cards it walked every due card of the collection; written out, it reads
/// the deck's own range of `cards_deck_due`.
macro_rules! per_scope {
    ($head:expr, $tail:expr) => {
        [
            concat!($head, " AND ", in_scope!(), $tail),
            concat!($head, " AND c.deck_id = +?2 AND ", has_tag!(), $tail),
        ]
    };
}

/// The version of a `per_scope!` query for a scope's deck (or none).
fn for_deck(sql: &[&'static str; 2], deck: Option<i64>) -> &'static str {
    sql[usize::from(deck.is_some())]
}

/// The scope filter for statements built elsewhere in storage (statistics,
/// exports), with the same parameter numbers.
pub(super) const SCOPE_FILTER: &str = in_scope!();

/// Visible today (`?1`): not suspended, not buried.
macro_rules! visible {
    () => {
        "c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= ?1)"
    };
}

const TODAY_ANSWERS: &str = concat!(
    "SELECT r.card_id, c.deck_id, r.grade, r.kind, r.due_before IS NULL, (",
    in_scope!(),
    ") AND ",
    visible!(),
    " FROM reviews r JOIN cards c ON c.id = r.card_id \
     WHERE r.day = ?1 ORDER BY r.reviewed_at, r.id"
);

/// The columns of a `Candidate`.
macro_rules! candidate {
    () => {
        "SELECT c.id, c.deck_id, c.key, c.due FROM cards c"
    };
}

/// `LIMIT +?4`, not `LIMIT ?4`, and `c.deck_id = +?2`: SQLite plans with
/// the value bound to a LIMIT, or to a parameter it compares with a
/// partial index's condition (`suspended = 0`), so every new value expired
/// the statement and it was compiled again at its next step: 13 times in
/// one `recall next`, a quarter of its instructions (callgrind). Under a
/// unary plus the value is an expression, planned without looking at it.
const DUE_CARDS: [&str; 2] = per_scope!(
    concat!(candidate!(), " WHERE c.due <= ?1 AND ", visible!()),
    " ORDER BY c.due, c.id LIMIT +?4"
);

const NEW_CARDS: &str = concat!(
    candidate!(),
    " WHERE c.deck_id = +?2 AND c.due IS NULL AND ",
    visible!(),
    " AND ",
    in_scope!(),
    " ORDER BY c.id LIMIT +?4"
);

const UPCOMING_CARDS: [&str; 2] = per_scope!(
    concat!("SELECT c.id FROM cards c WHERE c.due > ?1 AND ", visible!()),
    " ORDER BY c.due, c.id LIMIT +?4"
);

const NEXT_DUE_DAY: [&str; 2] = per_scope!(
    "SELECT MIN(c.due) FROM cards c WHERE c.due > ?1 AND c.suspended = 0",
    ""
);

const DUE_COUNT_ON: [&str; 2] = per_scope!(
    concat!(
        "SELECT COUNT(*) FROM cards c WHERE c.due <= ?1 AND ",
        visible!()
    ),
    ""
);

/// The notes (deck id, card key) with a scheduling answer on day `?1`: their
/// other cards wait for another day (see `domain::siblings`).
const ANSWERED_TODAY: &str = "SELECT DISTINCT c.deck_id, c.key FROM reviews r \
     JOIN cards c ON c.id = r.card_id WHERE r.day = ?1 AND r.kind = 0";

/// A card today's queue may take, with what the sibling rule and the
/// per-deck caps need to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: CardId,
    pub deck: i64,
    pub key: String,
    /// `None` for a new card.
    pub due: Option<Day>,
}

impl Store {
    fn candidates(&self, sql: &str, params: impl Params) -> Result<Vec<Candidate>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, |r| {
            Ok(Candidate {
                id: r.get(0)?,
                deck: r.get(1)?,
                key: r.get(2)?,
                due: r.get::<_, Option<i64>>(3)?.map(Day),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The cards answered (to schedule them) on `day`, as (deck id, card key).
    pub fn answered_on(&self, day: Day) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(ANSWERED_TODAY)?;
        let rows = stmt.query_map([day.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Cards due today or earlier in the one deck `deck` (within the scope's
    /// tag), oldest due first: for a deck with a review cap of its own.
    pub fn due_cards_in(
        &self,
        scope: &Scope,
        deck: i64,
        today: Day,
        limit: u32,
    ) -> Result<Vec<Candidate>> {
        self.candidates(DUE_CARDS[1], params![today.0, deck, scope.tag, limit])
    }

    /// The decks a scope covers with their names, in the order they were added.
    pub fn decks_in(&self, scope: &Scope) -> Result<Vec<(i64, String)>> {
        let deck = self.deck_id(scope)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name FROM decks WHERE ?1 IS NULL OR id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([deck], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn card_ids(&self, sql: &str, params: impl Params) -> Result<Vec<CardId>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Today's answers in time order, each marked eligible when its card is
    /// in `scope` and visible.
    pub fn today_answers(&self, scope: &Scope, today: Day) -> Result<Vec<TodayAnswer>> {
        let deck = self.deck_id(scope)?;
        let mut stmt = self.conn.prepare_cached(TODAY_ANSWERS)?;
        let rows = stmt.query_map(params![today.0, deck, scope.tag], |r| {
            Ok(TodayAnswer {
                card: r.get(0)?,
                deck: r.get(1)?,
                grade: Grade::new(r.get(2)?).unwrap_or(Grade::ALL[0]),
                kind: kind_from_code(r.get(3)?),
                was_new: r.get(4)?,
                eligible: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Cards due today or earlier, oldest due first.
    pub fn due_cards(&self, scope: &Scope, today: Day, limit: u32) -> Result<Vec<Candidate>> {
        let deck = self.deck_id(scope)?;
        self.candidates(
            for_deck(&DUE_CARDS, deck),
            params![today.0, deck, scope.tag, limit],
        )
    }

    /// New cards of one deck, in the order they were added.
    pub fn new_cards(
        &self,
        scope: &Scope,
        deck: i64,
        today: Day,
        limit: u32,
    ) -> Result<Vec<Candidate>> {
        self.candidates(NEW_CARDS, params![today.0, deck, scope.tag, limit])
    }

    /// Cards not due yet, soonest first: what studying ahead offers.
    pub fn upcoming_cards(&self, scope: &Scope, today: Day, limit: u32) -> Result<Vec<CardId>> {
        let deck = self.deck_id(scope)?;
        self.card_ids(
            for_deck(&UPCOMING_CARDS, deck),
            params![today.0, deck, scope.tag, limit],
        )
    }

    /// The first day after today on which a card of the scope is due.
    pub fn next_due_day(&self, scope: &Scope, today: Day) -> Result<Option<Day>> {
        let deck = self.deck_id(scope)?;
        let day: Option<i64> = self
            .conn
            .prepare_cached(for_deck(&NEXT_DUE_DAY, deck))?
            .query_row(params![today.0, deck, scope.tag], |r| r.get(0))?;
        Ok(day.map(Day))
    }

    /// A number that changes whenever another connection (another recall
    /// process: an answer, an import, a restore) commits to the database;
    /// this connection's own writes leave it as it is. The home screen
    /// compares it to notice that what it shows is out of date.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |r| r.get(0))?)
    }

    /// Scheduled cards of the scope that will be due on `day` (overdue ones
    /// included): what "due tomorrow" means at the end of a session.
    pub fn due_count_on(&self, scope: &Scope, day: Day) -> Result<u32> {
        let deck = self.deck_id(scope)?;
        Ok(self
            .conn
            .prepare_cached(for_deck(&DUE_COUNT_ON, deck))?
            .query_row(params![day.0, deck, scope.tag], |r| r.get(0))?)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The plan of `sql`, one line per step (e.g. "SEARCH c USING INDEX …").
    pub(in crate::storage) fn plan(store: &Store, sql: &str) -> Vec<String> {
        let mut stmt = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
        let rows = stmt
            .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// Run with one limit and then another, no queue query is compiled
    /// again (see `DUE_CARDS`): a bound `LIMIT ?4` would be, each time.
    /// Run with one limit and then another, no queue query is compiled
    /// again (see `DUE_CARDS`): a bound `LIMIT ?4` would be, each time.
    /// Run again with other values (another day, deck, limit), no queue
    /// query is compiled again (see `DUE_CARDS`).
    #[test]
    fn new_values_do_not_compile_a_query_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("limit.db")).unwrap();
        let [due, due_in_deck] = DUE_CARDS;
        let [upcoming, upcoming_in_deck] = UPCOMING_CARDS;
        let [next_due, next_due_in_deck] = NEXT_DUE_DAY;
        let [due_on, due_on_in_deck] = DUE_COUNT_ON;
        for sql in [
            NEW_CARDS,
            due,
            due_in_deck,
            upcoming,
            upcoming_in_deck,
            next_due,
            next_due_in_deck,
            due_on,
            due_on_in_deck,
        ] {
            let mut stmt = store.conn.prepare(sql).unwrap();
            for n in [5_i64, 7, 9] {
                // Today, the deck, no tag, the limit.
                let values: [rusqlite::types::Value; 4] = [
                    (20_000 + n).into(),
                    (n - 4).into(),
                    rusqlite::types::Value::Null,
                    n.into(),
                ];
                let bound = &values[..stmt.parameter_count()];
                stmt.query(rusqlite::params_from_iter(bound))
                    .unwrap()
                    .next()
                    .unwrap();
            }
            let compiled_again = stmt.get_status(rusqlite::StatementStatus::RePrepare);
            assert_eq!(compiled_again, 0, "{sql}");
        }
    }

    #[test]
    fn the_queue_queries_never_scan_the_collection() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.db")).unwrap();
        let [due, due_in_deck] = DUE_CARDS;
        let [upcoming, upcoming_in_deck] = UPCOMING_CARDS;
        let [next_due, next_due_in_deck] = NEXT_DUE_DAY;
        let [due_on, due_on_in_deck] = DUE_COUNT_ON;
        for sql in [
            TODAY_ANSWERS,
            NEW_CARDS,
            ANSWERED_TODAY,
            due,
            upcoming,
            next_due,
            due_on,
        ] {
            let plan = plan(&store, sql);
            assert!(
                plan.iter().all(|step| !step.starts_with("SCAN")),
                "{sql}\nscans: {plan:?}"
            );
            assert!(
                plan.iter().any(|step| step.contains("USING")),
                "{sql}\nuses no index: {plan:?}"
            );
        }
        // One deck: its own range of the index, in due order (no sorting).
        for sql in [
            due_in_deck,
            upcoming_in_deck,
            next_due_in_deck,
            due_on_in_deck,
        ] {
            let plan = plan(&store, sql);
            assert!(
                plan.iter()
                    .all(|step| !step.starts_with("SCAN") && !step.contains("TEMP B-TREE")),
                "{sql}\nscans or sorts: {plan:?}"
            );
            assert!(
                plan.iter()
                    .any(|step| step.contains("(deck_id=? AND") && step.contains("due")),
                "{sql}\ndoes not read the deck's range: {plan:?}"
            );
        }
    }
}
