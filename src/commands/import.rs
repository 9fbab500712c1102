//! `recall import`: deck files into the database, all or nothing.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::{Context, print_json};
use crate::domain::text::escape_controls;
use crate::error::Result;
use crate::formats;
use crate::storage::{ImportOptions, ImportReport};

#[derive(Serialize)]
struct FileReport<'a> {
    file: String,
    decks: &'a [ImportReport],
}

pub fn run(
    ctx: &mut Context,
    files: &[PathBuf],
    options: ImportOptions,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    // Parse everything first: one bad file means nothing is written.
    let mut parsed = Vec::with_capacity(files.len());
    for file in files {
        parsed.push((file, formats::load(file)?));
    }
    let all: Vec<_> = parsed
        .iter()
        .flat_map(|(_, decks)| decks.iter().cloned())
        .collect();
    let now = ctx.clock.now().timestamp_millis();
    let reports = ctx.store.import(&all, options, now)?;

    let mut rest = reports.as_slice();
    let mut by_file = Vec::with_capacity(parsed.len());
    for (file, decks) in &parsed {
        let (mine, others) = rest.split_at(decks.len());
        rest = others;
        by_file.push(FileReport {
            file: file.display().to_string(),
            decks: mine,
        });
    }
    if json {
        return print_json(out, &by_file);
    }
    let prefix = if options.dry_run {
        "dry run, nothing written: "
    } else {
        ""
    };
    for report in &by_file {
        for deck in report.decks {
            writeln!(
                out,
                "{prefix}{}: {}: {} added, {} updated, {} unchanged, {} missing",
                escape_controls(&report.file),
                escape_controls(&deck.deck),
                deck.added,
                deck.updated,
                deck.unchanged,
                deck.missing.len()
            )?;
            if !deck.missing.is_empty() {
                let what = if options.prune {
                    "deleted (--prune)"
                } else {
                    "kept; --prune deletes them"
                };
                let ids: Vec<_> = deck.missing.iter().map(|k| escape_controls(k)).collect();
                writeln!(out, "  missing from the file ({what}): {}", ids.join(", "))?;
            }
        }
    }
    Ok(())
}
