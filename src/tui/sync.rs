//! The TUI's automatic sync (`[sync] on_open`, `on_quit` in the config):
//! on opening, a thread with its own connection syncs while the user
//! studies, and its outcome (or, if the folder is unreachable, when the
//! last sync happened) is shown in the home screen's status line; on
//! quitting, once the terminal is restored, a sync runs in the
//! foreground and says on stderr what it did. Git never prompts here.

use std::sync::mpsc::{Receiver, TryRecvError};

use super::app::App;
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
            Ok(mut store) => {
                store.set_clock(clock);
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

/// Shows a finished opening sync's outcome on the home screen, whose
/// decks and counts are loaded again first when the sync changed the
/// database: its thread committed through its own connection, so nothing
/// else would tell this one before the next key.
pub fn show_outcome(app: &mut App, text: String) {
    let reloaded = match app.home_is_stale() {
        Ok(false) => Ok(()),
        Ok(true) => app.load_home(),
        Err(e) => Err(e),
    };
    match reloaded {
        Ok(()) => app.info(text),
        Err(e) => app.error(format!("{text}; the decks could not be read again: {e}")),
    }
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

    #[test]
    fn the_home_screen_shows_what_the_opening_sync_merged() {
        let temp = tempfile::tempdir().expect("temp dir");
        let folder = temp.path().join("sync");
        std::fs::create_dir(&folder).expect("made");
        // Another device imports a deck and answers one of its cards.
        let mut other = ctx(&temp.path().join("other.db"));
        let draft = crate::domain::DeckDraft {
            name: "geo".into(),
            description: String::new(),
            position: None,
            cards: ["a", "b"]
                .iter()
                .map(|k| crate::domain::CardDraft {
                    key: (*k).into(),
                    front: format!("front {k}"),
                    back: format!("back {k}"),
                    notes: String::new(),
                    tags: vec![],
                    typed: false,
                })
                .collect(),
        };
        other
            .store
            .import(&[draft], crate::storage::ImportOptions::default(), 0)
            .expect("imported");
        let id = other
            .store
            .card_by_key("geo", "a")
            .expect("read")
            .expect("card");
        let card = other.store.card(id).expect("read").expect("card");
        let grade = crate::domain::Grade::new(4).expect("grade");
        let seen = crate::domain::seen::Seen::Named(&card);
        crate::workflows::study::answer(&mut other.store, &other.clock, seen, grade, 900, false)
            .expect("answered");
        assert!(outcome(&mut other, &folder).starts_with("synced"));
        // This one's home screen, opened before its sync has run.
        let mut app = App::home(ctx(&temp.path().join("recall.db"))).expect("home");
        let geo = |app: &App| {
            app.decks
                .iter()
                .find(|d| d.summary.name == "geo")
                .map(|d| (d.summary.total, d.to_study))
        };
        assert_eq!(geo(&app), None);
        let text = on_open(&app.ctx, &config(folder, true))
            .expect("started")
            .wait();
        show_outcome(&mut app, text);
        // The deck came with its cards; card a is answered, not new.
        assert_eq!(geo(&app), Some((2, 1)));
        let status = app.status.as_ref().expect("a status line");
        assert!(
            status.text.starts_with("synced: 1 answers in"),
            "{status:?}"
        );
    }
}
