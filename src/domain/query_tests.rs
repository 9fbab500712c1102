//! The search language's rules, one test per promise.

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
