//! Character references in text, decoded as a browser decodes them in an
//! element's text, with html5ever's copy of the HTML standard's table of
//! named references (all 2231, `&nbsp;` to `&CounterClockwiseContourIntegral;`).

use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};

/// Decodes `&amp;`, `&#39;`, `&#x1F600;`, every named reference of HTML
/// (also the legacy ones without `;`, such as `&copy`), as a browser does;
/// `&bogus;` and `&#;` stay as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp + 1..];
        let used = match tail.strip_prefix('#') {
            Some(number) => numeric(number, &mut out).map(|n| n + 1),
            None => named(tail, &mut out),
        };
        match used {
            Some(used) => rest = &tail[used..],
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The longest named reference `tail` starts with, pushed to `out`; how
/// many bytes it took.
fn named(tail: &str, out: &mut String) -> Option<usize> {
    let mut found = None;
    for (i, b) in tail.bytes().enumerate() {
        if !(b.is_ascii_alphanumeric() || b == b';') {
            break;
        }
        // The table holds every prefix of every name (as (0, 0)), so the
        // search stops as soon as no name can match any more.
        match NAMED_ENTITIES.get(&tail[..=i]) {
            None => break,
            Some(&(0, _)) => {}
            Some(&(first, second)) => found = Some((first, second, i + 1)),
        }
        if b == b';' {
            break;
        }
    }
    let (first, second, len) = found?;
    out.extend(char::from_u32(first));
    if second != 0 {
        out.extend(char::from_u32(second));
    }
    Some(len)
}

/// `&#…`: the digits after `#` (hex after `x`), an optional `;`; what a
/// browser puts for a code point no character may have.
fn numeric(number: &str, out: &mut String) -> Option<usize> {
    let (digits, radix, skip) = match number.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16, 1),
        None => (number, 10, 0),
    };
    let len = digits
        .bytes()
        .take_while(|b| (*b as char).is_digit(radix))
        .count();
    if len == 0 {
        return None;
    }
    // Saturates: any value past U+10FFFF is as wrong as another.
    let code = digits.bytes().take(len).fold(0u32, |acc, b| {
        let digit = (b as char).to_digit(radix).unwrap_or(0);
        acc.saturating_mul(radix)
            .saturating_add(digit)
            .min(0x11_0000)
    });
    let c = match code {
        0 | 0xd800..=0xdfff | 0x11_0000.. => '\u{fffd}',
        0x80..=0x9f => C1_REPLACEMENTS[(code - 0x80) as usize]
            .or(char::from_u32(code))
            .unwrap_or('\u{fffd}'),
        _ => char::from_u32(code).unwrap_or('\u{fffd}'),
    };
    out.push(c);
    let semicolon = usize::from(digits[len..].starts_with(';'));
    Some(skip + len + semicolon)
}
