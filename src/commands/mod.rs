//! One module per subcommand. Commands are thin: they read arguments, call
//! the workflows/storage/format layers, and print.

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
pub mod fsrs;
pub mod import;
pub mod import_reviews;
pub mod log;
pub mod next;
pub mod output;
pub mod scheduler;
pub mod stats;
pub mod sync;
pub mod typed_answer;

pub use output::Output;
// Every command works on the library layer's context.
pub use crate::workflows::Context;

use std::io::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::error::Result;

/// Pretty JSON and a newline: easy for people and for `jq`.
/// C1, bidi and zero-width characters are written as `\uXXXX` escapes.
pub fn print_json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    let json = serde_json::to_string_pretty(value).map_err(std::io::Error::from)?;
    writeln!(out, "{}", crate::domain::text::escape_json(&json))?;
    Ok(())
}

/// The terminal columns `text` (escaped, one line) takes: a CJK character
/// or an emoji takes two, a combining mark none.
pub fn columns(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Pads `text` to `width` terminal columns.
pub fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))))
}

/// Right-aligns `text` in `width` terminal columns.
pub fn pad_left(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(columns(text))))
}
