//! Migration 0009 on a database made before it, and the storage side of
//! switching: what a version-8 database holds after the upgrade.

use super::backup::BackupPolicy;
use super::{ImportOptions, Store, migrate};
use crate::domain::{CardDraft, DeckDraft, SchedulerKind};

#[test]
fn a_version_8_database_upgrades_to_sm2_decks_without_memory_states() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recall.db");
    let before_fsrs = &migrate::MIGRATIONS[..8];
    let policy = BackupPolicy {
        keep: 0,
        today: None,
    };
    let mut old = Store::open_migrating(&db, policy, before_fsrs).unwrap();
    let deck = DeckDraft {
        name: "Old".into(),
        description: String::new(),
        position: None,
        cards: vec![CardDraft {
            key: "a".into(),
            front: "front".into(),
            back: "back".into(),
            notes: String::new(),
            tags: Vec::new(),
        }],
    };
    old.import(&[deck], ImportOptions::default(), 0).unwrap();
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
