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

/// What a card is, in one word, as the browser's list shows it: the
/// flags first (a suspended card is "suspended" whatever its schedule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    New,
    Learning,
    Review,
    Suspended,
    Buried,
}

impl Status {
    /// The same classes as `is:` and the statistics (mature: 21 days and 2 repetitions).
    pub fn of(
        suspended: bool,
        buried: bool,
        due: Option<i64>,
        repetitions: u32,
        interval: u32,
    ) -> Status {
        match due {
            _ if suspended => Status::Suspended,
            _ if buried => Status::Buried,
            None => Status::New,
            Some(_) if repetitions >= 2 && interval >= crate::domain::stats::MATURE_DAYS => {
                Status::Review
            }
            Some(_) => Status::Learning,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Learning => "learning",
            Status::Review => "review",
            Status::Suspended => "suspended",
            Status::Buried => "buried",
        }
    }
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

/// Whether `text` holds `needle` (already lowercase), ignoring case: what a
/// text term asks of a card's front, back or notes.
pub fn contains_folded(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if text.is_ascii() && needle.is_ascii() {
        // No allocation for the common case: most cards are ASCII.
        return text
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
    }
    text.to_lowercase().contains(needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(s: &str) -> Query {
        Query::Term(Term::Text(s.into()))
    }

    #[test]
    fn words_are_anded_and_phrases_kept_whole() {
        assert_eq!(parse("").unwrap(), Query::All);
        assert_eq!(parse("   ").unwrap(), Query::All);
        assert_eq!(
            parse("read replica").unwrap(),
            Query::And(vec![text("read"), text("replica")])
        );
        assert_eq!(parse("\"read replica\"").unwrap(), text("read replica"));
        assert_eq!(parse(r#""say \"hi\"""#).unwrap(), text("say \"hi\""));
        assert_eq!(parse("a AND b").unwrap(), parse("a b").unwrap());
    }

    #[test]
    fn filters_parse_to_terms() {
        assert_eq!(
            parse("deck:Lang::*").unwrap(),
            Query::Term(Term::Deck("Lang::*".into()))
        );
        assert_eq!(
            parse("deck:\"AWS · RDS\"").unwrap(),
            Query::Term(Term::Deck("AWS · RDS".into()))
        );
        assert_eq!(
            parse("tag:verb").unwrap(),
            Query::Term(Term::Tag("verb".into()))
        );
        assert_eq!(
            parse("IS:Suspended").unwrap(),
            Query::Term(Term::Is(State::Suspended))
        );
        assert_eq!(
            parse("due:<7").unwrap(),
            Query::Term(Term::Prop(Prop::Due, Cmp::Lt, 7))
        );
        assert_eq!(
            parse("due:=0").unwrap(),
            Query::Term(Term::Prop(Prop::Due, Cmp::Eq, 0))
        );
        assert_eq!(
            parse("due:-1").unwrap(),
            Query::Term(Term::Prop(Prop::Due, Cmp::Eq, -1))
        );
        assert_eq!(
            parse("lapses:>3").unwrap(),
            Query::Term(Term::Prop(Prop::Lapses, Cmp::Gt, 3))
        );
        assert_eq!(
            parse("ivl:>=21").unwrap(),
            Query::Term(Term::Prop(Prop::Interval, Cmp::Ge, 21))
        );
        assert_eq!(
            parse("ease:<2.0").unwrap(),
            Query::Term(Term::Prop(Prop::Ease, Cmp::Lt, 2000))
        );
        assert_eq!(
            parse("ease:!=2.36").unwrap(),
            Query::Term(Term::Prop(Prop::Ease, Cmp::Ne, 2360))
        );
    }

    #[test]
    fn text_with_a_colon_that_names_no_filter_is_text() {
        assert_eq!(parse("12:30").unwrap(), text("12:30"));
        assert_eq!(parse("\"note: x\"").unwrap(), text("note: x"));
        assert_eq!(parse("a-b").unwrap(), text("a-b"));
    }

    #[test]
    fn minus_or_and_parentheses_build_the_tree() {
        let q = parse("-is:suspended (dog OR cat) deck:Lang").unwrap();
        assert_eq!(
            q,
            Query::And(vec![
                Query::Not(Box::new(Query::Term(Term::Is(State::Suspended)))),
                Query::Or(vec![text("dog"), text("cat")]),
                Query::Term(Term::Deck("Lang".into())),
            ])
        );
        // OR binds looser than the implicit AND, as in Anki.
        assert_eq!(
            parse("a b or c").unwrap(),
            Query::Or(vec![Query::And(vec![text("a"), text("b")]), text("c")])
        );
        assert_eq!(
            parse("-(a or b)").unwrap(),
            Query::Not(Box::new(Query::Or(vec![text("a"), text("b")])))
        );
        assert_eq!(
            parse("--a").unwrap(),
            Query::Not(Box::new(Query::Not(Box::new(text("a")))))
        );
    }

    #[test]
    fn errors_name_the_column_and_the_problem() {
        let cases = [
            ("\"open", 1, "unterminated quote"),
            ("a (b", 3, "never closed"),
            ("a b)", 4, "unmatched ')'"),
            ("()", 2, "empty parentheses"),
            ("a OR", 5, "ends after OR"),
            ("OR a", 1, "OR needs a search"),
            ("a -", 3, "'-' needs a search"),
            ("is:fresh", 4, "unknown state `is:fresh`"),
            ("due:<x", 5, "whole number"),
            ("ease:high", 6, "e-factor"),
            ("lapses:", 8, "needs a value"),
            ("colour:red", 1, "unknown filter `colour:`"),
            ("x \"\"", 3, "empty phrase"),
            ("deck:\"AWS", 6, "unterminated quote"),
        ];
        for (query, column, problem) in cases {
            let err = parse(query).unwrap_err();
            assert_eq!(err.column, column, "{query}: {err}");
            assert!(err.problem.contains(problem), "{query}: {err}");
        }
    }

    #[test]
    fn text_matches_ignoring_case_beyond_ascii() {
        assert!(contains_folded("Asynchronously?", "sync"));
        assert!(contains_folded("Über alles", "über"));
        assert!(contains_folded("ÉCOLE", "école"));
        assert!(!contains_folded("synchron", "async"));
        assert!(contains_folded("x", ""));
    }

    #[test]
    fn a_card_has_one_status_flags_first() {
        assert_eq!(Status::of(true, true, Some(1), 5, 30), Status::Suspended);
        assert_eq!(Status::of(false, true, None, 0, 0), Status::Buried);
        assert_eq!(Status::of(false, false, None, 0, 0), Status::New);
        assert_eq!(Status::of(false, false, Some(9), 1, 1), Status::Learning);
        assert_eq!(Status::of(false, false, Some(9), 2, 20), Status::Learning);
        assert_eq!(Status::of(false, false, Some(9), 2, 21), Status::Review);
    }

    proptest! {
        #[test]
        fn the_parser_never_panics(s in any::<String>()) {
            let _ = parse(&s);
        }

        #[test]
        fn the_parser_never_panics_on_query_like_text(
            s in r#"[ a-z:()"\\<>=!.*0-9-]{0,40}|(deck|is|due|ease|or|OR|AND|\(|\)|-|"| )*"#
        ) {
            if let Err(e) = parse(&s) {
                prop_assert!(e.column >= 1 && e.column <= s.chars().count() + 1, "{e} in {s:?}");
            }
        }
    }
}
