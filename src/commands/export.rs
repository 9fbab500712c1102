//! `recall export`: data out of recall. Exported text is data, written
//! exactly as stored (no terminal escaping), to stdout or a file written
//! whole.

use std::io::Write;
use std::path::Path;

use super::{Context, Output};
use crate::error::{Error, Result};
use crate::formats::export::{DeckExportFormat, render};

/// `recall export deck NAME --format F [--output FILE] [--force]`.
pub fn deck(
    ctx: &Context,
    name: &str,
    format: DeckExportFormat,
    output: Option<&Path>,
    force: bool,
) -> Result<()> {
    let (_, name) = ctx.store.resolve_deck(name)?;
    let Some(deck) = ctx.store.deck_draft(&name)? else {
        return Err(Error::invalid(format!(
            "no deck named {name:?}; `recall decks` lists them"
        )));
    };
    let text = render(&deck, format)?;
    let mut out = Output::open(output, force, &[ctx.store.path()])?;
    out.write_all(text.as_bytes())?;
    out.finish()
}
