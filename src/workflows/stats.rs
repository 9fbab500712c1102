//! The statistics report for a scope and a period, as `recall stats` prints
//! it and the TUI's statistics screen shows it: the store's aggregates put
//! through the pure `domain::stats`.

use crate::domain::Scope;
use crate::domain::stats::Stats;
use crate::domain::text::escape_line;
use crate::error::Result;

use super::Context;

/// The scope in words, for headings ("all decks", "deck Foo, tag x").
pub fn scope_label(scope: &Scope) -> String {
    let mut parts = Vec::new();
    if let Some(deck) = &scope.deck {
        parts.push(format!("deck {}", escape_line(deck)));
    }
    if let Some(tag) = &scope.tag {
        parts.push(format!("tag {}", escape_line(tag)));
    }
    if parts.is_empty() {
        "all decks".to_string()
    } else {
        parts.join(", ")
    }
}

/// The report over the last `days` days, ending today.
pub fn compute(ctx: &Context, scope: &Scope, days: u32) -> Result<Stats> {
    let input = ctx.store.stats_input(scope, ctx.clock.today(), days)?;
    Ok(Stats::compute(input))
}
