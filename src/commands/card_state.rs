//! `recall suspend|unsuspend|bury|unbury|reset CARD... [--query Q]`: one
//! change to many cards, in one transaction.

use std::io::Write;

use super::Context;
use super::cards::parse_query;
use crate::cli::TargetCards;
use crate::error::{Error, Result};
use crate::storage::CardAction;
use crate::workflows::study;

/// What the report says was done, and what "already" means.
fn words(action: CardAction) -> (&'static str, &'static str) {
    match action {
        CardAction::Suspend => ("suspended", "already suspended"),
        CardAction::Unsuspend => ("unsuspended", "not suspended"),
        CardAction::Bury => ("buried until tomorrow", "already buried"),
        CardAction::Unbury => ("unburied", "not buried"),
        CardAction::Reset => ("reset to new (history kept)", "new already"),
    }
}

pub fn run(
    ctx: &mut Context,
    action: CardAction,
    target: &TargetCards,
    out: &mut dyn Write,
) -> Result<()> {
    let today = ctx.clock.today();
    let query = target.query.as_deref().map(parse_query).transpose()?;
    let ids = study::find_cards(&ctx.store, &target.cards, query.as_ref(), today)?;
    if ids.is_empty() {
        return Err(Error::invalid(
            "the query finds no card; nothing was changed (`recall cards QUERY` shows what it finds)",
        ));
    }
    let changed = ctx.store.apply_to_cards(&ids, action, today)?;
    let (done, already) = words(action);
    let plural = |n: usize| if n == 1 { "card" } else { "cards" };
    write!(out, "{changed} {} {done}", plural(changed))?;
    let unchanged = ids.len() - changed;
    if unchanged > 0 {
        write!(out, "; {unchanged} {} {already}", plural(unchanged))?;
    }
    writeln!(out, ".")?;
    Ok(())
}
