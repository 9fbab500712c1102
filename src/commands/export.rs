//! `recall export`: data out of recall. Exported text is data, written
//! exactly as stored (no terminal escaping), to stdout or a file written
//! whole. An Anki package (`--format apkg`) is binary and only goes to a
//! file.

use std::collections::HashMap;
use std::io::Write;

use super::{Context, Output, export_progress};
use crate::cli::{AllExportFormat, AnkiPackageArgs, ExportAllArgs, ExportCommand, ExportDeckArgs};
use crate::domain::DeckDraft;
use crate::domain::plural::plural_as;
use crate::domain::text::escape_line;
use crate::error::{Error, Result};
use crate::formats::anki::write::{
    CardProgress, ExportedAnswer, Layout, MediaFile, Source, Written, notes_text, package,
};
use crate::formats::export::{DeckExportFormat, render};

/// `recall export WHAT`.
pub fn run(ctx: &Context, what: &ExportCommand) -> Result<()> {
    match what {
        ExportCommand::Deck(args) => deck(ctx, args),
        ExportCommand::All(args) => all(ctx, args),
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
    // A zip on a terminal or in a pipe by mistake helps no one.
    if args.format == DeckExportFormat::Apkg && args.output.is_none() {
        return Err(Error::invalid(
            "an Anki package is a binary file: give it a name with --output FILE.apkg",
        ));
    }
    // Opened first: a file that is there without --force is refused before
    // the work of writing the deck.
    let mut out = Output::open(args.output.as_deref(), args.force, &[ctx.store.path()])?;
    let bytes = match args.format {
        DeckExportFormat::Apkg => apkg(ctx, std::slice::from_ref(&deck), args.anki)?,
        DeckExportFormat::AnkiTxt => anki_txt(std::slice::from_ref(&deck))?,
        format => render(&deck, format)?.into_bytes(),
    };
    out.write_all(&bytes)?;
    out.finish()
}

/// `recall export all --format apkg|colpkg|anki-txt [--output FILE] [--force]`:
/// every deck in one Anki file. A collection package replaces the user's
/// collection in Anki, so leaving the history out would lose it: it always
/// carries progress. The text file names each note's deck in its deck
/// column, so one file holds them all.
fn all(ctx: &Context, args: &ExportAllArgs) -> Result<()> {
    let mut options = args.anki;
    options.with_progress |= args.format == AllExportFormat::Colpkg;
    if args.format != AllExportFormat::AnkiTxt && args.output.is_none() {
        return Err(Error::invalid(
            "an Anki package is a binary file: give it a name with --output FILE",
        ));
    }
    let decks = ctx.store.deck_drafts()?;
    if decks.is_empty() {
        return Err(Error::invalid(
            "no decks to export; `recall import FILE` adds some",
        ));
    }
    let mut out = Output::open(args.output.as_deref(), args.force, &[ctx.store.path()])?;
    let bytes = match args.format {
        AllExportFormat::AnkiTxt => anki_txt(&decks)?,
        AllExportFormat::Apkg | AllExportFormat::Colpkg => apkg(ctx, &decks, options)?,
    };
    out.write_all(&bytes)?;
    out.finish()
}

/// Anki's "Notes in Plain Text" of `decks`, saying on stderr which cloze
/// texts went out as plain notes.
fn anki_txt(decks: &[DeckDraft]) -> Result<Vec<u8>> {
    let (text, plain_cloze) = notes_text(decks)?;
    warn_plain_cloze(&plain_cloze)?;
    Ok(text.into_bytes())
}

/// The package of `decks`, saying on stderr which cloze texts went out as
/// plain cards.
fn apkg(ctx: &Context, decks: &[DeckDraft], options: AnkiPackageArgs) -> Result<Vec<u8>> {
    let sources = decks
        .iter()
        .map(|deck| {
            let progress = options
                .with_progress
                .then(|| deck_progress(ctx, &deck.name))
                .transpose()?;
            Ok(Source { deck, progress })
        })
        .collect::<Result<Vec<_>>>()?;
    let at = Written {
        now: ctx.clock.now().timestamp(),
        today: ctx.clock.today(),
    };
    let layout = if options.legacy {
        Layout::Legacy
    } else {
        Layout::Current
    };
    let media = media_files(ctx, decks)?;
    let written = package(sources, &media, at, layout)?;
    warn_plain_cloze(&written.plain_cloze)?;
    Ok(written.bytes)
}

/// The stored files of the pictures and sounds the decks' cards name. A
/// name with no file (never imported, or gone from `media/`) stays a name
/// in the card, and the user hears how many.
fn media_files(ctx: &Context, decks: &[DeckDraft]) -> Result<Vec<MediaFile>> {
    let mut files = Vec::new();
    let mut missing = 0usize;
    for (name, naming) in crate::domain::media::decks_naming(decks) {
        let deck = naming.first().map_or("", String::as_str);
        match ctx.store.media_file(deck, &name)? {
            Some(stored) if stored.path.is_file() => files.push(MediaFile {
                name,
                path: stored.path,
            }),
            _ => missing += 1,
        }
    }
    if missing > 0 {
        writeln!(
            crate::terminal::Screen::stderr(),
            "recall: warning: {} the cards name {} no file in recall: the package holds \
             the {} only (`recall check --media` lists them)",
            plural_as(missing, "picture or sound", "pictures or sounds"),
            if missing == 1 { "has" } else { "have" },
            if missing == 1 { "name" } else { "names" },
        )?;
    }
    Ok(files)
}

/// Says on stderr which cloze texts went out as plain cards (each card
/// shown as in recall, but not one Cloze note).
fn warn_plain_cloze(plain_cloze: &[(String, String)]) -> Result<()> {
    let mut err = crate::terminal::Screen::stderr();
    for (deck, key) in plain_cloze {
        writeln!(
            err,
            "recall: warning: {}: the cloze text {} is exported as plain cards, one note each \
             (its deletions are nested, or its cards were edited apart)",
            escape_line(deck),
            escape_line(key)
        )?;
    }
    Ok(())
}

/// Each card of the deck by key, with its state and log, as the package
/// writer takes them (the store's rows, grouped by card).
fn deck_progress(ctx: &Context, deck: &str) -> Result<HashMap<String, CardProgress>> {
    let (states, answers) = ctx.store.deck_progress(deck)?;
    let mut cards: HashMap<String, CardProgress> = states
        .into_iter()
        .map(|row| {
            let card = CardProgress {
                schedule: row.schedule,
                suspended: row.suspended,
                buried_until: row.buried_until,
                log: Vec::new(),
            };
            (row.key, card)
        })
        .collect();
    for row in answers {
        if let Some(card) = cards.get_mut(&row.key) {
            card.log.push(ExportedAnswer {
                answer: row.answer,
                step: row.step,
                anki_kind: row.anki_kind,
            });
        }
    }
    Ok(cards)
}
