//! The journal mode. recall runs in WAL mode (readers never wait for a
//! writer); a big import into a database nobody else has open leaves it
//! for a rollback journal while it writes. Switching either way needs the
//! database to itself, and SQLite answers "busy" at once rather than
//! waiting, so each switch here says what it does when refused.

use std::time::{Duration, Instant};

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

/// A big import into a database no other process has open runs with a
/// rollback journal: the new pages are written once, into the file,
/// instead of into the WAL and then again by the checkpoint (a third of
/// importing 100 000 cards). With another connection open, WAL mode stays
/// and the import runs as usual. Says whether it switched.
pub(super) fn bulk(conn: &Connection) -> Result<bool> {
    if try_mode(conn, "DELETE")? != Some(true) {
        return Ok(false);
    }
    // A rollback journal needs FULL to be as durable as WAL with NORMAL.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(true)
}

/// Back to WAL after `bulk`. Should another process have opened the
/// database meanwhile, this waits for nobody: that process sets WAL
/// itself as it opens.
pub(super) fn back_to_wal(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "synchronous", "NORMAL")?;
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
