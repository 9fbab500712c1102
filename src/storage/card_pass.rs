//! The card pass of `recall stats`: the scope's cards read from the covering
//! index `cards_stats` and folded into a `domain::stats::CardTally`.
//!
//! The fold runs inside SQLite, as an aggregate function written in Rust
//! (`recall_card_tally`), rather than over result rows. Why: read row by row
//! through rusqlite, each of a card's nine columns cost ~167 instructions
//! (`sqlite3_column_type` and `sqlite3_column_int64`, each taking the
//! connection's mutex, and the checks of `Row::get`), half of the pass; an
//! aggregate's arguments are plain values, and there is no result row per
//! card. On the 100 000-card benchmark database, a program doing nothing
//! but the pass took 281 M instructions row by row, 193 M with the
//! aggregate (callgrind).
//!
//! The index can also be read in parts: key ranges that together hold every
//! entry of the scope exactly once (`Split`), each folded on its own and the
//! tallies merged. `two_readers` reads the halves on two connections at once.

use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, ToSql};

use crate::domain::Day;
use crate::domain::stats::{CardState, CardTally};
use crate::error::Result;

/// The function's name, and its arguments in the order `step` reads them.
const FOLD: &str = "recall_card_tally";
const ARGS: &str = "c.deck_id, c.suspended, c.buried_until, c.due, c.repetitions, c.interval, \
                    c.efactor, c.lapses, c.id";

/// Where a split pass cuts `cards_stats` (ordered by deck, suspension, then
/// due day with NULL, a new card, first): the lower part holds the entries
/// before deck `deck`, suspension `suspended` and due day `due`, the new
/// cards of that deck and suspension included; the upper part the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Split {
    pub deck: i64,
    pub suspended: i64,
    pub due: i64,
}

/// One statement's share of the index: a WHERE clause over `?1` (deck),
/// `?2` (suspension) and `?3` (due day) of a `Split`, and how many of those
/// it binds. Equalities and one range each, so that SQLite seeks to the
/// range and tests only its end: a row value such as `(c.deck_id,
/// c.suspended, c.due) < (?1, ?2, ?3)` is tested column by column on every
/// entry (for NULL), which made the pass a fifth longer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Range {
    filter: &'static str,
    params: usize,
}

const fn range(filter: &'static str, params: usize) -> Range {
    Range { filter, params }
}

/// Every card of every deck, or of the one deck `?1`.
const ALL_DECKS: Range = range("", 0);
const ONE_DECK: Range = range("c.deck_id = ?1", 1);

/// The lower part of a split, then the upper part; in each, the first range
/// and the last one of the whole list cover the other decks (`c.deck_id <
/// ?1`, `c.deck_id > ?1`), left out for a one-deck scope.
const LOWER: [Range; 4] = [
    range("c.deck_id < ?1", 1),
    range("c.deck_id = ?1 AND c.suspended < ?2", 2),
    range("c.deck_id = ?1 AND c.suspended = ?2 AND c.due IS NULL", 2),
    range("c.deck_id = ?1 AND c.suspended = ?2 AND c.due < ?3", 3),
];
const UPPER: [Range; 3] = [
    range("c.deck_id = ?1 AND c.suspended = ?2 AND c.due >= ?3", 3),
    range("c.deck_id = ?1 AND c.suspended > ?2", 2),
    range("c.deck_id > ?1", 1),
];

impl Split {
    /// The ranges below the split and those from it on, for all decks or
    /// (`one_deck`, whose id is `self.deck`) for one.
    pub fn parts(self, one_deck: bool) -> (&'static [Range], &'static [Range]) {
        if one_deck {
            (&LOWER[1..], &UPPER[..2])
        } else {
            (&LOWER, &UPPER)
        }
    }

    /// The key halfway through the entries of `cards_stats` for all decks or
    /// the one deck `deck`, and how many entries there are: from the kept
    /// counts of `deck_card_counts` (migration 0008), one row per deck,
    /// suspension and due day (584 rows for the million cards of the
    /// benchmark), not from the index. Counts that were off would only make
    /// the halves uneven: any split gives parts that hold each entry once.
    pub fn halfway(conn: &Connection, deck: Option<i64>) -> Result<Option<(Split, u64)>> {
        let mut stmt = conn.prepare_cached(
            "SELECT deck_id, suspended, is_new, due, total FROM ( \
               SELECT deck_id, suspended, is_new, due, \
                 SUM(cards) OVER (ORDER BY deck_id, suspended, is_new DESC, due) AS upto, \
                 SUM(cards) OVER () AS total \
               FROM deck_card_counts WHERE cards > 0 AND (?1 IS NULL OR deck_id = ?1)) \
             WHERE upto * 2 >= total LIMIT 1",
        )?;
        let mut rows = stmt.query([deck])?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        let is_new: bool = r.get(2)?;
        let split = Split {
            deck: r.get(0)?,
            suspended: r.get(1)?,
            // Halfway through new cards: the split's new cards go below,
            // its scheduled ones (any due day) above.
            due: if is_new { i64::MIN } else { r.get(3)? },
        };
        Ok(Some((split, r.get::<_, i64>(4)?.unsigned_abs())))
    }

    /// What the ranges of `parts` bind.
    pub fn keys(self) -> [i64; 3] {
        [self.deck, self.suspended, self.due]
    }
}

/// The whole scope in one pass: all decks, or the one deck `deck`.
pub(super) fn fold_scope(conn: &Connection, today: Day, deck: Option<i64>) -> Result<CardTally> {
    match deck {
        Some(deck) => fold(conn, today, &[ONE_DECK], [deck, 0, 0]),
        None => fold(conn, today, &[ALL_DECKS], [0; 3]),
    }
}

/// The cards of deck `deck` (or all decks) that have tag `tag`: the tags are
/// not in the index, so each entry's card is read from the table.
pub(super) fn fold_tagged(
    conn: &Connection,
    today: Day,
    deck: Option<i64>,
    tag: &str,
) -> Result<CardTally> {
    let sql = format!(
        "SELECT {FOLD}({ARGS}) FROM cards c INDEXED BY cards_stats WHERE ?1 IS NULL AND {}",
        super::queue::SCOPE_FILTER
    );
    let params: [&dyn ToSql; 3] = [&None::<i64>, &deck, &tag];
    Ok(fold_statement(conn, today, &sql, &params)?.unwrap_or_else(|| CardTally::new(today)))
}

/// Folds `ranges` of the index (binding `keys`: a split's, or the deck)
/// into one tally, on `conn`.
pub(super) fn fold(
    conn: &Connection,
    today: Day,
    ranges: &[Range],
    keys: [i64; 3],
) -> Result<CardTally> {
    let mut tally = CardTally::new(today);
    for &r in ranges {
        let params: Vec<&dyn ToSql> = keys[..r.params].iter().map(|k| k as &dyn ToSql).collect();
        if let Some(part) = fold_statement(conn, today, &statement(r), &params)? {
            tally.merge(part);
        }
    }
    Ok(tally)
}

/// The statement that folds range `r` of the index.
fn statement(r: Range) -> String {
    let head = format!("SELECT {FOLD}({ARGS}) FROM cards c INDEXED BY cards_stats");
    match r.filter {
        "" => head,
        filter => format!("{head} WHERE {filter}"),
    }
}

/// Runs `sql`, a `SELECT` of `recall_card_tally(ARGS)` over cards named
/// `c`, and gives its tally (`None` for no cards).
fn fold_statement(
    conn: &Connection,
    today: Day,
    sql: &str,
    params: &[&dyn ToSql],
) -> Result<Option<CardTally>> {
    let out = Arc::new(Mutex::new(None));
    // Defined again for each statement, with its day and its own slot for
    // the result (an SQL value cannot hold a tally). Direct only: no
    // trigger or view can call it.
    conn.create_aggregate_function(
        FOLD,
        9,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY,
        Fold {
            today,
            out: Arc::clone(&out),
        },
    )?;
    conn.prepare_cached(sql)?
        .query_row(params, |r| r.get::<_, i64>(0))?;
    let tally = out.lock().unwrap_or_else(PoisonError::into_inner).take();
    Ok(tally)
}

/// The aggregate: one card per call of `step`, its columns in `ARGS` order.
struct Fold {
    today: Day,
    out: Arc<Mutex<Option<CardTally>>>,
}

impl Aggregate<CardTally, i64> for Fold {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<CardTally> {
        Ok(CardTally::new(self.today))
    }

    fn step(&self, ctx: &mut Context<'_>, tally: &mut CardTally) -> rusqlite::Result<()> {
        let card = CardState {
            deck: int(ctx, 0)?,
            suspended: int(ctx, 1)? != 0,
            buried_until: nullable(ctx, 2)?.map(Day),
            due: nullable(ctx, 3)?.map(Day),
            repetitions: small(ctx, 4)?,
            interval: small(ctx, 5)?,
            efactor: small(ctx, 6)?,
            lapses: small(ctx, 7)?,
            id: int(ctx, 8)?,
        };
        tally.add(&card, self.today);
        Ok(())
    }

    fn finalize(&self, _: &mut Context<'_>, tally: Option<CardTally>) -> rusqlite::Result<i64> {
        *self.out.lock().unwrap_or_else(PoisonError::into_inner) = tally;
        Ok(0)
    }
}

// The arguments read as `ValueRef`s, not by `Context::get`: its conversions
// cost a third of the fold's reading (callgrind, 100 000 cards). The index
// `i` is always below the function's nine arguments.

/// Argument `i`, an integer or NULL.
#[inline]
fn nullable(ctx: &Context<'_>, i: usize) -> rusqlite::Result<Option<i64>> {
    match ctx.get_raw(i) {
        ValueRef::Integer(n) => Ok(Some(n)),
        ValueRef::Null => Ok(None),
        other => Err(not_an_integer(i, other)),
    }
}

/// Argument `i`, an integer.
#[inline]
fn int(ctx: &Context<'_>, i: usize) -> rusqlite::Result<i64> {
    match ctx.get_raw(i) {
        ValueRef::Integer(n) => Ok(n),
        other => Err(not_an_integer(i, other)),
    }
}

/// Argument `i`, an integer that fits a `u32` (a count of days, answers or
/// thousandths).
#[inline]
fn small(ctx: &Context<'_>, i: usize) -> rusqlite::Result<u32> {
    let n = int(ctx, i)?;
    u32::try_from(n).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(i, n))
}

#[cold]
fn not_an_integer(i: usize, value: ValueRef<'_>) -> rusqlite::Error {
    rusqlite::Error::InvalidParameterType(i, value.data_type())
}

#[cfg(test)]
#[path = "card_pass_tests.rs"]
pub(super) mod tests;
