//! Markdown decks, for people who write cards in an editor. The README
//! defines the format; in short:
//!
//! ```text
//! # Deck name
//! Optional description.
//!
//! ---
//! ID: memcached-threads
//! Tags: elasticache caching
//! Type: yes
//! Q: Which ElastiCache engine is multi-threaded?
//! A: Memcached
//! N: notes
//! ---
//! ```
//!
//! Cards are separated by `---` lines. `Q:`, `A:` and `N:` start sections
//! that run to the next marker line; fenced code (``` or ~~~) is kept
//! verbatim, markers inside it included. Outside fences a leading `\` on a
//! continuation line is removed, so `\---` or `\Q:` is text.

mod scan;
mod syntax;

use super::{derived_id, line_error, normalize_text, push_entry_cards, validate};
use crate::domain::{CardDraft, DeckDraft};
use crate::error::Result;
use scan::{Entry, Located};
pub(super) use syntax::Fences;
pub use syntax::escape_section;

/// A parsed Markdown deck, with what `--write-ids` needs.
#[derive(Debug)]
pub struct MarkdownDeck {
    pub deck: DeckDraft,
    /// For each card written without `ID:`: the 0-based line of its `Q:`
    /// and the id it was given.
    pub missing_ids: Vec<(usize, String)>,
}

/// Parses a Markdown deck; `stem` names the deck when there is no `# ` heading.
pub fn parse(file: &str, stem: &str, text: &str) -> Result<MarkdownDeck> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let at = |(line, message): Located| line_error(file, line + 1, message);
    let lines = syntax::classify(text).map_err(|(line, fence)| {
        at((
            line,
            format!(
                "a code fence ({fence}) opens here and is never closed, so every card after it \
                 would be part of this one; close it with a line of {fence}"
            ),
        ))
    })?;
    let (header, entries) = scan::scan(lines).map_err(at)?;
    let cards = assemble(&entries).map_err(at)?;
    let deck = DeckDraft {
        name: header.name.unwrap_or_else(|| stem.to_string()),
        description: joined(&header.description),
        position: None,
        cards: cards.cards,
    };
    let origins = cards.origins;
    validate(&deck, |i, message| {
        at((origins.get(i).copied().unwrap_or(0), message))
    })?;
    Ok(MarkdownDeck {
        deck,
        missing_ids: cards.missing_ids,
    })
}

/// The cards of a file's entries, with where each came from.
struct Assembled {
    cards: Vec<CardDraft>,
    /// The 0-based `Q:` line of each card, for the checks' errors.
    origins: Vec<usize>,
    missing_ids: Vec<(usize, String)>,
}

/// Turns each non-blank entry into its cards (a cloze or `Reverse:` entry
/// gives several), deriving the ids of entries written without one.
fn assemble(entries: &[Entry]) -> std::result::Result<Assembled, Located> {
    let mut out = Assembled {
        cards: Vec::new(),
        origins: Vec::new(),
        missing_ids: Vec::new(),
    };
    for entry in entries.iter().filter(|e| !e.is_blank()) {
        let Some(q_line) = entry.q_line else {
            return Err((entry.first_line, "this card has no Q: line".into()));
        };
        let front = joined(&entry.q);
        let key = match &entry.id {
            Some(id) => id.clone(),
            None => {
                let id = derived_id(&normalize_text(&front));
                out.missing_ids.push((q_line, id.clone()));
                id
            }
        };
        let draft = CardDraft {
            key,
            front,
            back: joined(&entry.a),
            notes: joined(&entry.n),
            tags: entry.tags.clone(),
            typed: entry.typed,
        };
        let n = push_entry_cards(&mut out.cards, draft, entry.reverse);
        out.origins.extend(std::iter::repeat_n(q_line, n));
    }
    Ok(out)
}

/// A section's lines as one text, without the blank lines at its ends.
fn joined(lines: &[String]) -> String {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => lines[s..=e].join("\n"),
        _ => String::new(),
    }
}

/// `text` with an `ID:` line written above each `Q:` that had none
/// (`--write-ids`). `None` when every card already has one.
pub fn with_ids(text: &str, missing: &[(usize, String)]) -> Option<String> {
    if missing.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + missing.len() * 48);
    let mut next = missing.iter().peekable();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if let Some((_, id)) = next.next_if(|(at, _)| *at == i) {
            out.push_str("ID: ");
            out.push_str(id);
            out.push('\n');
        }
        out.push_str(line);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = "# Caching\nEngines compared.\n\n---\nID: mc\nTags: a b\n\
        Q: Which engine is multi-threaded?\nA: Memcached\n\nRedis is not.\nN: a note\n---\n\
        Q: Draw it\nA:\n```\nQ: kept\n---\n```\nReverse: yes\n---\n";

    #[test]
    fn parses_the_documented_shape() {
        let md = parse("d.md", "d", DECK).unwrap();
        let deck = md.deck;
        assert_eq!(deck.name, "Caching");
        assert_eq!(deck.description, "Engines compared.");
        assert_eq!(deck.cards.len(), 3);
        assert_eq!(deck.cards[0].key, "mc");
        assert_eq!(deck.cards[0].tags, ["a", "b"]);
        assert_eq!(deck.cards[0].back, "Memcached\n\nRedis is not.");
        assert_eq!(deck.cards[0].notes, "a note");
        assert_eq!(deck.cards[1].back, "```\nQ: kept\n---\n```");
        assert_eq!(deck.cards[2].front, deck.cards[1].back);
        assert_eq!(md.missing_ids.len(), 1);
        assert_eq!(md.missing_ids[0].0, 12);
    }

    #[test]
    fn type_yes_asks_for_a_typed_answer() {
        let md = parse("d.md", "d", "---\nType: yes\nQ: a\nA: b\n---\nQ: c\nA: d\n").unwrap();
        let typed: Vec<bool> = md.deck.cards.iter().map(|c| c.typed).collect();
        assert_eq!(typed, [true, false]);
        let e = parse("d.md", "d", "---\nQ: a\nA: b\nType: maybe\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.md:4:1: Type: takes yes or no, not \"maybe\""
        );
    }

    #[test]
    fn write_ids_inserts_above_the_question() {
        let md = parse("d.md", "d", DECK).unwrap();
        let written = with_ids(DECK, &md.missing_ids).unwrap();
        let again = parse("d.md", "d", &written).unwrap();
        assert!(again.missing_ids.is_empty());
        assert_eq!(again.deck, md.deck);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("d.md", "d", "# D\n---\nA: no question\n").unwrap_err();
        assert_eq!(e.to_string(), "d.md:3:1: this card has no Q: line");
        let e = parse("d.md", "d", "# D\n---\nQ: a\nQ: b\n").unwrap_err();
        assert!(e.to_string().starts_with("d.md:4:1: a second Q:"), "{e}");
        let e = parse("d.md", "d", "# D\n---\nQ: x\nA: y\n---\nQ: x\nA: z\n").unwrap_err();
        assert!(e.to_string().starts_with("d.md:6:1: duplicate id"), "{e}");
    }

    #[test]
    fn an_unclosed_code_fence_is_an_error_at_the_line_it_opens() {
        let text = "# D\n---\nQ: a\nA:\n~~~\ncode\n---\nQ: b\nA: c\n";
        let e = parse("d.md", "d", text).unwrap_err().to_string();
        assert!(
            e.starts_with("d.md:5:1: a code fence (~~~) opens here and is never closed"),
            "{e}"
        );
        // A fence of the other kind does not close it.
        let e = parse("d.md", "d", "Q: a\nA:\n```\n~~~\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("d.md:3:1: a code fence (```)"), "{e}");
    }

    #[test]
    fn escaped_sections_read_back() {
        for text in [
            "a\n---\nQ: b\n\\c",
            "x\n```\nQ: in fence\n```\ny",
            "a\n```\nopen",
        ] {
            let md = format!(
                "# D\n---\nID: i\nQ: q\nA: {}\n",
                escape_section(text, false)
            );
            let deck = parse("d.md", "d", &md).unwrap().deck;
            assert_eq!(deck.cards[0].back, text);
        }
    }
}
