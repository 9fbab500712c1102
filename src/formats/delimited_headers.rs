//! The top of a delimited file: Anki's `#key:value` header lines, and the
//! names a column may go by.

use crate::error::{Error, Result};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Front,
    Back,
    Notes,
    Tags,
    Id,
    Deck,
    Notetype,
    /// A column no role claims (extra Anki fields): ignored.
    Other,
}

pub(super) fn role_by_name(name: &str) -> Option<Role> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "front" | "question" | "text" => Role::Front,
        "back" | "answer" | "extra" | "back extra" => Role::Back,
        "notes" | "note" => Role::Notes,
        "tags" => Role::Tags,
        "id" | "guid" | "key" => Role::Id,
        "deck" => Role::Deck,
        "notetype" | "note type" => Role::Notetype,
        _ => return None,
    })
}

/// The `#` header lines.
#[derive(Debug, Default)]
pub(super) struct Headers {
    pub(super) separator: Option<u8>,
    pub(super) html: bool,
    pub(super) tags: Vec<String>,
    pub(super) columns: Option<String>,
    pub(super) deck: Option<String>,
    pub(super) notetype: Option<String>,
    /// 1-based column numbers from `#guid column:N` and friends.
    pub(super) special: Vec<(usize, Role)>,
    /// How many lines the header block has.
    pub(super) lines: usize,
}

fn separator_named(value: &str) -> Option<u8> {
    Some(match value.trim().to_ascii_lowercase().as_str() {
        "tab" | "\\t" => b'\t',
        "comma" | "," => b',',
        "semicolon" | ";" => b';',
        "pipe" | "|" => b'|',
        "colon" | ":" => b':',
        "space" | " " => b' ',
        _ => return None,
    })
}

pub(super) fn read_headers(file: &str, text: &str) -> Result<Headers> {
    let mut h = Headers::default();
    for (i, line) in text.lines().enumerate() {
        let Some(body) = line.strip_prefix('#') else {
            break;
        };
        h.lines = i + 1;
        let at = |message: String| Error::Parse {
            file: file.to_string(),
            line: i + 1,
            column: 1,
            message,
        };
        // `#` lines without a `key:` are comments, as in Anki.
        let Some((key, value)) = body.split_once(':') else {
            continue;
        };
        let column = || {
            value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or_else(|| at(format!("#{key}: needs a column number (1, 2, …)")))
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "separator" => {
                h.separator = Some(separator_named(value).ok_or_else(|| {
                    at(format!(
                        "unknown separator {:?}; use tab, comma, semicolon, pipe, colon or space",
                        value.trim()
                    ))
                })?);
            }
            "html" => {
                h.html = match value.trim().to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    other => return Err(at(format!("#html: takes true or false, not {other:?}"))),
                }
            }
            "tags" => h.tags = value.split_whitespace().map(str::to_string).collect(),
            "columns" => h.columns = Some(value.to_string()),
            "deck" => h.deck = Some(value.trim().to_string()),
            "notetype" => h.notetype = Some(value.trim().to_string()),
            "guid column" => h.special.push((column()?, Role::Id)),
            "tags column" => h.special.push((column()?, Role::Tags)),
            "deck column" => h.special.push((column()?, Role::Deck)),
            "notetype column" => h.special.push((column()?, Role::Notetype)),
            // Anki's duplicate handling: recall matches by id, so these change nothing.
            "match scope" | "if matches" => {}
            other => {
                return Err(at(format!(
                    "unknown header #{other}: (known: separator, html, tags, columns, deck, \
                     notetype, guid column, tags column, deck column, notetype column)"
                )));
            }
        }
    }
    Ok(h)
}
