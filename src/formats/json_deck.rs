//! JSON decks: the TOML structure, `{"name", "description", "cards": [{"id",
//! "front", "back", "notes", "tags", "reverse"}]}`.

use super::native::{CardEntry, DeckFile, draft};
use super::{file_error, validate};
use crate::domain::DeckDraft;
use crate::error::{Error, Result};

/// Parses a JSON deck. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<DeckDraft> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let deck: DeckFile<CardEntry> = serde_json::from_str(text).map_err(|e| Error::Parse {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let (draft, origins) = draft(
        &deck.name,
        &deck.description,
        deck.order,
        deck.cards.into_iter().enumerate().map(|(i, c)| (c, i)),
    );
    validate(&draft, |i, message| {
        let message = match origins.get(i) {
            Some(entry) => format!("cards[{entry}]: {message}"),
            None => message,
        };
        file_error(file, message)
    })?;
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_structure_as_toml() {
        let deck = parse(
            "d.json",
            r#"{"name": "N", "cards": [
                {"id": "a", "front": "Q", "back": "A", "tags": ["t"], "reverse": true},
                {"front": "{{c1::x}} y", "back": ""}
            ]}"#,
        )
        .unwrap();
        let keys: Vec<_> = deck.cards.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys[..2], ["a", "a:reverse"]);
        assert!(keys[2].ends_with(":c1"), "{keys:?}");
        assert_eq!(deck.cards[2].front, "[...] y");
    }

    #[test]
    fn errors_are_located() {
        let e = parse("d.json", "{\"name\": \"N\",\n \"cardz\": []}").unwrap_err();
        assert!(e.to_string().starts_with("d.json:2:"), "{e}");
        let e = parse(
            "d.json",
            r#"{"name": "N", "cards": [{"id": "a", "front": "Q", "back": "A"},
                {"id": "a", "front": "Q2", "back": "A"}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("cards[1]: duplicate id"), "{e}");
    }
}
