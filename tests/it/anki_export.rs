//! `recall export deck NAME --format apkg`: the package read back by
//! recall's own Anki importer gives the same cards, the GUIDs are the same
//! on every export, and an existing file is only replaced with `--force`.
//! (What the real Anki makes of it: `tests/anki/export_check.py`.)

use crate::common::Env;

const NOW: &str = "2026-12-01T12:00:00Z";

/// Plain, reversed, cloze (with a hint and extra text), a card with `<` and
/// `&`, a box diagram and indented code, tags, a nested deck name (the
/// same deck `tests/anki/export_check.py` gives the real Anki).
const DECK: &str = include_str!("../anki/export-deck.toml");

/// The cards of the deck as recall has them: (front, back, notes, tags),
/// ids left out (an imported package's cards are keyed by GUID), tags
/// sorted (Anki keeps them sorted: a set, not a list).
fn cards(env: &Env, deck: &str) -> Vec<(String, String, String, Vec<String>)> {
    let json = env.json(NOW, &["export", "deck", deck, "--format", "json"]);
    json["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let mut tags: Vec<String> = c["tags"].as_array().map_or(vec![], |t| {
                t.iter().map(|t| t.as_str().unwrap().to_string()).collect()
            });
            tags.sort();
            let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (text("front"), text("back"), text("notes"), tags)
        })
        .collect()
}

fn export(env: &Env, now: &str, out: &std::path::Path) {
    env.at(now)
        .args([
            "export",
            "deck",
            "lang::french",
            "--format",
            "apkg",
            "--force",
            "--output",
        ])
        .arg(out)
        .assert()
        .success();
}

#[test]
fn an_exported_package_imports_back_as_the_same_cards() {
    let env = Env::new();
    let deck = env.file("french.toml", DECK);
    env.at(NOW).arg("import").arg(&deck).assert().success();
    let out = env.dir.path().join("french.apkg");
    export(&env, NOW, &out);

    let other = Env::new();
    other.at(NOW).arg("import").arg(&out).assert().success();
    let before = cards(&env, "Lang::French");
    assert_eq!(before.len(), 7, "{before:#?}");
    assert_eq!(cards(&other, "Lang::French"), before);
}

#[test]
fn exporting_again_gives_the_same_guids_so_a_reimport_updates() {
    let env = Env::new();
    let deck = env.file("french.toml", DECK);
    env.at(NOW).arg("import").arg(&deck).assert().success();
    let (first, second) = (env.dir.path().join("1.apkg"), env.dir.path().join("2.apkg"));
    export(&env, NOW, &first);
    // Another day, another clock: the ids Anki sees must not depend on it.
    export(&env, "2027-03-04T05:06:07Z", &second);

    let other = Env::new();
    other.at(NOW).arg("import").arg(&first).assert().success();
    let again = other.at(NOW).arg("import").arg(&second).output().unwrap();
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success(), "{said}");
    assert!(
        said.contains("0 added") && said.contains("7 unchanged"),
        "{said}"
    );
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let env = Env::new();
    let deck = env.file("french.toml", DECK);
    env.at(NOW).arg("import").arg(&deck).assert().success();
    let out = env.file("taken.apkg", "keep me");
    let refused = env
        .at(NOW)
        .args([
            "export",
            "deck",
            "Lang::French",
            "--format",
            "apkg",
            "--output",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("taken.apkg") && said.contains("--force"),
        "{said}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"keep me");

    export(&env, NOW, &out);
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
}

#[test]
fn a_package_is_never_written_to_stdout() {
    let env = Env::new();
    let deck = env.file("french.toml", DECK);
    env.at(NOW).arg("import").arg(&deck).assert().success();
    let out = env
        .at(NOW)
        .args(["export", "deck", "Lang::French", "--format", "apkg"])
        .output()
        .unwrap();
    assert!(!out.status.success() && out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output"));
}

/// `recall-export-by-anki.apkg`: this deck exported by recall, imported
/// into Anki 26.9 and exported again by Anki's own exporter (the current
/// format, `collection.anki21b`), made by `tests/anki/export_check.py
/// --fixture`. recall reads back what it wrote, as Anki keeps it.
#[test]
fn the_package_anki_made_of_an_export_imports_as_the_same_cards() {
    let env = Env::new();
    let deck = env.file("french.toml", DECK);
    env.at(NOW).arg("import").arg(&deck).assert().success();

    let other = Env::new();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki/recall-export-by-anki.apkg");
    other.at(NOW).arg("import").arg(&fixture).assert().success();
    assert_eq!(cards(&other, "Lang::French"), cards(&env, "Lang::French"));
}

#[test]
fn export_all_writes_every_deck_into_one_package() {
    let env = Env::new();
    let french = env.file("french.toml", DECK);
    // Another deck with a card of the same id: its note must stay apart.
    let other_deck = "name = \"Zoo\"\n\n[[cards]]\nid = \"chat\"\nfront = \"Q\"\nback = \"A\"\n";
    let zoo = env.file("zoo.toml", other_deck);
    env.at(NOW)
        .arg("import")
        .arg(&french)
        .arg(&zoo)
        .assert()
        .success();
    let out = env.dir.path().join("all.apkg");
    crate::anki_export_progress::export_all(&env, "apkg", &out);

    let other = Env::new();
    other.at(NOW).arg("import").arg(&out).assert().success();
    for deck in ["Lang::French", "Zoo"] {
        assert_eq!(cards(&other, deck), cards(&env, deck), "{deck}");
    }
}

/// The TOML deck `toml` (named `name`) imported and exported as a package,
/// which must succeed: its path and what the export said.
fn exported(env: &Env, name: &str, toml: &str) -> (std::path::PathBuf, std::process::Output) {
    let deck = env.file("deck.toml", toml);
    env.at(NOW).arg("import").arg(&deck).assert().success();
    let out = env.dir.path().join("deck.apkg");
    let done = env
        .at(NOW)
        .args(["export", "deck", name, "--format", "apkg", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(done.status.success());
    (out, done)
}

#[test]
fn a_cloze_text_exported_as_plain_cards_is_said_and_still_reads_back() {
    let env = Env::new();
    let nested = "name = \"Nest\"\n\n[[cards]]\nid = \"n\"\nfront = \"{{c1::a {{c2::b}} c}}\"\nback = \"\"\n";
    let (out, done) = exported(&env, "Nest", nested);
    let said = String::from_utf8_lossy(&done.stderr);
    assert!(
        said.contains("Nest: the cloze text n is exported as plain cards"),
        "{said}"
    );

    let other = Env::new();
    other.at(NOW).arg("import").arg(&out).assert().success();
    assert_eq!(cards(&other, "Nest"), cards(&env, "Nest"));
}

/// A cloze text whose answers are typed goes out as one note of a typed
/// cloze type (the box on the front, `{{type:cloze:Text}}`), and comes back
/// as the same cards, still typed.
#[test]
fn a_typed_cloze_text_goes_out_as_one_typed_cloze_note() {
    let env = Env::new();
    let deck = "name = \"Typed\"\n[[cards]]\nid = \"c\"\ntype = true\n\
                front = \"{{c1::Paris}} is in {{c2::France}}\"\nback = \"extra\"\n";
    let (out, done) = exported(&env, "Typed", deck);
    // Rebuilt as one cloze text: no warning of plain cards.
    assert!(
        done.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );

    let other = Env::new();
    other.at(NOW).arg("import").arg(&out).assert().success();
    let typed = |env: &Env| -> Vec<(String, String, bool)> {
        let json = env.json(NOW, &["export", "deck", "Typed", "--format", "json"]);
        json["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let text = |k: &str| c[k].as_str().unwrap().to_string();
                (text("front"), text("back"), c["type"] == true)
            })
            .collect()
    };
    assert_eq!(typed(&other), typed(&env));
    assert!(typed(&other).iter().all(|c| c.2));
}
