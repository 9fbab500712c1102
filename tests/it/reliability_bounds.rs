//! Bounded input: special files are refused before they are opened (a
//! FIFO never blocks), garbage is refused at its first piece, an Anki
//! package is read with limits and caps, a collection carrying SQL of its
//! own is refused naming it, and a killed import leaves nothing in the
//! temporary folder. Memory is measured, not guessed: the peak resident
//! set of a `recall` child, from `getrusage(RUSAGE_CHILDREN)` in a copy of
//! this test binary that runs nothing else.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Env, day};
use crate::reliability_support::{Rng, finish_or_kill, recall, scaled, stderr_of};

const PROBE: &str = "RECALL_BOUNDS_PROBE";

/// A package of `notes` one-card Basic notes (Anki 2.0's layout), the
/// collection as `sql` leaves it after the tables are made.
fn package(notes: usize, sql: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("collection.anki2");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    let models = r#"{"1": {"name": "Basic", "type": 0, "flds": [{"name": "Front"}, {"name": "Back"}],
        "tmpls": [{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}]}}"#;
    conn.execute_batch(
        "CREATE TABLE col (id INTEGER PRIMARY KEY, crt INTEGER, ver INTEGER, models TEXT, decks TEXT);
         CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, tags TEXT, flds TEXT);
         CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, ord INTEGER,
             type INTEGER, queue INTEGER, due INTEGER, ivl INTEGER, factor INTEGER, reps INTEGER,
             lapses INTEGER, odid INTEGER, odue INTEGER);",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute(
        "INSERT INTO col VALUES (1, 1600000000, 11, ?1, '{\"1\": {\"name\": \"T\"}}')",
        [models],
    )
    .unwrap();
    {
        let mut note = tx
            .prepare(
                "INSERT INTO notes VALUES (?1, 'g' || ?1, 1, '', 'q' || ?1 || char(31) || 'a')",
            )
            .unwrap();
        let mut card = tx
            .prepare("INSERT INTO cards VALUES (?1, ?1, 1, 0, 0, 0, ?1, 0, 0, 0, 0, 0, 0)")
            .unwrap();
        for n in 1..=notes as i64 {
            note.execute([n]).unwrap();
            card.execute([n]).unwrap();
        }
    }
    tx.execute_batch(sql).unwrap();
    tx.commit().unwrap();
    drop(conn);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("collection.anki2", stored).unwrap();
    zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// `recall ARGS` in a child copy of this binary that runs only it: its
/// exit code, output (stdout and stderr) and peak resident set in KiB.
fn measured(env: &Env, args: &[&str]) -> (i32, String, i64) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "reliability_bounds::hostile_inputs_stay_in_bounded_memory",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PROBE, serde_json::to_string(args).unwrap())
        .env("RECALL_DB", &env.db)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.find("PROBE ").map(|at| &l[at + 6..]))
        .unwrap_or_else(|| panic!("the probe ran: {stdout}"));
    let (numbers, stderr) = line.split_once(' ').unwrap();
    let (code, peak) = numbers.split_once(',').unwrap();
    let stderr: String = serde_json::from_str(stderr).unwrap();
    (code.parse().unwrap(), stderr, peak.parse().unwrap())
}

/// The probe side of `measured`: runs recall once, prints what it did.
fn probe(args: &str) {
    let args: Vec<String> = serde_json::from_str(args).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin!("recall"))
        .args(&args)
        .env("RECALL_NOW", day(0))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let usage =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).unwrap();
    // `check` reports on stdout, the others on stderr: both are kept.
    let said = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    let stderr = serde_json::to_string(&said).unwrap();
    println!(
        "PROBE {},{} {stderr}",
        out.status.code().unwrap_or(-1),
        usage.max_rss()
    );
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn hostile_inputs_stay_in_bounded_memory() {
    if let Ok(args) = std::env::var(PROBE) {
        probe(&args);
        return;
    }
    let env = Env::new();
    // 64 MiB of zeros: read whole, it alone would be 64 MiB resident.
    let zeros = env.dir.path().join("zeros.csv");
    std::fs::File::create(&zeros)
        .unwrap()
        .set_len(64 << 20)
        .unwrap();
    let zeros = path_str(&zeros);
    let (baseline_code, _, baseline) = measured(&env, &["decks"]);
    assert_eq!(baseline_code, 0);
    for (args, expected) in [
        (
            vec!["import", zeros],
            ":1:1: binary data (a NUL byte), not a text deck",
        ),
        (
            vec!["check", zeros],
            ":1:1: binary data (a NUL byte), not a text deck",
        ),
        (
            vec!["import", "--reviews", zeros],
            ":1:1: binary data (a NUL byte at byte 1), not a review log",
        ),
    ] {
        let (code, stderr, peak) = measured(&env, &args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        eprintln!("BOUNDS {args:?}: peak {peak} KiB (recall decks: {baseline} KiB)");
        assert!(
            peak < baseline + 16 * 1024,
            "{args:?} peaked at {peak} KiB, recall decks at {baseline} KiB"
        );
    }
    // Over the cap of 300 000 notes: refused by count, before a note is
    // read. Read, they would take some 200 MiB.
    let over = env.file("over.apkg", package(310_000, ""));
    let (code, stderr, peak) = measured(&env, &["import", path_str(&over)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("the collection has 310000 notes, over the limit of 300000"),
        "{stderr}"
    );
    eprintln!("BOUNDS 310 000 notes refused: peak {peak} KiB");
    assert!(peak < baseline + 32 * 1024, "peaked at {peak} KiB");
    // Under the cap, memory grows with the cards: measured at two sizes,
    // the growth per card times the cap stays under 300 MiB.
    let mut peaks = Vec::new();
    for notes in [2_000, 20_000] {
        let env = Env::new();
        let file = env.file("deck.apkg", package(notes, ""));
        let (code, stderr, peak) = measured(&env, &["import", path_str(&file)]);
        assert_eq!(code, 0, "{stderr}");
        peaks.push(peak);
    }
    let per_card = (peaks[1] - peaks[0]) as f64 * 1024.0 / 18_000.0;
    let at_cap = peaks[0] as f64 / 1024.0 + per_card * 300_000.0 / (1 << 20) as f64;
    eprintln!(
        "BOUNDS import peaks {peaks:?} KiB at 2 000 and 20 000 cards: {per_card:.0} bytes a \
         card, {at_cap:.0} MiB at the cap"
    );
    assert!(
        at_cap < 300.0,
        "{per_card:.0} bytes a card: {at_cap:.0} MiB at the cap"
    );
}

/// A review log is read in pieces, so it may pass a deck file's 256 MiB
/// (a million cards' history is 465 MiB): 300 MiB is read (and refused at
/// its first NUL byte), 1 GiB and a byte is refused by size, unread.
#[test]
fn a_review_log_may_pass_a_deck_files_bound_but_not_its_own() {
    let env = Env::new();
    for (mib, extra, expected) in [
        (
            300,
            0,
            "big.csv:1:1: binary data (a NUL byte at byte 1), not a review log",
        ),
        (
            1024,
            1,
            "1073741825 bytes is over the limit of 1073741824 for a review log",
        ),
    ] {
        let log = env.dir.path().join("big.csv");
        // Sparse: no disk is used, and reading it gives zeros.
        let file = std::fs::File::create(&log).unwrap();
        file.set_len((mib << 20) + extra).unwrap();
        let out = recall(&env, &day(0))
            .args(["import", "--reviews"])
            .arg(&log)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{mib} MiB: {stderr}");
    }
}

#[test]
fn special_files_are_refused_as_inputs_without_blocking() {
    let env = Env::new();
    let fifo = env.dir.path().join("deck.md");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let log = env.dir.path().join("log.csv");
    assert!(Command::new("mkfifo").arg(&log).status().unwrap().success());
    let dir = env.dir.path().join("folder.csv");
    std::fs::create_dir(&dir).unwrap();
    let (fifo, log, dir) = (path_str(&fifo), path_str(&log), path_str(&dir));
    for (args, expected) in [
        (
            vec!["import", fifo],
            "deck.md: is a FIFO (named pipe), not a deck file",
        ),
        (
            vec!["check", fifo],
            "deck.md: is a FIFO (named pipe), not a deck file",
        ),
        (
            vec!["import", "--reviews", log],
            "log.csv: is a FIFO (named pipe), not a review log",
        ),
        (
            vec!["import", "/dev/zero"],
            "/dev/zero: is a character device, not a deck file",
        ),
        (
            vec!["check", "/dev/urandom"],
            "/dev/urandom: is a character device, not a deck file",
        ),
        (
            vec!["import", "--reviews", "/dev/zero"],
            "/dev/zero: is a character device, not a review log",
        ),
        (
            vec!["import", dir],
            "folder.csv: is a directory, not a deck file",
        ),
    ] {
        let mut child = recall(&env, &day(0))
            .args(&args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let (ok, killed) = finish_or_kill(&mut child, Instant::now() + Duration::from_secs(20));
        assert!(!killed, "{args:?} blocked");
        assert!(!ok, "{args:?} succeeded");
        let mut out = stderr_of(&mut child);
        if let Some(mut stdout) = child.stdout.take() {
            std::io::Read::read_to_string(&mut stdout, &mut out).unwrap();
        }
        assert!(out.contains(expected), "{args:?}: {out}");
    }
    assert!(!env.db.exists() || crate::reliability_support::integrity(&env.db) == "ok");
}

#[test]
fn a_markdown_deck_with_an_unclosed_fence_is_refused_at_the_fence() {
    let env = Env::new();
    let deck = env.file(
        "fence.md",
        "# Fence\n---\nQ: one\nA: shown as\n```\ncode\n---\nQ: two\nA: lost\n",
    );
    env.at(&day(0)).arg("decks").assert().success();
    let before = env.db_bytes();
    for command in ["check", "import"] {
        let out = env.at(&day(0)).arg(command).arg(&deck).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{command}");
        let all = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert!(
            all.contains("fence.md:5:1: a code fence (```) opens here and is never closed"),
            "{command}: {all}"
        );
    }
    assert!(
        env.db_bytes() == before,
        "the refused import changed the database"
    );
}

#[test]
fn a_package_whose_collection_carries_sql_is_refused_naming_it() {
    let env = Env::new();
    let cases = [
        (
            "DROP TABLE notes; CREATE TABLE n (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, \
             tags TEXT, flds TEXT); CREATE VIEW notes AS SELECT * FROM n;",
            "the collection has a view \"notes\"",
        ),
        (
            "CREATE TRIGGER t AFTER UPDATE ON cards BEGIN DELETE FROM notes; END;",
            "the collection has a trigger \"t\"",
        ),
        (
            // 300 MB of text for every row, were it ever evaluated.
            "CREATE TABLE revlog (id INTEGER PRIMARY KEY, cid INTEGER, ease INTEGER, ivl INTEGER, \
             lastIvl INTEGER, factor INTEGER, time INTEGER, type INTEGER, \
             pad TEXT GENERATED ALWAYS AS (printf('%.*c', 300000000, 'x')) VIRTUAL);",
            "the collection's table revlog has a generated column \"pad\"",
        ),
    ];
    for (sql, expected) in cases {
        let file = env.file("sql.apkg", package(3, sql));
        for progress in [&[][..], &["--with-progress"]] {
            let started = Instant::now();
            let out = env
                .at(&day(0))
                .arg("import")
                .args(progress)
                .arg(&file)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{sql}: {stderr}");
            assert!(stderr.contains(expected), "{sql}: {stderr}");
            assert!(stderr.contains("sql.apkg: collection.anki2"), "{stderr}");
            // Not a timing target: a refusal that had evaluated the SQL
            // would take minutes, not seconds.
            assert!(started.elapsed() < Duration::from_secs(60));
        }
    }
}

/// The entries of a folder.
fn entries(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

#[test]
fn a_killed_package_import_leaves_nothing_in_the_temporary_folder() {
    let env = Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let file = env.file("big.apkg", package(20_000, ""));
    let started = Instant::now();
    let status = recall(&env, &day(0))
        .arg("import")
        .arg(&file)
        .env("TMPDIR", tmp.path())
        .status()
        .unwrap();
    assert!(status.success());
    let whole = started.elapsed();
    assert_eq!(entries(tmp.path()), Vec::<PathBuf>::new());
    let mut rng = Rng::new("a_killed_package_import_leaves_nothing");
    let mut killed = 0;
    for _ in 0..scaled(12, 150) {
        let mut child = recall(&env, &day(0))
            .arg("import")
            .arg(&file)
            .env("TMPDIR", tmp.path())
            .spawn()
            .unwrap();
        let (_, was_killed) = finish_or_kill(&mut child, Instant::now() + rng.below(whole));
        killed += usize::from(was_killed);
        assert_eq!(
            entries(tmp.path()),
            Vec::<PathBuf>::new(),
            "a killed import left files in TMPDIR"
        );
    }
    assert!(killed > 0, "no import was killed");
}
