//! In-process benchmarks of the hot paths: the scheduler, building today's
//! queue, committing an answer, and parsing a deck.
//!
//! `cargo bench --bench core` (criterion; reports in target/criterion).

// A benchmark is test code: a panic is a failed run, not a user's error.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use chrono::DateTime;
use criterion::{Criterion, criterion_group, criterion_main};
use recall::clock::Clock;
use recall::domain::Scope;
use recall::domain::seen::Seen;
use recall::domain::{CardDraft, Day, DeckDraft, Grade, Limits, Schedule, Scheduler, Sm2};
use recall::formats::{delimited, toml_deck};
use recall::storage::{ImportOptions, Store};
use recall::workflows::study;

fn deck(cards: usize) -> DeckDraft {
    DeckDraft {
        name: "Bench".into(),
        description: String::new(),
        position: None,
        cards: (0..cards)
            .map(|i| CardDraft {
                key: format!("c{i:07}"),
                front: format!("Define «la pomme», no. {i}"),
                back: format!("1. fact {i}, with a comma;\n2. and \"quotes\""),
                notes: String::new(),
                tags: vec!["bench".into()],
                typed: false,
            })
            .collect(),
    }
}

fn clock(day: &str) -> Clock {
    Clock::fixed(
        DateTime::parse_from_rfc3339(&format!("{day}T09:00:00+00:00")).unwrap(),
        4,
    )
}

/// A database with `cards` cards, a tenth of them answered yesterday so
/// that today has due reviews as well as new cards.
fn collection(cards: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("bench.db")).unwrap();
    store
        .import(&[deck(cards)], ImportOptions::default(), 0)
        .unwrap();
    let yesterday = clock("2026-02-28");
    for id in (1..=cards as i64).step_by(10) {
        let seen = store.card(id).unwrap().unwrap();
        study::answer(
            &mut store,
            &yesterday,
            Seen::Shown(&seen),
            Grade::new(2).unwrap(),
            0,
            false,
        )
        .unwrap();
    }
    (dir, store)
}

fn scheduler(c: &mut Criterion) {
    c.bench_function("sm2_schedule_20_answers", |b| {
        b.iter(|| {
            let mut s = Schedule::NEW;
            for q in black_box([5, 4, 3, 5, 2, 4, 5, 5, 4, 3, 0, 5, 5, 4, 4, 5, 3, 5, 4, 5]) {
                s = Sm2.schedule(&s, Grade::new(q).unwrap(), Day(20_000));
            }
            black_box(s)
        })
    });
}

fn queue_and_answer(c: &mut Criterion) {
    let (_dir, mut store) = collection(10_000);
    let today = clock("2026-03-01");
    let scope = Scope::default();
    c.bench_function("todays_session_10k", |b| {
        b.iter(|| {
            study::todays_session(&store, &scope, today.today(), &Limits::default())
                .unwrap()
                .remaining()
        })
    });
    siblings(c);
    let mut card = 1i64;
    c.bench_function("answer_commit", |b| {
        b.iter(|| {
            // Re-drills after the first pass: the commit path is the same.
            // The card is read first, as the TUI does before showing it.
            let seen = store.card(card).unwrap().unwrap();
            let r = study::answer(
                &mut store,
                &today,
                Seen::Shown(&seen),
                Grade::new(4).unwrap(),
                0,
                false,
            );
            card = card % 10_000 + 1;
            black_box(r.unwrap())
        })
    });
}

/// The sibling rule's cost: 5 000 notes of two cards (a card and its
/// reverse), the first card of every tenth note answered today, so that
/// today's queue has to pass over their reverses; with the rule off, the
/// same queries without that.
fn siblings(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("siblings.db")).unwrap();
    let mut notes = deck(5_000);
    notes.cards = notes
        .cards
        .into_iter()
        .flat_map(|card| {
            let reverse = recall::formats::reversed(&card);
            [card, reverse]
        })
        .collect();
    store.import(&[notes], ImportOptions::default(), 0).unwrap();
    let today = clock("2026-03-01");
    for id in (1..=10_000i64).step_by(20) {
        let seen = store.card(id).unwrap().unwrap();
        let grade = Grade::new(5).unwrap();
        study::answer(&mut store, &today, Seen::Shown(&seen), grade, 0, false).unwrap();
    }
    let scope = Scope::default();
    for (name, bury_siblings) in [
        ("todays_session_siblings_10k", true),
        ("todays_session_siblings_off_10k", false),
    ] {
        let limits = Limits {
            new_per_deck: 200,
            bury_siblings,
            ..Limits::default()
        };
        c.bench_function(name, |b| {
            b.iter(|| {
                study::todays_session(&store, &scope, today.today(), &limits)
                    .unwrap()
                    .remaining()
            })
        });
    }
}

/// The TSV path of `recall import` (ids derived from the fronts, a
/// multi-line quoted back), the cards gathered into one deck.
fn parse_tsv(c: &mut Criterion) {
    let mut text = String::from("#separator:tab\n#html:false\n#columns:Front\tBack\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "Define «la pomme», no. {i}\t\"1. fact {i}, with a comma;\n2. and \"\"quotes\"\"\"\n"
        ));
    }
    bench_tsv(c, "parse_tsv_10k", &text);
}

/// Times parsing `text` as a TSV deck.
fn bench_tsv(c: &mut Criterion, name: &str, text: &str) {
    c.bench_function(name, |b| {
        b.iter(|| {
            delimited::parse("bench.tsv", "bench", text, true)
                .unwrap()
                .decks[0]
                .cards
                .len()
        })
    });
}

/// `#html:true`: the same TSV with Anki's markup in every field, half of
/// it only `<br>` and entities, half of it blocks, a list and an image,
/// so each field goes through the HTML converter.
fn parse_tsv_html(c: &mut Criterion) {
    let mut text = String::from("#separator:tab\n#html:true\n#columns:Front\tBack\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "Define &laquo;la pomme&raquo;, no. {i}\t1. fact {i}, with a comma;<br>2. and &quot;quotes&quot;\n\
             <div>Which engine, no. {i}?</div>\t<div><b>Memcached</b></div><ul><li>multi-threaded</li></ul><img src=\"m{i}.png\">\n"
        ));
    }
    bench_tsv(c, "parse_tsv_html_20k", &text);
}

fn parse_toml(c: &mut Criterion) {
    let mut text = String::from("name = \"Bench\"\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "[[cards]]\nid = \"c{i}\"\nfront = \"Define «la pomme», no. {i}\"\nback = '''1. fact {i}\n2. fact'''\n"
        ));
    }
    c.bench_function("parse_toml_10k", |b| {
        b.iter(|| toml_deck::parse("bench.toml", &text).unwrap().cards.len())
    });
}

criterion_group!(
    benches,
    scheduler,
    queue_and_answer,
    parse_toml,
    parse_tsv,
    parse_tsv_html
);
criterion_main!(benches);
