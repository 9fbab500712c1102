//! Cloze deletions, `{{c1::answer}}` and `{{c1::answer::hint}}`, as Anki
//! writes them. One card per deletion number: its front shows `[...]` (or
//! `[hint]`) where that number's deletions are, every other deletion filled
//! in; its back shows the whole text filled in.

use std::collections::BTreeSet;

use crate::domain::CardDraft;

/// One piece of cloze text: plain, or a deletion.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Deletion {
        number: u32,
        answer: &'a str,
        hint: Option<&'a str>,
    },
}

/// Splits text into pieces. Linear: each `{{` is looked at once, and a
/// deletion ends at the first `}}` (deletions do not nest).
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{c") {
        let after = &rest[start + 3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let parsed = (digits > 0 && digits <= 4)
            .then(|| after[digits..].strip_prefix("::"))
            .flatten()
            .and_then(|body| body.find("}}").map(|end| (&body[..end], end)))
            .and_then(|(body, end)| {
                let number: u32 = after[..digits].parse().ok()?;
                let (answer, hint) = match body.split_once("::") {
                    Some((a, h)) => (a, Some(h)),
                    None => (body, None),
                };
                let consumed = 3 + digits + 2 + end + 2;
                Some((number, answer, hint, consumed))
            });
        match parsed {
            Some((number, answer, hint, consumed)) if number > 0 => {
                if start > 0 {
                    out.push(Piece::Text(&rest[..start]));
                }
                out.push(Piece::Deletion {
                    number,
                    answer,
                    hint,
                });
                rest = &rest[start + consumed..];
            }
            _ => {
                out.push(Piece::Text(&rest[..start + 3]));
                rest = &rest[start + 3..];
            }
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The deletion numbers in `text`, in order.
pub fn numbers(text: &str) -> BTreeSet<u32> {
    pieces(text)
        .iter()
        .filter_map(|p| match p {
            Piece::Deletion { number, .. } => Some(*number),
            Piece::Text(_) => None,
        })
        .collect()
}

/// True when text looks like it meant to hold deletions but none parse
/// (for `recall check`).
pub fn looks_broken(text: &str) -> bool {
    text.contains("{{c") && numbers(text).is_empty()
}

/// `text` with deletion `active` blanked (`None`: all filled in).
pub fn render(text: &str, active: Option<u32>) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Deletion {
                number,
                answer,
                hint,
            } => {
                if Some(number) == active {
                    out.push('[');
                    out.push_str(hint.unwrap_or("..."));
                    out.push(']');
                } else {
                    out.push_str(answer);
                }
            }
        }
    }
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
    fn text_without_deletions_is_not_cloze() {
        assert!(expand(&card("plain {{ text }}", "b")).is_none());
        assert!(looks_broken("{{c1:missing colon}}"));
        assert!(looks_broken("{{c0::zero}}"));
        assert!(!looks_broken("no braces"));
        assert_eq!(render("{{c1::unterminated", Some(1)), "{{c1::unterminated");
    }

    #[test]
    fn empty_back_shows_only_the_filled_text() {
        let cards = expand(&card("a {{c3::b}}", " ")).unwrap();
        assert_eq!(cards[0].back, "a b");
        assert_eq!(cards[0].key, "k:c3");
    }
}
