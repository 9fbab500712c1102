//! Card text is untrusted: a deck file can carry escape sequences that would
//! retitle or reprogram the user's terminal. Everything that reaches a
//! terminal goes through `escape_controls` first.

use std::borrow::Cow;
use std::fmt::Write;

/// Characters that must never reach a terminal raw: C0 controls other than
/// newline and tab, DEL, C1 controls, and the bidi overrides that can make
/// text read differently from what it is.
fn is_unsafe(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Replaces unsafe characters with a visible escape (`\x1b`, `\u{202e}`);
/// newlines and tabs are kept. Borrowed when nothing needs escaping.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unsafe(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
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

    proptest! {
        #[test]
        fn output_never_holds_a_control_character(s in any::<String>()) {
            let out = escape_controls(&s);
            prop_assert!(!out.chars().any(is_unsafe));
        }
    }
}
