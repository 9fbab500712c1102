//! `recall import`: deck files into the database, all or nothing (or, with
//! `--keep-going`, every good file and a report of the bad ones).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Context, Output, print_json};
use crate::clock::Clock;
use crate::domain::DeckDraft;
use crate::domain::imported::histories;
use crate::domain::text::{escape_controls, escape_line, forbidden_in_name};
use crate::error::{Error, Result};
use crate::formats::{self, Format, LoadOptions, Loaded};
use crate::storage::{ImportOptions, ImportReport, Importer, OnMissing};

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

/// Inputs this big (about 8 000 cards of CSV) take the bulk path:
/// `Store::import_stream` with `large`.
const LARGE_INPUT_BYTES: u64 = 1 << 20;

/// Pieces parsed ahead of the writer: enough to keep both threads busy.
const PIECES_IN_FLIGHT: usize = 4;

/// What the parsing thread hands to the writing one.
enum Parsed {
    /// Cards of file number `.0`.
    Piece(usize, DeckDraft),
    /// File number `.0` is read: the rest of what it gave, or its error.
    Done(usize, Result<Loaded>),
}

/// One file's outcome.
struct Outcome {
    loaded: Loaded,
    /// The decks it fed, in the order of the import's reports.
    decks: Vec<String>,
    error: Option<Error>,
}

/// `open` gives the database: called once the files are being read.
pub fn run(
    open: impl FnOnce() -> Result<Context>,
    files: &[PathBuf],
    flags: &Flags,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(c) = flags.load.deck.as_deref().and_then(forbidden_in_name) {
        return Err(Error::invalid(format!(
            "--deck: the name holds {c}, a control or bidi character, which deck names may not"
        )));
    }
    // The same file named twice is imported once.
    let mut unique: Vec<&PathBuf> = Vec::with_capacity(files.len());
    for file in files {
        if !unique.contains(&file) {
            unique.push(file);
        }
    }
    let files = unique;
    let large = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum::<u64>()
        >= LARGE_INPUT_BYTES;

    // One thread parses while this one writes what is parsed so far, in one
    // transaction: a bad file (without --keep-going) rolls it all back.
    let (outcomes, reports) = std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(PIECES_IN_FLIGHT);
        // Written pieces go back to be freed by the parsing thread, which
        // has time to spare: freeing 100 000 cards' texts is not nothing.
        let (spent, to_free) = std::sync::mpsc::channel::<DeckDraft>();
        let parsing = files.clone();
        let parser = std::thread::Builder::new().name("recall-parse".into());
        parser
            .spawn_scoped(scope, move || {
                for (index, file) in parsing.iter().enumerate() {
                    let result = formats::load_in_pieces(file, &flags.load, &mut |piece| {
                        to_free.try_iter().for_each(drop);
                        sender
                            .send(Parsed::Piece(index, piece))
                            .map_err(|_| Error::invalid("the import stopped"))
                    });
                    if sender.send(Parsed::Done(index, result)).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| Error::invalid(format!("could not start reading the files: {e}")))?;
        let mut ctx = open()?;
        let clock = ctx.clock;
        let now = clock.now().timestamp_millis();
        ctx.store
            .import_stream(flags.store, now, large, |importer| {
                let outcomes = write_parsed(importer, receiver, &spent, &files, flags)?;
                apply_states(importer, outcomes, &clock)
            })
    })?;

    let mut by_file = Vec::with_capacity(files.len());
    let mut failed = Vec::new();
    for (file, outcome) in files.iter().zip(outcomes) {
        let decks = reports
            .iter()
            .filter(|r| outcome.decks.contains(&r.deck))
            .cloned()
            .collect();
        if let Some(error) = outcome.error {
            failed.push((file, error));
            continue;
        }
        let ids_written = if flags.write_ids && !flags.store.dry_run {
            write_ids(file, &flags.load)?
        } else {
            0
        };
        by_file.push(FileReport {
            file: file.display().to_string(),
            decks,
            skipped: outcome.loaded.skipped,
            warnings: outcome.loaded.warnings,
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

/// The writing side of `run`: every piece into the import, file by file;
/// with --keep-going a file that fails half-way is taken back out.
fn write_parsed(
    importer: &mut Importer<'_>,
    receiver: std::sync::mpsc::Receiver<Parsed>,
    spent: &std::sync::mpsc::Sender<DeckDraft>,
    files: &[&PathBuf],
    flags: &Flags,
) -> Result<Vec<Outcome>> {
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(files.len());
    // Which file feeds each deck: two files feeding one deck would each see
    // the other's cards as missing (and --prune would delete them).
    let mut owner: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut started = None;
    for message in receiver {
        let index = match &message {
            Parsed::Piece(index, _) | Parsed::Done(index, _) => *index,
        };
        if started != Some(index) {
            started = Some(index);
            if flags.keep_going {
                importer.begin_part()?;
            }
        }
        match message {
            Parsed::Piece(index, piece) => {
                if let Some(&first) = owner.get(&piece.name)
                    && first != index
                {
                    return Err(Error::invalid(format!(
                        "deck {:?} comes from both {} and {}: each would see the other's cards \
                         as missing; import them one at a time, or put them in one file",
                        piece.name,
                        files[first].display(),
                        files[index].display()
                    )));
                }
                owner.insert(piece.name.clone(), index);
                importer.add(&piece)?;
                // Freed here instead if the parsing thread is gone.
                let _ = spent.send(piece);
            }
            Parsed::Done(index, Ok(loaded)) => {
                if flags.keep_going {
                    importer.end_part()?;
                }
                outcomes.push(Outcome {
                    loaded,
                    decks: decks_of(&owner, index),
                    error: None,
                });
            }
            Parsed::Done(index, Err(e)) if flags.keep_going => {
                importer.discard_part()?;
                owner.retain(|_, file| *file != index);
                outcomes.push(Outcome {
                    loaded: Loaded::default(),
                    decks: Vec::new(),
                    error: Some(e),
                });
            }
            Parsed::Done(_, Err(e)) => return Err(e),
        }
    }
    // The parser ends early only by a bug; never commit half a file.
    if outcomes.len() != files.len() {
        return Err(Error::invalid("reading the files stopped before the end"));
    }
    Ok(outcomes)
}

/// What the files knew about their cards' states (Anki's suspended and
/// buried cards; with `--with-progress`, schedules and review log), given
/// to the cards just written, in the same transaction.
fn apply_states(
    importer: &mut Importer<'_>,
    mut outcomes: Vec<Outcome>,
    clock: &Clock,
) -> Result<Vec<Outcome>> {
    let progress: Vec<_> = outcomes
        .iter_mut()
        .flat_map(|o| std::mem::take(&mut o.loaded.progress))
        .collect();
    importer.apply_progress(&progress, clock.today())?;
    let answers: Vec<_> = outcomes
        .iter_mut()
        .flat_map(|o| std::mem::take(&mut o.loaded.history))
        .collect();
    if !answers.is_empty() {
        // Anki logs no time zone: its answers count in the user's own.
        let offset = *clock.now().offset();
        let moment = |ms: i64| {
            let at = chrono::DateTime::from_timestamp_millis(ms)
                .unwrap_or_default()
                .with_timezone(&offset);
            (clock.day_of(at), offset.local_minus_utc())
        };
        importer.add_history(&histories(answers, moment))?;
    }
    Ok(outcomes)
}

fn decks_of(owner: &std::collections::HashMap<String, usize>, file: usize) -> Vec<String> {
    owner
        .iter()
        .filter(|&(_, &f)| f == file)
        .map(|(deck, _)| deck.clone())
        .collect()
}

/// `--write-ids` for a Markdown deck: the file rewritten whole (through a
/// symlink, if it is one) with an `ID:` line for each card that had none.
fn write_ids(file: &Path, load: &LoadOptions) -> Result<usize> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
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
    [
        (deck.progress, "scheduled from Anki"),
        (deck.answers, "answers from Anki's log"),
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
        for warning in &report.warnings {
            writeln!(out, "  warning: {}", escape_line(warning))?;
        }
        if report.ids_written > 0 {
            writeln!(out, "  wrote {} id(s) into the file", report.ids_written)?;
        }
    }
    Ok(())
}
