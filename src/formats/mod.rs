//! Format modules turn files into domain values (and back). Each parser is
//! pure: text, bytes or a reader of them in, `DeckDraft`s or a located
//! error out.

pub mod anki;
pub mod card_snippet;
pub mod carddown;
mod checks;
pub mod cloze;
mod collection_file;
mod deck_media;
mod decode;
mod decode_stream;
pub mod delimited;
mod delimited_headers;
mod delimited_quotes;
mod delimited_rows;
pub mod export;
mod foreign;
pub mod hascard;
pub mod hashcards;
pub mod html;
mod ids;
pub mod input;
pub mod json_deck;
pub mod ki;
mod load;
pub mod markdown;
pub mod media;
pub mod mnemosyne;
mod native;
pub mod records;
pub mod sniff;
mod sqlite_file;
mod sqlite_kind;
pub mod sync_log;
pub mod toml_deck;
pub mod vocage;

use std::path::Path;

use crate::domain::imported::ForeignAnswer;
use crate::domain::{CardDraft, DeckDraft, ImportedProgress};
use crate::error::{Error, Result};

pub use crate::fnv::fnv1a;
pub use checks::{DeckCheck, validate, validate_foreign};
pub use decode::{decode_text, decode_utf8};
pub use ids::derived_id;
pub use load::{load, load_in_pieces, parse};

/// An error at a line of `file`, column 1: for the readers that go by
/// lines (and for mistakes that are a whole line's).
pub(crate) fn line_error(file: &str, line: usize, message: impl Into<String>) -> Error {
    Error::Parse {
        file: file.to_string(),
        line,
        column: 1,
        message: message.into(),
    }
}

/// An error about the whole of `file` rather than a line of it.
pub(crate) fn file_error(file: &str, message: impl Into<String>) -> Error {
    Error::File {
        file: file.to_string(),
        message: message.into(),
    }
}

/// The deck formats recall reads: what `--format` names (clap parses it,
/// ignoring case; the first name is the one its errors list), and what a
/// file's extension or content is found to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Toml,
    Json,
    /// recall's own Markdown (`Q:`/`A:` cards between `---` lines).
    #[value(name = "md", alias = "markdown")]
    Markdown,
    /// CSV (or any separator, detected), Anki's "Notes in Plain Text" included.
    #[value(name = "csv", aliases = ["txt", "text"])]
    Delimited,
    /// Tab-separated: `Delimited` with the separator known.
    Tsv,
    /// An Anki package (`.apkg`, `.colpkg`).
    #[value(name = "apkg", aliases = ["colpkg", "anki"])]
    Anki,
    /// A bare Anki collection (`collection.anki2`, `.anki21`, `.anki21b`).
    #[value(name = "anki2", aliases = ["anki21", "anki21b", "collection"])]
    AnkiCollection,
    /// hashcards Markdown: `Q:`/`A:` and `C:` cards without separators.
    Hashcards,
    /// carddown Markdown: `#flashcard` blocks and `… : … 🧠` lines.
    Carddown,
    /// A ki note: `# Note`, a guid, one `## Field` section per field.
    Ki,
    /// hascard text: `# header` cards between `---` lines.
    Hascard,
    /// vocage TSV: an upper-case header row naming the columns.
    Vocage,
    /// A Mnemosyne 2 database (SQLite).
    #[value(alias = "mnemo")]
    Mnemosyne,
    /// CrowdAnki's `deck.json`: Anki note types, notes and subdecks.
    #[value(name = "crowdanki")]
    CrowdAnki,
}

impl Format {
    /// The format a file's extension names, if it names one unambiguously
    /// (`.md` and `.tsv` are then told apart by content: see `sniff`).
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "csv" => Some(Format::Delimited),
            "tsv" => Some(Format::Tsv),
            "apkg" | "colpkg" => Some(Format::Anki),
            "anki2" | "anki21" | "anki21b" => Some(Format::AnkiCollection),
            _ => None,
        }
    }

    /// Formats read from a file on disk rather than from its text.
    fn is_database(self) -> bool {
        matches!(self, Format::AnkiCollection | Format::Mnemosyne)
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
    /// The media files the cards refer to that came with the file.
    pub media: Option<media::MediaBundle>,
    /// Media the cards name that did not come (refused, too big, absent):
    /// warnings for `recall import`, problems for `recall check`.
    pub media_problems: Vec<String>,
}

impl Loaded {
    pub fn of(decks: Vec<DeckDraft>) -> Loaded {
        Loaded {
            decks,
            ..Loaded::default()
        }
    }
}

/// Larger files are refused before they are read, and a file that grows
/// past it while read is refused there: the largest honest text decks are
/// tens of MiB, packages with years of history a few hundred MiB with
/// their media.
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

/// `text` without its leading and trailing blank lines (a line of spaces
/// is blank); the lines between are kept as they are.
pub fn trim_blank_lines(text: &str) -> &str {
    let Some(first) = text.find(|c: char| !c.is_whitespace()) else {
        return "";
    };
    let start = text[..first].rfind('\n').map_or(0, |i| i + 1);
    let end = text.trim_end().len();
    let end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    &text[start..end]
}

/// Adds the back→front card of a `reverse` card.
pub fn reversed(card: &CardDraft) -> CardDraft {
    CardDraft {
        key: format!("{}:reverse", card.key),
        front: card.back.clone(),
        back: card.front.clone(),
        notes: card.notes.clone(),
        tags: card.tags.clone(),
        typed: card.typed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_a_name_it_is_found_by() {
        use clap::ValueEnum;
        // Each format's `--format` name first, then the other names it answers to.
        let names: &[(Format, &[&str])] = &[
            (Format::Toml, &["toml"]),
            (Format::Json, &["json"]),
            (Format::Markdown, &["md", "markdown"]),
            (Format::Delimited, &["csv", "txt", "text"]),
            (Format::Tsv, &["tsv"]),
            (Format::Anki, &["apkg", "colpkg", "anki"]),
            (
                Format::AnkiCollection,
                &["anki2", "anki21", "anki21b", "collection"],
            ),
            (Format::Hashcards, &["hashcards"]),
            (Format::Carddown, &["carddown"]),
            (Format::Ki, &["ki"]),
            (Format::Hascard, &["hascard"]),
            (Format::Vocage, &["vocage"]),
            (Format::Mnemosyne, &["mnemosyne", "mnemo"]),
            (Format::CrowdAnki, &["crowdanki"]),
        ];
        assert_eq!(names.len(), Format::value_variants().len());
        for (format, names) in names {
            for name in *names {
                assert_eq!(Format::from_str(name, true), Ok(*format), "{name}");
            }
            let first = format.to_possible_value().map(|v| v.get_name().to_owned());
            assert_eq!(first.as_deref(), Some(names[0]));
        }
        assert!(Format::from_str("pdf", true).is_err());
        assert_eq!(
            Format::from_extension(Path::new("x.TSV")),
            Some(Format::Tsv)
        );
        assert_eq!(Format::from_extension(Path::new("x.txt")), None);
        assert_eq!(
            Format::from_extension(Path::new("collection.anki21b")),
            Some(Format::AnkiCollection)
        );
    }

    #[test]
    fn blank_lines_are_trimmed_at_the_ends_only() {
        assert_eq!(trim_blank_lines("\n  \n  a\n\n b \n \n"), "  a\n\n b ");
        assert_eq!(trim_blank_lines(" \n\t\n"), "");
    }
}
