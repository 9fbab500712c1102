//! Backups, restore, damaged databases and file permissions, through the CLI.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::common::{Env, day};
use crate::reliability_support::{answer_4, count, deck_text, import_deck, integrity, reviews};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn backups(env: &Env) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(env.dir.path().join("backups"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    all.sort();
    all
}

#[test]
fn backup_output_is_private_and_never_overwritten_without_force() {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "B", &deck_text("B", 3, 0));
    answer_4(&env, &day(0), cards[0]);
    let out = env.dir.path().join("copy.db");
    env.at(&day(0))
        .args(["backup", "--output"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(mode(&out), 0o600);
    assert_eq!(integrity(&out), "ok");
    assert_eq!(reviews(&out), 1);

    answer_4(&env, &day(0), cards[1]);
    let before = std::fs::read(&out).unwrap();
    env.at(&day(0))
        .args(["backup", "--output"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists; pass --force"));
    assert_eq!(
        std::fs::read(&out).unwrap(),
        before,
        "replaced without --force"
    );
    env.at(&day(0))
        .args(["backup", "--force", "--output"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(reviews(&out), 2);
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("copy.db") && n != "copy.db")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn one_private_backup_a_day_keeping_the_newest_n() {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "B", &deck_text("B", 3, 0));
    assert!(backups(&env).is_empty(), "a new database needs no backup");
    for d in 1..=5 {
        answer_4(&env, &day(d), cards[0]);
        env.at(&day(d)).arg("decks").assert().success();
    }
    let kept = backups(&env);
    assert_eq!(kept.len(), 5, "one a day: {kept:?}");
    // The day-1 backup was made on opening, before that day's answer.
    assert_eq!(reviews(&kept[0]), 0);
    assert_eq!(reviews(&kept[4]), 4);

    env.at(&day(6))
        .args(["--keep-backups", "2", "decks"])
        .assert()
        .success();
    let kept = backups(&env);
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert_eq!(reviews(&kept[1]), 5, "the newest are the ones kept");
    env.at(&day(7))
        .env("RECALL_KEEP_BACKUPS", "0")
        .arg("decks")
        .assert()
        .success();
    assert_eq!(backups(&env).len(), 2, "0 turns automatic backups off");

    assert_eq!(mode(&env.dir.path().join("backups")), 0o700);
    for file in backups(&env) {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(&env.db), 0o600);
}

#[test]
fn restore_brings_a_backup_back_and_saves_the_current_database_first() {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "B", &deck_text("B", 3, 0));
    answer_4(&env, &day(0), cards[0]);
    let snap = env.dir.path().join("snap.db");
    env.at(&day(0))
        .args(["backup", "--output"])
        .arg(&snap)
        .assert()
        .success();
    answer_4(&env, &day(0), cards[1]);
    answer_4(&env, &day(0), cards[2]);
    assert_eq!(reviews(&env.db), 3);

    env.at(&day(0))
        .arg("restore")
        .arg(&snap)
        .assert()
        .success()
        .stdout(predicate::str::contains("Restored"));
    assert_eq!(reviews(&env.db), 1);
    assert_eq!(integrity(&env.db), "ok");
    let saved = backups(&env);
    assert!(
        saved
            .last()
            .unwrap()
            .to_string_lossy()
            .ends_with("-before-restore.db"),
        "{saved:?}"
    );
    assert_eq!(
        reviews(saved.last().unwrap()),
        3,
        "the replaced state is kept"
    );
    // The restored database works as before.
    answer_4(&env, &day(0), cards[1]);
    assert_eq!(reviews(&env.db), 2);
}

/// A database with one answer, and a backup of it in `good.db`.
fn answered_with_backup() -> (Env, PathBuf) {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "B", &deck_text("B", 3, 0));
    answer_4(&env, &day(0), cards[0]);
    let good = env.dir.path().join("good.db");
    env.at(&day(0))
        .args(["backup", "--output"])
        .arg(&good)
        .assert()
        .success();
    (env, good)
}

/// A database of another schema version or application, made by hand.
fn foreign_db(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn restore_checks_the_file_and_leaves_the_database_alone_when_it_is_bad() {
    let (env, good) = answered_with_backup();
    let whole = std::fs::read(&good).unwrap();

    let garbage = env.file("garbage.db", "this is not a database at all, but it is long enough to have a header ....................................................");
    let truncated = env.file("truncated.db", &whole[..whole.len() / 2]);
    let other = env.dir.path().join("other.db");
    foreign_db(&other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    let newer = env.dir.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    foreign_db(&newer, "PRAGMA user_version = 999;");
    let missing = env.dir.path().join("missing.db");

    let bytes = env.db_bytes();
    for (file, why) in [
        (&garbage, "SQLite header"),
        (&truncated, "truncated"),
        (&other, "not a recall database"),
        (&newer, "newer than this recall"),
        (&missing, "no such file"),
    ] {
        env.at(&day(0))
            .arg("restore")
            .arg(file)
            .assert()
            .failure()
            .stderr(predicate::str::contains(file.display().to_string()))
            .stderr(predicate::str::contains(why));
    }
    assert_eq!(
        env.db_bytes(),
        bytes,
        "a refused restore changed the database"
    );
}

/// Each kind of damage: the command fails naming the file and `recall
/// restore`, and the file is exactly as it was, with nothing created beside it.
#[test]
fn a_damaged_database_is_refused_untouched_and_restore_recovers() {
    let (env, good) = answered_with_backup();
    let whole = std::fs::read(&good).unwrap();
    let newer = env.dir.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    foreign_db(
        &newer,
        "PRAGMA journal_mode = DELETE; PRAGMA user_version = 999;",
    );
    let newer_bytes = std::fs::read(&newer).unwrap();

    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("garbage", b"garbage ".repeat(1000), "SQLite header"),
        (
            "truncated",
            whole[..whole.len() - 4096].to_vec(),
            "truncated",
        ),
        ("too short", whole[..50].to_vec(), "too short"),
        ("newer schema", newer_bytes, "newer than this recall"),
    ];
    for (what, bytes, why) in cases {
        std::fs::remove_dir_all(env.dir.path().join("backups")).ok();
        std::fs::write(&env.db, &bytes).unwrap();
        for args in [
            &["decks"][..],
            &["next"],
            &["answer", "1", "3"],
            &["backup"],
        ] {
            env.at(&day(3))
                .args(args)
                .assert()
                .failure()
                .stderr(predicate::str::contains(env.db.display().to_string()))
                .stderr(predicate::str::contains(why))
                .stderr(predicate::str::contains("recall restore FILE"));
        }
        assert_eq!(
            std::fs::read(&env.db).unwrap(),
            bytes,
            "{what}: the file was changed"
        );
        for side in ["recall.db-wal", "recall.db-shm", "backups"] {
            assert!(
                !env.dir.path().join(side).exists(),
                "{what}: {side} was created"
            );
        }

        env.at(&day(3))
            .arg("restore")
            .arg(&good)
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "damaged database was moved, untouched",
            ));
        assert_eq!(reviews(&env.db), 1, "{what}");
        let moved = backups(&env);
        let damaged = moved
            .iter()
            .find(|p| p.to_string_lossy().contains("damaged-"))
            .unwrap();
        assert_eq!(
            std::fs::read(damaged).unwrap(),
            bytes,
            "{what}: the damaged file was altered"
        );
    }
}

/// Damage inside the file (the header intact): the day's backup refuses to
/// copy it, so the good backups are not rotated away, and restore moves it
/// aside whole.
#[test]
fn a_database_damaged_inside_is_never_backed_up_over_good_backups() {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "B", &deck_text("B", 400, 200));
    answer_4(&env, &day(1), cards[0]);
    let good = backups(&env);
    assert_eq!(good.len(), 1);

    let mut bytes = std::fs::read(&env.db).unwrap();
    assert!(!env.dir.path().join("recall.db-wal").exists());
    let middle = (bytes.len() / 4096 / 2) * 4096;
    bytes[middle..middle + 4096].fill(0xA5);
    std::fs::write(&env.db, &bytes).unwrap();

    env.at(&day(2))
        .arg("decks")
        .assert()
        .failure()
        .stderr(predicate::str::contains(env.db.display().to_string()))
        .stderr(predicate::str::contains("recall restore FILE"));
    assert_eq!(backups(&env), good, "a damaged copy joined the backups");
    assert_eq!(
        std::fs::read(&env.db).unwrap(),
        bytes,
        "the damaged file was changed"
    );

    env.at(&day(2))
        .arg("restore")
        .arg(&good[0])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "damaged database was moved, untouched",
        ));
    assert_eq!(integrity(&env.db), "ok");
    env.at(&day(2)).arg("decks").assert().success();
}

fn kinds(env: &Env, kind: &str) -> Vec<PathBuf> {
    let suffix = format!("-{kind}.db");
    backups(env)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(&suffix))
        .collect()
}

/// Rotation keeps the newest N of each kind apart: daily and manual
/// backups of whatever was restored never push out the `before-restore`
/// copy of the collection as it was; only N later restores do.
#[test]
fn the_before_restore_backup_survives_any_number_of_later_daily_backups() {
    let (env, good) = answered_with_backup();
    let card = count(&env.db, "SELECT MAX(id) FROM cards");
    answer_4(&env, &day(0), card);
    env.at(&day(0)).arg("restore").arg(&good).assert().success();
    let before = kinds(&env, "before-restore");
    assert_eq!(before.len(), 1, "{:?}", backups(&env));
    assert_eq!(reviews(&before[0]), 2, "it holds the collection as it was");

    for d in 1..=12 {
        env.at(&day(d))
            .args(["--keep-backups", "2", "decks"])
            .assert()
            .success();
        env.at(&day(d))
            .args(["--keep-backups", "2", "backup"])
            .assert()
            .success();
    }
    assert_eq!(kinds(&env, "daily").len(), 2, "{:?}", backups(&env));
    assert_eq!(kinds(&env, "manual").len(), 2, "{:?}", backups(&env));
    assert_eq!(kinds(&env, "before-restore"), before, "rotated away");
    assert_eq!(reviews(&before[0]), 2);

    for _ in 0..2 {
        env.at(&day(13))
            .args(["--keep-backups", "2", "restore"])
            .arg(&good)
            .assert()
            .success();
    }
    let after = kinds(&env, "before-restore");
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(!after.contains(&before[0]), "the oldest of its kind goes");
}

/// A restore killed mid-way leaves its staged copy beside the database; the
/// next restore clears it once it is an hour old (never a fresh one, which
/// may belong to a restore still running).
#[test]
fn a_killed_restore_leaves_no_copy_that_outlives_the_next_restore() {
    let (env, good) = answered_with_backup();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    let stale = ["x1.db", "x1.db-wal", "x1.db-shm"].map(|n| format!(".recall-restore-{n}"));
    for name in &stale {
        let file = std::fs::File::create(env.dir.path().join(name)).unwrap();
        file.set_modified(old).unwrap();
    }
    let fresh = env.file(".recall-restore-x2.db", "in use");
    env.at(&day(0)).arg("restore").arg(&good).assert().success();
    for name in &stale {
        assert!(!env.dir.path().join(name).exists(), "{name} was left");
    }
    assert!(fresh.exists(), "a restore still running lost its copy");
}
