//! Media a card's text refers to, found from the markers the importers
//! leave in it: `[image: name]` (an Anki `<img>`, a hascard image line),
//! `[sound:name]` (Anki's own tag) and Markdown's `![alt](name)`. The text
//! is never rewritten: the corpus check compares it with Anki's, so media
//! are resolved from these markers when a card is shown.
//!
//! Also the rules a media name must follow to be stored, and the MIME type
//! its extension gives. Pure: no files are looked at here.

use std::collections::{BTreeMap, BTreeSet};

use super::DeckDraft;

/// What a marker shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    Image,
    Sound,
}

/// One reference in a card's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRef<'a> {
    pub kind: MediaKind,
    /// As the text names it (trimmed).
    pub name: &'a str,
}

/// The references in `text`, in order, each once; web addresses (`http:`,
/// `data:`) are left out: there is no file to store for them.
pub fn references(text: &str) -> Vec<MediaRef<'_>> {
    let mut refs: Vec<MediaRef> = Vec::new();
    for (_, r) in markers(text) {
        if !refs.contains(&r) {
            refs.push(r);
        }
    }
    refs
}

/// Every marker in `text` with the bytes it spans (`[image: a.png]`
/// whole, `![alt](a.png)` from its `](`), in order: what `references`
/// reads, for a writer that replaces each marker in place.
pub fn markers(text: &str) -> Vec<(std::ops::Range<usize>, MediaRef<'_>)> {
    let mut found: Vec<(std::ops::Range<usize>, MediaRef)> = Vec::new();
    let kinds = [
        ("[image: ", "]", MediaKind::Image),
        ("[sound:", "]", MediaKind::Sound),
        ("](", ")", MediaKind::Image),
    ];
    for (open, close, kind) in kinds {
        let mut from = 0;
        while let Some(at) = text[from..].find(open) {
            let start = from + at + open.len();
            // Markdown's `](` counts only after `![alt`, on the same line.
            let markdown = open == "](";
            if markdown && !is_markdown_image(&text[..from + at]) {
                from = start;
                continue;
            }
            let Some(len) = text[start..].find(close) else {
                break;
            };
            let name = text[start..start + len].trim();
            // A Markdown target may carry a title: `![a](fig.png "Figure")`.
            let name = if markdown {
                name.split_once(" \"").map_or(name, |(n, _)| n).trim()
            } else {
                name
            };
            let line_break = name.contains('\n');
            if !name.is_empty() && !line_break && !is_remote(name) {
                let marker = if markdown {
                    markdown_start(&text[..from + at])
                } else {
                    from + at
                };
                let end = start + len + close.len();
                found.push((marker..end, MediaRef { kind, name }));
            }
            from = start + len;
        }
    }
    found.sort_by_key(|(at, _)| at.start);
    found
}

/// Where the `![` of a Markdown image whose `](` follows `before` starts.
fn markdown_start(before: &str) -> usize {
    before.rfind("![").unwrap_or(before.len())
}

/// Every media name the decks' cards refer to.
pub fn named_by(decks: &[DeckDraft]) -> BTreeSet<String> {
    decks_naming(decks).into_keys().collect()
}

/// Each media name the decks' cards refer to, with the decks that do.
pub fn decks_naming(decks: &[DeckDraft]) -> BTreeMap<String, BTreeSet<String>> {
    let mut naming: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for deck in decks {
        for card in &deck.cards {
            for text in [&card.front, &card.back, &card.notes] {
                for r in references(text) {
                    let decks = naming.entry(r.name.to_string()).or_default();
                    decks.insert(deck.name.clone());
                }
            }
        }
    }
    naming
}

/// Whether the text before a `](` ends in `![alt`, with no line between.
fn is_markdown_image(before: &str) -> bool {
    let line = before.rsplit('\n').next().unwrap_or(before);
    line.rfind("![").is_some_and(|at| !line[at..].contains(']'))
}

fn is_remote(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["http://", "https://", "data:", "file:", "ftp://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// Why a name from a package cannot be stored (`None`: it can). A package
/// names files flat, as Anki's media folder holds them: a path separator,
/// `..`, a NUL or a control character is a crafted name. The name stays
/// in the card's text as it is; only its file is refused.
pub fn unsafe_package_name(name: &str) -> Option<&'static str> {
    if name.contains(['/', '\\']) {
        return Some("it holds a path separator");
    }
    unsafe_name(name)
}

/// The same for a name a deck file gives, which may be a relative path
/// (`img/fig.png`), never absolute or climbing out with `..`.
pub fn unsafe_relative_name(name: &str) -> Option<&'static str> {
    if name.starts_with(['/', '\\']) || name.get(1..2) == Some(":") {
        return Some("it is an absolute path");
    }
    unsafe_name(name)
}

fn unsafe_name(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.len() > 1024 {
        return Some("it is empty or over 1024 bytes");
    }
    if name.contains('\0') || name.chars().any(char::is_control) {
        return Some("it holds a NUL or control character");
    }
    if name
        .split(['/', '\\'])
        .any(|part| part == ".." || part == ".")
    {
        return Some("it climbs out of its folder (..)");
    }
    None
}

/// The MIME type of a name's extension; `application/octet-stream` for
/// any other.
pub fn mime_of(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "opus" => "audio/opus",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "flac" => "audio/flac",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(MediaKind, &str)> {
        references(text)
            .into_iter()
            .map(|r| (r.kind, r.name))
            .collect()
    }

    #[test]
    fn markers_of_every_importer_are_found_in_order_once() {
        use MediaKind::{Image, Sound};
        let text = "[sound:a b.mp3] Heart [image: heart.png]\n![the heart](img/heart.png \"t\") \
                    [image: heart.png] [link](notes.md) ![](https://x.org/y.png)";
        assert_eq!(
            names(text),
            [
                (Sound, "a b.mp3"),
                (Image, "heart.png"),
                (Image, "img/heart.png")
            ]
        );
        assert!(names("[image: ] [sound:] ![a](\n)").is_empty());
    }

    #[test]
    fn crafted_names_are_refused_and_plain_ones_kept() {
        for bad in [
            "../x.png",
            "a/b.png",
            "a\\b.png",
            "/etc/passwd",
            "a\0b",
            "",
            "\u{1b}[2J",
        ] {
            assert!(unsafe_package_name(bad).is_some(), "{bad:?}");
        }
        assert_eq!(unsafe_package_name("café 1.jpg"), None);
        assert_eq!(unsafe_relative_name("img/fig.png"), None);
        for bad in ["/abs.png", "C:/x.png", "img/../../x.png", "./x.png"] {
            assert!(unsafe_relative_name(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn mime_follows_the_extension() {
        assert_eq!(mime_of("X.JPG"), "image/jpeg");
        assert_eq!(mime_of("a.mp3"), "audio/mpeg");
        assert_eq!(mime_of("noext"), "application/octet-stream");
    }
}
