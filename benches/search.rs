//! Card search at 100 000 cards: the first page (50 rows) of the queries
//! `recall cards` and the browser run, on a generated collection of 20
//! decks whose text has an English-like spread of common and rare words.
//! The target: each well under 50 ms.
//!
//! `cargo bench --bench search` (criterion; reports in target/criterion).

// A benchmark is test code: a panic is a failed run, not a user's error.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Instant;

use chrono::DateTime;
use criterion::{Criterion, criterion_group, criterion_main};
use recall::clock::Clock;
use recall::domain::query::parse;
use recall::domain::rng::SplitMix64;
use recall::domain::{CardDraft, DeckDraft, Grade};
use recall::storage::{CardAction, ImportOptions, Store};
use recall::workflows::study;

const CARDS: usize = 100_000;
const DECKS: usize = 20;

/// splitmix64 (recall's own): the same collection on every run.
struct Rng(SplitMix64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A word index with a Zipf-like skew: a few words are everywhere
    /// ("the"), most are rare, as in real text.
    fn word(&mut self, vocabulary: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((vocabulary as f64) * u.powi(4)) as usize
    }
}

/// 5 000 pronounceable words from syllables.
fn vocabulary() -> Vec<String> {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ber", "con", "dis", "ex", "for", "gra",
        "hy", "in", "jo", "pre", "qua", "re", "sub", "tion", "ul", "zy",
    ];
    let mut rng = Rng(SplitMix64(7));
    (0..5_000)
        .map(|_| {
            let n = 1 + rng.next() % 4;
            (0..n)
                .map(|_| SYLLABLES[(rng.next() % 24) as usize])
                .collect()
        })
        .collect()
}

fn sentence(rng: &mut Rng, words: &[String], n: usize) -> String {
    (0..n)
        .map(|_| words[rng.word(words.len())].as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn collection() -> (tempfile::TempDir, Store) {
    let words = vocabulary();
    let mut rng = Rng(SplitMix64(42));
    let decks: Vec<DeckDraft> = (0..DECKS)
        .map(|d| DeckDraft {
            name: format!("Bench · Deck {d:02}"),
            description: String::new(),
            position: None,
            cards: (0..CARDS / DECKS)
                .map(|i| CardDraft {
                    key: format!("c{i:06}"),
                    front: format!("{}? (no. {d}-{i})", sentence(&mut rng, &words, 10)),
                    back: sentence(&mut rng, &words, 30),
                    notes: String::new(),
                    tags: vec![format!("t{}", i % 7)],
                    typed: false,
                })
                .collect(),
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("search.db")).unwrap();
    let started = Instant::now();
    store.import(&decks, ImportOptions::default(), 0).unwrap();
    eprintln!("import of {CARDS} cards: {:?}", started.elapsed());
    let clock = Clock::fixed(
        DateTime::parse_from_rfc3339("2026-02-20T09:00:00+00:00").unwrap(),
        4,
    );
    // Every 20th card answered (due in 1-6 days, some lapsed), every 50th suspended.
    for id in (1..=CARDS as i64).step_by(20) {
        let grade = Grade::new((id % 6) as u8).unwrap();
        let seen = store.card(id).unwrap().unwrap();
        study::answer(
            &mut store,
            &clock,
            recall::domain::seen::Seen::Shown(&seen),
            grade,
            0,
            false,
        )
        .unwrap();
    }
    let suspended: Vec<i64> = (1..=CARDS as i64).step_by(50).collect();
    store
        .apply_to_cards(&suspended, CardAction::Suspend, clock.today())
        .unwrap();
    // The first text search indexes the imported cards' text, once.
    let started = Instant::now();
    store
        .search_page(&parse("zzqxv").unwrap(), clock.today(), 0, 50)
        .unwrap();
    eprintln!(
        "first text search, indexing {CARDS} cards: {:?}",
        started.elapsed()
    );
    (dir, store)
}

fn first_page(c: &mut Criterion) {
    let (_dir, store) = collection();
    let words = vocabulary();
    let today = Clock::fixed(
        DateTime::parse_from_rfc3339("2026-03-01T09:00:00+00:00").unwrap(),
        4,
    )
    .today();
    let queries = [
        ("all", String::new()),
        ("common_word", words[0].clone()),
        ("mid_word", words[300].clone()),
        ("rare_word", words[4_999].clone()),
        ("missing_word", "zzqxv".to_string()),
        ("unique_number", "\"no. 19-4999\"".to_string()),
        ("short_text", "ka".to_string()),
        ("is_suspended", "is:suspended".to_string()),
        ("deck_due_week", "deck:bench::deck*9 due:<7".to_string()),
        ("tag_lapses", "tag:t3 lapses:>0".to_string()),
        (
            "or_negation",
            format!("({} OR {}) -is:new", words[10], words[20]),
        ),
    ];
    for (name, query) in &queries {
        let parsed = parse(query).unwrap();
        c.bench_function(&format!("search_first_page_100k/{name}"), |b| {
            b.iter(|| black_box(store.search_page(&parsed, today, 0, 50).unwrap().rows.len()))
        });
    }
}

/// The TUI's browser at 100 000 cards: opening it (two pages of rows and
/// the first card's history), one keystroke of a query (a new search), and
/// End (counting the matches, then the rows at the end).
fn browser(c: &mut Criterion) {
    use recall::tui::browser::Browser;
    let (_dir, store) = collection();
    let words = vocabulary();
    let today = Clock::fixed(
        DateTime::parse_from_rfc3339("2026-03-01T09:00:00+00:00").unwrap(),
        4,
    )
    .today();
    c.bench_function("browser_100k/open", |b| {
        b.iter(|| black_box(Browser::open(&store, today).unwrap().rows.len()))
    });
    let mut open = Browser::open(&store, today).unwrap();
    let word = words[300].clone();
    c.bench_function("browser_100k/keystroke", |b| {
        b.iter(|| {
            open.set_query(&store, today, word.clone()).unwrap();
            black_box(open.rows.len())
        })
    });
    c.bench_function("browser_100k/end", |b| {
        b.iter(|| {
            let mut browser = Browser::open(&store, today).unwrap();
            browser.last(&store, today).unwrap();
            black_box(browser.cursor)
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = first_page, browser
}
criterion_main!(benches);
