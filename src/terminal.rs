//! The one rule for output: what is written to a terminal is escaped, what
//! is written to a file or a pipe is data. Every command's stdout (and the
//! error on stderr) goes through `Screen`, which decides once, by
//! `IsTerminal`, and then escapes every byte that passes, whatever wrote it
//! (a report line, a CSV table, a Markdown export).

use std::io::{self, IsTerminal, Write};

use crate::domain::text::escape_controls;

/// A writer that escapes control characters (`escape_controls`: newlines
/// and tabs pass) when `escape` is set, and passes bytes through otherwise.
/// Writes may split a UTF-8 character: its first bytes wait for the rest.
pub struct Screen<W: Write> {
    inner: W,
    escape: bool,
    /// The start of a character split across writes (at most 3 bytes).
    pending: Vec<u8>,
}

impl<W: Write> Screen<W> {
    pub fn new(inner: W, escape: bool) -> Screen<W> {
        Screen {
            inner,
            escape,
            pending: Vec::new(),
        }
    }

    /// Escaped text for `bytes` (after what is pending); a character cut at
    /// the end is kept for the next write, bytes that are not UTF-8 at all
    /// become `\xNN`.
    fn escaped(&mut self, bytes: &[u8]) -> String {
        let mut input = std::mem::take(&mut self.pending);
        input.extend_from_slice(bytes);
        let mut out = String::with_capacity(input.len());
        let mut rest = &input[..];
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    out.push_str(&escape_controls(text));
                    rest = &[];
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    // Valid by `valid_up_to`.
                    out.push_str(&escape_controls(
                        std::str::from_utf8(valid).unwrap_or_default(),
                    ));
                    let Some(bad) = e.error_len() else {
                        self.pending = after.to_vec();
                        break;
                    };
                    for b in &after[..bad] {
                        out.push_str(&format!("\\x{b:02x}"));
                    }
                    rest = &after[bad..];
                }
            }
        }
        out
    }
}

impl Screen<io::Stdout> {
    /// Standard output, escaped when it is a terminal.
    pub fn stdout() -> Screen<io::Stdout> {
        let out = io::stdout();
        let escape = out.is_terminal();
        Screen::new(out, escape)
    }
}

impl Screen<io::Stderr> {
    /// Standard error, escaped when it is a terminal.
    pub fn stderr() -> Screen<io::Stderr> {
        let err = io::stderr();
        let escape = err.is_terminal();
        Screen::new(err, escape)
    }
}

impl<W: Write> Write for Screen<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.escape {
            return self.inner.write(buf);
        }
        let text = self.escaped(buf);
        self.inner.write_all(text.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for Screen<W> {
    fn drop(&mut self) {
        // A character never completed: shown as the bytes it was.
        if !self.pending.is_empty() {
            let shown: String = self.pending.iter().map(|b| format!("\\x{b:02x}")).collect();
            let _ = self.inner.write_all(shown.as_bytes());
            let _ = self.inner.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn through(escape: bool, pieces: &[&[u8]]) -> Vec<u8> {
        let mut sink = Vec::new();
        {
            let mut screen = Screen::new(&mut sink, escape);
            for piece in pieces {
                screen.write_all(piece).unwrap();
            }
        }
        sink
    }

    #[test]
    fn a_terminal_gets_escapes_made_visible() {
        let out = through(
            true,
            &[b"deck \x1b]2;PWNED\x07,3\n", "\u{9b}2J\n".as_bytes()],
        );
        assert_eq!(out, b"deck \\x1b]2;PWNED\\x07,3\n\\x9b2J\n");
    }

    #[test]
    fn a_file_or_pipe_gets_the_bytes_unchanged() {
        let bytes: &[u8] = b"deck \x1b]2;PWNED\x07\xff\n";
        assert_eq!(through(false, &[bytes]), bytes);
    }

    #[test]
    fn a_character_split_across_writes_is_kept_whole() {
        let c1 = "\u{9b}".as_bytes();
        let out = through(true, &[b"a", &c1[..1], &c1[1..], "é".as_bytes()]);
        assert_eq!(String::from_utf8(out).unwrap(), "a\\x9bé");
        let out = through(true, &[b"x\xff", &"é".as_bytes()[..1]]);
        assert_eq!(String::from_utf8(out).unwrap(), "x\\xff\\xc3");
    }

    proptest! {
        #[test]
        fn a_terminal_never_gets_a_control_byte(
            pieces in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..16), 0..8)
        ) {
            let slices: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
            let out = through(true, &slices);
            let text = String::from_utf8(out).unwrap();
            prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        }
    }
}
