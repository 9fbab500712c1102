//! `recall decks`: every deck with its counts.

use std::io::Write;

use super::{Context, columns, pad, print_json};
use crate::cli::DecksArgs;
use crate::domain::text::escape_line;
use crate::error::Result;

pub fn run(ctx: &Context, args: &DecksArgs, out: &mut dyn Write) -> Result<()> {
    let today = ctx.clock.today();
    let decks = ctx.store.deck_summaries(today)?;
    if args.json {
        return print_json(out, &decks);
    }
    if decks.is_empty() {
        writeln!(out, "No decks yet. Add one with `recall import FILE`.")?;
        return Ok(());
    }
    let width = decks
        .iter()
        .map(|d| columns(&escape_line(&d.name)))
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "{}  {:>6}  {:>6}  {:>6}  {:>9}",
        pad("DECK", width),
        "TOTAL",
        "NEW",
        "DUE",
        "SUSPENDED"
    )?;
    for d in &decks {
        writeln!(
            out,
            "{}  {:>6}  {:>6}  {:>6}  {:>9}",
            pad(&escape_line(&d.name), width),
            d.total,
            d.new,
            d.due_today,
            d.suspended
        )?;
    }
    let due: u32 = decks.iter().map(|d| d.due_today).sum();
    let new: u32 = decks.iter().map(|d| d.new).sum();
    writeln!(out, "\n{due} due today, {new} new, as of {today}.")?;
    Ok(())
}
