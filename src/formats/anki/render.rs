//! One card of a note, as Anki shows it: the note type's template filled
//! in with the note's fields (and Anki's special fields), then turned into
//! the plain text recall shows. Shared by packages and CrowdAnki files.

use std::collections::BTreeSet;

use super::notetype::{NoteType, Template};
use super::template::{self, CardContext, field_is_empty};
use crate::formats::{cloze, html};

/// A card rendered: its front and back as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub front: String,
    pub back: String,
    /// Its front has a `{{type:…}}` box (on a filled field): Anki asks
    /// for the answer to be typed. The text is rendered as it always was
    /// (the box empty, the back with the expected answer).
    pub typed: bool,
}

/// Why a card cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotShown {
    /// Anki would not make this card: its front names no filled field (or,
    /// for cloze, the note has no deletion with its number).
    EmptyFront,
    /// The note type has no template for this card.
    NoTemplate,
    Template(template::TemplateError),
}

impl std::fmt::Display for NotShown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotShown::EmptyFront => write!(f, "its front is empty"),
            NotShown::NoTemplate => write!(f, "the note type has no template for it"),
            NotShown::Template(e) => write!(f, "its template is broken ({e})"),
        }
    }
}

/// Field names are few: a fast hash over them (each card renders with a map).
pub type FieldMap<'a> = foldhash::HashMap<&'a str, String>;

/// A note ready to render card by card: the fields its templates see (its
/// own by name, and Anki's special fields where no note field has their
/// name), built once; for cloze, its deletion numbers.
pub struct Renderer<'a> {
    notetype: &'a NoteType,
    map: FieldMap<'a>,
    /// The special fields that differ by card, where they are not shadowed.
    per_card: Vec<&'static str>,
    numbers: BTreeSet<u32>,
}

impl<'a> Renderer<'a> {
    pub fn new(notetype: &'a NoteType, fields: &[&str], tags: &str) -> Renderer<'a> {
        let mut map: FieldMap<'a> = notetype
            .fields
            .iter()
            .enumerate()
            .map(|(i, name)| {
                (
                    name.as_str(),
                    fields.get(i).copied().unwrap_or("").to_string(),
                )
            })
            .collect();
        for (name, value) in [
            ("Tags", tags.trim().to_string()),
            ("Type", notetype.name.clone()),
            // Anki names the flag, "flag0" for none.
            ("CardFlag", "flag0".to_string()),
        ] {
            map.entry(name).or_insert(value);
        }
        let per_card = ["Deck", "Subdeck", "Card", "CardID"]
            .into_iter()
            .filter(|name| !map.contains_key(name))
            .collect();
        let numbers = if notetype.cloze {
            map.values().flat_map(|f| cloze::numbers(f)).collect()
        } else {
            BTreeSet::new()
        };
        Renderer {
            notetype,
            map,
            per_card,
            numbers,
        }
    }

    /// Card `ord` of the note, in `deck`: its front and back as Anki
    /// renders them, as text.
    pub fn render(&mut self, deck: &str, card_id: i64, ord: u32) -> Result<Rendered, NotShown> {
        let tmpl = template_for(self.notetype, ord).ok_or(NotShown::NoTemplate)?;
        self.set_card_fields(deck, card_id, tmpl);
        let front_template = template::Template::parse(&tmpl.front).map_err(NotShown::Template)?;
        if !self.exists(&front_template, ord) {
            return Err(NotShown::EmptyFront);
        }
        let mut card = CardContext {
            fields: &self.map,
            ord,
            front_side: None,
        };
        let question = front_template.render(&card).map_err(NotShown::Template)?;
        let typed = front_template.asks_typed(&|name| card.is_nonempty(name).unwrap_or(false));
        card.front_side = Some(&question);
        let answer = template::Template::parse(&tmpl.back)
            .and_then(|t| t.render(&card))
            .map_err(NotShown::Template)?;
        Ok(Rendered {
            front: text_of(&question),
            back: text_of(answer_part(&question, &answer)),
            typed,
        })
    }

    fn set_card_fields(&mut self, deck: &str, card_id: i64, template: &Template) {
        let subdeck = deck.rsplit("::").next().unwrap_or(deck);
        for name in &self.per_card {
            let value = match *name {
                "Deck" => deck.to_string(),
                "Subdeck" => subdeck.to_string(),
                "Card" => template.name.clone(),
                _ => card_id.to_string(),
            };
            self.map.insert(name, value);
        }
    }

    /// Whether Anki has (or would make) card `ord`: a filled field on its
    /// front, or for cloze, a deletion with its number in some field.
    fn exists(&self, front: &template::Template<'_>, ord: u32) -> bool {
        if self.notetype.cloze {
            return self.numbers.contains(&(ord + 1));
        }
        front.renders_with(&|name| self.map.get(name).is_some_and(|f| !field_is_empty(f)))
    }
}

/// The template a card of number `ord` uses: a cloze note type has one
/// template for every deletion number.
fn template_for(notetype: &NoteType, ord: u32) -> Option<&Template> {
    if notetype.cloze {
        notetype.templates.first()
    } else {
        notetype.templates.iter().find(|t| t.ord == ord)
    }
}

/// The back without the front it repeats: what follows `{{FrontSide}}`
/// and the `<hr id=answer>` rule that marks where Anki's answer starts
/// (recall shows the back under the front). A back that repeats the front
/// without that mark is kept whole, as Anki shows it.
fn answer_part<'a>(question: &str, answer: &'a str) -> &'a str {
    let Some(rest) = answer.trim_start().strip_prefix(question.trim()) else {
        return answer;
    };
    let rest = rest.trim_start();
    ["<hr id=answer>", "<hr id=\"answer\">", "<hr id='answer'>"]
        .iter()
        .find_map(|marker| rest.strip_prefix(marker))
        .map_or(answer, str::trim_start)
}

/// Rendered HTML as text, with Anki's LaTeX tags shown as the TeX they
/// hold (a terminal cannot show the images Anki makes of them).
fn text_of(html_text: &str) -> String {
    html::to_text(&latex_as_tex(html_text))
}

/// `[latex]…[/latex]`, `[$]…[/$]` and `[$$]…[/$$]` as TeX: the first as
/// written, the others between `$` and `$$` as Anki typesets them.
fn latex_as_tex(text: &str) -> String {
    if !text.contains("[latex]") && !text.contains("[$") {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (open, close, before, after) in [
        ("[latex]", "[/latex]", "", ""),
        ("[$$]", "[/$$]", "$$", "$$"),
        ("[$]", "[/$]", "$", "$"),
    ] {
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(start) = rest.find(open) {
            let Some(len) = rest[start + open.len()..].find(close) else {
                break;
            };
            result.push_str(&rest[..start]);
            result.push_str(before);
            result.push_str(&rest[start + open.len()..start + open.len() + len]);
            result.push_str(after);
            rest = &rest[start + open.len() + len + close.len()..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(templates: &[(&str, &str)], fields: &[&str], cloze: bool) -> NoteType {
        NoteType {
            name: "T".into(),
            cloze,
            css: String::new(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
            templates: templates
                .iter()
                .zip(0..)
                .map(|((front, back), ord)| Template {
                    ord,
                    name: format!("Card {}", ord + 1),
                    front: front.to_string(),
                    back: back.to_string(),
                })
                .collect(),
        }
    }

    fn render(nt: &NoteType, fields: &[&str], ord: u32) -> Result<Rendered, NotShown> {
        Renderer::new(nt, fields, " a b ").render("Lang::French", 7, ord)
    }

    #[test]
    fn front_side_and_the_answer_rule_are_left_out_of_the_back() {
        let nt = basic(
            &[
                ("{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"),
                (
                    "{{Back}}",
                    "{{FrontSide}}<hr id=answer>{{Front}} ({{Deck}}, {{Tags}})",
                ),
            ],
            &["Front", "Back"],
            false,
        );
        let card = render(&nt, &["le chat", "the cat"], 0).unwrap();
        assert_eq!(
            (card.front.as_str(), card.back.as_str()),
            ("le chat", "the cat")
        );
        let card = render(&nt, &["le chat", "the cat"], 1).unwrap();
        assert_eq!(card.back, "le chat (Lang::French, a b)");
    }

    #[test]
    fn a_back_that_repeats_the_front_without_the_answer_rule_is_whole() {
        let nt = basic(
            &[("{{Front}}", "{{FrontSide}} {{Back}}")],
            &["Front", "Back"],
            false,
        );
        let card = render(&nt, &["q", "a"], 0).unwrap();
        assert_eq!(card.back, "q a");
    }

    #[test]
    fn cards_exist_as_anki_makes_them() {
        let nt = basic(
            &[
                ("{{Front}}", "{{Back}}"),
                ("{{#Add Reverse}}{{Back}}{{/Add Reverse}}", "{{Front}}"),
            ],
            &["Front", "Back", "Add Reverse"],
            false,
        );
        assert!(render(&nt, &["f", "b", "y"], 1).is_ok());
        assert_eq!(render(&nt, &["f", "b", ""], 1), Err(NotShown::EmptyFront));
        assert_eq!(render(&nt, &["f", "b"], 5), Err(NotShown::NoTemplate));
        // A back that renders empty is allowed.
        let card = render(&nt, &["f", ""], 0).unwrap();
        assert_eq!(card.back, "");
    }

    #[test]
    fn cloze_cards_from_any_field_the_template_names() {
        let nt = basic(
            &[("{{cloze:Extra}}", "{{cloze:Extra}}<br>{{Text}}")],
            &["Text", "Extra"],
            true,
        );
        let fields = ["note", "{{c1::Paris}} is in {{c2::France}}"];
        let card = render(&nt, &fields, 1).unwrap();
        assert_eq!(card.front, "Paris is in [...]");
        assert_eq!(card.back, "Paris is in France\nnote");
        assert_eq!(render(&nt, &fields, 2), Err(NotShown::EmptyFront));
    }

    #[test]
    fn a_type_box_on_the_front_asks_for_a_typed_answer_and_renders_as_before() {
        let nt = basic(
            &[
                (
                    "{{Front}}\n\n{{type:Back}}",
                    "{{Front}}<hr id=answer>{{type:Back}}",
                ),
                ("{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
                ("{{#Extra}}{{type:Extra}}{{/Extra}}{{Front}}", "{{Extra}}"),
            ],
            &["Front", "Back", "Extra"],
            false,
        );
        let card = render(&nt, &["le chat", "the cat", ""], 0).unwrap();
        assert!(card.typed);
        assert_eq!(
            (card.front.as_str(), card.back.as_str()),
            ("le chat", "the cat")
        );
        assert!(!render(&nt, &["le chat", "the cat", ""], 1).unwrap().typed);
        // The box is in a section switched off (and its field empty).
        assert!(!render(&nt, &["le chat", "the cat", ""], 2).unwrap().typed);
        assert!(render(&nt, &["le chat", "the cat", "x"], 2).unwrap().typed);
        let cloze = basic(
            &[("{{cloze:Text}} {{type:cloze:Text}}", "{{cloze:Text}}")],
            &["Text"],
            true,
        );
        let card = render(&cloze, &["{{c1::Paris}} is big"], 0).unwrap();
        assert!(card.typed);
        assert_eq!(card.front, "[...] is big");
    }

    #[test]
    fn latex_shows_its_tex() {
        assert_eq!(
            latex_as_tex("a [latex]\\alpha[/latex] [$]x^2[/$] [$$]y[/$$] [latex]open"),
            "a \\alpha $x^2$ $$y$$ [latex]open"
        );
    }
}
