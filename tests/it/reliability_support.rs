//! Shared by the reliability tests: how long to run (RECALL_STRESS=1 for the
//! long runs), a seeded random source, and looks into the database file.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use recall::domain::rng::SplitMix64;

use crate::common::Env;

/// `short` normally, `long` with RECALL_STRESS=1.
pub fn scaled(short: usize, long: usize) -> usize {
    if std::env::var("RECALL_STRESS").is_ok_and(|v| v == "1") {
        long
    } else {
        short
    }
}

/// The seed when RECALL_SEED is not set: fixed, so that every run draws the
/// same numbers and a failure seen once is seen again (it was the clock, and
/// a failure then depended on the nanosecond the test started).
const DEFAULT_SEED: u64 = 0x5eed_0016;

/// A small deterministic random source (SplitMix64), seeded by RECALL_SEED
/// or `DEFAULT_SEED`. The seed is printed (the harness shows it with a
/// failing test's output), so a failure can be replayed with RECALL_SEED.
pub struct Rng(SplitMix64);

impl Rng {
    pub fn new(test: &str) -> Rng {
        let seed = seed_from(std::env::var("RECALL_SEED").ok().as_deref());
        eprintln!("{test}: seed {seed}; RECALL_SEED={seed} replays this run");
        Rng(SplitMix64(seed))
    }

    pub fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A duration in `0..max`.
    pub fn below(&mut self, max: Duration) -> Duration {
        let micros = max.as_micros().max(1) as u64;
        Duration::from_micros(self.next() % micros)
    }
}

/// RECALL_SEED's value, or the default without one. A value that is not a
/// number stops the test rather than quietly running with another seed.
fn seed_from(var: Option<&str>) -> u64 {
    match var.map(str::trim) {
        None | Some("") => DEFAULT_SEED,
        Some(s) => s
            .parse()
            .unwrap_or_else(|e| panic!("RECALL_SEED={s:?} is not a seed (a u64): {e}")),
    }
}

#[test]
fn the_seed_is_fixed_unless_recall_seed_sets_it() {
    assert_eq!(seed_from(None), DEFAULT_SEED);
    assert_eq!(seed_from(Some("")), DEFAULT_SEED);
    assert_eq!(seed_from(Some(" 42 ")), 42);
    let draws = |seed| {
        let mut rng = Rng(SplitMix64(seed));
        [rng.next(), rng.next(), rng.next()]
    };
    assert_eq!(draws(42), draws(42));
    assert_ne!(draws(42), draws(43));
    let refused = std::panic::catch_unwind(|| seed_from(Some("clock")));
    assert!(refused.is_err());
}

/// The real binary with this env's database and clock, as a std Command
/// (for spawning and killing, which assert_cmd does not do).
pub fn recall(env: &Env, now: &str) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("recall"));
    cmd.env("RECALL_DB", &env.db)
        .env("RECALL_NOW", now)
        .env_remove("RECALL_NEW_LIMIT")
        .env_remove("RECALL_REVIEW_LIMIT")
        .env_remove("RECALL_DAY_STARTS_AT")
        .env_remove("RECALL_KEEP_BACKUPS")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Waits for `child` until `deadline` and SIGKILLs it then. True when it
/// exited successfully on its own (its work was acknowledged).
pub fn finish_or_kill(child: &mut Child, deadline: std::time::Instant) -> (bool, bool) {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.success(), false);
        }
        if std::time::Instant::now() >= deadline {
            // SIGKILL on Unix: no destructor, no handler, no flush runs.
            let _ = child.kill();
            let status = child.wait().unwrap();
            return (status.success(), true);
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Opens the database as the next recall would (recovering the WAL).
/// Everything a (finished or killed) child wrote to its piped stderr.
pub fn stderr_of(child: &mut Child) -> String {
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        std::io::Read::read_to_string(&mut pipe, &mut stderr).unwrap();
    }
    stderr
}

pub fn open(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn
}

pub fn integrity(db: &Path) -> String {
    open(db)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

pub fn count(db: &Path, sql: &str) -> i64 {
    open(db).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A deck file of `cards` cards named `name`, one field padded to `pad` bytes.
pub fn deck_text(name: &str, cards: usize, pad: usize) -> String {
    let mut text = format!("name = \"{name}\"\n");
    let filler = "x".repeat(pad);
    for i in 0..cards {
        text.push_str(&format!(
            "\n[[cards]]\nid = \"c{i}\"\nfront = \"Question {i}\"\nback = \"Answer {i} {filler}\"\n"
        ));
    }
    text
}

/// Imports `text` as a deck file, which must succeed, and returns the
/// database ids of its cards.
pub fn import_deck(env: &Env, now: &str, name: &str, text: &str) -> Vec<i64> {
    let file = env.file(&format!("{name}.toml"), text);
    env.at(now).arg("import").arg(&file).assert().success();
    let conn = open(&env.db);
    let mut stmt = conn
        .prepare("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id WHERE d.name = ?1 ORDER BY c.id")
        .unwrap();
    stmt.query_map([name], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Stored answers by their `duration_ms` tag: (tag, how many rows).
pub fn answers_by_tag(db: &Path) -> std::collections::HashMap<i64, i64> {
    let conn = open(db);
    let mut stmt = conn
        .prepare("SELECT duration_ms, COUNT(*) FROM reviews GROUP BY duration_ms")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Stored answers by `card_tag(study day, card)`, for answers given in the
/// TUI (where `duration_ms` is measured, not chosen): (tag, how many rows).
pub fn answers_by_card_and_day(db: &Path) -> std::collections::HashMap<i64, i64> {
    let conn = open(db);
    let mut stmt = conn
        .prepare(
            "SELECT r.day * 100000 + CAST(substr(c.key, 2) AS INTEGER), COUNT(*)
             FROM reviews r JOIN cards c ON c.id = r.card_id GROUP BY 1",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The tag of the answer to card `c{card}` of a `deck_text` deck given on
/// `common::day(n)`; each card is answered once a day when graded 5.
pub fn card_tag(n: i64, card: usize) -> i64 {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap() + chrono::Duration::days(n);
    recall::domain::Day::from_date(date).0 * 100_000 + card as i64
}

/// What a TUI session over a `deck_text` deck shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Card(usize),
    Done,
    Other,
}

pub fn shown(screen: &str) -> Shown {
    if screen.contains("session complete") || screen.contains("Nothing is due today") {
        return Shown::Done;
    }
    let Some(at) = screen.find("Question ") else {
        return Shown::Other;
    };
    let digits: String = screen[at + "Question ".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().map_or(Shown::Other, Shown::Card)
}

/// Studies a `deck_text` deck in a TUI session on `common::day(n)`, grading
/// every card 5. An answer counts as acknowledged once another card, or the
/// end of the session, is on screen (the TUI commits before it draws).
pub struct Student {
    pub tui: crate::pty::Tui,
    n: i64,
    /// The card whose grade was sent and not yet acknowledged.
    pub pending: Option<usize>,
    last: String,
    pub acked: Vec<i64>,
}

impl Student {
    pub fn start(env: &Env, n: i64, deck: &str) -> Student {
        let now = crate::common::day(n);
        Student {
            tui: crate::pty::Tui::start(env, &now, &["review", "--deck", deck]),
            n,
            pending: None,
            last: String::new(),
            acked: Vec::new(),
        }
    }

    /// One look at the screen, and the next keys when it is settled (the
    /// same on two looks, so a half-drawn frame is never read). False once
    /// the session has ended with every answer acknowledged.
    pub fn step(&mut self) -> bool {
        let screen = self.tui.text();
        let now = shown(&screen);
        assert!(
            !screen.contains("locked") && !screen.contains("busy"),
            "{screen}"
        );
        if let Some(card) = self.pending {
            if now == Shown::Done || matches!(now, Shown::Card(c) if c != card) {
                self.acked.push(card_tag(self.n, card));
                self.pending = None;
            }
        } else if screen == self.last {
            match now {
                Shown::Card(card) => {
                    self.tui.keys(" 5");
                    self.pending = Some(card);
                }
                Shown::Done => return false,
                Shown::Other => {}
            }
        }
        self.last = screen;
        std::thread::sleep(Duration::from_millis(3));
        true
    }

    /// The tag of the answer sent but not acknowledged, if any.
    pub fn in_flight(&self) -> Option<i64> {
        self.pending.map(|card| card_tag(self.n, card))
    }
}

/// Imports the deck `text` (named "geo"), saves a backup of it as
/// `old.db`, then answers card `key` with `grade`: the answer a restore of
/// that backup takes back. Returns the backup's path.
pub fn geo_backed_up_then_answered(env: &Env, text: &str, key: &str, grade: &str) -> PathBuf {
    let deck = env.file("geo.toml", text);
    env.at(&crate::common::day(0))
        .arg("import")
        .arg(&deck)
        .assert()
        .success();
    let old = env.dir.path().join("old.db");
    env.at(&crate::common::day(0))
        .args(["backup", "--output"])
        .arg(&old)
        .assert()
        .success();
    env.at(&crate::common::day(0))
        .args(["answer", "--deck", "geo", key, grade])
        .assert()
        .success();
    old
}

/// How many answers the log at `db` holds.
pub fn reviews(db: &Path) -> i64 {
    count(db, "SELECT COUNT(*) FROM reviews")
}

/// `recall answer CARD 4`, which must succeed.
pub fn answer_4(env: &Env, now: &str, card: i64) {
    env.at(now)
        .args(["answer", &card.to_string(), "4"])
        .assert()
        .success();
}
