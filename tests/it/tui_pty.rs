//! The real binary in a pseudo-terminal: reveal, grade, quit, reopen; the
//! screen is read back through a VT100 parser, the state through the CLI.

use crate::common::{Env, day};
use crate::pty::Tui;

const DECK: &str = r#"
name = "geo"
[[cards]]
id = "france"
front = "Capital of France?"
back = "Paris"
[[cards]]
id = "jupiter"
front = "Largest planet?"
back = "Jupiter"
"#;

#[test]
fn reveal_grade_quit_and_reopen_in_a_real_terminal() {
    let env = Env::new();
    let deck = env.file("geo.toml", DECK);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();

    let mut tui = Tui::start(&env, &day(0), &["review", "--deck", "geo"]);
    tui.wait_for("Capital of France?");
    assert!(tui.screen.lock().unwrap().screen().alternate_screen());
    tui.keys(" ");
    tui.wait_for("Paris");
    tui.wait_for("5 · 1d");
    tui.keys("5");
    tui.wait_for("Largest planet?");
    tui.wait_for("Graded 5: next review in 1d");
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
    assert!(tui.restored(), "terminal left in the alternate screen");

    let next = env.json(&day(0), &["next", "--json", "--deck", "geo"]);
    assert_eq!(
        next["card"]["card_id"], "jupiter",
        "the answer was stored: {next}"
    );
    assert_eq!(next["remaining"], 1);

    let mut tui = Tui::start(&env, &day(0), &["review", "--deck", "geo"]);
    let screen = tui.wait_for("Largest planet?");
    assert!(!screen.contains("Capital of France?"), "{screen}");
    assert!(
        screen.contains("0/1") && screen.contains("1 left"),
        "{screen}"
    );
    tui.keys("\u{3}");
    assert_eq!(tui.exit_code(), 0);
    assert!(tui.restored());
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_answers() {
    let env = Env::new();
    let deck = env.file("geo.toml", DECK);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let mut tui = Tui::start(&env, &day(0), &["review", "--deck", "geo"]);
    tui.wait_for("Capital of France?");
    tui.keys(" 3");
    tui.wait_for("Graded 3");
    let pid = tui.child.process_id().expect("pid");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(tui.exit_code(), 128 + 15);
    assert!(tui.restored(), "terminal left in the alternate screen");
    let next = env.json(&day(0), &["next", "--json", "--deck", "geo"]);
    assert_eq!(next["remaining"], 2, "jupiter and the re-drill: {next}");
}

/// Every signal whose default action ends the process (beyond TERM, tested
/// above) puts the terminal back: normal screen, cursor shown, echo and
/// line editing on, and the exit status the signal would have given.
#[test]
fn every_ending_signal_restores_the_terminal() {
    let env = Env::new();
    let deck = env.file("geo.toml", DECK);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let rtmin = libc::SIGRTMIN();
    let signals = [
        ("USR1", 10),
        ("USR2", 12),
        ("ALRM", 14),
        ("VTALRM", 26),
        ("PROF", 27),
        ("XCPU", 24),
        ("HUP", 1),
        ("PWR", 30),
    ];
    let realtime = ("RTMIN+3".to_string(), rtmin + 3);
    let all = signals
        .iter()
        .map(|(name, n)| (name.to_string(), *n))
        .chain([realtime]);
    for (name, number) in all {
        let mut tui = Tui::start(&env, &day(0), &["review", "--deck", "geo"]);
        tui.wait_for("Capital of France?");
        let flag = |modes: &str, f: &str| modes.split_whitespace().any(|w| w == f);
        assert!(flag(&tui.modes(), "-echo"), "raw mode while running");
        let pid = tui.child.process_id().expect("pid");
        let sent = std::process::Command::new("kill")
            .args(["-s", &name, &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -s {name}");
        assert_eq!(tui.exit_code(), 128 + number as u32, "SIG{name}");
        assert!(tui.restored(), "SIG{name} left the alternate screen on");
        let modes = tui.modes();
        assert!(
            flag(&modes, "echo") && flag(&modes, "icanon"),
            "SIG{name} left the terminal raw: {modes}"
        );
    }
}

#[test]
fn esc_on_the_home_screen_does_not_quit_and_q_does() {
    let env = Env::new();
    let deck = env.file("geo.toml", DECK);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let mut tui = Tui::start(&env, &day(0), &[]);
    tui.wait_for("geo");
    tui.keys("\u{1b}");
    // Still running: the next key opens the statistics, Esc comes back.
    std::thread::sleep(std::time::Duration::from_millis(200));
    tui.keys("S");
    tui.wait_for("last 365 days");
    tui.keys("\u{1b}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    tui.keys("\u{1b}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    tui.keys("a");
    tui.wait_for("show answer");
    // From a session Esc goes back to the decks, and once more stays there.
    tui.keys("\u{1b}");
    tui.wait_for("all decks");
    tui.keys("\u{1b}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
    assert!(tui.restored());
}

#[test]
fn under_recall_now_the_timer_runs_and_answers_take_real_time() {
    let env = Env::new();
    let deck = env.file("geo.toml", DECK);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let mut tui = Tui::start(&env, &day(0), &["review", "--deck", "geo"]);
    tui.wait_for("Capital of France?");
    // The header's clock ticks from RECALL_NOW on.
    tui.wait_for("0:01");
    tui.keys(" ");
    tui.wait_for("Paris");
    tui.keys("5");
    tui.wait_for("Largest planet?");
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
    let log = env.json(&day(0), &["log", "geo/france", "--json"]);
    let review = &log["reviews"][0];
    assert!(review["duration_ms"].as_u64().unwrap() >= 1000, "{log}");
    // The date is still the injected one.
    assert!(
        review["reviewed_at"]
            .as_str()
            .unwrap()
            .starts_with(&day(0)[..10]),
        "{log}"
    );
}

#[test]
fn an_edit_in_the_editor_is_saved_and_the_screen_redrawn_without_asking_for_the_cursor() {
    let env = Env::new();
    let deck = env.file("geo.toml", DECK);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let editor = env.file("edit.sh", "#!/bin/sh\nsed -i 's/Paris/Lutetia/' \"$1\"\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let editor = editor.to_str().unwrap();
    let vars = [("VISUAL", ""), ("EDITOR", editor)];
    let mut tui = Tui::start_with(&env, &day(0), &["review", "--deck", "geo"], &vars);
    tui.wait_for("Capital of France?");
    tui.keys(" ");
    tui.wait_for("Paris");
    tui.keys("e");
    let screen = tui.wait_for("Card saved; its progress is kept.");
    // The whole screen is drawn again after the editor: the card and its
    // frame, not only the cells that changed.
    assert!(
        screen.contains("Lutetia") && screen.contains("Capital of France?"),
        "{screen}"
    );
    let asked = tui.cursor_queries.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(asked, 0, "asked the terminal for the cursor position");
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
    assert!(tui.restored());
}
