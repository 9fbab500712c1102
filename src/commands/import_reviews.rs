//! `recall import --reviews FILE`: merges a review log into the database
//! (`workflows::import_reviews`) and prints what the merge did.

use std::io::Write;

use super::{Context, print_json};
use crate::cli::ReviewsImport;
use crate::domain::plural::plural;
use crate::domain::text::escape_line;
use crate::error::Result;
use crate::workflows::import_reviews::merge_file;

pub fn run(ctx: &mut Context, args: &ReviewsImport, out: &mut dyn Write) -> Result<()> {
    let report = merge_file(ctx, &args.log)?;
    // The merge replays each card it touches through SM-2; FSRS decks are
    // replayed through FSRS again from their now longer log.
    crate::workflows::scheduling::replay_fsrs_decks(&mut ctx.store)?;
    if args.json {
        return print_json(out, &report);
    }
    writeln!(
        out,
        "{}: {} added, {} already present, {} recomputed, {} of unknown cards skipped",
        escape_line(&report.file),
        plural(report.added, "answer"),
        report.skipped,
        plural(report.cards, "card"),
        plural(report.unknown, "answer")
    )?;
    if !report.unknown_cards.is_empty() {
        let names: Vec<String> = report
            .unknown_cards
            .iter()
            .map(|(card, n)| format!("{} ({n})", escape_line(card)))
            .collect();
        let more = if report.unknown_cards.len() < report.unknown_distinct {
            ", …"
        } else {
            ""
        };
        writeln!(out, "  unknown cards: {}{more}", names.join(", "))?;
    }
    Ok(())
}
