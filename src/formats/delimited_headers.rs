//! What is read of a delimited file before its records: Anki's `#key:value`
//! header lines, the names a column may go by, which column holds what,
//! and the separator.

use std::io::BufRead;

use super::decode::UTF8_BOM;
use super::{file_error, line_error};
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

/// The `#` header lines at the top of `text` (after a BOM), and the line
/// after them, the first of the records, with its line end (empty if there
/// is none). Lines are read whole: a long one is still one line.
pub(super) fn read_headers(file: &str, text: &mut impl BufRead) -> Result<(Headers, Vec<u8>)> {
    let mut h = Headers::default();
    let mut line = Vec::new();
    let mut next = |line: &mut Vec<u8>| {
        line.clear();
        text.read_until(b'\n', line)
            .map_err(|e| Error::from_read(file, e))
    };
    next(&mut line)?;
    if line.starts_with(UTF8_BOM) {
        line.drain(..UTF8_BOM.len());
    }
    while let Some(body) = line.strip_prefix(b"#") {
        h.lines += 1;
        // The text is UTF-8 (a file's is checked as it is read).
        let body = String::from_utf8_lossy(without_line_end(body));
        // `#` lines without a `key:` are comments, as in Anki.
        if let Some((key, value)) = body.split_once(':') {
            h.take(key, value)
                .map_err(|message| line_error(file, h.lines, message))?;
        }
        next(&mut line)?;
    }
    Ok((h, line))
}

/// A line without its `\n` or `\r\n`, as `str::lines` gives it.
pub(super) fn without_line_end(line: &[u8]) -> &[u8] {
    match line.strip_suffix(b"\n") {
        Some(line) => line.strip_suffix(b"\r").unwrap_or(line),
        None => line,
    }
}

impl Headers {
    /// Takes the header line `#key:value`.
    fn take(&mut self, key: &str, value: &str) -> std::result::Result<(), String> {
        let column = || {
            value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or_else(|| format!("#{key}: needs a column number (1, 2, …)"))
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "separator" => {
                self.separator = Some(separator_named(value).ok_or_else(|| {
                    format!(
                        "unknown separator {:?}; use tab, comma, semicolon, pipe, colon or space",
                        value.trim()
                    )
                })?);
            }
            "html" => {
                self.html = match value.trim().to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    other => return Err(format!("#html: takes true or false, not {other:?}")),
                }
            }
            "tags" => self.tags = value.split_whitespace().map(str::to_string).collect(),
            "columns" => self.columns = Some(value.to_string()),
            "deck" => self.deck = Some(value.trim().to_string()),
            "notetype" => self.notetype = Some(value.trim().to_string()),
            "guid column" => self.special.push((column()?, Role::Id)),
            "tags column" => self.special.push((column()?, Role::Tags)),
            "deck column" => self.special.push((column()?, Role::Deck)),
            "notetype column" => self.special.push((column()?, Role::Notetype)),
            // Anki's duplicate handling: recall matches by id, so these change nothing.
            "match scope" | "if matches" => {}
            other => {
                return Err(format!(
                    "unknown header #{other}: (known: separator, html, tags, columns, deck, \
                     notetype, guid column, tags column, deck column, notetype column)"
                ));
            }
        }
        Ok(())
    }
}

/// Which column holds what, read from the headers and the first row.
#[derive(Debug)]
pub(super) struct Columns {
    pub(super) roles: Vec<Role>,
    /// The file names its columns (a header row or `#columns:`): it is
    /// recall's own CSV, or written for it, and read strictly. A file that
    /// does not is read as Anki reads it (see `delimited`).
    pub(super) named: bool,
    /// The first row is the header row naming the columns, not a card.
    pub(super) header_row: bool,
}

impl Columns {
    pub(super) fn of(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|&r| r == role)
    }
}

/// The columns of a file whose first row is `first` (`None`: no rows).
pub(super) fn columns(
    file: &str,
    headers: &Headers,
    first: Option<&csv::StringRecord>,
    separator: u8,
) -> Result<Columns> {
    let width = first.map_or(0, csv::StringRecord::len);
    let mut roles = vec![None; width];
    for &(n, role) in &headers.special {
        if n > width {
            return Err(file_error(
                file,
                format!("a #… column:{n} header names a column past the last ({width})"),
            ));
        }
        roles[n - 1] = Some(role);
    }
    let mut header_row = false;
    if let Some(columns) = &headers.columns {
        let names: Vec<&str> = columns.split(char::from(separator)).collect();
        for (i, name) in names.iter().enumerate().take(width) {
            roles[i] = roles[i].or(role_by_name(name));
        }
    } else if let Some(first) = first.filter(|_| headers.special.is_empty()) {
        let named: Vec<_> = first.iter().map(role_by_name).collect();
        if named.iter().all(Option::is_some)
            && named.contains(&Some(Role::Front))
            && named.contains(&Some(Role::Back))
        {
            roles = named;
            header_row = true;
        }
    }
    // Columns left over are the note's fields, in order: front, back, notes.
    let unclaimed: Vec<Role> = [Role::Front, Role::Back, Role::Notes]
        .into_iter()
        .filter(|r| !roles.contains(&Some(*r)))
        .collect();
    let mut positional = unclaimed.into_iter();
    let roles: Vec<Role> = roles
        .into_iter()
        .map(|r| r.unwrap_or_else(|| positional.next().unwrap_or(Role::Other)))
        .collect();
    if !roles.contains(&Role::Front) || !roles.contains(&Role::Back) {
        return Err(file_error(
            file,
            format!(
                "needs a front and a back column, but the first row has {width} column(s) \
                 separated by {:?}; say the separator with a #separator: line",
                char::from(separator)
            ),
        ));
    }
    Ok(Columns {
        roles,
        named: header_row || headers.columns.is_some(),
        header_row,
    })
}

/// Tab if the first line has one, else the most frequent of `,` `;` `|`.
pub(super) fn detect_separator(first_line: &[u8]) -> u8 {
    if first_line.contains(&b'\t') {
        return b'\t';
    }
    [b',', b';', b'|']
        .into_iter()
        .max_by_key(|&s| (first_line.iter().filter(|&&b| b == s).count(), s == b','))
        .unwrap_or(b',')
}
