//! Resets, deletions, revivals and deck renames through `recall sync`
//! (docs/sync.md › Card events), and the time a change carries: when it
//! was made, not when a sync saw it.

use chrono::Duration;

use crate::sync_support::{Device, at, log_lines};

/// Two devices that both have the deck and have synced once.
fn pair(dir: &std::path::Path) -> (Device, Device) {
    let mut a = Device::new(at("2026-03-01T09:00:00+00:00"));
    let mut b = Device::new(at("2026-03-01T09:00:00+00:00"));
    a.sync(dir);
    b.sync(dir);
    (a, b)
}

fn card_state(device: &Device, key: &str) -> Option<(u32, bool)> {
    let store = &device.ctx.store;
    let id = store.card_by_key(&device.deck_name(), key).unwrap()?;
    let card = store.card(id).unwrap().unwrap();
    Some((card.schedule.repetitions, card.schedule.due.is_some()))
}

#[test]
fn a_reset_travels_and_survives_the_merge_of_later_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = pair(dir.path());
    a.answer("a", 4);
    a.advance(Duration::days(1));
    a.answer("a", 4);
    a.sync(dir.path());
    b.sync(dir.path());
    assert_eq!(card_state(&b, "a"), Some((2, true)));
    // B resets it; A answers another card meanwhile; both sync.
    b.advance(Duration::days(2));
    assert!(b.reset("a"));
    let report = b.sync(dir.path());
    assert!(
        log_lines(&report)
            .last()
            .unwrap()
            .contains(r#""kind":"reset","deck":"geo","card":"a""#),
        "{:?}",
        log_lines(&report)
    );
    let got = a.sync(dir.path());
    assert_eq!(got.settled.reset, 1);
    assert_eq!(card_state(&a, "a"), Some((0, false)));
    // An answer after the reset schedules from new on both; the two
    // answers before it stay in the history.
    a.advance(Duration::days(3));
    a.answer("a", 4);
    a.sync(dir.path());
    b.sync(dir.path());
    assert_eq!(card_state(&b, "a"), Some((1, true)));
    assert_eq!(a.contents(), b.contents());
    assert_eq!(a.contents().log.len(), 3);
}

#[test]
fn a_deletion_travels_and_an_import_brings_the_card_back_new() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = pair(dir.path());
    b.answer("c", 4);
    b.sync(dir.path());
    a.sync(dir.path());
    assert!(a.delete("c"));
    a.sync(dir.path());
    let got = b.sync(dir.path());
    assert_eq!(got.settled.deleted, 1);
    assert_eq!(card_state(&b, "c"), None);
    assert_eq!(a.contents(), b.contents());
    // B's answer went with the card; nothing waits for it.
    assert_eq!(got.settled.pending, 0);
    // Imported again on B: a new card on both, its old answer not back.
    b.advance(Duration::hours(1));
    b.reimport();
    b.sync(dir.path());
    a.sync(dir.path());
    assert_eq!(card_state(&a, "c"), Some((0, false)));
    assert_eq!(a.contents(), b.contents());
    assert!(a.contents().log.is_empty());
}

#[test]
fn a_deck_rename_travels_and_no_answer_is_sent_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = pair(dir.path());
    a.answer("a", 4);
    a.sync(dir.path());
    b.sync(dir.path());
    let before = log_lines(&a.sync(dir.path())).len();
    assert!(a.rename("geography"));
    let report = a.sync(dir.path());
    // One line: the rename, not the answers again under the new name.
    let lines = log_lines(&report);
    assert_eq!(lines.len(), before + 1, "{lines:?}");
    assert!(lines[before].contains(r#""kind":"rename","deck":"geo","to":"geography""#));
    b.sync(dir.path());
    assert_eq!(b.deck_name(), "geography");
    // B answers under the new name; A still reads its own answer once.
    b.answer("b", 3);
    b.sync(dir.path());
    a.sync(dir.path());
    assert_eq!(a.contents(), b.contents());
    assert_eq!(a.contents().decks.len(), 1);
    assert_eq!(a.contents().log.len(), 2);
}

#[test]
fn a_change_carries_the_time_it_was_made_not_the_sync_that_saw_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = pair(dir.path());
    // A suspends the card at 10:00 and syncs only at 12:00; B buries it
    // at 11:00 and syncs at once.
    a.set_now(at("2026-03-01T10:00:00+00:00"));
    a.toggle_suspend("d");
    b.set_now(at("2026-03-01T11:00:00+00:00"));
    b.bury("d", true);
    b.sync(dir.path());
    a.set_now(at("2026-03-01T12:00:00+00:00"));
    let report = a.sync(dir.path());
    let ten = at("2026-03-01T10:00:00+00:00").timestamp_millis();
    let state = log_lines(&report)
        .into_iter()
        .find(|l| l.contains(r#""kind":"state""#))
        .expect("a state line");
    assert!(state.contains(&format!(r#""at_ms":{ten}"#)), "{state}");
    // B's change at 11:00 is the newer, though A's sync came later.
    b.sync(dir.path());
    let cards = a.contents().cards;
    let d: Vec<&str> = cards[3].split('|').collect();
    // …|suspended|buried_until: not suspended, buried.
    assert_eq!(d[1], "Text([100])", "{cards:?}");
    assert_eq!(d[8], "Integer(0)", "{cards:?}");
    assert_ne!(d[9], "Null", "{cards:?}");
    assert_eq!(a.contents(), b.contents());
}

#[test]
fn a_reset_in_an_fsrs_deck_survives_the_replay_after_a_merge() {
    use recall::domain::scheduler::SchedulerKind;
    use recall::workflows::scheduling;
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = pair(dir.path());
    for device in [&mut a, &mut b] {
        scheduling::set(&mut device.ctx.store, "geo", SchedulerKind::Fsrs, None).unwrap();
    }
    a.answer("a", 4);
    a.sync(dir.path());
    b.sync(dir.path());
    b.advance(Duration::days(1));
    assert!(b.reset("a"));
    b.sync(dir.path());
    // A merges the reset, then an answer to another card: each merge
    // replays the FSRS decks from their logs.
    a.sync(dir.path());
    b.advance(Duration::hours(1));
    b.answer("b", 4);
    b.sync(dir.path());
    a.sync(dir.path());
    assert_eq!(card_state(&a, "a"), Some((0, false)));
    // The cards alike; the review rows of an FSRS deck are not (the merge
    // writes SM-2's states in them, the live answer FSRS's).
    assert_eq!(a.contents().cards, b.contents().cards);
}
