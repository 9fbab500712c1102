//! Hostile input for the import formats beyond the deck parsers in
//! `reliability_hostile::PARSERS`: the readers that take bytes or parts of a
//! card (Anki packages, review logs, the card snippet, HTML, cloze, byte
//! decoding), huge fields and files in CSV and Markdown, and deep nesting in
//! HTML and JSON. The cargo-fuzz targets in fuzz/ run the same properties
//! for longer.

use std::time::{Duration, Instant};

use predicates::prelude::*;
use proptest::prelude::*;
use recall::domain::{Card, CardDraft, DeckDraft, Schedule};
use recall::error::Error;
use recall::formats::records::{self, read_reviews};
use recall::formats::{self, MAX_FIELD_BYTES, anki, card_snippet, cloze, delimited, html};

use crate::common::{Env, day};
use crate::reliability_hostile::{PARSERS, bounded, parse_anything};
use crate::reliability_support::{count, scaled};

/// Errors are shown to people: they must name the file.
fn names_the_file(e: &Error, file: &str) {
    assert!(e.to_string().starts_with(file), "{e}");
}

fn passes_validation(deck: &DeckDraft) {
    formats::validate(deck, |_, m| Error::invalid(m)).unwrap();
}

fn some_card() -> Card {
    Card {
        id: 1,
        deck: "Deck".into(),
        key: "key".into(),
        front: "f".into(),
        back: "b".into(),
        notes: String::new(),
        tags: Vec::new(),
        schedule: Schedule::default(),
        suspended: false,
        last_review: None,
        typed: false,
    }
}

/// Every byte reader and text helper on one input: no panic, and a result
/// that holds up or an error naming the file.
fn read_anything(bytes: &[u8]) {
    match formats::decode_text("in.bin", bytes) {
        Ok(text) => {
            for (_, rules, parse) in PARSERS {
                parse_anything(*parse, *rules, &text);
            }
        }
        Err(e) => names_the_file(&e, "in.bin"),
    }
    // The readers of databases (given bytes, they read a temporary copy).
    for format in [formats::Format::Mnemosyne, formats::Format::AnkiCollection] {
        match formats::parse("in.db", "in", bytes, format, false) {
            Ok(loaded) => loaded.decks.iter().for_each(|deck| {
                formats::validate_foreign(deck, |_, m| Error::invalid(m)).unwrap();
            }),
            Err(e) => names_the_file(&e, "in.db"),
        }
    }
    match anki::parse_package("in.apkg", bytes, true) {
        Ok(loaded) => loaded.decks.iter().for_each(passes_validation),
        Err(e) => names_the_file(&e, "in.apkg"),
    }
    for format in [records::TableFormat::Csv, records::TableFormat::Json] {
        if let Err(e) = read_reviews("in.log", format, bytes, |_, _| Ok(())) {
            names_the_file(&e, "in.log");
        }
    }
    let text = String::from_utf8_lossy(bytes);
    if let Err(e) = card_snippet::parse("in.toml", &text, &some_card()) {
        names_the_file(&e, "in.toml");
    }
    html::to_text(&text);
    let entry = CardDraft {
        key: "k".into(),
        front: text.clone().into_owned(),
        back: String::new(),
        notes: String::new(),
        tags: Vec::new(),
        typed: false,
    };
    if let Some(cards) = cloze::expand(&entry) {
        assert_eq!(cards.len(), cloze::numbers(&text).len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(scaled(256, 20_000) as u32))]

    #[test]
    fn every_reader_takes_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        read_anything(&bytes);
    }

    #[test]
    fn every_reader_takes_near_valid_text(
        text in "(#(separator|html|columns|deck|tags):[a-z\\t,;|]{0,6}\n)?([\"a-z{}:<>/&;#,\\t|]{0,12}\n){0,8}(Q: |A: |---\n|\\{\\{c[0-9]::)?",
    ) {
        read_anything(text.as_bytes());
    }
}

#[test]
fn a_ten_megabyte_field_in_csv_and_markdown_is_refused_by_name() {
    let env = Env::new();
    let huge = "y".repeat(10 * 1024 * 1024);
    for (name, text) in [
        ("huge.csv", format!("front,back\nq,\"{huge}\"\n")),
        ("huge.md", format!("# Huge\n\n---\nQ: q\nA: {huge}\n")),
    ] {
        let file = env.file(name, text);
        bounded(Duration::from_secs(30), "10 MB field", || {
            env.at(&day(0))
                .arg("import")
                .arg(&file)
                .assert()
                .failure()
                .stderr(predicate::str::starts_with(format!(
                    "recall: {}",
                    file.display()
                )))
                .stderr(predicate::str::contains(format!(
                    "over the limit of {MAX_FIELD_BYTES}"
                )));
        });
    }
    assert_eq!(
        count(
            &env.db,
            "SELECT COUNT(*) FROM decks WHERE lower(name) = 'huge'"
        ),
        0
    );
}

/// Peak resident memory of this process in KiB (Linux; 0 elsewhere).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

#[test]
fn a_hundred_thousand_line_csv_and_markdown_parse_whole() {
    let lines = 100_000;
    let csv: String = (0..lines).map(|i| format!("q{i},a{i}\n")).collect();
    // Markdown: four lines per card.
    let md: String = std::iter::once("# Long\n".to_string())
        .chain((0..lines / 4).map(|i| format!("---\nQ: q{i}\nA: a{i}\n\n")))
        .collect();
    for (name, text, cards) in [("long.csv", csv, lines), ("long.md", md, lines / 4)] {
        assert!(text.lines().count() >= lines);
        let format = formats::Format::from_extension(std::path::Path::new(name)).unwrap();
        let started = Instant::now();
        let loaded = bounded(Duration::from_secs(120), name, || {
            formats::parse(name, "long", text.as_bytes(), format, false).unwrap()
        });
        // A rough figure for the README, not a target.
        eprintln!(
            "{name}: {} bytes parsed in {:?}, peak RSS {} KiB",
            text.len(),
            started.elapsed(),
            peak_rss_kib()
        );
        let parsed: usize = loaded.decks.iter().map(|d| d.cards.len()).sum();
        assert_eq!(parsed, cards, "{name}");
    }
}

#[test]
fn deeply_nested_html_in_a_csv_becomes_its_text() {
    // 50 000 levels is 850 KB, under the 1 MiB field limit that applies
    // before the HTML is converted.
    let depth = 50_000;
    let front = format!(
        "{}deep{}",
        "<div><b>".repeat(depth),
        "</b></div>".repeat(depth)
    );
    let text = format!("#html:true\n#separator:comma\n\"{front}\",answer\n");
    let loaded = bounded(Duration::from_secs(30), "nested HTML", || {
        delimited::parse("deep.csv", "deep", &text, false).unwrap()
    });
    let card = &loaded.decks[0].cards[0];
    assert_eq!(card.front.trim(), "deep");
    assert_eq!(card.back, "answer");
}

/// The JSON readers deserialize into fixed structs, so nesting is refused at
/// the first bracket where a string or a card belongs; serde_json's
/// 128-level recursion limit is the backstop. Either way: a located error,
/// no stack overflow, wherever the nesting sits.
#[test]
fn deeply_nested_json_is_a_located_error_not_a_stack_overflow() {
    for depth in [1_000, 100_000] {
        let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        for deep in [&nested, &objects] {
            for deck in [
                deep.clone(),
                format!(r#"{{"name": {deep}}}"#),
                format!(r#"{{"name": "x", "cards": {deep}}}"#),
                format!(r#"{{"name": "x", "cards": [{{"front": "f", "back": {deep}}}]}}"#),
                format!(
                    r#"{{"name": "x", "cards": [{{"front": "f", "back": "b", "tags": {deep}}}]}}"#
                ),
                format!(r#"{{"name": "x", "unknown": {deep}}}"#),
            ] {
                let err = bounded(Duration::from_secs(20), "nested JSON", || {
                    formats::json_deck::parse("deep.json", &deck).unwrap_err()
                });
                assert!(err.to_string().starts_with("deep.json:1:"), "{err}");
            }
            for log in [
                deep.clone(),
                format!(r#"[{{"deck": "d", "card": {deep}}}]"#),
            ] {
                let err = read_reviews(
                    "deep.log",
                    records::TableFormat::Json,
                    log.as_bytes(),
                    |_, _| Ok(()),
                )
                .unwrap_err();
                assert!(err.to_string().starts_with("deep.log:1:"), "{err}");
            }
        }
    }
}
