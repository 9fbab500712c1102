//! Anki's card template language, parsed and rendered as Anki does it (its
//! `rslib/src/template.rs` is the reference): `{{Field}}`, `{{FrontSide}}`,
//! sections `{{#Field}}…{{/Field}}` and `{{^Field}}…{{/Field}}`, filters
//! `{{filter:Field}}` applied right to left. The filters themselves are in
//! `filters`. Pure: text in, HTML out.

use super::filters;
use super::render::FieldMap;

/// A template that does not parse, or names a field the note type lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    NotClosed(String),
    WrongClose {
        closed: String,
        open: Option<String>,
    },
    NoSuchField(String),
    TooDeep,
}

/// Sections nested deeper than this are refused: rendering walks them
/// recursively, and no real template comes close.
const MAX_SECTION_DEPTH: usize = 64;

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::NotClosed(name) => write!(f, "{{{{#{name}}}}} is never closed"),
            TemplateError::WrongClose {
                closed,
                open: Some(open),
            } => write!(f, "{{{{/{closed}}}}} closes {{{{#{open}}}}}"),
            TemplateError::WrongClose { closed, open: None } => {
                write!(f, "{{{{/{closed}}}}} closes nothing")
            }
            TemplateError::NoSuchField(name) => write!(f, "there is no field called {name:?}"),
            TemplateError::TooDeep => {
                write!(f, "sections nested deeper than {MAX_SECTION_DEPTH}")
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Node<'a> {
    Text(&'a str),
    /// `{{a:b:Field}}`: `filters` in the order they apply (b, then a).
    Field {
        name: &'a str,
        filters: Vec<&'a str>,
    },
    Section {
        name: &'a str,
        negated: bool,
        children: Vec<Node<'a>>,
    },
}

/// A parsed template.
#[derive(Debug, PartialEq, Eq)]
pub struct Template<'a>(Vec<Node<'a>>);

enum Token<'a> {
    Text(&'a str),
    Field(&'a str),
    Open(&'a str, bool),
    Close(&'a str),
}

/// `{{…}}` tags and the text between them; `<!-- … -->` comments are text
/// (their tags are not read), as in Anki.
fn tokens(template: &str) -> Vec<Token<'_>> {
    // The legacy `{{=<% %>=}}` directive switches the delimiters.
    let (text, open, close) = match template.trim_start().strip_prefix("{{=<% %>=}}") {
        Some(rest) => (rest, "<%", "%>"),
        None => (template, "{{", "}}"),
    };
    let mut out = Vec::new();
    let mut at = 0;
    // Where the next tag and comment start, each found once and not again
    // until passed: searching afresh at every token would be quadratic.
    let mut tag = text.find(open);
    let mut comment = text.find("<!--");
    while at < text.len() {
        if tag.is_some_and(|t| t < at) {
            tag = text[at..].find(open).map(|t| at + t);
        }
        if comment.is_some_and(|c| c < at) {
            comment = text[at..].find("<!--").map(|c| at + c);
        }
        let (start, end, token) = match (tag, comment) {
            (_, Some(c)) if tag.is_none_or(|t| c < t) => match text[c..].find("-->") {
                Some(e) => (c, c + e + 3, Token::Text(&text[c..c + e + 3])),
                None => break,
            },
            (Some(t), _) => match text[t + open.len()..].find(close) {
                Some(e) => {
                    let inner = &text[t + open.len()..t + open.len() + e];
                    (t, t + open.len() + e + close.len(), classify(inner))
                }
                None => break,
            },
            _ => break,
        };
        if start > at {
            out.push(Token::Text(&text[at..start]));
        }
        out.push(token);
        at = end;
    }
    if at < text.len() {
        out.push(Token::Text(&text[at..]));
    }
    out
}

fn classify(inner: &str) -> Token<'_> {
    let inner = inner.trim_start_matches('{').trim();
    if inner.len() < 2 {
        return Token::Field(inner);
    }
    if let Some(name) = inner.strip_prefix('#') {
        Token::Open(name.trim_start(), false)
    } else if let Some(name) = inner.strip_prefix('^') {
        Token::Open(name.trim_start(), true)
    } else if let Some(name) = inner.strip_prefix('/') {
        Token::Close(name.trim_start())
    } else {
        Token::Field(inner)
    }
}

impl<'a> Template<'a> {
    pub fn parse(text: &'a str) -> Result<Template<'a>, TemplateError> {
        // Sections nest on an explicit stack, and only so deep: a hostile
        // template cannot exhaust the call stack.
        let mut stack: Vec<(&'a str, bool, Vec<Node<'a>>)> = Vec::new();
        let mut nodes = Vec::new();
        for token in tokens(text) {
            match token {
                Token::Text(t) => nodes.push(Node::Text(t)),
                Token::Field(inner) => {
                    let mut parts = inner.rsplit(':');
                    let name = parts.next().unwrap_or_default();
                    nodes.push(Node::Field {
                        name,
                        filters: parts.collect(),
                    });
                }
                Token::Open(..) if stack.len() >= MAX_SECTION_DEPTH => {
                    return Err(TemplateError::TooDeep);
                }
                Token::Open(name, negated) => {
                    stack.push((name, negated, std::mem::take(&mut nodes)));
                }
                Token::Close(closed) => match stack.pop() {
                    Some((name, negated, outer)) if name == closed => {
                        let children = std::mem::replace(&mut nodes, outer);
                        nodes.push(Node::Section {
                            name,
                            negated,
                            children,
                        });
                    }
                    open => {
                        return Err(TemplateError::WrongClose {
                            closed: closed.to_string(),
                            open: open.map(|(name, ..)| name.to_string()),
                        });
                    }
                },
            }
        }
        match stack.pop() {
            Some((name, ..)) => Err(TemplateError::NotClosed(name.to_string())),
            None => Ok(Template(nodes)),
        }
    }

    /// Anki's rule for whether a card exists: the front names at least one
    /// non-empty field outside a section that is switched off. Only which
    /// fields are filled counts, not what they render to.
    pub fn renders_with(&self, nonempty: &dyn Fn(&str) -> bool) -> bool {
        any_field(&self.0, nonempty, &|name, _| nonempty(name))
    }

    /// Whether the template shows a box to type the answer into: a
    /// `{{type:Field}}` (or `type:cloze:`, `type:nc:`) on a filled field,
    /// outside sections switched off. `filled` says which fields (and
    /// cloze numbers) are.
    pub fn asks_typed(&self, filled: &dyn Fn(&str) -> bool) -> bool {
        any_field(&self.0, filled, &|name, filters| {
            filters.last() == Some(&"type") && filled(name)
        })
    }

    /// The template filled in: HTML, as Anki would hand it to its web view.
    pub fn render(&self, card: &CardContext<'_>) -> Result<String, TemplateError> {
        let mut out = String::new();
        self.render_into(&self.0, card, &mut out)?;
        Ok(out)
    }

    fn render_into(
        &self,
        nodes: &[Node<'_>],
        card: &CardContext<'_>,
        out: &mut String,
    ) -> Result<(), TemplateError> {
        for node in nodes {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Field {
                    name: "FrontSide", ..
                } => {
                    out.push_str(card.front_side.unwrap_or_default());
                }
                // `{{filter:}}`: a filter with no field adds nothing here.
                Node::Field { name: "", .. } => {}
                Node::Field { name, filters } => {
                    let text = card
                        .fields
                        .get(name)
                        .ok_or_else(|| TemplateError::NoSuchField(name.to_string()))?;
                    out.push_str(&filters::apply(text, filters, name, card));
                }
                Node::Section {
                    name,
                    negated,
                    children,
                } => {
                    let shown = card.is_nonempty(name)? != *negated;
                    // A section switched off is still checked for errors.
                    let mut discard = String::new();
                    self.render_into(children, card, if shown { out } else { &mut discard })?;
                }
            }
        }
        Ok(())
    }
}

/// Whether any field reference in `nodes` outside sections switched off
/// (`nonempty` says which fields are filled) is one that `wanted` (name,
/// filters) asks for.
fn any_field(
    nodes: &[Node<'_>],
    nonempty: &dyn Fn(&str) -> bool,
    wanted: &dyn Fn(&str, &[&str]) -> bool,
) -> bool {
    nodes.iter().any(|node| match node {
        Node::Text(_) => false,
        Node::Field { name, filters } => wanted(name, filters),
        Node::Section {
            name,
            negated,
            children,
        } => nonempty(name) != *negated && any_field(children, nonempty, wanted),
    })
}

/// What a template is rendered with: the note's fields (and Anki's special
/// fields), which card of the note it is, and for the back, the front.
pub struct CardContext<'a> {
    pub fields: &'a FieldMap<'a>,
    /// The card's template number; for cloze note types the deletion number − 1.
    pub ord: u32,
    /// The rendered front, while rendering the back.
    pub front_side: Option<&'a str>,
}

impl CardContext<'_> {
    /// Anki's "is this field empty": only whitespace and empty `<br>`/`<div>` tags.
    pub fn is_nonempty(&self, name: &str) -> Result<bool, TemplateError> {
        match self.fields.get(name) {
            Some(text) => Ok(!field_is_empty(text)),
            // `{{#c2}}`: is this card deletion 2?
            None if is_cloze_number(name) => Ok(name[1..].parse() == Ok(self.ord + 1)),
            None => Err(TemplateError::NoSuchField(name.to_string())),
        }
    }

    pub fn question(&self) -> bool {
        self.front_side.is_none()
    }
}

fn is_cloze_number(name: &str) -> bool {
    name.strip_prefix('c')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// True for text that is only whitespace and `<br>`, `<div>`, `</div>` tags.
pub fn field_is_empty(text: &str) -> bool {
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let Some(tag) = rest.strip_prefix('<') else {
            return false;
        };
        let Some(end) = tag.find('>') else {
            return false;
        };
        let inner = tag[..end].trim_start_matches('/');
        let inner = inner.strip_suffix('/').unwrap_or(inner).trim_end();
        if !inner.eq_ignore_ascii_case("br") && !inner.eq_ignore_ascii_case("div") {
            return false;
        }
        rest = tag[end + 1..].trim_start();
    }
    true
}

#[cfg(test)]
mod tests;
