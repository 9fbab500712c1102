//! The decks that ship inside the binary (built from `decks/` by build.rs).
//! They are imported into a new database, and re-imported, keeping progress,
//! whenever a release changes them; a card a release no longer ships is
//! retired (suspended, tagged `retired`), never deleted.

use std::fmt;

use crate::domain::DeckDraft;
use crate::domain::plural::plural;
use crate::error::Result;
#[cfg(test)]
use crate::formats::fnv1a;
use crate::formats::toml_deck;
use crate::storage::{ImportOptions, OnMissing, Store};

include!(concat!(env!("OUT_DIR"), "/bundled_decks.rs"));

const HASH_KEY: &str = "bundled_decks_hash";

/// The bundled decks, parsed. Each is listed at its file's place (build.rs
/// embeds them in file order, the lesson's) unless the file says `order`.
pub fn decks() -> Result<Vec<DeckDraft>> {
    DECKS
        .iter()
        .zip(1..)
        .map(|((file, text), place)| {
            let mut deck = toml_deck::parse(&format!("decks/{file}"), text)?;
            deck.position = deck.position.or(Some(place));
            Ok(deck)
        })
        .collect()
}

/// What an update of the bundled decks did to a database that had them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Update {
    pub changed: u32,
    pub added: u32,
    /// Cards this release no longer ships, retired by this update.
    pub retired: u32,
}

impl fmt::Display for Update {
    /// One line for stderr and the home screen's status line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the bundled decks were updated: {} changed, {} added",
            plural(self.changed, "card"),
            self.added
        )?;
        if self.retired > 0 {
            write!(
                f,
                "; {} retired (suspended, tagged \"retired\", history kept; \
                 `recall cards tag:retired` lists them)",
                self.retired
            )?;
        }
        Ok(())
    }
}

/// What build.rs computes into `FINGERPRINT`; recomputed by a test.
#[cfg(test)]
fn fingerprint_of(decks: &[(&str, &str)]) -> String {
    let mut all = Vec::new();
    for (file, text) in decks {
        all.extend_from_slice(file.as_bytes());
        all.push(0);
        all.extend_from_slice(text.as_bytes());
        all.push(0);
    }
    format!("{:016x}", fnv1a(&all))
}

/// Brings the bundled decks in the database up to this release's version.
/// A cheap check on every open; the import runs only when they changed.
/// Cards the release dropped are retired; the import and the new
/// fingerprint land in one transaction. Returns what changed, for a
/// database that had the bundled decks before (a new one only gains them)
/// and only if any card changed.
pub fn install(store: &mut Store, now_ms: i64) -> Result<Option<Update>> {
    let stored = store.meta(HASH_KEY)?;
    if stored.as_deref() == Some(FINGERPRINT) {
        return Ok(None);
    }
    let options = ImportOptions {
        missing: OnMissing::Retire,
        dry_run: false,
    };
    let decks = decks()?;
    let ((), reports) = store.import_stream(options, now_ms, false, |importer| {
        decks.iter().try_for_each(|deck| importer.add(deck))?;
        importer.set_meta(HASH_KEY, FINGERPRINT)
    })?;
    let mut update = Update::default();
    for report in &reports {
        update.changed += report.updated;
        update.added += report.added;
        update.retired += u32::try_from(report.retired.len()).unwrap_or(u32::MAX);
    }
    // A new database only gains them: nothing to tell. (Migration 0007
    // forgets the fingerprint, so "had them" is whether cards were there.)
    let had_them = reports.iter().any(|r| r.updated + r.unchanged > 0);
    Ok((had_them && update != Update::default()).then_some(update))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// build.rs hashes the deck files as it embeds them; it must come to
    /// what this release's databases store (the previous releases hashed
    /// the embedded texts at run time, like `fingerprint_of`), or every
    /// database would re-import the bundled decks on its next open.
    #[test]
    fn the_build_time_fingerprint_is_the_run_time_one() {
        assert_eq!(FINGERPRINT, fingerprint_of(DECKS));
        let mut changed = DECKS.to_vec();
        changed[0].1 = "name = \"changed\"";
        assert_ne!(FINGERPRINT, fingerprint_of(&changed));
    }

    #[test]
    fn the_bundled_decks_are_placed_in_file_order() {
        let positions: Vec<_> = decks().unwrap().iter().map(|d| d.position).collect();
        let expected: Vec<_> = (1..=DECKS.len() as u32).map(Some).collect();
        assert_eq!(positions, expected);
    }

    #[test]
    fn the_update_line_names_each_figure_and_how_to_find_retired_cards() {
        let update = Update {
            changed: 12,
            added: 9,
            retired: 40,
        };
        assert_eq!(
            update.to_string(),
            "the bundled decks were updated: 12 cards changed, 9 added; 40 retired \
             (suspended, tagged \"retired\", history kept; `recall cards tag:retired` lists them)"
        );
        let one = Update {
            changed: 1,
            ..Update::default()
        };
        assert_eq!(
            one.to_string(),
            "the bundled decks were updated: 1 card changed, 0 added"
        );
    }
}
