//! Crash safety: the real binary SIGKILLed at random moments. After every
//! kill the database passes `PRAGMA integrity_check`, every acknowledged
//! answer is stored exactly once, and an import is wholly there or absent.
//! 20 kills each by default; RECALL_STRESS=1 runs hundreds.
//!
//! The TUI runs in a pseudo-terminal; an answer there is acknowledged when
//! the next card is drawn (10 kills by default, 150 under RECALL_STRESS=1).

use std::collections::HashMap;
use std::time::Instant;

use crate::common::{Env, day};
use crate::reliability_support::{
    Rng, Student, answers_by_card_and_day, answers_by_tag, count, deck_text, finish_or_kill,
    import_deck, integrity, recall, scaled, stderr_of,
};

/// Every acknowledged tag stored once; the one killed mid-way at most once;
/// nothing else.
pub fn assert_answers_intact(env: &Env, acked: &[i64], maybe: &[i64]) {
    assert_stored_once(env, answers_by_tag(&env.db), acked, maybe);
}

/// `stored` (tag → rows) holds every acknowledged tag once, every `maybe`
/// tag at most once, and nothing else; the database passes its check.
pub fn assert_stored_once(env: &Env, mut stored: HashMap<i64, i64>, acked: &[i64], maybe: &[i64]) {
    assert_eq!(integrity(&env.db), "ok");
    for tag in acked {
        assert_eq!(
            stored.remove(tag),
            Some(1),
            "acknowledged answer {tag} must be stored exactly once"
        );
    }
    for tag in maybe {
        let n = stored.remove(tag).unwrap_or(0);
        assert!(n <= 1, "answer {tag}, killed mid-way, stored {n} times");
    }
    assert!(stored.is_empty(), "answers nobody gave: {stored:?}");
}

#[test]
fn answers_survive_sigkill_at_random_moments() {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "Crash", &deck_text("Crash", 5, 0));
    let mut rng = Rng::new("answers_survive_sigkill");
    // One answer's time here (with the day's backup), to aim the kills.
    let started = Instant::now();
    recall(&env, &day(0))
        .args(["answer", &cards[0].to_string(), "4", "--duration-ms", "0"])
        .status()
        .unwrap();
    let one = started.elapsed();
    let (mut acked, mut maybe) = (vec![0], Vec::new());
    let mut tag = 0i64;
    for round in 0..scaled(20, 300) {
        // A new study day every round, so kills also land in the day's backup.
        let now = day(round as i64 + 1);
        let deadline = Instant::now() + rng.below(one * 4);
        loop {
            tag += 1;
            let card = cards[(tag as usize) % cards.len()];
            let mut child = recall(&env, &now)
                .args(["answer", &card.to_string(), "4", "--duration-ms"])
                .arg(tag.to_string())
                .spawn()
                .unwrap();
            let (ok, killed) = finish_or_kill(&mut child, deadline);
            if killed {
                // Killed after its commit but before exiting counts as "maybe".
                if ok { &mut acked } else { &mut maybe }.push(tag);
                break;
            }
            let stderr = stderr_of(&mut child);
            assert!(ok, "answer {tag} failed: {stderr}");
            acked.push(tag);
        }
        assert_answers_intact(&env, &acked, &maybe);
    }
    assert!(
        !maybe.is_empty(),
        "no kill landed inside an answer: the test did not test"
    );
}

#[test]
fn an_import_killed_mid_way_is_wholly_present_or_absent() {
    let cards = scaled(1500, 5_000);
    let body = deck_text("BODY", cards, 40);
    imports_killed_mid_way("an_import_killed_mid_way", cards, |env, name| {
        env.file("big.toml", body.replace("BODY", name))
    });
}

/// The bulk path: a file over a megabyte, written while it is parsed,
/// with a rollback journal and the card indexes dropped and rebuilt.
#[test]
fn a_large_import_killed_mid_way_is_wholly_present_or_absent() {
    let cards = 12_000;
    let mut body = String::from("#separator:tab\n#columns:Front\tBack\n");
    for i in 0..cards {
        body.push_str(&format!(
            "Question {i} of a large deck, with some words to fill it\t\"Answer {i}, a longer one\nsecond line {i}\"\n"
        ));
    }
    assert!(body.len() > 1 << 20);
    imports_killed_mid_way("a_large_import_killed_mid_way", cards, |env, name| {
        env.file(&format!("{name}.tsv"), &body)
    });
}

/// Imports `file_for(env, deck name)` (a deck of `cards` cards) again and
/// again, SIGKILLed at random moments: every import is whole or absent.
fn imports_killed_mid_way(
    seed: &str,
    cards: usize,
    file_for: impl Fn(&Env, &str) -> std::path::PathBuf,
) {
    let env = Env::new();
    // How long one import takes here, so that kills spread over all of it.
    let started = Instant::now();
    let warmup = file_for(&env, "Warmup");
    env.at(&day(0))
        .arg("import")
        .arg(&warmup)
        .assert()
        .success();
    let full = started.elapsed();

    let mut rng = Rng::new(seed);
    let mut outcomes = (0, 0);
    let mut window = full + full / 5;
    let rounds = scaled(20, 100);
    for round in 0..rounds {
        let name = format!("Big{round}");
        let file = file_for(&env, &name);
        let mut child = recall(&env, &day(0))
            .arg("import")
            .arg(&file)
            .spawn()
            .unwrap();
        let deadline = Instant::now() + rng.below(window);
        let (ok, _) = finish_or_kill(&mut child, deadline);
        // The machine's speed drifts (other work, caches): narrow the window
        // after an import that finished, widen it after one that was cut,
        // so kills keep landing inside imports.
        window = if ok { window * 2 / 3 } else { window * 5 / 4 };
        assert_eq!(integrity(&env.db), "ok", "after round {round}");
        let stored = count(
            &env.db,
            &format!(
                "SELECT COUNT(*) FROM cards c JOIN decks d ON d.id = c.deck_id WHERE d.name = '{name}'"
            ),
        );
        let decks = count(
            &env.db,
            &format!("SELECT COUNT(*) FROM decks WHERE name = '{name}'"),
        );
        if ok {
            assert_eq!((decks, stored), (1, cards as i64), "{name} acknowledged");
            outcomes.0 += 1;
        } else {
            assert!(
                (decks, stored) == (0, 0) || (decks, stored) == (1, cards as i64),
                "{name}: {decks} deck(s), {stored} of {cards} cards: a partial import"
            );
            outcomes.1 += u32::from(decks == 0);
        }
    }
    // Every earlier deck is still whole.
    let total = count(
        &env.db,
        "SELECT COUNT(*) FROM cards c JOIN decks d ON d.id = c.deck_id WHERE d.name LIKE 'Big%'",
    );
    assert_eq!(total % cards as i64, 0);
    eprintln!(
        "import kills: {} completed, {} rolled back of {rounds}",
        outcomes.0, outcomes.1
    );
    assert!(
        outcomes.1 > 0,
        "no kill landed inside an import: the test did not test"
    );
    // A kill during a bulk import leaves a rollback journal behind; the
    // next open rolls it back and puts the database back in WAL mode.
    env.at(&day(0)).arg("decks").assert().success();
    let mode: String = crate::reliability_support::open(&env.db)
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn tui_answers_survive_sigkill_at_random_moments() {
    let env = Env::new();
    // Enough cards for 20 new ones every study day of the run.
    let cards = scaled(120, 1600);
    import_deck(&env, &day(0), "Crash", &deck_text("Crash", cards, 0));
    let mut rng = Rng::new("tui_answers_survive_sigkill");
    // An undisturbed sitting first, to time the start and one answer.
    let started = Instant::now();
    let mut student = Student::start(&env, 0, "Crash");
    let mut first = None;
    while student.acked.len() < 4 {
        assert!(student.step());
        if first.is_none() && student.pending.is_some() {
            first = Some(started.elapsed());
        }
    }
    let startup = first.unwrap();
    let answer = (started.elapsed() - startup) / 4;
    student.tui.keys("q");
    assert_eq!(student.tui.exit_code(), 0);
    let (mut acked, mut maybe) = (student.acked, Vec::new());

    let mut in_flight = 0;
    for round in 0..scaled(10, 150) {
        // Two sittings a day: the second resumes the first's killed session.
        let mut student = Student::start(&env, round as i64 / 2 + 1, "Crash");
        if round % 2 == 0 {
            // Anywhere from the start-up to the first few answers.
            let deadline = Instant::now() + rng.below(startup + answer * 6);
            while Instant::now() < deadline && student.step() {}
        } else {
            // Within one answer's time of the grade key of answer k.
            // (On a loaded machine the first sitting can finish the day's
            // cards; then this sitting has nothing in flight to kill.)
            let k = (rng.next() % 4) as usize;
            let mut open = true;
            while open && !(student.acked.len() == k && student.pending.is_some()) {
                open = student.step();
            }
            if open {
                std::thread::sleep(rng.below(answer));
            }
        }
        student.tui.kill();
        acked.extend(&student.acked);
        if let Some(tag) = student.in_flight() {
            maybe.push(tag);
            in_flight += 1;
        }
        assert_stored_once(&env, answers_by_card_and_day(&env.db), &acked, &maybe);
    }
    eprintln!(
        "tui kills: {} answers acknowledged, {in_flight} kills with one in flight",
        acked.len()
    );
    assert!(
        in_flight > 0,
        "no kill landed while an answer was in flight: the test did not test"
    );
}
