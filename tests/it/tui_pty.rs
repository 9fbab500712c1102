//! The real binary in a pseudo-terminal: reveal, grade, quit, reopen; the
//! screen is read back through a VT100 parser, the state through the CLI.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use crate::common::{Env, day};

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

struct Tui {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tui {
    fn start(env: &Env, now: &str, args: &[&str]) -> Tui {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(assert_cmd::cargo::cargo_bin!("recall"));
        cmd.args(args);
        cmd.env("RECALL_DB", &env.db);
        cmd.env("RECALL_NOW", now);
        cmd.env("NO_COLOR", "1");
        cmd.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = Arc::new(Mutex::new(pty.master.take_writer().unwrap()));
        let answer = Arc::clone(&writer);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::MIN.saturating_add(23),
            NonZeroU16::MIN.saturating_add(79),
            0,
        )));
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut parser = sink.lock().unwrap();
                parser.process(&buf[..n]);
                // Answer "where is the cursor?" as a terminal would.
                if buf[..n].windows(4).any(|w| w == b"\x1b[6n") {
                    let (row, col) = parser.screen().cursor_position();
                    let mut out = answer.lock().unwrap();
                    let _ = write!(out, "\x1b[{};{}R", row + 1, col + 1);
                    let _ = out.flush();
                }
            }
        });
        Tui {
            screen,
            writer,
            child,
        }
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits (up to 10 s) until the screen shows `needle`.
    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.text();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "no {needle:?} on screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn keys(&mut self, keys: &str) {
        let mut writer = self.writer.lock().unwrap();
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Waits for the process to end and returns its exit code.
    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(Instant::now() < deadline, "recall did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the output has settled into the normal screen.
    fn restored(&self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let parser = self.screen.lock().unwrap();
            let screen = parser.screen();
            if !screen.alternate_screen() && !screen.hide_cursor() {
                return true;
            }
            drop(parser);
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

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
