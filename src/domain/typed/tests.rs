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
