//! Imports big enough for the bulk path (over a megabyte), and several
//! files in one import. The bulk path writes a file while it is still being
//! parsed, under a rollback journal, with the card indexes built at the
//! end. None of that may show: a bad row at the end still writes nothing,
//! cards keep the file's order, and the database comes out as any other
//! import leaves it.

use std::fmt::Write as _;

use crate::common::{Env, day};
use crate::import_formats::{env_with_db, imported, refused};
use crate::reliability_support::{count, integrity, open};

/// A TSV deck of `rows` cards, over a megabyte from 8 000 rows on.
fn tsv(rows: usize) -> String {
    let mut text = String::from("#separator:tab\n#html:false\n#columns:Front\tBack\n");
    for i in 0..rows {
        writeln!(
            text,
            "Question {i}: what does «row {i}» of this large deck say?\t\
             \"Answer {i}, with a comma, a \"\"quote\"\" and a second line\nline two of {i}\""
        )
        .unwrap();
    }
    text
}

const ROWS: usize = 12_000;

/// The database as any import leaves it: sound, in WAL mode, with every
/// card index (the bulk path drops some and builds them again).
fn assert_whole(env: &Env) {
    assert_eq!(integrity(&env.db), "ok");
    let mode: String = open(&env.db)
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        mode, "wal",
        "the bulk path must hand the database back in WAL mode"
    );
    let indexes = count(
        &env.db,
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' \
         AND name IN ('cards_due', 'cards_new', 'cards_stats', 'cards_deck_due')",
    );
    assert_eq!(
        indexes, 4,
        "indexes dropped for the bulk insert must be back"
    );
}

#[test]
fn a_bad_row_at_the_end_of_a_large_file_writes_nothing() {
    let env = env_with_db();
    let mut text = tsv(ROWS);
    assert!(text.len() > 1 << 20, "the file must take the bulk path");
    text.push_str("a row with one field\n");
    let file = env.file("large.tsv", text);
    // Header lines, then two lines per card: the bad row is the last line.
    let line = 3 + 2 * ROWS + 1;
    refused(
        &env,
        &[file.as_os_str()],
        &format!("large.tsv:{line}:1: record {} has 1 field(s)", ROWS + 1),
    );
}

#[test]
fn text_that_goes_bad_on_the_last_line_of_a_streamed_file_writes_nothing() {
    // The file is read in pieces as it is written: what the whole text was
    // checked for before, bytes that are no UTF-8, a NUL, a quote never
    // closed, now shows at the end, after most cards went to the database.
    let env = env_with_db();
    for rows in [5_000, ROWS] {
        let text = tsv(rows);
        assert!(
            text.len() > 8 * recall::formats::input::HEAD_BYTES,
            "far past the first piece"
        );
        let line = 3 + 2 * rows + 1;
        let bad: [(&[u8], String); 3] = [
            (
                b"bad \xff row\tx\n",
                format!(
                    "late.tsv:{line}:5: not valid UTF-8 (byte {} of the file)",
                    text.len() + 5
                ),
            ),
            (
                "«q»\tbad \0\n".as_bytes(),
                format!("late.tsv:{line}:9: binary data (a NUL byte), not a text deck"),
            ),
            (
                b"\"never closed\tx\n",
                format!("late.tsv:{line}:1: a quoted field is never closed"),
            ),
        ];
        for (last, expected) in bad {
            let file = env.file("late.tsv", [text.as_bytes(), last].concat());
            refused(&env, &[file.as_os_str()], &expected);
        }
    }
    assert_whole(&env);
}

#[test]
fn a_duplicate_id_late_in_a_large_file_is_located_and_writes_nothing() {
    let env = env_with_db();
    let mut text = tsv(ROWS);
    text.push_str("Question 5: what does «row 5» of this large deck say?\tagain\n");
    let file = env.file("large.tsv", text);
    refused(
        &env,
        &[file.as_os_str()],
        &format!("large.tsv:{}:1: duplicate id", 3 + 2 * ROWS + 1),
    );
}

#[test]
fn a_large_file_lands_whole_in_file_order_with_every_index() {
    let env = Env::new();
    let file = env.file("large.tsv", tsv(ROWS));
    imported(
        &env,
        &day(0),
        &[],
        &file,
        &format!("large: {ROWS} added, 0 updated"),
    );
    assert_whole(&env);
    // New cards come in file order: ids follow the rows.
    let out = env
        .at(&day(0))
        .args(["next", "--json", "--deck", "large"])
        .output()
        .unwrap();
    let next: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        next["card"]["front"],
        "Question 0: what does «row 0» of this large deck say?"
    );
    let last: String = open(&env.db)
        .query_row(
            "SELECT front FROM cards WHERE deck_id = (SELECT id FROM decks WHERE name = 'large') \
             ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        last.starts_with(&format!("Question {}:", ROWS - 1)),
        "{last}"
    );

    // Again: nothing new, so nothing is dropped or rebuilt, and all is kept.
    imported(
        &env,
        &day(1),
        &[],
        &file,
        &format!("large: 0 added, 0 updated, {ROWS} unchanged"),
    );
    assert_whole(&env);
}

#[test]
fn keep_going_takes_back_a_large_file_that_fails_half_way() {
    let env = env_with_db();
    let mut bad = tsv(ROWS);
    bad.push_str("a row with one field\n");
    let bad = env.file("bad.tsv", bad);
    let good = env.file("good.csv", "front,back\nq1,a1\nq2,a2\n");
    let out = env
        .at(&day(0))
        .args(["import", "--keep-going"])
        .arg(&bad)
        .arg(&good)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.contains("good: 2 added"), "{stdout}");
    assert!(stdout.contains("bad.tsv: FAILED, not imported"), "{stdout}");
    assert!(
        stderr.contains("1 of 2 file(s) could not be imported"),
        "{stderr}"
    );
    assert_eq!(
        count(&env.db, "SELECT COUNT(*) FROM decks WHERE name = 'bad'"),
        0,
        "the pieces of the bad file written before its error must be gone"
    );
    assert_eq!(
        count(
            &env.db,
            "SELECT COUNT(*) FROM cards c JOIN decks d ON d.id = c.deck_id WHERE d.name = 'good'"
        ),
        2
    );
    assert_whole(&env);
}

#[test]
fn two_files_feeding_one_deck_are_refused_naming_both() {
    let env = env_with_db();
    let a = env.file("a.csv", "#deck:Shared\nq1,a1\n");
    let b = env.file("b.csv", "#deck:Shared\nq2,a2\n");
    refused(
        &env,
        &[a.as_os_str(), b.as_os_str()],
        "deck \"Shared\" comes from both",
    );
}

#[test]
fn a_large_import_beside_an_open_session_stays_in_wal_mode() {
    let env = env_with_db();
    // Another connection, as a TUI session would hold: leaving WAL needs
    // the database to itself, so the import must not ask twice (or wait
    // out the busy timeout and fail) but write in WAL mode.
    let session = open(&env.db);
    let cards: i64 = session
        .query_row("SELECT COUNT(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    let file = env.file("large.tsv", tsv(ROWS));
    imported(&env, &day(0), &[], &file, &format!("large: {ROWS} added"));
    let after: i64 = session
        .query_row("SELECT COUNT(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        after,
        cards + ROWS as i64,
        "the open session sees the import"
    );
    drop(session);
    assert_whole(&env);
}

#[test]
fn a_file_named_twice_is_imported_once() {
    let env = Env::new();
    let file = env.file("twice.csv", "front,back\nq1,a1\nq2,a2\n");
    let name = file.to_str().unwrap();
    let stdout = imported(&env, &day(0), &[name], &file, "twice: 2 added");
    assert_eq!(stdout.matches("twice: 2 added").count(), 1, "{stdout}");
    assert_eq!(
        count(
            &env.db,
            "SELECT COUNT(*) FROM cards c JOIN decks d ON d.id = c.deck_id WHERE d.name = 'twice'"
        ),
        2
    );
}

/// A large TSV whose rows name one of two decks (Anki's `#deck column`),
/// alternating, with ids given in a column: `id-{i}` in both decks.
fn two_deck_tsv(rows: usize) -> String {
    let mut text = String::from("#separator:tab\n#html:false\n#deck column:1\n#guid column:2\n");
    for i in 0..rows {
        let deck = if i % 2 == 0 { "Even" } else { "Odd" };
        writeln!(
            text,
            "{deck}\tid-{}\tQuestion {i}: what does «row {i}» of this large deck say?\t\
             Answer {i}, long enough that the file passes a megabyte.",
            i / 2
        )
        .unwrap();
    }
    text
}

#[test]
fn deck_puts_a_large_file_into_one_deck_in_file_order() {
    let env = Env::new();
    let file = env.file("large.tsv", tsv(ROWS));
    imported(
        &env,
        &day(0),
        &["--deck", "Named"],
        &file,
        &format!("large.tsv: Named: {ROWS} added, 0 updated"),
    );
    assert_whole(&env);
    assert_eq!(
        count(&env.db, "SELECT COUNT(*) FROM decks WHERE name = 'large'"),
        0
    );
    let fronts: Vec<String> = open(&env.db)
        .prepare(
            "SELECT front FROM cards WHERE deck_id = (SELECT id FROM decks WHERE name = 'Named') \
             ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(fronts.len(), ROWS);
    for (i, front) in fronts.iter().enumerate().step_by(997) {
        assert!(front.starts_with(&format!("Question {i}:")), "{i}: {front}");
    }
}

#[test]
fn deck_refuses_ids_that_two_of_the_files_decks_share_and_writes_nothing() {
    let env = env_with_db();
    let text = two_deck_tsv(ROWS);
    assert!(text.len() > 1 << 20, "the file must take the bulk path");
    let file = env.file("two.tsv", text);
    // Without --deck the two decks each have their own `id-0`; with it the
    // second (the file's second row, line 6) is refused where it stands.
    refused(
        &env,
        &[file.as_os_str(), "--deck".as_ref(), "One".as_ref()],
        "two.tsv:6:1: duplicate id \"id-0\" (card 1 has it too)",
    );
}

#[test]
fn a_small_import_after_an_unsearched_bulk_one_leaves_the_backlog_to_the_search() {
    let env = Env::new();
    let large = env.file("large.tsv", tsv(ROWS));
    imported(&env, &day(0), &[], &large, &format!("large: {ROWS} added"));
    let mark = "SELECT indexed_through FROM cards_text_state";
    let before = count(&env.db, mark);
    let small = env.file(
        "small.toml",
        "name = \"Small\"\n[[cards]]\nid = \"s\"\nfront = \"zebra crossing\"\nback = \"a\"\n",
    );
    imported(&env, &day(0), &[], &small, "Small: 1 added");
    // The bulk import's 12 000 cards are not indexed by the small import
    // (that took seconds at 100 000 cards) …
    assert_eq!(count(&env.db, mark), before);
    // … but the first search indexes them all, the small one's card too.
    for (query, front) in [
        ("zebra", "zebra crossing"),
        ("\"row 11999\"", "Question 11999:"),
    ] {
        let out = env
            .at(&day(0))
            .args(["cards", "--json", query])
            .output()
            .unwrap();
        let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let cards = found["cards"].as_array().unwrap();
        assert_eq!(cards.len(), 1, "{query}: {found}");
        assert!(
            cards[0]["front"].as_str().unwrap().starts_with(front),
            "{found}"
        );
    }
    assert!(count(&env.db, mark) > before);
}
