//! The decks that ship inside the binary (built from `decks/` by build.rs).
//! They are imported into a new database, and re-imported, keeping progress,
//! whenever a release changes them.

use crate::domain::DeckDraft;
use crate::error::Result;
use crate::formats::{fnv1a, toml_deck};
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

fn fingerprint() -> String {
    let mut all = Vec::new();
    for (file, text) in DECKS {
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
    let fingerprint = fingerprint();
    if store.meta(HASH_KEY)?.as_deref() == Some(fingerprint.as_str()) {
        return Ok(());
    }
    store.import(&decks()?, ImportOptions::default(), now_ms)?;
    store.set_meta(HASH_KEY, &fingerprint)
}
