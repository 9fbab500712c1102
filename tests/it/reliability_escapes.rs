//! Nothing untrusted reaches a terminal unescaped: the real binary in a
//! pseudo-terminal must get no ESC, BEL or C1 byte from a hostile deck
//! name, while the same commands into a pipe write the name as data. Names
//! with such characters can no longer be imported, but older databases may
//! hold them: the tests put them in with SQL.

use std::io::Read;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use predicates::prelude::*;

use crate::common::{Env, day};

/// Retitles the terminal, clears it, sets the clipboard (OSC 52), and a C1
/// CSI: each would act if it reached a terminal raw.
const HOSTILE: &str = "Evil\u{1b}]2;PWNED\u{7}\u{1b}[2J\u{1b}]52;c;cHduZWQ=\u{7}\u{9b}31m";
/// What the escaper shows of `HOSTILE`.
const SHOWN: &str = "Evil\\x1b]2;PWNED\\x07\\x1b[2J\\x1b]52;c;cHduZWQ=\\x07\\x9b31m";

const DECK: &str = "name = \"Plain\"\n[[cards]]\nid = \"c1\"\nfront = \"q\"\nback = \"a\"\n";

/// A database with one deck of one card, renamed to `name` behind recall's
/// back, as an older recall may have stored it.
fn env_with_deck_named(name: &str) -> Env {
    let env = Env::new();
    let deck = env.file("plain.toml", DECK);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let db = rusqlite::Connection::open(&env.db).unwrap();
    let renamed = db
        .execute("UPDATE decks SET name = ?1 WHERE name = 'Plain'", [name])
        .unwrap();
    assert_eq!(renamed, 1);
    env
}

/// Everything `recall args` writes to a pseudo-terminal, byte for byte,
/// and its exit code.
fn on_a_terminal(env: &Env, args: &[&str]) -> (Vec<u8>, u32) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(assert_cmd::cargo::cargo_bin!("recall"));
    cmd.args(args);
    cmd.env("RECALL_DB", &env.db);
    cmd.env("RECALL_NOW", day(0));
    cmd.env("NO_COLOR", "1");
    cmd.env("TERM", "xterm-256color");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let reading = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        // EOF, or EIO on Linux once the child has closed the terminal.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&buf[..n]);
        }
        bytes
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "recall {args:?} did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(pty.master);
    (reading.join().unwrap(), status.exit_code())
}

/// The bytes a terminal acts on: ESC, BEL, and C1 controls (as UTF-8).
fn assert_no_terminal_controls(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
        "{what}: a control character reached the terminal: {text:?}"
    );
}

#[test]
fn stats_csv_deck_table_on_a_terminal_shows_escapes_instead_of_sending_them() {
    let env = env_with_deck_named(HOSTILE);
    let (bytes, code) = on_a_terminal(&env, &["stats", "--format", "csv", "--table", "decks"]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&bytes));
    assert_no_terminal_controls(&bytes, "stats --format csv --table decks");
    assert!(String::from_utf8_lossy(&bytes).contains(SHOWN));
}

#[test]
fn deck_export_as_markdown_or_csv_on_a_terminal_shows_escapes_instead_of_sending_them() {
    let env = env_with_deck_named(HOSTILE);
    for format in ["md", "csv"] {
        let (bytes, code) = on_a_terminal(&env, &["export", "deck", HOSTILE, "--format", format]);
        assert_eq!(code, 0, "{format}: {}", String::from_utf8_lossy(&bytes));
        assert_no_terminal_controls(&bytes, format);
        assert!(String::from_utf8_lossy(&bytes).contains(SHOWN), "{format}");
    }
}

#[test]
fn every_listing_on_a_terminal_shows_escapes_instead_of_sending_them() {
    let env = env_with_deck_named(HOSTILE);
    for args in [
        &["decks"][..],
        &["stats"],
        &["stats", "--format", "csv", "--table", "cards"],
        &["next", "--deck", HOSTILE],
        &["export", "progress", "--format", "csv"],
        &["export", "deck", HOSTILE, "--format", "toml"],
        &["export", "deck", HOSTILE, "--format", "json"],
        &["decks", "--json"],
    ] {
        let (bytes, code) = on_a_terminal(&env, args);
        assert_eq!(code, 0, "{args:?}: {}", String::from_utf8_lossy(&bytes));
        assert_no_terminal_controls(&bytes, &format!("{args:?}"));
    }
}

#[test]
fn exports_into_a_pipe_keep_the_bytes_as_data() {
    let env = env_with_deck_named(HOSTILE);
    for args in [
        &["stats", "--format", "csv", "--table", "decks"][..],
        &["export", "deck", HOSTILE, "--format", "md"],
        &["export", "deck", HOSTILE, "--format", "csv"],
        &["export", "progress", "--format", "csv"],
    ] {
        let out = env.at(&day(0)).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(HOSTILE),
            "{args:?} did not keep the name: {text:?}"
        );
    }
}

#[test]
fn a_deck_export_into_a_pipe_keeps_a_bidi_override_in_card_text() {
    // Data into a pipe is data: card text keeps a bidi override (import
    // still takes them in card text), so the export reads back exactly.
    let env = Env::new();
    let deck = env.file(
        "plain.toml",
        "name = \"Plain\"\n[[cards]]\nid = \"c1\"\nfront = \"q \\u202e x\"\nback = \"a\"\n",
    );
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let out = env
        .at(&day(0))
        .args(["export", "deck", "Plain", "--format", "md"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("q \u{202e} x")
    );
}

#[test]
fn clap_errors_show_escapes_in_arguments_and_environment_visibly() {
    let env = Env::new();
    /// The arguments, a `RECALL_*` variable to set, what the error shows.
    type Case<'a> = (&'a [&'a str], Option<(&'a str, &'a str)>, &'a str);
    let cases: [Case; 3] = [
        (&["--new-limit", "\u{1b}]2;x\u{7}"], None, "\\x1b]2;x\\x07"),
        (
            &["decks"],
            Some(("RECALL_NEW_LIMIT", "\u{1b}[2J")),
            "\\x1b[2J",
        ),
        (&["fo\u{1b}[2Jo\u{9b}"], None, "fo\\x1b[2Jo\\x9b"),
    ];
    for (args, var, shown) in cases {
        let mut cmd = env.at(&day(0));
        cmd.args(args);
        if let Some((name, value)) = var {
            cmd.env(name, value);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{9b}'),
            "{err:?}"
        );
        assert!(err.contains(shown), "{args:?}: {err:?}");
    }
    // The same on a terminal, where clap would colour its messages.
    let (bytes, code) = on_a_terminal(&env, &["--new-limit", "\u{1b}]2;x\u{7}"]);
    assert_eq!(code, 2);
    assert_no_terminal_controls(&bytes, "clap error");
    assert!(String::from_utf8_lossy(&bytes).contains("\\x1b]2;x\\x07"));
}

#[test]
fn help_and_version_still_print_to_stdout_and_succeed() {
    let env = Env::new();
    env.at(&day(0))
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Usage: recall"));
    env.at(&day(0))
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("recall "));
    env.at(&day(0))
        .arg("--no-such-flag")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--no-such-flag"));
}

#[test]
fn json_writes_c1_bidi_and_zero_width_characters_as_unicode_escapes() {
    let name = "Deck\u{9b}31m\u{202e}txt.exe\u{200b}";
    let env = env_with_deck_named(name);
    for args in [
        &["decks", "--json"][..],
        &["stats", "--format", "json"],
        &["export", "progress", "--format", "json"],
        &["export", "deck", name, "--format", "json"],
    ] {
        let out = env.at(&day(0)).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        for (raw, escaped) in [
            ('\u{9b}', "\\u009b"),
            ('\u{202e}', "\\u202e"),
            ('\u{200b}', "\\u200b"),
        ] {
            assert!(!text.contains(raw), "{args:?}: raw {raw:?} in {text}");
            assert!(text.contains(escaped), "{args:?}: no {escaped} in {text}");
        }
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(
            contains_string(&value, name),
            "{args:?}: the name did not parse back: {value}"
        );
    }
}

fn contains_string(value: &serde_json::Value, needle: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s == needle,
        serde_json::Value::Array(items) => items.iter().any(|v| contains_string(v, needle)),
        serde_json::Value::Object(map) => map.values().any(|v| contains_string(v, needle)),
        _ => false,
    }
}

#[test]
fn a_newline_in_a_deck_name_cannot_forge_lines_in_listings() {
    let name = "Real\nFake deck  999  999";
    let env = env_with_deck_named(name);
    for args in [&["decks"][..], &["stats"], &["next", "--deck", name]] {
        let out = env.at(&day(0)).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.lines().any(|l| l.starts_with("Fake deck")),
            "{args:?} forged a line: {text}"
        );
        assert!(text.contains("Real\\x0aFake deck"), "{args:?}: {text}");
    }
}

#[test]
fn bidi_overrides_and_zero_width_characters_show_in_one_line_listings() {
    let env = env_with_deck_named("exe.\u{202e}txt\u{200b}");
    let out = env.at(&day(0)).arg("decks").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("exe.\\u{202e}txt\\u{200b}"), "{text}");
    assert!(
        !text.contains('\u{202e}') && !text.contains('\u{200b}'),
        "{text}"
    );
}

#[test]
fn the_import_report_shows_a_hostile_id_from_an_older_database_escaped() {
    let env = Env::new();
    let deck = env.file("plain.toml", DECK);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let db = rusqlite::Connection::open(&env.db).unwrap();
    let changed = db
        .execute(
            "UPDATE cards SET key = 'x\u{1b}]2;PWNED\u{7}\nforged' \
             WHERE deck_id = (SELECT id FROM decks WHERE name = 'Plain')",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(db);
    // The card is missing from the file now: the report lists its id.
    env.at(&day(1))
        .arg("import")
        .arg(&deck)
        .assert()
        .success()
        .stdout(predicate::str::contains("x\\x1b]2;PWNED\\x07\\x0aforged"))
        .stdout(predicate::str::contains("\u{1b}").not())
        .stdout(predicate::str::contains("\nforged").not());
}

#[test]
fn the_tui_shows_a_hostile_deck_name_visibly_on_one_line() {
    let env = env_with_deck_named("E\u{1b}]2;P\u{7}\nf\u{202e}");
    let mut tui = crate::pty::Tui::start(&env, &day(0), &[]);
    // Shown, so not acted on: the title sequence and the newline are text.
    let screen = tui.wait_for("E\\x1b]2;P\\x07\\x0af\\u{202e}");
    assert!(!screen.contains('\u{202e}'), "{screen}");
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn import_refuses_a_newline_or_escape_in_a_deck_name_or_id_naming_file_and_line() {
    let env = Env::new();
    let before = env.json(&day(0), &["decks", "--json"]);
    let cases = [
        (
            "name.toml",
            "name = \"Evil\\nforged\"\n[[cards]]\nid = \"c\"\nfront = \"q\"\nback = \"a\"\n",
            "name.toml:1:",
            "\\u{a}",
        ),
        (
            "id.toml",
            "name = \"D\"\n\n[[cards]]\nid = \"c\\u001b]2;x\"\nfront = \"q\"\nback = \"a\"\n",
            "id.toml:3:",
            "\\u{1b}",
        ),
        (
            "id.md",
            "# D\n\n---\nID: c\u{1b}[2J\nQ: q\nA: a\n",
            "id.md:",
            "\\u{1b}",
        ),
        (
            "deck.csv",
            "#deck column:1\nd\u{202e},front,back\n",
            "deck.csv",
            "\\u{202e}",
        ),
        (
            "id.csv",
            "id,front,back\n\"a\nb\",q,a\n",
            "id.csv",
            "\\u{a}",
        ),
    ];
    for (file, text, located, shown) in cases {
        let path = env.file(file, text);
        let out = env.at(&day(0)).arg("import").arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{file} was imported");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(located), "{file}: {err}");
        assert!(err.contains(shown), "{file}: {err}");
        assert!(!err.contains('\u{1b}'), "{file}: {err:?}");
    }
    assert_eq!(
        env.json(&day(0), &["decks", "--json"]),
        before,
        "something was written"
    );
}

#[test]
fn import_refuses_a_control_character_in_the_deck_option() {
    let env = Env::new();
    let deck = env.file("plain.toml", DECK);
    let before = env.json(&day(0), &["decks", "--json"]);
    env.at(&day(0))
        .arg("import")
        .arg(&deck)
        .args(["--deck", "a\nb"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--deck").and(predicate::str::contains("\\u{a}")));
    assert_eq!(
        env.json(&day(0), &["decks", "--json"]),
        before,
        "something was written"
    );
}
