//! Compiling a parsed `Query` into the WHERE clause of one statement:
//! every piece of user text travels as a bound value, never in the SQL.

use std::collections::HashMap;

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;

use crate::domain::query::{Cmp, Prop, Query, State, Term, contains_folded};
use crate::domain::{Day, deck_name};

/// From this many candidates (a fifth of 100 000 cards) a word is checked
/// card by card as the walk goes, without asking the index: at that density
/// a page's matches come within a few hundred cards, while listing the
/// candidates took over 100 ms for a word in most cards.
pub(super) const DENSE_FROM: i64 = 20_000;

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
pub(super) struct Sql {
    pub(super) text: String,
    pub(super) params: Vec<Value>,
    /// The trigram index's candidates for each text term (see `plan`).
    pub(super) candidates: HashMap<String, i64>,
    /// The fewest candidates of a word every match must contain.
    pub(super) rarest_required: i64,
    /// Every deck, when the query names one.
    pub(super) decks: Vec<(i64, String)>,
    pub(super) today: Day,
}

impl Sql {
    pub(super) fn bind(&mut self, value: impl Into<Value>) -> String {
        self.params.push(value.into());
        format!("?{}", self.params.len())
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// `required`: the query holds only if this part does (an AND at the top).
    pub(super) fn query(&mut self, query: &Query, required: bool) {
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
        // Filters the covering index answers first: SQLite tests the terms
        // in the order written, and a text check reads the card's row.
        let mut parts: Vec<&Query> = parts.iter().collect();
        parts.sort_by_key(|part| mentions_text(part));
        self.push("(");
        for (i, part) in parts.into_iter().enumerate() {
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
        let candidates = self.candidates.get(&trigrams).copied().unwrap_or(0);
        if required {
            self.rarest_required = self.rarest_required.min(candidates);
        }
        // So common that the walk meets a match every few cards: listing
        // every candidate first would cost more than checking as it goes.
        if candidates >= DENSE_FROM {
            return check;
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
                let day = self.bind(self.today.offset(value).0);
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
pub(super) fn trigram_query(text: &str) -> Option<String> {
    let mut grams = trigrams(text);
    grams.sort();
    grams.dedup();
    (!grams.is_empty()).then(|| grams.join(" AND "))
}

/// The same for at most three of the trigrams (the first, middle and last):
/// cheaper to count, and never fewer candidates than the whole text has.
pub(super) fn trigram_sample(text: &str) -> Option<String> {
    let grams = trigrams(text);
    let last = grams.len().checked_sub(1)?;
    let mut picked = vec![&grams[0], &grams[last / 2], &grams[last]];
    picked.sort();
    picked.dedup();
    Some(
        picked
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(" AND "),
    )
}

fn trigrams(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(3)
        .map(|w| format!("\"{}\"", w.iter().collect::<String>().replace('"', "\"\"")))
        .collect()
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

/// Every text term of the query, wherever it stands.
pub(super) fn text_terms<'q>(query: &'q Query, out: &mut Vec<&'q str>) {
    match query {
        Query::Term(Term::Text(text)) => out.push(text),
        Query::Not(inner) => text_terms(inner, out),
        Query::And(parts) | Query::Or(parts) => parts.iter().for_each(|p| text_terms(p, out)),
        _ => {}
    }
}

pub(super) fn mentions_deck(query: &Query) -> bool {
    match query {
        Query::Term(Term::Deck(_)) => true,
        Query::Not(inner) => mentions_deck(inner),
        Query::And(parts) | Query::Or(parts) => parts.iter().any(mentions_deck),
        _ => false,
    }
}

fn mentions_text(query: &Query) -> bool {
    let mut texts = Vec::new();
    text_terms(query, &mut texts);
    !texts.is_empty()
}
