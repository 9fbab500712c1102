//! Importing deck files: one thread parses while this one writes what is
//! parsed so far, in one transaction; each deck is fed by one file only.
//! `recall import` parses its flags, calls `import_files` and prints the
//! outcomes.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

use super::Context;
use crate::clock::Clock;
use crate::domain::DeckDraft;
use crate::domain::imported::histories;
use crate::domain::text::forbidden_in_name;
use crate::error::{Error, Result};
use crate::formats::{self, LoadOptions, Loaded};
use crate::storage::{ImportOptions, ImportReport, Importer};

/// What to import and how, less the files.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub load: LoadOptions,
    pub store: ImportOptions,
    /// Import the good files even if some are bad.
    pub keep_going: bool,
}

/// One file's outcome, in the order the files were given.
pub struct FileOutcome {
    pub file: PathBuf,
    /// The reports of the decks it fed.
    pub decks: Vec<ImportReport>,
    /// What the file gave besides its decks (skip reasons, warnings).
    pub loaded: Loaded,
    /// Why it was not imported (with `keep_going`; otherwise the import
    /// fails as a whole).
    pub error: Option<Error>,
}

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

/// One file's outcome, as the writer sees it.
struct Written {
    loaded: Loaded,
    /// The decks it fed, in the order of the import's reports.
    decks: Vec<String>,
    error: Option<Error>,
}

/// Imports `files` (each once, however often named) in one transaction: a
/// bad file rolls it all back, unless `plan.keep_going`. `open` gives the
/// database: called once the files are already being read.
pub fn import_files(
    open: impl FnOnce() -> Result<Context>,
    files: &[PathBuf],
    plan: &Plan,
) -> Result<Vec<FileOutcome>> {
    if let Some(c) = plan.load.deck.as_deref().and_then(forbidden_in_name) {
        return Err(Error::invalid(format!(
            "--deck: the name holds {c}, a control or bidi character, which deck names may not"
        )));
    }
    let mut unique: Vec<&PathBuf> = Vec::with_capacity(files.len());
    for file in files {
        if !unique.contains(&file) {
            unique.push(file);
        }
    }
    let (written, reports) = parse_while_writing(open, &unique, plan)?;
    Ok(unique
        .into_iter()
        .zip(written)
        .map(|(file, w)| FileOutcome {
            file: file.clone(),
            decks: reports
                .iter()
                .filter(|r| w.decks.contains(&r.deck))
                .cloned()
                .collect(),
            loaded: w.loaded,
            error: w.error,
        })
        .collect())
}

/// The two threads: one parses the files in pieces, this one writes them.
fn parse_while_writing(
    open: impl FnOnce() -> Result<Context>,
    files: &[&PathBuf],
    plan: &Plan,
) -> Result<(Vec<Written>, Vec<ImportReport>)> {
    let large = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum::<u64>()
        >= LARGE_INPUT_BYTES;
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(PIECES_IN_FLIGHT);
        // Written pieces go back to be freed by the parsing thread, which
        // has time to spare: freeing 100 000 cards' texts is not nothing.
        let (spent, to_free) = std::sync::mpsc::channel::<DeckDraft>();
        std::thread::Builder::new()
            .name("recall-parse".into())
            .spawn_scoped(scope, move || {
                for (index, file) in files.iter().enumerate() {
                    let result = formats::load_in_pieces(file, &plan.load, &mut |piece| {
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
        ctx.store.import_stream(plan.store, now, large, |importer| {
            let written = Writer::new(importer, files, plan).write_all(receiver, &spent)?;
            let written = store_media(importer, written)?;
            apply_states(importer, written, &clock)
        })
    })
}

/// The writing side: every piece into the import, file by file; with
/// `keep_going` a file that fails half-way is taken back out.
struct Writer<'i, 'a, 'f> {
    importer: &'i mut Importer<'a>,
    files: &'f [&'f PathBuf],
    keep_going: bool,
    /// Which file feeds each deck: two files feeding one deck would each
    /// see the other's cards as missing (and --prune would delete them).
    owner: HashMap<String, usize>,
    written: Vec<Written>,
}

impl<'i, 'a, 'f> Writer<'i, 'a, 'f> {
    fn new(importer: &'i mut Importer<'a>, files: &'f [&'f PathBuf], plan: &Plan) -> Self {
        Writer {
            importer,
            files,
            keep_going: plan.keep_going,
            owner: HashMap::new(),
            written: Vec::with_capacity(files.len()),
        }
    }

    fn write_all(
        mut self,
        receiver: Receiver<Parsed>,
        spent: &Sender<DeckDraft>,
    ) -> Result<Vec<Written>> {
        let mut started = None;
        for message in receiver {
            let index = match &message {
                Parsed::Piece(index, _) | Parsed::Done(index, _) => *index,
            };
            if started != Some(index) {
                started = Some(index);
                if self.keep_going {
                    self.importer.begin_part()?;
                }
            }
            match message {
                Parsed::Piece(index, piece) => {
                    self.piece(index, &piece)?;
                    // Freed here instead if the parsing thread is gone.
                    let _ = spent.send(piece);
                }
                Parsed::Done(index, result) => self.done(index, result)?,
            }
        }
        // The parser ends early only by a bug; never commit half a file.
        if self.written.len() != self.files.len() {
            return Err(Error::invalid("reading the files stopped before the end"));
        }
        Ok(self.written)
    }

    fn piece(&mut self, index: usize, piece: &DeckDraft) -> Result<()> {
        if let Some(&first) = self.owner.get(&piece.name)
            && first != index
        {
            return Err(Error::invalid(format!(
                "deck {:?} comes from both {} and {}: each would see the other's cards \
                 as missing; import them one at a time, or put them in one file",
                piece.name,
                self.files[first].display(),
                self.files[index].display()
            )));
        }
        if !self.owner.contains_key(&piece.name) {
            self.owner.insert(piece.name.clone(), index);
        }
        self.importer.add(piece)
    }

    fn done(&mut self, index: usize, result: Result<Loaded>) -> Result<()> {
        let written = match result {
            Ok(loaded) => {
                if self.keep_going {
                    self.importer.end_part()?;
                }
                let decks = self
                    .owner
                    .iter()
                    .filter(|&(_, &f)| f == index)
                    .map(|(deck, _)| deck.clone())
                    .collect();
                Written {
                    loaded,
                    decks,
                    error: None,
                }
            }
            Err(e) if self.keep_going => {
                self.importer.discard_part()?;
                self.owner.retain(|_, file| *file != index);
                Written {
                    loaded: Loaded::default(),
                    decks: Vec::new(),
                    error: Some(e),
                }
            }
            Err(e) => return Err(e),
        };
        self.written.push(written);
        Ok(())
    }
}

/// Each file's media, for the decks it fed whose cards name it, in the import's transaction
/// (the files themselves are written now; see `storage::media`).
fn store_media(importer: &mut Importer<'_>, written: Vec<Written>) -> Result<Vec<Written>> {
    for w in &written {
        let Some(bundle) = &w.loaded.media else {
            continue;
        };
        for file in bundle.files() {
            let mut reader = bundle
                .reader(file)
                .map_err(|e| Error::invalid(format!("media file {:?}: {e}", file.name)))?;
            let limit = formats::media::MAX_MEDIA_FILE_BYTES;
            let decks: Vec<String> = file
                .decks
                .iter()
                .filter(|d| w.decks.contains(d))
                .cloned()
                .collect();
            importer.add_media(&decks, &file.name, file.mime, &mut reader, limit)?;
        }
    }
    Ok(written)
}

/// What the files knew about their cards' states (Anki's suspended and
/// buried cards; with `--with-progress`, schedules and review log), given
/// to the cards just written, in the same transaction.
fn apply_states(
    importer: &mut Importer<'_>,
    mut written: Vec<Written>,
    clock: &Clock,
) -> Result<Vec<Written>> {
    let progress: Vec<_> = written
        .iter_mut()
        .flat_map(|w| std::mem::take(&mut w.loaded.progress))
        .collect();
    importer.apply_progress(&progress, clock.today())?;
    let answers: Vec<_> = written
        .iter_mut()
        .flat_map(|w| std::mem::take(&mut w.loaded.history))
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
    Ok(written)
}
