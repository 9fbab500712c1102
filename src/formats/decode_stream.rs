//! `decode_text`'s checks of UTF-8 text on a file read in pieces: valid
//! UTF-8 and no NUL byte, each refused with the error, line and column the
//! whole file gives (that it is not empty, the caller has seen in its
//! first piece: see `decode::shows_text`). The text before a
//! mistake is gone by the time it shows, so lines and columns are counted
//! as the pieces go by, and a character cut by the end of a piece waits
//! for the rest of it in the next.

use std::io::Read;

use super::decode::{NUL_BYTE, not_utf8};
use crate::error::{Error, Result};

/// A reader of a file's bytes past its BOM (the caller skips one, as
/// `decode_utf8` does) that fails, with the located error of `decode_text`
/// carried through the `io::Error` (`Error::from_read` takes it back out),
/// at the first piece that proves the file no UTF-8 text.
/// The bytes of a character cut by the end of one read are passed on
/// before they are judged: no line or record can end before the next
/// read (or the end of the file), which judges them.
pub(super) struct CheckedText<R> {
    inner: R,
    check: TextCheck,
}

impl<R: Read> CheckedText<R> {
    pub(super) fn new(file: &str, inner: R) -> Self {
        CheckedText {
            inner,
            check: TextCheck::new(file),
        }
    }
}

impl<R: Read> Read for CheckedText<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        let checked = match n {
            0 => self.check.finish(),
            n => self.check.feed(&buf[..n]),
        };
        checked.map_err(Error::into_io)?;
        Ok(n)
    }
}

/// Where the next byte of the text is.
#[derive(Debug, Clone, Copy)]
struct Place {
    /// Bytes before it.
    offset: u64,
    /// From 1.
    line: usize,
    /// Bytes and characters since its line began.
    column_bytes: usize,
    column_chars: usize,
}

impl Place {
    fn past(mut self, text: &str) -> Place {
        let bytes = text.as_bytes();
        self.offset += bytes.len() as u64;
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                self.line += newlines(bytes);
                let tail = &text[last + 1..];
                self.column_bytes = tail.len();
                self.column_chars = tail.chars().count();
            }
            None => {
                self.column_bytes += bytes.len();
                self.column_chars += text.chars().count();
            }
        }
        self
    }
}

/// The `\n` bytes in `bytes`, counted in a byte for each 255 of them: that
/// vectorizes on any x86-64, where a count in a `usize` took 4.7
/// instructions a byte, 2 % of importing a TSV file (memchr's skipping
/// does not pay on lines this short).
fn newlines(bytes: &[u8]) -> usize {
    let in_byte = |piece: &[u8]| piece.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
    bytes
        .chunks(255)
        .map(|piece| usize::from(in_byte(piece)))
        .sum()
}

/// The checks, fed the file's bytes piece by piece.
struct TextCheck {
    file: String,
    /// The bytes of a character cut by the end of the last piece.
    cut: [u8; 4],
    cut_len: usize,
    at: Place,
}

impl TextCheck {
    fn new(file: &str) -> TextCheck {
        TextCheck {
            file: file.to_string(),
            cut: [0; 4],
            cut_len: 0,
            at: Place {
                offset: 0,
                line: 1,
                column_bytes: 0,
                column_chars: 0,
            },
        }
    }

    fn feed(&mut self, mut bytes: &[u8]) -> Result<()> {
        if self.cut_len > 0 {
            bytes = self.complete_cut(bytes)?;
            if self.cut_len > 0 {
                return Ok(()); // all of `bytes` went to the character
            }
        }
        let whole = bytes.len() - cut_at_end(bytes);
        let (text, cut) = bytes.split_at(whole);
        let text = std::str::from_utf8(text).map_err(|e| self.not_utf8(text, e.valid_up_to()))?;
        self.accept(text)?;
        self.cut[..cut.len()].copy_from_slice(cut);
        self.cut_len = cut.len();
        Ok(())
    }

    /// The end of the file: a character cut there is not UTF-8.
    fn finish(&self) -> Result<()> {
        match self.cut_len {
            0 => Ok(()),
            _ => Err(self.not_utf8(b"", 0)),
        }
    }

    /// Completes the character cut by the last piece with the first bytes
    /// of this one; the rest of `bytes`.
    fn complete_cut<'b>(&mut self, bytes: &'b [u8]) -> Result<&'b [u8]> {
        let need = utf8_width(self.cut[0]) - self.cut_len;
        let take = need.min(bytes.len());
        let mut char_bytes = self.cut;
        char_bytes[self.cut_len..self.cut_len + take].copy_from_slice(&bytes[..take]);
        let got = &char_bytes[..self.cut_len + take];
        match std::str::from_utf8(got) {
            Ok(text) => {
                self.accept(text)?;
                self.cut_len = 0;
            }
            // Still short of its end, and right so far.
            Err(e) if e.error_len().is_none() => {
                self.cut = char_bytes;
                self.cut_len = got.len();
            }
            Err(_) => return Err(self.not_utf8(b"", 0)),
        }
        Ok(&bytes[take..])
    }

    /// Valid text: refused at a NUL byte, else counted.
    fn accept(&mut self, text: &str) -> Result<()> {
        if let Some(i) = memchr::memchr(0, text.as_bytes()) {
            let at = self.at.past(&text[..i]);
            return Err(Error::Parse {
                file: self.file.clone(),
                line: at.line,
                column: at.column_chars + 1,
                message: NUL_BYTE.to_string(),
            });
        }
        self.at = self.at.past(text);
        Ok(())
    }

    /// The error of a piece that stops being UTF-8 `valid` bytes in.
    fn not_utf8(&self, piece: &[u8], valid: usize) -> Error {
        let before = std::str::from_utf8(&piece[..valid]).unwrap_or_default();
        let at = self.at.past(before);
        not_utf8(&self.file, at.line, at.column_bytes + 1, at.offset)
    }
}

/// How many bytes at the end of `bytes` begin a character that does not
/// end in them (0 to 3): they wait for the next piece.
fn cut_at_end(bytes: &[u8]) -> usize {
    let tail = &bytes[bytes.len().saturating_sub(3)..];
    match tail.iter().rposition(|&b| b & 0xc0 != 0x80) {
        Some(lead) if utf8_width(tail[lead]) > tail.len() - lead => tail.len() - lead,
        _ => 0,
    }
}

/// The length of the character a byte begins, by its high bits (1 for
/// bytes that begin none: `from_utf8` refuses them where they are).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::formats::decode::{UTF8_BOM, is_utf8, shows_text};
    use crate::formats::decode_text;

    /// `bytes` read through `CheckedText` in reads of `size` bytes at most,
    /// past a BOM as `load` skips it (which streams only a file that shows
    /// text: the rest is read whole).
    fn streamed(bytes: &[u8], size: usize) -> std::result::Result<(), String> {
        if !shows_text(bytes) {
            return whole(bytes);
        }
        let text = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        let mut reader = CheckedText::new("f", text);
        let mut buf = vec![0; size];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(e) => return Err(Error::from_read("f", e).to_string()),
            }
        }
    }

    fn whole(bytes: &[u8]) -> std::result::Result<(), String> {
        decode_text("f", bytes)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_errors_of_a_streamed_file_are_the_whole_files() {
        let cases: &[&[u8]] = &[
            b"q,a\n",
            b"",
            b" \n\t\r\n",
            b"\xef\xbb\xbf",
            b"\xef\xbb\xbf \n",
            b"\xef\xbb",
            b"\xef\xbbA",
            b"\xef\xbb\xbf\xef\xbb\xbf",
            b" \xef\xbb\xbf",
            "q,é\nr,ü\n".as_bytes(),
            b"ok\nbad \xff",
            b"ok\nbad \xc3",
            b"ok\nbad \xc3\n",
            b"ok\nbad \xe2\x82",
            b"ok\n\xf0\x9f\x91\x8d\xed\xa0\x80",
            b"\xef\xbb\xbfq\na\xc3\xa9\xff",
            "q,a\nq2,é\0".as_bytes(),
            b"\xef\xbb\xbf\0",
            "é\u{2003}\n\u{3000}".as_bytes(),
        ];
        for bytes in cases {
            for size in [1, 2, 3, 4, 5, 64] {
                assert_eq!(streamed(bytes, size), whole(bytes), "{bytes:?} in {size}s");
            }
        }
        // Past 255 lines in one read (counted a byte at a time for each 255).
        let long = [b"q,a\n".repeat(600), b"q\xff".to_vec()].concat();
        assert_eq!(streamed(&long, 4000), whole(&long));
        assert!(streamed(&long, 4000).unwrap_err().starts_with("f:601:2:"));
        assert_eq!(
            streamed(b"ok\nbad \xff", 2).unwrap_err(),
            "f:2:5: not valid UTF-8 (byte 8 of the file)"
        );
        assert_eq!(
            streamed("a\nüé\0".as_bytes(), 1).unwrap_err(),
            "f:2:3: binary data (a NUL byte), not a text deck"
        );
    }

    /// Bytes that are mostly text: ASCII, line ends, characters of two to
    /// four bytes, BOMs, with now and then a NUL or a byte that is no UTF-8.
    fn texty() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            8 => "[a-z,\t ]{1,6}".prop_map(String::into_bytes),
            3 => Just(b"\n".to_vec()),
            3 => "[é€👍\u{3000}\u{feff}]{1,3}".prop_map(String::into_bytes),
            1 => Just(b"\xef\xbb\xbf".to_vec()),
            1 => prop::sample::select(vec![0x80u8, 0xc3, 0xe2, 0xf0, 0xff, 0xed]).prop_map(|b| vec![b]),
            1 => Just(b"\0".to_vec()),
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|p| p.concat())
    }

    proptest! {
        /// With one kind of mistake in it, a file gives the same error
        /// however it is cut into pieces; with both, which comes first may
        /// differ (the whole file's UTF-8 is judged before its NULs), but
        /// both refuse it.
        #[test]
        fn any_cut_gives_the_whole_files_answer(bytes in texty(), size in 1usize..9) {
            prop_assume!(is_utf8(&bytes));
            let one_kind = !bytes.contains(&0) || std::str::from_utf8(&bytes).is_ok();
            if one_kind {
                prop_assert_eq!(streamed(&bytes, size), whole(&bytes));
            } else {
                prop_assert!(streamed(&bytes, size).is_err() && whole(&bytes).is_err());
            }
        }
    }
}
