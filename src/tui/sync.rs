//! The TUI's automatic sync (`[sync] on_open`, `on_quit` in the config):
//! on opening, a thread with its own connection syncs while the user
//! studies, and its outcome (or, if the folder is unreachable, when the
//! last sync happened) is shown in the home screen's status line; on
//! quitting, once the terminal is restored, a sync runs in the
//! foreground and says on stderr what it did. Git never prompts here.

use std::sync::mpsc::{Receiver, TryRecvError};

use crate::config::Sync;
use crate::storage::Store;
use crate::workflows::Context;
use crate::workflows::sync::{Options, Report, sync};

/// A sync running in the background.
pub struct Background {
    done: Receiver<String>,
}

impl Background {
    /// What to show once it finished.
    pub fn finished(&self) -> Option<String> {
        match self.done.try_recv() {
            Ok(text) => Some(text),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some("sync stopped unexpectedly".into()),
        }
    }

    /// Waits for it (the tests).
    #[cfg(test)]
    fn wait(self) -> String {
        self.done.recv().unwrap_or_default()
    }
}

/// Starts the opening sync, if the config asks for one.
pub fn on_open(ctx: &Context, config: &Sync) -> Option<Background> {
    let dir = config.dir.clone().filter(|_| config.on_open)?;
    let (db, clock, limits) = (
        ctx.store.path().to_path_buf(),
        ctx.clock,
        ctx.limits.clone(),
    );
    let (tx, done) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let text = match Store::open(&db) {
            Ok(store) => {
                let mut ctx = Context {
                    store,
                    clock,
                    limits,
                    ui: Default::default(),
                    typed: Default::default(),
                    notice: None,
                };
                outcome(&mut ctx, &dir)
            }
            Err(e) => format!("sync failed: {e}"),
        };
        let _ = tx.send(text);
    });
    Some(Background { done })
}

/// The closing sync, if the config asks for one: after the TUI is gone.
pub fn on_quit(mut ctx: Context, config: &Sync) {
    let Some(dir) = config.dir.clone().filter(|_| config.on_quit) else {
        return;
    };
    let text = outcome(&mut ctx, &dir);
    eprintln!("recall: {}", crate::domain::text::escape_controls(&text));
}

/// Runs a sync; one line saying what it did, or what failed and when the
/// last sync was.
fn outcome(ctx: &mut Context, dir: &std::path::Path) -> String {
    match sync(ctx, dir, Options::default()) {
        Ok(report) => summary(&report),
        Err(e) => {
            let last = ctx
                .store
                .sync_state()
                .ok()
                .and_then(|(device, _)| device?.last_sync_ms)
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|t| {
                    t.with_timezone(ctx.clock.now().offset())
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                });
            format!(
                "sync failed: {e}; last sync: {}",
                last.as_deref().unwrap_or("never")
            )
        }
    }
}

fn summary(report: &Report) -> String {
    let problems = report.warnings.len() + report.git.as_ref().map_or(0, |g| g.warnings.len());
    let mut text = format!(
        "synced: {} answers in, {} out",
        report.settled.added, report.written
    );
    if problems > 0 {
        text.push_str(&format!(
            " ({problems} warnings: run `recall sync` to see them)"
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;

    fn ctx(db: &std::path::Path) -> Context {
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-01T09:00:00+00:00").expect("time");
        Context {
            store: Store::open(db).expect("store"),
            clock: Clock::fixed(now, 4),
            limits: Default::default(),
            ui: Default::default(),
            typed: Default::default(),
            notice: None,
        }
    }

    fn config(dir: std::path::PathBuf, on_open: bool) -> Sync {
        Sync {
            dir: Some(dir),
            on_open,
            on_quit: false,
        }
    }

    #[test]
    fn the_opening_sync_runs_only_when_asked_and_says_what_it_did() {
        let temp = tempfile::tempdir().expect("temp dir");
        let ctx = ctx(&temp.path().join("recall.db"));
        std::fs::create_dir(temp.path().join("sync")).expect("made");
        assert!(on_open(&ctx, &config(temp.path().join("sync"), false)).is_none());
        let done = on_open(&ctx, &config(temp.path().join("sync"), true)).expect("started");
        assert_eq!(done.wait(), "synced: 0 answers in, 1 out");
    }

    #[test]
    fn an_unreachable_folder_says_when_the_last_sync_was() {
        let temp = tempfile::tempdir().expect("temp dir");
        let mut ctx = ctx(&temp.path().join("recall.db"));
        let good = temp.path().join("sync");
        std::fs::create_dir(&good).expect("made");
        assert!(outcome(&mut ctx, &good).starts_with("synced"));
        // A share not mounted: the folder is not there.
        let bad = temp.path().join("unmounted");
        let text = on_open(&ctx, &config(bad, true)).expect("started").wait();
        assert!(text.starts_with("sync failed: "), "{text}");
        assert!(text.ends_with("last sync: 2026-03-01 09:00"), "{text}");
    }
}
