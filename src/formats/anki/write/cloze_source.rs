//! The cloze text a group of recall's cloze cards came from. recall stores
//! each deletion's card as rendered (its front with `[...]` or `[hint]`
//! where its deletions are, its back the whole text filled in, then the
//! extra text after a blank line), not the `{{c1::…}}` text itself; Anki
//! wants one Cloze note holding that text. It is found again by matching
//! each card's front against the filled-in text: the placeholders are the
//! gaps. Only deletions that do not overlap are rebuilt (no nesting); and
//! the text is only used if `cloze::expand` gives back exactly the cards
//! recall has, so an ambiguous or unusual group is never exported wrong
//! (the caller exports it as plain cards instead).

use std::collections::{BTreeMap, HashSet};

use crate::domain::CardDraft;
use crate::formats::cloze;

/// Past this many bytes of card text, or this many `[`, the search is not
/// tried: such a group is exported as plain cards.
const MAX_TEXT: usize = 20_000;
const MAX_BRACKETS: usize = 100;

/// The most steps the search of one card may take. Real cards take a few
/// per placeholder; a front of many `[` against a long text could take
/// billions (each placeholder may end anywhere), so past this the group is
/// exported as plain cards too.
const MAX_STEPS: u32 = 200_000;

/// The source of a group of cloze siblings: the text with its deletions
/// and the extra text shown under the answer.
#[derive(Debug, PartialEq, Eq)]
pub struct ClozeSource {
    pub text: String,
    pub extra: String,
}

/// A deletion found in the filled-in text: byte range and hint.
type Gap = (usize, usize, Option<String>);

/// The deletions of the text: byte range → its numbers and hint.
type Deletions = BTreeMap<(usize, usize), (Vec<u32>, Option<String>)>;

/// The cloze text of `cards` (all of one note, keys `NOTE:cN`), or `None`
/// when it cannot be rebuilt exactly.
pub fn rebuild(note_key: &str, cards: &[&CardDraft]) -> Option<ClozeSource> {
    let first = cards.first()?;
    let back = first.back.as_str();
    if back.len() > MAX_TEXT || cards.iter().any(|c| c.back != back) {
        return None;
    }
    // Deletion number → the gaps of its card; and where the text ends.
    let mut gaps = Deletions::new();
    let mut end = None;
    for card in cards {
        let number: u32 = card
            .key
            .strip_prefix(note_key)?
            .strip_prefix(":c")?
            .parse()
            .ok()?;
        if card.front.len() > MAX_TEXT || card.front.matches('[').count() > MAX_BRACKETS {
            return None;
        }
        let (at, found) = Matcher::new(&card.front, back).run()?;
        if *end.get_or_insert(at) != at {
            return None;
        }
        for (start, stop, hint) in found {
            let entry = gaps
                .entry((start, stop))
                .or_insert((Vec::new(), hint.clone()));
            if entry.1 != hint {
                return None;
            }
            entry.0.push(number);
        }
    }
    let end = end?;
    let text = with_deletions(&back[..end], &gaps)?;
    let extra = back[end..].strip_prefix("\n\n").unwrap_or("").to_string();
    let source = ClozeSource { text, extra };
    same_cards(note_key, &source, cards).then_some(source)
}

/// `full` with `{{cN::…}}` around each gap; `None` if gaps overlap.
fn with_deletions(full: &str, gaps: &Deletions) -> Option<String> {
    let mut out = String::with_capacity(full.len() + 16 * gaps.len());
    let mut at = 0;
    for (&(start, stop), (numbers, hint)) in gaps {
        if start < at {
            return None;
        }
        let numbers: Vec<String> = numbers.iter().map(u32::to_string).collect();
        out.push_str(&full[at..start]);
        out.push_str(&format!(
            "{{{{c{}::{}",
            numbers.join(","),
            &full[start..stop]
        ));
        if let Some(hint) = hint {
            out.push_str("::");
            out.push_str(hint);
        }
        out.push_str("}}");
        at = stop;
    }
    out.push_str(&full[at..]);
    Some(out)
}

/// Whether the source expands to exactly these cards.
fn same_cards(note_key: &str, source: &ClozeSource, cards: &[&CardDraft]) -> bool {
    let entry = CardDraft {
        key: note_key.to_string(),
        front: source.text.clone(),
        back: source.extra.clone(),
        notes: cards[0].notes.clone(),
        tags: cards[0].tags.clone(),
        typed: false,
    };
    let Some(expanded) = cloze::expand(&entry) else {
        return false;
    };
    expanded.len() == cards.len()
        && expanded.iter().zip(cards).all(|(e, c)| {
            e.key == c.key && e.front == c.front && e.back == c.back && e.notes == c.notes
        })
}

/// A card's front matched against the filled-in text: a depth-first search
/// over the `[` of the front (each a placeholder or a literal `[`), with the
/// dead ends remembered.
struct Matcher<'a> {
    front: &'a str,
    full: &'a str,
    dead: HashSet<(usize, usize)>,
    steps: u32,
}

impl<'a> Matcher<'a> {
    fn new(front: &'a str, full: &'a str) -> Self {
        Matcher {
            front,
            full,
            dead: HashSet::new(),
            steps: 0,
        }
    }

    /// Where the matched text ends in `full`, and the gaps.
    fn run(mut self) -> Option<(usize, Vec<Gap>)> {
        let mut gaps = Vec::new();
        let end = self.from(0, 0, &mut gaps)?;
        Some((end, gaps))
    }

    fn from(&mut self, mut i: usize, mut j: usize, gaps: &mut Vec<Gap>) -> Option<usize> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return None;
        }
        let (front, full) = (self.front.as_bytes(), self.full.as_bytes());
        // Literal text up to the next `[` of the front.
        while i < front.len() && front[i] != b'[' {
            if j >= full.len() || front[i] != full[j] {
                return None;
            }
            i += 1;
            j += 1;
        }
        if i == front.len() {
            let rest = &self.full[j..];
            return (rest.is_empty() || rest.starts_with("\n\n")).then_some(j);
        }
        if !self.dead.insert((i, j)) {
            return None;
        }
        // A literal `[` first: a placeholder could swallow one as deleted text.
        if j < full.len() && full[j] == b'[' {
            let mark = gaps.len();
            if let Some(end) = self.from(i + 1, j + 1, gaps) {
                return Some(end);
            }
            gaps.truncate(mark);
        }
        if let Some(close) = self.front[i..].find(']').filter(|&c| c > 1) {
            let inside = &self.front[i + 1..i + close];
            let hint = (inside != "...").then(|| inside.to_string());
            // The deleted text: at least one character, any length.
            for stop in (j + 1..=full.len()).filter(|&k| self.full.is_char_boundary(k)) {
                let mark = gaps.len();
                gaps.push((j, stop, hint.clone()));
                if let Some(end) = self.from(i + close + 1, stop, gaps) {
                    return Some(end);
                }
                gaps.truncate(mark);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source_of(text: &str, extra: &str) -> Option<ClozeSource> {
        let entry = CardDraft {
            key: "n".into(),
            front: text.into(),
            back: extra.into(),
            notes: String::new(),
            tags: vec!["t".into()],
            typed: false,
        };
        let cards = cloze::expand(&entry).unwrap();
        rebuild("n", &cards.iter().collect::<Vec<_>>())
    }

    #[test]
    fn deletions_hints_shared_numbers_and_extra_text_come_back() {
        for (text, extra) in [
            ("{{c1::Paris}} is the capital of {{c2::France}}", ""),
            (
                "{{c1::a::letter}} [not a hint] {{c2::b}} and {{c1::c}}",
                "extra\n\nmore",
            ),
            ("x {{c1,2::both}} y {{c3::three}}", ""),
            ("{{c1::[}} and {{c2::]}}", ""),
        ] {
            let got = source_of(text, extra).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(
                got,
                ClozeSource {
                    text: text.into(),
                    extra: extra.into()
                }
            );
        }
    }

    #[test]
    fn a_search_that_would_take_too_long_gives_up() {
        // Many placeholders, each of which could end anywhere in the text.
        let front = "[...]".repeat(90) + "!";
        let back = "a".repeat(15_000);
        assert_eq!(Matcher::new(&front, &back).run(), None);
        // The same placeholders with text that fits are found.
        let fits = "ab".repeat(90);
        let (end, gaps) = Matcher::new(&front.replace('!', ""), &fits).run().unwrap();
        assert_eq!((end, gaps.len()), (fits.len(), 90));
    }

    #[test]
    fn nested_deletions_are_not_rebuilt() {
        assert_eq!(source_of("{{c1::outer {{c2::inner}} text}}", ""), None);
    }

    #[test]
    fn edited_siblings_are_not_rebuilt() {
        let entry = CardDraft {
            key: "n".into(),
            front: "{{c1::a}} {{c2::b}}".into(),
            back: String::new(),
            notes: String::new(),
            tags: vec![],
            typed: false,
        };
        let mut cards = cloze::expand(&entry).unwrap();
        cards[1].front = "changed".into();
        assert_eq!(rebuild("n", &cards.iter().collect::<Vec<_>>()), None);
    }
}
