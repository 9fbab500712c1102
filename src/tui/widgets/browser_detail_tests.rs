//! The card browser's detail pane: fields laid out in their room.

use super::*;

fn texts(lines: &[Line<'_>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[test]
fn a_field_fills_its_room_and_marks_what_does_not_fit() {
    let theme = Theme::new(false);
    let back = "one\ntwo\nthree\nfour";
    let all = texts(&field_lines("Back", back, Style::new(), 40, 9, &theme));
    assert_eq!(all.len(), 4);
    assert!(all[0].starts_with("Back    one"));
    assert!(all[3].starts_with("        four"));
    let cut = texts(&field_lines("Back", back, Style::new(), 40, 2, &theme));
    assert_eq!(cut.len(), 2);
    assert!(cut[1].trim_end().ends_with("two …"), "{cut:?}");
    // No room at all still names the field.
    let none = texts(&field_lines("Back", "", Style::new(), 40, 0, &theme));
    assert_eq!(none.len(), 1);
    assert!(none[0].starts_with("Back"));
}

#[test]
fn a_field_is_escaped_and_wrapped_to_the_pane() {
    let theme = Theme::new(false);
    let front = "a \u{1b}[2J long line of words that must wrap inside the pane";
    let lines = texts(&field_lines("Front", front, Style::new(), 30, 9, &theme));
    assert!(lines.len() > 1, "{lines:?}");
    for line in &lines {
        assert!(!line.contains('\u{1b}'), "{line:?}");
        assert!(text::width(line) <= 30, "{line:?}");
    }
}
