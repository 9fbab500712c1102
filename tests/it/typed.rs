//! Typed answers (issue 21): the flag through import, re-import and
//! export, and `recall answer --typed`.

use super::common::{Env, day};

const TYPED: &str = "name = \"Capitals\"\n\
    [[cards]]\nid = \"fr\"\nfront = \"Capital of France?\"\nback = \"Paris\"\ntype = true\n\
    [[cards]]\nid = \"de\"\nfront = \"Capital of Germany?\"\nback = \"Berlin\"\n";

fn typed_of(env: &Env) -> Vec<(String, bool)> {
    let deck = env.json(&day(0), &["export", "deck", "Capitals", "--format", "json"]);
    deck["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let typed = c.get("type").map(|t| t.as_bool().unwrap());
            (
                c["id"].as_str().unwrap().to_string(),
                typed.unwrap_or(false),
            )
        })
        .collect()
}

#[test]
fn the_flag_is_stored_exported_and_follows_the_file_on_reimport() {
    let env = Env::new();
    let deck = env.file("capitals.toml", TYPED);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let want = |fr: bool, de: bool| vec![("fr".to_string(), fr), ("de".to_string(), de)];
    assert_eq!(typed_of(&env), want(true, false));

    // The file changes its mind: the re-import updates the flag alone.
    let flipped = TYPED.replace("type = true\n", "") + "type = true\n";
    env.file("capitals.toml", flipped);
    let out = env.json(&day(0), &["import", deck.to_str().unwrap(), "--json"]);
    assert_eq!(out[0]["decks"][0]["updated"], 2, "{out}");
    assert_eq!(typed_of(&env), want(false, true));

    // What export writes imports back the same (a fresh collection).
    let exported = env
        .at(&day(0))
        .args(["export", "deck", "Capitals", "--format", "toml"])
        .output()
        .unwrap();
    let other = Env::new();
    let again = other.file("again.toml", &exported.stdout);
    other
        .at(&day(0))
        .arg("import")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(typed_of(&other), want(false, true));
}

/// Imports the capitals and returns the number of the typed card.
fn typed_card(env: &Env) -> String {
    let deck = env.file("capitals.toml", TYPED);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let next = env.json(&day(0), &["next", "--deck", "Capitals", "--json"]);
    assert_eq!(next["card"]["card_id"], "fr", "{next}");
    assert_eq!(next["card"]["typed"], true);
    next["card"]["id"].to_string()
}

#[test]
fn a_typed_answer_records_the_suggested_grade_unless_one_is_given() {
    let env = Env::new();
    let id = typed_card(&env);
    let out = env.json(&day(0), &["answer", &id, "--typed", "Pairs", "--json"]);
    assert_eq!(out["grade"], 4, "{out}");
    let typed = &out["typed"];
    assert_eq!(typed["suggested"], 4);
    assert_eq!(typed["verdict"], "a typo");
    assert_eq!(typed["expected"], "paris");
    assert_eq!(
        typed["segments"],
        serde_json::json!([
            {"kind": "same", "text": "pa"},
            {"kind": "extra", "text": "i"},
            {"kind": "same", "text": "r"},
            {"kind": "missing", "text": "i"},
            {"kind": "same", "text": "s"},
        ])
    );
    // The next day's answer: the grade given wins over the suggestion.
    let out = env.json(
        &day(1),
        &["answer", &id, "--typed", "paris", "--grade", "3", "--json"],
    );
    assert_eq!(
        (out["grade"].clone(), out["typed"]["suggested"].clone()),
        (3.into(), 5.into())
    );
    let log = env.json(&day(1), &["log", &id, "--json"]);
    let grades: Vec<_> = log["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["grade"].clone())
        .collect();
    assert_eq!(grades, [4, 3], "{log}");
}

#[test]
fn the_plain_output_marks_the_differences_and_a_dry_run_records_nothing() {
    let env = Env::new();
    let id = typed_card(&env);
    let before = env.db_bytes();
    let out = env
        .at(&day(0))
        .args(["answer", &id, "--typed", "Parsi", "--dry-run"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "typed:     par[+s]i[-s]\nexpected:  paris\nsuggested: 4 (a typo, similarity 0.80)\n\
         Nothing was recorded (--dry-run).\n"
    );
    assert_eq!(env.db_bytes(), before);
    // Untrusted text goes to the terminal escaped.
    let out = env
        .at(&day(0))
        .args(["answer", &id, "--typed", "Par\u{1b}[31mis"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("[+\\x1b[31m]"), "{text}");
    assert!(text.contains("graded:    2 (the suggestion)"), "{text}");
}

#[test]
fn an_answer_needs_a_grade_or_the_typed_text() {
    let env = Env::new();
    let id = typed_card(&env);
    let out = env.at(&day(0)).args(["answer", &id]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--typed"), "{err}");
    let out = env
        .at(&day(0))
        .args(["answer", &id, "4", "--grade", "3"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn an_anki_export_keeps_the_typed_answer_as_a_type_in_the_answer_note() {
    let env = Env::new();
    let deck = env.file("capitals.toml", TYPED);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let out = env.dir.path().join("capitals.apkg");
    env.at(&day(0))
        .args(["export", "deck", "Capitals", "--format", "apkg", "--output"])
        .arg(&out)
        .assert()
        .success();
    let other = Env::new();
    other.at(&day(0)).arg("import").arg(&out).assert().success();
    let deck = other.json(&day(0), &["export", "deck", "Capitals", "--format", "json"]);
    let cards: Vec<_> = deck["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["front"].clone(),
                c["back"].clone(),
                c.get("type").is_some(),
            )
        })
        .collect();
    assert_eq!(
        cards,
        [
            ("Capital of France?".into(), "Paris".into(), true),
            ("Capital of Germany?".into(), "Berlin".into(), false),
        ],
        "{deck}"
    );
}

#[test]
fn a_typed_cloze_card_expects_its_deletion() {
    let env = Env::new();
    let deck = env.file(
        "cloze.toml",
        "name = \"Cloze\"\n[[cards]]\nid = \"c\"\ntype = true\n\
         front = \"{{c1::Paris}} is the capital of {{c2::France}}\"\nback = \"extra\"\n",
    );
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let next = env.json(&day(0), &["next", "--deck", "Cloze", "--json"]);
    let id = next["card"]["id"].to_string();
    let out = env.json(
        &day(0),
        &["answer", &id, "--typed", "paris", "--dry-run", "--json"],
    );
    assert_eq!(
        (out["expected"].clone(), out["suggested"].clone()),
        ("paris".into(), 5.into()),
        "{out}"
    );
}
