//! The library layer: the workflows the commands and the TUI share, so that
//! `recall answer` and a grade in the review screen are one piece of code.
//!
//! What belongs here: a sequence of storage calls with the domain rules that
//! join them (today's session, recording an answer, deleting with a backup,
//! the statistics report), and `Context`, what every one of them works on.
//! It may use `domain`, `storage`, `formats` and `config`; never `commands`
//! or `tui`, which sit on top of it and stay thin.

pub mod fsrs;
pub mod import;
pub mod import_reviews;
pub mod scheduling;
pub mod stats;
pub mod study;
pub mod sync;

use crate::clock::Clock;
use crate::domain::Limits;
use crate::storage::Store;

/// What every command and the TUI work with: the open database, the clock
/// (`RECALL_NOW` or the system's) and the config's settings.
pub struct Context {
    pub store: Store,
    pub clock: Clock,
    pub limits: Limits,
    /// The TUI's key map and colours (from the config).
    pub ui: crate::config::Ui,
    /// How typed answers are compared (from the config).
    pub typed: crate::domain::typed::Normalise,
    /// What opening did that the user should hear of once (the bundled
    /// decks updated): already on stderr; the home screen shows it too.
    pub notice: Option<String>,
}
