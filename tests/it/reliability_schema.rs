//! No foreign code: a database (or a backup to restore) whose schema is not
//! exactly what recall's migrations make at its version is refused before
//! anything runs in it or is written to it, and the message names the object.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::common::{Env, day};
use crate::reliability_support::{count, deck_text, import_deck, open};

/// The tampering, and the words the refusal must contain.
const TAMPERED: &[(&str, &str)] = &[
    (
        "CREATE TRIGGER evil AFTER INSERT ON reviews BEGIN \
         DELETE FROM reviews; UPDATE cards SET front = 'pwned'; END;",
        "trigger `evil` was not made by recall",
    ),
    (
        "CREATE VIEW peek AS SELECT front FROM cards;",
        "view `peek` was not made by recall",
    ),
    (
        "CREATE INDEX by_front ON cards (front);",
        "index `by_front` was not made by recall",
    ),
    (
        "CREATE TABLE stash (x);",
        "table `stash` was not made by recall",
    ),
    (
        "ALTER TABLE cards ADD COLUMN loud TEXT GENERATED ALWAYS AS (upper(front)) VIRTUAL;",
        "table `cards` is not as recall made it",
    ),
    (
        "DROP TRIGGER review_days_insert; CREATE TRIGGER review_days_insert AFTER INSERT ON \
         reviews BEGIN DELETE FROM reviews WHERE id < NEW.id; END;",
        "trigger `review_days_insert` is not as recall made it",
    ),
    (
        "DROP INDEX cards_due;",
        "index `cards_due`, which recall makes, is missing",
    ),
    (
        "DROP TABLE meta;",
        "table `meta`, which recall makes, is missing",
    ),
];

/// A database with one answer, its cards, and a copy of it (`good.db`,
/// one self-contained file in rollback-journal mode).
fn studied() -> (Env, Vec<i64>, PathBuf) {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "S", &deck_text("S", 3, 0));
    env.at(&day(0))
        .args(["answer", &cards[0].to_string(), "4"])
        .assert()
        .success();
    let good = env.dir.path().join("good.db");
    env.at(&day(0))
        .args(["backup", "--output"])
        .arg(&good)
        .assert()
        .success();
    (env, cards, good)
}

fn tamper(db: &Path, sql: &str) {
    open(db).execute_batch(sql).unwrap();
}

/// Copies `good` to `to` and applies `sql` to the copy.
fn tampered_copy(good: &Path, to: &Path, sql: &str) {
    for side in ["-wal", "-shm"] {
        let mut name = to.as_os_str().to_owned();
        name.push(side);
        std::fs::remove_file(PathBuf::from(name)).ok();
    }
    std::fs::copy(good, to).unwrap();
    tamper(to, sql);
}

/// The shipped migrations, read from `migrations/` as the binary embeds them.
fn migrations() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

/// A database as recall `version` left it: migrations 1..=version, with a deck and a card.
pub fn older_database(path: &Path, version: usize) {
    let conn = rusqlite::Connection::open(path).unwrap();
    for sql in &migrations()[..version] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA application_id = {}; PRAGMA user_version = {version};
         INSERT INTO decks (name, created_at) VALUES ('Old', 0);
         INSERT INTO cards (deck_id, key, front, back, created_at, updated_at)
         VALUES (1, 'k', 'Front', 'Back', 0, 0);",
        0x5243_4C4C
    ))
    .unwrap();
}

#[test]
fn a_database_with_an_object_recall_did_not_make_is_refused_on_open_naming_it() {
    let (env, cards, good) = studied();
    let card = cards[1].to_string();
    let answer = ["answer", card.as_str(), "4"];
    for (sql, why) in TAMPERED {
        std::fs::remove_dir_all(env.dir.path().join("backups")).ok();
        tampered_copy(&good, &env.db, sql);
        let bytes = env.db_bytes();
        for args in [&["next"][..], &["decks"], &answer, &["backup"], &["undo"]] {
            env.at(&day(1))
                .args(args)
                .assert()
                .failure()
                .stderr(predicate::str::contains(env.db.display().to_string()))
                .stderr(predicate::str::contains(*why))
                .stderr(predicate::str::contains("recall restore FILE"));
        }
        assert_eq!(env.db_bytes(), bytes, "{why}: the file was changed");
        assert!(
            !env.dir.path().join("backups").exists(),
            "{why}: a refused database was backed up"
        );
        // The way out the message gives: restore moves the file aside, whole.
        env.at(&day(1))
            .arg("restore")
            .arg(&good)
            .assert()
            .success()
            .stdout(predicate::str::contains("moved, untouched"));
        env.at(&day(1)).args(answer).assert().success();
    }
}

#[test]
fn restore_refuses_a_backup_with_an_object_recall_did_not_make_naming_it() {
    let (env, _, good) = studied();
    let bytes = env.db_bytes();
    let backups = || {
        let mut names: Vec<_> = std::fs::read_dir(env.dir.path().join("backups"))
            .map(|dir| dir.map(|e| e.unwrap().file_name()).collect())
            .unwrap_or_default();
        names.sort();
        names
    };
    let backups_before = backups();
    for (i, (sql, why)) in TAMPERED.iter().enumerate() {
        let bad = env.dir.path().join(format!("bad{i}.db"));
        tampered_copy(&good, &bad, sql);
        env.at(&day(0))
            .arg("restore")
            .arg(&bad)
            .assert()
            .failure()
            .stderr(predicate::str::contains(bad.display().to_string()))
            .stderr(predicate::str::contains(*why))
            .stderr(predicate::str::contains("not restored"));
    }
    assert_eq!(
        env.db_bytes(),
        bytes,
        "a refused restore changed the database"
    );
    assert_eq!(backups(), backups_before, "a refused restore made a backup");
    env.at(&day(0)).arg("next").assert().success();
}

/// The file that stranded a user: recall's application id and a version,
/// but no tables. Refused, with the live database and its backups as they were.
#[test]
fn restore_refuses_a_recall_file_with_no_tables_and_leaves_the_database_alone() {
    let (env, _, _) = studied();
    env.at(&day(1)).arg("decks").assert().success();
    let backups = || {
        std::fs::read_dir(env.dir.path().join("backups"))
            .unwrap()
            .count()
    };
    let kept = backups();
    let bytes = env.db_bytes();
    for version in [1, migrations().len()] {
        let empty = env.dir.path().join(format!("empty{version}.db"));
        tamper(
            &empty,
            &format!(
                "PRAGMA application_id = {}; PRAGMA user_version = {version};",
                0x5243_4C4C
            ),
        );
        env.at(&day(1))
            .arg("restore")
            .arg(&empty)
            .assert()
            .failure()
            .stderr(predicate::str::contains(empty.display().to_string()))
            .stderr(predicate::str::contains("which recall makes, is missing"));
    }
    assert_eq!(env.db_bytes(), bytes, "the live database was changed");
    assert_eq!(backups(), kept, "backups were made or rotated");
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    env.at(&day(1)).arg("next").assert().success();
}

/// An older file is checked against the migrations of its own version,
/// before its backup and migration: a trigger planted in it never reaches
/// the migrated database or a backup.
#[test]
fn an_older_database_with_a_foreign_trigger_is_refused_before_it_is_migrated() {
    let latest = migrations().len();
    for version in 1..latest {
        let env = Env::new();
        older_database(&env.db, version);
        tamper(
            &env.db,
            "CREATE TRIGGER evil AFTER UPDATE ON cards BEGIN DELETE FROM cards; END;",
        );
        let bytes = env.db_bytes();
        env.at(&day(0))
            .arg("decks")
            .assert()
            .failure()
            .stderr(predicate::str::contains(
                "trigger `evil` was not made by recall",
            ));
        assert_eq!(env.db_bytes(), bytes, "v{version} was changed");
        assert!(
            !env.dir.path().join("backups").exists(),
            "v{version} was backed up"
        );
    }
    // An object that only a later migration makes is foreign at an earlier version.
    let env = Env::new();
    older_database(&env.db, 2);
    tamper(&env.db, &migrations()[2]);
    tamper(&env.db, "PRAGMA user_version = 2;");
    env.at(&day(0))
        .arg("decks")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "index `cards_deck_due` was not made by recall",
        ));
}

#[test]
fn an_unmodified_older_database_still_migrates_after_its_backup() {
    let latest = migrations().len();
    for version in 1..latest {
        let env = Env::new();
        older_database(&env.db, version);
        env.at(&day(0))
            .arg("decks")
            .assert()
            .success()
            .stdout(predicate::str::contains("Old"));
        assert_eq!(count(&env.db, "PRAGMA user_version"), latest as i64);
        let saved: Vec<String> = std::fs::read_dir(env.dir.path().join("backups"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let suffix = format!("-before-migration-v{version}.db");
        assert!(saved.iter().any(|n| n.ends_with(&suffix)), "{saved:?}");
        // The migrated file passes the check on every later open.
        env.at(&day(1)).arg("next").assert().success();
    }
}

/// SQLite's own tables (statistics from ANALYZE) are not foreign.
#[test]
fn sqlite_statistics_from_analyze_do_not_make_a_database_foreign() {
    let (env, cards, _) = studied();
    tamper(&env.db, "ANALYZE;");
    assert_eq!(
        count(
            &env.db,
            "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'"
        ),
        1
    );
    env.at(&day(0))
        .args(["answer", &cards[1].to_string(), "4"])
        .assert()
        .success();
    env.at(&day(0)).arg("next").assert().success();
}
