//! Each deck's scheduler as stored (migration 0009): its choice of
//! algorithm and retention, FSRS's fitted parameters, the cards' memory
//! states, and the rewrite of a whole deck's states when it switches.

use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::Store;
use super::deck_histories::{histories_in, logged_from};
use super::review_rows::CardStates;
use crate::domain::log::LoggedAnswer;
use crate::domain::scheduler::Defaults;
use crate::domain::{CardId, CardState, Day, Memory, Schedule, SchedulerKind};
use crate::error::{Error, Result};

/// A deck's own settings; `None` follows the config file's default.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckSetting {
    pub deck: i64,
    pub name: String,
    pub scheduler: Option<SchedulerKind>,
    pub retention: Option<f32>,
    /// The algorithm the deck's card states were computed by.
    pub states_by: SchedulerKind,
}

/// Parameters `recall fsrs optimize` fitted, for one deck or (`deck`
/// `None`) for every deck without its own.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedParams {
    pub deck: Option<i64>,
    pub params: Vec<f32>,
    pub fitted_on: Day,
    pub reviews: u32,
}

/// One card's log, as a switch of its deck replays it.
#[derive(Debug, Clone)]
pub struct CardHistory {
    pub card: CardId,
    /// The state before its first logged answer (the card's own state if
    /// it has none): new, unless progress came without its log.
    pub start: Schedule,
    pub log: Vec<LoggedAnswer>,
    /// The card's own last scheduling time, for a card without a log.
    pub last_review: Option<i64>,
    /// Its SM-2 state when the deck left SM-2, and how many of `log`'s
    /// answers it already counts.
    pub stash: Option<(Schedule, Option<i64>, usize)>,
}

/// A card's new state and the time of its last scheduling answer.
pub type Rescheduled = (CardState, Option<i64>);

fn kind_from(text: Option<String>) -> Option<SchedulerKind> {
    text.and_then(|t| t.parse().ok())
}

fn setting_from(r: &Row<'_>) -> rusqlite::Result<DeckSetting> {
    Ok(DeckSetting {
        deck: r.get(0)?,
        name: r.get(1)?,
        scheduler: kind_from(r.get(2)?),
        retention: r.get::<_, Option<f64>>(3)?.map(|x| x as f32),
        states_by: kind_from(r.get(4)?).unwrap_or_default(),
    })
}

const SETTING_COLUMNS: &str = "id, name, scheduler, retention, states_by FROM decks";

pub(super) fn memory_from(r: &Row<'_>, first: usize) -> rusqlite::Result<Option<Memory>> {
    let stability: Option<f64> = r.get(first)?;
    let difficulty: Option<f64> = r.get(first + 1)?;
    Ok(stability.zip(difficulty).map(|(s, d)| Memory {
        stability: s as f32,
        difficulty: d as f32,
    }))
}

/// Sets a card's memory columns (`NULL` for none).
pub(super) fn set_memory(
    tx: &rusqlite::Connection,
    card: CardId,
    memory: Option<Memory>,
) -> Result<()> {
    tx.prepare_cached("UPDATE cards SET stability = ?2, difficulty = ?3 WHERE id = ?1")?
        .execute(params![
            card,
            memory.map(|m| f64::from(m.stability)),
            memory.map(|m| f64::from(m.difficulty))
        ])?;
    Ok(())
}

/// An answer's memory states (FSRS): the card's new one, and on the
/// answer's log row the one it started from, for undo. Under SM-2 both are
/// `None` and nothing is written.
pub(super) fn record_memory(
    tx: &rusqlite::Connection,
    card: CardId,
    review_id: i64,
    before: Option<Memory>,
    after: Option<Memory>,
) -> Result<()> {
    if after != before {
        set_memory(tx, card, after)?;
    }
    if after.is_some() {
        tx.prepare_cached(
            "UPDATE reviews SET stability_before = ?2, difficulty_before = ?3 WHERE id = ?1",
        )?
        .execute(params![
            review_id,
            before.map(|m| f64::from(m.stability)),
            before.map(|m| f64::from(m.difficulty))
        ])?;
    }
    Ok(())
}

impl Store {
    /// The config file's scheduler and retention, for decks without their own.
    pub fn set_scheduling_defaults(&mut self, defaults: Defaults) {
        self.scheduling = defaults;
    }

    pub fn scheduling_defaults(&self) -> Defaults {
        self.scheduling
    }

    /// Every deck's settings, in the decks' order.
    pub fn deck_settings(&self) -> Result<Vec<DeckSetting>> {
        let sql = format!("SELECT {SETTING_COLUMNS} ORDER BY position IS NULL, position, name");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], setting_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The settings of the deck named exactly `name`.
    pub fn deck_setting(&self, name: &str) -> Result<Option<DeckSetting>> {
        let sql = format!("SELECT {SETTING_COLUMNS} WHERE name = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([name], setting_from)
            .optional()?)
    }

    /// The parameters fitted for `deck` itself (`None`: the global ones).
    pub fn fitted_params(&self, deck: Option<i64>) -> Result<Option<FittedParams>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT params, fitted_on, reviews FROM fsrs_params \
                 WHERE IFNULL(deck_id, 0) = IFNULL(?1, 0)",
            )?
            .query_row([deck], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((text, day, reviews)) = row else {
            return Ok(None);
        };
        let params: Vec<f32> = serde_json::from_str(&text).map_err(|e| Error::Damaged {
            path: self.path.clone(),
            detail: format!("the FSRS parameters stored for deck {deck:?} are not a list: {e}"),
        })?;
        Ok(Some(FittedParams {
            deck,
            params,
            fitted_on: Day(day),
            reviews,
        }))
    }

    /// Stores fitted parameters, replacing those of the same deck (or the global ones).
    pub fn save_params(&mut self, fitted: &FittedParams) -> Result<()> {
        let text = serde_json::to_string(&fitted.params)
            .map_err(|e| Error::invalid(format!("cannot store the parameters: {e}")))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "DELETE FROM fsrs_params WHERE IFNULL(deck_id, 0) = IFNULL(?1, 0)",
            [fitted.deck],
        )?;
        tx.execute(
            "INSERT INTO fsrs_params (deck_id, params, fitted_on, reviews) VALUES (?1, ?2, ?3, ?4)",
            params![fitted.deck, text, fitted.fitted_on.0, fitted.reviews],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A card's FSRS memory state, if it has one.
    pub fn card_memory(&self, card: CardId) -> Result<Option<Memory>> {
        Ok(self
            .conn
            .prepare_cached("SELECT stability, difficulty FROM cards WHERE id = ?1")?
            .query_row([card], |r| memory_from(r, 0))
            .optional()?
            .flatten())
    }

    /// Every card's log in time order, of one deck or of all: the history
    /// that FSRS is fitted and evaluated on (answers imported from Anki
    /// included: they are rows of the log like any other).
    pub fn review_histories(&self, deck: Option<i64>) -> Result<Vec<(CardId, Vec<LoggedAnswer>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.card_id, r.reviewed_at, r.utc_offset, r.day, r.grade, r.kind, r.duration_ms \
             FROM reviews r JOIN cards c ON c.id = r.card_id \
             WHERE ?1 IS NULL OR c.deck_id = ?1 \
             ORDER BY r.card_id, r.reviewed_at, r.id",
        )?;
        let mut out: Vec<(CardId, Vec<LoggedAnswer>)> = Vec::new();
        let rows = stmt.query_map([deck], |r| Ok((r.get::<_, CardId>(0)?, logged_from(r, 1)?)))?;
        for row in rows {
            let (card, answer) = row?;
            match out.last_mut() {
                Some((last, log)) if *last == card => log.push(answer),
                _ => out.push((card, vec![answer])),
            }
        }
        Ok(out)
    }

    /// Cards with no answer in the log, of one deck or of all.
    pub fn unreviewed_cards(&self, deck: Option<i64>) -> Result<usize> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) FROM cards c WHERE (?1 IS NULL OR c.deck_id = ?1) \
               AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = c.id)",
            )?
            .query_row([deck], |r| r.get::<_, i64>(0))
            .map(|n| usize::try_from(n).unwrap_or(0))?)
    }

    /// Switches `deck` to `target` (with its own `setting`: algorithm and
    /// retention, `None` to follow the config file) and gives every card
    /// the state `compute` makes of its history, in one transaction. On
    /// leaving SM-2, each card's SM-2 state is kept aside first; on coming
    /// back, it is handed to `compute` and then let go. Returns the number
    /// of cards rewritten.
    pub fn reschedule_deck(
        &mut self,
        deck: i64,
        setting: (Option<SchedulerKind>, Option<f32>),
        target: SchedulerKind,
        mut compute: impl FnMut(&CardHistory) -> Rescheduled,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let states_by: Option<String> = tx
            .query_row("SELECT states_by FROM decks WHERE id = ?1", [deck], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(states_by) = states_by else {
            return Err(Error::invalid(format!("no deck with id {deck}")));
        };
        if states_by == "sm2" && target == SchedulerKind::Fsrs {
            tx.execute(
                "INSERT OR REPLACE INTO sm2_states \
                 SELECT c.id, c.repetitions, c.efactor, c.interval, c.due, c.lapses, c.last_review, \
                   IFNULL((SELECT MAX(r.id) FROM reviews r WHERE r.card_id = c.id), 0) \
                 FROM cards c WHERE c.deck_id = ?1",
                [deck],
            )?;
        }
        let histories = histories_in(&tx, deck)?;
        {
            let mut states = CardStates::new(&tx)?;
            for history in &histories {
                let (state, last_review) = compute(history);
                states.set(history.card, &state.schedule, last_review)?;
                set_memory(&tx, history.card, state.memory)?;
            }
        }
        if target == SchedulerKind::Sm2 {
            tx.execute(
                "DELETE FROM sm2_states WHERE card_id IN (SELECT id FROM cards WHERE deck_id = ?1)",
                [deck],
            )?;
        }
        tx.execute(
            "UPDATE decks SET scheduler = ?2, retention = ?3, states_by = ?4 WHERE id = ?1",
            params![
                deck,
                setting.0.map(SchedulerKind::as_str),
                setting.1.map(f64::from),
                target.as_str()
            ],
        )?;
        tx.commit()?;
        Ok(histories.len())
    }
}
