//! Which format a file is in, when `--format` does not say: its extension
//! where that is unambiguous, else its content. `.md` may be recall's
//! Markdown, hashcards, carddown or ki; `.tsv` vocage or plain TSV; `.txt`
//! and unknown extensions anything. Binary files that are no deck are
//! named for what they are (a PDF, an image, an Anki 1.x deck, …).

use std::path::Path;

use super::collection_file::ZSTD_MAGIC;
use super::markdown::Fences;
use super::sqlite_kind::{self, Database};
use super::{Format, anki, file_error, hascard, ki, vocage};
use crate::error::Result;

/// The format of the file at `path` (content `bytes`): `forced` if given,
/// else by extension and content. A SQLite file is opened (read-only) to
/// see whose it is; one recall cannot read is an error saying what it is.
pub fn detect(file: &str, path: &Path, bytes: &[u8], forced: Option<Format>) -> Result<Format> {
    if let Some(format) = forced {
        return Ok(format);
    }
    if bytes.starts_with(sqlite_kind::MAGIC) {
        let database = sqlite_kind::classify(path, bytes).map_err(|m| file_error(file, m))?;
        return match database {
            Database::AnkiCollection => Ok(Format::AnkiCollection),
            Database::Mnemosyne => Ok(Format::Mnemosyne),
            other => Err(file_error(file, sqlite_kind::describe(&other))),
        };
    }
    Ok(by_content(path, bytes))
}

/// The format `detect` finds for a file whose first `HEAD_BYTES` are
/// `head` (all of a smaller file), if they decide it: they do for every
/// file but a SQLite database (opened to see whose it is) and Markdown (a
/// `C:` card may come late). So a CSV/TSV file can be read as it streams.
pub fn detect_by_head(path: &Path, head: &[u8], forced: Option<Format>) -> Option<Format> {
    if forced.is_some() {
        return forced;
    }
    let markdown = Format::from_extension(path) == Some(Format::Markdown);
    (!markdown && !head.starts_with(sqlite_kind::MAGIC)).then(|| by_content(path, head))
}

/// The format by the extension, then by the content, of a file that is no
/// SQLite database.
fn by_content(path: &Path, bytes: &[u8]) -> Format {
    match Format::from_extension(path) {
        Some(Format::Markdown) => markdown_dialect(&head(bytes, usize::MAX)),
        Some(Format::Tsv) if vocage::looks_like(&head(bytes, HEAD)) => Format::Vocage,
        Some(Format::Json) if anki::crowdanki::is_crowdanki(&head(bytes, HEAD)) => {
            Format::CrowdAnki
        }
        Some(format) => format,
        None => Format::sniff(bytes),
    }
}

/// How much of a file content detection looks at (Markdown dialects
/// excepted: a `C:` card may come late).
const HEAD: usize = 8192;

// `detect_by_head` is only right if the head holds what detection reads.
const _: () = assert!(HEAD <= super::input::HEAD_BYTES);

fn head(bytes: &[u8], limit: usize) -> std::borrow::Cow<'_, str> {
    let bytes = &bytes[..bytes.len().min(limit)];
    String::from_utf8_lossy(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes))
}

impl Format {
    /// Guesses from the content, for `.txt` and files without an extension.
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            return Format::Anki;
        }
        if bytes.starts_with(sqlite_kind::MAGIC) || bytes.starts_with(ZSTD_MAGIC) {
            return Format::AnkiCollection;
        }
        let text = head(bytes, HEAD);
        let text = text.trim_start();
        if text.starts_with('{') {
            if anki::crowdanki::is_crowdanki(text) {
                return Format::CrowdAnki;
            }
            return Format::Json;
        }
        if ki::looks_like(text) {
            return Format::Ki;
        }
        let has_line = |p: &str| text.lines().any(|l| l.starts_with(p));
        if has_line("Q:") && (has_line("A:") || has_line("# ")) {
            return markdown_dialect(text);
        }
        if has_line("[[cards]]") || has_line("name =") || has_line("name=") {
            return Format::Toml;
        }
        if hascard::looks_like(text) {
            return Format::Hascard;
        }
        if vocage::looks_like(text) {
            return Format::Vocage;
        }
        Format::Delimited
    }
}

/// What a Markdown file's lines show (fenced code left out).
#[derive(Default)]
struct MarkdownSigns {
    /// `ID:`, `Tags:`, `N:` or `Reverse:`: only recall's Markdown has them.
    recall_marker: bool,
    question: bool,
    cloze: bool,
    /// Two `Q:` with no `---` between: hashcards needs no separator.
    unseparated: bool,
    /// A `# ` heading before the first card: hashcards allows no text there.
    heading_first: bool,
    /// `#flashcard` or 🧠 on a line.
    carddown: bool,
}

fn markdown_signs(text: &str) -> MarkdownSigns {
    let mut signs = MarkdownSigns::default();
    let mut fences = Fences::default();
    let mut open_question = false;
    for (i, line) in text.lines().enumerate() {
        if fences.is_code(i, line) {
            continue;
        }
        let card_seen = signs.question || signs.cloze;
        if line.trim_end() == "---" {
            open_question = false;
        } else if line.starts_with("Q:") {
            signs.unseparated |= open_question;
            open_question = true;
            signs.question = true;
        } else if line.starts_with("C:") {
            signs.cloze = true;
        } else if ["ID:", "Tags:", "N:", "Reverse:"]
            .iter()
            .any(|m| line.starts_with(m))
        {
            signs.recall_marker = true;
        } else if !card_seen && line.starts_with("# ") {
            signs.heading_first = true;
        }
        signs.carddown |= line.contains("#flashcard") || line.contains('🧠');
    }
    signs
}

/// Which Markdown a `.md` file is written in.
pub fn markdown_dialect(text: &str) -> Format {
    if ki::looks_like(text) {
        return Format::Ki;
    }
    let signs = markdown_signs(text);
    if signs.recall_marker {
        Format::Markdown
    } else if (signs.cloze || signs.unseparated) && !signs.heading_first {
        Format::Hashcards
    } else if !signs.question && signs.carddown {
        Format::Carddown
    } else {
        Format::Markdown
    }
}

/// What a binary file is, by its first bytes, for the files people hand a
/// deck reader by mistake. Packages (zip), collections (SQLite, zstd) are
/// not listed: they are read.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"\x1f\x8b", "gzip-compressed data (gunzip it first)"),
        (b"\xfd7zXZ\x00", "xz-compressed data (unxz it first)"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"Rar!\x1a\x07", "a RAR archive"),
        (b"\x7fELF", "a program (ELF executable)"),
        (b"OggS", "an Ogg audio file"),
        (b"fLaC", "a FLAC audio file"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "an old Microsoft Office document (.doc, .xls)",
        ),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(kind);
    }
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    if at(0, b"RIFF") && at(8, b"WEBP") {
        return Some("a WebP image");
    }
    if at(4, b"ftyp") {
        return Some("a video or audio file (MP4)");
    }
    if at(0, b"BZh") && at(4, b"\x31\x41\x59\x26\x53\x59") {
        return Some("bzip2-compressed data (bunzip2 it first)");
    }
    if at(257, b"ustar") {
        return Some("a tar archive (unpack it first)");
    }
    if at(0, b"ID3") && bytes.get(3).is_some_and(|&v| v < 0x10) {
        return Some("an MP3 audio file");
    }
    None
}

/// What recall looked for in a file that gave no card, and what it
/// found: the message of the error every such file ends in.
pub fn no_cards_message(format: Format, text: &str) -> String {
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    match format {
        Format::Markdown => {
            let headings = text.lines().filter(|l| l.starts_with('#')).count();
            format!(
                "no cards: no `Q:` lines (recall's Markdown), no `Q:`/`A:` pair or `C:` card \
                 (hashcards), no `#flashcard` or `… : … 🧠` line (carddown), no `# Note` with \
                 a guid (ki); found {lines} line(s) of text, {headings} of them `#` headings. \
                 Is this a hashcards, carddown or Obsidian file? try --format \
                 hashcards|carddown|ki, or write cards as `Q:` and `A:` lines"
            )
        }
        Format::Toml | Format::Json => format!(
            "no cards: the deck's `cards` list is empty ({lines} line(s) of text); add \
             cards to import, or leave the file out"
        ),
        other => format!("no cards: nothing in the file reads as a card of {other:?} format"),
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
            Format::sniff(b"{\"__type__\": \"Deck\", \"name\": \"x\"}"),
            Format::CrowdAnki
        );
        assert_eq!(
            Format::sniff(b"# Deck\n---\nQ: a\nA: b\n"),
            Format::Markdown
        );
        assert_eq!(Format::sniff(b"name = \"x\"\n[[cards]]\n"), Format::Toml);
        assert_eq!(Format::sniff(b"#separator:tab\nq\ta\n"), Format::Delimited);
        assert_eq!(Format::sniff(b"# a comment\nq\ta\n"), Format::Delimited);
        assert_eq!(Format::sniff(b"# q1\na1\n---\n# q2\na2\n"), Format::Hascard);
        assert_eq!(Format::sniff(b"WORD\tMEANING\nhund\tdog\n"), Format::Vocage);
        assert_eq!(
            Format::sniff(b"# Note\n```\nguid: x\nnotetype: Basic\n```\n"),
            Format::Ki
        );
        assert_eq!(
            Format::sniff(b"SQLite format 3\0rest"),
            Format::AnkiCollection
        );
        assert_eq!(
            Format::sniff(b"\x28\xb5\x2f\xfd rest"),
            Format::AnkiCollection
        );
    }

    #[test]
    fn markdown_dialects_are_told_apart() {
        let dialect = markdown_dialect;
        assert_eq!(
            dialect("# D\n---\nQ: a\nA: b\n---\nQ: c\nA: d\n"),
            Format::Markdown
        );
        assert_eq!(dialect("Q: a\nA: b\n"), Format::Markdown);
        assert_eq!(dialect("Q: a\nA: b\n\nQ: c\nA: d\n"), Format::Hashcards);
        assert_eq!(dialect("C: [Paris] is in France\n"), Format::Hashcards);
        assert_eq!(
            dialect("Q: a\nA: b\nC: drive\n---\nID: x\nQ: c\nA: d\n"),
            Format::Markdown
        );
        assert_eq!(
            dialect("# Notes\nQ: a\nA: b\nQ: c\nA: d\n"),
            Format::Markdown
        );
        assert_eq!(
            dialect("Prose.\nWhy? #flashcard\nBecause.\n---\n"),
            Format::Carddown
        );
        assert_eq!(dialect("q : a 🧠\n"), Format::Carddown);
        assert_eq!(
            dialect("```\nC: in a fence\n```\nQ: a\nA: b\n"),
            Format::Markdown
        );
        assert_eq!(
            dialect("# Note\n```\nguid: g\nnotetype: B\n```\n## Front\nx\n"),
            Format::Ki
        );
        assert_eq!(dialect("# Only prose\n\nMount Everest\n"), Format::Markdown);
    }

    #[test]
    fn binary_files_are_named() {
        assert_eq!(binary_kind(b"%PDF-1.7\n..."), Some("a PDF document"));
        assert_eq!(
            binary_kind(b"\x1f\x8b\x08\x00"),
            Some("gzip-compressed data (gunzip it first)")
        );
        assert_eq!(binary_kind(b"RIFF\0\0\0\0WEBPVP8 "), Some("a WebP image"));
        assert_eq!(binary_kind(b"ID3 is not a tag here"), None);
        assert_eq!(binary_kind(b"front,back\n"), None);
    }

    #[test]
    fn the_no_cards_message_says_what_was_looked_for() {
        let m = no_cards_message(Format::Markdown, "# A\ntext\n# B\n");
        assert!(m.starts_with("no cards: no `Q:` lines"), "{m}");
        assert!(
            m.contains("found 3 line(s) of text, 2 of them `#` headings"),
            "{m}"
        );
        assert!(m.contains("--format hashcards"), "{m}");
    }
}
