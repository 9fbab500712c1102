//! Hostile files: arbitrary bytes, huge fields, huge files and deep nesting
//! reach the parser and the sanitizer without a panic, a hang or unbounded
//! memory. (The cargo-fuzz targets in fuzz/ run the same checks for longer;
//! crashes they find become tests here.)

use std::time::{Duration, Instant};

use predicates::prelude::*;
use proptest::prelude::*;
use recall::domain::text::escape_controls;
use recall::formats::{
    self, MAX_FIELD_BYTES, carddown, delimited, hascard, hashcards, json_deck, ki, markdown,
    toml_deck, vocage,
};

use crate::common::{Env, day};
use crate::reliability_support::{count, deck_text, scaled};

/// The parsers that read deck files, by name; each gets every test below.
/// (The readers that take bytes or are not whole decks, the Anki package,
/// the review log, the card snippet, HTML and cloze, are in
/// `reliability_hostile_formats`.)
/// A deck parser: (file name for errors, text) to decks or a located error.
pub type Parser = fn(&str, &str) -> recall::error::Result<Vec<recall::domain::DeckDraft>>;

/// The checks a parser's decks must pass: recall's own formats need a back
/// on every card; files other programs made (and CSV without column
/// names, read as Anki reads it) may leave it empty.
#[derive(Clone, Copy)]
pub enum Rules {
    Own,
    Foreign,
}

pub const PARSERS: &[(&str, Rules, Parser)] = &[
    ("toml", Rules::Own, |file, text| {
        toml_deck::parse(file, text).map(|d| vec![d])
    }),
    ("json", Rules::Own, |file, text| {
        json_deck::parse(file, text).map(|d| vec![d])
    }),
    ("markdown", Rules::Own, |file, text| {
        markdown::parse(file, "stem", text).map(|m| vec![m.deck])
    }),
    ("csv", Rules::Foreign, |file, text| {
        delimited::parse(file, "stem", text, false).map(|l| l.decks)
    }),
    ("tsv", Rules::Foreign, |file, text| {
        delimited::parse(file, "stem", text, true).map(|l| l.decks)
    }),
    ("hashcards", Rules::Foreign, |file, text| {
        hashcards::parse(file, "stem", text).map(|l| l.decks)
    }),
    ("carddown", Rules::Foreign, |file, text| {
        carddown::parse(file, "stem", text).map(|l| l.decks)
    }),
    ("ki", Rules::Foreign, |file, text| {
        ki::parse(file, "stem", text).map(|l| l.decks)
    }),
    ("hascard", Rules::Foreign, |file, text| {
        hascard::parse(file, "stem", text).map(|l| l.decks)
    }),
    ("vocage", Rules::Foreign, |file, text| {
        vocage::parse(file, "stem", text).map(|l| l.decks)
    }),
];

/// What any parser must do with any text: answer without panicking, with
/// decks that pass validation or an error that names the file.
pub fn parse_anything(parse: Parser, rules: Rules, text: &str) {
    match parse("input.deck", text) {
        Ok(decks) => {
            for deck in decks {
                let invalid = |_, m| recall::error::Error::invalid(m);
                match rules {
                    Rules::Own => formats::validate(&deck, invalid).unwrap(),
                    Rules::Foreign => formats::validate_foreign(&deck, invalid).unwrap(),
                }
            }
        }
        Err(e) => assert!(e.to_string().starts_with("input.deck"), "{e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(scaled(256, 20_000) as u32))]

    #[test]
    fn parsers_take_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(text) = formats::decode_utf8("input.deck", &bytes) {
            for (_, rules, parse) in PARSERS {
                parse_anything(*parse, *rules, &text);
            }
        }
    }

    #[test]
    fn parsers_take_almost_valid_decks(
        prefix in "[\\[\\]a-z=\"'{}. \n#]{0,40}",
        body in "(name = \"[^\"]{0,8}\"\n)?(\\[\\[cards\\]\\]\n(id|front|back|notes|tags|reverse) = (\"[^\"\n]{0,6}\"|true|\\[\"x\"\\]|1)\n){0,6}",
    ) {
        for (_, rules, parse) in PARSERS {
            parse_anything(*parse, *rules, &format!("{prefix}{body}"));
            parse_anything(*parse, *rules, &body);
        }
    }

    #[test]
    fn the_sanitizer_takes_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let text = String::from_utf8_lossy(&bytes);
        let out = escape_controls(&text);
        prop_assert!(!out.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        prop_assert!(!out.contains(char::from_u32(0x202e).unwrap()));
    }
}

/// Runs `f` and fails if it takes more than `limit` (a hang guard, not a benchmark).
pub fn bounded<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    assert!(
        started.elapsed() < limit,
        "{what} took {:?}",
        started.elapsed()
    );
    out
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [1_000, 100_000] {
        let arrays = format!(
            "name = \"x\"\nx = {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let tables = format!(
            "name = \"x\"\nx = {}1{}\n",
            "{a = ".repeat(depth),
            "}".repeat(depth)
        );
        let dotted = format!("name = \"x\"\n{} = 1\n", vec!["a"; depth].join("."));
        for text in [arrays, tables, dotted] {
            let result = bounded(Duration::from_secs(20), "deep nesting", || {
                toml_deck::parse("deep.toml", &text)
            });
            assert!(result.is_err(), "depth {depth} was accepted");
            // The other formats read it as text of their own: no panic, no hang.
            for (_, rules, parse) in PARSERS {
                bounded(Duration::from_secs(20), "deep nesting", || {
                    parse_anything(*parse, *rules, &text)
                });
            }
        }
    }
}

#[test]
fn a_ten_megabyte_field_is_refused_by_name_through_the_cli() {
    let env = Env::new();
    let huge = "y".repeat(10 * 1024 * 1024);
    let file = env.file(
        "huge.toml",
        format!("name = \"Huge\"\n[[cards]]\nid = \"a\"\nfront = \"q\"\nback = \"{huge}\"\n"),
    );
    bounded(Duration::from_secs(30), "10 MB field", || {
        env.at(&day(0))
            .arg("import")
            .arg(&file)
            .assert()
            .failure()
            .stderr(predicate::str::contains("huge.toml:2:1:"))
            .stderr(predicate::str::contains(format!(
                "over the limit of {MAX_FIELD_BYTES}"
            )));
    });
    assert_eq!(
        count(&env.db, "SELECT COUNT(*) FROM decks WHERE name = 'Huge'"),
        0
    );
}

#[test]
fn a_hundred_thousand_line_deck_imports_whole() {
    let env = Env::new();
    let cards = 25_000; // 4 lines each
    let text = deck_text("Long", cards, 0);
    assert!(text.lines().count() >= 100_000);
    let file = env.file("long.toml", &text);
    bounded(Duration::from_secs(120), "100 000-line import", || {
        env.at(&day(0)).arg("import").arg(&file).assert().success();
    });
    assert_eq!(
        count(
            &env.db,
            "SELECT COUNT(*) FROM cards c JOIN decks d ON d.id = c.deck_id WHERE d.name = 'Long'"
        ),
        cards as i64
    );
}

#[test]
fn a_hundred_thousand_lines_of_garbage_fail_with_a_location() {
    let env = Env::new();
    let mut text = deck_text("Garbage", 10, 0);
    text.push_str(&"\u{1b}]2;pwned\u{7} = = [[[\n".repeat(100_000));
    let file = env.file("garbage.toml", &text);
    bounded(Duration::from_secs(60), "100 000 garbage lines", || {
        env.at(&day(0))
            .arg("import")
            .arg(&file)
            .assert()
            .failure()
            .stderr(predicate::str::contains("garbage.toml:"))
            // The escape sequence is shown escaped, never sent raw.
            .stderr(predicate::str::contains("\u{1b}").not());
    });
}

/// Found by the kill loop under RECALL_STRESS=1: a card answered well on
/// hundreds of days reaches an interval past the last date chrono knows,
/// and printing its due date panicked.
#[test]
fn a_card_due_past_the_end_of_the_calendar_is_answered_and_shown() {
    let env = Env::new();
    let cards =
        crate::reliability_support::import_deck(&env, &day(0), "Far", &deck_text("Far", 1, 0));
    let conn = crate::reliability_support::open(&env.db);
    conn.execute(
        "UPDATE cards SET repetitions = 60, interval = 4000000000, due = 20000 WHERE id = ?1",
        [cards[0]],
    )
    .unwrap();
    drop(conn);
    for args in [
        &["answer", &cards[0].to_string(), "5"][..],
        &["next", "--json"],
        &["decks"],
    ] {
        env.at(&day(0)).args(args).assert().success();
    }
    let shown = env.json(&day(1), &["answer", &cards[0].to_string(), "5", "--json"]);
    assert!(
        shown["due"].as_str().unwrap().starts_with("+262"),
        "{shown}"
    );
}
