//! The journal mode. recall runs in WAL mode (readers never wait for a
//! writer); a big import into a database nobody else has open leaves it
//! for a rollback journal while it writes. Switching either way needs the
//! database to itself, and SQLite answers "busy" at once rather than
//! waiting, so each switch here says what it does when refused.

use std::time::{Duration, Instant};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode};

use super::BUSY_TIMEOUT;
use crate::error::Result;

/// Puts the database in WAL mode, as every open does. When several first
/// opens of a new database race, all but one are refused: they ask again
/// a few milliseconds later (by then the winner has switched, and asking
/// is a no-op), up to the busy timeout.
pub(super) fn set_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Err(e) if busy(&e) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(2));
            }
            result => return result.map(drop),
        }
    }
}

/// The WAL holds this many pages before a commit copies them into the
/// database (SQLite's default is 1 000). Each process that opens the
/// database first reads the whole WAL to index it, since no checkpoint
/// empties it at close (see `durable_commits`): 256 pages (1 MiB, about ten
/// answers) keep that read near 0.1 ms and the checkpoint's two fsyncs rare.
const WAL_CHECKPOINT_PAGES: i64 = 256;

/// Every commit is fsynced before it returns (`synchronous=FULL`), so an
/// answer survives a power cut too, and closing the connection does not
/// checkpoint. Checkpointing at close was what made a one-shot `recall
/// answer` durable under `NORMAL`, at the price of four fsyncs and an
/// unlink per process (a new WAL synced at its first write, then the WAL
/// and the database synced by the checkpoint); now a process that writes
/// pays one fsync, and one that reads none. The WAL stays beside the
/// database between runs, with the newest commits in it: a copy of the
/// database is made with `recall backup` (SQLite's backup API), never by
/// copying the file alone.
pub(super) fn durable_commits(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    Ok(())
}

/// A big import into a database no other process has open runs with a
/// rollback journal: the new pages are written once, into the file,
/// instead of into the WAL and then again by the checkpoint (a third of
/// importing 100 000 cards). With another connection open, WAL mode stays
/// and the import runs as usual. Says whether it switched.
pub(super) fn bulk(conn: &Connection) -> Result<bool> {
    // `synchronous` stays FULL (`durable_commits`), as a rollback journal needs.
    Ok(try_mode(conn, "DELETE")? == Some(true))
}

/// Back to WAL after `bulk`. Should another process have opened the
/// database meanwhile, this waits for nobody: that process sets WAL
/// itself as it opens.
pub(super) fn back_to_wal(conn: &Connection) -> Result<()> {
    try_mode(conn, "WAL")?;
    Ok(())
}

/// Asks once for journal `mode`, without waiting out the busy timeout:
/// whether SQLite switched, or `None` when another connection is in the way.
fn try_mode(conn: &Connection, mode: &str) -> Result<Option<bool>> {
    conn.busy_timeout(Duration::ZERO)?;
    let now = conn.query_row(&format!("PRAGMA journal_mode = {mode}"), [], |r| {
        r.get::<_, String>(0)
    });
    conn.busy_timeout(BUSY_TIMEOUT)?;
    match now {
        Ok(now) => Ok(Some(now.eq_ignore_ascii_case(mode))),
        Err(e) if busy(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn busy(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
}
