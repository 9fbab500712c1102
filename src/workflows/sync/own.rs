//! This device's own log: checked against what the database recorded of it
//! before anything is appended, and appended durably (fsync) before the
//! database records the new end. The check tells apart the cases of
//! docs/sync.md › Faults: a sync killed after its append (the extra lines
//! are this database's own answers: adopted), a copied database writing as
//! the same device (the extra lines hold answers this database lacks), a
//! deleted log, and a log rewritten by someone else.

use std::io::Write;
use std::path::Path;

use super::log_file;
use crate::domain::sync_event::Event;
use crate::error::{Error, Result};
use crate::formats::sync_log;
use crate::storage::{DeviceState, LogPosition, SyncTx};

/// What the own log holds, against what the database recorded.
#[derive(Debug)]
pub enum Own {
    /// Exactly what was recorded (or nothing, and nothing was).
    Same,
    /// Recorded lines and then lines of a sync killed before its commit:
    /// all this database's own. `cut`: a partial last line to cut off.
    Adopt {
        events: Vec<Event>,
        end: LogPosition,
        cut: Option<u64>,
    },
    /// The file is gone although lines were recorded.
    Lost,
    /// Another database writes (or wrote) this file: a copied database.
    /// `read_from`: where this database's own lines end, if they are intact.
    Foreign { read_from: Option<LogPosition> },
}

/// Compares the own log at `path` with `state`, what the database recorded.
pub fn check(tx: &SyncTx<'_>, path: &Path, state: &DeviceState) -> Result<Own> {
    // From the recorded end when the file still holds it: what a sync
    // killed after its append wrote, or nothing.
    let Some(loaded) = log_file::load(path, &state.end)? else {
        return Ok(if state.end.bytes == 0 {
            Own::Same
        } else {
            Own::Lost
        });
    };
    let header_ok = match &loaded.header {
        Some((device, incarnation)) => *device == state.device && *incarnation == state.incarnation,
        None => state.end.bytes == 0,
    };
    if !header_ok || !loaded.intact(&state.end) {
        return Ok(Own::Foreign { read_from: None });
    }
    if loaded.len == state.end.bytes {
        return Ok(Own::Same);
    }
    let from = state.end.bytes;
    let bytes = &loaded.bytes[..];
    let (lines, partial) = sync_log::complete_lines(bytes);
    let mut events = Vec::new();
    let mut end = state.end.clone();
    let mut start = 0;
    for (line, line_end) in lines {
        let Ok((seq, event)) = sync_log::decode(line) else {
            return Ok(Own::Foreign {
                read_from: Some(state.end.clone()),
            });
        };
        let ours = seq == (end.seq + 1) as u64 && is_own(tx, state, &event)?;
        if !ours {
            return Ok(Own::Foreign {
                read_from: Some(state.end.clone()),
            });
        }
        end = LogPosition {
            bytes: from + line_end as u64,
            seq: end.seq + 1,
            hash: sync_log::line_hash(&bytes[start..line_end]),
        };
        start = line_end;
        events.push(event);
    }
    let cut = partial.then_some(end.bytes);
    Ok(Own::Adopt { events, end, cut })
}

/// Whether this database could have written `event`: its answers are in
/// the review log, its undos' answers are not, its cards are as it set them.
fn is_own(tx: &SyncTx<'_>, state: &DeviceState, event: &Event) -> Result<bool> {
    Ok(match event {
        Event::Device {
            device,
            incarnation,
        } => *device == state.device && *incarnation == state.incarnation,
        Event::Answer { card, answer } => tx.has_review(card, answer.reviewed_at_ms)?,
        Event::Undo { card, at_ms } => !tx.has_review(card, *at_ms)?,
        Event::State { card, state, .. } => tx.card_flags(card)? == Some(*state),
        // Only this database's own commands record these (`card_times`,
        // `deleted_cards`, `sync_decks`): the answers tell a twin apart.
        Event::Reset { .. }
        | Event::Delete { .. }
        | Event::Revive { .. }
        | Event::Rename { .. } => true,
    })
}

/// Appends `events` after `end` (cutting the file there first if `cut`),
/// synced to disk before returning; the new end.
pub fn append(
    path: &Path,
    end: &LogPosition,
    cut: Option<u64>,
    events: &[Event],
) -> Result<LogPosition> {
    let mut position = end.clone();
    if events.is_empty() && cut.is_none() {
        return Ok(position);
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    let new = !path.exists();
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    if let Some(len) = cut {
        file.set_len(len).map_err(|e| Error::io(path, e))?;
    }
    let mut text = String::new();
    for event in events {
        let line = sync_log::encode((position.seq + 1) as u64, event);
        position = LogPosition {
            bytes: position.bytes + line.len() as u64,
            seq: position.seq + 1,
            hash: sync_log::line_hash(line.as_bytes()),
        };
        text.push_str(&line);
    }
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(path, e))?;
    if new {
        // The new file's name durable too, not only its bytes.
        std::fs::File::open(folder)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(folder, e))?;
    }
    Ok(position)
}
