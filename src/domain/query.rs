//! The card search language, after Anki's: `recall cards`, and the TUI's
//! browser, parse what was typed into a `Query` here; `storage::search`
//! compiles it to SQL. Pure: no I/O, so every rule is unit-tested.
//!
//! ```text
//! query   = or EOF
//! or      = and { ("OR" | "or") and }
//! and     = unary { ["AND" | "and"] unary }
//! unary   = "-" unary | "(" or ")" | term
//! term    = WORD | "\"phrase\"" | FILTER ":" (WORD | "\"value\"")
//! ```
//! Words are AND-ed; see README § Searching cards for the filters.

use std::fmt;

pub use super::card_status::{Status, contains_folded};

/// A parsed search. `All` is the empty query.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    All,
    Term(Term),
    Not(Box<Query>),
    And(Vec<Query>),
    Or(Vec<Query>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// Text found in the front, back or notes, case-insensitively.
    Text(String),
    /// A deck pattern (`*` wildcards; parents match their subdecks).
    Deck(String),
    /// A tag pattern (`*` wildcards), case-insensitive.
    Tag(String),
    Is(State),
    /// A numeric property compared with a value.
    Prop(Prop, Cmp, i64),
}

/// `is:` states. New, learning and review split cards by their schedule;
/// suspended and buried are flags any card can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Never scheduled.
    New,
    /// Scheduled, not mature yet (interval under 21 days or fewer than 2 repetitions).
    Learning,
    /// Scheduled and mature.
    Review,
    /// Scheduled for today or earlier, and neither suspended nor buried.
    Due,
    Suspended,
    /// Hidden until a later day.
    Buried,
    /// Tagged `leech`.
    Leech,
}

/// Numeric properties; due, interval and ease apply to scheduled cards only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prop {
    /// Days from today to the due day (negative: overdue).
    Due,
    Lapses,
    /// The interval in days.
    Interval,
    /// The e-factor in thousandths (`ease:2.5` is 2500).
    Ease,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Eq,
    Ne,
    Ge,
    Gt,
}

impl Cmp {
    pub fn sql(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Eq => "=",
            Cmp::Ne => "!=",
            Cmp::Ge => ">=",
            Cmp::Gt => ">",
        }
    }
}

/// A query that does not parse: where (1-based, in characters) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub column: usize,
    pub problem: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.problem)
    }
}

impl std::error::Error for ParseError {}

/// The filters a `name:` prefix may name.
pub const FILTERS: &str = "deck, tag, is, due, lapses, ivl, ease";

/// Parses a search; the empty (or all-blank) string is `Query::All`.
pub fn parse(text: &str) -> Result<Query, ParseError> {
    let tokens = lex(text)?;
    let end = text.chars().count() + 1;
    let mut parser = Parser { tokens, at: 0, end };
    let query = parser.or()?;
    match parser.peek() {
        None => Ok(query),
        Some((col, _)) => Err(error(col, "unmatched ')'")),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Minus,
    Or,
    And,
    /// A bare word or a quoted phrase (a quoted `OR` is a word).
    Word(String),
    /// `name:value`.
    Filter {
        name: String,
        value: String,
    },
}

fn error(column: usize, problem: impl Into<String>) -> ParseError {
    ParseError {
        column,
        problem: problem.into(),
    }
}

fn lex(text: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let col = i + 1;
        match chars[i] {
            c if c.is_whitespace() => i += 1,
            '(' => (tokens.push((col, Token::Open)), i += 1).1,
            ')' => (tokens.push((col, Token::Close)), i += 1).1,
            '-' => (tokens.push((col, Token::Minus)), i += 1).1,
            '"' => {
                let (text, next) = quoted(&chars, i)?;
                tokens.push((col, Token::Word(text)));
                i = next;
            }
            _ => {
                let (token, next) = word(&chars, i)?;
                tokens.push((col, token));
                i = next;
            }
        }
    }
    Ok(tokens)
}

/// A quoted string from the `"` at `start`: `\"` and `\\` are escapes.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), ParseError> {
    let mut out = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((out, i + 1)),
            '\\' if matches!(chars.get(i + 1), Some('"' | '\\')) => {
                out.push(chars[i + 1]);
                i += 2;
            }
            c => (out.push(c), i += 1).1,
        }
    }
    Err(error(start + 1, "unterminated quote: add the closing '\"'"))
}

/// A bare word, or a `name:value` filter whose value may be quoted.
fn word(chars: &[char], start: usize) -> Result<(Token, usize), ParseError> {
    let ends = |c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"';
    let mut i = start;
    while i < chars.len() && !ends(chars[i]) && chars[i] != ':' {
        i += 1;
    }
    let head: String = chars[start..i].iter().collect();
    let is_filter = chars.get(i) == Some(&':')
        && !head.is_empty()
        && head.chars().all(|c| c.is_ascii_alphabetic());
    if !is_filter {
        while i < chars.len() && !ends(chars[i]) {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        let token = match text.as_str() {
            "OR" | "or" => Token::Or,
            "AND" | "and" => Token::And,
            _ => Token::Word(text),
        };
        return Ok((token, i));
    }
    i += 1;
    let (value, next) = if chars.get(i) == Some(&'"') {
        quoted(chars, i)?
    } else {
        let from = i;
        while i < chars.len() && !ends(chars[i]) {
            i += 1;
        }
        (chars[from..i].iter().collect(), i)
    };
    let name = head.to_ascii_lowercase();
    Ok((Token::Filter { name, value }, next))
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    at: usize,
    /// The column just past the text, where "the query ends" errors point.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<(usize, &Token)> {
        self.tokens.get(self.at).map(|(c, t)| (*c, t))
    }

    fn or(&mut self) -> Result<Query, ParseError> {
        let mut alternatives = vec![self.and()?];
        while let Some((_, Token::Or)) = self.peek() {
            self.at += 1;
            alternatives.push(self.and()?);
        }
        Ok(flatten(alternatives, Query::Or))
    }

    fn and(&mut self) -> Result<Query, ParseError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some((_, Token::Close | Token::Or)) => break,
                Some((_, Token::And)) if !parts.is_empty() => self.at += 1,
                _ => parts.push(self.unary()?),
            }
        }
        if parts.is_empty() {
            return match self.peek() {
                Some((col, Token::Or)) => Err(error(col, "OR needs a search on each side")),
                Some((col, Token::Close)) if self.at > 0 => {
                    Err(error(col, "empty parentheses: put a search inside"))
                }
                Some((col, Token::Close)) => Err(error(col, "unmatched ')'")),
                _ if self.at > 0 => Err(error(self.end, "the query ends after OR")),
                _ => Ok(Query::All),
            };
        }
        Ok(flatten(parts, Query::And))
    }

    fn unary(&mut self) -> Result<Query, ParseError> {
        let Some((col, token)) = self.peek() else {
            return Err(error(self.end, "the query ends after '-'"));
        };
        let token = token.clone();
        self.at += 1;
        match token {
            Token::Minus => match self.peek() {
                Some((_, Token::Close | Token::Or)) | None => {
                    Err(error(col, "'-' needs a search after it to leave out"))
                }
                _ => Ok(Query::Not(Box::new(self.unary()?))),
            },
            Token::Open => {
                let inner = self.or()?;
                match self.peek() {
                    Some((_, Token::Close)) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    _ => Err(error(col, "'(' is never closed: add ')'")),
                }
            }
            Token::Word(text) => text_term(col, text),
            Token::Filter { name, value } => filter(col, &name, &value).map(Query::Term),
            Token::And => Err(error(col, "AND needs a search on each side")),
            Token::Close | Token::Or => unreachable!("stopped at by `and`"),
        }
    }
}

fn flatten(mut parts: Vec<Query>, join: fn(Vec<Query>) -> Query) -> Query {
    if parts.len() == 1 {
        parts.pop().unwrap_or(Query::All)
    } else {
        join(parts)
    }
}

/// A word or phrase; an empty phrase (`""`) is an error, not "everything".
fn text_term(col: usize, text: String) -> Result<Query, ParseError> {
    if text.trim().is_empty() {
        return Err(error(col, "empty phrase: put text between the quotes"));
    }
    Ok(Query::Term(Term::Text(text)))
}

fn filter(col: usize, name: &str, value: &str) -> Result<Term, ParseError> {
    let value_col = col + name.chars().count() + 1;
    if value.is_empty() {
        return Err(error(value_col, format!("`{name}:` needs a value")));
    }
    match name {
        "deck" => Ok(Term::Deck(value.to_string())),
        "tag" => Ok(Term::Tag(value.to_string())),
        "is" => state(value)
            .map(Term::Is)
            .ok_or_else(|| error(value_col, format!("unknown state `is:{value}`; one of new, learning, review, due, suspended, buried, leech"))),
        "due" => property(value_col, Prop::Due, value),
        "lapses" => property(value_col, Prop::Lapses, value),
        "ivl" | "interval" => property(value_col, Prop::Interval, value),
        "ease" => property(value_col, Prop::Ease, value),
        _ => Err(error(
            col,
            format!("unknown filter `{name}:`; the filters are {FILTERS} (quote text that holds a colon)"),
        )),
    }
}

fn state(value: &str) -> Option<State> {
    Some(match value.to_ascii_lowercase().as_str() {
        "new" => State::New,
        "learning" | "learn" => State::Learning,
        "review" => State::Review,
        "due" => State::Due,
        "suspended" => State::Suspended,
        "buried" => State::Buried,
        "leech" => State::Leech,
        _ => return None,
    })
}

/// `<7`, `>=21`, `=0`, `!=2`, or a bare number (equality).
fn property(col: usize, prop: Prop, value: &str) -> Result<Term, ParseError> {
    let (cmp, number) = [
        ("<=", Cmp::Le),
        (">=", Cmp::Ge),
        ("!=", Cmp::Ne),
        ("<", Cmp::Lt),
        (">", Cmp::Gt),
        ("=", Cmp::Eq),
    ]
    .iter()
    .find_map(|(op, cmp)| value.strip_prefix(op).map(|rest| (*cmp, rest)))
    .unwrap_or((Cmp::Eq, value));
    let bad = |what: &str| error(col, format!("`{value}`: {what}"));
    let parsed = if prop == Prop::Ease {
        let ease: f64 = number
            .parse()
            .map_err(|_| bad("expected a comparison and an e-factor, e.g. ease:<2.0"))?;
        if !ease.is_finite() || !(0.0..=1000.0).contains(&ease) {
            return Err(bad("the e-factor must be between 0 and 1000"));
        }
        (ease * 1000.0).round() as i64
    } else {
        let example = match prop {
            Prop::Due => "due:<7",
            Prop::Lapses => "lapses:>3",
            _ => "ivl:>=21",
        };
        number
            .parse::<i64>()
            .ok()
            .filter(|n| n.unsigned_abs() <= u64::from(u32::MAX))
            .ok_or_else(|| {
                bad(&format!(
                    "expected a comparison and a whole number, e.g. {example}"
                ))
            })?
    };
    Ok(Term::Prop(prop, cmp, parsed))
}

#[cfg(test)]
#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
