//! carddown notes (github.com/martintrojer/carddown), read as its parser
//! reads them:
//!
//! - a line with `#flashcard` starts a card: the line (tags cut off) is
//!   the front, the lines after it up to an end line (`---`, `- - -`,
//!   `***`, `* * *`) are the back;
//! - a line `question : answer 🧠` (or `… #flashcard`) is a card on its own;
//! - other `#tags` on the card's line are its tags; a file that says
//!   `@carddown-ignore` has no cards.
//!
//! Where carddown would silently drop a card (a block with no end line, or
//! one cut short by the next `#flashcard`), recall reports it as skipped.
//! Ids are derived from the front (`derived_id`, `-2` for a repeated one);
//! carddown's own are hashes of the whole card.

use super::foreign::DeckBuilder;
use super::{Loaded, file_error, normalize_text, trim_blank_lines};
use crate::domain::CardDraft;
use crate::error::{Error, Result};

const BLOCK_TAG: &str = "#flashcard";
const MICRO_MARK: char = '🧠';

/// Parses a carddown file into one deck named `stem`.
pub fn parse(file: &str, stem: &str, text: &str) -> Result<Loaded> {
    let text = normalize_text(text.strip_prefix('\u{feff}').unwrap_or(text));
    if text.contains("@carddown-ignore") {
        return Err(no_cards(file, "the file says @carddown-ignore"));
    }
    let mut loaded = Loaded::default();
    let mut found: Vec<(usize, CardDraft)> = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        if line.contains(BLOCK_TAG) || line.contains(MICRO_MARK) {
            let card = match micro_card(line) {
                Some(card) => Some(card),
                None if line.contains(BLOCK_TAG) => {
                    let front = strip_tags(line);
                    if front.is_empty() {
                        continue;
                    }
                    let block = Block {
                        line: i + 1,
                        front: front.to_string(),
                        tags: tags(line),
                        back: Vec::new(),
                    };
                    abandon(&mut loaded, open.replace(block));
                    continue;
                }
                None => None,
            };
            if let Some(card) = card.filter(|c| !c.front.is_empty()) {
                abandon(&mut loaded, open.take());
                found.push((i + 1, card));
            }
        } else if is_end_line(line) && open.is_some() {
            if let Some(block) = open.take() {
                found.push((block.line, block.card()));
            }
        } else if let Some(block) = &mut open {
            block.back.push(line);
        }
    }
    abandon(&mut loaded, open);
    let unfinished = loaded.skipped.len();
    let mut deck = DeckBuilder::new(file, stem)?;
    for (line, card) in found {
        deck.push(card, line)?;
    }
    let none = if unfinished == 0 {
        "no line with #flashcard or a \"question : answer 🧠\" card (carddown)".to_string()
    } else {
        format!(
            "{unfinished} #flashcard card(s), none with an end line \
             (---, - - -, ***, * * *) after it (carddown)"
        )
    };
    deck.finish(loaded, &none)
}

/// A `#flashcard` block while its back is read.
struct Block<'a> {
    line: usize,
    front: String,
    tags: Vec<String>,
    back: Vec<&'a str>,
}

impl Block<'_> {
    fn card(self) -> CardDraft {
        CardDraft {
            key: String::new(),
            front: self.front,
            back: trim_blank_lines(&self.back.join("\n")).to_string(),
            notes: String::new(),
            tags: self.tags,
            typed: false,
        }
    }
}

fn abandon(loaded: &mut Loaded, block: Option<Block<'_>>) {
    if let Some(block) = block {
        loaded.skipped.push(format!(
            "line {}: a #flashcard card with no end line (---, - - -, ***, * * *) after it",
            block.line
        ));
    }
}

fn no_cards(file: &str, found: &str) -> Error {
    file_error(file, format!("no cards: {found}"))
}

/// `question : answer`: carddown's `^(.+?)\s*:\s*(.+)`, the first colon
/// with text on both sides.
fn micro_card(line: &str) -> Option<CardDraft> {
    let colon = line
        .char_indices()
        .find(|&(i, c)| c == ':' && i > 0 && i + 1 < line.len())?
        .0;
    let answer = &line[colon + 1..];
    Some(CardDraft {
        key: String::new(),
        front: line[..colon].trim().to_string(),
        back: strip_tags(answer).to_string(),
        notes: String::new(),
        tags: tags(answer),
        typed: false,
    })
}

/// The text before the card's markers: carddown cuts at the 🧠, else at
/// the first ` #`, else at `#flashcard`, so a `C#` inside the text stays.
fn strip_tags(line: &str) -> &str {
    let cut = line
        .find(MICRO_MARK)
        .or_else(|| line.find(" #"))
        .or_else(|| line.find(BLOCK_TAG))
        .unwrap_or(line.len());
    line[..cut].trim()
}

/// `#word` tags (letters, digits, `_`, `-`), `#flashcard` itself left out.
fn tags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, _) in text.match_indices('#') {
        let tag: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
            .collect();
        if !tag.is_empty() && tag != "flashcard" && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

/// `---`, `***` and their spaced forms end a block.
fn is_end_line(line: &str) -> bool {
    let bare: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    bare == "---" || bare == "***"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(text: &str) -> Loaded {
        parse("c.md", "c", text).unwrap()
    }

    #[test]
    fn blocks_end_at_a_rule_and_micro_cards_stand_alone() {
        let text = "Intro text: with a colon\n\nWho? : George 🧠  #us #history\n\
                    Explain it #flashcard #bio\nline one\n\nline two\n- - -\n\
                    Ohm? #flashcard\nV = IR\n***\nafter\n";
        let deck = loaded(text).decks.remove(0);
        assert_eq!(deck.name, "c");
        let c = &deck.cards;
        assert_eq!(c.len(), 3);
        assert_eq!(
            (c[0].front.as_str(), c[0].back.as_str()),
            ("Who?", "George")
        );
        assert_eq!(c[0].tags, ["us", "history"]);
        assert_eq!(c[1].front, "Explain it");
        assert_eq!(c[1].back, "line one\n\nline two");
        assert_eq!(c[1].tags, ["bio"]);
        assert_eq!(c[2].back, "V = IR");
    }

    #[test]
    fn unfinished_blocks_are_reported_not_kept() {
        let l = loaded("First #flashcard\nx\nSecond #flashcard\ny\n---\nThird #flashcard\nz\n");
        assert_eq!(l.decks[0].cards.len(), 1);
        assert_eq!(l.decks[0].cards[0].front, "Second");
        assert_eq!(l.decks[0].cards[0].back, "y");
        assert_eq!(l.skipped.len(), 2, "{:?}", l.skipped);
        assert!(l.skipped[0].starts_with("line 1:"), "{:?}", l.skipped);
    }

    #[test]
    fn repeated_fronts_get_distinct_ids_and_markers_inside_text_stay() {
        let l = loaded("C# is? : a language 🧠\nC# is? : also a note 🧠\n");
        let c = &l.decks[0].cards;
        assert_eq!(c[0].front, "C# is?");
        assert_eq!(c[1].key, format!("{}-2", c[0].key));
    }

    #[test]
    fn nothing_to_read_is_an_error() {
        let e = parse("c.md", "c", "just prose\n").unwrap_err().to_string();
        assert!(
            e.starts_with("c.md: no cards: no line with #flashcard"),
            "{e}"
        );
        let e = parse("c.md", "c", "@carddown-ignore\nq : a 🧠\n").unwrap_err();
        assert!(e.to_string().contains("@carddown-ignore"), "{e}");
    }
}
