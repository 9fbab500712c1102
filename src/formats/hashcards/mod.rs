//! hashcards decks (github.com/eudoxia0/hashcards), read as its own parser
//! reads them: `Q:`/`A:` pairs and `C:` cloze cards, each running to the
//! next `Q:`/`C:` line or a `---` line, with no separator needed between
//! cards. A `C:` card's `[deletions]` give one card each: the front shows
//! that deletion as `[...]` and the others filled in, the back the whole
//! text. `\[`/`\]` are literal brackets and `![alt](src)` is an image, not
//! a deletion. An optional TOML front matter (`---`, `name = "…"`, `---`)
//! names the deck.
//!
//! hashcards keys a card by a hash of its content; recall derives ids the
//! way its other formats do (from the front: `derived_id`, a `-2` suffix for
//! a second card with the same front; `:c1`, `:c2` … for deletions), so
//! editing an answer keeps the progress. Identical cards are kept once, as
//! hashcards does.

mod cloze;

use super::foreign::DeckBuilder;
use super::{Loaded, line_error, normalize_text, trim_blank_lines};
use crate::domain::CardDraft;
use crate::error::{Error, Result};
use cloze::cloze_cards;

/// Parses a hashcards file; `stem` names the deck unless the front matter does.
pub fn parse(file: &str, stem: &str, text: &str) -> Result<Loaded> {
    let text = normalize_text(text.strip_prefix('\u{feff}').unwrap_or(text));
    let lines: Vec<&str> = text.lines().collect();
    let (name, body_start) = front_matter(file, &lines)?;
    let mut reader = Reader {
        file,
        cards: Vec::new(),
    };
    let mut state = State::Start;
    for (i, line) in lines.iter().enumerate().skip(body_start) {
        state = reader.step(state, Line::read(line), i + 1)?;
    }
    reader.finish(state, lines.len())?;
    build(file, name.unwrap_or_else(|| stem.to_string()), reader.cards)
}

/// A card as read: its first line, and its two sides (a cloze card's
/// text is in `question`, `answer` is `None`).
struct Read {
    line: usize,
    question: String,
    answer: Option<String>,
}

enum Line<'a> {
    Question(&'a str),
    Answer(&'a str),
    Cloze(&'a str),
    Separator,
    Text(&'a str),
}

impl<'a> Line<'a> {
    fn read(line: &'a str) -> Line<'a> {
        let tagged = |tag: &str| line.strip_prefix(tag).map(str::trim);
        if let Some(rest) = tagged("Q:") {
            Line::Question(rest)
        } else if let Some(rest) = tagged("A:") {
            Line::Answer(rest)
        } else if let Some(rest) = tagged("C:") {
            Line::Cloze(rest)
        } else if line.trim() == "---" {
            Line::Separator
        } else {
            Line::Text(line)
        }
    }
}

enum State {
    Start,
    Question(Read),
    Answer(Read),
    Cloze(Read),
}

struct Reader<'f> {
    file: &'f str,
    cards: Vec<Read>,
}

impl Reader<'_> {
    fn error(&self, line: usize, message: &str) -> Error {
        line_error(self.file, line, message)
    }

    /// hashcards' state machine: one line in, the next state out.
    fn step(&mut self, state: State, line: Line<'_>, at: usize) -> Result<State> {
        let start = |text: &str| Read {
            line: at,
            question: text.to_string(),
            answer: None,
        };
        Ok(match (state, line) {
            (State::Question(_), Line::Question(_)) => {
                return Err(self.error(at, "a Q: before the previous Q: has its A:"));
            }
            (State::Question(_), Line::Cloze(_)) => {
                return Err(self.error(at, "a C: before the previous Q: has its A:"));
            }
            (State::Question(_), Line::Separator) => {
                return Err(self.error(at, "a --- line before the previous Q: has its A:"));
            }
            (State::Start, Line::Answer(_)) => return Err(self.error(at, "an A: without a Q:")),
            (State::Answer(_), Line::Answer(_)) => {
                return Err(self.error(at, "a second A: for one Q:"));
            }
            (State::Cloze(_), Line::Answer(_)) => {
                return Err(self.error(at, "an A: in a C: (cloze) card"));
            }
            (State::Question(mut card), Line::Answer(text)) => {
                card.answer = Some(text.to_string());
                State::Answer(card)
            }
            (State::Question(mut card), Line::Text(text)) => {
                push_line(&mut card.question, text);
                State::Question(card)
            }
            (State::Answer(mut card), Line::Text(text)) => {
                push_line(card.answer.get_or_insert_default(), text);
                State::Answer(card)
            }
            (State::Cloze(mut card), Line::Text(text)) => {
                push_line(&mut card.question, text);
                State::Cloze(card)
            }
            (State::Start, Line::Text(text)) if text.trim().is_empty() => State::Start,
            (State::Start, Line::Text(_)) => {
                return Err(self.error(
                    at,
                    "text outside a card (hashcards cards start with Q: or C:)",
                ));
            }
            (done, next) => {
                self.close(done);
                match next {
                    Line::Question(text) => State::Question(start(text)),
                    Line::Cloze(text) => State::Cloze(start(text)),
                    _ => State::Start,
                }
            }
        })
    }

    fn close(&mut self, state: State) {
        match state {
            State::Answer(card) | State::Cloze(card) => self.cards.push(card),
            State::Start | State::Question(_) => {}
        }
    }

    fn finish(&mut self, state: State, lines: usize) -> Result<()> {
        if matches!(state, State::Question(_)) {
            return Err(self.error(lines.max(1), "the file ends inside a Q: without an A:"));
        }
        self.close(state);
        Ok(())
    }
}

fn push_line(text: &mut String, line: &str) {
    text.push('\n');
    text.push_str(line);
}

/// The deck name from a leading `---` … `---` TOML block, and the index
/// of the first line after it.
fn front_matter(file: &str, lines: &[&str]) -> Result<(Option<String>, usize)> {
    #[derive(serde::Deserialize)]
    struct Meta {
        name: Option<String>,
    }
    if lines.first().map(|l| l.trim()) != Some("---") {
        return Ok((None, 0));
    }
    let Some(close) = lines.iter().skip(1).position(|l| l.trim() == "---") else {
        return Err(line_error(
            file,
            1,
            "front matter opened with --- is never closed",
        ));
    };
    let toml_text = lines[1..=close].join("\n");
    let meta: Meta = toml::from_str(&toml_text).map_err(|e| Error::Parse {
        file: file.to_string(),
        line: 2 + e
            .span()
            .map_or(0, |s| toml_text[..s.start].matches('\n').count()),
        column: 1,
        message: format!("front matter is not TOML: {}", e.message()),
    })?;
    Ok((meta.name.filter(|n| !n.trim().is_empty()), close + 2))
}

/// The deck, checked; identical cards are kept once and reported.
fn build(file: &str, name: String, read: Vec<Read>) -> Result<Loaded> {
    let mut deck = DeckBuilder::new(file, &name)?;
    let mut seen = foldhash::HashMap::<(String, String), usize>::default();
    let mut loaded = Loaded::default();
    for card in read {
        let drafts = match &card.answer {
            Some(answer) => vec![CardDraft {
                key: String::new(),
                front: trim_blank_lines(&card.question).to_string(),
                back: trim_blank_lines(answer).to_string(),
                notes: String::new(),
                tags: Vec::new(),
                typed: false,
            }],
            None => cloze_cards(trim_blank_lines(&card.question)).ok_or_else(|| {
                line_error(
                    file,
                    card.line,
                    "a C: card without a [deletion] in square brackets",
                )
            })?,
        };
        for draft in drafts {
            let both = (draft.front.clone(), draft.back.clone());
            if let Some(first) = seen.get(&both) {
                loaded.skipped.push(format!(
                    "line {}: the same card as line {first} (hashcards keeps one)",
                    card.line
                ));
                continue;
            }
            seen.insert(both, card.line);
            deck.push(draft, card.line)?;
        }
    }
    deck.finish(loaded, "no Q:/A: pair and no C: card (hashcards)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards(text: &str) -> Vec<CardDraft> {
        parse("h.md", "h", text).unwrap().decks.remove(0).cards
    }

    fn err(text: &str) -> String {
        parse("h.md", "h", text).unwrap_err().to_string()
    }

    #[test]
    fn pairs_need_no_separator_and_run_to_the_next_tag() {
        let c = cards("Q: one\nA: 1\n\nQ: two\nlines\nA:\n\n$$\nx [y]\n$$\n\n---\nQ: three\nA: 3");
        assert_eq!(c.len(), 3);
        assert_eq!(c[1].front, "two\nlines");
        assert_eq!(c[1].back, "$$\nx [y]\n$$");
        assert_eq!(c[0].key, derived_id_of("one"));
    }

    fn derived_id_of(front: &str) -> String {
        super::super::derived_id(front)
    }

    #[test]
    fn each_deletion_is_a_card() {
        let c = cards("Q: q\nA: a\n\nC: [Berlin] is the capital of [Germany].\n");
        assert_eq!(c.len(), 3);
        assert_eq!(c[1].front, "[...] is the capital of Germany.");
        assert_eq!(c[2].front, "Berlin is the capital of [...].");
        assert_eq!(c[2].back, "Berlin is the capital of Germany.");
        assert!(c[1].key.ends_with(":c1") && c[2].key.ends_with(":c2"));
        let c = cards("C:\nline one\n\n— [Ecc] [6]:[9]\n");
        assert_eq!(c.len(), 3);
        assert_eq!(c[2].front, "line one\n\n— Ecc 6:[...]");
    }

    #[test]
    fn escapes_and_images_are_not_deletions() {
        let c = cards("C: \\[not\\] ![alt](a.png) [yes]");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].front, "[not] ![alt](a.png) [...]");
        assert_eq!(c[0].back, "[not] ![alt](a.png) yes");
    }

    #[test]
    fn front_matter_names_the_deck_and_duplicates_are_kept_once() {
        let loaded = parse(
            "h.md",
            "h",
            "---\nname = \"Geo\"\n---\nQ: a\nA: b\nQ: a\nA: b\nQ: a\nA: c",
        )
        .unwrap();
        assert_eq!(loaded.decks[0].name, "Geo");
        let keys: Vec<_> = loaded.decks[0]
            .cards
            .iter()
            .map(|c| c.key.clone())
            .collect();
        assert_eq!(
            keys,
            [derived_id_of("a"), format!("{}-2", derived_id_of("a"))]
        );
        assert_eq!(loaded.skipped.len(), 1, "{:?}", loaded.skipped);
    }

    #[test]
    fn mistakes_are_located() {
        assert_eq!(
            err("Q: a\nQ: b\nA: c"),
            "h.md:2:1: a Q: before the previous Q: has its A:"
        );
        assert_eq!(err("A: a"), "h.md:1:1: an A: without a Q:");
        assert_eq!(
            err("\nQ: a\nA: b\nC: none here"),
            "h.md:4:1: a C: card without a [deletion] in square brackets"
        );
        assert!(err("hello\nQ: a\nA: b").starts_with("h.md:1:1: text outside a card"));
        assert!(err("Q: a\n").contains("ends inside a Q:"));
        assert!(err("---\nname = \n---\nQ: a\nA: b").starts_with("h.md:2:1: front matter"));
        assert!(err("\n\n").contains("no cards"));
    }
}
