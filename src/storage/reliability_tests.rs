//! Backups around migrations and days, and a full disk, tested against the
//! store directly (the CLI tests in tests/it/reliability*.rs cover the rest).

use std::path::Path;

use super::backup::{self, BackupPolicy};
use super::{ImportOptions, Store, migrate};
use crate::domain::{CardDraft, Day, DeckDraft};

fn deck(name: &str, cards: usize, size: usize) -> DeckDraft {
    DeckDraft {
        name: name.into(),
        description: String::new(),
        position: None,
        cards: (0..cards)
            .map(|i| CardDraft {
                key: format!("c{i}"),
                front: format!("front {i} {}", "x".repeat(size)),
                back: "back".into(),
                notes: String::new(),
                tags: Vec::new(),
                typed: false,
            })
            .collect(),
    }
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn names(db: &Path) -> Vec<String> {
    backup::list(db)
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_migration_is_preceded_by_a_backup_of_the_old_schema() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recall.db");
    let mut store = Store::open(&db).unwrap();
    store
        .import(&[deck("Old", 3, 1)], ImportOptions::default(), 0)
        .unwrap();
    drop(store);
    assert!(names(&db).is_empty(), "a new database needs no backup");

    let shipped = migrate::MIGRATIONS.len();
    let mut next = migrate::MIGRATIONS.to_vec();
    next.push("CREATE TABLE extra (x INTEGER) STRICT;");
    let policy = BackupPolicy {
        keep: 7,
        today: None,
    };
    let store = Store::open_migrating(&db, policy, &next).unwrap();
    assert_eq!(count(&store, "PRAGMA user_version"), shipped as i64 + 1);
    let backups = names(&db);
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(
        backups[0].ends_with(&format!("-before-migration-v{shipped}.db")),
        "{backups:?}"
    );

    let old = rusqlite::Connection::open(backup::list(&db).unwrap()[0].clone()).unwrap();
    let version: i64 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let cards: i64 = old
        .query_row("SELECT COUNT(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    assert_eq!((version, cards), (shipped as i64, 3));
}

#[test]
fn one_automatic_backup_a_study_day_and_only_the_newest_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recall.db");
    let open = |day: i64| {
        let policy = BackupPolicy {
            keep: 2,
            today: Some(Day(day)),
        };
        drop(Store::open_with(&db, policy).unwrap());
        names(&db)
    };
    assert!(
        open(10).is_empty(),
        "the day a database is made, nothing to save"
    );
    assert!(open(10).is_empty());
    assert_eq!(open(11).len(), 1);
    assert_eq!(open(11).len(), 1, "at most one a day");
    let day12 = open(12);
    assert_eq!(day12.len(), 2);
    let day13 = open(13);
    assert_eq!(day13.len(), 2, "rotation keeps 2: {day13:?}");
    assert_eq!(day13[0], day12[1], "the oldest one went");
    assert!(day13.iter().all(|n| n.ends_with("-daily.db")));
}

#[test]
fn a_full_disk_fails_the_write_clearly_and_keeps_what_was_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recall.db");
    let mut store = Store::open(&db).unwrap();
    store
        .import(&[deck("Kept", 5, 10)], ImportOptions::default(), 0)
        .unwrap();
    let pages = count(&store, "PRAGMA page_count");
    // No room to grow: the database is exactly as large as it is allowed to be.
    store
        .conn
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    let err = store
        .import(&[deck("Big", 200, 2000)], ImportOptions::default(), 0)
        .unwrap_err()
        .in_database(&db)
        .to_string();
    assert!(
        err.contains("recall.db: the disk is full, so nothing was saved"),
        "{err}"
    );
    assert_eq!(count(&store, "SELECT COUNT(*) FROM cards"), 5);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM decks WHERE name = 'Big'"),
        0
    );
    let check: String = store
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn rotation_clears_what_killed_backups_left_once_it_is_old() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recall.db");
    let store = Store::open(&db).unwrap();
    store.backup_into_folder("manual", 7).unwrap();
    let folder = backup::backups_dir(&db);
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    let leftovers = [
        "recall-2000-01-01T00-00-00.000Z-00-daily.db.part",
        "recall-2000-01-01T00-00-00.000Z-01-daily.db",
    ];
    for (i, name) in leftovers.iter().enumerate() {
        let file = std::fs::File::create(folder.join(name)).unwrap();
        if i == 0 {
            file.set_len(4096).unwrap();
        }
        file.set_modified(old).unwrap();
    }
    let fresh = folder.join("recall-2999-01-01T00-00-00.000Z-00-daily.db.part");
    std::fs::File::create(&fresh).unwrap();
    assert_eq!(names(&db).len(), 1, "empty reserved names are not backups");

    store.backup_into_folder("manual", 7).unwrap();
    for name in leftovers {
        assert!(!folder.join(name).exists(), "{name} was left");
    }
    assert!(fresh.exists(), "a backup still being written was removed");
    assert_eq!(names(&db).len(), 2);
}

#[test]
fn rotation_keeps_the_newest_n_of_each_kind_apart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recall.db");
    let folder = backup::backups_dir(&db);
    std::fs::create_dir(&folder).unwrap();
    let name =
        |day: u32, reason: &str| format!("recall-2026-03-{day:02}T09-00-00.000Z-00-{reason}.db");
    let mut made = Vec::new();
    for day in 1..=9 {
        made.push(name(day, "daily"));
    }
    made.extend([
        name(1, "before-restore"),
        name(2, "before-migration-v3"),
        name(3, "before-migration-v4"),
        name(4, "before-migration-v5"),
        name(5, "manual"),
        "damaged-2026-03-01T09-00-00.000Z-00-original.db".into(),
    ]);
    for file in &made {
        std::fs::write(folder.join(file), "x").unwrap();
    }
    backup::rotate(&db, 2).unwrap();
    let mut left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    let mut want = vec![
        name(8, "daily"),
        name(9, "daily"),
        name(1, "before-restore"),
        name(3, "before-migration-v4"),
        name(4, "before-migration-v5"),
        name(5, "manual"),
        "damaged-2026-03-01T09-00-00.000Z-00-original.db".to_string(),
    ];
    want.sort();
    assert_eq!(left, want);
}
