//! Decks back out to files: TOML, JSON, Markdown, CSV. Each is written so
//! that importing it gives the same cards (the tests check this for
//! arbitrary text).

use serde::Serialize;

use super::markdown::escape_section;
use crate::domain::DeckDraft;
use crate::error::{Error, Result};

/// The files `export deck` writes a deck as: each one a format `import`
/// reads back (`Format` names those). Clap parses it, ignoring case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeckExportFormat {
    Toml,
    Json,
    #[value(name = "md", alias = "markdown")]
    Markdown,
    Csv,
    /// An Anki package (binary: needs `--output`); see `anki::write`.
    Apkg,
    /// Anki's "Notes in Plain Text"; see `anki::write::text`.
    #[value(name = "anki-txt")]
    AnkiTxt,
}

#[derive(Serialize)]
struct DeckOut<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    /// Before `cards`: TOML writes plain keys before tables.
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<u32>,
    cards: Vec<CardOut<'a>>,
}

#[derive(Serialize)]
struct CardOut<'a> {
    id: &'a str,
    front: &'a str,
    back: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    notes: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    /// Written only when set: the decks of before issue 21 read the same.
    #[serde(rename = "type", skip_serializing_if = "std::ops::Not::not")]
    typed: bool,
}

fn out(deck: &DeckDraft) -> DeckOut<'_> {
    DeckOut {
        name: &deck.name,
        description: &deck.description,
        order: deck.position,
        cards: deck
            .cards
            .iter()
            .map(|c| CardOut {
                id: &c.key,
                front: &c.front,
                back: &c.back,
                notes: &c.notes,
                tags: &c.tags,
                typed: c.typed,
            })
            .collect(),
    }
}

/// The deck as a file in `format`.
pub fn render(deck: &DeckDraft, format: DeckExportFormat) -> Result<String> {
    match format {
        DeckExportFormat::Toml => toml::to_string_pretty(&out(deck))
            .map_err(|e| Error::invalid(format!("cannot write TOML: {e}"))),
        DeckExportFormat::Json => {
            let json = serde_json::to_string_pretty(&out(deck))
                .map_err(|e| Error::invalid(format!("cannot write JSON: {e}")))?;
            // C1, bidi and zero-width characters as \uXXXX: the same value.
            let mut text = crate::domain::text::escape_json(&json).into_owned();
            text.push('\n');
            Ok(text)
        }
        DeckExportFormat::Markdown => Ok(markdown(deck)),
        DeckExportFormat::Csv => csv(deck),
        DeckExportFormat::Apkg => Err(Error::invalid(
            "an Anki package is binary, not text: it is written by `anki::write::package`",
        )),
        DeckExportFormat::AnkiTxt => {
            Ok(crate::formats::anki::write::notes_text(std::slice::from_ref(deck))?.0)
        }
    }
}

fn markdown(deck: &DeckDraft) -> String {
    let mut text = format!("# {}\n", deck.name);
    if !deck.description.is_empty() {
        text.push_str(&escape_section(&deck.description, true));
        text.push('\n');
    }
    for card in &deck.cards {
        text.push_str("\n---\n");
        text.push_str(&format!("ID: {}\n", card.key));
        if !card.tags.is_empty() {
            text.push_str(&format!("Tags: {}\n", card.tags.join(" ")));
        }
        if card.typed {
            text.push_str("Type: yes\n");
        }
        text.push_str(&format!("Q: {}\n", escape_section(&card.front, false)));
        text.push_str(&format!("A: {}\n", escape_section(&card.back, false)));
        if !card.notes.is_empty() {
            text.push_str(&format!("N: {}\n", escape_section(&card.notes, false)));
        }
    }
    text
}

fn csv(deck: &DeckDraft) -> Result<String> {
    let head = format!(
        "#separator:comma\n#html:false\n#deck:{}\n#columns:id,front,back,notes,tags\n",
        deck.name
    );
    // A first field starting with `#` would read as a header line: quote it.
    let style = if deck.cards.iter().any(|c| c.key.starts_with('#')) {
        csv::QuoteStyle::Always
    } else {
        csv::QuoteStyle::Necessary
    };
    let mut writer = csv::WriterBuilder::new()
        .quote_style(style)
        .from_writer(head.into_bytes());
    for c in &deck.cards {
        writer
            .write_record([
                c.key.as_str(),
                &c.front,
                &c.back,
                &c.notes,
                &c.tags.join(" "),
            ])
            .map_err(|e| Error::invalid(format!("cannot write CSV: {e}")))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::invalid(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::invalid(format!("cannot write CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CardDraft;
    use crate::formats::{Format, parse};
    use proptest::prelude::*;

    /// Card text as people write it, with the characters that break
    /// formats: quotes, commas, tabs, `#`, `---`, fences, markers, braces.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[a-zA-Z0-9 ]{1,8}",
            Just(",".to_string()),
            Just("\"".to_string()),
            Just("\t".to_string()),
            Just("\n".to_string()),
            Just("\n---\n".to_string()),
            Just("\n```\n".to_string()),
            Just("\nQ: ".to_string()),
            Just("\nA:".to_string()),
            Just("\n\\".to_string()),
            Just("#".to_string()),
            Just("'''".to_string()),
            Just("\"\"\"".to_string()),
            Just("é→東".to_string()),
        ];
        proptest::collection::vec(piece, 1..8)
            .prop_map(|p| p.concat())
            .prop_filter("sides are trimmed of blank lines", |s| {
                let first = s.split('\n').next().unwrap_or("");
                let last = s.rsplit('\n').next().unwrap_or("");
                !first.trim().is_empty() && !last.trim().is_empty() && !s.contains("{{c")
            })
    }

    fn deck() -> impl Strategy<Value = DeckDraft> {
        let card = (
            "[a-z0-9#][a-z0-9-]{0,10}",
            text(),
            text(),
            prop_oneof![Just(String::new()), text()],
            proptest::collection::vec("[a-z0-9:_-]{1,6}", 0..3),
            any::<bool>(),
        );
        (
            "[A-Z][a-zA-Z0-9 ]{0,10}[a-z]",
            prop_oneof![Just(String::new()), text()],
            proptest::option::of(0u32..100),
            proptest::collection::vec(card, 1..6),
        )
            .prop_map(|(name, description, position, cards)| {
                let mut seen = std::collections::HashSet::new();
                let cards = cards
                    .into_iter()
                    .filter(|(key, ..)| seen.insert(key.clone()))
                    .map(|(key, front, back, notes, tags, typed)| CardDraft {
                        key,
                        front,
                        back,
                        notes,
                        tags,
                        typed,
                    })
                    .collect();
                DeckDraft {
                    name,
                    description,
                    position,
                    cards,
                }
            })
    }

    proptest! {
        #[test]
        fn every_format_reads_back_the_same_cards(deck in deck()) {
            for (format, read_as) in [
                (DeckExportFormat::Toml, Format::Toml),
                (DeckExportFormat::Json, Format::Json),
                (DeckExportFormat::Markdown, Format::Markdown),
                (DeckExportFormat::Csv, Format::Delimited),
            ] {
                let text = render(&deck, format).unwrap();
                let loaded = parse("x", "stem", text.as_bytes(), read_as, false)
                    .map_err(|e| TestCaseError::fail(format!("{format:?}: {e}\n{text}")))?;
                prop_assert_eq!(loaded.decks.len(), 1);
                let back = &loaded.decks[0];
                prop_assert_eq!(&back.name, &deck.name, "{:?}\n{}", format, text);
                // CSV has no column for a typed answer: its cards come back without.
                let mut expected = deck.cards.clone();
                if format == DeckExportFormat::Csv {
                    expected.iter_mut().for_each(|c| c.typed = false);
                }
                prop_assert_eq!(&back.cards, &expected, "{:?}\n{}", format, text);
                if format != DeckExportFormat::Csv {
                    prop_assert_eq!(&back.description, &deck.description, "{:?}\n{}", format, text);
                }
                if matches!(format, DeckExportFormat::Toml | DeckExportFormat::Json) {
                    prop_assert_eq!(back.position, deck.position, "{:?}\n{}", format, text);
                }
            }
        }
    }
}
