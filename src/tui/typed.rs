//! Typed answers on the review screen (issue 21): a card that asks for
//! its answer typed opens with a text field; Enter compares what was typed
//! with the back (`domain::typed`) and shows the answer with the
//! comparison and a suggested grade, which Enter or Space records (a digit
//! records another); Esc leaves the field and the card flips as any other.
//! The state and its keys are here; `widgets::typed` draws them.

use crate::domain::typed::{self, Comparison};

use super::app::{App, Screen};
use super::effects::Effect;

/// What a key does on the text field (see `keys::table` for the keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedAction {
    Type(char),
    /// Backspace: the character before the cursor.
    Erase,
    /// Delete: the character under the cursor.
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Enter: compare, and show the answer.
    Submit,
    /// Esc: no typing for this card; it flips as any other.
    Cancel,
}

/// A one-line text field: its characters and the cursor between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    chars: Vec<char>,
    /// 0 ..= chars.len(): the cursor is before `chars[cursor]`.
    cursor: usize,
}

/// The most a typed answer holds: far past any answer, short of a paste
/// of a book.
const MAX_CHARS: usize = 2000;

impl Field {
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Applies an editing key; `Submit` and `Cancel` are the caller's.
    pub fn edit(&mut self, action: TypedAction) {
        match action {
            // A control character (a pasted tab or line end) types a space.
            TypedAction::Type(c) if self.chars.len() < MAX_CHARS => {
                let c = if c.is_control() { ' ' } else { c };
                self.chars.insert(self.cursor, c);
                self.cursor += 1;
            }
            TypedAction::Erase if self.cursor > 0 => {
                self.cursor -= 1;
                self.chars.remove(self.cursor);
            }
            TypedAction::Delete if self.cursor < self.chars.len() => {
                self.chars.remove(self.cursor);
            }
            TypedAction::Left => self.cursor = self.cursor.saturating_sub(1),
            TypedAction::Right => self.cursor = (self.cursor + 1).min(self.chars.len()),
            TypedAction::Home => self.cursor = 0,
            TypedAction::End => self.cursor = self.chars.len(),
            _ => {}
        }
    }
}

/// Where a typed card is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypedState {
    /// The answer is being typed (the card's front is on screen).
    Typing(Field),
    /// Submitted: the answer is shown with the comparison.
    Compared(Comparison),
}

impl TypedState {
    /// The state a card starts in: typing if it asks for it.
    pub fn for_card(typed: bool) -> Option<TypedState> {
        typed.then(|| TypedState::Typing(Field::default()))
    }

    /// The grade the comparison suggests, once there is one.
    pub fn suggestion(&self) -> Option<u8> {
        match self {
            TypedState::Compared(c) => Some(c.suggested.value()),
            TypedState::Typing(_) => None,
        }
    }
}

impl App {
    /// A key on the text field.
    pub(super) fn typed_key(&mut self, action: TypedAction) -> Effect {
        let how = self.ctx.typed;
        let Screen::Review(shown) = &mut self.screen else {
            return Effect::None;
        };
        let Some(TypedState::Typing(field)) = &mut shown.typed else {
            return Effect::None;
        };
        match action {
            TypedAction::Submit => {
                let compared = typed::compare_card(&field.text(), &shown.card, how);
                shown.typed = Some(TypedState::Compared(compared));
                shown.revealed = true;
                shown.scroll = 0;
            }
            TypedAction::Cancel => shown.typed = None,
            edit => field.edit(edit),
        }
        Effect::None
    }

    /// Enter or Space on the answer: the suggested grade, where there is one.
    pub(super) fn accept_suggestion(&mut self) -> Effect {
        let suggested = match &self.screen {
            Screen::Review(shown) => shown.typed.as_ref().and_then(TypedState::suggestion),
            _ => None,
        };
        match suggested {
            Some(q) => self.grade(q),
            None => {
                self.info("Grade it: 0 – 5.");
                Effect::None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(field: &mut Field, text: &str) {
        for c in text.chars() {
            field.edit(TypedAction::Type(c));
        }
    }

    #[test]
    fn the_field_edits_at_its_cursor() {
        let mut field = Field::default();
        typed(&mut field, "Pars");
        field.edit(TypedAction::Left);
        typed(&mut field, "i");
        assert_eq!((field.text().as_str(), field.cursor()), ("Paris", 4));
        field.edit(TypedAction::Left);
        field.edit(TypedAction::Left);
        field.edit(TypedAction::Erase);
        assert_eq!((field.text().as_str(), field.cursor()), ("Pris", 1));
        field.edit(TypedAction::Delete);
        assert_eq!((field.text().as_str(), field.cursor()), ("Pis", 1));
        field.edit(TypedAction::Home);
        field.edit(TypedAction::Erase);
        field.edit(TypedAction::Left);
        assert_eq!((field.text().as_str(), field.cursor()), ("Pis", 0));
        field.edit(TypedAction::End);
        field.edit(TypedAction::Right);
        field.edit(TypedAction::Delete);
        typed(&mut field, "\t!");
        assert_eq!((field.text().as_str(), field.cursor()), ("Pis !", 5));
    }

    #[test]
    fn the_field_holds_a_bounded_answer() {
        let mut field = Field::default();
        typed(&mut field, &"x".repeat(MAX_CHARS + 10));
        assert_eq!(field.chars().len(), MAX_CHARS);
    }
}
