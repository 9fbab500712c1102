//! Note types as Anki defines them: named fields and card templates (a
//! front and a back each). Current collections keep them in tables (read
//! in `collection`); older ones, and CrowdAnki files, as JSON, read here.

use std::collections::HashMap;

use serde::Deserialize;

/// A note type: its fields in order and its card templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteType {
    pub name: String,
    /// A cloze note type makes one card per deletion number, from its one template.
    pub cloze: bool,
    pub css: String,
    pub fields: Vec<String>,
    pub templates: Vec<Template>,
}

impl NoteType {
    /// The field that holds notes about the card rather than the card: one
    /// named "Notes" that no template shows (recall's own note types have
    /// it, `write::notetypes`). Its text becomes the card's notes, so a
    /// deck sent to Anki and back keeps them.
    pub fn notes_field(&self) -> Option<usize> {
        let index = self.fields.iter().position(|f| f == "Notes")?;
        // `{{Notes}}`, `{{text:Notes}}`, `{{#Notes}}`… all end so.
        let shown = |t: &Template| t.front.contains("Notes}}") || t.back.contains("Notes}}");
        (!self.templates.iter().any(shown)).then_some(index)
    }
}

/// One card template: what the card's front and back show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The template's number (0-based): a card row's `ord`.
    pub ord: u32,
    pub name: String,
    pub front: String,
    pub back: String,
}

/// A note type in Anki's JSON (the `models` of `col`, CrowdAnki's
/// `note_models`).
#[derive(Debug, Deserialize)]
pub struct JsonNoteType {
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: i64,
    #[serde(default)]
    pub css: String,
    #[serde(default)]
    pub flds: Vec<JsonField>,
    #[serde(default)]
    pub tmpls: Vec<JsonTemplate>,
}

#[derive(Debug, Deserialize)]
pub struct JsonField {
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct JsonTemplate {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub qfmt: String,
    #[serde(default)]
    pub afmt: String,
}

impl From<JsonNoteType> for NoteType {
    fn from(json: JsonNoteType) -> NoteType {
        NoteType {
            name: json.name,
            cloze: json.kind == 1,
            css: json.css,
            fields: json.flds.into_iter().map(|f| f.name).collect(),
            // The list's order is the templates' order: `ord` in the JSON is
            // derived from it, and some generators leave it out.
            templates: json
                .tmpls
                .into_iter()
                .zip(0..)
                .map(|(t, ord)| Template {
                    ord,
                    name: t.name,
                    front: t.qfmt,
                    back: t.afmt,
                })
                .collect(),
        }
    }
}

/// The note types of a schema-11 collection, by id.
pub fn legacy_notetypes(json: &str) -> Result<HashMap<i64, NoteType>, String> {
    let models: HashMap<String, JsonNoteType> =
        serde_json::from_str(json).map_err(|e| format!("note types: {e}"))?;
    models
        .into_iter()
        .map(|(id, m)| Ok((parse_id(&id)?, NoteType::from(m))))
        .collect()
}

#[derive(Deserialize)]
struct JsonDeck {
    name: String,
}

/// The decks of a schema-11 collection: id → name with `::` levels.
pub fn legacy_decks(json: &str) -> Result<HashMap<i64, String>, String> {
    let decks: HashMap<String, JsonDeck> =
        serde_json::from_str(json).map_err(|e| format!("decks: {e}"))?;
    decks
        .into_iter()
        .map(|(id, d)| Ok((parse_id(&id)?, d.name)))
        .collect()
}

fn parse_id(s: &str) -> Result<i64, String> {
    s.parse().map_err(|_| format!("bad id {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_json_gives_fields_and_templates_in_order() {
        let json = r#"{"17": {"name": "Basic (and reversed card)", "type": 0,
            "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
            "tmpls": [{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"},
                      {"name": "Card 2", "qfmt": "{{Back}}", "afmt": "{{Front}}"}]}}"#;
        let types = legacy_notetypes(json).unwrap();
        let t = &types[&17];
        assert_eq!(t.fields, ["Front", "Back"]);
        assert!(!t.cloze);
        assert_eq!(t.templates[1].ord, 1);
        assert_eq!(t.templates[1].front, "{{Back}}");
        assert!(legacy_notetypes(r#"{"x": {"name": "n"}}"#).is_err());
        let decks = legacy_decks(r#"{"1": {"name": "A::B", "dyn": 0}}"#).unwrap();
        assert_eq!(decks[&1], "A::B");
    }

    #[test]
    fn a_notes_field_no_template_shows_holds_the_notes() {
        let mut t = NoteType {
            name: "recall Basic".into(),
            cloze: false,
            css: String::new(),
            fields: vec!["Front".into(), "Back".into(), "Notes".into()],
            templates: vec![Template {
                ord: 0,
                name: "Card 1".into(),
                front: "{{Front}}".into(),
                back: "{{FrontSide}}<hr id=answer>{{Back}}".into(),
            }],
        };
        assert_eq!(t.notes_field(), Some(2));
        // Shown on the card, it is the card's text, not notes about it.
        t.templates[0]
            .back
            .push_str("{{#Notes}}<br>{{Notes}}{{/Notes}}");
        assert_eq!(t.notes_field(), None);
        t.fields[2] = "Extra".into();
        assert_eq!(t.notes_field(), None);
    }
}
