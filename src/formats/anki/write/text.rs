//! recall decks as Anki's "Notes in Plain Text" (`--format anki-txt`), the
//! file Anki's own text export writes with every option on: `#` headers
//! naming the separator, HTML and the special columns, then one row per
//! note — GUID, note type, deck, the note's fields, tags — separated by
//! tabs. The notes, their fields (HTML) and GUIDs are the package's
//! (`notes`), so a file imported into Anki after a package of the same deck
//! updates its notes, matched by GUID. The header names are the ones
//! recall's reader takes (`formats::delimited_headers`), which are Anki's.

use super::{anki_deck_name, notes, notetypes};
use crate::domain::DeckDraft;
use crate::error::{Error, Result};

/// The header block: tab-separated, HTML fields, the special columns
/// numbered from 1 as in Anki's export (fields between deck and tags).
const HEADERS: &str = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n\
                       #deck column:3\n#tags column:7\n";

/// The file, and `(deck, note key)` of each cloze text written as plain
/// notes (as in a package, see `notes`).
pub fn notes_text(decks: &[DeckDraft]) -> Result<(String, Vec<(String, String)>)> {
    let mut rows = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .from_writer(Vec::new());
    let mut plain_cloze = Vec::new();
    for deck in decks {
        let name = anki_deck_name(&deck.name);
        let out = notes::notes(&name, &deck.cards);
        plain_cloze.extend(out.plain_cloze.into_iter().map(|k| (deck.name.clone(), k)));
        for note in out.notes {
            let mut row = vec![
                note.guid,
                notetypes::name(note.kind).to_string(),
                name.clone(),
            ];
            row.extend(note.fields);
            row.push(note.tags.join(" "));
            rows.write_record(&row).map_err(csv_error)?;
        }
    }
    let body = rows.into_inner().map_err(|e| csv_error(e.into_error()))?;
    let body = String::from_utf8(body).map_err(|e| Error::invalid(e.to_string()))?;
    Ok((format!("{HEADERS}{body}"), plain_cloze))
}

fn csv_error(e: impl std::fmt::Display) -> Error {
    Error::invalid(format!("cannot write Anki's text format: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CardDraft;
    use crate::formats::push_entry_cards;

    fn deck() -> DeckDraft {
        let mut cards = Vec::new();
        let entry = |key: &str, front: &str, back: &str| CardDraft {
            key: key.into(),
            front: front.into(),
            back: back.into(),
            notes: String::new(),
            tags: vec!["a".into(), "b".into()],
            typed: false,
        };
        push_entry_cards(&mut cards, entry("plain", "a < b\tc", "two\nlines"), false);
        push_entry_cards(&mut cards, entry("rev", "chat", "cat"), true);
        push_entry_cards(&mut cards, entry("cl", "{{c1::x}} \"y\"", ""), false);
        DeckDraft {
            name: "Lang · French".into(),
            description: String::new(),
            position: None,
            cards,
        }
    }

    #[test]
    fn one_row_per_note_with_the_package_s_guids_and_anki_s_headers() {
        let (text, plain) = notes_text(&[deck()]).unwrap();
        assert!(plain.is_empty());
        let (headers, rows) = text.split_at(HEADERS.len());
        assert_eq!(headers, HEADERS);
        let rows: Vec<&str> = rows.lines().collect();
        assert_eq!(rows.len(), 3, "{text}");
        let guid = notes::guid("Lang::French", "plain");
        // A tab inside a field: the field is quoted, kept whole (in a <pre>).
        assert!(rows[0].starts_with(&format!("{guid}\trecall Basic\tLang::French\t\"<pre ")));
        assert!(rows[0].ends_with("\ttwo<br>lines\t\ta b"), "{}", rows[0]);
        assert!(rows[1].contains("\trecall Basic (and reversed card)\t"));
        assert!(rows[2].contains("\trecall Cloze\tLang::French\t\"{{c1::x}} \"\"y\"\"\"\t"));
    }
}
