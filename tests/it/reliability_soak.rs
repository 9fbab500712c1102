//! Soak: thousands of answers in one process keep memory flat. The work
//! runs in a child copy of this test binary, alone, so that the other tests
//! running in parallel threads do not move the resident-set numbers.
//! With the product's settings (WAL, synchronous=NORMAL) an answer plus the
//! card read after it takes about 0.7 ms in a debug build, so 10 000 take
//! some 8 s with the warm-up: 4 000 run by default, 100 000 with
//! RECALL_STRESS=1 (enough to fill SQLite's page cache and show the plateau),
//! any number with RECALL_SOAK_ANSWERS=N.
//!
//! What is asserted is exact, not the resident set (which moves by hundreds
//! of KiB with the allocator's trimming and arenas): the bytes Rust code
//! holds, counted by this binary's global allocator, and the bytes SQLite
//! holds (`sqlite3_memory_used`, its own malloc). The resident set is
//! printed beside them.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

use recall::clock::Clock;
use recall::domain::seen::Seen;
use recall::domain::{CardDraft, DeckDraft, Grade};
use recall::storage::{ImportOptions, Store};
use recall::workflows::study;

use crate::reliability_support::scaled;

const CHILD: &str = "RECALL_SOAK_CHILD";

/// The system allocator, counting the bytes live at any moment.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// The project denies unsafe code; this test-only counter is the exception,
// since no safe API tells the bytes a process holds.
// SAFETY: every call is passed on to `System` unchanged; only a counter is
// updated beside it.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// KiB held by Rust code and by SQLite, exactly.
#[allow(unsafe_code)]
fn held_kib() -> (i64, i64) {
    // SAFETY: a read of SQLite's own counter, valid at any time.
    let sqlite = unsafe { rusqlite::ffi::sqlite3_memory_used() };
    (LIVE.load(Ordering::Relaxed) as i64 / 1024, sqlite / 1024)
}

/// VmRSS and VmHWM of this process, in KiB.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The database's size in KiB, read through a short-lived second connection.
fn db_kib(db: &std::path::Path) -> u64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    let bytes: i64 = conn
        .query_row(
            "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
            [],
            |r| r.get(0),
        )
        .unwrap();
    bytes as u64 / 1024
}

fn soak(answers: usize) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recall.db");
    let mut store = Store::open(&db).unwrap();
    let deck = DeckDraft {
        name: "Soak".into(),
        description: String::new(),
        position: None,
        cards: (0..50)
            .map(|i| CardDraft {
                key: format!("c{i}"),
                front: format!("front {i}"),
                back: "back".into(),
                notes: String::new(),
                tags: vec!["t".into()],
                typed: false,
            })
            .collect(),
    };
    store.import(&[deck], ImportOptions::default(), 0).unwrap();
    let ids: Vec<i64> = (1..=50).collect();
    let clock = Clock::fixed(
        chrono::DateTime::parse_from_rfc3339("2026-03-01T09:00:00+00:00").unwrap(),
        4,
    );
    let grades = [
        Grade::new(5).unwrap(),
        Grade::new(3).unwrap(),
        Grade::new(1).unwrap(),
    ];
    let mut run = |from: usize, to: usize| {
        for i in from..to {
            let card = ids[i % ids.len()];
            // What the CLI and the TUI do: show the card, record the answer to it.
            let seen = store.card(card).unwrap().unwrap();
            study::answer(
                &mut store,
                &clock,
                Seen::Shown(&seen),
                grades[i % 3],
                i as u32,
                false,
            )
            .unwrap();
        }
    };
    // Warm-up: SQLite's page cache (2 MB by default) and the statement cache fill.
    let warm = answers / 5;
    run(0, warm);
    let db_warm = db_kib(&db);
    let (rss_warm, _) = memory_kib();
    let (rust_warm, sqlite_warm) = held_kib();
    let started = Instant::now();
    run(warm, answers);
    let elapsed = started.elapsed();
    let (rss_end, hwm) = memory_kib();
    let (rust_end, sqlite_end) = held_kib();
    let db_growth = db_kib(&db) - db_warm;
    let measured = (answers - warm) as i64;
    let rust_growth = rust_end - rust_warm;
    let sqlite_growth = sqlite_end - sqlite_warm;
    println!(
        "SOAK answers={answers} rss_after_warmup_kib={rss_warm} rss_end_kib={rss_end} \
         hwm_kib={hwm} rust_growth_kib={rust_growth} sqlite_growth_kib={sqlite_growth} \
         db_growth_kib={db_growth} time={elapsed:?}"
    );
    // Rust code keeps nothing per answer: a leak of 20 bytes an answer (64
    // KiB over the 3 200 measured by default) breaks the bound.
    assert!(
        rust_growth * 1024 < 20 * measured,
        "Rust code holds {rust_growth} KiB more after {measured} answers"
    );
    // SQLite keeps the pages it has read, with its headers, up to its 2 MiB
    // cache: it grows with the database file until then, and not after.
    let cache = (db_growth as i64 * 5 / 4).min(2560);
    assert!(
        sqlite_growth <= cache + 128,
        "SQLite holds {sqlite_growth} KiB more after {measured} answers \
         (the database grew by {db_growth} KiB)"
    );
}

#[test]
fn thousands_of_answers_keep_memory_flat() {
    let answers = std::env::var("RECALL_SOAK_ANSWERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| scaled(4_000, 100_000));
    if std::env::var_os(CHILD).is_some() {
        soak(answers);
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "reliability_soak::thousands_of_answers_keep_memory_flat",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        // glibc hands freed heap back to the system and takes it again
        // (trimming), which moves the resident set by a few hundred KiB at
        // random: with trimming off, what is measured is what is kept.
        .env(
            "GLIBC_TUNABLES",
            "glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=0",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // libtest may print the test's name on the same line first.
    let line = stdout
        .lines()
        .find_map(|l| l.find("SOAK ").map(|at| &l[at..]))
        .expect("the soak ran");
    eprintln!("{line}");
}
