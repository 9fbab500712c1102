//! `recall import`: deck files into the database, all or nothing (or, with
//! `--keep-going`, every good file and a report of the bad ones). The
//! pipeline is `workflows::import`; this prints what it did.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{Context, Output, print_json};
use crate::cli::DeckImport;
use crate::domain::text::{escape_controls, escape_line};
use crate::error::{Error, Result};
use crate::formats::{self, Format, LoadOptions};
use crate::storage::{ImportOptions, ImportReport, OnMissing};
use crate::workflows::import::{FileOutcome, import_files};

#[derive(Serialize)]
struct FileReport {
    file: String,
    decks: Vec<ImportReport>,
    skipped: Vec<String>,
    warnings: Vec<String>,
    /// Ids written into the file by `--write-ids`.
    ids_written: usize,
    /// Media files that came with it (images, sound), stored in `media/`.
    #[serde(skip_serializing_if = "is_zero")]
    media: usize,
    error: Option<String>,
}

/// Most skip reasons listed per file; the rest are counted.
const SHOWN_SKIPS: usize = 20;

/// `open` gives the database: called once the files are being read.
pub fn run(
    open: impl FnOnce() -> Result<Context>,
    flags: &DeckImport,
    out: &mut dyn Write,
) -> Result<()> {
    let outcomes = import_files(open, &flags.files, &flags.plan)?;
    let total = outcomes.len();
    let (failed, imported): (Vec<_>, Vec<_>) =
        outcomes.into_iter().partition(|o| o.error.is_some());
    let mut by_file = Vec::with_capacity(total);
    for outcome in imported {
        let ids_written = if flags.write_ids && !flags.plan.store.dry_run {
            write_ids(&outcome.file, &flags.plan.load)?
        } else {
            0
        };
        by_file.push(FileReport {
            file: outcome.file.display().to_string(),
            decks: outcome.decks,
            skipped: outcome.loaded.skipped,
            media: outcome.loaded.media.as_ref().map_or(0, |m| m.files().len()),
            warnings: [outcome.loaded.warnings, outcome.loaded.media_problems].concat(),
            ids_written,
            error: None,
        });
    }
    by_file.extend(failed.iter().map(failed_report));
    if flags.json {
        print_json(out, &by_file)?;
    } else {
        print_text(&by_file, flags.plan.store, out)?;
    }
    if failed.is_empty() {
        return Ok(());
    }
    let reasons: Vec<_> = failed
        .iter()
        .filter_map(|o| o.error.as_ref())
        .map(|e| format!("  {e}"))
        .collect();
    Err(Error::invalid(format!(
        "{} of {total} file(s) could not be imported (the others were{}):\n{}",
        failed.len(),
        if flags.plan.store.dry_run {
            " checked"
        } else {
            ""
        },
        reasons.join("\n")
    )))
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn failed_report(outcome: &FileOutcome) -> FileReport {
    FileReport {
        file: outcome.file.display().to_string(),
        decks: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
        ids_written: 0,
        media: 0,
        error: outcome.error.as_ref().map(ToString::to_string),
    }
}

/// `--write-ids` for a Markdown deck: the file rewritten whole (through a
/// symlink, if it is one) with an `ID:` line for each card that had none.
fn write_ids(file: &Path, load: &LoadOptions) -> Result<usize> {
    // Read again as the import read it, to the same limit: the file may
    // have been replaced by a larger one since.
    let bytes =
        formats::input::open_deck(file, formats::MAX_FILE_BYTES, load.format)?.into_bytes()?;
    let name = file.display().to_string();
    // Other Markdown dialects (hashcards, carddown, ki) have no `ID:` line.
    if formats::sniff::detect(&name, file, &bytes, load.format)? != Format::Markdown {
        return Ok(0);
    }
    let text = formats::decode_text(&name, &bytes)?;
    let md = formats::markdown::parse(&name, "", &text)?;
    let Some(new_text) = formats::markdown::with_ids(&text, &md.missing_ids) else {
        return Ok(0);
    };
    // The replacement is created private; give it back the file's own mode.
    let permissions = std::fs::metadata(file)
        .map_err(|e| Error::io(file, e))?
        .permissions();
    let mut output = Output::open(Some(file), true, &[])?;
    output
        .write_all(new_text.as_bytes())
        .map_err(|e| Error::io(file, e))?;
    output.finish()?;
    std::fs::set_permissions(file, permissions).map_err(|e| Error::io(file, e))?;
    Ok(md.missing_ids.len())
}

/// What a deck took over from the program that made the file (Anki):
/// ", 3 scheduled from Anki, 1 suspended", or nothing.
fn from_other_program(deck: &ImportReport) -> String {
    let answers = if deck.answers == 1 {
        "answer from Anki's log"
    } else {
        "answers from Anki's log"
    };
    [
        (deck.progress, "scheduled from Anki"),
        (deck.answers, answers),
        (deck.suspended, "suspended"),
        (deck.buried, "buried"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!(", {n} {what}"))
    .collect()
}

fn print_text(by_file: &[FileReport], options: ImportOptions, out: &mut dyn Write) -> Result<()> {
    let prefix = if options.dry_run {
        "dry run, nothing written: "
    } else {
        ""
    };
    for report in by_file {
        let file = escape_line(&report.file);
        if let Some(error) = &report.error {
            writeln!(
                out,
                "{file}: FAILED, not imported: {}",
                escape_controls(error)
            )?;
            continue;
        }
        for deck in &report.decks {
            write!(
                out,
                "{prefix}{file}: {}: {} added, {} updated, {} unchanged, {} missing",
                escape_line(&deck.deck),
                deck.added,
                deck.updated,
                deck.unchanged,
                deck.missing.len()
            )?;
            writeln!(out, "{}", from_other_program(deck))?;
            if !deck.missing.is_empty() {
                let what = if options.missing == OnMissing::Prune {
                    "deleted (--prune)"
                } else {
                    "kept; --prune deletes them"
                };
                let ids: Vec<_> = deck.missing.iter().map(|k| escape_line(k)).collect();
                writeln!(out, "  missing from the file ({what}): {}", ids.join(", "))?;
            }
        }
        if !report.skipped.is_empty() {
            writeln!(out, "  {} skipped:", report.skipped.len())?;
            for reason in report.skipped.iter().take(SHOWN_SKIPS) {
                writeln!(out, "    {}", escape_line(reason))?;
            }
            if report.skipped.len() > SHOWN_SKIPS {
                writeln!(out, "    … and {} more", report.skipped.len() - SHOWN_SKIPS)?;
            }
        }
        if report.media > 0 {
            writeln!(out, "  {} media file(s) (images, sound)", report.media)?;
        }
        for warning in &report.warnings {
            writeln!(out, "  warning: {}", escape_line(warning))?;
        }
        if report.ids_written > 0 {
            writeln!(out, "  wrote {} id(s) into the file", report.ids_written)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_came_from_anki_is_counted_in_words_that_agree() {
        let one = ImportReport {
            progress: 1,
            answers: 1,
            ..Default::default()
        };
        assert_eq!(
            from_other_program(&one),
            ", 1 scheduled from Anki, 1 answer from Anki's log"
        );
        let many = ImportReport {
            answers: 14,
            suspended: 2,
            ..Default::default()
        };
        assert_eq!(
            from_other_program(&many),
            ", 14 answers from Anki's log, 2 suspended"
        );
        assert_eq!(from_other_program(&ImportReport::default()), "");
    }
}
