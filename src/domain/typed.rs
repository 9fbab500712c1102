//! Typed answers (issue 21): what was typed held against the card's back,
//! as Anki's "type in the answer" does it (its `rslib/src/typeanswer.rs`):
//! both normalised, then a character diff (matching, missing and extra
//! characters), and from how close the two came, a suggested SM-2 grade.
//!
//! The suggestion, in order (documented in the README too):
//! - 5: the same text, after normalisation;
//! - 4: a typo: at most 1 edit (insert, delete, change, swap two
//!   neighbours) for answers of up to 10 characters, at most a tenth of
//!   the length for longer ones;
//! - 3: close: similarity (1 − edits ÷ the longer length) of 0.7 or more;
//! - 2: some overlap: similarity of 0.4 or more;
//! - 1: anything else, an empty answer included (1, not 0: the user typed
//!   an answer, so it was not a blackout; 0 stays theirs to give).
//!
//! Pure: no I/O, no clock.

use std::borrow::Cow;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::{Card, Grade};

mod diff;

/// How the two texts are normalised before they are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Normalise {
    /// `Paris` and `paris` are the same answer.
    pub ignore_case: bool,
    /// Leading and trailing whitespace dropped, and runs of it (line ends
    /// too) read as one space.
    pub collapse_whitespace: bool,
    /// `résumé` and `resume` are the same answer.
    pub ignore_diacritics: bool,
}

impl Default for Normalise {
    /// Case and spacing are forgiven, accents are not: they are part of
    /// the spelling a language card teaches.
    fn default() -> Self {
        Normalise {
            ignore_case: true,
            collapse_whitespace: true,
            ignore_diacritics: false,
        }
    }
}

impl Normalise {
    /// `text` as it is compared: always in Unicode's composed form (NFC),
    /// so that an `é` typed as one character or as `e` and an accent match.
    pub fn apply(&self, text: &str) -> String {
        let mut out: String = if self.ignore_diacritics {
            text.nfd()
                .filter(|c| !is_combining_mark(*c))
                .nfc()
                .collect()
        } else {
            text.nfc().collect()
        };
        if self.ignore_case {
            out = out.to_lowercase();
        }
        if self.collapse_whitespace {
            out = out.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        out
    }
}

/// One run of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "text")]
pub enum Segment {
    /// Typed as expected.
    Same(String),
    /// Expected, not typed.
    Missing(String),
    /// Typed, not expected.
    Extra(String),
}

/// A typed answer compared with the expected one.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Both texts as compared (normalised).
    pub typed: String,
    pub expected: String,
    /// The typed text with the differences marked, in order: reading the
    /// `Same` and `Missing` runs gives the expected text, the `Same` and
    /// `Extra` runs the typed one.
    pub segments: Vec<Segment>,
    /// Edits from the typed text to the expected (optimal string alignment:
    /// two neighbours swapped count as one).
    pub distance: usize,
    /// 1 − distance ÷ the longer length; 1 for two empty texts.
    pub similarity: f64,
    pub suggested: Grade,
}

impl Comparison {
    /// The typed text with its differences marked in plain characters, for
    /// output without colours: `[-x]` where `x` was missing, `[+x]` where
    /// `x` was typed but not expected (`Par[+s]i[-s]`).
    pub fn marked(&self) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Same(t) => out.push_str(t),
                Segment::Missing(t) => out.push_str(&format!("[-{t}]")),
                Segment::Extra(t) => out.push_str(&format!("[+{t}]")),
            }
        }
        out
    }
}

/// `typed` held against `card` as it is shown: its back (a cloze card's
/// deletions) with formulas as Unicode, what the user read when they
/// learned it.
pub fn compare_card(typed: &str, card: &Card, how: Normalise) -> Comparison {
    let expected = expected(&card.front, &card.back);
    compare(typed, &super::math_text::display(&expected), how)
}

/// What a typed answer is held against: the card's back, or for a cloze
/// card (its front shows `[...]` or `[hint]` where its back has the text)
/// the text of its deletions, joined with `, ` as Anki's
/// `{{type:cloze:…}}` expects them.
pub fn expected<'a>(front: &str, back: &'a str) -> Cow<'a, str> {
    cloze_deletions(front, back).map_or(Cow::Borrowed(back), Cow::Owned)
}

/// The back's text at each `[…]` of the front, the rest of the two
/// being the same; `None` when they are not a cloze card's two sides.
fn cloze_deletions(front: &str, back: &str) -> Option<String> {
    let (mut f, mut b) = (front, back);
    let mut found: Vec<&str> = Vec::new();
    loop {
        let same = f
            .char_indices()
            .zip(b.chars())
            .find(|((_, x), y)| x != y)
            .map_or(f.len().min(b.len()), |((i, _), _)| i);
        (f, b) = (&f[same..], &b[same..]);
        if f.is_empty() {
            break;
        }
        let rest = f.strip_prefix('[')?;
        f = &rest[rest.find(']')? + 1..];
        // The front's text up to its next placeholder, found again in the back.
        let tail = &f[..f.find('[').unwrap_or(f.len())];
        let len = match (tail.is_empty(), f.is_empty()) {
            // The last placeholder ends the front: the back's extra text
            // (after a blank line) is not part of it.
            (true, true) => b.find("\n\n").unwrap_or(b.len()),
            (true, false) => return None,
            (false, _) => b.find(tail)?,
        };
        found.push(&b[..len]);
        b = &b[len..];
    }
    found.dedup();
    (!found.is_empty()).then(|| found.join(", "))
}

/// What a suggested grade says about the answer, in a few words.
pub fn verdict(grade: Grade) -> &'static str {
    match grade.value() {
        5 => "exact",
        4 => "a typo",
        3 => "close",
        2 => "some overlap",
        _ => "wrong",
    }
}

/// Past this many characters (either text) the edit distance is taken on
/// the first this many, plus the difference in length of the rest: the
/// distance costs the product of the lengths in time. Typed answers are
/// words or a sentence; a card's back can be a page.
const MAX_GRADED_CHARS: usize = 4096;

/// Compares `typed` with `expected` under `how`.
pub fn compare(typed: &str, expected: &str, how: Normalise) -> Comparison {
    let typed = how.apply(typed);
    let expected = how.apply(expected);
    let t: Vec<char> = typed.chars().collect();
    let e: Vec<char> = expected.chars().collect();
    let (distance, similarity) = if t == e {
        (0, 1.0)
    } else {
        let head = |chars: &[char]| -> String { chars.iter().take(MAX_GRADED_CHARS).collect() };
        let rest = |chars: &[char]| chars.len().saturating_sub(MAX_GRADED_CHARS);
        let distance = strsim::osa_distance(&head(&t), &head(&e)) + rest(&t).abs_diff(rest(&e));
        let longer = t.len().max(e.len());
        (distance, 1.0 - distance as f64 / longer as f64)
    };
    let suggested = suggest(t == e, distance, similarity, e.len());
    Comparison {
        segments: diff::diff(&t, &e),
        typed,
        expected,
        distance,
        similarity,
        suggested,
    }
}

/// The grade the module's rules give; `len` is the expected length in
/// characters.
fn suggest(exact: bool, distance: usize, similarity: f64, len: usize) -> Grade {
    let typos = if len <= 10 { 1 } else { len / 10 };
    let q = if exact {
        5
    } else if distance <= typos && similarity > 0.0 {
        4
    } else if similarity >= 0.7 {
        3
    } else if similarity >= 0.4 {
        2
    } else {
        1
    };
    Grade::new(q).unwrap_or(Grade::ALL[1])
}

#[cfg(test)]
mod tests;
