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
/// The character diff keeps a table of both lengths' product: past this
/// product it marks only the common start and end as the same.
const MAX_DIFF_CELLS: usize = 1 << 20;

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
        segments: diff(&t, &e),
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

/// The runs of `typed` against `expected`: a longest common subsequence
/// of characters marks what matches; between matches, what was typed is
/// extra and what was expected is missing (extra first, as Anki shows it).
fn diff(typed: &[char], expected: &[char]) -> Vec<Segment> {
    let start = typed
        .iter()
        .zip(expected)
        .take_while(|(a, b)| a == b)
        .count();
    let end = typed[start..]
        .iter()
        .rev()
        .zip(expected[start..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (t, e) = (
        &typed[start..typed.len() - end],
        &expected[start..expected.len() - end],
    );
    let mut out = Runs::default();
    out.push(Kind::Same, &typed[..start]);
    if t.len().saturating_mul(e.len()) > MAX_DIFF_CELLS {
        out.push(Kind::Extra, t);
        out.push(Kind::Missing, e);
    } else {
        middle(t, e, &mut out);
    }
    out.push(Kind::Same, &typed[typed.len() - end..]);
    out.0
}

/// The LCS diff of the part between the common start and end.
fn middle(t: &[char], e: &[char], out: &mut Runs) {
    // lcs[i][j]: the longest common subsequence of t[i..] and e[j..].
    let width = e.len() + 1;
    let mut lcs = vec![0u32; (t.len() + 1) * width];
    for i in (0..t.len()).rev() {
        for j in (0..e.len()).rev() {
            lcs[i * width + j] = if t[i] == e[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < t.len() || j < e.len() {
        if i < t.len() && j < e.len() && t[i] == e[j] {
            out.push(Kind::Same, &t[i..=i]);
            i += 1;
            j += 1;
        } else if i < t.len()
            && (j == e.len() || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
        {
            out.push(Kind::Extra, &t[i..=i]);
            i += 1;
        } else {
            out.push(Kind::Missing, &e[j..=j]);
            j += 1;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Same,
    Missing,
    Extra,
}

/// Segments being built: characters of one kind in a row join one run.
#[derive(Default)]
struct Runs(Vec<Segment>);

impl Runs {
    fn push(&mut self, kind: Kind, chars: &[char]) {
        match (self.0.last_mut(), kind) {
            _ if chars.is_empty() => {}
            (Some(Segment::Same(s)), Kind::Same)
            | (Some(Segment::Missing(s)), Kind::Missing)
            | (Some(Segment::Extra(s)), Kind::Extra) => s.extend(chars),
            _ => {
                let run = chars.iter().collect();
                self.0.push(match kind {
                    Kind::Same => Segment::Same(run),
                    Kind::Missing => Segment::Missing(run),
                    Kind::Extra => Segment::Extra(run),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn grade(typed: &str, expected: &str) -> u8 {
        compare(typed, expected, Normalise::default())
            .suggested
            .value()
    }

    #[test]
    fn the_same_answer_is_5_whatever_its_case_and_spacing() {
        assert_eq!(grade("Paris", "Paris"), 5);
        assert_eq!(grade("  paris ", "Paris"), 5);
        assert_eq!(grade("new\n york", "New York"), 5);
        // Composed and decomposed accents are one spelling.
        assert_eq!(grade("e\u{301}te\u{301}", "\u{e9}t\u{e9}"), 5);
    }

    #[test]
    fn a_typo_is_4() {
        assert_eq!(grade("Pari", "Paris"), 4);
        assert_eq!(
            grade("Pairs", "Paris"),
            4,
            "two neighbours swapped: one edit"
        );
        assert_eq!(grade("Parsi x", "Paris"), 2);
        // A long answer forgives a tenth of its length.
        let long = "the mitochondria is the powerhouse of the cell";
        assert_eq!(
            grade("the mitochondira is teh powerhouse of the cell", long),
            4
        );
    }

    #[test]
    fn missing_words_are_close_or_some_overlap() {
        let expected = "Amazon Simple Storage Service";
        assert_eq!(grade("Amazon Storage Service", expected), 3);
        assert_eq!(grade("Amazon", expected), 1);
        assert_eq!(grade("Simple Storage", expected), 2);
        assert_eq!(grade("", expected), 1);
        assert_eq!(grade("Berlin", "Paris"), 1);
    }

    #[test]
    fn diacritics_count_unless_the_config_forgives_them() {
        assert_eq!(grade("resume", "résumé"), 2);
        assert_eq!(grade("Munchen", "München"), 4);
        let lenient = Normalise {
            ignore_diacritics: true,
            ..Normalise::default()
        };
        assert_eq!(compare("resume", "résumé", lenient).suggested.value(), 5);
        let strict = Normalise {
            ignore_case: false,
            collapse_whitespace: false,
            ignore_diacritics: false,
        };
        assert_eq!(compare("paris", "Paris", strict).suggested.value(), 4);
        assert_eq!(compare("Paris ", "Paris", strict).suggested.value(), 4);
    }

    #[test]
    fn the_diff_marks_matching_missing_and_extra_characters() {
        let c = compare("Parsi", "Paris", Normalise::default());
        assert_eq!(
            c.segments,
            [
                Segment::Same("par".into()),
                Segment::Extra("s".into()),
                Segment::Same("i".into()),
                Segment::Missing("s".into()),
            ]
        );
        let c = compare("the cat", "the black cat", Normalise::default());
        assert_eq!(
            c.segments,
            [
                Segment::Same("the ".into()),
                Segment::Missing("black ".into()),
                Segment::Same("cat".into()),
            ]
        );
        assert_eq!(compare("", "", Normalise::default()).segments, []);
        let c = compare("Parsi", "Paris", Normalise::default());
        assert_eq!(c.marked(), "par[+s]i[-s]");
    }

    #[test]
    fn huge_texts_are_compared_without_a_quadratic_table() {
        let expected = "ab".repeat(600_000);
        let typed = format!("x{}", "ba".repeat(5_000));
        let c = compare(&typed, &expected, Normalise::default());
        assert_eq!(c.suggested.value(), 1);
        let rebuilt: String = c
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Same(t) | Segment::Missing(t) => Some(t.as_str()),
                Segment::Extra(_) => None,
            })
            .collect();
        assert_eq!(rebuilt, expected);
    }

    #[test]
    fn a_cloze_card_expects_its_deletions_other_cards_their_back() {
        let e = |front: &str, back: &str| expected(front, back).into_owned();
        assert_eq!(e("[...] is big", "Paris is big\n\nan extra"), "Paris");
        assert_eq!(e("x [capital] y [...]", "x Paris y Lyon"), "Paris, Lyon");
        assert_eq!(e("[...] and [...]", "a and a"), "a");
        assert_eq!(e("Capital of France?", "Paris"), "Paris");
        assert_eq!(e("[AWS] Object store?", "S3"), "S3");
        assert_eq!(e("[...][...]", "ab"), "ab");
        assert_eq!(e("", ""), "");
    }

    fn sides(segments: &[Segment]) -> (String, String) {
        let mut typed = String::new();
        let mut expected = String::new();
        for s in segments {
            match s {
                Segment::Same(t) => {
                    typed.push_str(t);
                    expected.push_str(t);
                }
                Segment::Missing(t) => expected.push_str(t),
                Segment::Extra(t) => typed.push_str(t),
            }
        }
        (typed, expected)
    }

    fn how() -> impl Strategy<Value = Normalise> {
        (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(c, w, d)| Normalise {
            ignore_case: c,
            collapse_whitespace: w,
            ignore_diacritics: d,
        })
    }

    proptest! {
        #[test]
        fn an_exact_answer_is_always_5(expected in "\\PC{0,40}", how in how()) {
            let typed = how.apply(&expected);
            prop_assert_eq!(compare(&typed, &expected, how).suggested.value(), 5);
            prop_assert_eq!(compare(&expected, &expected, how).suggested.value(), 5);
        }

        #[test]
        fn the_suggestion_is_a_grade_from_1_to_5_and_the_diff_rebuilds_both(
            typed in "\\PC{0,30}",
            expected in "\\PC{0,30}",
            how in how(),
        ) {
            let c = compare(&typed, &expected, how);
            prop_assert!((1..=5).contains(&c.suggested.value()));
            prop_assert_eq!(c.suggested.value() == 5, c.typed == c.expected);
            prop_assert_eq!(sides(&c.segments), (c.typed.clone(), c.expected.clone()));
        }
    }
}
