//! The package layouts: the current one by default (what Anki writes since
//! 2.1.50), the legacy one with `--legacy`, and a collection package
//! (`export all --format colpkg`) that always carries progress.

use std::io::Read;

use crate::anki_export_progress::{NOW, export, export_all, imported, log, states, studied};

/// The names of the zip's entries, in order.
fn entries(path: &std::path::Path) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

/// The studied deck exported in the current layout and with `--legacy`.
fn both_layouts(env: &crate::common::Env) -> (std::path::PathBuf, std::path::PathBuf) {
    let (current, legacy) = (env.dir.path().join("c.apkg"), env.dir.path().join("l.apkg"));
    export(env, &current, &[]);
    export(env, &legacy, &["--legacy"]);
    (current, legacy)
}

#[test]
fn the_current_layout_is_the_default_and_legacy_keeps_the_old_one() {
    let env = studied();
    let (current, legacy) = both_layouts(&env);
    assert_eq!(
        entries(&current),
        ["meta", "collection.anki21b", "collection.anki2", "media"]
    );
    assert_eq!(entries(&legacy), ["collection.anki21", "media"]);

    // The placeholder is a collection of its own, one note asking to update.
    let path = env.file("placeholder.anki2", entry(&current, "collection.anki2"));
    let db = rusqlite::Connection::open(&path).unwrap();
    let text: String = db
        .query_row("SELECT flds FROM notes", [], |r| r.get(0))
        .unwrap();
    assert!(
        text.starts_with("Please update to the latest Anki"),
        "{text}"
    );
}

/// The bytes of the zip entry `name`.
fn entry(path: &std::path::Path, name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

/// The collection in a package's entry `name`, as a file open in SQLite,
/// with Anki's collation of names (schema 18's indexes use it).
fn collection(env: &crate::common::Env, bytes: &[u8], file: &str) -> rusqlite::Connection {
    let db = rusqlite::Connection::open(env.file(file, bytes)).unwrap();
    db.create_collation("unicase", |a: &str, b: &str| {
        a.to_lowercase().cmp(&b.to_lowercase())
    })
    .unwrap();
    db
}

/// The current layout's `collection.anki21b` is schema 18 as Anki's own
/// exporter writes it: version 18, the JSON columns of `col` empty, the
/// note types, fields, templates, decks, options, settings and tags in
/// their tables. `--legacy` keeps schema 11, everything in `col`. (Anki
/// itself opening both: `tests/anki/schema18_check.py`; recall's reader
/// reads both back: `schedules_suspensions_burials_and_the_log_come_back`.)
#[test]
fn the_current_layout_holds_schema_18_and_legacy_schema_11() {
    let env = studied();
    let (current, legacy) = both_layouts(&env);
    let mut sqlite = Vec::new();
    let zstd = entry(&current, "collection.anki21b");
    ruzstd::decoding::StreamingDecoder::new(zstd.as_slice())
        .unwrap()
        .read_to_end(&mut sqlite)
        .unwrap();
    let db = collection(&env, &sqlite, "c.anki21b");
    let one = |sql: &str| -> String { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(one("SELECT CAST(ver AS TEXT) FROM col"), "18");
    assert_eq!(
        one("SELECT conf || models || decks || dconf || tags FROM col"),
        ""
    );
    let count = |table: &str| one(&format!("SELECT CAST(count(*) AS TEXT) FROM {table}"));
    // Five note types (Basic, reversed, cloze, typed, typed cloze) of three
    // fields each.
    let counts: Vec<String> = ["notetypes", "fields", "templates", "deck_config"]
        .iter()
        .map(|t| count(t))
        .collect();
    assert_eq!(counts, ["5", "15", "6", "1"]);
    // Levels apart by 0x1f, the parent and Anki's Default deck too.
    assert_eq!(
        one(
            "SELECT group_concat(replace(name, char(31), '/'), ',') FROM \
             (SELECT name FROM decks ORDER BY name)"
        ),
        "Default,Lang,Lang/French"
    );
    assert_eq!(
        one("SELECT CAST(val AS TEXT) FROM config WHERE KEY = 'creationOffset'"),
        "0"
    );
    assert_ne!(count("tags"), "0");
    // The cloze type says so in its protobuf config (field 1, kind = 1).
    let config: Vec<u8> = db
        .query_row(
            "SELECT config FROM notetypes WHERE name = 'recall Cloze'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(config[..2], [0x08, 0x01]);

    let db = collection(&env, &entry(&legacy, "collection.anki21"), "l.anki21");
    let ver: i64 = db
        .query_row("SELECT ver FROM col", [], |r| r.get(0))
        .unwrap();
    let models: String = db
        .query_row("SELECT models FROM col", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ver, 11);
    assert!(models.contains("\"recall Cloze\""), "{models}");
    let tables: i64 = db
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'notetypes'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0);
}

#[test]
fn a_collection_package_carries_every_deck_with_progress() {
    let env = studied();
    let out = env.dir.path().join("all.colpkg");
    // No --with-progress: a collection package replaces Anki's collection,
    // so it never leaves the history behind.
    export_all(&env, "colpkg", &out);
    assert_eq!(
        entries(&out),
        ["meta", "collection.anki21b", "collection.anki2", "media"]
    );
    let (other, _) = imported(&out);
    assert_eq!(states(&other), states(&env));
    assert_eq!(log(&other).len(), log(&env).len());
    // The bundled decks came along too, named with Anki's `::`.
    let decks = other.json(NOW, &["decks", "--json"]);
    assert!(decks.to_string().contains("\"AWS::RDS\""), "{decks}");
}

/// Anki's "Notes in Plain Text": the same notes, GUIDs and cards as the
/// package, so recall (and Anki, matching by GUID) reads the same deck back.
#[test]
fn the_text_format_reads_back_as_the_package_does() {
    let env = studied();
    let txt = env.dir.path().join("french.txt");
    env.at(NOW)
        .args([
            "export",
            "deck",
            "Lang::French",
            "--format",
            "anki-txt",
            "--output",
        ])
        .arg(&txt)
        .assert()
        .success();
    let text = std::fs::read_to_string(&txt).unwrap();
    assert!(
        text.starts_with("#separator:tab\n#html:true\n#guid column:1\n"),
        "{text}"
    );
    let apkg = env.dir.path().join("french.apkg");
    export(&env, &apkg, &[]);
    let deck = |path: &std::path::Path| {
        let (other, _) = imported(path);
        other.json(NOW, &["export", "deck", "Lang::French", "--format", "json"])
    };
    let (from_text, from_package) = (deck(&txt), deck(&apkg));
    assert_eq!(from_text["cards"].as_array().unwrap().len(), 7);
    assert_eq!(from_text, from_package);
}

/// Every new format goes through the same whole-or-absent output: an
/// existing file stays as it was without `--force`.
#[test]
fn a_collection_package_or_text_file_never_replaces_a_file_without_force() {
    let env = studied();
    for (what, name) in [("colpkg", "taken.colpkg"), ("anki-txt", "taken.txt")] {
        let out = env.file(name, "keep me");
        let args: &[&str] = if what == "colpkg" {
            &["export", "all", "--format", "colpkg", "--output"]
        } else {
            &[
                "export",
                "deck",
                "Lang::French",
                "--format",
                "anki-txt",
                "--output",
            ]
        };
        let refused = env.at(NOW).args(args).arg(&out).output().unwrap();
        assert!(!refused.status.success(), "{what}");
        assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
        assert_eq!(std::fs::read(&out).unwrap(), b"keep me", "{what}");
        env.at(NOW)
            .args(args)
            .arg(&out)
            .arg("--force")
            .assert()
            .success();
        assert_ne!(std::fs::read(&out).unwrap(), b"keep me", "{what}");
    }
}

/// `export all --format anki-txt`: every deck in one text file, each row
/// naming its note's deck, on stdout without `--output`; recall reads it
/// back as the decks it has: the same cards, tags and notes (the ids are
/// the GUIDs then, as after any Anki import).
#[test]
fn every_deck_goes_into_one_text_file_with_a_deck_column() {
    let env = studied();
    let done = env
        .at(NOW)
        .args(["export", "all", "--format", "anki-txt"])
        .output()
        .unwrap();
    assert!(done.status.success());
    let text = String::from_utf8(done.stdout).unwrap();
    assert!(text.contains("#deck column:3\n"), "{text}");
    // Rows as Anki reads them: quoted fields may hold line breaks.
    let decks: std::collections::BTreeSet<String> = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|row| row.unwrap()[2].to_string())
        .collect();
    assert!(decks.contains("Lang::French") && decks.contains("AWS::RDS"));
    assert_eq!(decks.len(), 11, "{decks:?}");

    let (from_text, _) = imported(&env.file("all.txt", &text));
    let cards = |env: &crate::common::Env, deck: &str| {
        let mut json = env.json(NOW, &["export", "deck", deck, "--format", "json"]);
        for card in json["cards"].as_array_mut().unwrap() {
            card.as_object_mut().unwrap().remove("id");
        }
        json["cards"].take()
    };
    for deck in &decks {
        // recall's bundled decks are named with ` · `, found by `::` too.
        assert_eq!(cards(&from_text, deck), cards(&env, deck), "{deck}");
    }
}

/// A package is binary: `export all` writes one only to a named file.
#[test]
fn export_all_needs_a_file_for_a_package_but_not_for_text() {
    let env = studied();
    for format in ["apkg", "colpkg"] {
        let done = env
            .at(NOW)
            .args(["export", "all", "--format", format])
            .output()
            .unwrap();
        assert!(!done.status.success(), "{format}");
        assert!(done.stdout.is_empty(), "{format}");
        assert!(String::from_utf8_lossy(&done.stderr).contains("--output"));
    }
}

/// Anki's deck names ignore case (schema 18 holds each once): recall's
/// decks "Zed" and "zed" go out as one Anki deck, named as the first, with
/// the cards of both.
#[test]
fn decks_differing_only_in_case_go_into_one_anki_deck() {
    let env = crate::common::Env::new();
    for (file, name, front) in [("a.toml", "Zed", "one"), ("b.toml", "zed", "two")] {
        let deck = format!(
            "name = \"{name}\"\n[[cards]]\nid = \"a\"\nfront = \"{front}\"\nback = \"b\"\n"
        );
        env.at(NOW)
            .arg("import")
            .arg(env.file(file, deck))
            .assert()
            .success();
    }
    let out = env.dir.path().join("all.apkg");
    export_all(&env, "apkg", &out);
    let (other, _) = imported(&out);
    let zed = other.json(NOW, &["export", "deck", "Zed", "--format", "json"]);
    assert_eq!(zed["name"], "Zed");
    let fronts: Vec<&str> = zed["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["front"].as_str().unwrap())
        .collect();
    assert_eq!(fronts, ["one", "two"]);
}
