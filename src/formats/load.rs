//! Reading a deck file: its size checked, its format chosen (`sniff`), the
//! reader for it run, `--deck` applied, and a file that gave no card
//! refused. The readers themselves are pure; this is where files are read.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::decode::{UTF8_BOM, is_utf8, shows_text};
use super::decode_stream::CheckedText;
use super::{
    Format, LoadOptions, Loaded, MAX_FILE_BYTES, Sink, anki, carddown, collection_file,
    decode_text, delimited, file_error, gathered, hascard, hashcards, input, json_deck, ki,
    markdown, mnemosyne, sniff, toml_deck, validate_foreign, vocage,
};
use crate::domain::DeckDraft;
use crate::error::{Error, Result};

/// Reads a deck file and parses it by `--format`, its extension, or its
/// content.
pub fn load(path: &Path, options: &LoadOptions) -> Result<Loaded> {
    gathered(|sink| load_in_pieces(path, options, sink))
}

/// `load`, handing the decks to `sink` (in pieces, for CSV/TSV) as they
/// are read. The `Loaded` returned has no decks. A file that gives no card
/// is an error: what recall looked for, and what it found.
pub fn load_in_pieces(path: &Path, options: &LoadOptions, sink: &mut Sink<'_>) -> Result<Loaded> {
    let name = path.display().to_string();
    let size = input::regular_file(path, "a deck file")?;
    if size > MAX_FILE_BYTES {
        return Err(file_error(
            &name,
            format!("{size} bytes is over the limit of {MAX_FILE_BYTES} for a deck file"),
        ));
    }
    let deck = input::open_deck(path, MAX_FILE_BYTES, options.format)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut cards = 0;
    let mut counted = |piece: DeckDraft| {
        cards += piece.cards.len();
        sink(piece)
    };
    let by_head = sniff::detect_by_head(path, deck.head(), options.format);
    // CSV/TSV in UTF-8 is read as it streams, never held whole: at 100 000
    // cards the file was a quarter of the import's peak memory.
    let streams = is_utf8(deck.head()) && shows_text(deck.head());
    let (loaded, format, bytes) = match by_head {
        Some(format @ (Format::Delimited | Format::Tsv)) if streams => {
            let text = streamed_text(path, deck)?;
            let tsv = format == Format::Tsv;
            let loaded = delimited_in_pieces(&name, &stem, text, tsv, options, &mut counted)?;
            (loaded, format, None)
        }
        _ => {
            let bytes = deck.into_bytes()?;
            let format = sniff::detect(&name, path, &bytes, options.format)?;
            let loaded = load_whole(path, &stem, &bytes, format, options, &mut counted)?;
            (loaded, format, Some(bytes))
        }
    };
    if cards == 0 {
        // A text format's message says what the text holds; a CSV/TSV
        // file's (the one streamed) does not.
        let text = bytes.as_deref().map(String::from_utf8_lossy);
        return Err(file_error(
            &name,
            sniff::no_cards_message(format, &text.unwrap_or_default()),
        ));
    }
    Ok(loaded)
}

/// The text of a UTF-8 file, checked as `text_of` checks it while it is
/// read in pieces.
fn streamed_text(path: &Path, deck: input::DeckFile) -> Result<impl BufRead> {
    let name = path.display().to_string();
    not_binary(&name, deck.head())?;
    let bom = deck.head().starts_with(UTF8_BOM);
    let mut bytes = deck.into_reader();
    if bom {
        // Skipped as `decode_utf8` skips it: the text checked (its byte
        // offsets) and parsed (which skips one more) begins after it.
        bytes
            .read_exact(&mut [0; UTF8_BOM.len()])
            .map_err(|e| Error::from_read(path, e))?;
    }
    let text = CheckedText::new(&name, bytes);
    Ok(BufReader::with_capacity(input::HEAD_BYTES, text))
}

/// A file read whole, its decks handed to `sink`.
fn load_whole(
    path: &Path,
    stem: &str,
    bytes: &[u8],
    format: Format,
    options: &LoadOptions,
    sink: &mut Sink<'_>,
) -> Result<Loaded> {
    let name = path.display().to_string();
    if matches!(format, Format::Delimited | Format::Tsv) {
        let text = text_of(&name, bytes)?;
        let tsv = format == Format::Tsv;
        return delimited_in_pieces(&name, stem, text.as_bytes(), tsv, options, sink);
    }
    let mut loaded = match format {
        Format::AnkiCollection => {
            collection_file::parse(&name, path, bytes, options.with_progress)?
        }
        Format::Mnemosyne => mnemosyne::parse(&name, stem, path)?,
        Format::Anki => anki::parse_package_file(&name, path, options.with_progress)?,
        _ => parse(&name, stem, bytes, format, options.with_progress)?,
    };
    if let Some(deck) = &options.deck {
        rename_decks(&name, &mut loaded, deck)?;
    }
    // A text deck's pictures are files beside it; a database's media
    // are its own (a package's are read with it).
    let database = matches!(
        format,
        Format::Anki | Format::AnkiCollection | Format::Mnemosyne
    );
    if !database && loaded.media.is_none() {
        let (media, problems) = super::deck_media::beside(path, &loaded.decks);
        loaded.media = media;
        loaded.media_problems.extend(problems);
    }
    if let Some(media) = &mut loaded.media {
        media.assign(&loaded.decks);
    }
    for deck in std::mem::take(&mut loaded.decks) {
        sink(deck)?;
    }
    Ok(loaded)
}

/// A CSV/TSV file's cards handed to `sink` in pieces as they are read.
/// `--deck` names the deck of every card as it is read: a named deck takes
/// the same parse-while-writing path as the file's own decks.
fn delimited_in_pieces(
    name: &str,
    stem: &str,
    text: impl BufRead,
    tsv: bool,
    options: &LoadOptions,
    sink: &mut Sink<'_>,
) -> Result<Loaded> {
    let into = options.deck.as_deref().map(deck_name).transpose()?;
    delimited::parse_in_pieces(name, stem, text, tsv, into, sink)
}

/// Parses bytes already read. `stem` names the deck when the file does not.
pub fn parse(
    file: &str,
    stem: &str,
    bytes: &[u8],
    format: Format,
    with_progress: bool,
) -> Result<Loaded> {
    // Read as text only by the formats that are text.
    let text = || text_of(file, bytes);
    match format {
        Format::Anki => anki::parse_package(file, bytes, with_progress),
        Format::AnkiCollection | Format::Mnemosyne => {
            parse_database(file, stem, bytes, format, with_progress)
        }
        Format::Toml => Ok(Loaded::of(vec![toml_deck::parse(file, &text()?)?])),
        Format::Json => Ok(Loaded::of(vec![json_deck::parse(file, &text()?)?])),
        Format::CrowdAnki => anki::crowdanki::parse(file, &text()?),
        Format::Markdown => Ok(Loaded::of(vec![
            markdown::parse(file, stem, &text()?)?.deck,
        ])),
        Format::Delimited => delimited::parse(file, stem, &text()?, false),
        Format::Tsv => delimited::parse(file, stem, &text()?, true),
        Format::Hashcards => hashcards::parse(file, stem, &text()?),
        Format::Carddown => carddown::parse(file, stem, &text()?),
        Format::Ki => ki::parse(file, stem, &text()?),
        Format::Hascard => hascard::parse(file, stem, &text()?),
        Format::Vocage => vocage::parse(file, stem, &text()?),
    }
}

/// The text of a text deck; a binary file is named for what it is.
fn text_of<'a>(file: &str, bytes: &'a [u8]) -> Result<std::borrow::Cow<'a, str>> {
    not_binary(file, bytes)?;
    decode_text(file, bytes)
}

/// A file starting with `head` that is binary, named for what it is.
fn not_binary(file: &str, head: &[u8]) -> Result<()> {
    match sniff::binary_kind(head) {
        Some(kind) => Err(file_error(file, format!("{kind}, not a deck file"))),
        None => Ok(()),
    }
}

/// A database format given as bytes: read from a temporary copy.
fn parse_database(
    file: &str,
    stem: &str,
    bytes: &[u8],
    format: Format,
    with_progress: bool,
) -> Result<Loaded> {
    let mut temp = tempfile::NamedTempFile::new().map_err(|e| Error::io("temporary file", e))?;
    std::io::Write::write_all(&mut temp, bytes).map_err(|e| Error::io(temp.path(), e))?;
    if format == Format::Mnemosyne {
        mnemosyne::parse(file, stem, temp.path())
    } else {
        collection_file::parse(file, temp.path(), bytes, with_progress)
    }
}

/// `--deck NAME`, checked: trimmed, not empty.
fn deck_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("--deck needs a non-empty name"));
    }
    Ok(name)
}

/// The error for card number `i` (from 0) of the deck `--deck` names.
fn with_deck_error(file: &str, i: usize, message: String) -> Error {
    file_error(
        file,
        format!("card {} (with --deck): {message}", i.saturating_add(1)),
    )
}

/// `--deck NAME`: every card of the file goes into one deck.
fn rename_decks(file: &str, loaded: &mut Loaded, name: &str) -> Result<()> {
    let name = deck_name(name)?;
    let mut cards = Vec::new();
    let mut description = String::new();
    for deck in loaded.decks.drain(..) {
        if description.is_empty() {
            description = deck.description;
        }
        cards.extend(deck.cards);
    }
    let deck = DeckDraft {
        name: name.to_string(),
        description,
        position: None,
        cards,
    };
    validate_foreign(&deck, |i, message| with_deck_error(file, i, message))?;
    for progress in &mut loaded.progress {
        progress.deck = deck.name.clone();
    }
    for answer in &mut loaded.history {
        answer.deck = deck.name.clone();
    }
    loaded.decks = vec![deck];
    Ok(())
}
