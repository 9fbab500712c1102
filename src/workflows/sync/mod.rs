//! `recall sync`: this database and the others that share a folder made
//! identical (docs/sync.md). One sync reads every other device's log from
//! where it stopped, merges it through the exact replay of `import
//! --reviews`, and appends this device's new answers and undos to its own
//! log, in one database transaction. With git, `git` runs around it (`git`).

mod decks;
mod git;
mod log_file;
mod own;
mod peer;
mod status;

use std::path::{Path, PathBuf};

use self::own::Own;
use super::Context;
use crate::domain::log::replay;
use crate::domain::sync_event::{CardName, Event, Token};
use crate::error::{Error, Result};
use crate::storage::{DeviceState, LogPosition, PeerCursor, Settled, Store, SyncTx};

pub use git::{GitOutcome, init_repo};
pub use status::{DeviceStatus, Status, status};

/// The folder in DIR that holds recall's files, by layout version.
pub const LAYOUT: &str = "recall-sync/v1";

/// How a sync runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Git may ask for a password on the terminal (not in the background).
    pub interactive: bool,
    /// For the kill test: stop after the own log is appended and before the
    /// database commits, as a SIGKILL there would.
    #[doc(hidden)]
    pub stop_before_commit: bool,
}

/// What a sync did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    pub device: String,
    /// This device's own log.
    pub log: String,
    /// Lines appended to it.
    pub written: u64,
    /// Changes (answers, undos, card states and card events) read from
    /// the other devices' logs.
    pub read: u64,
    pub settled: Settled,
    pub decks: decks::DecksReport,
    /// Each fault found, naming its file.
    pub warnings: Vec<String>,
    pub git: Option<GitOutcome>,
}

/// Syncs `ctx`'s database with the folder `dir` (git around it when `dir`
/// is in a git work tree). A git failure is in the report, not an error.
pub fn sync(ctx: &mut Context, dir: &Path, options: Options) -> Result<Report> {
    // Never made here: a share that is not mounted would get a local copy.
    if !dir.is_dir() {
        return Err(Error::File {
            file: dir.display().to_string(),
            message: "the sync folder is not there (a share not mounted?); nothing was synced \
                      (`recall sync init DIR` sets up a new one)"
                .into(),
        });
    }
    let repo = git::is_work_tree(dir);
    let mut outcome = repo.then(GitOutcome::default);
    if let Some(outcome) = &mut outcome {
        outcome.pull(dir, options.interactive);
    }
    let now_ms = ctx.clock.now().timestamp_millis();
    let mut report = sync_folder(&mut ctx.store, dir, now_ms, options)?;
    let me = Token::parse(&report.device).unwrap_or_else(|| Token::from_bits(0));
    // After the events: a deck renamed or cards deleted elsewhere are so
    // here before any snapshot is compared with this database's decks.
    let imported = decks::import_new(&mut ctx.store, dir, &me, now_ms, &mut report.warnings)?;
    if !imported.is_empty() {
        // The answers, states and resets of the new cards, waiting for them.
        let tx = ctx.store.begin_sync()?;
        let again = tx.settle(&[], i64::MAX, |log| replay(super::study::SCHEDULER, log))?;
        report.settled.added += again.added;
        report.settled.reset += again.reset;
        report.settled.pending = again.pending;
        report.settled.states += tx.settle_states()?;
        if let Some(state) = tx.device()? {
            tx.set_device(&state)?;
        }
        tx.commit()?;
    }
    if report.settled.replayed() {
        // The merge replays through SM-2; FSRS decks again from their log.
        super::scheduling::replay_fsrs_decks(&mut ctx.store)?;
    }
    let written = decks::write_changed(&mut ctx.store, dir, &me, now_ms)?;
    report.decks = decks::DecksReport {
        imported,
        written: written.iter().map(|p| p.display().to_string()).collect(),
    };
    if let Some(mut outcome) = outcome {
        let own = [
            devices(dir).join(me.as_str()),
            decks::folder(dir).join(me.as_str()),
        ];
        outcome.commit_and_push(dir, &own, me.as_str(), options.interactive);
        report.git = Some(outcome);
    }
    Ok(report)
}

fn devices(dir: &Path) -> PathBuf {
    dir.join(LAYOUT).join("devices")
}

fn log_path(dir: &Path, device: &Token) -> PathBuf {
    devices(dir).join(device.as_str()).join("events.jsonl")
}

/// The local part of a sync: the folder and the database, no git.
pub fn sync_folder(store: &mut Store, dir: &Path, now_ms: i64, options: Options) -> Result<Report> {
    let folder = devices(dir);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    let state = identity(store)?;
    let tx = store.begin_sync()?;
    let mut report = Report::default();
    let (mut state, mut pending) = own_log(&tx, dir, state, &mut report.warnings)?;
    // Renames and deletions first: the answers below are found by the
    // cards' names as the logs know them.
    let early = [tx.own_renames(now_ms)?, tx.own_deletions()?].concat();
    for event in &early {
        tx.note(&state.device, event, true)?;
    }
    report.warnings.extend(tx.apply_renames()?);
    pending.events.extend(early);
    pending.events.extend(tx.own_revivals(now_ms)?);
    pending.events.extend(tx.own_resets()?);
    // Found before the others' answers come in, which are no one's new ones.
    let answers = tx.own_new_answers(&state)?;
    let undos = tx.own_new_undos(&state)?;
    let own: Vec<CardName> = undos.iter().map(|(card, _)| card.clone()).collect();
    for (card, answer) in answers {
        pending.events.push(Event::Answer { card, answer });
    }
    for (card, at_ms) in undos {
        pending.events.push(Event::Undo { card, at_ms });
    }
    for (card, state, at_ms) in tx.own_state_changes(now_ms)? {
        pending.events.push(Event::State { card, at_ms, state });
    }
    // Each is noted by a rule that keeps the newest (a change here may
    // lose to a newer one read below), so the order does not matter.
    for event in &pending.events {
        tx.note(&state.device, event, true)?;
    }
    report.read = read_peers(&tx, dir, &state.device, &mut report.warnings)?;
    report.warnings.extend(tx.apply_renames()?);
    // The cards undone here are replayed (see `SyncTx::settle`).
    let since = state.reviews_max;
    report.settled = tx.settle(&own, since, |log| replay(super::study::SCHEDULER, log))?;
    let path = log_path(dir, &state.device);
    state.end = own::append(&path, &state.end, pending.cut, &pending.events)?;
    tx.sent()?;
    report.settled.states = tx.settle_states()?;
    state.last_sync_ms = Some(now_ms);
    tx.set_device(&state)?;
    if options.stop_before_commit {
        return Err(Error::Changed("stopped before the commit (a test)".into()));
    }
    tx.commit()?;
    report.written = pending.events.len() as u64;
    report.device = state.device.to_string();
    report.log = path.display().to_string();
    Ok(report)
}

/// This database's device, made (and committed on its own) the first time:
/// a sync killed later must find the same identity, or it would write its
/// answers again under another one.
fn identity(store: &mut Store) -> Result<DeviceState> {
    let tx = store.begin_sync()?;
    if let Some(state) = tx.device()? {
        return Ok(state);
    }
    let state = fresh_device(None);
    tx.create_device(&state)?;
    tx.commit()?;
    Ok(state)
}

fn fresh_device(last_sync_ms: Option<i64>) -> DeviceState {
    DeviceState {
        device: Token::from_bits(random_bits()),
        incarnation: Token::from_bits(random_bits()),
        end: LogPosition::START,
        last_sync_ms,
        // Nothing is known to be in a log yet: the whole review log is looked at.
        reviews_max: 0,
        reviews_rows: 0,
    }
}

/// What goes into the own log this sync, after what is there.
struct Pending {
    events: Vec<Event>,
    cut: Option<u64>,
}

/// Checks the own log (`own::check`) and settles each fault: the state
/// to write on from, and the lines that must come first.
fn own_log(
    tx: &SyncTx<'_>,
    dir: &Path,
    mut state: DeviceState,
    warnings: &mut Vec<String>,
) -> Result<(DeviceState, Pending)> {
    let path = log_path(dir, &state.device);
    let file = path.display().to_string();
    let header = |s: &DeviceState| Event::Device {
        device: s.device.clone(),
        incarnation: s.incarnation.clone(),
    };
    let mut pending = Pending {
        events: Vec::new(),
        cut: None,
    };
    match own::check(tx, &path, &state)? {
        Own::Same => {}
        Own::Adopt { events, end, cut } => {
            // A sync killed after its append: those lines stand as written.
            for event in &events {
                tx.note(&state.device, event, true)?;
            }
            state.end = end;
            pending.cut = cut;
        }
        Own::Lost => {
            warnings.push(format!(
                "{file}: this device's log is gone (deleted?); written again from the \
                 database, nothing was lost"
            ));
            state.incarnation = Token::from_bits(random_bits());
            state.end = LogPosition::START;
            pending.events.extend(tx.events_of(&state.device)?);
        }
        Own::Foreign { read_from } => {
            let old = state.clone();
            state = fresh_device(old.last_sync_ms);
            warnings.push(format!(
                "{file}: another database writes as this device (a copied database?); this \
                 one is device {} from now on, and reads the old log as another device's",
                state.device
            ));
            // Its lines up to `read_from` are this database's own already.
            if let Some(read) = read_from {
                tx.set_peer(&PeerCursor {
                    device: old.device,
                    incarnation: old.incarnation,
                    read,
                    last_event_ms: None,
                    events: 0,
                })?;
            }
        }
    }
    if state.end.bytes == 0 {
        pending.events.insert(0, header(&state));
    }
    Ok((state, pending))
}

/// Reads every other device's log into `sync_answers`; how many events.
fn read_peers(tx: &SyncTx<'_>, dir: &Path, me: &Token, warnings: &mut Vec<String>) -> Result<u64> {
    let folder = devices(dir);
    let mut cursors = tx.peers()?;
    // Unreadable: an error, not "no devices" (which would look like all deleted).
    std::fs::read_dir(&folder).map_err(|e| Error::io(&folder, e))?;
    // Folders not named as devices are (a README, .git) not ours to judge.
    let found: Vec<Token> = status::folder_devices(dir)
        .into_iter()
        .filter(|d| d != me)
        .collect();
    let mut read = 0;
    for device in &found {
        let path = log_path(dir, device);
        let file = path.display().to_string();
        let cursor = cursors
            .iter()
            .position(|c| &c.device == device)
            .map(|i| cursors.swap_remove(i));
        let Some(loaded) = log_file::load_for(&path, cursor.as_ref())? else {
            cursors.extend(cursor);
            continue;
        };
        if let Some(new) = peer::read(&file, &loaded, device, cursor, warnings) {
            for event in &new.events {
                tx.note(device, event, false)?;
            }
            read += new.events.len() as u64;
            tx.set_peer(&new.cursor)?;
        }
    }
    // Read positions whose files are gone.
    for cursor in cursors.iter().filter(|c| c.read.bytes > 0) {
        if !log_path(dir, &cursor.device).exists() {
            warnings.push(format!(
                "{}: the log of device {} is gone (deleted?); its {} answers and undos stay \
                 here",
                log_path(dir, &cursor.device).display(),
                cursor.device,
                cursor.events
            ));
        }
    }
    Ok(read)
}

/// 128 bits no other device will draw: std's per-process random hash keys
/// (seeded by the OS), the time and the process id.
fn random_bits() -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let half = |salt: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_u32(std::process::id());
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        h.write_u128(nanos);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}
