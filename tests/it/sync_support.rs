//! Shared by the sync tests: devices (each a database in a temp dir) that
//! answer, undo and sync through the library API, and what two databases
//! must agree on afterwards.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset};
use recall::clock::Clock;
use recall::domain::leech::LeechPolicy;
use recall::domain::seen::Seen;
use recall::domain::{CardDraft, DeckDraft, Grade, Limits};
use recall::storage::{CardAction, ImportOptions, Store};
use recall::workflows::Context;
use recall::workflows::sync::{Options, Report, sync};
use rusqlite::Connection;
use tempfile::TempDir;

pub const KEYS: [&str; 4] = ["a", "b", "c", "d"];

pub struct Device {
    _dir: TempDir,
    pub db: PathBuf,
    pub ctx: Context,
}

pub fn deck() -> DeckDraft {
    DeckDraft {
        name: "geo".into(),
        description: String::new(),
        position: None,
        cards: KEYS
            .iter()
            .map(|k| CardDraft {
                key: (*k).into(),
                front: format!("front {k}"),
                back: format!("back {k}"),
                notes: String::new(),
                tags: vec![],
                typed: false,
            })
            .collect(),
    }
}

pub fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

impl Device {
    /// A database with the deck `geo` imported, its clock at `now`.
    pub fn new(now: DateTime<FixedOffset>) -> Device {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("recall.db");
        let mut store = Store::open(&db).unwrap();
        // Leeches are suspended by the answering device only: not what
        // these tests are about.
        store.set_leech_policy(LeechPolicy {
            threshold: 0,
            ..LeechPolicy::default()
        });
        store
            .import(&[deck()], ImportOptions::default(), 0)
            .unwrap();
        store.set_clock(Clock::fixed(now, 4));
        let ctx = Context {
            store,
            clock: Clock::fixed(now, 4),
            limits: Limits::default(),
            ui: Default::default(),
            typed: Default::default(),
            notice: None,
        };
        Device { _dir: dir, db, ctx }
    }

    pub fn set_now(&mut self, now: DateTime<FixedOffset>) {
        self.ctx.clock = Clock::fixed(now, 4);
        self.ctx.store.set_clock(self.ctx.clock);
    }

    /// The name of the deck `geo` has here now (renames travel): the
    /// tests' databases hold that one deck.
    pub fn deck_name(&self) -> String {
        self.ctx
            .store
            .deck_list()
            .unwrap()
            .into_iter()
            .map(|(_, name)| name)
            .next()
            .unwrap_or_else(|| "geo".into())
    }

    fn card_id(&self, key: &str) -> Option<recall::domain::CardId> {
        let deck = self.deck_name();
        self.ctx.store.card_by_key(&deck, key).unwrap()
    }

    /// `recall reset` of the card; whether it is here (and was not new).
    pub fn reset(&mut self, key: &str) -> bool {
        let Some(id) = self.card_id(key) else {
            return false;
        };
        let today = self.ctx.clock.today();
        let store = &mut self.ctx.store;
        store
            .apply_to_cards(&[id], CardAction::Reset, today)
            .unwrap()
            == 1
    }

    /// Deletes the card with its history; whether it was here.
    pub fn delete(&mut self, key: &str) -> bool {
        let Some(id) = self.card_id(key) else {
            return false;
        };
        self.ctx.store.delete_cards(&[id]).unwrap();
        true
    }

    /// `recall deck rename` of the deck to `name`; whether it was renamed.
    pub fn rename(&mut self, name: &str) -> bool {
        let store = &mut self.ctx.store;
        let Some((id, old)) = store.deck_list().unwrap().into_iter().next() else {
            return false;
        };
        old != name && store.rename_deck(id, name).is_ok()
    }

    /// Imports the deck file again (under the deck's name here): deleted
    /// cards come back, new.
    pub fn reimport(&mut self) {
        let draft = DeckDraft {
            name: self.deck_name(),
            ..deck()
        };
        let now = self.ctx.clock.now().timestamp_millis();
        self.ctx
            .store
            .import(&[draft], ImportOptions::default(), now)
            .unwrap();
    }

    pub fn advance(&mut self, by: Duration) {
        let now = self.ctx.clock.now() + by;
        self.set_now(now);
    }

    pub fn answer(&mut self, key: &str, grade: u8) {
        assert!(self.try_answer(key, grade), "card {key} is suspended");
    }

    /// Answers the card unless it is suspended; whether it did.
    pub fn try_answer(&mut self, key: &str, grade: u8) -> bool {
        let Some(id) = self.card_id(key) else {
            return false;
        };
        let store = &mut self.ctx.store;
        let card = store.card(id).unwrap().unwrap();
        if card.suspended {
            return false;
        }
        let grade = Grade::new(grade).unwrap();
        recall::workflows::study::answer(
            store,
            &self.ctx.clock,
            Seen::Named(&card),
            grade,
            900,
            false,
        )
        .unwrap();
        true
    }

    /// Suspends the card, or brings it back if it was suspended.
    pub fn toggle_suspend(&mut self, key: &str) {
        let Some(id) = self.card_id(key) else {
            return;
        };
        let store = &mut self.ctx.store;
        let card = store.card(id).unwrap().unwrap();
        if card.suspended {
            store.unsuspend(id).unwrap();
        } else {
            store.suspend(&card).unwrap();
        }
    }

    /// Buries the card until tomorrow, or (`bury` false) shows it again.
    pub fn bury(&mut self, key: &str, bury: bool) {
        let tomorrow = recall::domain::Day(self.ctx.clock.today().0 + 1);
        let Some(id) = self.card_id(key) else {
            return;
        };
        let store = &mut self.ctx.store;
        let card = store.card(id).unwrap().unwrap();
        if bury {
            store.bury(&card, tomorrow).unwrap();
        } else {
            store.unbury(id).unwrap();
        }
    }

    /// `recall undo`; whether there was an answer to take back.
    pub fn undo(&mut self) -> bool {
        self.ctx.store.undo_last_answer().is_ok()
    }

    pub fn sync(&mut self, dir: &Path) -> Report {
        sync(&mut self.ctx, dir, Options::default()).unwrap()
    }

    /// What two synced databases must agree on: the review log with each
    /// answer's kind and states, the cards' states, the per-day totals.
    pub fn contents(&self) -> Contents {
        let conn = Connection::open(&self.db).unwrap();
        let rows = |sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).unwrap();
            let columns = stmt.column_count();
            stmt.query_map([], |r| {
                Ok((0..columns)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
        };
        Contents {
            log: rows(
                "SELECT d.name, c.key, r.reviewed_at, r.utc_offset, r.day, r.grade, r.kind, \
                   r.duration_ms, r.reps_before, r.ef_before, r.interval_before, r.due_before, \
                   r.lapses_before, r.reps_after, r.ef_after, r.interval_after, r.due_after, \
                   r.lapses_after \
                 FROM reviews r JOIN cards c ON c.id = r.card_id JOIN decks d ON d.id = c.deck_id \
                 ORDER BY r.reviewed_at, d.name, c.key",
            ),
            cards: rows(
                "SELECT d.name, c.key, c.repetitions, c.efactor, c.interval, c.due, c.lapses, \
                   c.last_review, c.suspended, c.buried_until FROM cards c JOIN decks d ON d.id = c.deck_id \
                 ORDER BY d.name, c.key",
            ),
            decks: rows("SELECT name FROM decks ORDER BY name"),
            days: rows(
                "SELECT t.day, d.name, t.reviews, t.redrills, t.cram, t.duration_ms, t.young, \
                   t.young_passed, t.mature, t.mature_passed \
                 FROM review_days t JOIN decks d ON d.id = t.deck_id \
                 WHERE t.reviews + t.redrills + t.cram > 0 ORDER BY t.day, d.name",
            ),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Contents {
    pub log: Vec<String>,
    pub cards: Vec<String>,
    pub decks: Vec<String>,
    pub days: Vec<String>,
}

/// The lines of a device's own log.
pub fn log_lines(report: &Report) -> Vec<String> {
    std::fs::read_to_string(&report.log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}
