//! Decks travel with the answers: each device writes a snapshot of every
//! deck it has (the JSON of `export deck`, cards with their keys) in its
//! own folder, `decks/<device>/`, with an `index.json` saying when each
//! deck last changed. Another device imports the newest snapshot of a deck
//! (by that time, then device id: the same choice everywhere) when it is
//! newer than its own version, through the ordinary import, which keeps
//! each card's progress by its key. The bundled decks are left out: every
//! recall installs them itself.
//!
//! Each snapshot is written whole under a temporary name, then renamed, so
//! a sync tool never copies half of one; writing one again is harmless, so
//! these steps keep their marks in `meta` on their own, beside the sync's
//! transaction.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::LAYOUT;
use crate::domain::sync_event::Token;
use crate::error::{Error, Result};
use crate::formats::export::{DeckExportFormat, render};
use crate::storage::{ImportOptions, Store};

/// The largest snapshot read (a deck file's own bound).
const MAX_SNAPSHOT_BYTES: u64 = 256 << 20;

/// What the deck step did.
#[derive(Debug, Default, serde::Serialize)]
pub struct DecksReport {
    /// Decks imported from other devices' snapshots.
    pub imported: Vec<String>,
    /// Snapshots this device wrote.
    pub written: Vec<String>,
}

pub fn folder(dir: &Path) -> PathBuf {
    dir.join(LAYOUT).join("decks")
}

/// A deck name as a file name: letters, digits, `-`, `_` and `.` kept,
/// every other byte as `%XX`, so that any name is one plain file.
fn file_name(deck: &str) -> String {
    let mut name = String::new();
    for b in deck.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_') || (b == b'.' && !name.is_empty())
        {
            name.push(char::from(b));
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    name.push_str(".json");
    name
}

fn hash(text: &str) -> String {
    format!("{:016x}", crate::fnv::fnv1a(text.as_bytes()))
}

/// The deck as this database has it, rendered, and its hash.
fn own_snapshot(store: &Store, deck: &str) -> Result<Option<(String, String)>> {
    let Some(draft) = store.deck_draft(deck)? else {
        return Ok(None);
    };
    let text = render(&draft, DeckExportFormat::Json)?;
    let h = hash(&text);
    Ok(Some((text, h)))
}

/// One deck in a device's `index.json`: its snapshot's file, hash, and
/// when that device changed it (the newest change wins everywhere).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Entry {
    file: String,
    hash: String,
    changed_ms: i64,
}

/// A device's `index.json`: deck name → entry.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Index {
    v: u32,
    decks: BTreeMap<String, Entry>,
}

/// This database's mark for `deck`: when it last changed (here, or in
/// the snapshot it imported) and the hash of its snapshot then.
fn mark(store: &Store, deck: &str) -> Result<Option<(i64, String)>> {
    let Some(value) = store.meta(&format!("sync.deck.{deck}"))? else {
        return Ok(None);
    };
    Ok(value
        .split_once(' ')
        .and_then(|(ms, h)| Some((ms.parse().ok()?, h.to_string()))))
}

fn set_mark(store: &mut Store, deck: &str, changed_ms: i64, hash: &str) -> Result<()> {
    store.set_meta(
        &format!("sync.deck.{deck}"),
        &format!("{changed_ms} {hash}"),
    )
}

/// The other devices' newest snapshot of each deck: (entry, its folder).
/// Keyed by each deck's name now (`names`: the logs' renames, old name →
/// name now): a snapshot written under an old name, before its device read
/// the rename, is of that deck. Each with the name it was written under.
fn newest_elsewhere(
    dir: &Path,
    me: &Token,
    names: &BTreeMap<String, String>,
    warnings: &mut Vec<String>,
) -> Vec<Newest> {
    let mut newest: BTreeMap<String, (Newest, Token)> = BTreeMap::new();
    let Ok(devices) = std::fs::read_dir(folder(dir)) else {
        return Vec::new();
    };
    for device in devices.flatten() {
        let Some(token) = Token::parse(&device.file_name().to_string_lossy()) else {
            continue;
        };
        if &token == me {
            continue;
        }
        let path = device.path().join("index.json");
        let index: Index = match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(index) => index,
            Err(e) => {
                warnings.push(format!(
                    "{}: {e}; its deck snapshots were not read",
                    path.display()
                ));
                continue;
            }
        };
        for (written_as, entry) in index.decks {
            let deck = names.get(&written_as).unwrap_or(&written_as).clone();
            let newer = newest
                .get(&deck)
                .is_none_or(|(best, by)| (entry.changed_ms, &token) > (best.entry.changed_ms, by));
            if newer {
                let found = Newest {
                    deck: deck.clone(),
                    written_as,
                    entry,
                    folder: device.path(),
                };
                newest.insert(deck, (found, token.clone()));
            }
        }
    }
    newest.into_values().map(|(found, _)| found).collect()
}

/// Another device's newest snapshot of a deck.
struct Newest {
    /// The deck's name here now.
    deck: String,
    /// The name its device wrote it under (the file's, the JSON's).
    written_as: String,
    entry: Entry,
    folder: PathBuf,
}

/// Imports each deck whose newest snapshot elsewhere is newer than this
/// database's version (before the answers merge, so that answers to its
/// cards merge in the same sync); the decks imported.
pub fn import_new(
    store: &mut Store,
    dir: &Path,
    me: &Token,
    now_ms: i64,
    warnings: &mut Vec<String>,
) -> Result<Vec<String>> {
    let mut imported = Vec::new();
    let names = store.deck_renames()?;
    for found in newest_elsewhere(dir, me, &names, warnings) {
        let Newest {
            deck,
            written_as,
            entry,
            folder,
        } = found;
        let own = mark(store, &deck)?;
        if own.as_ref().is_some_and(|(ms, _)| *ms >= entry.changed_ms) {
            continue;
        }
        let current = own_snapshot(store, &deck)?.map(|(_, h)| h);
        if current.as_deref() != Some(entry.hash.as_str()) {
            // The name from this recall's own rule, never the index's
            // `file` as written: another device's text names no path here.
            let path = folder.join(file_name(&written_as));
            match import_file(store, &path, (&written_as, &deck), now_ms) {
                Ok(true) => imported.push(deck.clone()),
                Ok(false) => {}
                // One bad snapshot stops neither the others nor the answers.
                Err(e) => {
                    warnings.push(format!("{e}; that deck snapshot was not imported"));
                    continue;
                }
            }
        }
        // As of that change: not sent back when this database's version is
        // now the same; when it still differs (it had cards the snapshot
        // lacks), `write_changed` sends it as a change made here.
        set_mark(store, &deck, entry.changed_ms, &entry.hash)?;
    }
    Ok(imported)
}

/// Imports the snapshot at `path` of the deck written as `names.0`, named
/// `names.1` here now, but for the cards the logs say are deleted (a
/// snapshot written before its device read the deletion must not bring
/// them back); whether anything was imported.
fn import_file(
    store: &mut Store,
    path: &Path,
    (written_as, deck): (&str, &str),
    now_ms: i64,
) -> Result<bool> {
    let file = path.display().to_string();
    let size = crate::formats::input::regular_file(path, "a deck snapshot")?;
    if size > MAX_SNAPSHOT_BYTES {
        return Err(Error::File {
            file,
            message: format!("{size} bytes is over the limit of {MAX_SNAPSHOT_BYTES}"),
        });
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut draft = crate::formats::json_deck::parse(&file, &text)?;
    if draft.name != written_as {
        return Err(Error::File {
            file,
            message: format!(
                "holds deck {:?}, not {written_as:?} as its index says",
                draft.name
            ),
        });
    }
    deck.clone_into(&mut draft.name);
    let dead = store.dead_cards(deck)?;
    draft.cards.retain(|c| !dead.contains(&c.key));
    let here = store.deck_list()?.iter().any(|(_, name)| name == deck);
    if draft.cards.is_empty() && !here {
        return Ok(false);
    }
    // Cards the snapshot lacks stay: a card is only ever added or changed here.
    store.import(&[draft], ImportOptions::default(), now_ms)?;
    Ok(true)
}

/// Writes a snapshot of each deck changed here since this device last
/// wrote or imported it, and the index; the paths written.
pub fn write_changed(
    store: &mut Store,
    dir: &Path,
    me: &Token,
    now_ms: i64,
) -> Result<Vec<PathBuf>> {
    let bundled = bundled_names()?;
    let own = folder(dir).join(me.as_str());
    let index_path = own.join("index.json");
    let mut index = Index {
        v: 1,
        ..Index::default()
    };
    let mut written = Vec::new();
    // Unreadable indexes were reported by `import_new`.
    let names = store.deck_renames()?;
    let seen: BTreeMap<String, i64> = newest_elsewhere(dir, me, &names, &mut Vec::new())
        .into_iter()
        .map(|found| (found.deck, found.entry.changed_ms))
        .collect();
    for (_, name) in store.deck_list()? {
        if bundled.contains(&name) {
            continue;
        }
        let Some((text, h)) = own_snapshot(store, &name)? else {
            continue;
        };
        let path = own.join(file_name(&name));
        // A change is later than every version of the deck in the folder
        // (it was made after this sync read them), whatever this device's
        // clock says: its snapshot must win over them.
        let after = seen.get(&name).map_or(now_ms, |ms| now_ms.max(ms + 1));
        let (changed_ms, changed) = match mark(store, &name)? {
            Some((ms, mark)) if mark == h => (ms, false),
            Some((ms, _)) => (after.max(ms + 1), true),
            None => (after, true),
        };
        if changed || !path.exists() {
            write_whole(&own, &path, &text)?;
            set_mark(store, &name, changed_ms, &h)?;
            written.push(path);
        }
        index.decks.insert(
            name.clone(),
            Entry {
                file: file_name(&name),
                hash: h,
                changed_ms,
            },
        );
    }
    if !written.is_empty() || (!index.decks.is_empty() && !index_path.exists()) {
        let text = serde_json::to_string_pretty(&index)
            .map_err(|e| Error::invalid(format!("cannot write JSON: {e}")))?;
        write_whole(&own, &index_path, &text)?;
    }
    Ok(written)
}

/// The bundled decks' names, parsed once per process (parsing them was
/// two thirds of a small sync in a debug build).
fn bundled_names() -> Result<&'static [String]> {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    if let Some(names) = NAMES.get() {
        return Ok(names);
    }
    let names = crate::bundled::decks()?
        .into_iter()
        .map(|d| d.name)
        .collect();
    Ok(NAMES.get_or_init(|| names))
}

/// `text` into `path` under a temporary name first, synced, then renamed.
fn write_whole(folder: &Path, path: &Path, text: &str) -> Result<()> {
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".recall-")
        .tempfile_in(folder)
        .map_err(|e| Error::io(folder, e))?;
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn any_deck_name_is_one_plain_file_name() {
        assert_eq!(file_name("aws::rds"), "aws%3A%3Ards.json");
        assert_eq!(file_name("../etc"), "%2E.%2Fetc.json");
        assert_eq!(file_name("Español 1"), "Espa%C3%B1ol%201.json");
    }
}
