//! A quoted field that never closes: the csv crate reads one to the end of
//! the file without a word, taking every card after it into one field. So
//! the bytes it reads are watched on the way in, and the end of the file
//! is refused at the line where that field opened.

use std::io::Read;

use super::line_error;

/// The reader of a delimited file's records (`first_line` lines after the
/// top of the file) that fails at its end if a quoted field is still open.
pub(super) struct QuoteWatch<'a, R> {
    inner: R,
    quotes: Quotes,
    file: &'a str,
    first_line: usize,
}

impl<'a, R: Read> QuoteWatch<'a, R> {
    pub(super) fn new(file: &'a str, first_line: usize, separator: u8, inner: R) -> Self {
        QuoteWatch {
            inner,
            quotes: Quotes::new(separator),
            file,
            first_line,
        }
    }
}

impl<R: Read> Read for QuoteWatch<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.quotes.feed(&buf[..n]);
        } else if let Some(line) = self.quotes.open().filter(|_| !buf.is_empty()) {
            let message = "a quoted field is never closed (unterminated \")";
            return Err(line_error(self.file, self.first_line + line, message).into_io());
        }
        Ok(n)
    }
}

/// Where the bytes seen so far leave off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a record: `#` begins a comment, `"` a quoted field.
    RecordStart,
    /// At the start of a field (a `\r` keeps it there): `"` quotes it.
    FieldStart,
    /// In a field that is not quoted, or past a quoted one's end.
    Unquoted,
    /// In a comment line, to its end.
    Comment,
    /// In a quoted field opened at `.0`.
    Quoted(usize),
    /// Past a `"` in a quoted field: the next byte says whether it closed
    /// the field or began a `""`.
    QuoteInQuoted(usize),
}

/// The quoting of a delimited file's records, fed piece by piece: the
/// line where a quoted field opened and has not closed, if one has.
/// Comment lines (`#` at the start of a record) are passed over.
struct Quotes {
    separator: u8,
    state: State,
    line: usize,
}

impl Quotes {
    fn new(separator: u8) -> Quotes {
        Quotes {
            separator,
            state: State::RecordStart,
            line: 1,
        }
    }

    /// The line (from 1) of the quoted field still open, if one is.
    fn open(&self) -> Option<usize> {
        match self.state {
            State::Quoted(opened) => Some(opened),
            _ => None,
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            // Most bytes change nothing: skipped to the next that may.
            let rest = &bytes[i..];
            let next = match self.state {
                State::Unquoted => memchr::memchr2(b'\n', self.separator, rest),
                State::Quoted(_) => memchr::memchr2(b'"', b'\n', rest),
                State::Comment => memchr::memchr(b'\n', rest),
                _ => Some(0),
            };
            let Some(skip) = next else {
                return;
            };
            i += skip;
            self.step(bytes[i]);
            i += 1;
        }
    }

    fn step(&mut self, b: u8) {
        let separator = self.separator;
        self.state = match (self.state, b) {
            (State::Quoted(opened), b'"') => State::QuoteInQuoted(opened),
            (State::QuoteInQuoted(opened), b'"') => State::Quoted(opened),
            (State::Quoted(_) | State::Comment, b'\n') => {
                self.line += 1;
                match self.state {
                    State::Comment => State::RecordStart,
                    other => other,
                }
            }
            (State::Quoted(_) | State::Comment, _) => self.state,
            (State::RecordStart, b'#') => State::Comment,
            (State::RecordStart | State::FieldStart, b'"') => State::Quoted(self.line),
            (State::RecordStart | State::FieldStart, b'\r') => State::FieldStart,
            // Outside quotes (a quoted field just closed included).
            (_, b'\n') => {
                self.line += 1;
                State::RecordStart
            }
            (_, b) if b == separator => State::FieldStart,
            _ => State::Unquoted,
        };
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The check as it was made on the whole text before files were read
    /// in pieces: what `Quotes` must answer, however the text is cut.
    fn whole_text(data: &str, separator: u8) -> Option<usize> {
        let bytes = data.as_bytes();
        let mut line = 1;
        let mut field_start = true;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let record_start = i == 0 || bytes[i - 1] == b'\n';
            if record_start && b == b'#' {
                i = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |n| i + n);
                continue;
            }
            if field_start && b == b'"' {
                let opened = line;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return Some(opened),
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => break,
                        Some(b'\n') => {
                            line += 1;
                            i += 1;
                        }
                        Some(_) => i += 1,
                    }
                }
                i += 1;
                field_start = false;
                continue;
            }
            if b == b'\n' {
                line += 1;
            }
            field_start = b == separator || b == b'\n' || (b == b'\r' && field_start);
            i += 1;
        }
        None
    }

    fn in_pieces(data: &str, separator: u8, size: usize) -> Option<usize> {
        let mut quotes = Quotes::new(separator);
        for piece in data.as_bytes().chunks(size.max(1)) {
            quotes.feed(piece);
        }
        quotes.open()
    }

    #[test]
    fn an_open_quote_is_found_at_its_line() {
        let cases = [
            ("q1,a1\n\"q2,a2\nq3,a3\n", Some(2)),
            ("q1,\"a\n\"\"b\"\"\nc\"\n\"open", Some(4)),
            ("# it's \"a comment\nq,a\n", None),
            ("q,a\"b\n", None),
            ("q,\"a\"\"\"\n", None),
            ("q,\"a\"\"", Some(1)),
            ("\r\"q,a\n", Some(1)),
            ("q,a\n#\n\"x", Some(3)),
        ];
        for (data, line) in cases {
            assert_eq!(whole_text(data, b','), line, "{data:?}");
            for size in 1..=data.len() {
                assert_eq!(in_pieces(data, b',', size), line, "{data:?} in {size}s");
            }
        }
    }

    #[test]
    fn the_end_of_the_records_is_refused_with_a_quote_open() {
        let mut out = Vec::new();
        let e = QuoteWatch::new("d.csv", 2, b',', &b"q,a\n\"q2\n"[..])
            .read_to_end(&mut out)
            .unwrap_err();
        assert_eq!(
            crate::error::Error::from_read("d.csv", e).to_string(),
            "d.csv:4:1: a quoted field is never closed (unterminated \")"
        );
    }

    proptest! {
        #[test]
        fn any_cut_finds_what_the_whole_text_finds(
            data in "[a-c,;\t\"#\r\n]{0,40}",
            separator in prop::sample::select(vec![b',', b';', b'\t']),
            size in 1usize..7,
        ) {
            prop_assert_eq!(in_pieces(&data, separator, size), whole_text(&data, separator));
        }
    }
}
