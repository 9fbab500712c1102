//! Cloze deletions as Anki writes them: `{{c1::answer}}`,
//! `{{c1::answer::hint}}`, several numbers on one deletion (`{{c1,2::…}}`)
//! and deletions inside deletions. One card per deletion number: its front
//! shows `[...]` (or `[hint]`) where that number's deletions are, every
//! other deletion filled in; its back shows the whole text filled in.
//! Anki's `rslib/src/cloze.rs` is the reference for the rules.

use std::collections::BTreeSet;

use crate::domain::CardDraft;

/// Anki's limit: a deletion opened deeper than this is text.
const MAX_NESTING: usize = 10;

/// One piece of cloze text: plain, or a deletion with what it holds.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Deletion(Deletion<'a>),
}

#[derive(Debug, PartialEq, Eq)]
struct Deletion<'a> {
    numbers: Vec<u32>,
    pieces: Vec<Piece<'a>>,
    hint: Option<&'a str>,
}

/// `{{c1,2::` at the start of `text`: the numbers and the length taken.
fn opener(text: &str) -> Option<(Vec<u32>, usize)> {
    let after = text.strip_prefix("{{c")?;
    let digits = after
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b',')
        .count();
    after[digits..].strip_prefix("::")?;
    let mut numbers: Vec<u32> = after[..digits]
        .split(',')
        .filter_map(|n| n.parse().ok())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    (!numbers.is_empty()).then_some((numbers, 3 + digits + 2))
}

/// Adds text to the innermost open deletion, or to the top level.
fn flush<'a>(open: &mut [(Deletion<'a>, usize)], out: &mut Vec<Piece<'a>>, text: &'a str) {
    if text.is_empty() {
        return;
    }
    match open.last_mut() {
        Some((deletion, _)) => {
            // The hint is what follows `::` in the deletion's own text.
            let text = match text.split_once("::") {
                Some((head, hint)) => {
                    deletion.hint = Some(hint);
                    head
                }
                None => text,
            };
            deletion.pieces.push(Piece::Text(text));
        }
        None => out.push(Piece::Text(text)),
    }
}

/// Splits text into pieces, in one pass with an explicit stack of open
/// deletions. A `}}` closes the innermost open deletion; an opener never
/// closed stays text.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    // (the deletion being built, where its opener starts in `text`)
    let mut open: Vec<(Deletion<'_>, usize)> = Vec::new();
    let mut out: Vec<Piece<'_>> = Vec::new();
    let mut at = 0;
    let mut text_from = 0;
    while let Some(offset) = text[at..].find(['{', '}']) {
        let here = at + offset;
        let rest = &text[here..];
        if let Some((numbers, len)) = opener(rest).filter(|_| open.len() < MAX_NESTING) {
            flush(&mut open, &mut out, &text[text_from..here]);
            let deletion = Deletion {
                numbers,
                pieces: Vec::new(),
                hint: None,
            };
            open.push((deletion, here));
            at = here + len;
            text_from = at;
        } else if rest.starts_with("}}") && !open.is_empty() {
            flush(&mut open, &mut out, &text[text_from..here]);
            if let Some((done, _)) = open.pop() {
                match open.last_mut() {
                    Some((outer, _)) => outer.pieces.push(Piece::Deletion(done)),
                    None => out.push(Piece::Deletion(done)),
                }
            }
            at = here + 2;
            text_from = at;
        } else {
            at = here + 1;
        }
    }
    if let Some(&(_, start)) = open.first() {
        // Never closed: everything from the outermost opener on is text.
        out.push(Piece::Text(&text[start..]));
        return out;
    }
    flush(&mut open, &mut out, &text[text_from..]);
    out
}

/// The deletion numbers in `text` (nested ones too), in order; 0 is not one.
pub fn numbers(text: &str) -> BTreeSet<u32> {
    fn walk(pieces: &[Piece<'_>], set: &mut BTreeSet<u32>) {
        for piece in pieces {
            if let Piece::Deletion(d) = piece {
                set.extend(d.numbers.iter().copied().filter(|&n| n > 0));
                walk(&d.pieces, set);
            }
        }
    }
    let mut set = BTreeSet::new();
    // Every deletion opens with "{{c": text without one has none, and most
    // cards of an import are such text (parsing them was 5 % of importing
    // 100 000 plain cards).
    if text.contains("{{c") {
        walk(&pieces(text), &mut set);
    }
    set
}

/// True when text looks like it meant to hold deletions but none parse
/// (for `recall check`).
pub fn looks_broken(text: &str) -> bool {
    text.contains("{{c") && numbers(text).is_empty()
}

/// `text` as the front of card `active` shows it (`question`), or its back.
/// `None` for `active`: every deletion filled in.
pub fn render(text: &str, active: Option<u32>) -> String {
    reveal(text, active, active.is_some())
}

/// Anki's `{{cloze:…}}`: the field for card `active` on the front
/// (`question`) or the back. Empty when the text has no deletion `active`,
/// as in Anki (the card then does not exist).
pub fn reveal_for_card(text: &str, active: u32, question: bool) -> String {
    if numbers(text).contains(&active) {
        reveal(text, Some(active), question)
    } else {
        String::new()
    }
}

/// Anki's `{{cloze-only:…}}`: the deletions `active` alone, joined by ", "
/// (on the front, their hints or `...`).
pub fn only(text: &str, active: u32, question: bool) -> String {
    fn walk(pieces: &[Piece<'_>], active: u32, question: bool, out: &mut Vec<String>) {
        for piece in pieces {
            if let Piece::Deletion(d) = piece {
                if d.numbers.contains(&active) {
                    out.push(if question {
                        d.hint.unwrap_or("...").to_string()
                    } else {
                        filled(&d.pieces)
                    });
                }
                walk(&d.pieces, active, question, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&pieces(text), active, question, &mut out);
    out.join(", ")
}

fn reveal(text: &str, active: Option<u32>, question: bool) -> String {
    let mut out = String::with_capacity(text.len());
    write_pieces(&pieces(text), active, question, &mut out);
    out
}

fn write_pieces(pieces: &[Piece<'_>], active: Option<u32>, question: bool, out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Deletion(d) => {
                let is_active = active.is_some_and(|n| d.numbers.contains(&n));
                if question && is_active {
                    // Everything inside an active deletion is hidden.
                    out.push('[');
                    out.push_str(d.hint.unwrap_or("..."));
                    out.push(']');
                } else {
                    write_pieces(&d.pieces, active, question, out);
                }
            }
        }
    }
}

/// A deletion's text with everything in it filled in.
fn filled(pieces: &[Piece<'_>]) -> String {
    let mut out = String::new();
    write_pieces(pieces, None, false, &mut out);
    out
}

/// The cards of a cloze entry, or `None` when its front has no deletions.
/// The entry's back is extra text shown under the filled-in answer; each
/// card's id is the entry's id plus `:c` and the deletion number.
pub fn expand(card: &CardDraft) -> Option<Vec<CardDraft>> {
    let numbers = numbers(&card.front);
    if numbers.is_empty() {
        return None;
    }
    let full = render(&card.front, None);
    let back = if card.back.trim().is_empty() {
        full
    } else {
        format!("{full}\n\n{}", card.back)
    };
    Some(
        numbers
            .into_iter()
            .map(|n| CardDraft {
                key: format!("{}:c{n}", card.key),
                front: render(&card.front, Some(n)),
                back: back.clone(),
                notes: card.notes.clone(),
                tags: card.tags.clone(),
                typed: card.typed,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(front: &str, back: &str) -> CardDraft {
        CardDraft {
            key: "k".into(),
            front: front.into(),
            back: back.into(),
            notes: String::new(),
            tags: vec![],
            typed: false,
        }
    }

    #[test]
    fn one_card_per_number_with_hints() {
        let cards = expand(&card(
            "{{c1::Paris}} is the capital of {{c2::France::country}}; {{c1::it}} is big",
            "extra",
        ))
        .unwrap();
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].key, "k:c1");
        assert_eq!(
            cards[0].front,
            "[...] is the capital of France; [...] is big"
        );
        assert_eq!(cards[1].key, "k:c2");
        assert_eq!(
            cards[1].front,
            "Paris is the capital of [country]; it is big"
        );
        assert_eq!(
            cards[1].back,
            "Paris is the capital of France; it is big\n\nextra"
        );
    }

    #[test]
    fn nested_and_shared_deletions_as_anki_has_them() {
        let text = "{{c1::outer {{c2::inner}} part}} and {{c1,3::both}}";
        assert_eq!(numbers(text), BTreeSet::from([1, 2, 3]));
        assert_eq!(render(text, Some(1)), "[...] and [...]");
        assert_eq!(render(text, Some(2)), "outer [...] part and both");
        assert_eq!(render(text, Some(3)), "outer inner part and [...]");
        assert_eq!(render(text, None), "outer inner part and both");
        assert_eq!(only(text, 1, false), "outer inner part, both");
        assert_eq!(only("{{c1::a::h}} {{c2::b}}", 1, true), "h");
        assert_eq!(reveal_for_card("{{c1::a}}", 2, true), "");
        assert_eq!(reveal_for_card("x {{c1::a}}", 1, false), "x a");
    }

    #[test]
    fn text_without_deletions_is_not_cloze() {
        assert!(expand(&card("plain {{ text }}", "b")).is_none());
        assert!(looks_broken("{{c1:missing colon}}"));
        assert!(looks_broken("{{c0::zero}}"));
        assert!(!looks_broken("no braces"));
        assert_eq!(render("{{c1::unterminated", Some(1)), "{{c1::unterminated");
        assert_eq!(render("a }} b {{c1::x}}}}", Some(1)), "a }} b [...]}}");
    }

    #[test]
    fn deep_nesting_stops_at_anki_s_limit() {
        let deep = "{{c1::".repeat(50_000) + &"}}".repeat(50_000);
        assert_eq!(numbers(&deep), BTreeSet::from([1]));
        // Ten levels are deletions; the closers past them are text.
        let front = render(&deep, Some(1));
        assert!(front.starts_with("[...]}}"), "{}", &front[..20]);
        assert!(!front.contains("{{c1::"));
    }

    #[test]
    fn empty_back_shows_only_the_filled_text() {
        let cards = expand(&card("a {{c3::b}}", " ")).unwrap();
        assert_eq!(cards[0].back, "a b");
        assert_eq!(cards[0].key, "k:c3");
    }
}
