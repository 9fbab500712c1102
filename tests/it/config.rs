//! The config file: precedence (flag > environment > file > default), the
//! per-deck and prefix limits reaching `recall next`, bad files, and
//! `recall config`.

use serde_json::Value;

use crate::common::{Env, day};

/// A deck of `n` plain cards.
fn deck(name: &str, n: usize) -> String {
    let mut text = format!("name = {name:?}\n");
    for i in 0..n {
        text.push_str(&format!(
            "[[cards]]\nid = \"c{i}\"\nfront = \"{name} Q{i}\"\nback = \"A{i}\"\n"
        ));
    }
    text
}

/// An env with the given decks imported on day 0.
fn env_with(decks: &[(&str, usize)]) -> Env {
    let env = Env::new();
    for (i, (name, n)) in decks.iter().enumerate() {
        let file = env.file(&format!("d{i}.toml"), deck(name, *n));
        env.at(&day(0))
            .arg("--no-config")
            .arg("import")
            .arg(&file)
            .assert()
            .success();
    }
    env
}

/// The cards `recall next` offers today in one deck.
fn remaining(env: &Env, now: &str, deck: &str, extra: &[&str]) -> i64 {
    let mut args = extra.to_vec();
    args.extend(["next", "--deck", deck, "--json"]);
    env.json(now, &args)["remaining"].as_i64().unwrap()
}

/// `recall config --json`: key → (value, source, from).
fn settings(
    env: &Env,
    args: &[&str],
    vars: &[(&str, &str)],
) -> Vec<(String, Value, String, Value)> {
    let mut cmd = env.at(&day(0));
    cmd.args(args).args(["config", "--json"]);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["settings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap().to_string(),
                s["value"].clone(),
                s["source"].as_str().unwrap().to_string(),
                s["from"].clone(),
            )
        })
        .collect()
}

fn setting<'a>(
    all: &'a [(String, Value, String, Value)],
    key: &str,
) -> (&'a Value, &'a str, &'a Value) {
    let (_, value, source, from) = all
        .iter()
        .find(|(k, ..)| k == key)
        .unwrap_or_else(|| panic!("no {key} in {all:?}"));
    (value, source, from)
}

#[test]
fn each_value_comes_from_the_flag_then_the_environment_then_the_file_then_the_default() {
    let env = Env::new();
    let file =
        env.config("new_per_day = 5\nreviews_per_day = 50\nday_starts_at = 3\nkeep_backups = 2\n");
    let at = |line: usize| Value::from(format!("{}:{line}", file.display()));
    let all = settings(
        &env,
        &["--new-limit", "9"],
        &[("RECALL_NEW_LIMIT", "7"), ("RECALL_REVIEW_LIMIT", "60")],
    );
    assert_eq!(
        setting(&all, "new_per_day"),
        (&9.into(), "flag", &"--new-limit".into())
    );
    assert_eq!(
        setting(&all, "reviews_per_day"),
        (&60.into(), "env", &"RECALL_REVIEW_LIMIT".into())
    );
    assert_eq!(setting(&all, "day_starts_at"), (&3.into(), "file", &at(3)));
    assert_eq!(setting(&all, "keep_backups"), (&2.into(), "file", &at(4)));
    assert_eq!(
        setting(&all, "leech_threshold"),
        (&8.into(), "default", &Value::Null)
    );
    assert_eq!(
        setting(&all, "bury_siblings"),
        (&true.into(), "default", &Value::Null)
    );
    assert_eq!(
        setting(&all, "leech_action"),
        (&"suspend".into(), "default", &Value::Null)
    );
    // --no-config: the file's values are gone, flag and environment stay.
    let bare = settings(&env, &["--no-config"], &[("RECALL_REVIEW_LIMIT", "60")]);
    assert_eq!(
        setting(&bare, "day_starts_at"),
        (&4.into(), "default", &Value::Null)
    );
    assert_eq!(setting(&bare, "reviews_per_day").1, "env");
}

#[test]
fn the_config_text_lists_every_value_with_its_origin() {
    let env = Env::new();
    let file = env
        .config("leech_threshold = 6\n[deck.\"Lang::*\"]\nnew_per_day = 3\n[keys]\nundo = \"z\"\n");
    let out = env
        .at(&day(0))
        .args(["config", "--review-limit", "40"])
        .env("RECALL_NEW_LIMIT", "11")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |key: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(key))
            .unwrap_or_else(|| panic!("no {key} in:\n{text}"))
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let f = file.display();
    assert!(text.starts_with(&format!("config file: {f}\n")), "{text}");
    assert_eq!(line("new_per_day"), "11 env RECALL_NEW_LIMIT");
    assert_eq!(line("reviews_per_day"), "40 flag --review-limit");
    assert_eq!(line("leech_threshold"), format!("6 {f}:1"));
    assert_eq!(line("deck.\"Lang::*\".new_per_day"), format!("3 {f}:3"));
    assert_eq!(line("keys.undo"), format!("z {f}:5"));
    assert_eq!(line("keys.reveal"), "space enter default");
    assert_eq!(line("day_starts_at"), "4 default");
}

#[test]
fn global_per_deck_and_prefix_new_limits_reach_recall_next() {
    let env = env_with(&[("Geo", 10), ("Lang::French", 10), ("Lang::German", 10)]);
    env.config(
        "new_per_day = 6\n[deck.\"Lang::*\"]\nnew_per_day = 3\n\
         [deck.\"Lang::German\"]\nnew_per_day = 1\n",
    );
    let now = day(0);
    assert_eq!(remaining(&env, &now, "Geo", &[]), 6);
    assert_eq!(remaining(&env, &now, "Lang::French", &[]), 3);
    assert_eq!(remaining(&env, &now, "Lang::German", &[]), 1);
    // The environment and a flag beat the file's global value; a deck's own
    // table still wins for its deck.
    let mut cmd = env.at(&now);
    let out = cmd
        .env("RECALL_NEW_LIMIT", "4")
        .args(["next", "--deck", "Geo", "--json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["remaining"], 4);
    assert_eq!(remaining(&env, &now, "Geo", &["--new-limit", "2"]), 2);
    assert_eq!(
        remaining(&env, &now, "Lang::French", &["--new-limit", "2"]),
        3
    );
    assert_eq!(remaining(&env, &now, "Geo", &["--no-config"]), 10);
}

#[test]
fn a_decks_review_cap_holds_under_the_global_one() {
    let env = env_with(&[("Geo", 5), ("Hist", 5)]);
    // Day 0: everything learnt, due again on day 1.
    for deck in ["Geo", "Hist"] {
        for _ in 0..5 {
            let next = env.json(&day(0), &["--no-config", "next", "--deck", deck, "--json"]);
            let id = next["card"]["id"].as_i64().unwrap().to_string();
            env.json(&day(0), &["--no-config", "answer", &id, "5", "--json"]);
        }
    }
    env.config("[deck.\"Geo\"]\nreviews_per_day = 2\n");
    let now = day(1);
    assert_eq!(remaining(&env, &now, "Geo", &[]), 2);
    assert_eq!(remaining(&env, &now, "Hist", &[]), 5);
    // All decks (the bundled ones held back): Geo's 2 and Hist's 5, then
    // the global cap over them.
    let all = |extra: &[&str]| {
        let mut args = vec!["--new-limit", "0"];
        args.extend_from_slice(extra);
        args.extend(["next", "--json"]);
        env.json(&now, &args)["remaining"].as_i64().unwrap()
    };
    assert_eq!(all(&[]), 7);
    assert_eq!(all(&["--review-limit", "4"]), 4);
}

#[test]
fn a_bad_config_file_names_its_line_and_key_and_stops_until_no_config() {
    let env = Env::new();
    let file = env.config("new_per_day = 5\n\n[deck.\"Geo\"]\nreviews_per_day = \"lots\"\n");
    let out = env.at(&day(0)).arg("decks").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(&format!("recall: {}:4:", file.display())),
        "{err}"
    );
    assert!(err.contains("deck.\"Geo\".reviews_per_day"), "{err}");
    assert!(err.contains("--no-config"), "{err}");
    assert!(!env.db.exists(), "nothing is written with a bad config");
    env.at(&day(0))
        .args(["--no-config", "decks"])
        .assert()
        .success();
    // A key bound twice is reported at start-up too, at its line.
    env.config("[keys]\nreveal = \"space\"\ngrade_3 = \"space\"\n");
    let out = env.at(&day(0)).arg("decks").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("config.toml:3:"), "{err}");
    assert!(
        err.contains("keys.grade_3") && err.contains("reveal"),
        "{err}"
    );
}

#[test]
fn an_unknown_key_is_named_with_the_known_ones() {
    let env = Env::new();
    env.config("new_limit = 5\n");
    let out = env.at(&day(0)).arg("decks").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("config.toml:1:"), "{err}");
    assert!(
        err.contains("new_limit") && err.contains("new_per_day"),
        "{err}"
    );
}

#[test]
fn config_and_recall_config_name_the_file_to_read() {
    let env = Env::new();
    let other = env.file("elsewhere.toml", "new_per_day = 3\n");
    env.config("new_per_day = 9\n");
    for (args, vars) in [
        (vec!["--config", other.to_str().unwrap()], vec![]),
        (vec![], vec![("RECALL_CONFIG", other.to_str().unwrap())]),
    ] {
        let all = settings(&env, &args, &vars);
        assert_eq!(setting(&all, "new_per_day").0, &Value::from(3));
    }
    // A file named on purpose must exist; the default one need not.
    let missing = env.dir.path().join("missing.toml");
    let out = env
        .at(&day(0))
        .arg("--config")
        .arg(&missing)
        .arg("decks")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("missing.toml") && err.contains("cannot read"),
        "{err}"
    );
    std::fs::remove_file(env.config_home().join("recall/config.toml")).unwrap();
    let all = settings(&env, &[], &[]);
    assert_eq!(
        setting(&all, "new_per_day"),
        (&20.into(), "default", &Value::Null)
    );
}

#[test]
fn remapped_keys_drive_a_review_in_a_real_terminal() {
    let env = env_with(&[("geo", 2)]);
    env.config("[keys]\nreveal = \"r\"\ngrade_4 = [\"g\"]\ngrade_5 = []\nback = \"x\"\n");
    let mut tui = crate::pty::Tui::start(&env, &day(0), &["review", "--deck", "geo"]);
    tui.wait_for("geo Q0");
    // The old keys do nothing now.
    tui.keys(" ");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        !tui.text().contains("A0"),
        "Space still reveals:\n{}",
        tui.text()
    );
    tui.keys("r");
    tui.wait_for("A0");
    tui.keys("5q");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        tui.text().contains("A0"),
        "5 or q still works:\n{}",
        tui.text()
    );
    tui.keys("g");
    tui.wait_for("geo Q1");
    tui.wait_for("Graded 4");
    // The help shows the keys that work.
    tui.keys("?");
    // The last line needed: a frame can arrive in pieces, top first.
    let help = tui.wait_for("back to the decks (answers");
    let line = |what: &str| {
        help.lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no {what:?} in:\n{help}"))
            .to_string()
    };
    assert!(line("show the answer").contains(" r "), "{help}");
    assert!(line("back to the decks (answers").contains(" x "), "{help}");
    tui.keys("z");
    tui.keys("x");
    assert_eq!(tui.exit_code(), 0);
    assert!(tui.restored());
    let next = env.json(&day(0), &["next", "--deck", "geo", "--json"]);
    assert_eq!(next["card"]["card_id"], "c1", "the first answer was stored");
}

#[test]
fn theme_colours_from_the_file_paint_the_tui_and_no_color_still_wins() {
    use ratatui::style::Color;
    use recall::cli::GlobalArgs;
    use recall::config::Config;
    use recall::tui::Theme;

    let env = Env::new();
    let file = env.file("c.toml", "[theme]\naccent = \"blue\"\nkey = \"#ff8800\"\n");
    let global = GlobalArgs {
        config: Some(file),
        ..GlobalArgs::default()
    };
    let config = Config::resolve(&global).unwrap();
    let painted = Theme::new(true).painted(&config.ui.theme);
    assert_eq!(painted.accent.fg, Some(Color::Blue));
    assert_eq!(painted.key.fg, Some(Color::Rgb(0xff, 0x88, 0x00)));
    assert_eq!(
        painted.error.fg,
        Some(Color::Red),
        "unset slots keep theirs"
    );
    let plain = Theme::new(false).painted(&config.ui.theme);
    assert_eq!((plain.accent.fg, plain.key.fg), (None, None));
}
