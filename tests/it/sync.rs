//! `recall sync` through the library: devices (databases in temp dirs)
//! sharing one folder, answering, undoing and syncing in random orders,
//! end identical; and each fault of docs/sync.md is detected and loses or
//! doubles nothing.

use chrono::Duration;
use recall::domain::rng::SplitMix64;
use recall::workflows::sync::{Options, sync};

use crate::reliability_support::Rng;
use crate::sync_support::{Device, KEYS, at, log_lines};

#[test]
fn answers_and_an_undo_travel_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Device::new(at("2026-03-01T09:00:00+01:00"));
    let mut b = Device::new(at("2026-03-01T20:00:00-05:00"));
    a.answer("a", 4);
    a.answer("b", 1);
    let first = a.sync(dir.path());
    assert_eq!(first.written, 3, "the device line and two answers");
    let got = b.sync(dir.path());
    assert_eq!((got.read, got.settled.added), (2, 2));
    // B takes back an answer it only has from A's log (the merge wrote
    // card b's last), then answers the next day.
    assert!(b.undo());
    b.advance(Duration::days(1));
    b.answer("a", 5);
    b.sync(dir.path());
    let back = a.sync(dir.path());
    assert_eq!(back.settled.added, 1);
    assert_eq!(back.settled.undone, 1);
    assert_eq!(a.contents(), b.contents());
    assert_eq!(a.contents().log.len(), 2);
    // Syncing again changes nothing and writes nothing.
    assert_eq!(a.sync(dir.path()).written, 0);
    assert_eq!(b.sync(dir.path()).written, 0);
    assert_eq!(a.contents(), b.contents());
}

/// 2–3 devices, random answers (same and different cards, same and other
/// days, clocks in other zones), undos, suspensions, burials, resets,
/// deletions (and imports that bring the cards back), deck renames and
/// syncs in a random order; after a last round of syncs every database
/// holds the same log, card states (suspension and burial too), deck
/// names and totals.
#[test]
fn random_interleavings_of_answers_undos_and_syncs_converge() {
    let mut rng = Rng::new("random_interleavings_of_answers_undos_and_syncs_converge");
    for round in 0..rounds() {
        let mut draw = SplitMix64(rng.next());
        let devices = 2 + (draw.next_u64() % 2) as usize;
        let dir = tempfile::tempdir().unwrap();
        let zones = ["+01:00", "-05:00", "+09:30"];
        let mut all: Vec<Device> = (0..devices)
            .map(|i| Device::new(at(&format!("2026-03-01T10:00:00{}", zones[i]))))
            .collect();
        let mut trace = Vec::new();
        for step in 0..50 {
            let d = (draw.next_u64() % devices as u64) as usize;
            // Each device's clock moves on by minutes to days; a device's
            // own millisecond keeps two devices' answers apart.
            let minutes = match draw.next_u64() % 4 {
                0 => 1,
                1 => 37,
                2 => 60 * 9,
                _ => 60 * 26,
            };
            all[d]
                .advance(Duration::minutes(minutes as i64) + Duration::milliseconds(d as i64 + 1));
            match draw.next_u64() % 14 {
                0..=5 => {
                    let key = KEYS[(draw.next_u64() % KEYS.len() as u64) as usize];
                    let grade = (draw.next_u64() % 6) as u8;
                    let answered = all[d].try_answer(key, grade);
                    trace.push(format!("{step}: {d} answers {key} {grade} ({answered})"));
                }
                6 => {
                    let undone = all[d].undo();
                    trace.push(format!("{step}: {d} undo ({undone})"));
                }
                7 => {
                    let key = KEYS[(draw.next_u64() % KEYS.len() as u64) as usize];
                    match draw.next_u64() % 3 {
                        0 => all[d].toggle_suspend(key),
                        n => all[d].bury(key, n == 1),
                    }
                    trace.push(format!("{step}: {d} suspends or buries {key}"));
                }
                8 => {
                    let key = KEYS[(draw.next_u64() % KEYS.len() as u64) as usize];
                    let reset = all[d].reset(key);
                    trace.push(format!("{step}: {d} resets {key} ({reset})"));
                }
                9 => {
                    let key = KEYS[(draw.next_u64() % KEYS.len() as u64) as usize];
                    let deleted = all[d].delete(key);
                    trace.push(format!("{step}: {d} deletes {key} ({deleted})"));
                }
                10 => {
                    all[d].reimport();
                    trace.push(format!("{step}: {d} imports the deck again"));
                }
                11 => {
                    let name = ["geo", "geography", "géo"][(draw.next_u64() % 3) as usize];
                    let renamed = all[d].rename(name);
                    trace.push(format!("{step}: {d} renames the deck {name} ({renamed})"));
                }
                _ => {
                    let report = all[d].sync(dir.path());
                    trace.push(format!("{step}: {d} syncs {:?}", report.settled));
                }
            }
        }
        for _ in 0..2 {
            for (d, device) in all.iter_mut().enumerate() {
                let report = device.sync(dir.path());
                trace.push(format!("end: {d} syncs {:?}", report.settled));
            }
        }
        let first = all[0].contents();
        for (i, device) in all.iter().enumerate().skip(1) {
            assert_eq!(
                device.contents(),
                first,
                "round {round}: device {i} differs from device 0 after:\n{}",
                trace.join("\n")
            );
        }
    }
}

/// 12 rounds; `RECALL_SYNC_ROUNDS` for a longer search.
fn rounds() -> usize {
    std::env::var("RECALL_SYNC_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12)
}

#[test]
fn a_partial_last_line_waits_for_the_next_sync() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Device::new(at("2026-03-01T09:00:00+00:00"));
    let mut b = Device::new(at("2026-03-01T09:00:00+00:00"));
    a.answer("a", 4);
    a.advance(Duration::minutes(5));
    a.answer("b", 4);
    let written = a.sync(dir.path());
    let full = std::fs::read(&written.log).unwrap();
    // As a sync tool copying the file mid-write would leave it.
    std::fs::write(&written.log, &full[..full.len() - 10]).unwrap();
    let got = b.sync(dir.path());
    assert_eq!(got.settled.added, 1);
    assert!(
        got.warnings
            .iter()
            .any(|w| w.contains(&format!("{}:3: incomplete last line", written.log))),
        "{:?}",
        got.warnings
    );
    std::fs::write(&written.log, &full).unwrap();
    let rest = b.sync(dir.path());
    assert_eq!(
        (rest.settled.added, rest.warnings.len()),
        (1, 0),
        "{:?}",
        rest.warnings
    );
    assert_eq!(a.contents(), b.contents());
}

#[test]
fn a_log_of_a_newer_format_is_refused_and_nothing_merged_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Device::new(at("2026-03-01T09:00:00+00:00"));
    let mut b = Device::new(at("2026-03-01T09:00:00+00:00"));
    a.answer("a", 4);
    let written = a.sync(dir.path());
    let mut text = std::fs::read_to_string(&written.log).unwrap();
    text.push_str("{\"v\":2,\"seq\":2,\"kind\":\"answer\",\"new\":true}\n");
    std::fs::write(&written.log, text).unwrap();
    let got = b.sync(dir.path());
    assert_eq!(got.settled.added, 0);
    assert!(b.contents().log.is_empty());
    let warning = got.warnings.join("\n");
    assert!(
        warning.contains(&format!("{}:3: written by a newer recall", written.log)),
        "{warning}"
    );
}

#[test]
fn a_deleted_log_is_reported_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Device::new(at("2026-03-01T09:00:00+00:00"));
    let mut b = Device::new(at("2026-03-01T09:00:00+00:00"));
    a.answer("a", 4);
    let written = a.sync(dir.path());
    b.sync(dir.path());
    std::fs::remove_file(&written.log).unwrap();
    // B keeps what it read, and says the file is gone.
    let got = b.sync(dir.path());
    assert!(got.warnings[0].contains("is gone"), "{:?}", got.warnings);
    assert_eq!(b.contents().log.len(), 1);
    // A writes its log again from its database, and B reads it again
    // without counting anything twice.
    let again = a.sync(dir.path());
    assert!(
        again.warnings[0].contains("this device's log is gone"),
        "{:?}",
        again.warnings
    );
    assert_eq!(log_lines(&again).len(), 2);
    let reread = b.sync(dir.path());
    assert_eq!(reread.settled.added, 0);
    assert!(
        reread.warnings[0].contains("truncated or rewritten"),
        "{:?}",
        reread.warnings
    );
    assert_eq!(a.contents(), b.contents());
}

#[test]
fn a_copied_database_is_detected_and_both_copies_answers_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Device::new(at("2026-03-01T09:00:00+00:00"));
    a.answer("a", 4);
    a.sync(dir.path());
    // The database copied to a second machine: one device id, twice.
    let copy_dir = tempfile::tempdir().unwrap();
    let copy_db = copy_dir.path().join("recall.db");
    a.ctx.store.backup_to(&copy_db).unwrap();
    let mut b = Device::new(at("2026-03-01T09:00:00+00:00"));
    b.db = copy_db.clone();
    b.ctx.store = recall::storage::Store::open(&copy_db).unwrap();
    a.advance(Duration::hours(1));
    a.answer("b", 4);
    let first = a.sync(dir.path());
    assert!(first.warnings.is_empty(), "{:?}", first.warnings);
    b.advance(Duration::hours(2));
    b.answer("c", 4);
    let second = b.sync(dir.path());
    assert!(
        second.warnings[0].contains("another database writes as this device"),
        "{:?}",
        second.warnings
    );
    assert_ne!(second.device, first.device);
    a.sync(dir.path());
    b.sync(dir.path());
    assert_eq!(a.contents(), b.contents());
    assert_eq!(a.contents().log.len(), 3, "a, b and c once each");
}

#[test]
fn a_sync_killed_before_its_commit_is_completed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Device::new(at("2026-03-01T09:00:00+00:00"));
    let mut b = Device::new(at("2026-03-01T09:00:00+00:00"));
    b.answer("d", 2);
    b.sync(dir.path());
    a.answer("a", 4);
    let killed = Options {
        stop_before_commit: true,
        ..Options::default()
    };
    assert!(sync(&mut a.ctx, dir.path(), killed).is_err());
    // The log has the answer; the database rolled back everything.
    assert!(a.contents().log.len() == 1);
    let done = a.sync(dir.path());
    assert_eq!(
        done.written, 0,
        "the appended lines are adopted, not written twice"
    );
    assert_eq!(done.settled.added, 1, "B's answer merged this time");
    assert_eq!(log_lines(&done).len(), 2);
    b.sync(dir.path());
    assert_eq!(a.contents(), b.contents());
}

#[test]
fn a_deck_imported_on_one_device_travels_with_its_answers() {
    use recall::domain::{CardDraft, DeckDraft};
    use recall::storage::ImportOptions;
    let langs = |back: &str, extra: bool| {
        let mut cards = vec![CardDraft {
            key: "hola".into(),
            front: "hola".into(),
            back: back.into(),
            notes: String::new(),
            tags: vec![],
            typed: false,
        }];
        if extra {
            cards.push(CardDraft {
                key: "adios".into(),
                front: "adiós".into(),
                back: "goodbye".into(),
                notes: String::new(),
                tags: vec![],
                typed: false,
            });
        }
        DeckDraft {
            name: "langs::es".into(),
            description: String::new(),
            position: None,
            cards,
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let mut a = Device::new(at("2026-03-01T09:00:00+00:00"));
    let mut b = Device::new(at("2026-03-01T09:00:00+00:00"));
    a.ctx
        .store
        .import(&[langs("hello", false)], ImportOptions::default(), 0)
        .unwrap();
    let hola = a
        .ctx
        .store
        .card_by_key("langs::es", "hola")
        .unwrap()
        .unwrap();
    let card = a.ctx.store.card(hola).unwrap().unwrap();
    recall::workflows::study::answer(
        &mut a.ctx.store,
        &a.ctx.clock,
        recall::domain::seen::Seen::Named(&card),
        recall::domain::Grade::new(5).unwrap(),
        1000,
        false,
    )
    .unwrap();
    let sent = a.sync(dir.path());
    assert_eq!(
        sent.decks.written.len(),
        2,
        "geo and langs::es: {:?}",
        sent.decks
    );
    let got = b.sync(dir.path());
    assert_eq!(got.decks.imported, vec!["langs::es".to_string()]);
    assert_eq!(got.settled.added, 1, "the answer merged in the same sync");
    // B keeps a copy of its own (any device's folder may be deleted), as
    // of A's change: not a newer one.
    let index = std::fs::read_to_string(
        dir.path()
            .join(format!("recall-sync/v1/decks/{}/index.json", got.device)),
    )
    .unwrap();
    assert!(
        index.contains(&format!(
            "\"changed_ms\": {}",
            at("2026-03-01T09:00:00+00:00").timestamp_millis()
        )),
        "{index}"
    );
    // Edited and grown on A: B takes the change, keeping the card's progress.
    a.advance(Duration::hours(1));
    a.ctx
        .store
        .import(&[langs("hello!", true)], ImportOptions::default(), 0)
        .unwrap();
    a.sync(dir.path());
    let again = b.sync(dir.path());
    assert_eq!(again.decks.imported, vec!["langs::es".to_string()]);
    assert_eq!(a.contents(), b.contents());
    let on_b = b
        .ctx
        .store
        .card_by_key("langs::es", "hola")
        .unwrap()
        .unwrap();
    let on_b = b.ctx.store.card(on_b).unwrap().unwrap();
    assert_eq!(on_b.back, "hello!");
    assert_eq!(on_b.schedule.repetitions, 1);
    assert_eq!(b.sync(dir.path()).decks.imported.len(), 0);
}

#[test]
fn suspensions_and_burials_travel_and_the_newest_change_wins() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Device::new(at("2026-03-01T09:00:00+00:00"));
    let mut b = Device::new(at("2026-03-01T09:00:00+00:00"));
    a.toggle_suspend("b");
    a.sync(dir.path());
    let got = b.sync(dir.path());
    assert_eq!(got.settled.states, 1);
    // B, later, takes the suspension back and buries c; A, earlier by its
    // clock, buries d meanwhile: both changes stand, B's b wins.
    b.advance(Duration::hours(2));
    b.toggle_suspend("b");
    b.bury("c", true);
    a.advance(Duration::hours(1));
    a.bury("d", true);
    b.sync(dir.path());
    let back = a.sync(dir.path());
    assert_eq!(back.settled.states, 2, "b unsuspended, c buried");
    b.sync(dir.path());
    assert_eq!(a.contents(), b.contents());
    let cards = a.contents().cards;
    assert!(cards[1].ends_with("|Integer(0)|Null"), "b: {}", cards[1]);
    assert!(!cards[2].ends_with("|Null"), "c buried: {}", cards[2]);
    // Each change went out once.
    let states = |report: &recall::workflows::sync::Report| {
        log_lines(report)
            .iter()
            .filter(|l| l.contains("\"kind\":\"state\""))
            .count()
    };
    assert_eq!(states(&a.sync(dir.path())), 2, "A: b suspended, d buried");
    assert_eq!(states(&b.sync(dir.path())), 2, "B: b back, c buried");
}

#[test]
fn a_deck_index_names_no_path_outside_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Device::new(at("2026-03-01T09:00:00+00:00"));
    // Another device's index pointing at a deck file elsewhere on disk.
    let elsewhere = dir.path().join("planted.json");
    std::fs::write(
        &elsewhere,
        r#"{"name": "planted", "cards": [{"id": "x", "front": "f", "back": "b"}]}"#,
    )
    .unwrap();
    let folder = dir
        .path()
        .join("recall-sync/v1/decks/0123456789abcdef0123456789abcdef");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("index.json"),
        r#"{"v": 1, "decks": {"planted": {"file": "../../../../planted.json", "hash": "0", "changed_ms": 9999999999999}}}"#,
    )
    .unwrap();
    let got = b.sync(dir.path());
    assert!(got.decks.imported.is_empty());
    assert!(
        got.warnings
            .iter()
            .any(|w| w.contains("planted.json") && w.contains("not imported")),
        "{:?}",
        got.warnings
    );
    assert!(b.ctx.store.card_by_key("planted", "x").unwrap().is_none());
}
