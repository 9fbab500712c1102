//! Every deck format through the CLI: good files import (and re-import
//! unchanged), bad files fail naming file and line with the database left
//! byte-for-byte as it was, exports read back as the same cards.

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use proptest::prelude::*;
use serde_json::Value;

use crate::common::{Env, day};

pub fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// An env whose database exists and holds one small deck.
pub fn env_with_db() -> Env {
    let env = Env::new();
    let deck = env.file(
        "seed.toml",
        "name = \"Seed\"\n[[cards]]\nid = \"s\"\nfront = \"q\"\nback = \"a\"\n",
    );
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    env
}

/// Runs `recall import ARGS` expecting failure with `fragment` on stderr
/// and no change at all to the database.
pub fn refused(env: &Env, args: &[&std::ffi::OsStr], fragment: &str) {
    let before = env.db_bytes();
    let out = env.at(&day(0)).arg("import").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail: {stderr}");
    assert!(
        stderr.contains(fragment),
        "{args:?}: expected {fragment:?} in: {stderr}"
    );
    assert!(env.db_bytes() == before, "{args:?} changed the database");
}

/// Runs `recall import FILE` at `now` (extra `args` first), expecting
/// success and `expected` in the report.
pub fn imported(env: &Env, now: &str, args: &[&str], file: &Path, expected: &str) -> String {
    let out = env
        .at(now)
        .arg("import")
        .args(args)
        .arg(file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "import {file:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(expected),
        "expected {expected:?} in: {stdout}"
    );
    stdout
}

/// (fixture, expected error fragment): file name, line where there is one.
const BAD: &[(&str, &str)] = &[
    ("empty.toml", "empty.toml: the file is empty"),
    ("blank.md", "blank.md: the file is empty"),
    ("garbage.csv", "garbage.csv:1:1: binary data"),
    ("garbage.apkg", "garbage.apkg: not a zip archive"),
    ("invalid_utf8.csv", "invalid_utf8.csv:2:6: not valid UTF-8"),
    (
        "utf16_odd.csv",
        "utf16_odd.csv: UTF-16 text with an odd number of bytes",
    ),
    (
        "ragged.csv",
        "ragged.csv:3:1: record 3 has 3 field(s), but the first row has 2",
    ),
    (
        "unterminated.csv",
        "unterminated.csv:3:1: a quoted field is never closed",
    ),
    (
        "unknown_header.txt",
        "unknown_header.txt:2:1: unknown header #colour:",
    ),
    (
        "bad_separator.txt",
        "bad_separator.txt:1:1: unknown separator \"wiggle\"",
    ),
    (
        "duplicate_ids.toml",
        "duplicate_ids.toml:8:1: duplicate id \"a\"",
    ),
    (
        "duplicate_ids.json",
        "duplicate_ids.json: cards[1]: duplicate id \"a\"",
    ),
    (
        "duplicate_ids.md",
        "duplicate_ids.md:8:1: duplicate id \"a\"",
    ),
    (
        "duplicate_ids.csv",
        "duplicate_ids.csv:3:1: duplicate id \"a\"",
    ),
    (
        "empty_back.csv",
        "empty_back.csv:3:1: the card's back is empty",
    ),
    (
        "no_question.md",
        "no_question.md:6:1: this card has no Q: line",
    ),
    ("syntax.json", "syntax.json:3:"),
    (
        "unknown_field.toml",
        "unknown_field.toml:4:1: unknown field `bak`",
    ),
];

#[test]
fn each_bad_fixture_is_refused_and_changes_nothing() {
    let env = env_with_db();
    for (name, fragment) in BAD {
        let path = fixture(&format!("bad/{name}"));
        refused(
            &env,
            &[path.as_os_str()],
            &format!("{}{}", fixture("bad/").display(), fragment),
        );
    }
}

#[test]
fn a_csv_file_reads_its_headers_past_a_bom_or_two() {
    // `decode_utf8` skips one BOM and the CSV reader one more, as some
    // tools write two: the file is read in pieces, and both still go.
    let env = env_with_db();
    for (deck, bom) in [("One", "\u{feff}"), ("Two", "\u{feff}\u{feff}")] {
        let text = format!("{bom}#separator:semicolon\n#deck:{deck}\nq;a, b\n");
        let file = env.file(&format!("{deck}.csv"), text);
        imported(&env, &day(0), &[], &file, &format!("{deck}: 1 added"));
        assert_eq!(cards(&env, deck)[0]["back"], "a, b");
    }
    // Whitespace only, past the first piece read too: empty, not a row
    // with one column (which the first record would show first).
    for (name, text) in [
        ("bom_only.csv", "\u{feff} \n".to_string()),
        ("blank.tsv", " \t\n".repeat(40_000)),
    ] {
        let file = env.file(name, text);
        refused(
            &env,
            &[file.as_os_str()],
            &format!("{name}: the file is empty"),
        );
    }
}

#[test]
fn a_field_over_one_mib_is_refused() {
    let env = env_with_db();
    let big = "x".repeat((1 << 20) + 1);
    let csv = env.file("big.csv", format!("front,back\nq,{big}\n"));
    refused(
        &env,
        &[csv.as_os_str()],
        "big.csv:2:1: record 2: column 2 is 1048577 bytes",
    );
    let toml = env.file(
        "big.toml",
        format!("name = \"B\"\n[[cards]]\nfront = \"q\"\nback = \"{big}\"\n"),
    );
    refused(
        &env,
        &[toml.as_os_str()],
        "the card's back is 1048577 bytes, over the limit",
    );
}

#[test]
fn several_files_are_all_or_nothing_unless_keep_going() {
    let env = env_with_db();
    let good = fixture("good/basic.csv");
    let bad = fixture("bad/ragged.csv");
    refused(&env, &[good.as_os_str(), bad.as_os_str()], "ragged.csv:3:1");

    let out = env
        .at(&day(0))
        .args(["import", "--keep-going"])
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("basic: 2 added"), "{stdout}");
    assert!(
        stdout.contains("ragged.csv: FAILED, not imported"),
        "{stdout}"
    );
    assert!(
        stderr.contains("1 of 2 file(s) could not be imported"),
        "{stderr}"
    );
    let decks = env.json(&day(0), &["decks", "--json"]);
    let names: Vec<_> = decks
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].clone())
        .collect();
    assert!(names.contains(&Value::from("basic")), "{names:?}");
}

fn export(env: &Env, deck: &str, format: &str) -> String {
    let out = env
        .at(&day(0))
        .args(["export", "deck", deck, "--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A deck's cards as `recall export deck --format json` gives them.
pub fn cards(env: &Env, deck: &str) -> Vec<Value> {
    let json: Value = serde_json::from_str(&export(env, deck, "json")).unwrap();
    json["cards"].as_array().unwrap().clone()
}

#[test]
fn good_fixtures_import_and_reimport_unchanged() {
    let env = Env::new();
    let cases = [
        ("good/caching.md", "Caching: 4 added"),
        ("good/plain.txt", "Anki Text: 2 added"),
        ("good/basic.csv", "basic: 2 added"),
        ("good/bom.toml", "Bom: 1 added"),
        ("good/utf16.csv", "Sixteen: 1 added"),
    ];
    for (path, expected) in cases {
        imported(&env, &day(0), &[], &fixture(path), expected);
    }
    for (path, _) in cases {
        let report = imported(&env, &day(1), &[], &fixture(path), "0 added, 0 updated");
        assert!(report.contains("0 missing"), "{report}");
    }
    let md = cards(&env, "Caching");
    assert_eq!(md[0]["id"], "mc-threads");
    assert_eq!(md[0]["notes"], "From the ElastiCache deck.");
    assert_eq!(
        md[1]["back"],
        "```\napp ──miss──▶ db\n └──set──▶ cache\n```"
    );
    assert_eq!(md[2]["front"], "[...] fills the cache on a miss");
    assert_eq!(
        md[3]["front"],
        "Lazy loading fills the cache on a [hit or miss?]"
    );
    let text = cards(&env, "Anki Text");
    assert_eq!(text[0]["back"], "Paris\non the Seine");
    assert_eq!(text[0]["tags"], serde_json::json!(["imported", "geo"]));
    assert_eq!(text[1]["front"], "Two \"quoted\" lines");
    assert_eq!(cards(&env, "Sixteen")[0]["back"], "ä");
}

#[test]
fn deck_flag_dry_run_and_format_flag() {
    let env = env_with_db();
    let before = env.db_bytes();
    env.at(&day(0))
        .args(["import", "--dry-run", "--deck", "Renamed"])
        .arg(fixture("good/basic.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("dry run, nothing written: "))
        .stdout(predicate::str::contains("Renamed: 2 added"));
    assert!(env.db_bytes() == before);
    // A Markdown deck under a misleading extension, read with --format.
    let odd = env.file(
        "deck.data",
        std::fs::read(fixture("good/caching.md")).unwrap(),
    );
    env.at(&day(0))
        .args(["import", "--format", "md"])
        .arg(&odd)
        .assert()
        .success()
        .stdout(predicate::str::contains("Caching: 4 added"));
}

#[test]
fn write_ids_fixes_derived_ids_into_the_markdown_file() {
    let env = Env::new();
    let md = env.file(
        "deck.md",
        std::fs::read(fixture("good/caching.md")).unwrap(),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&md, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    env.at(&day(0))
        .args(["import", "--write-ids"])
        .arg(&md)
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote 2 id(s) into the file"));
    let text = std::fs::read_to_string(&md).unwrap();
    assert_eq!(text.matches("\nID: ").count(), 3, "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&md).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "the file keeps its mode");
    }
    // Edit a front: the card keeps its id (and so its progress).
    let edited = text.replace("Draw the cache-aside flow", "Draw the lazy-loading flow");
    std::fs::write(&md, edited).unwrap();
    imported(
        &env,
        &day(1),
        &[],
        &md,
        "0 added, 1 updated, 3 unchanged, 0 missing",
    );
}

#[test]
fn check_lints_without_a_database() {
    let env = Env::new();
    let deck = env.file(
        "lint.toml",
        "name = \"L\"\n[[cards]]\nid = \"a\"\nfront = \"same\"\nback = \"x\"\n\
         [[cards]]\nid = \"A\"\nfront = \"same\"\nback = \"y\"\n\
         [[cards]]\nid = \"c\"\nfront = \"{{c1:broken}}\"\nback = \"z\"\n",
    );
    env.at(&day(0))
        .arg("check")
        .arg(&deck)
        .arg(fixture("bad/ragged.csv"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("have the same front"))
        .stdout(predicate::str::contains("differ only in case"))
        .stdout(predicate::str::contains("no valid cloze deletion"))
        .stdout(predicate::str::contains("ragged.csv:3:1"))
        .stderr(predicate::str::contains("4 problems found"));
    assert!(!env.db.exists(), "check must not create a database");
    env.at(&day(0))
        .arg("check")
        .arg(fixture("good/caching.md"))
        .assert()
        .success()
        .stdout(predicate::str::contains("ok (4 cards)"));
}

#[test]
fn export_refuses_to_overwrite_and_unknown_decks() {
    let env = env_with_db();
    let target = env.file("out.toml", "keep me");
    env.at(&day(0))
        .args(["export", "deck", "Seed", "--format", "toml", "--output"])
        .arg(&target)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists; pass --force"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    env.at(&day(0))
        .args([
            "export", "deck", "Seed", "--format", "toml", "--force", "--output",
        ])
        .arg(&target)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("id = \"s\"")
    );
    env.at(&day(0))
        .args(["export", "deck", "Nope", "--format", "csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no deck named \"Nope\""));
}

fn card_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9 ]{1,6}",
            Just(",\"".to_string()),
            Just("\n---\n".to_string()),
            Just("\nA: x".to_string()),
            Just("\n```\n".to_string()),
            Just("\t#".to_string()),
        ],
        1..5,
    )
    .prop_map(|p| p.concat())
    .prop_filter("no blank first or last line", |s| {
        !s.split('\n').next().unwrap_or("").trim().is_empty()
            && !s.rsplit('\n').next().unwrap_or("").trim().is_empty()
    })
}

proptest! {
    // Each case runs the binary a dozen times: a few cases are plenty here;
    // the format-level property runs hundreds in the unit tests.
    #![proptest_config(ProptestConfig::with_cases(6))]
    #[test]
    fn exports_import_into_a_fresh_database_as_the_same_cards(
        sides in proptest::collection::vec((card_text(), card_text()), 1..4)
    ) {
        let env = Env::new();
        let mut json = serde_json::json!({"name": "Round", "cards": []});
        for (i, (front, back)) in sides.iter().enumerate() {
            json["cards"].as_array_mut().unwrap().push(serde_json::json!({
                "id": format!("k{i}"), "front": front, "back": back, "tags": ["t"]
            }));
        }
        let source = env.file("round.json", json.to_string());
        env.at(&day(0)).arg("import").arg(&source).assert().success();
        let original = cards(&env, "Round");
        for format in ["toml", "json", "md", "csv"] {
            let text = export(&env, "Round", format);
            let fresh = Env::new();
            let file = fresh.file(&format!("round.{format}"), &text);
            fresh.at(&day(0)).arg("import").arg(&file).assert().success();
            prop_assert_eq!(&cards(&fresh, "Round"), &original, "{}:\n{}", format, text);
        }
    }
}
