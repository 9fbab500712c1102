//! The real binary in a pseudo-terminal (portable-pty), its screen read
//! back through a VT100 parser: shared by the TUI's end-to-end, crash and
//! concurrency tests.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use crate::common::Env;

pub struct Tui {
    pub screen: Arc<Mutex<vt100::Parser>>,
    pub writer: Arc<Mutex<Box<dyn Write + Send>>>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// How many times recall asked "where is the cursor?" (a round trip
    /// some terminals never answer).
    pub cursor_queries: Arc<AtomicUsize>,
    /// The terminal's device, to read its modes back (`stty`).
    pub tty: Option<std::path::PathBuf>,
    /// Every byte recall wrote, escape sequences and all.
    pub raw: Arc<Mutex<Vec<u8>>>,
    /// Kept open so the terminal outlives the process, for `stty`.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Tui {
    pub fn start(env: &Env, now: &str, args: &[&str]) -> Tui {
        Tui::start_with(env, now, args, &[])
    }

    /// `start` with more environment variables (`EDITOR`, say).
    pub fn start_with(env: &Env, now: &str, args: &[&str], vars: &[(&str, &str)]) -> Tui {
        Tui::start_answering(env, now, args, vars, Vec::new())
    }

    /// `start_with` in a terminal that answers: once recall's output holds
    /// the first bytes of a pair, the terminal sends the second (once).
    /// Colour stays on (no `NO_COLOR`), as a terminal with graphics has it.
    pub fn start_answering(
        env: &Env,
        now: &str,
        args: &[&str],
        vars: &[(&str, &str)],
        answers: Vec<(&'static [u8], &'static [u8])>,
    ) -> Tui {
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
        cmd.env("XDG_CONFIG_HOME", env.config_home());
        cmd.env_remove("RECALL_CONFIG");
        if answers.is_empty() {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        cmd.env("TERM", "xterm-256color");
        // Run from inside tmux, recall would not ask the terminal for its graphics.
        cmd.env_remove("TMUX");
        for (name, value) in vars {
            cmd.env(name, value);
        }
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
        let cursor_queries = Arc::new(AtomicUsize::new(0));
        let asked = Arc::clone(&cursor_queries);
        let tty = pty.master.tty_name();
        let raw = Arc::new(Mutex::new(Vec::new()));
        let written = Arc::clone(&raw);
        let mut answers = answers;
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut all = written.lock().unwrap();
                all.extend_from_slice(&buf[..n]);
                answers.retain(|(seen, reply)| {
                    if !all.windows(seen.len()).any(|w| w == *seen) {
                        return true;
                    }
                    let mut out = answer.lock().unwrap();
                    let _ = out.write_all(reply);
                    let _ = out.flush();
                    false
                });
                drop(all);
                let mut parser = sink.lock().unwrap();
                parser.process(&buf[..n]);
                // Answer "where is the cursor?" as a terminal would.
                if buf[..n].windows(4).any(|w| w == b"\x1b[6n") {
                    asked.fetch_add(1, Ordering::SeqCst);
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
            cursor_queries,
            tty,
            raw,
            _master: pty.master,
        }
    }

    pub fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits (up to 10 s) until the screen shows `needle`.
    pub fn wait_for(&self, needle: &str) -> String {
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

    pub fn keys(&mut self, keys: &str) {
        let mut writer = self.writer.lock().unwrap();
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Waits for the process to end and returns its exit code.
    pub fn exit_code(&mut self) -> u32 {
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
    pub fn restored(&self) -> bool {
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

    /// The terminal's line discipline as `stty -a` prints it: after recall
    /// leaves, it must hold `echo` and `icanon` (not `-echo`, `-icanon`).
    pub fn modes(&self) -> String {
        let tty = self.tty.as_ref().expect("the pty's device name");
        let out = std::process::Command::new("stty")
            .arg("-a")
            .arg("-F")
            .arg(tty)
            .output()
            .unwrap();
        assert!(out.status.success(), "stty: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// SIGKILL, as a crash would: no handler, no destructor runs. Waits for
    /// the process to be gone.
    pub fn kill(&mut self) {
        let pid = self.child.process_id().expect("pid");
        let killed = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success() || self.child.try_wait().unwrap().is_some());
        self.child.wait().unwrap();
    }
}
