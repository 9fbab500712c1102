//! Card search: a parsed `Query` compiled to one parameterised statement
//! (user text only ever travels as a bound value), returning a page of rows
//! in the browser's order: by deck name, then due day (new cards first, in
//! the order they were added), then id.
//!
//! Two plans, both read by index (see migrations/0006_card_search.sql):
//! - walk: the decks by name and each deck's cards along `cards_browse`,
//!   testing each entry; a page ends at its last row, so a query that
//!   matches often is answered after a few hundred entries.
//! - drive: when the query's rarest word has few candidates in the trigram
//!   index `cards_text`, only those cards are read and sorted.
//!
//! The choice is made per search by counting the candidates of each word,
//! which the index answers in well under a millisecond.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, TransactionBehavior, params_from_iter};

use super::Store;
use super::search_sql::{
    DENSE_FROM, Sql, mentions_deck, text_terms, trigram_query, trigram_sample,
};
use crate::domain::query::{Query, Status};
use crate::domain::{CardId, Day, EFactor};
use crate::error::Result;

/// One card as the browser lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    pub id: CardId,
    pub deck: String,
    pub key: String,
    pub front: String,
    pub due: Option<Day>,
    pub interval: u32,
    pub efactor: EFactor,
    pub lapses: u32,
    pub repetitions: u32,
    pub status: Status,
}

impl CardRow {
    /// Due, interval, ease, lapses and state, as `recall cards` and the
    /// browser list them; `unscheduled` stands for a new card's due date.
    pub fn schedule_columns(&self, unscheduled: &str) -> [String; 5] {
        let scheduled = |text: String| if self.due.is_some() { text } else { "-".into() };
        [
            self.due.map_or(unscheduled.into(), |d| d.to_string()),
            scheduled(format!("{}d", self.interval)),
            scheduled(self.efactor.to_string()),
            self.lapses.to_string(),
            self.status.as_str().to_string(),
        ]
    }
}

/// A page of matches, and whether more follow it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub rows: Vec<CardRow>,
    pub more: bool,
}

/// Below this many candidates for its rarest word, a search reads just those
/// cards (at most a few milliseconds); at or above, it walks the list in
/// order, which finds a page's rows early when matches are this common.
const DRIVE_BELOW: i64 = 1_000;

const COLUMNS: &str = "c.id, d.name, c.key, c.front, c.due, c.interval, c.efactor, c.lapses, \
     c.repetitions, c.suspended, c.buried_until";

const ORDER: &str = "ORDER BY d.name, c.due, c.id";

fn row_from(r: &rusqlite::Row<'_>, today: Day) -> rusqlite::Result<CardRow> {
    let due: Option<i64> = r.get(4)?;
    let interval: u32 = r.get(5)?;
    let repetitions: u32 = r.get(8)?;
    let buried = r.get::<_, Option<i64>>(10)?.is_some_and(|d| d > today.0);
    Ok(CardRow {
        id: r.get(0)?,
        deck: r.get(1)?,
        key: r.get(2)?,
        front: r.get(3)?,
        due: due.map(Day),
        interval,
        efactor: EFactor(r.get(6)?),
        lapses: r.get(7)?,
        repetitions,
        status: Status::of(r.get(9)?, buried, due, repetitions, interval),
    })
}

impl Store {
    /// Every deck's id and name.
    pub fn deck_list(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT d.id, d.name FROM decks d ORDER BY ",
            super::decks::deck_order!()
        ))?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One card as the list shows it.
    pub fn card_row(&self, card: CardId, today: Day) -> Result<Option<CardRow>> {
        let text = format!(
            "SELECT {COLUMNS} FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?1"
        );
        Ok(self
            .conn
            .prepare_cached(&text)?
            .query_row([card], |r| row_from(r, today))
            .optional()?)
    }

    /// The page of `query`'s matches that starts after `offset` of them.
    pub fn search_page(&self, query: &Query, today: Day, offset: u32, limit: u32) -> Result<Page> {
        let (from, mut sql) = self.plan(query, today)?;
        let limit_param = sql.bind(i64::from(limit) + 1);
        let offset_param = sql.bind(i64::from(offset));
        // `+`: a bound LIMIT or OFFSET is planned by its value, and each
        // new page would compile the statement again (see `queue::DUE_CARDS`).
        let text = format!(
            "SELECT {COLUMNS} FROM {from} WHERE {} {ORDER} LIMIT +{limit_param} OFFSET +{offset_param}",
            sql.text
        );
        let mut stmt = self.conn.prepare_cached(&text)?;
        let rows = stmt.query_map(params_from_iter(&sql.params), |r| row_from(r, today))?;
        let mut rows: Vec<CardRow> = rows.collect::<rusqlite::Result<_>>()?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        Ok(Page { rows, more })
    }

    /// The ids of every match, in the list's order (for actions on them all).
    pub fn search_ids(&self, query: &Query, today: Day) -> Result<Vec<CardId>> {
        let (from, sql) = self.plan(query, today)?;
        let text = format!("SELECT c.id FROM {from} WHERE {} {ORDER}", sql.text);
        let mut stmt = self.conn.prepare_cached(&text)?;
        let rows = stmt.query_map(params_from_iter(&sql.params), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many cards match.
    pub fn search_count(&self, query: &Query, today: Day) -> Result<u64> {
        let (from, sql) = self.plan(query, today)?;
        let text = format!("SELECT COUNT(*) FROM {from} WHERE {}", sql.text);
        let count: i64 = self
            .conn
            .prepare_cached(&text)?
            .query_row(params_from_iter(&sql.params), |r| r.get(0))?;
        Ok(count.unsigned_abs())
    }

    /// The WHERE clause of `query`, and the FROM clause of the cheaper plan.
    fn plan(&self, query: &Query, today: Day) -> Result<(&'static str, Sql)> {
        let decks = if mentions_deck(query) {
            self.deck_list()?
        } else {
            Vec::new()
        };
        let mut texts = Vec::new();
        text_terms(query, &mut texts);
        let mut candidates = HashMap::new();
        if !texts.is_empty() {
            self.catch_up_text_index()?;
        }
        for text in texts {
            if let (Some(all), Some(sample)) = (trigram_query(text), trigram_sample(text)) {
                let count = self.text_candidates(&all, &sample)?;
                candidates.insert(all, count);
            }
        }
        let mut sql = Sql {
            text: String::new(),
            params: Vec::new(),
            candidates,
            rarest_required: i64::MAX,
            decks,
            today,
        };
        sql.query(query, true);
        let from = if sql.rarest_required < DRIVE_BELOW {
            "cards c JOIN decks d ON d.id = c.deck_id"
        } else {
            "decks d CROSS JOIN cards c INDEXED BY cards_browse ON c.deck_id = d.id"
        };
        Ok((from, sql))
    }

    /// The trigram index's candidates for a word: exactly, below
    /// `DRIVE_BELOW`; else estimated from a sample of its trigrams (an upper
    /// bound), counted up to `DENSE_FROM`. Counting every trigram of a long
    /// common word to 20 000 took longer than the search it decides.
    fn text_candidates(&self, all: &str, sample: &str) -> Result<i64> {
        let mut count = self.conn.prepare_cached(
            "SELECT COUNT(*) FROM (SELECT 1 FROM cards_text WHERE cards_text MATCH ?1 LIMIT +?2)",
        )?;
        let exact: i64 = count.query_row(rusqlite::params![all, DRIVE_BELOW], |r| r.get(0))?;
        if exact < DRIVE_BELOW {
            return Ok(exact);
        }
        let estimate: i64 = count.query_row(rusqlite::params![sample, DENSE_FROM], |r| r.get(0))?;
        Ok(estimate.max(DRIVE_BELOW))
    }

    /// How many cards' text a search for `query` indexes before it runs
    /// (the cards a bulk import left to the first search; at most: ids
    /// deleted since count too), 0 for a query without words.
    pub fn text_to_index(&self, query: &Query) -> Result<u64> {
        let mut texts = Vec::new();
        text_terms(query, &mut texts);
        if texts.is_empty() {
            return Ok(0);
        }
        let behind: i64 = self.conn.prepare_cached(
            "SELECT IFNULL(MAX(id), 0) - (SELECT indexed_through FROM cards_text_state) FROM cards",
        )?
        .query_row([], |r| r.get(0))?;
        Ok(u64::try_from(behind).unwrap_or(0))
    }

    /// Whether some card's text is not in the search index yet.
    fn text_index_behind(&self) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM cards \
                 WHERE id > (SELECT indexed_through FROM cards_text_state))",
            )?
            .query_row([], |r| r.get(0))?)
    }

    /// Indexes the text of at most `batch` of the cards above the index's
    /// mark, in one short transaction, and says whether more remain. The
    /// TUI runs this in the background after a bulk import, so the first
    /// search finds the index done and no step holds the write lock long.
    pub fn index_text_step(&self, batch: i64) -> Result<bool> {
        // Read first: with nothing to do, no write transaction at all.
        if !self.text_index_behind()? {
            return Ok(false);
        }
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let added = tx
            .prepare_cached(
                "INSERT INTO cards_text (rowid, front, back, notes) \
                 SELECT id, front, back, notes FROM cards \
                 WHERE id > (SELECT indexed_through FROM cards_text_state) ORDER BY id LIMIT +?1",
            )?
            .execute([batch])?;
        tx.prepare_cached(
            "UPDATE cards_text_state SET indexed_through = IFNULL( \
               (SELECT MAX(id) FROM (SELECT id FROM cards WHERE id > indexed_through \
                                     ORDER BY id LIMIT +?1)), indexed_through)",
        )?
        .execute([batch])?;
        tx.commit()?;
        Ok(added as i64 == batch)
    }

    /// Indexes the text of the cards added since the last search. A bulk
    /// import leaves that to the first search after it: indexing as each
    /// card is inserted made a 100 000-card import many times slower (see
    /// migrations/0006_card_search.sql); a small one indexes its cards as
    /// it commits (`INDEX_NEW_TEXT`).
    fn catch_up_text_index(&self) -> Result<()> {
        if !self.text_index_behind()? {
            return Ok(());
        }
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        tx.execute_batch(INDEX_NEW_TEXT)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;

/// Puts the text of every card above the index's mark into the index, in
/// one statement (about 25 µs a card), and moves the mark.
pub(super) const INDEX_NEW_TEXT: &str = "INSERT INTO cards_text (rowid, front, back, notes) \
       SELECT id, front, back, notes FROM cards \
       WHERE id > (SELECT indexed_through FROM cards_text_state); \
     UPDATE cards_text_state SET indexed_through = (SELECT IFNULL(MAX(id), 0) FROM cards);";
