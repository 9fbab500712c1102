//! The native deck format (TOML). The README documents it.

use toml::Spanned;

use super::native::{CardEntry, DeckFile, draft};
use super::validate;
use crate::domain::DeckDraft;
use crate::error::{Error, Result};

/// Parses a TOML deck. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<DeckDraft> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let deck: DeckFile<Spanned<CardEntry>> = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        Error::at_offset(file, text, offset, e.message().trim_end())
    })?;

    let (draft, origins) = draft(
        &deck.name,
        &deck.description,
        deck.order,
        deck.cards.into_iter().map(|e| {
            let start = e.span().start;
            (e.into_inner(), start)
        }),
    );
    validate(&draft, |i, message| {
        Error::at_offset(file, text, origins.get(i).copied().unwrap_or(0), message)
    })?;
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = r#"
name = "Redis vs Memcached"
description = "ElastiCache engines compared"

[[cards]]
id = "memcached-threads"
front = "Which ElastiCache engine is multi-threaded?"
back = "Memcached"
notes = "Redis (as the lesson describes it) is single-threaded."
tags = ["elasticache"]
reverse = false

[[cards]]
id = "diagram"
front = "Draw it"
back = '''
┌──────┐
│  A   │   spaces kept
└──────┘'''
reverse = true
"#;

    fn err(text: &str) -> String {
        parse("deck.toml", text).unwrap_err().to_string()
    }

    #[test]
    fn parses_the_documented_example() {
        let deck = parse("deck.toml", DECK).unwrap();
        assert_eq!(deck.name, "Redis vs Memcached");
        assert_eq!(deck.description, "ElastiCache engines compared");
        let keys: Vec<_> = deck.cards.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["memcached-threads", "diagram", "diagram:reverse"]);
        assert_eq!(deck.cards[0].tags, ["elasticache"]);
        assert_eq!(
            deck.cards[1].back,
            "┌──────┐\n│  A   │   spaces kept\n└──────┘"
        );
        assert_eq!(deck.cards[2].front, deck.cards[1].back);
        assert_eq!(deck.cards[2].back, "Draw it");
    }

    #[test]
    fn type_true_asks_for_a_typed_answer_and_its_reverse_too() {
        let deck = parse(
            "d.toml",
            "name = \"x\"\n[[cards]]\nid = \"a\"\nfront = \"q\"\nback = \"b\"\ntype = true\n\
             reverse = true\n[[cards]]\nid = \"c\"\nfront = \"q2\"\nback = \"b\"\n",
        )
        .unwrap();
        let typed: Vec<_> = deck
            .cards
            .iter()
            .map(|c| (c.key.as_str(), c.typed))
            .collect();
        assert_eq!(typed, [("a", true), ("a:reverse", true), ("c", false)]);
        let e = err("name = \"x\"\n[[cards]]\nfront = \"q\"\nback = \"b\"\ntype = \"yes\"\n");
        assert!(e.starts_with("deck.toml:5:"), "{e}");
    }

    #[test]
    fn the_order_key_places_the_deck_and_must_be_a_count() {
        assert_eq!(parse("d.toml", DECK).unwrap().position, None);
        let ordered = format!("order = 3\n{DECK}");
        assert_eq!(parse("d.toml", &ordered).unwrap().position, Some(3));
        let e = err("name = \"x\"\norder = -1\n");
        assert!(e.starts_with("deck.toml:2:"), "{e}");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let e = err("name = \"x\"\n\n[[cards]]\nid = \"a\"\nfront = \"q\"\nbak = \"typo\"\n");
        assert!(e.starts_with("deck.toml:6:1: "), "{e}");
        assert!(e.contains("bak"), "{e}");
    }

    #[test]
    fn missing_back_is_an_error_at_the_card() {
        let e = err("name = \"x\"\n\n[[cards]]\nid = \"a\"\nfront = \"q\"\n");
        assert!(
            e.starts_with("deck.toml:3:1: the card's back is empty"),
            "{e}"
        );
    }

    #[test]
    fn a_cloze_card_needs_no_back() {
        let deck = parse(
            "d.toml",
            "name = \"x\"\n[[cards]]\nid = \"c\"\nfront = \"{{c1::Aurora}} is MySQL-compatible\"\n",
        )
        .unwrap();
        assert_eq!(deck.cards.len(), 1);
        assert_eq!(deck.cards[0].key, "c:c1");
        assert_eq!(deck.cards[0].front, "[...] is MySQL-compatible");
        assert_eq!(deck.cards[0].back, "Aurora is MySQL-compatible");
    }

    #[test]
    fn duplicate_ids_and_empty_sides_are_refused() {
        let dup = "name = \"x\"\n[[cards]]\nid = \"a\"\nfront = \"q\"\nback = \"b\"\n\
                   [[cards]]\nid = \"a\"\nfront = \"q2\"\nback = \"b\"\n";
        let e = err(dup);
        assert!(e.starts_with("deck.toml:6:1: duplicate id \"a\""), "{e}");
        let empty = "name = \"x\"\n[[cards]]\nid = \"a\"\nfront = \"  \"\nback = \"b\"\n";
        assert!(err(empty).contains("front is empty"));
        assert!(err("name = \" \"\n").contains("no name"));
    }

    #[test]
    fn cards_without_an_id_get_a_derived_one() {
        let deck = parse(
            "d.toml",
            "name = \"x\"\n[[cards]]\nfront = \"Hi there\"\nback = \"b\"\n",
        )
        .unwrap();
        assert!(deck.cards[0].key.starts_with("hi-there-"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let e = err("name = \"x\"\n[[cards]\n");
        assert!(e.starts_with("deck.toml:2:"), "{e}");
    }
}
