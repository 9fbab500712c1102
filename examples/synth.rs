//! Synthetic workload for benchmarks: a deterministic collection of N cards
//! with a year of review history, as files and (optionally) a database.
//!
//! ```sh
//! cargo run --release --example synth -- --cards 100000 --reviews-per-card 10 \
//!     --db /tmp/recall-100k.db --tsv /tmp/cards-100k.tsv --reviews-csv /tmp/reviews-100k.csv
//! ```
//!
//! `--db` builds the collection the way a user would get it: the cards (deck
//! "Synthetic", ids `c0000000`…) are imported, then the review log is merged
//! with `recall import --reviews`, which replays it through SM-2.
//! `--db-without-log` builds the same collection without the history (to
//! time that merge).
//!
//! About 80% of the cards have a history whose last scheduling answer leaves
//! half of them due or overdue on the day given by `--today` (default: the
//! current day, or RECALL_NOW's); the rest are new.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use recall::clock::Clock;
// splitmix64 (recall's own): stable forever, so a seed always gives the same collection.
use recall::domain::rng::SplitMix64 as Rng;
use recall::domain::{CardDraft, Day, DeckDraft, Grade, Limits, Schedule, Scheduler, Sm2};
use recall::storage::{ImportOptions, Store};
use recall::workflows::{Context, import_reviews};

const ITEMS: &[&str] = &[
    "la pomme",
    "déjà vu",
    "smörgåsbord",
    "猫",
    "नई दिल्ली",
    "Straße",
    "crème brûlée",
    "Ωμέγα",
    "👍🏽 emoji",
    "naïve café",
    "東京",
    "Zürich",
    "façade",
    "piñata",
    "Ægir",
    "the \"quoted\" one",
];
const VERBS: &[&str] = &[
    "Define",
    "Explain",
    "Name",
    "Describe",
    "Translate",
    "Compare",
];
const FACTS: &[&str] = &[
    "with a comma, and a semicolon;",
    "in 'single quotes'",
    "with \"double quotes\"",
    "spanning a tab\tcharacter",
    "about 5x faster, 3 AZs, 6 copies",
    "plain words only",
];

struct Args {
    cards: u64,
    reviews_per_card: u64,
    seed: u64,
    today: Option<String>,
    db: Option<PathBuf>,
    db_without_log: Option<PathBuf>,
    tsv: Option<PathBuf>,
    reviews_csv: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        cards: 10_000,
        reviews_per_card: 10,
        seed: 42,
        today: std::env::var("RECALL_NOW").ok(),
        db: None,
        db_without_log: None,
        tsv: None,
        reviews_csv: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--cards" => args.cards = value()?.parse().map_err(|e| format!("--cards: {e}"))?,
            "--reviews-per-card" => {
                args.reviews_per_card = value()?.parse().map_err(|e| format!("{flag}: {e}"))?;
                // A reviewed card has at least one answer (0 panicked).
                if args.reviews_per_card == 0 {
                    return Err(format!("{flag} must be at least 1"));
                }
            }
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--today" => args.today = Some(value()?),
            "--db" => args.db = Some(value()?.into()),
            "--db-without-log" => args.db_without_log = Some(value()?.into()),
            "--tsv" => args.tsv = Some(value()?.into()),
            "--reviews-csv" => args.reviews_csv = Some(value()?.into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

struct SynthCard {
    key: String,
    front: String,
    back: String,
}

fn card(rng: &mut Rng, i: u64) -> SynthCard {
    let item = *rng.pick(ITEMS);
    let lines = 1 + rng.below(4);
    let back = (1..=lines)
        .map(|n| format!("{n}. fact {}, {}", rng.below(1000), *rng.pick(FACTS)))
        .collect::<Vec<_>>()
        .join("\n");
    SynthCard {
        key: format!("c{i:07}"),
        front: format!("{} «{item}», no. {i}", *rng.pick(VERBS)),
        back,
    }
}

/// One logged answer: (day, grade, is_redrill).
type Answer = (i64, u8, bool);

fn grade(rng: &mut Rng) -> u8 {
    match rng.below(100) {
        0..=24 => 5,
        25..=59 => 4,
        60..=79 => 3,
        80..=89 => 2,
        90..=94 => 1,
        _ => 0,
    }
}

/// A review history for one card that ends due (or not) relative to day 0.
fn history(rng: &mut Rng, target_rows: u64, due_today: bool) -> Vec<Answer> {
    // A history ending on a one-day interval (a lapse, or a single answer) is
    // due today whenever its last answer was before today: for a card meant
    // to be not due, draw the grades again (a few times at most).
    for _ in 0..20 {
        let answers = history_once(rng, target_rows, due_today);
        if due_today || answers.len() < 2 || final_interval(&answers) > 1 {
            return answers;
        }
    }
    history_once(rng, target_rows, due_today)
}

/// The interval SM-2 gives after a history's scheduling answers.
fn final_interval(answers: &[Answer]) -> u32 {
    let mut state = Schedule::NEW;
    for &(day, g, redrill) in answers {
        if !redrill {
            state = Sm2.schedule(
                &state,
                Grade::new(g).expect("grade() draws 0..=5"),
                Day(day),
            );
        }
    }
    state.interval
}

fn history_once(rng: &mut Rng, target_rows: u64, due_today: bool) -> Vec<Answer> {
    let grades: Vec<u8> = (0..target_rows).map(|_| grade(rng)).collect();
    // Each grade below 4 adds a re-drill row; keep the rows near the target.
    let mut k = grades.len();
    loop {
        let mut state = Schedule::NEW;
        let mut offsets = Vec::with_capacity(k);
        let mut day = 0i64;
        let mut rows = 0;
        for &g in &grades[..k] {
            offsets.push(day);
            state = Sm2.schedule(
                &state,
                Grade::new(g).expect("grade() draws 0..=5"),
                Day(day),
            );
            day = state.due.expect("SM-2 always schedules a due day").0;
            rows += 1 + u64::from(g < 4);
        }
        let last = *offsets.last().expect("k >= 1: one answer at least");
        let span = day; // due day of the final state, relative to the first answer
        if (span <= 360 && rows <= target_rows + 2) || k == 1 {
            let interval = i64::from(state.interval);
            let first = if due_today {
                -span - rng.below((365 - span).max(1) as u64) as i64
            } else {
                // The last answer lands before today (the collection as it is
                // when today starts), and its due day after it.
                -last - 1 - rng.below((interval - 1).min(364 - last).max(1) as u64) as i64
            };
            let mut out = Vec::with_capacity(rows as usize);
            for (&offset, &g) in offsets.iter().zip(&grades[..k]) {
                out.push((first + offset, g, false));
                if g < 4 {
                    out.push((first + offset, 4 + (rng.below(2) as u8), true));
                }
            }
            return out;
        }
        k -= 1;
    }
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("synth: {e}");
            std::process::exit(2);
        }
    };
    let today = match &args.today {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t).expect("--today: RFC 3339"),
        None => chrono::Local::now().fixed_offset(),
    };
    let mut rng = Rng(args.seed);
    let cards: Vec<SynthCard> = (0..args.cards).map(|i| card(&mut rng, i)).collect();

    if let Some(path) = &args.tsv {
        let mut out = BufWriter::new(std::fs::File::create(path).expect("create --tsv"));
        writeln!(out, "#separator:tab\n#html:false\n#columns:Front\tBack").expect("write --tsv");
        for c in &cards {
            writeln!(out, "{}\t{}", tsv_field(&c.front), tsv_field(&c.back)).expect("write --tsv");
        }
        out.flush().expect("write --tsv");
    }

    // The database needs the log as a file; keep it beside the database if not asked for.
    let reviews_csv = args
        .reviews_csv
        .clone()
        .or_else(|| args.db.as_ref().map(|db| db.with_extension("reviews.csv")));
    let mut reviews_out = reviews_csv.as_ref().map(|path| {
        let mut out = BufWriter::new(std::fs::File::create(path).expect("create --reviews-csv"));
        writeln!(out, "deck,card,reviewed_at,grade,kind,duration_ms").expect("write --reviews-csv");
        out
    });
    let mut total_rows = 0u64;
    for (i, c) in cards.iter().enumerate() {
        if rng.below(100) >= 80 {
            continue; // about 20% stay new
        }
        let due_today = i % 2 == 0;
        for (n, (day, g, redrill)) in history(&mut rng, args.reviews_per_card, due_today)
            .into_iter()
            .enumerate()
        {
            total_rows += 1;
            if let Some(out) = &mut reviews_out {
                let at =
                    today + chrono::Duration::days(day) + chrono::Duration::seconds(n as i64 * 7);
                let kind = if redrill { "redrill" } else { "schedule" };
                writeln!(
                    out,
                    "Synthetic,{},{},{g},{kind},{}",
                    c.key,
                    at.to_rfc3339(),
                    2000 + rng.below(8000)
                )
                .expect("write --reviews-csv");
            }
        }
    }
    if let Some(out) = &mut reviews_out {
        out.flush().expect("write --reviews-csv");
    }
    eprintln!("synth: {} cards, {total_rows} reviews", cards.len());
    drop(reviews_out);

    let builds = [
        (args.db_without_log.as_deref(), None),
        (args.db.as_deref(), reviews_csv.as_deref()),
    ];
    for (db, log) in builds {
        let Some(db) = db else { continue };
        if let Err(e) = build_database(db, log, today, &cards) {
            eprintln!("synth: {}: {e}", db.display());
            std::process::exit(1);
        }
    }
    if let (None, Some(log)) = (&args.reviews_csv, &reviews_csv) {
        let _ = std::fs::remove_file(log);
    }
}

fn build_database(
    db: &std::path::Path,
    log: Option<&std::path::Path>,
    today: chrono::DateTime<chrono::FixedOffset>,
    cards: &[SynthCard],
) -> recall::error::Result<()> {
    let deck = DeckDraft {
        name: "Synthetic".into(),
        description: "Generated by examples/synth.rs".into(),
        position: None,
        cards: cards
            .iter()
            .map(|c| CardDraft {
                key: c.key.clone(),
                front: c.front.clone(),
                back: c.back.clone(),
                notes: String::new(),
                tags: vec!["synthetic".into()],
                typed: false,
            })
            .collect(),
    };
    let now_ms = today.timestamp_millis();
    let mut ctx = Context {
        store: Store::open(db)?,
        clock: Clock::fixed(today, 4),
        limits: Limits::default(),
        ui: Default::default(),
        typed: Default::default(),
        notice: None,
    };
    recall::bundled::install(&mut ctx.store, now_ms)?;
    ctx.store
        .import(&[deck], ImportOptions::default(), now_ms)?;
    match log {
        Some(log) => import_reviews::merge_file(&mut ctx, log).map(drop),
        None => Ok(()),
    }
}

/// Anki's text format: quote a field that holds a tab, newline or quote.
fn tsv_field(text: &str) -> String {
    if text.contains(['\t', '\n', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
