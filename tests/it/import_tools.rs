//! The deck files of other tools (hashcards, carddown, ki, hascard, vocage,
//! Mnemosyne), text files as Anki reads them, bare Anki collections, and
//! the files recall must refuse by name: each imports with the right cards
//! and re-imports unchanged, or fails naming the file and writing nothing.

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::anki_packages::{NOTES, collection, zstd_bomb};
use crate::common::{Env, day};
use crate::import_formats::{cards, env_with_db, fixture, imported, refused};

/// (card front, back) pairs of a deck, as exported.
fn sides(env: &Env, deck: &str) -> Vec<(String, String)> {
    let text = |c: &Value, k: &str| c[k].as_str().unwrap_or_default().to_string();
    cards(env, deck)
        .iter()
        .map(|c| (text(c, "front"), text(c, "back")))
        .collect()
}

/// Imports `file` (with `args`), expecting `added` new cards in `deck`,
/// then again, expecting every card unchanged.
fn imports_then_unchanged(
    env: &Env,
    args: &[&str],
    file: &Path,
    deck: &str,
    added: usize,
) -> String {
    let first = imported(env, &day(0), args, file, &format!("{deck}: {added} added"));
    imported(
        env,
        &day(1),
        args,
        file,
        &format!("{deck}: 0 added, 0 updated, {added} unchanged, 0 missing"),
    );
    first
}

#[test]
fn hashcards_pairs_and_deletions_are_cards() {
    let env = Env::new();
    let file = fixture("tools/hashcards.md");
    imports_then_unchanged(&env, &[], &file, "hashcards", 5);
    let sides = sides(&env, "hashcards");
    assert_eq!(
        sides[0],
        (
            "Which planet is closest to the Sun?".into(),
            "Mercury".into()
        )
    );
    assert!(sides[1].1.starts_with("$$\nx = \\frac"), "{:?}", sides[1]);
    assert_eq!(sides[2].0, "[...] is the capital of Australia.");
    assert_eq!(sides[3].0, "Canberra is the capital of [...].");
    assert_eq!(sides[3].1, "Canberra is the capital of Australia.");
    assert_eq!(
        sides[4].0,
        "Only [...] is a deletion: [not this],\nnor the image ![map](map.png)"
    );
}

#[test]
fn an_edited_hashcards_answer_keeps_its_card() {
    let env = Env::new();
    let file = env.file(
        "geo.md",
        "Q: Capital of France?\nA: Paris\n\nC: [Rome] is in [Italy].\n",
    );
    imported(&env, &day(0), &[], &file, "geo: 3 added");
    env.file(
        "geo.md",
        "Q: Capital of France?\nA: Paris, on the Seine\n\nC: [Rome] is in [Italy].\n",
    );
    imported(
        &env,
        &day(1),
        &[],
        &file,
        "geo: 0 added, 1 updated, 2 unchanged",
    );
}

#[test]
fn carddown_blocks_and_micro_cards_are_cards() {
    let env = Env::new();
    let file = fixture("tools/carddown.md");
    let report = imports_then_unchanged(&env, &[], &file, "carddown", 2);
    assert!(report.contains("1 skipped"), "{report}");
    assert!(report.contains("no end line"), "{report}");
    let cards = cards(&env, "carddown");
    assert_eq!(cards[0]["front"], "What is the unit of force?");
    assert_eq!(cards[0]["back"], "the newton");
    assert_eq!(cards[0]["tags"], serde_json::json!(["physics"]));
    assert_eq!(cards[1]["front"], "Kinetic energy");
    assert_eq!(
        cards[1]["back"],
        "E = ½ m v²\n\nfor a body of mass m at speed v"
    );
    assert_eq!(cards[1]["tags"], serde_json::json!(["physics", "energy"]));
}

#[test]
fn a_ki_note_is_a_card_keyed_by_its_guid() {
    let env = Env::new();
    imports_then_unchanged(&env, &[], &fixture("tools/ki.md"), "ki", 1);
    let card = &cards(&env, "ki")[0];
    assert_eq!(card["id"], "kiGuid_01");
    assert_eq!(card["front"], "When is a program data-race free?");
    assert!(
        card["back"]
            .as_str()
            .unwrap()
            .contains("ordered by synchronisation"),
        "{card}"
    );
    assert_eq!(card["tags"], serde_json::json!(["lecture_3"]));
}

#[test]
fn hascard_quizzes_become_fronts_and_backs() {
    let env = Env::new();
    imports_then_unchanged(&env, &[], &fixture("tools/hascard.txt"), "hascard", 4);
    let sides = sides(&env, "hascard");
    assert_eq!(
        sides[0],
        (
            "Which wavelength is green?\n\na) 450 nm\nb) 530 nm\nc) 650 nm".into(),
            "b) 530 nm".into()
        )
    );
    assert_eq!(sides[1].1, "red green blue");
    assert_eq!(sides[2].1, "[x] Red\n[ ] Yellow\n[x] Blue");
    assert_eq!(sides[3].1, "1. Blue\n2. Green\n3. Red");
}

#[test]
fn a_vocage_file_shows_every_column_and_drops_its_schedule() {
    let env = Env::new();
    imports_then_unchanged(&env, &[], &fixture("tools/vocage.tsv"), "vocage", 3);
    let sides = sides(&env, "vocage");
    assert_eq!(
        sides[0],
        ("Hund".into(), "Gender: der\nMeaning: dog".into())
    );
    assert_eq!(
        sides[1],
        ("Katze".into(), "Gender: die\nMeaning: cat".into())
    );
    assert_eq!(sides[2], ("Haus".into(), "Meaning: house".into()));
}

#[test]
fn anki_text_rows_are_read_as_anki_reads_them() {
    let env = Env::new();
    let file = fixture("tools/anki_text.txt");
    let report = imports_then_unchanged(&env, &[], &file, "anki_text", 6);
    for said in [
        "1 skipped",
        "the first field is empty",
        "1 short row(s) padded",
        "1 long row(s)",
    ] {
        assert!(report.contains(said), "{said:?} in {report}");
    }
    let cards = cards(&env, "anki_text");
    assert_eq!(cards[2]["front"], "schreiben");
    assert_eq!(
        cards[2]["id"].as_str().unwrap(),
        format!("{}-2", cards[1]["id"].as_str().unwrap())
    );
    assert_eq!(cards[3]["notes"], "fields");
    assert_eq!(cards[4]["back"], "");
}

#[test]
fn a_mnemosyne_database_imports_with_its_ids() {
    let env = Env::new();
    let path = env.dir.path().join("default.db");
    mnemosyne(&path);
    imports_then_unchanged(&env, &[], &path, "default", 3);
    let cards = cards(&env, "default");
    let ids: Vec<_> = cards.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["mn1", "mn2", "mn3"]);
    assert_eq!(cards[1]["front"], "bonjour");
    assert_eq!(cards[1]["tags"], serde_json::json!(["french_words"]));
}

/// A small Mnemosyne 2 database: a front-to-back card and a reversible pair.
fn mnemosyne(path: &Path) {
    let db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch(
        "CREATE TABLE cards(_id integer primary key, id text, question text, answer text);
         CREATE TABLE data_for_fact(_fact_id integer, key text, value text);
         CREATE TABLE fact_views(id text primary key);
         CREATE TABLE tags(_id integer primary key, id text, name text);
         CREATE TABLE tags_for_card(_card_id integer, _tag_id integer);
         INSERT INTO cards VALUES (1, 'mn1', 'two + two', '<b>four</b>'),
           (2, 'mn2', 'bonjour', 'hello'), (3, 'mn3', 'hello', 'bonjour');
         INSERT INTO tags VALUES (1, 't', 'french words');
         INSERT INTO tags_for_card VALUES (2, 1);",
    )
    .unwrap();
}

#[test]
fn bare_anki_collections_are_read_plain_or_zstd_compressed() {
    let env = Env::new();
    let sqlite = collection(NOTES);
    let plain = env.file("collection.anki2", &sqlite);
    imported(&env, &day(0), &[], &plain, "Lang::French: 5 added");
    let zstd = ruzstd::encoding::compress_to_vec(
        collection(NOTES).as_slice(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    for name in ["collection.anki21b", "backup-without-extension"] {
        let file = env.file(name, &zstd);
        imported(&env, &day(1), &[], &file, "0 added, 0 updated, 5 unchanged");
    }
    let env = env_with_db();
    let bomb = env.file("bomb.anki21b", zstd_bomb(2100));
    refused(&env, &[bomb.as_os_str()], "inflates past the limit");
    let junk = env.file("collection.anki21b", b"\x28\xb5\x2f\xfdjunk");
    refused(
        &env,
        &[junk.as_os_str()],
        "collection.anki21b: the zstd data ",
    );
}

#[test]
fn other_binary_files_are_named_for_what_they_are() {
    let env = env_with_db();
    let anki1 = env.dir.path().join("old.anki");
    rusqlite::Connection::open(&anki1)
        .unwrap()
        .execute_batch(
            "CREATE TABLE facts(id); CREATE TABLE fieldModels(id); CREATE TABLE cardModels(id);",
        )
        .unwrap();
    let other = env.dir.path().join("places.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE cities(name); CREATE TABLE rivers(name);")
        .unwrap();
    let pdf = env.file("slides.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n");
    let gzip = env.file("deck.txt", b"\x1f\x8b\x08\x00\x00\x00\x00\x00");
    for (file, said) in [
        (&anki1, "old.anki: an Anki 1.x deck"),
        (
            &other,
            "places.db: a SQLite database of another program (tables: cities, rivers)",
        ),
        (&pdf, "slides.csv: a PDF document, not a deck file"),
        (&gzip, "deck.txt: gzip-compressed data"),
    ] {
        refused(&env, &[file.as_os_str()], said);
    }
}

#[test]
fn a_file_without_cards_says_what_was_looked_for() {
    let env = env_with_db();
    let cases = [
        (fixture("tools/obscure.md"), "no cards: no `Q:` lines"),
        (
            env.file("empty.toml", "name = \"Empty\"\ncards = []\n"),
            "no cards: the deck's `cards` list is empty",
        ),
        (
            env.file("empty.json", "{\"name\": \"Empty\", \"cards\": []}"),
            "no cards",
        ),
        (
            env.file("header.csv", "front,back\n"),
            "no cards: the file has no data rows",
        ),
        (
            env.file("fronts.txt", "\tonly backs\n\tand more\n"),
            "no cards: the first field of all 2 row(s)",
        ),
        (
            env.file("prose.md", "Just prose, #flashcard-free\n"),
            "no cards",
        ),
        (
            env.file("ignored.md", "@carddown-ignore\nq : a 🧠\n"),
            "no cards: the file says @carddown-ignore",
        ),
    ];
    for (file, said) in &cases {
        refused(
            &env,
            &[file.as_os_str()],
            &format!("{}: {said}", file.display()),
        );
    }
    let obscure = fixture("tools/obscure.md");
    env.at(&day(0))
        .arg("import")
        .arg(&obscure)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("try --format hashcards"));
}

#[test]
fn format_names_choose_the_reader() {
    let env = Env::new();
    let notes = env.file("cards.txt", "Q: one\nA: 1\nQ: two\nA: 2\n");
    imported(
        &env,
        &day(0),
        &["--format", "hashcards"],
        &notes,
        "cards: 2 added",
    );
    env.at(&day(0))
        .args(["import", "--format", "pdf"])
        .arg(&notes)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "hashcards, carddown, ki, hascard, vocage, mnemosyne",
        ));
    let md = env.file("hc.md", "Q: one\nA: 1\nQ: two\nA: 2\n");
    let before = std::fs::read(&md).unwrap();
    imported(&env, &day(0), &["--write-ids"], &md, "hc: 2 added");
    assert_eq!(
        std::fs::read(&md).unwrap(),
        before,
        "--write-ids leaves hashcards alone"
    );
}

#[test]
fn crowdanki_decks_make_the_cards_anki_would() {
    let env = Env::new();
    let file = fixture("tools/crowdanki.json");
    imports_then_unchanged(&env, &[], &file, "Capitals", 3);
    assert_eq!(
        sides(&env, "Capitals"),
        [
            ("France".to_string(), "Paris".to_string()),
            ("Paris".to_string(), "France".to_string()),
            ("Peru".to_string(), "Lima".to_string()),
        ]
    );
    let cloze = sides(&env, "Capitals::Cloze");
    assert_eq!(cloze[1].0, "Rome is the capital of [country]");
    assert_eq!(cloze[1].1, "Rome is the capital of Italy\non the Tiber");
    let ids: Vec<_> = cards(&env, "Capitals")
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["cFr", "cFr:reverse", "cPe"]);

    // Named by --format under any file name; `--format json` is recall's
    // own JSON, which this is not.
    let env = env_with_db();
    let renamed = env.file("export.txt", std::fs::read(&file).unwrap());
    imported(
        &env,
        &day(0),
        &["--format", "crowdanki"],
        &renamed,
        "Capitals: 3 added",
    );
    let env = env_with_db();
    refused(
        &env,
        &["--format".as_ref(), "json".as_ref(), file.as_os_str()],
        "crowdanki.json:2:",
    );
}
