//! `recall export … --format apkg --with-progress`: the package carries each
//! card's schedule and the whole review log, and recall's own Anki importer
//! (`import --with-progress`) reads back the same schedules, suspensions,
//! burials and answers. (What the real Anki makes of it:
//! `tests/anki/roundtrip.py`.)

use std::collections::BTreeMap;

use crate::common::Env;

const DECK: &str = include_str!("../anki/export-deck.toml");
const NAME: &str = "Lang::French";
pub const NOW: &str = "2026-12-01T12:00:00Z";

/// Three days of study, a lapse and its re-drill, a suspended and a buried
/// card, and cards never seen.
pub fn studied() -> Env {
    let env = Env::new();
    let deck = env.file("french.toml", DECK);
    env.at("2026-11-20T10:00:00Z")
        .arg("import")
        .arg(&deck)
        .assert()
        .success();
    for day in [20, 21, 27] {
        for key in ["compare", "chat", "chat:reverse", "capital:c1"] {
            answer(&env, &format!("2026-11-{day}T10:00:00Z"), key, "4");
        }
    }
    answer(&env, "2026-11-28T10:00:00Z", "compare", "1");
    answer(&env, "2026-11-28T10:05:00Z", "compare", "3");
    for (action, key) in [("suspend", "chat:reverse"), ("bury", "capital:c1")] {
        let card = format!("{NAME}/{key}");
        env.at(NOW).args([action, &card]).assert().success();
    }
    env
}

fn answer(env: &Env, at: &str, key: &str, grade: &str) {
    env.at(at)
        .args([
            "answer",
            key,
            grade,
            "--deck",
            NAME,
            "--duration-ms",
            "3000",
        ])
        .assert()
        .success();
}

/// Each card by its front: (due, interval, efactor, lapses, state).
pub fn states(env: &Env) -> BTreeMap<String, String> {
    let json = env.json(NOW, &["cards", &format!("deck:{NAME}"), "--json"]);
    json["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let state = ["due", "interval_days", "efactor", "lapses", "state"]
                .map(|k| c[k].to_string())
                .join(" ");
            (c["front"].as_str().unwrap().to_string(), state)
        })
        .collect()
}

/// The review log as (card front, second of the answer, grade, kind,
/// duration). Seconds: Anki's log ids are unique times in milliseconds, so
/// answers given in the same millisecond move apart by one.
pub fn log(env: &Env) -> Vec<String> {
    let json = env.json(NOW, &["cards", &format!("deck:{NAME}"), "--json"]);
    let fronts: BTreeMap<String, String> = json["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let key = c["card_id"].as_str().unwrap().to_string();
            (key, c["front"].as_str().unwrap().to_string())
        })
        .collect();
    let out = env
        .at(NOW)
        .args(["export", "reviews", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rows: Vec<String> = text
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let second = &f[2][..19];
            format!("{} {second} {} {} {}", fronts[f[1]], f[3], f[4], f[5])
        })
        .collect();
    rows.sort();
    rows
}

/// Grades as they come back from Anki's buttons: 0–2 are all Again (1).
pub fn as_buttons(rows: Vec<String>) -> Vec<String> {
    rows.into_iter()
        .map(|r| r.replace(" 0 ", " 1 ").replace(" 2 ", " 1 "))
        .collect()
}

pub fn export(env: &Env, out: &std::path::Path, extra: &[&str]) {
    env.at(NOW)
        .args([
            "export",
            "deck",
            NAME,
            "--format",
            "apkg",
            "--with-progress",
        ])
        .args(extra)
        .arg("--output")
        .arg(out)
        .assert()
        .success();
}

/// `recall export all --format FORMAT --output OUT`, which must succeed.
pub fn export_all(env: &Env, format: &str, out: &std::path::Path) {
    env.at(NOW)
        .args(["export", "all", "--format", format, "--output"])
        .arg(out)
        .assert()
        .success();
}

/// A new database with the package at `path` imported `--with-progress`,
/// and what the import said.
pub fn imported(path: &std::path::Path) -> (Env, String) {
    let other = Env::new();
    let done = other
        .at(NOW)
        .arg("import")
        .arg(path)
        .arg("--with-progress")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&done.stdout).into_owned();
    assert!(done.status.success(), "{said}");
    (other, said)
}

#[test]
fn schedules_suspensions_burials_and_the_log_come_back() {
    for layout in [&[][..], &["--legacy"][..]] {
        let env = studied();
        let out = env.dir.path().join("progress.apkg");
        export(&env, &out, layout);

        let (other, said) = imported(&out);
        assert!(
            said.contains("14 answers from Anki's log") && said.contains("1 suspended"),
            "{layout:?}: {said}"
        );
        assert_eq!(states(&other), states(&env), "{layout:?}");
        let states = states(&other);
        assert!(states["cat"].ends_with("\"suspended\""), "{states:?}");
        assert!(
            states["[...] is the capital of France"].ends_with("\"buried\""),
            "{states:?}"
        );
        assert_eq!(log(&other), as_buttons(log(&env)), "{layout:?}");
    }
}

#[test]
fn without_progress_every_card_goes_out_new() {
    let env = studied();
    let out = env.dir.path().join("plain.apkg");
    env.at(NOW)
        .args(["export", "deck", NAME, "--format", "apkg", "--output"])
        .arg(&out)
        .assert()
        .success();
    let (other, _) = imported(&out);
    assert!(
        states(&other).values().all(|s| s.ends_with("\"new\"")),
        "{:?}",
        states(&other)
    );
    assert!(log(&other).is_empty());
}
