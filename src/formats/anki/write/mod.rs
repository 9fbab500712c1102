//! recall decks out as an Anki package (`.apkg`) that current Anki
//! imports: the legacy layout, a zip holding `collection.anki21` (SQLite in
//! Anki's schema 11, see `collection`) and a `media` entry with an empty
//! JSON map. Cards are grouped into notes (`notes`), their text written as
//! HTML (`html`). New cards only: schedules and the review log are not
//! exported yet.

mod cloze_source;
mod collection;
mod html;
mod notes;

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::domain::DeckDraft;
use crate::error::{Error, Result};

pub use notes::guid;

/// The package of `decks` as bytes. `now` (Unix seconds) dates the notes
/// and numbers them.
pub fn package(decks: &[DeckDraft], now: i64) -> Result<Vec<u8>> {
    let decks: Vec<(String, Vec<notes::Note>)> = decks
        .iter()
        .map(|deck| {
            let name = anki_deck_name(&deck.name);
            let notes = notes::notes(&name, &deck.cards);
            (name, notes)
        })
        .collect();
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let path = dir.path().join("collection.anki21");
    collection::write(&path, &decks, now)
        .map_err(|e| Error::invalid(format!("cannot write the Anki collection: {e}")))?;
    let sqlite = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    zipped(&[("collection.anki21", &sqlite), ("media", b"{}")])
        .map_err(|e| Error::invalid(format!("cannot write the Anki package: {e}")))
}

/// recall's deck name as Anki's: levels joined by `::` (recall's bundled
/// decks use ` · `), each level trimmed.
pub fn anki_deck_name(name: &str) -> String {
    name.replace('·', "::")
        .split("::")
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("::")
}

fn zipped(entries: &[(&str, &[u8])]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, SimpleFileOptions::default())?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deck_levels_become_anki_levels() {
        assert_eq!(anki_deck_name("AWS · RDS"), "AWS::RDS");
        assert_eq!(anki_deck_name("Lang::French"), "Lang::French");
    }
}
