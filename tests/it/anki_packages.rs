//! Anki packages built here (rusqlite + zip + zstd) in Anki 2.0's layout
//! (schema 11), for what real packages rarely show: each collection file
//! name, exact schedules with `--with-progress`, notes that cannot become
//! cards, and hostile zips. How real Anki packages render is held against
//! Anki itself in `anki_fixtures`.

use std::io::{Cursor, Write};
use std::path::Path;

use predicates::prelude::*;
use zip::write::SimpleFileOptions;

use crate::common::{Env, day};
use crate::import_formats::{cards, env_with_db, imported, refused};

const BASIC: i64 = 1;
const REVERSED: i64 = 2;
const CLOZE: i64 = 3;
const FRENCH: i64 = 10;
/// 2026-03-01 minus 100 days, in Unix seconds: the collection's creation.
const CREATED: i64 = (20_513 - 100) * 86_400;

/// (guid, note type, fields, tags, cards as (ord, type, queue, due, ivl, factor, reps, lapses))
pub type Note<'a> = (
    &'a str,
    i64,
    &'a [&'a str],
    &'a str,
    &'a [(i64, i64, i64, i64, i64, i64, i64, i64)],
);

pub const NOTES: &[Note] = &[
    (
        "basicGuid1",
        BASIC,
        &["Capital of <b>France</b>?", "Paris<br>on the Seine"],
        " geo ",
        &[(0, 2, 2, 110, 20, 2300, 9, 1)],
    ),
    (
        "revGuid2",
        REVERSED,
        &["chat", "cat &amp; kitten"],
        "",
        &[(0, 0, 0, 1, 0, 0, 0, 0), (1, 0, -1, 2, 0, 0, 0, 0)],
    ),
    (
        "clozeGuid3",
        CLOZE,
        &[
            "{{c1::Paris}} is in {{c2::France::country}} <img src=\"map.png\">",
            "[sound:fr.mp3]",
        ],
        "geo",
        &[(0, 0, 0, 3, 0, 0, 0, 0), (1, 0, 0, 4, 0, 0, 0, 0)],
    ),
];

/// Anki's stock note types as schema 11 stores them: fields and templates.
fn models() -> serde_json::Value {
    let basic = |front: &str, back: &str| {
        serde_json::json!({"name": "Card 1", "ord": 0, "qfmt": front,
            "afmt": format!("{{{{FrontSide}}}}\n\n<hr id=answer>\n\n{back}")})
    };
    let fields = |names: &[&str]| -> Vec<serde_json::Value> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| serde_json::json!({"name": n, "ord": i}))
            .collect()
    };
    serde_json::json!({
        BASIC.to_string(): {"name": "Basic", "type": 0, "flds": fields(&["Front", "Back"]),
            "tmpls": [basic("{{Front}}", "{{Back}}")]},
        REVERSED.to_string(): {"name": "Basic (and reversed card)", "type": 0,
            "flds": fields(&["Front", "Back"]),
            "tmpls": [basic("{{Front}}", "{{Back}}"), basic("{{Back}}", "{{Front}}")]},
        CLOZE.to_string(): {"name": "Cloze", "type": 1, "flds": fields(&["Text", "Back Extra"]),
            "tmpls": [{"name": "Cloze", "ord": 0, "qfmt": "{{cloze:Text}}",
                       "afmt": "{{cloze:Text}}<br>\n{{Back Extra}}"}]},
    })
}

/// A schema-11 collection (Anki 2.0 to 2.1.49) holding `notes`.
pub fn collection(notes: &[Note]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "CREATE TABLE col (id INTEGER PRIMARY KEY, crt INTEGER, ver INTEGER, models TEXT,
             decks TEXT);
         CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, tags TEXT, flds TEXT);
         CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, ord INTEGER,
             type INTEGER, queue INTEGER, due INTEGER, ivl INTEGER, factor INTEGER,
             reps INTEGER, lapses INTEGER, odid INTEGER, odue INTEGER);",
    )
    .unwrap();
    let decks = serde_json::json!({ FRENCH.to_string(): {"name": "Lang::French"} });
    db.execute(
        "INSERT INTO col VALUES (1, ?1, 11, ?2, ?3)",
        rusqlite::params![CREATED, models().to_string(), decks.to_string()],
    )
    .unwrap();
    for (i, (guid, mid, fields, tags, cards)) in notes.iter().enumerate() {
        let nid = i as i64 + 1;
        db.execute(
            "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![nid, guid, mid, tags, fields.join("\u{1f}")],
        )
        .unwrap();
        for (ord, kind, queue, due, ivl, factor, reps, lapses) in cards.iter() {
            db.execute(
                "INSERT INTO cards (nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odid, odue)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, 0)",
                rusqlite::params![nid, FRENCH, ord, kind, queue, due, ivl, factor, reps, lapses],
            )
            .unwrap();
        }
    }
    drop(db);
    std::fs::read(path).unwrap()
}

/// A zip of (name, bytes) entries.
fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A package as the given Anki version writes it.
fn package(collection_name: &str) -> Vec<u8> {
    let mut entries = vec![];
    match collection_name {
        "collection.anki21b" => {
            // An empty media list: zstd-compressed protobuf, as Anki writes it.
            let media = ruzstd::encoding::compress_to_vec(
                &[][..],
                ruzstd::encoding::CompressionLevel::Fastest,
            );
            entries.push(("media", media));
            let sqlite = collection(NOTES);
            let zstd = ruzstd::encoding::compress_to_vec(
                sqlite.as_slice(),
                ruzstd::encoding::CompressionLevel::Fastest,
            );
            entries.push(("collection.anki21b", zstd));
            // Current Anki adds a dummy legacy collection for old clients.
            let dummy: &[Note] = &[(
                "dummy",
                BASIC,
                &["Please update to the latest Anki version", "x"],
                "",
                &[(0, 0, 0, 0, 0, 0, 0, 0)],
            )];
            entries.push(("collection.anki2", collection(dummy)));
        }
        name => {
            entries.push(("media", b"{}".to_vec()));
            entries.push((name, collection(NOTES)));
        }
    }
    zip_of(&entries)
}

#[test]
fn each_collection_file_name_gives_the_three_note_types() {
    for name in [
        "collection.anki21b",
        "collection.anki21",
        "collection.anki2",
    ] {
        let env = Env::new();
        let apkg = env.file("french.apkg", package(name));
        let report = imported(&env, &day(0), &[], &apkg, "Lang::French: 5 added");
        assert!(
            report.contains("2 media reference(s) kept as text"),
            "{report}"
        );
        assert!(
            report.contains("1 card(s) have Anki review history"),
            "{report}"
        );
        let cards = cards(&env, "Lang::French");
        let ids: Vec<_> = cards.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "basicGuid1",
                "revGuid2",
                "revGuid2:reverse",
                "clozeGuid3:c1",
                "clozeGuid3:c2"
            ],
            "{name}"
        );
        assert_eq!(cards[0]["front"], "Capital of France?");
        assert_eq!(cards[0]["back"], "Paris\non the Seine");
        assert_eq!(cards[0]["tags"], serde_json::json!(["geo"]));
        assert_eq!(cards[2]["front"], "cat & kitten");
        assert_eq!(cards[2]["back"], "chat");
        assert_eq!(cards[3]["front"], "[...] is in France [image: map.png]");
        assert_eq!(cards[4]["front"], "Paris is in [country] [image: map.png]");
        assert_eq!(
            cards[4]["back"],
            "Paris is in France [image: map.png]\n[sound:fr.mp3]"
        );

        // Re-import: everything unchanged.
        imported(
            &env,
            &day(1),
            &[],
            &apkg,
            "0 added, 0 updated, 5 unchanged, 0 missing",
        );
    }
}

fn schedule(env: &Env, key: &str) -> (i64, i64, i64, Option<i64>, i64) {
    let db = rusqlite::Connection::open(&env.db).unwrap();
    db.query_row(
        "SELECT repetitions, efactor, interval, due, lapses FROM cards WHERE key = ?1",
        [key],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )
    .unwrap()
}

#[test]
fn with_progress_maps_review_cards_onto_sm2_once() {
    let env = Env::new();
    let apkg = env.file("french.apkg", package("collection.anki21b"));
    env.at(&day(0))
        .args(["import", "--with-progress"])
        .arg(&apkg)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "5 added, 0 updated, 0 unchanged, 0 missing, 1 scheduled from Anki, 1 suspended",
        ));
    // Review card: interval 20, ease 2.3, due 110 days after creation = day 10.
    assert_eq!(
        schedule(&env, "basicGuid1"),
        (2, 2300, 20, Some(20_513 + 10), 1)
    );
    // New cards stay new; Anki's suspension carries over.
    assert_eq!(schedule(&env, "revGuid2"), (0, 2500, 0, None, 0));
    let db = rusqlite::Connection::open(&env.db).unwrap();
    let suspended: Vec<(String, bool)> = db
        .prepare("SELECT key, suspended FROM cards WHERE key LIKE 'revGuid2%' ORDER BY key")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        suspended,
        [
            ("revGuid2".into(), false),
            ("revGuid2:reverse".into(), true)
        ]
    );
    // Recall's own progress is never overwritten by a second --with-progress.
    let next = env.json(&day(10), &["next", "--deck", "Lang::French", "--json"]);
    let id = next["card"]["id"].as_i64().unwrap().to_string();
    env.json(&day(10), &["answer", &id, "5", "--json"]);
    let after = schedule(&env, "basicGuid1");
    env.at(&day(10))
        .args(["import", "--with-progress"])
        .arg(&apkg)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "0 added, 0 updated, 5 unchanged, 0 missing\n",
        ));
    assert_eq!(schedule(&env, "basicGuid1"), after);
}

/// Patches the declared uncompressed size of every entry (local header and
/// central directory) to claim 4 GiB.
fn claim_huge_sizes(mut zip: Vec<u8>) -> Vec<u8> {
    let mut i = 0;
    while i + 30 < zip.len() {
        let at = match &zip[i..i + 4] {
            b"PK\x03\x04" => Some(i + 22),
            b"PK\x01\x02" => Some(i + 24),
            _ => None,
        };
        if let Some(at) = at {
            zip[at..at + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        }
        i += 1;
    }
    zip
}

/// A zstd frame of RLE blocks that inflates to `blocks` × 128 KiB of zeros
/// from a few bytes each: a zstd bomb.
pub fn zstd_bomb(blocks: usize) -> Vec<u8> {
    let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38];
    for i in 0..blocks {
        let last = u32::from(i + 1 == blocks);
        let header = (128 * 1024) << 3 | 1 << 1 | last;
        frame.extend_from_slice(&header.to_le_bytes()[..3]);
        frame.push(0);
    }
    frame
}

#[test]
fn hostile_packages_are_refused_and_change_nothing() {
    let env = env_with_db();
    let sqlite = collection(NOTES);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "notanki.apkg",
            zip_of(&[("hello.txt", b"hi".to_vec())]),
            "a zip file, but not an Anki package",
        ),
        (
            "slip.apkg",
            zip_of(&[
                ("collection.anki21", sqlite.clone()),
                ("../../evil", b"x".to_vec()),
            ]),
            "unsafe path \"../../evil\"",
        ),
        (
            "corrupt.apkg",
            zip_of(&[("collection.anki21", {
                let mut bad = sqlite.clone();
                for b in bad.iter_mut().skip(100).take(4000) {
                    *b = 0x5a;
                }
                bad
            })]),
            "collection.anki21 is not a readable Anki collection",
        ),
        (
            "notsqlite.apkg",
            zip_of(&[(
                "collection.anki2",
                b"SQLite format 3\0 but not really".to_vec(),
            )]),
            "collection.anki2 is not a readable Anki collection (file is not a database)",
        ),
        (
            "declared.apkg",
            claim_huge_sizes(zip_of(&[("collection.anki21", sqlite.clone())])),
            "collection.anki21 declares 4294967280 bytes inflated",
        ),
        (
            "bomb.apkg",
            zip_of(&[("collection.anki21b", zstd_bomb(2100))]),
            "collection.anki21b inflates past the limit",
        ),
        (
            "notzstd.apkg",
            zip_of(&[("collection.anki21b", sqlite.clone())]),
            "collection.anki21b is not zstd data",
        ),
        (
            "nonotes.apkg",
            zip_of(&[("collection.anki21", collection(&[]))]),
            "no notes: the collection is empty",
        ),
    ];
    for (name, bytes, fragment) in cases {
        let path = env.file(name, bytes);
        refused(
            &env,
            &[path.as_os_str()],
            &format!("{}: {fragment}", path.display()),
        );
    }
    assert!(Path::new(&env.db).exists());
}

#[test]
fn notes_that_cannot_become_cards_are_skipped_with_reasons() {
    let env = Env::new();
    let notes: &[Note] = &[
        ("ok", BASIC, &["q", "a"], "", &[(0, 0, 0, 0, 0, 0, 0, 0)]),
        (
            "third",
            BASIC,
            &["q3", "a3"],
            "",
            &[(2, 0, 0, 0, 0, 0, 0, 0)],
        ),
        (
            "nodel",
            CLOZE,
            &["no deletions here", ""],
            "",
            &[(0, 0, 0, 0, 0, 0, 0, 0)],
        ),
        (
            "emptyback",
            BASIC,
            &["q4", "<br>"],
            "",
            &[(0, 0, 0, 0, 0, 0, 0, 0)],
        ),
        (
            "stranger",
            99,
            &["q5", "a5"],
            "",
            &[(0, 0, 0, 0, 0, 0, 0, 0)],
        ),
        (
            "occluded",
            CLOZE,
            &[
                "{{c1::image-occlusion:rect:left=.1:top=.2}}<img src=\"x.png\">",
                "",
            ],
            "",
            &[(0, 0, 0, 0, 0, 0, 0, 0)],
        ),
    ];
    let apkg = env.file(
        "mixed.colpkg",
        zip_of(&[("collection.anki21", collection(notes))]),
    );
    // An empty back is no reason to skip: Anki shows such cards too.
    let report = imported(&env, &day(0), &[], &apkg, "Lang::French: 2 added");
    for reason in [
        "4 skipped:",
        "note \"occluded\": image occlusion",
        "note \"third\": card 3 of \"Basic\": the note type has no template for it",
        "note \"nodel\": card 1 of \"Cloze\": its front is empty",
        "note \"stranger\": unknown note type 99",
    ] {
        assert!(report.contains(reason), "{reason:?} in {report}");
    }
    env.at(&day(0))
        .arg("check")
        .arg(&apkg)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("skipped note \"nodel\""));
}
