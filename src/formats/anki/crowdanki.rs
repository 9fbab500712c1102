//! CrowdAnki's `deck.json` (the Anki add-on's git-friendly export): note
//! types with their templates, notes, and subdecks, but no cards. Cards are
//! made as Anki makes them when CrowdAnki imports the file: one for each
//! template whose front names a filled field (cloze: one per deletion
//! number), rendered through the same templates as a package's, with the
//! same ids (`card_key`), so a deck moved between the two formats keeps its
//! progress.

use std::collections::HashMap;

use serde::Deserialize;

use super::convert::{MAX_TEXT_BYTES, card_key, checked, no_field_too_big};
use super::notetype::{JsonNoteType, NoteType};
use super::render::{NotShown, Rendered, Renderer};
use crate::domain::{CardDraft, DeckDraft};
use crate::error::{Error, Result};
use crate::formats::{Loaded, cloze, file_error, html};

/// Anki numbers at most this many cloze cards per note.
const MAX_CLOZE: u32 = 500;

/// True for JSON CrowdAnki wrote (its decks say `"__type__": "Deck"`).
pub fn is_crowdanki(text: &str) -> bool {
    // A character may straddle byte 4096: cut before it, not through it.
    let head = &text[..text.floor_char_boundary(4096)];
    head.contains("\"__type__\"") && head.contains("\"Deck\"")
}

#[derive(Deserialize)]
struct Deck {
    name: String,
    #[serde(default)]
    desc: String,
    #[serde(default)]
    note_models: Vec<Model>,
    #[serde(default)]
    notes: Vec<Note>,
    #[serde(default)]
    children: Vec<Deck>,
}

#[derive(Deserialize)]
struct Model {
    crowdanki_uuid: String,
    #[serde(flatten)]
    notetype: JsonNoteType,
}

#[derive(Deserialize)]
struct Note {
    guid: String,
    note_model_uuid: String,
    #[serde(default)]
    fields: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
}

pub fn parse(file: &str, text: &str) -> Result<Loaded> {
    let mut root: Deck = serde_json::from_str(text).map_err(|e| Error::Parse {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: format!("not a CrowdAnki deck.json: {e}"),
    })?;
    let mut out = Builder {
        models: take_models(&mut root),
        loaded: Loaded::default(),
        decks: Vec::new(),
        text_bytes: 0,
    };
    out.deck(&root, None)
        .map_err(|message| file_error(file, message))?;
    out.finish(file)
}

/// Note types may sit in any deck of the tree; notes refer to them by uuid.
fn take_models(root: &mut Deck) -> HashMap<String, NoteType> {
    let mut models = HashMap::new();
    // Subdecks are few and shallow; a stack keeps hostile nesting harmless.
    let mut stack = vec![root];
    while let Some(deck) = stack.pop() {
        for model in std::mem::take(&mut deck.note_models) {
            models.insert(model.crowdanki_uuid, NoteType::from(model.notetype));
        }
        stack.extend(deck.children.iter_mut());
    }
    models
}

struct Builder {
    models: HashMap<String, NoteType>,
    loaded: Loaded,
    decks: Vec<DeckDraft>,
    /// The text of the cards so far: see `MAX_TEXT_BYTES`.
    text_bytes: usize,
}

impl Builder {
    fn deck(&mut self, deck: &Deck, parent: Option<&str>) -> std::result::Result<(), String> {
        let mut stack = vec![(deck, parent.map(str::to_string))];
        while let Some((deck, parent)) = stack.pop() {
            let name = match &parent {
                Some(p) => format!("{p}::{}", deck.name),
                None => deck.name.clone(),
            };
            let mut cards = Vec::new();
            for note in &deck.notes {
                self.note(note, &name, &mut cards)?;
            }
            if !cards.is_empty() {
                self.decks.push(DeckDraft {
                    name: name.clone(),
                    description: html::to_text(&deck.desc),
                    position: None,
                    cards,
                });
            }
            // Reversed so that subdecks come out in the file's order.
            stack.extend(deck.children.iter().rev().map(|c| (c, Some(name.clone()))));
        }
        Ok(())
    }

    fn note(
        &mut self,
        note: &Note,
        deck: &str,
        cards: &mut Vec<CardDraft>,
    ) -> std::result::Result<(), String> {
        let guid = note.guid.as_str();
        let fields: Vec<&str> = note.fields.iter().map(String::as_str).collect();
        no_field_too_big(guid, &fields)?;
        let Some(notetype) = self.models.get(&note.note_model_uuid) else {
            self.loaded.skipped.push(format!(
                "note {guid:?}: unknown note model {:?}",
                note.note_model_uuid
            ));
            return Ok(());
        };
        let tags = note.tags.join(" ");
        let numbers = card_numbers(notetype, &fields);
        let cloze = notetype.cloze;
        let mut renderer = Renderer::new(notetype, &fields, &tags);
        for ord in numbers {
            let rendered = renderer.render(deck, 0, ord);
            self.text_bytes += rendered
                .as_ref()
                .map_or(0, |c| c.front.len() + c.back.len());
            if self.text_bytes > MAX_TEXT_BYTES {
                return Err(format!(
                    "its cards come to more than {MAX_TEXT_BYTES} bytes of text: \
                     no real deck is this big"
                ));
            }
            match card(note, cloze, ord, rendered) {
                Ok(Some(card)) => cards.push(card),
                Ok(None) => {}
                Err(why) => self.loaded.skipped.push(why),
            }
        }
        Ok(())
    }

    fn finish(mut self, file: &str) -> Result<Loaded> {
        checked(
            file,
            &self.decks,
            &self.loaded.skipped,
            "no note of the CrowdAnki deck",
        )?;
        self.loaded.decks = self.decks;
        Ok(self.loaded)
    }
}

/// Card `ord` of a note as recall keeps it, or nothing where Anki makes no
/// card, or why it is left out.
fn card(
    note: &Note,
    cloze: bool,
    ord: u32,
    rendered: std::result::Result<Rendered, NotShown>,
) -> std::result::Result<Option<CardDraft>, String> {
    let guid = note.guid.as_str();
    match rendered {
        Ok(card) if !card.front.trim().is_empty() => Ok(Some(CardDraft {
            key: card_key(guid, cloze, ord),
            front: card.front,
            back: card.back,
            notes: String::new(),
            tags: note
                .tags
                .iter()
                .filter(|t| !t.trim().is_empty())
                .cloned()
                .collect(),
            typed: card.typed,
        })),
        // Anki makes no such card: nothing to report.
        Err(NotShown::EmptyFront) => Ok(None),
        Ok(_) => Err(format!(
            "note {guid:?}: card {}: its front shows no text",
            ord + 1
        )),
        Err(e) => Err(format!("note {guid:?}: card {}: {e}", ord + 1)),
    }
}

/// The cards Anki considers for a note: every template, or for cloze every
/// deletion number in any field (`render` then leaves out those Anki would
/// not make).
fn card_numbers(notetype: &NoteType, fields: &[&str]) -> Vec<u32> {
    if notetype.cloze {
        let mut numbers: Vec<u32> = fields
            .iter()
            .flat_map(|f| cloze::numbers(f))
            .filter(|&n| n <= MAX_CLOZE)
            .map(|n| n - 1)
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        return numbers;
    }
    notetype.templates.iter().map(|t| t.ord).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = r#"{
      "__type__": "Deck", "name": "Geo", "desc": "<b>Capitals</b>",
      "note_models": [
        {"__type__": "NoteModel", "crowdanki_uuid": "m1", "name": "Basic (optional reversed card)",
         "type": 0, "css": "",
         "flds": [{"name": "Front"}, {"name": "Back"}, {"name": "Add Reverse"}],
         "tmpls": [{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"},
                   {"name": "Card 2", "qfmt": "{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Front}}"}]},
        {"__type__": "NoteModel", "crowdanki_uuid": "m2", "name": "Cloze", "type": 1,
         "flds": [{"name": "Text"}, {"name": "Extra"}],
         "tmpls": [{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<br>{{Extra}}"}]}
      ],
      "notes": [
        {"__type__": "Note", "guid": "g1", "note_model_uuid": "m1", "fields": ["France", "Paris", "y"], "tags": ["eu"]},
        {"__type__": "Note", "guid": "g2", "note_model_uuid": "m1", "fields": ["Peru", "Lima", ""], "tags": []}
      ],
      "children": [
        {"__type__": "Deck", "name": "Cloze", "note_models": [], "children": [],
         "notes": [{"__type__": "Note", "guid": "g3", "note_model_uuid": "m2",
                    "fields": ["{{c1::Rome}} is in {{c3::Italy}}", ""], "tags": []}]}
      ]
    }"#;

    #[test]
    fn a_character_across_the_looked_at_head_is_no_panic() {
        let text = format!(
            "{{\"name\": \"{}{}\", \"cards\": []}}",
            "a".repeat(4085),
            "é".repeat(10)
        );
        assert!(!text.is_char_boundary(4096));
        assert!(!is_crowdanki(&text));
        let crowdanki = format!(
            "{{\"__type__\": \"Deck\", \"name\": \"{}\"}}",
            "é".repeat(3000)
        );
        assert!(is_crowdanki(&crowdanki));
    }

    #[test]
    fn cards_are_made_as_anki_makes_them() {
        assert!(is_crowdanki(DECK));
        let loaded = parse("deck.json", DECK).unwrap();
        let names: Vec<_> = loaded.decks.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Geo", "Geo::Cloze"]);
        assert_eq!(loaded.decks[0].description, "Capitals");
        let geo: Vec<_> = loaded.decks[0]
            .cards
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(geo, ["g1", "g1:reverse", "g2"]);
        assert_eq!(loaded.decks[0].cards[1].front, "Paris");
        assert_eq!(loaded.decks[0].cards[1].back, "France");
        let cloze: Vec<_> = loaded.decks[1]
            .cards
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(cloze, ["g3:c1", "g3:c3"]);
        assert_eq!(loaded.decks[1].cards[1].front, "Rome is in [...]");
    }

    #[test]
    fn a_deck_without_cards_is_an_error() {
        let empty = r#"{"__type__": "Deck", "name": "E", "notes": [], "children": []}"#;
        let err = parse("deck.json", empty).unwrap_err().to_string();
        assert!(
            err.contains("deck.json") && err.contains("no cards"),
            "{err}"
        );
        assert!(parse("deck.json", "{\"__type__\": \"Deck\"").is_err());
    }
}
