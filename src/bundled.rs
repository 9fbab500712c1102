//! The decks that ship inside the binary (built from `decks/` by build.rs).
//! They are imported into a new database, and re-imported, keeping progress,
//! whenever a release changes them.

use crate::domain::DeckDraft;
use crate::error::Result;
#[cfg(test)]
use crate::formats::fnv1a;
use crate::formats::toml_deck;
use crate::storage::{ImportOptions, Store};

include!(concat!(env!("OUT_DIR"), "/bundled_decks.rs"));

const HASH_KEY: &str = "bundled_decks_hash";

/// The bundled decks, parsed.
pub fn decks() -> Result<Vec<DeckDraft>> {
    DECKS
        .iter()
        .map(|(file, text)| toml_deck::parse(&format!("decks/{file}"), text))
        .collect()
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
pub fn install(store: &mut Store, now_ms: i64) -> Result<()> {
    if store.meta(HASH_KEY)?.as_deref() == Some(FINGERPRINT) {
        return Ok(());
    }
    store.import(&decks()?, ImportOptions::default(), now_ms)?;
    store.set_meta(HASH_KEY, FINGERPRINT)
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
}
