//! vocage vocabulary files (github.com/proycon/vocage): tab-separated, no
//! quoting, the columns named by an upper-case header on the very first
//! line (or a `#--columns A,B,C` line). `#` lines are comments, `#--key
//! value` lines are vocage's settings (only `columns` matters to recall),
//! `-` is an empty field. vocage keeps its schedule in the file as
//! `deck#N` and `due@DATE` fields; recall leaves those out (its own
//! schedule starts new).
//!
//! A card shows every column, as vocage does by default: the first on the
//! front, the others on the back, one per line, each under its name. Ids
//! are derived from the front (`-2` for a repeated one).

use super::delimited_headers::role_by_name;
use super::foreign::DeckBuilder;
use super::{Loaded, normalize_text};
use crate::domain::CardDraft;
use crate::error::Result;

/// vocage's schedule fields, not card text.
fn is_schedule(field: &str) -> bool {
    field.starts_with("deck#") || field.starts_with("due@")
}

/// vocage's header test (first line, upper case, no schedule fields), made
/// stricter: two or more columns, at least one cased letter, and not only
/// recall's own column names (those read as any CSV header row does).
fn is_header(line: &str) -> bool {
    let cells: Vec<&str> = line.split('\t').collect();
    cells.len() >= 2
        && line == line.to_uppercase()
        && line.chars().any(char::is_uppercase)
        && !cells.iter().any(|c| is_schedule(c))
        && !cells.iter().all(|c| role_by_name(c).is_some())
}

/// Whether text is a vocage file: an upper-case header line, or vocage's
/// schedule fields on a line.
pub fn looks_like(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
    is_header(first)
        || text.lines().take(50).any(|l| {
            l.split('\t').skip(1).any(|f| {
                is_schedule(f.trim_end_matches('\r'))
                    && (f.starts_with("due@") || f[5..].trim_end().parse::<u8>().is_ok())
            })
        })
}

/// Parses a vocage file into one deck named `stem`.
pub fn parse(file: &str, stem: &str, text: &str) -> Result<Loaded> {
    let text = normalize_text(text.strip_prefix('\u{feff}').unwrap_or(text));
    let mut columns: Vec<String> = Vec::new();
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(setting) = line.strip_prefix("#--") {
            if let Some(names) = setting.strip_prefix("columns") {
                columns = names
                    .trim()
                    .split(',')
                    .map(|n| n.trim().to_string())
                    .collect();
            }
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if i == 0 && is_header(line) {
            columns = line.split('\t').map(|n| n.trim().to_string()).collect();
            continue;
        }
        let fields = line
            .split('\t')
            .filter(|f| !is_schedule(f))
            .map(|f| match f.trim() {
                "-" => String::new(),
                f => f.to_string(),
            })
            .collect();
        rows.push((i + 1, fields));
    }
    let mut loaded = Loaded::default();
    let mut deck = DeckBuilder::new(file, stem)?;
    for (line, fields) in rows {
        let Some(front) = fields.first().filter(|f| !f.is_empty()).cloned() else {
            loaded
                .skipped
                .push(format!("line {line}: its first column is empty"));
            continue;
        };
        let card = CardDraft {
            key: String::new(),
            front,
            back: back(&columns, &fields),
            notes: String::new(),
            tags: Vec::new(),
            typed: false,
        };
        deck.push(card, line)?;
    }
    deck.finish(loaded, "no row with a first column (vocage)")
}

/// Every column after the first, one a line under its name (`Pinyin: de`);
/// empty ones left out.
fn back(columns: &[String], fields: &[String]) -> String {
    let lines: Vec<String> = fields
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, f)| !f.is_empty())
        .map(|(i, f)| match columns.get(i).map(|n| label(n)) {
            Some(name) if !name.is_empty() => format!("{name}: {f}"),
            _ => f.clone(),
        })
        .collect();
    lines.join("\n")
}

/// `TRANSLATION` as `Translation`, `PART_OF_SPEECH` as `Part of speech`.
fn label(name: &str) -> String {
    let words = name.replace('_', " ").to_lowercase();
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "SIMPLIFIED\tTRADITIONAL\tPINYIN\tTRANSLATION\n\
        的\t的\tde\tpossessive particle\n# a comment\n\n\
        我\t-\twǒ\tI; me\tdeck#2\tdue@2021-01-01 10:00:00\n\t無\twú\tnothing\n";

    #[test]
    fn every_column_is_on_the_card() {
        assert!(looks_like(FILE));
        let loaded = parse("v.tsv", "v", FILE).unwrap();
        let cards = &loaded.decks[0].cards;
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].front, "的");
        assert_eq!(
            cards[0].back,
            "Traditional: 的\nPinyin: de\nTranslation: possessive particle"
        );
        assert_eq!(cards[1].back, "Pinyin: wǒ\nTranslation: I; me");
        assert_eq!(loaded.skipped, ["line 6: its first column is empty"]);
    }

    #[test]
    fn headers_are_told_from_data_and_from_recall_columns() {
        assert!(!looks_like("и\tand\tnotes\n"));
        assert!(!looks_like("FRONT\tBACK\nq\ta\n"));
        assert!(!looks_like("#separator:tab\nQ\tA\n"));
        assert!(looks_like("word\tmeaning\tdeck#3\n"));
        let loaded = parse("v.tsv", "v", "#--columns WORD,MEANING\nhund\tdog\n").unwrap();
        assert_eq!(loaded.decks[0].cards[0].back, "Meaning: dog");
        let e = parse("v.tsv", "v", "WORD\tMEANING\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no cards"), "{e}");
    }
}
