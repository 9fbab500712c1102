//! Format modules turn files into domain values (and back). Each parser is
//! pure: text or bytes in, `DeckDraft`s or a located error out.

pub mod anki;
pub mod card_snippet;
mod checks;
pub mod cloze;
mod decode;
pub mod delimited;
mod delimited_headers;
pub mod export;
pub mod html;
mod ids;
pub mod json_deck;
pub mod markdown;
mod native;
pub mod records;
pub mod toml_deck;

use std::path::Path;
use std::str::FromStr;

use crate::domain::imported::ForeignAnswer;
use crate::domain::{CardDraft, DeckDraft, ImportedProgress};
use crate::error::{Error, Result};

pub use crate::fnv::fnv1a;
pub use checks::{DeckCheck, validate, validate_foreign};
pub use decode::{decode_text, decode_utf8};
pub use ids::derived_id;

/// The deck formats recall reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
    Markdown,
    /// CSV (or any separator, detected), Anki's "Notes in Plain Text" included.
    Delimited,
    /// Tab-separated: `Delimited` with the separator known.
    Tsv,
    /// An Anki package (`.apkg`, `.colpkg`).
    Anki,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "toml" => Ok(Format::Toml),
            "json" => Ok(Format::Json),
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" | "txt" | "text" => Ok(Format::Delimited),
            "tsv" => Ok(Format::Tsv),
            "apkg" | "colpkg" | "anki" => Ok(Format::Anki),
            _ => Err(format!(
                "unknown format {s:?}; use toml, json, md, csv, tsv or apkg"
            )),
        }
    }
}

impl Format {
    /// The format a file's extension names, if it names one unambiguously.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "csv" => Some(Format::Delimited),
            "tsv" => Some(Format::Tsv),
            "apkg" | "colpkg" => Some(Format::Anki),
            _ => None,
        }
    }

    /// Guesses from the content, for `.txt` and files without an extension.
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            return Format::Anki;
        }
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]);
        let text = text.trim_start_matches('\u{feff}').trim_start();
        if text.starts_with('{') {
            return Format::Json;
        }
        let has_line = |p: &str| text.lines().any(|l| l.starts_with(p));
        if has_line("Q:") && (has_line("A:") || has_line("# ")) {
            return Format::Markdown;
        }
        if has_line("[[cards]]") || has_line("name =") || has_line("name=") {
            return Format::Toml;
        }
        Format::Delimited
    }
}

/// How a file is read: `--format`, `--deck` and `--with-progress`.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub format: Option<Format>,
    /// Put every card into this deck instead of the one the file names.
    pub deck: Option<String>,
    /// Anki packages: also read each card's schedule.
    pub with_progress: bool,
}

/// What one file gave: its decks, what was left out and why, and notes
/// worth telling the user.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub decks: Vec<DeckDraft>,
    pub skipped: Vec<String>,
    pub warnings: Vec<String>,
    pub progress: Vec<ImportedProgress>,
    /// Answers the other program logged (`--with-progress`).
    pub history: Vec<ForeignAnswer>,
}

impl Loaded {
    pub fn of(decks: Vec<DeckDraft>) -> Loaded {
        Loaded {
            decks,
            ..Loaded::default()
        }
    }
}

/// Larger files are refused before they are read: no deck is this big.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Where a parser hands over the cards it has read, checked: whole decks,
/// or pieces of a deck in order (a big CSV/TSV file is written while the
/// rest of it is read). The first piece of a deck may have no cards: decks
/// arrive in the order the file names them.
pub type Sink<'a> = dyn FnMut(DeckDraft) -> Result<()> + 'a;

/// Runs a parser that hands its decks to a `Sink`, putting the pieces of
/// each deck back together into the `Loaded` it returns.
fn gathered(parse: impl FnOnce(&mut Sink<'_>) -> Result<Loaded>) -> Result<Loaded> {
    let mut decks: Vec<DeckDraft> = Vec::new();
    let mut loaded = parse(&mut |piece| {
        match decks.iter_mut().find(|d| d.name == piece.name) {
            Some(deck) => deck.cards.extend(piece.cards),
            None => decks.push(piece),
        }
        Ok(())
    })?;
    loaded.decks = decks;
    Ok(loaded)
}

/// Reads a deck file and parses it by `--format`, its extension, or its
/// content.
pub fn load(path: &Path, options: &LoadOptions) -> Result<Loaded> {
    gathered(|sink| load_in_pieces(path, options, sink))
}

/// `load`, handing the decks to `sink` (in pieces, for CSV/TSV) as they
/// are read. The `Loaded` returned has no decks.
pub fn load_in_pieces(path: &Path, options: &LoadOptions, sink: &mut Sink<'_>) -> Result<Loaded> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Error::File {
            file: name,
            message: format!("{size} bytes is over the limit of {MAX_FILE_BYTES} for a deck file"),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let format = options
        .format
        .or_else(|| Format::from_extension(path))
        .unwrap_or_else(|| Format::sniff(&bytes));
    if matches!(format, Format::Delimited | Format::Tsv) && options.deck.is_none() {
        let text = decode_text(&name, &bytes)?;
        return delimited::parse_in_pieces(&name, &stem, &text, format == Format::Tsv, sink);
    }
    let mut loaded = parse(&name, &stem, &bytes, format, options.with_progress)?;
    if let Some(deck) = &options.deck {
        rename_decks(&name, &mut loaded, deck)?;
    }
    for deck in std::mem::take(&mut loaded.decks) {
        sink(deck)?;
    }
    Ok(loaded)
}

/// Parses bytes already read. `stem` names the deck when the file does not.
pub fn parse(
    file: &str,
    stem: &str,
    bytes: &[u8],
    format: Format,
    with_progress: bool,
) -> Result<Loaded> {
    if format == Format::Anki {
        return anki::parse_package(file, bytes, with_progress);
    }
    let text = decode_text(file, bytes)?;
    match format {
        Format::Toml => Ok(Loaded::of(vec![toml_deck::parse(file, &text)?])),
        Format::Json if anki::crowdanki::is_crowdanki(&text) => anki::crowdanki::parse(file, &text),
        Format::Json => Ok(Loaded::of(vec![json_deck::parse(file, &text)?])),
        Format::Markdown => Ok(Loaded::of(vec![markdown::parse(file, stem, &text)?.deck])),
        Format::Delimited => delimited::parse(file, stem, &text, false),
        Format::Tsv => delimited::parse(file, stem, &text, true),
        Format::Anki => unreachable!("handled above"),
    }
}

/// `--deck NAME`: every card of the file goes into one deck.
fn rename_decks(file: &str, loaded: &mut Loaded, name: &str) -> Result<()> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("--deck needs a non-empty name"));
    }
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
        cards,
    };
    validate_foreign(&deck, |i, message| Error::File {
        file: file.to_string(),
        message: format!("card {} (with --deck): {message}", i.saturating_add(1)),
    })?;
    for progress in &mut loaded.progress {
        progress.deck = deck.name.clone();
    }
    for answer in &mut loaded.history {
        answer.deck = deck.name.clone();
    }
    loaded.decks = vec![deck];
    Ok(())
}

/// Appends the cards one entry of a text deck stands for to `out` and says
/// how many: cloze text gives one card per deletion (the back field becomes
/// extra text), `reverse` adds the back→front card. Takes the entry by
/// value: a 100 000-card import should not copy every text once more.
pub fn push_entry_cards(out: &mut Vec<CardDraft>, entry: CardDraft, reverse: bool) -> usize {
    let card = CardDraft {
        front: normalized(entry.front),
        back: normalized(entry.back),
        notes: normalized(entry.notes),
        ..entry
    };
    if let Some(cards) = cloze::expand(&card) {
        let n = cards.len();
        out.extend(cards);
        return n;
    }
    let reverse = reverse.then(|| reversed(&card));
    let n = 1 + usize::from(reverse.is_some());
    out.push(card);
    out.extend(reverse);
    n
}

/// Any one field larger than this is refused: no real card needs it, and it
/// keeps hostile files from ballooning the database.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// Text as stored: Windows line ends become `\n`.
pub fn normalize_text(text: &str) -> String {
    normalized(text.to_owned())
}

/// `normalize_text` of text already owned, copied only when it changes.
pub fn normalized(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

/// Adds the back→front card of a `reverse` card.
pub fn reversed(card: &CardDraft) -> CardDraft {
    CardDraft {
        key: format!("{}:reverse", card.key),
        front: card.back.clone(),
        back: card.front.clone(),
        notes: card.notes.clone(),
        tags: card.tags.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_when_the_extension_does_not() {
        assert_eq!(Format::sniff(b"PK\x03\x04rest"), Format::Anki);
        assert_eq!(Format::sniff(b"\xef\xbb\xbf {\"name\": 1}"), Format::Json);
        assert_eq!(
            Format::sniff(b"# Deck\n---\nQ: a\nA: b\n"),
            Format::Markdown
        );
        assert_eq!(Format::sniff(b"name = \"x\"\n[[cards]]\n"), Format::Toml);
        assert_eq!(Format::sniff(b"#separator:tab\nq\ta\n"), Format::Delimited);
        assert_eq!(
            Format::from_extension(Path::new("x.TSV")),
            Some(Format::Tsv)
        );
        assert_eq!(Format::from_extension(Path::new("x.txt")), None);
    }
}
