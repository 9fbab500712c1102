//! `recall import`: deck files into the database, all or nothing (or, with
//! `--keep-going`, every good file and a report of the bad ones).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Context, Output, print_json};
use crate::domain::text::escape_controls;
use crate::error::{Error, Result};
use crate::formats::{self, Format, LoadOptions, Loaded};
use crate::storage::{ImportOptions, ImportReport};

/// The command line of `recall import`, less the files.
pub struct Flags {
    pub load: LoadOptions,
    pub store: ImportOptions,
    pub keep_going: bool,
    pub write_ids: bool,
    pub json: bool,
}

#[derive(Serialize)]
struct FileReport {
    file: String,
    decks: Vec<ImportReport>,
    skipped: Vec<String>,
    warnings: Vec<String>,
    /// Ids written into the file by `--write-ids`.
    ids_written: usize,
    error: Option<String>,
}

/// Most skip reasons listed per file; the rest are counted.
const SHOWN_SKIPS: usize = 20;

pub fn run(ctx: &mut Context, files: &[PathBuf], flags: &Flags, out: &mut dyn Write) -> Result<()> {
    // Parse everything first: without --keep-going one bad file means nothing is written.
    let mut parsed: Vec<(&PathBuf, Loaded)> = Vec::with_capacity(files.len());
    let mut failed: Vec<(&PathBuf, Error)> = Vec::new();
    for file in files {
        match formats::load(file, &flags.load) {
            Ok(loaded) => parsed.push((file, loaded)),
            Err(e) if flags.keep_going => failed.push((file, e)),
            Err(e) => return Err(e),
        }
    }
    refuse_shared_decks(&parsed)?;
    let all: Vec<_> = parsed
        .iter()
        .flat_map(|(_, l)| l.decks.iter().cloned())
        .collect();
    let progress: Vec<_> = parsed
        .iter()
        .flat_map(|(_, l)| l.progress.iter().cloned())
        .collect();
    let now = ctx.clock.now().timestamp_millis();
    let reports = ctx
        .store
        .import_with_progress(&all, &progress, flags.store, now)?;

    let mut rest = reports.as_slice();
    let mut by_file = Vec::with_capacity(files.len());
    for (file, loaded) in parsed {
        let (mine, others) = rest.split_at(loaded.decks.len());
        rest = others;
        let ids_written = if flags.write_ids && !flags.store.dry_run {
            write_ids(file, &flags.load)?
        } else {
            0
        };
        by_file.push(FileReport {
            file: file.display().to_string(),
            decks: mine.to_vec(),
            skipped: loaded.skipped,
            warnings: loaded.warnings,
            ids_written,
            error: None,
        });
    }
    for (file, e) in &failed {
        by_file.push(FileReport {
            file: file.display().to_string(),
            decks: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            ids_written: 0,
            error: Some(e.to_string()),
        });
    }
    if flags.json {
        print_json(out, &by_file)?;
    } else {
        print_text(&by_file, flags.store, out)?;
    }
    if failed.is_empty() {
        return Ok(());
    }
    let reasons: Vec<_> = failed.iter().map(|(_, e)| format!("  {e}")).collect();
    Err(Error::invalid(format!(
        "{} of {} file(s) could not be imported (the others were{}):\n{}",
        failed.len(),
        files.len(),
        if flags.store.dry_run { " checked" } else { "" },
        reasons.join("\n")
    )))
}

/// Two files feeding one deck would each see the other's cards as missing
/// (and `--prune` would delete them): refuse, and say which files.
fn refuse_shared_decks(parsed: &[(&PathBuf, Loaded)]) -> Result<()> {
    let mut owner: std::collections::HashMap<&str, &Path> = std::collections::HashMap::new();
    for (file, loaded) in parsed {
        for deck in &loaded.decks {
            if let Some(first) = owner.insert(&deck.name, file.as_path())
                && first != file.as_path()
            {
                return Err(Error::invalid(format!(
                    "deck {:?} comes from both {} and {}: each would see the other's cards as \
                     missing; import them one at a time, or put them in one file",
                    deck.name,
                    first.display(),
                    file.display()
                )));
            }
        }
    }
    Ok(())
}

/// `--write-ids` for a Markdown deck: the file rewritten whole (temporary
/// file + rename) with an `ID:` line for each card that had none.
fn write_ids(file: &Path, load: &LoadOptions) -> Result<usize> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let format = load
        .format
        .or_else(|| Format::from_extension(file))
        .unwrap_or_else(|| Format::sniff(&bytes));
    if format != Format::Markdown {
        return Ok(0);
    }
    let name = file.display().to_string();
    let text = formats::decode_text(&name, &bytes)?;
    let md = formats::markdown::parse(&name, "", &text)?;
    let Some(new_text) = formats::markdown::with_ids(&text, &md.missing_ids) else {
        return Ok(0);
    };
    // The replacement is created private; give it back the file's own mode.
    let permissions = std::fs::metadata(file)
        .map_err(|e| Error::io(file, e))?
        .permissions();
    let mut output = Output::open(Some(file), true)?;
    output
        .write_all(new_text.as_bytes())
        .map_err(|e| Error::io(file, e))?;
    output.finish()?;
    std::fs::set_permissions(file, permissions).map_err(|e| Error::io(file, e))?;
    Ok(md.missing_ids.len())
}

fn print_text(by_file: &[FileReport], options: ImportOptions, out: &mut dyn Write) -> Result<()> {
    let prefix = if options.dry_run {
        "dry run, nothing written: "
    } else {
        ""
    };
    for report in by_file {
        let file = escape_controls(&report.file);
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
                escape_controls(&deck.deck),
                deck.added,
                deck.updated,
                deck.unchanged,
                deck.missing.len()
            )?;
            if deck.progress > 0 {
                write!(out, ", {} scheduled from Anki", deck.progress)?;
            }
            writeln!(out)?;
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
        if !report.skipped.is_empty() {
            writeln!(out, "  {} skipped:", report.skipped.len())?;
            for reason in report.skipped.iter().take(SHOWN_SKIPS) {
                writeln!(out, "    {}", escape_controls(reason))?;
            }
            if report.skipped.len() > SHOWN_SKIPS {
                writeln!(out, "    … and {} more", report.skipped.len() - SHOWN_SKIPS)?;
            }
        }
        for warning in &report.warnings {
            writeln!(out, "  warning: {}", escape_controls(warning))?;
        }
        if report.ids_written > 0 {
            writeln!(out, "  wrote {} id(s) into the file", report.ids_written)?;
        }
    }
    Ok(())
}
