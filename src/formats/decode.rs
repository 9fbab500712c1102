//! Bytes to text: UTF-8 with or without a BOM, UTF-16 with a BOM; every
//! other encoding, binary data and emptiness refused with a located error.

use std::borrow::Cow;

use super::file_error;
use crate::error::{Error, Result};

/// The text of a deck file: UTF-8 (a BOM is skipped) or UTF-16 with a BOM.
/// Empty files, binary data and invalid UTF-8 are refused, saying where.
pub fn decode_text<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    let whole = |message: &str| file_error(file, message.to_string());
    let utf16 = |rest: &[u8], be: bool| -> Result<Cow<'a, str>> {
        if !rest.len().is_multiple_of(2) {
            return Err(whole("UTF-16 text with an odd number of bytes"));
        }
        let units = rest.chunks_exact(2).map(|p| {
            if be {
                u16::from_be_bytes([p[0], p[1]])
            } else {
                u16::from_le_bytes([p[0], p[1]])
            }
        });
        String::from_utf16(&units.collect::<Vec<_>>())
            .map(Cow::Owned)
            .map_err(|_| whole("UTF-16 text with an unpaired surrogate; save the file as UTF-8"))
    };
    let text = if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        utf16(rest, false)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        utf16(rest, true)?
    } else if looks_like_utf16(bytes) {
        return Err(whole(
            "looks like UTF-16 without a byte-order mark; save the file as UTF-8",
        ));
    } else {
        decode_utf8(file, bytes)?
    };
    if text.trim().is_empty() {
        return Err(whole("the file is empty"));
    }
    if let Some(at) = text.find('\0') {
        return Err(Error::at_offset(file, &text, at, NUL_BYTE));
    }
    Ok(text)
}

/// Whether the UTF-8 text of a file starting with `head` shows a character
/// other than whitespace in it. Until one shows, the file may be empty:
/// only its end can tell, and that error comes before any other.
pub(super) fn shows_text(head: &[u8]) -> bool {
    let text = head.strip_prefix(UTF8_BOM).unwrap_or(head);
    let valid = match std::str::from_utf8(text) {
        Ok(valid) => valid,
        Err(e) => std::str::from_utf8(&text[..e.valid_up_to()]).unwrap_or_default(),
    };
    valid.contains(|c: char| !c.is_whitespace())
}

/// The byte-order mark UTF-8 text may begin with: skipped.
pub(super) const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// The message of a NUL byte in a text deck.
pub(super) const NUL_BYTE: &str = "binary data (a NUL byte), not a text deck";

/// Whether `decode_text` reads bytes that start with `head` as UTF-8 (a
/// BOM or none), not as UTF-16.
pub(super) fn is_utf8(head: &[u8]) -> bool {
    !head.starts_with(b"\xff\xfe") && !head.starts_with(b"\xfe\xff") && !looks_like_utf16(head)
}

/// Text in UTF-16 has a NUL in every other byte of its ASCII characters
/// (without a byte-order mark too: `input` lets such a file through to be
/// named here).
pub(super) fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64) & !1];
    head.len() >= 4 && {
        let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let half = head.len() / 2;
        (even == 0 && odd * 4 >= half * 3) || (odd == 0 && even * 4 >= half * 3)
    }
}

/// The file's text, or an error that says where it stops being UTF-8.
pub fn decode_utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid.rsplit(|&b| b == b'\n').next().map_or(0, <[u8]>::len) + 1;
            Err(not_utf8(file, line, column, e.valid_up_to() as u64))
        }
    }
}

/// The error of bytes that stop being UTF-8 at `line` and `column` (in
/// bytes, from 1), `offset` bytes into the file (a BOM not counted).
pub(super) fn not_utf8(file: &str, line: usize, column: usize, offset: u64) -> Error {
    Error::Parse {
        file: file.to_string(),
        line,
        column,
        message: format!("not valid UTF-8 (byte {} of the file)", offset + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_decoding_accepts_boms_and_refuses_the_rest() {
        let utf16: Vec<u8> = "q,a".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let with_bom = [b"\xff\xfe".as_slice(), &utf16].concat();
        assert_eq!(decode_text("f", &with_bom).unwrap(), "q,a");
        let be: Vec<u8> = "q,a".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(
            decode_text("f", &[b"\xfe\xff".as_slice(), &be].concat()).unwrap(),
            "q,a"
        );
        let e = decode_text("f", &utf16).unwrap_err().to_string();
        assert!(e.contains("UTF-16 without a byte-order mark"), "{e}");
        assert_eq!(decode_text("f", b"\xef\xbb\xbfq").unwrap(), "q");
        let e = decode_text("f", b"ok\nbad \xff").unwrap_err().to_string();
        assert_eq!(e, "f:2:5: not valid UTF-8 (byte 8 of the file)");
    }
}
