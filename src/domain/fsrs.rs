//! FSRS-6 beside SM-2, through the `fsrs` crate (open-spaced-repetition's
//! fsrs-rs, the code inside Anki). Every number of FSRS — memory states,
//! intervals, retrievability — comes from the crate; this module only maps
//! recall's grades, days and answer kinds onto its calls. Pure: no I/O.
//!
//! Why FSRS keeps its state beside `Schedule` (in `CardState`) instead of
//! inside it: SM-2's state is integers compared exactly, and its tests build
//! it field by field; a memory state of floats inside it would touch every
//! SM-2 value and test for an algorithm SM-2 does not use. So `Schedule`
//! stays SM-2's, and an FSRS card has a `Schedule` (due day, interval,
//! repetitions, lapses: what queues, statistics and leeches read) plus the
//! crate's memory state (stability, difficulty).
//!
//! Grades: 0–2 → Again (1), 3 → Hard (2), 4 → Good (3), 5 → Easy (4).
//!
//! Same-day answers: the day's first answer schedules (as under SM-2); a
//! re-drill later that day (SM-2 step 7) is a same-day review for FSRS: it
//! moves the memory state by the crate's short-term path (elapsed days = 0),
//! but not the due day, so a re-drill never makes a new long-term interval.
//! The next day's answer starts from that memory state. Cram answers (study
//! ahead) change nothing, as under SM-2.

use fsrs::{FSRS, MemoryState};

use super::card::{AnswerKind, Day, Grade, Schedule};

/// Desired retention when neither the deck nor the config file sets one.
pub const DEFAULT_RETENTION: f32 = 0.9;

/// The longest interval FSRS may give (100 years, as Anki's maximum).
const MAX_INTERVAL: f32 = 36_500.0;

/// The crate's memory state of one card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    pub stability: f32,
    pub difficulty: f32,
}

impl From<MemoryState> for Memory {
    fn from(m: MemoryState) -> Memory {
        Memory {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

impl From<Memory> for MemoryState {
    fn from(m: Memory) -> MemoryState {
        MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

/// A card's whole scheduling state: SM-2's `Schedule`, and under FSRS the
/// memory state (`None` for a new card, and always under SM-2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardState {
    pub schedule: Schedule,
    pub memory: Option<Memory>,
}

impl CardState {
    pub const NEW: CardState = CardState {
        schedule: Schedule::NEW,
        memory: None,
    };

    pub fn sm2(schedule: Schedule) -> CardState {
        CardState {
            schedule,
            memory: None,
        }
    }
}

/// recall's grade as FSRS's rating (1 Again, 2 Hard, 3 Good, 4 Easy).
pub fn rating(grade: Grade) -> u32 {
    match grade.value() {
        0..=2 => 1,
        3 => 2,
        4 => 3,
        _ => 4,
    }
}

/// FSRS with one set of parameters and a desired retention.
#[derive(Debug, Clone)]
pub struct Fsrs {
    model: FSRS,
    params: Vec<f32>,
    retention: f32,
}

impl Fsrs {
    /// `params` empty: the crate's defaults. The crate checks (and clips)
    /// them; an error says what is wrong, for the caller to name the source.
    pub fn new(params: &[f32], retention: f32) -> Result<Fsrs, String> {
        if !(retention > 0.0 && retention < 1.0) {
            return Err(format!(
                "desired retention {retention} is not between 0 and 1 (e.g. 0.9)"
            ));
        }
        let model = FSRS::new(params).map_err(|e| format!("FSRS parameters refused: {e}"))?;
        let params = if params.is_empty() {
            fsrs::DEFAULT_PARAMETERS.to_vec()
        } else {
            params.to_vec()
        };
        Ok(Fsrs {
            model,
            params,
            retention,
        })
    }

    pub fn params(&self) -> &[f32] {
        &self.params
    }

    pub fn retention(&self) -> f32 {
        self.retention
    }

    /// The forgetting curve's decay (FSRS-6's last parameter, negated by the crate).
    fn decay(&self) -> f32 {
        self.params
            .get(20)
            .copied()
            .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY)
    }

    /// Days since the card was last scheduled: an FSRS card is due
    /// `interval` days after its last scheduling answer.
    fn elapsed(schedule: &Schedule, today: Day) -> u32 {
        match schedule.due {
            Some(due) => {
                let last = due.minus(schedule.interval);
                u32::try_from(today.0 - last.0).unwrap_or(0)
            }
            None => 0,
        }
    }

    /// The memory a scheduling answer starts from: none for a card with no
    /// due day (new, or reset to new), whatever its columns still hold.
    fn memory_of(state: &CardState) -> Option<Memory> {
        state.schedule.due.and(state.memory)
    }

    /// The crate's four next states from `memory` after `elapsed` days.
    fn next_states(&self, memory: Option<Memory>, elapsed: u32) -> fsrs::NextStates {
        let ask = |m: Option<Memory>| {
            self.model
                .next_states(m.map(Into::into), self.retention, elapsed)
        };
        // The crate refuses only non-finite results; a stored state that
        // leads to one is treated as a new card rather than stopping study.
        ask(memory)
            .or_else(|_| ask(None))
            .expect("the crate's states for a new card are finite with checked parameters")
    }

    fn pick(states: &fsrs::NextStates, grade: Grade) -> &fsrs::ItemState {
        match rating(grade) {
            1 => &states.again,
            2 => &states.hard,
            3 => &states.good,
            _ => &states.easy,
        }
    }

    fn days(interval: f32) -> u32 {
        interval.round().clamp(1.0, MAX_INTERVAL) as u32
    }

    /// The state after an answer of `kind` on `today` (see the module
    /// comment for same-day answers).
    pub fn answer(
        &self,
        state: &CardState,
        grade: Grade,
        today: Day,
        kind: AnswerKind,
    ) -> CardState {
        match kind {
            AnswerKind::Cram => *state,
            AnswerKind::Redrill => {
                let states = self.next_states(state.memory, 0);
                CardState {
                    schedule: state.schedule,
                    memory: Some(Self::pick(&states, grade).memory.into()),
                }
            }
            AnswerKind::Schedule => {
                let elapsed = Self::elapsed(&state.schedule, today);
                let states = self.next_states(Self::memory_of(state), elapsed);
                let next = Self::pick(&states, grade).clone();
                let interval = Self::days(next.interval);
                let s = &state.schedule;
                // Repetitions and lapses counted as SM-2 counts them, so the
                // leech rule and the statistics read the same under both.
                let (repetitions, lapses) = if grade.passed() {
                    (s.repetitions.saturating_add(1), s.lapses)
                } else {
                    (0, s.lapses.saturating_add(1))
                };
                CardState {
                    schedule: Schedule {
                        repetitions,
                        efactor: s.efactor,
                        interval,
                        due: Some(today.plus(interval)),
                        lapses,
                    },
                    memory: Some(next.memory.into()),
                }
            }
        }
    }

    /// The interval each grade (0 to 5) would give if answered today.
    pub fn intervals(&self, state: &CardState, today: Day) -> [u32; 6] {
        let elapsed = Self::elapsed(&state.schedule, today);
        let states = self.next_states(Self::memory_of(state), elapsed);
        Grade::ALL.map(|g| Self::days(Self::pick(&states, g).interval))
    }

    /// The probability of recalling the card today, by the crate's curve.
    pub fn retrievability(&self, state: &CardState, today: Day) -> Option<f32> {
        let memory = Self::memory_of(state)?;
        let elapsed = Self::elapsed(&state.schedule, today) as f32;
        Some(fsrs::current_retrievability(
            memory.into(),
            elapsed,
            self.decay(),
        ))
    }

    /// The probability of recalling an item's last answer: the crate's
    /// memory state after the answers before it, on its forgetting curve
    /// after the days the last one waited. 0.5 (no opinion) for an item
    /// the crate refuses (none that `fsrs_history::items` builds).
    pub fn predict(&self, item: &fsrs::FSRSItem) -> f32 {
        let Some((last, history)) = item.reviews.split_last() else {
            return 0.5;
        };
        let history = fsrs::FSRSItem {
            reviews: history.to_vec(),
        };
        match self.model.memory_state(history, None) {
            Ok(memory) => fsrs::current_retrievability(memory, last.delta_t as f32, self.decay()),
            Err(_) => 0.5,
        }
    }

    /// The memory state after answering `grade` `elapsed` days after the
    /// last answer (`None`: a new card): for simulations.
    pub fn memory_after(&self, memory: Option<Memory>, elapsed: u32, grade: Grade) -> Memory {
        Self::pick(&self.next_states(memory, elapsed), grade)
            .memory
            .into()
    }

    /// The probability of recalling a card `elapsed` days after its last answer.
    pub fn recall_probability(&self, memory: Memory, elapsed: u32) -> f32 {
        fsrs::current_retrievability(memory.into(), elapsed as f32, self.decay())
    }

    /// A memory state for a card whose history starts mid-way (progress
    /// imported without its log): the crate's estimate from SM-2's ease
    /// and interval, with SM-2's retention taken as 0.9.
    pub fn memory_from_sm2(&self, schedule: &Schedule) -> Option<Memory> {
        schedule.due?;
        self.model
            .memory_state_from_sm2(
                schedule.efactor.as_f64() as f32,
                schedule.interval.max(1) as f32,
                0.9,
            )
            .ok()
            .map(Into::into)
    }
}

#[cfg(test)]
#[path = "fsrs_tests.rs"]
mod tests;
