//! Notes written by ki (github.com/langfield/ki), which keeps an Anki
//! collection as a folder of Markdown files, one note each:
//!
//! ````text
//! # Note
//! ```
//! guid: FkIOjkzX_N
//! notetype: Basic
//! ```
//!
//! ### Tags
//! ```
//! chapter_4
//! ```
//!
//! ## Front
//! <b>HTML</b> of the first field
//!
//! ## Back
//! …
//! ````
//!
//! One `## Name` section per field, in the note type's order: the first is
//! the front, the second the back, any others go to the notes, each under
//! its name. Fields are Anki's HTML, turned into text. The card's id is the
//! note's GUID (`GUID:reverse` and `GUID:c1` … as for Anki packages).

use super::foreign::DeckBuilder;
use super::{Loaded, derived_id, html, line_error, normalize_text, push_entry_cards};
use crate::domain::CardDraft;
use crate::error::Result;

/// Whether text is a ki note: it opens with `# Note` and a fenced header.
pub fn looks_like(text: &str) -> bool {
    let mut lines = text
        .trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| !l.trim().is_empty());
    lines.next().map(str::trim_end) == Some("# Note")
        && lines.next().is_some_and(|l| l.starts_with("```"))
        && lines.next().is_some_and(|l| l.starts_with("guid:"))
}

/// The parts of a note, as read.
#[derive(Default)]
struct Note {
    guid: String,
    notetype: String,
    tags: Vec<String>,
    /// (name, the line of its `##` heading, its lines)
    fields: Vec<(String, usize, Vec<String>)>,
}

/// Parses one ki note into a deck named `stem` (ki's deck is the folder,
/// but recall names a deck by one file: see the README).
pub fn parse(file: &str, stem: &str, text: &str) -> Result<Loaded> {
    let text = normalize_text(text.strip_prefix('\u{feff}').unwrap_or(text));
    if !looks_like(&text) {
        return Err(line_error(
            file,
            1,
            "not a ki note: it should open with \"# Note\" and a ``` block with guid: and notetype:",
        ));
    }
    let note = read(&text);
    let mut loaded = Loaded::default();
    let media: usize = note
        .fields
        .iter()
        .map(|(_, _, lines)| html::media_references(&lines.join("\n")))
        .sum();
    if media > 0 {
        loaded.warnings.push(format!(
            "{media} media reference(s) kept as text; recall shows no images or sound"
        ));
    }
    let mut deck = DeckBuilder::new(file, stem)?;
    if let Some((_, line, _)) = note.fields.first() {
        let line = *line;
        let reverse = note.notetype.to_ascii_lowercase().contains("reverse");
        let mut cards = Vec::new();
        push_entry_cards(&mut cards, entry(note), reverse);
        for card in cards {
            deck.push(card, line)?;
        }
    }
    deck.finish(loaded, "the ki note has no \"## Field\" section")
}

/// The note as one entry: the first field the front, the second the
/// back, the others the notes (each under its name); the GUID its id.
fn entry(note: Note) -> CardDraft {
    let field = |i: usize| -> String {
        note.fields
            .get(i)
            .map_or(String::new(), |(_, _, lines)| text_of(lines))
    };
    let front = field(0);
    let notes: Vec<String> = (2..note.fields.len())
        .map(|i| (note.fields[i].0.as_str(), field(i)))
        .filter(|(_, t)| !t.trim().is_empty())
        .map(|(name, t)| format!("{name}: {t}"))
        .collect();
    CardDraft {
        key: match note.guid.trim() {
            "" => derived_id(&front),
            guid => guid.to_string(),
        },
        back: field(1),
        front,
        notes: notes.join("\n\n"),
        tags: note.tags,
        typed: false,
    }
}

/// A field's HTML as text.
fn text_of(lines: &[String]) -> String {
    html::to_text(super::trim_blank_lines(&lines.join("\n")))
}

/// Splits the note into its header values, tags and fields.
fn read(text: &str) -> Note {
    #[derive(PartialEq)]
    enum Part {
        Header,
        Tags,
        Field,
    }
    let mut note = Note::default();
    let mut part = Part::Header;
    let mut in_fence = false;
    for (i, line) in text.lines().enumerate() {
        if let Some(name) = line.strip_prefix("##").filter(|_| !line.starts_with("###")) {
            note.fields
                .push((name.trim().to_string(), i + 1, Vec::new()));
            part = Part::Field;
            continue;
        }
        match part {
            Part::Field => {
                if let Some((_, _, lines)) = note.fields.last_mut() {
                    lines.push(line.to_string());
                }
            }
            _ if line.trim_end() == "### Tags" => part = Part::Tags,
            _ if line.starts_with("```") => in_fence = !in_fence,
            Part::Header if in_fence => {
                if let Some(guid) = line.strip_prefix("guid:") {
                    note.guid = guid.trim().to_string();
                } else if let Some(notetype) = line.strip_prefix("notetype:") {
                    note.notetype = notetype.trim().to_string();
                }
            }
            Part::Tags if in_fence => {
                note.tags
                    .extend(line.split_whitespace().map(str::to_string));
            }
            _ => {}
        }
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = "# Note\n```\nguid: Fk_1\nnotetype: Basic-d7a3e\n```\n\n\
        ### Tags\n```\nch_4\nsync\n```\n\n## Front\nWhen is a program <strong>synchronised</strong>?\n\n\
        ## Back\n<ul>\n  <li>When every access\n  is ordered.\n</ul>\n\n## Source\nlecture 4\n";

    #[test]
    fn a_note_is_one_card_keyed_by_its_guid() {
        assert!(looks_like(NOTE));
        let deck = parse("n.md", "n", NOTE).unwrap().decks.remove(0);
        let card = &deck.cards[0];
        assert_eq!(deck.cards.len(), 1);
        assert_eq!(card.key, "Fk_1");
        assert_eq!(card.front, "When is a program synchronised?");
        assert!(card.back.contains("When every access"), "{:?}", card.back);
        assert!(!card.back.contains('<'), "{:?}", card.back);
        assert_eq!(card.notes, "Source: lecture 4");
        assert_eq!(card.tags, ["ch_4", "sync"]);
    }

    #[test]
    fn reversed_and_cloze_note_types_give_their_cards() {
        let reversed = NOTE.replace("Basic-d7a3e", "Basic (and reversed card)");
        let keys: Vec<_> = parse("n.md", "n", &reversed).unwrap().decks[0]
            .cards
            .iter()
            .map(|c| c.key.clone())
            .collect();
        assert_eq!(keys, ["Fk_1", "Fk_1:reverse"]);
        let cloze = "# Note\n```\nguid: z\nnotetype: Cloze\n```\n\n### Tags\n```\n```\n\n\
                     ## Text\n{{c1::Paris}} is in {{c2::France}}\n\n## Back Extra\n\n";
        let cards = &parse("n.md", "n", cloze).unwrap().decks[0].cards;
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].front, "[...] is in France");
    }

    #[test]
    fn a_note_without_fields_is_refused() {
        let e = parse("n.md", "n", "# Note\n```\nguid: x\nnotetype: B\n```\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("n.md: no cards"), "{e}");
        assert!(!looks_like("# Deck\n---\nQ: a\n"));
    }
}
