//! `recall sync status`: this device, every other device seen (in the
//! database's read positions and in the folder) with the newest event read
//! from it and how much of its log is still unread, and what is pending.

use std::path::Path;

use super::{devices, log_path};
use crate::domain::sync_event::Token;
use crate::error::Result;
use crate::storage::Store;

#[derive(Debug, serde::Serialize)]
pub struct Status {
    /// None before the first sync.
    pub device: Option<String>,
    pub last_sync_ms: Option<i64>,
    /// Lines in this device's own log.
    pub own_lines: u64,
    /// Answers and undos made here that no log holds yet.
    pub unsent: u64,
    /// Resets, deletions, revivals and deck renames made here that no log
    /// holds yet (changes of suspension and burial are not counted).
    pub unsent_card_events: u64,
    /// Answers read from logs whose cards this database lacks.
    pub pending: u64,
    pub devices: Vec<DeviceStatus>,
}

#[derive(Debug, serde::Serialize)]
pub struct DeviceStatus {
    pub device: String,
    /// Changes read from its log (answers, undos, card states and card
    /// events), and the newest one's time.
    pub events: u64,
    pub last_event_ms: Option<i64>,
    /// Bytes of its log not read yet; None when the folder was not looked at
    /// or the log is not there.
    pub unread_bytes: Option<u64>,
}

/// The status; `dir`, the sync folder, for what is still unread there.
pub fn status(store: &mut Store, dir: Option<&Path>) -> Result<Status> {
    let (device, peers) = store.sync_state()?;
    let tx = store.begin_sync()?;
    let unsent = match &device {
        Some(state) => {
            let answers = tx.own_new_answers(state)?.len();
            answers + tx.own_new_undos(state)?.len()
        }
        // Never synced: every answer is still to be sent.
        None => tx.own_new_answers(&super::fresh_device(None))?.len(),
    };
    let now_ms = chrono::Utc::now().timestamp_millis();
    let card_events = tx.own_renames(now_ms)?.len()
        + tx.own_deletions()?.len()
        + tx.own_revivals(now_ms)?.len()
        + tx.own_resets()?.len();
    // Read only: dropped, so rolled back.
    drop(tx);
    let mut devices: Vec<DeviceStatus> = peers
        .iter()
        .map(|p| DeviceStatus {
            device: p.device.to_string(),
            events: p.events,
            last_event_ms: p.last_event_ms,
            unread_bytes: dir.and_then(|d| unread(d, &p.device, p.read.bytes)),
        })
        .collect();
    if let Some(dir) = dir {
        for token in folder_devices(dir) {
            let me = device.as_ref().is_some_and(|d| d.device == token);
            if !me && !peers.iter().any(|p| p.device == token) {
                devices.push(DeviceStatus {
                    device: token.to_string(),
                    events: 0,
                    last_event_ms: None,
                    unread_bytes: unread(dir, &token, 0),
                });
            }
        }
    }
    Ok(Status {
        own_lines: device.as_ref().map_or(0, |d| (d.end.seq + 1) as u64),
        last_sync_ms: device.as_ref().and_then(|d| d.last_sync_ms),
        device: device.map(|d| d.device.to_string()),
        unsent: unsent as u64,
        unsent_card_events: card_events as u64,
        pending: store.sync_pending()?,
        devices,
    })
}

fn unread(dir: &Path, device: &Token, read: u64) -> Option<u64> {
    let len = std::fs::metadata(log_path(dir, device)).ok()?.len();
    Some(len.saturating_sub(read))
}

/// The devices with a folder in `dir`, in order.
pub(super) fn folder_devices(dir: &Path) -> Vec<Token> {
    let Ok(entries) = std::fs::read_dir(devices(dir)) else {
        return Vec::new();
    };
    let mut found: Vec<Token> = entries
        .filter_map(|e| Token::parse(&e.ok()?.file_name().to_string_lossy()))
        .collect();
    found.sort();
    found
}
