//! `recall export`: data out of recall. Exported text is data, written
//! exactly as stored (no terminal escaping), to stdout or a file written
//! whole.

use std::io::Write;

use super::{Context, Output, export_progress};
use crate::cli::{ExportCommand, ExportDeckArgs};
use crate::error::{Error, Result};
use crate::formats::export::render;

/// `recall export WHAT`.
pub fn run(ctx: &Context, what: &ExportCommand) -> Result<()> {
    match what {
        ExportCommand::Deck(args) => deck(ctx, args),
        ExportCommand::Progress(args) => export_progress::progress(ctx, args),
        ExportCommand::Reviews(args) => export_progress::reviews(ctx, args),
    }
}

/// `recall export deck NAME --format F [--output FILE] [--force]`.
fn deck(ctx: &Context, args: &ExportDeckArgs) -> Result<()> {
    let (_, name) = ctx.store.resolve_deck(&args.name)?;
    let Some(deck) = ctx.store.deck_draft(&name)? else {
        return Err(Error::invalid(format!(
            "no deck named {name:?}; `recall decks` lists them"
        )));
    };
    let text = render(&deck, args.format)?;
    let mut out = Output::open(args.output.as_deref(), args.force, &[ctx.store.path()])?;
    out.write_all(text.as_bytes())?;
    out.finish()
}
