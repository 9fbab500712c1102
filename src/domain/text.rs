//! Untrusted text (card text, deck names, ids, file names) can carry escape
//! sequences that would retitle or reprogram the user's terminal, and bidi
//! or zero-width characters that make it read as something it is not.
//! Three escapers, one for each kind of place text is shown:
//! - `escape_controls`: multi-line text (a card's sides); newlines and tabs
//!   are kept, every other control and the bidi overrides become visible.
//! - `escape_line`: one-line contexts (a list row, a deck name in a header);
//!   nothing can start a new line there, and invisible characters show.
//! - `escape_json`: serialized JSON, where these characters become `\uXXXX`
//!   (the same JSON value, but nothing a terminal or an editor acts on).

use std::borrow::Cow;
use std::fmt::Write;

/// Characters that must never reach a terminal raw: C0 controls other than
/// newline and tab, DEL, C1 controls, and the bidi overrides that can make
/// text read differently from what it is.
fn is_unsafe(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Every bidi control: the marks, embeddings, overrides and isolates.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters that take no room on screen: a name holding one looks like
/// another name.
pub fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// What a one-line context must not show raw: every control (newline, CR
/// and tab too), bidi controls, zero-width characters, and the Unicode line
/// and paragraph separators that some programs break lines at.
fn breaks_a_line(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_zero_width(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The character as a visible escape: `\x1b` below U+0100, else `\u{202e}`.
fn push_escaped(out: &mut String, c: char) {
    if (c as u32) < 0x100 {
        let _ = write!(out, "\\x{:02x}", c as u32);
    } else {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    }
}

fn escape_with(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Replaces unsafe characters with a visible escape (`\x1b`, `\u{202e}`);
/// newlines and tabs are kept. Borrowed when nothing needs escaping.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape_with(text, is_unsafe)
}

/// For one-line contexts: every control (newline and tab included), bidi
/// control and zero-width character becomes a visible escape, so a deck
/// name or an id can neither forge a line nor pass for another.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape_with(text, breaks_a_line)
}

/// Serialized JSON with C1 controls, bidi controls and zero-width
/// characters written as `\uXXXX` (serde_json escapes only C0). Outside
/// strings JSON is ASCII, so every such character is inside a string and
/// the escape keeps the value.
pub fn escape_json(json: &str) -> Cow<'_, str> {
    let hidden =
        |c: char| ('\u{80}'..='\u{9f}').contains(&c) || is_bidi_control(c) || is_zero_width(c);
    if !json.chars().any(hidden) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if hidden(c) {
            // All of them are in the Basic Multilingual Plane: one \uXXXX.
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The first character a deck name or card id may not hold (a control,
/// newline and tab included, or a bidi control), as an escape (`\u{1b}`)
/// for the error message.
pub fn forbidden_in_name(name: &str) -> Option<String> {
    // Checked a byte at a time first, since every card id of an import
    // comes through here (the char-by-char search was 2-4 % of an import):
    // in UTF-8 each forbidden character is an ASCII control or DEL, or
    // starts with 0xC2 (U+0080-U+009F), 0xD8 (U+061C) or 0xE2 (the
    // U+2000 bidi marks), so text without those bytes holds none.
    if !name
        .bytes()
        .any(|b| b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2))
    {
        return None;
    }
    name.chars()
        .find(|&c| c.is_control() || is_bidi_control(c))
        .map(|c| c.escape_unicode().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escape_sequences_become_visible() {
        let hostile = "Title \u{1b}]2;PWNED\u{7} front";
        assert_eq!(escape_controls(hostile), "Title \\x1b]2;PWNED\\x07 front");
        assert_eq!(escape_controls("a\u{9b}b\u{7f}"), "a\\x9bb\\x7f");
        assert_eq!(escape_controls("x\u{202e}y"), "x\\u{202e}y");
    }

    #[test]
    fn ordinary_text_is_untouched_and_borrowed() {
        let text = "Redis vs Memcached\n\t┌──┐ 👍🏽 नई दिल्ली";
        assert!(matches!(escape_controls(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn one_line_escaping_shows_line_breaks_bidi_and_zero_width_characters() {
        assert_eq!(escape_line("a\nb\r\tc"), "a\\x0ab\\x0d\\x09c");
        assert_eq!(escape_line("x\u{202e}y\u{200b}z"), "x\\u{202e}y\\u{200b}z");
        assert_eq!(escape_line("\u{1b}]2;t\u{7}"), "\\x1b]2;t\\x07");
        let plain = "Español: verbs 👍🏽 नई दिल्ली";
        assert!(matches!(escape_line(plain), Cow::Borrowed(t) if t == plain));
    }

    #[test]
    fn json_escaping_writes_c1_bidi_and_zero_width_as_unicode_escapes() {
        let json = serde_json::to_string("a\u{9b}b\u{202e}c\u{feff}").unwrap();
        let escaped = escape_json(&json);
        assert_eq!(escaped, "\"a\\u009bb\\u202ec\\ufeff\"");
        let back: String = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, "a\u{9b}b\u{202e}c\u{feff}");
    }

    #[test]
    fn names_with_controls_or_bidi_controls_are_refused_naming_the_character() {
        assert_eq!(forbidden_in_name("a\nb").as_deref(), Some("\\u{a}"));
        assert_eq!(forbidden_in_name("x\u{1b}[2J").as_deref(), Some("\\u{1b}"));
        assert_eq!(forbidden_in_name("x\u{85}").as_deref(), Some("\\u{85}"));
        assert_eq!(forbidden_in_name("x\u{202e}").as_deref(), Some("\\u{202e}"));
        assert_eq!(forbidden_in_name("Spanish: verbs (ñ) 👍🏽"), None);
        assert_eq!(forbidden_in_name("plain ~ ascii"), None);
        assert_eq!(forbidden_in_name("del\u{7f}").as_deref(), Some("\\u{7f}"));
    }

    proptest! {
        /// The byte shortcut answers as the character test does, on text
        /// mixing ASCII, the forbidden characters and their neighbours.
        #[test]
        fn the_byte_shortcut_agrees_with_the_character_test(
            s in "[\\x00-\\x7f\\u{80}-\\u{a0}\\u{600}-\\u{620}\\u{2000}-\\u{2070}é👍]{0,12}",
            other in any::<String>(),
        ) {
            for text in [&s, &other] {
                let slow = text
                    .chars()
                    .find(|&c| c.is_control() || is_bidi_control(c))
                    .map(|c| c.escape_unicode().to_string());
                prop_assert_eq!(forbidden_in_name(text), slow);
            }
        }
    }

    proptest! {
        #[test]
        fn output_never_holds_a_control_character(s in any::<String>()) {
            let out = escape_controls(&s);
            prop_assert!(!out.chars().any(is_unsafe));
        }

        #[test]
        fn one_line_output_never_holds_a_control_bidi_or_zero_width_character(
            s in any::<String>()
        ) {
            let out = escape_line(&s);
            prop_assert!(!out.chars().any(breaks_a_line));
            prop_assert!(!out.contains('\n') && !out.contains('\r'));
            prop_assert!(!out.chars().any(|c| c.is_control() || is_bidi_control(c) || is_zero_width(c)));
        }

        #[test]
        fn json_escaping_keeps_the_value(s in any::<String>()) {
            let escaped = escape_json(&serde_json::to_string(&s).unwrap()).into_owned();
            prop_assert!(!escaped.chars().any(|c| c.is_control() || is_bidi_control(c) || is_zero_width(c)));
            let back: String = serde_json::from_str(&escaped).unwrap();
            prop_assert_eq!(back, s);
        }
    }
}
