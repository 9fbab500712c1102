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

use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::Store;
use crate::domain::query::{Cmp, Prop, Query, State, Status, Term, contains_folded};
use crate::domain::{CardId, Day, EFactor, deck_name};
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

/// The SQL function that checks a candidate's text: `recall_has_text(front,
/// back, notes, needle)`, the needle already lowercase. SQLite's own LIKE
/// folds ASCII letters only.
pub(super) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "recall_has_text",
        4,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let needle = ctx.get_raw(3).as_str().unwrap_or_default();
            Ok((0..3).any(|i| {
                ctx.get_raw(i)
                    .as_str()
                    .is_ok_and(|text| contains_folded(text, needle))
            }))
        },
    )
}

/// A WHERE clause being built, with its bound values.
struct Sql {
    text: String,
    params: Vec<Value>,
    /// The trigram queries of the words every match must contain.
    required_words: Vec<String>,
    /// Every deck, when the query names one.
    decks: Vec<(i64, String)>,
    today: Day,
}

impl Sql {
    fn bind(&mut self, value: impl Into<Value>) -> String {
        self.params.push(value.into());
        format!("?{}", self.params.len())
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// `required`: the query holds only if this part does (an AND at the top).
    fn query(&mut self, query: &Query, required: bool) {
        match query {
            Query::All => self.push("1"),
            Query::Term(term) => self.term(term, required),
            Query::Not(inner) => {
                self.push("NOT (");
                self.query(inner, false);
                self.push(")");
            }
            Query::And(parts) => self.join(parts, " AND ", required),
            Query::Or(parts) => self.join(parts, " OR ", false),
        }
    }

    fn join(&mut self, parts: &[Query], with: &str, required: bool) {
        self.push("(");
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.push(with);
            }
            self.query(part, required);
        }
        self.push(")");
    }

    fn term(&mut self, term: &Term, required: bool) {
        let sql = match term {
            Term::Text(text) => self.text_term(text, required),
            Term::Deck(pattern) => {
                let ids: Vec<i64> = self
                    .decks
                    .iter()
                    .filter(|(_, name)| deck_name::deck_matches(pattern, name))
                    .map(|(id, _)| *id)
                    .collect();
                let json = format!("{ids:?}");
                // `+`: tested deck by deck as the walk goes in name order,
                // rather than used to look the decks up out of order.
                format!(
                    "+d.id IN (SELECT value FROM json_each({}))",
                    self.bind(json)
                )
            }
            Term::Tag(pattern) => self.tag(pattern),
            Term::Is(state) => self.state(*state),
            Term::Prop(prop, cmp, value) => self.prop(*prop, *cmp, *value),
        };
        self.push(&sql);
    }

    /// Three characters or more: the trigram index narrows the candidates;
    /// shorter text can only be checked card by card.
    fn text_term(&mut self, text: &str, required: bool) -> String {
        let needle = self.bind(text.to_lowercase());
        let check = format!("recall_has_text(c.front, c.back, c.notes, {needle})");
        let Some(trigrams) = trigram_query(text) else {
            return check;
        };
        if required {
            self.required_words.push(trigrams.clone());
        }
        let trigrams = self.bind(trigrams);
        format!(
            "(c.id IN (SELECT rowid FROM cards_text WHERE cards_text MATCH {trigrams}) AND {check})"
        )
    }

    fn tag(&mut self, pattern: &str) -> String {
        let pattern = pattern.to_lowercase();
        if pattern.contains('*') {
            let glob = format!("* {} *", glob_escape(&pattern).replace('*', "[^ ]*"));
            format!("(' ' || lower(c.tags) || ' ') GLOB {}", self.bind(glob))
        } else {
            let word = self.bind(format!(" {pattern} "));
            format!("instr(' ' || lower(c.tags) || ' ', {word}) > 0")
        }
    }

    fn state(&mut self, state: State) -> String {
        // Bound only where used: every bound value must appear in the text.
        let mut today = || self.bind(self.today.0);
        match state {
            State::New => "c.due IS NULL".into(),
            State::Learning => format!(
                "(c.due IS NOT NULL AND (c.repetitions < 2 OR c.interval < {}))",
                crate::domain::stats::MATURE_DAYS
            ),
            State::Review => format!(
                "(c.due IS NOT NULL AND c.repetitions >= 2 AND c.interval >= {})",
                crate::domain::stats::MATURE_DAYS
            ),
            State::Due => {
                let today = today();
                format!(
                    "(c.due <= {today} AND c.suspended = 0 \
                     AND (c.buried_until IS NULL OR c.buried_until <= {today}))"
                )
            }
            State::Suspended => "c.suspended != 0".into(),
            State::Buried => {
                format!(
                    "(c.buried_until IS NOT NULL AND c.buried_until > {})",
                    today()
                )
            }
            State::Leech => "instr(' ' || lower(c.tags) || ' ', ' leech ') > 0".into(),
        }
    }

    fn prop(&mut self, prop: Prop, cmp: Cmp, value: i64) -> String {
        let op = cmp.sql();
        match prop {
            Prop::Lapses => format!("c.lapses {op} {}", self.bind(value)),
            Prop::Due => {
                let day = self.bind(self.today.0.saturating_add(value));
                format!("(c.due IS NOT NULL AND c.due {op} {day})")
            }
            Prop::Interval => format!(
                "(c.due IS NOT NULL AND c.interval {op} {})",
                self.bind(value)
            ),
            Prop::Ease => format!(
                "(c.due IS NOT NULL AND c.efactor {op} {})",
                self.bind(value)
            ),
        }
    }
}

/// The FTS5 query for "every trigram of `text`" (each a quoted string), or
/// None for text under three characters, which has none.
fn trigram_query(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut grams: Vec<String> = chars
        .windows(3)
        .map(|w| format!("\"{}\"", w.iter().collect::<String>().replace('"', "\"\"")))
        .collect();
    grams.sort();
    grams.dedup();
    (!grams.is_empty()).then(|| grams.join(" AND "))
}

/// A GLOB pattern matching `text` literally, but for its `*`s.
fn glob_escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '?' => "[?]".to_string(),
            '[' => "[[]".to_string(),
            c => c.to_string(),
        })
        .collect()
}

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
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name FROM decks ORDER BY name")?;
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
        let text = format!(
            "SELECT {COLUMNS} FROM {from} WHERE {} {ORDER} LIMIT {limit_param} OFFSET {offset_param}",
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
        let mut sql = Sql {
            text: String::new(),
            params: Vec::new(),
            required_words: Vec::new(),
            decks,
            today,
        };
        sql.query(query, true);
        let mut rarest = i64::MAX;
        for words in &sql.required_words {
            rarest = rarest.min(self.candidates(words)?);
        }
        let from = if rarest < DRIVE_BELOW {
            "cards c JOIN decks d ON d.id = c.deck_id"
        } else {
            "decks d CROSS JOIN cards c INDEXED BY cards_browse ON c.deck_id = d.id"
        };
        Ok((from, sql))
    }

    /// The trigram index's candidates for `words`, counted up to `DRIVE_BELOW`.
    fn candidates(&self, words: &str) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) FROM (SELECT 1 FROM cards_text WHERE cards_text MATCH ?1 LIMIT ?2)",
            )?
            .query_row(rusqlite::params![words, DRIVE_BELOW], |r| r.get(0))?)
    }
}

fn mentions_deck(query: &Query) -> bool {
    match query {
        Query::Term(Term::Deck(_)) => true,
        Query::Not(inner) => mentions_deck(inner),
        Query::And(parts) | Query::Or(parts) => parts.iter().any(mentions_deck),
        _ => false,
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
