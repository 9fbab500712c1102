//! One module per subcommand. Commands are thin: they read arguments, call
//! the study/storage/format layers, and print.

pub mod answer;
pub mod backup;
pub mod card_state;
pub mod cards;
pub mod check;
pub mod config;
pub mod deck;
pub mod decks;
pub mod export;
pub mod export_progress;
pub mod import;
pub mod import_reviews;
pub mod log;
pub mod next;
pub mod output;
pub mod stats;

pub use output::Output;

use std::io::Write;

use serde::Serialize;

use crate::clock::Clock;
use crate::domain::Limits;
use crate::error::Result;
use crate::storage::Store;

/// What every command works with.
pub struct Context {
    pub store: Store,
    pub clock: Clock,
    pub limits: Limits,
    /// The TUI's key map and colours (from the config).
    pub ui: crate::config::Ui,
    /// What opening did that the user should hear of once (the bundled
    /// decks updated): already on stderr; the home screen shows it too.
    pub notice: Option<String>,
}

/// Pretty JSON and a newline: easy for people and for `jq`.
/// C1, bidi and zero-width characters are written as `\uXXXX` escapes.
pub fn print_json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    let json = serde_json::to_string_pretty(value).map_err(std::io::Error::from)?;
    writeln!(out, "{}", crate::domain::text::escape_json(&json))?;
    Ok(())
}

/// Pads `text` to `width` terminal columns (counting chars is close enough
/// for deck names; the TUI measures real widths).
pub fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}
