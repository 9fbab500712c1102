//! hashcards' cloze text (`C:` cards): a deletion runs from the last
//! unescaped `[` to the next `]`, `\[`/`\]` are literal brackets and
//! `![alt](src)` is an image, not a deletion. Each deletion is one card: the
//! front shows it as `[...]` and the others filled in, the back the whole.

use crate::domain::CardDraft;

/// One piece of a `C:` card's text.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Deletion(String),
}

/// Splits cloze text as hashcards does: a deletion runs from the last
/// unescaped `[` to the next `]`; other bare brackets are dropped.
fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut open: Option<usize> = None;
    let mut image = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '\\' if matches!(next, Some('[' | ']')) => current.extend(chars.next()),
            '!' if next == Some('[') && !image => {
                image = true;
                current.push('!');
                current.extend(chars.next());
            }
            ']' if image => {
                image = false;
                current.push(']');
            }
            '[' if !image => open = Some(current.len()),
            ']' => {
                if let Some(start) = open.take() {
                    let deleted = current.split_off(start);
                    out.push(Piece::Text(std::mem::take(&mut current)));
                    out.push(Piece::Deletion(deleted));
                }
            }
            _ => current.push(c),
        }
    }
    out.push(Piece::Text(current));
    out.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
    out
}

/// The cards of a `C:` card (their keys are `:cN`, for the caller to
/// prefix), or `None` when it has no deletion.
pub(super) fn cloze_cards(text: &str) -> Option<Vec<CardDraft>> {
    let pieces = pieces(text);
    let render = |active: Option<usize>| {
        let mut out = String::new();
        let mut n = 0;
        for piece in &pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Deletion(d) => {
                    n += 1;
                    out.push_str(if Some(n) == active { "[...]" } else { d });
                }
            }
        }
        out
    };
    let count = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Deletion(_)))
        .count();
    if count == 0 {
        return None;
    }
    let full = render(None);
    let base = crate::formats::derived_id(&full);
    Some(
        (1..=count)
            .map(|n| CardDraft {
                key: format!("{base}:c{n}"),
                front: render(Some(n)),
                back: full.clone(),
                notes: String::new(),
                tags: Vec::new(),
                typed: false,
            })
            .collect(),
    )
}
