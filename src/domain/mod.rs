//! The pure core of recall: cards, the SM-2 and FSRS schedulers, today's session and
//! text safety. Nothing in here does I/O, so everything is unit-tested directly.

pub mod card;
pub mod card_status;
pub mod deck_name;
pub mod fsrs;
pub mod fsrs_history;
pub mod imported;
pub mod leech;
pub mod limits;
pub mod log;
pub mod log_packed;
pub mod math_text;
pub mod media;
pub mod plural;
pub mod query;
pub mod retired;
pub mod rng;
pub mod scheduler;
pub mod scope;
pub mod seen;
pub mod session;
pub mod siblings;
pub mod sm2;
pub mod stats;
pub mod sync_event;
pub mod text;
pub mod typed;
pub mod workload;

pub use card::{
    AnswerKind, Card, CardDraft, CardId, Day, DeckDraft, EFactor, Grade, ImportedProgress, Schedule,
};
pub use fsrs::{CardState, Fsrs, Memory};
pub use scheduler::{DeckScheduler, SchedulerKind};
pub use scope::Scope;
pub use session::{Limits, QueueEntry, QueueKind, Session, TodayAnswer};
pub use sm2::{Scheduler, Sm2};
