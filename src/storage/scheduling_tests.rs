//! Migration 0009 on a database made before it, and the storage side of
//! switching: what a version-8 database holds after the upgrade.

use super::backup::BackupPolicy;
use super::{Store, migrate};
use crate::domain::SchedulerKind;

#[test]
fn a_version_8_database_upgrades_to_sm2_decks_without_memory_states() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recall.db");
    let before_fsrs = &migrate::MIGRATIONS[..8];
    let policy = BackupPolicy {
        keep: 0,
        today: None,
    };
    let old = Store::open_migrating(&db, policy, before_fsrs).unwrap();
    // Written as recall did at version 8: today's import writes the
    // columns of later migrations.
    old.conn
        .execute_batch(
            "INSERT INTO decks (name, created_at) VALUES ('Old', 0); \
             INSERT INTO cards (deck_id, key, front, back, created_at, updated_at) \
             SELECT id, 'a', 'front', 'back', 0, 0 FROM decks",
        )
        .unwrap();
    drop(old);

    let store = Store::open(&db).unwrap();
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, migrate::LATEST);
    let setting = store.deck_setting("Old").unwrap().unwrap();
    assert_eq!(
        (setting.scheduler, setting.retention, setting.states_by),
        (None, None, SchedulerKind::Sm2)
    );
    let card = store.card_by_key("Old", "a").unwrap().unwrap();
    assert_eq!(store.card_memory(card).unwrap(), None);
    assert_eq!(store.fitted_params(None).unwrap(), None);
}
