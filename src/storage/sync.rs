//! The SQL of a sync (migration 0010, docs/sync.md): this database as a
//! device, the read positions in other devices' logs, and `sync_answers`,
//! every answer the logs hold. A sync is one transaction (`SyncTx`): what
//! it finds, merges and records commits together or not at all.

use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::Store;
use super::deck_histories::logged_from;
use crate::domain::log::LoggedAnswer;
use crate::domain::sync_event::{CardFlags, CardName, Event, Token};
use crate::domain::{Day, Grade};
use crate::error::{Error, Result};

/// This database as a device, and its own log as it last wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceState {
    pub device: Token,
    pub incarnation: Token,
    /// Where the own log ends, as this database wrote it.
    pub end: LogPosition,
    pub last_sync_ms: Option<i64>,
    /// The review log at the last sync's commit (see migration 0010): its
    /// largest id and its number of rows. Written by `set_device` itself.
    pub reviews_max: i64,
    pub reviews_rows: i64,
}

/// A place in a device's log: its length up to there, the seq of the line
/// that ends there (-1 before the first) and that line's hash.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogPosition {
    pub bytes: u64,
    pub seq: i64,
    pub hash: String,
}

impl LogPosition {
    pub const START: LogPosition = LogPosition {
        bytes: 0,
        seq: -1,
        hash: String::new(),
    };
}

/// How far another device's log has been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerCursor {
    pub device: Token,
    pub incarnation: Token,
    pub read: LogPosition,
    /// The newest answer or undo read from it (unix ms), and how many.
    pub last_event_ms: Option<i64>,
    pub events: u64,
}

impl Store {
    /// The device and read positions, for `sync status`.
    pub fn sync_state(&self) -> Result<(Option<DeviceState>, Vec<PeerCursor>)> {
        Ok((device_in(&self.conn)?, peers_in(&self.conn)?))
    }

    /// Answers in the logs this database cannot merge: their cards are missing.
    pub fn sync_pending(&self) -> Result<u64> {
        pending_in(&self.conn)
    }

    /// Starts a sync: everything it writes commits together.
    pub fn begin_sync(&mut self) -> Result<SyncTx<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(SyncTx { tx })
    }
}

/// One sync's transaction.
pub struct SyncTx<'c> {
    pub(super) tx: Transaction<'c>,
}

/// Matches a `sync_answers` row (`s`) to this database's card `c` (by deck `d`).
pub(super) const CARD_OF: &str =
    "JOIN decks d ON d.name = s.deck JOIN cards c ON c.deck_id = d.id AND c.key = s.card";

impl SyncTx<'_> {
    pub fn device(&self) -> Result<Option<DeviceState>> {
        device_in(&self.tx)
    }

    /// Records a new device, before any of its syncs: none of the review
    /// log is in a log yet.
    pub fn create_device(&self, state: &DeviceState) -> Result<()> {
        self.tx
            .prepare_cached("INSERT INTO sync_device (id, device, incarnation) VALUES (1, ?1, ?2)")?
            .execute(params![state.device.as_str(), state.incarnation.as_str()])?;
        Ok(())
    }

    /// Records the device at a sync's end: its own log's end, and the
    /// review log's largest id and size now (every row is in a log).
    pub fn set_device(&self, state: &DeviceState) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO sync_device (id, device, incarnation, own_bytes, own_seq, own_hash, \
                   last_sync, reviews_max, reviews_rows) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, \
                   (SELECT IFNULL(MAX(id), 0) FROM reviews), (SELECT COUNT(*) FROM reviews)) \
                 ON CONFLICT (id) DO UPDATE SET device = excluded.device, \
                   incarnation = excluded.incarnation, own_bytes = excluded.own_bytes, \
                   own_seq = excluded.own_seq, own_hash = excluded.own_hash, \
                   last_sync = excluded.last_sync, reviews_max = excluded.reviews_max, \
                   reviews_rows = excluded.reviews_rows",
            )?
            .execute(params![
                state.device.as_str(),
                state.incarnation.as_str(),
                bytes_sql(state.end.bytes)?,
                state.end.seq,
                state.end.hash,
                state.last_sync_ms
            ])?;
        Ok(())
    }

    pub fn peers(&self) -> Result<Vec<PeerCursor>> {
        peers_in(&self.tx)
    }

    pub fn set_peer(&self, peer: &PeerCursor) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO sync_peers (device, incarnation, bytes, seq, hash, \
                   last_event, events) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                peer.device.as_str(),
                peer.incarnation.as_str(),
                bytes_sql(peer.read.bytes)?,
                peer.read.seq,
                peer.read.hash,
                peer.last_event_ms,
                i64::try_from(peer.events).unwrap_or(i64::MAX)
            ])?;
        Ok(())
    }

    /// Answers in this database's review log that no log holds yet
    /// (answered or imported here since the last sync), oldest first;
    /// only rows written since `state`'s sync can be.
    pub fn own_new_answers(&self, state: &DeviceState) -> Result<Vec<(CardName, LoggedAnswer)>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT d.name, c.key, r.reviewed_at, r.utc_offset, r.day, r.grade, r.kind, \
               r.duration_ms \
             FROM reviews r JOIN cards c ON c.id = r.card_id JOIN decks d ON d.id = c.deck_id \
             WHERE r.id > ?1 AND NOT EXISTS (SELECT 1 FROM sync_answers s \
               WHERE s.deck = d.name AND s.card = c.key AND s.reviewed_at = r.reviewed_at) \
             ORDER BY r.reviewed_at, r.id",
        )?;
        let rows = stmt.query_map([state.reviews_max], |r| {
            Ok((card_name(r)?, logged_from(r, 2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Answers this database's log had, of cards it still has, that are no
    /// longer in it: undone here since the last sync. Looked for only when
    /// some row of the log `state`'s sync left is gone: when the log has
    /// fewer rows than it left plus those written since.
    pub fn own_new_undos(&self, state: &DeviceState) -> Result<Vec<(CardName, i64)>> {
        let (rows, since): (i64, i64) = self.tx.query_row(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE id > ?1) FROM reviews",
            [state.reviews_max],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if rows >= state.reviews_rows + since {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT s.deck, s.card, s.reviewed_at FROM sync_answers s {CARD_OF} \
             WHERE s.undone_by IS NULL AND s.applied = 1 AND NOT EXISTS \
               (SELECT 1 FROM reviews r WHERE r.card_id = c.id AND r.reviewed_at = s.reviewed_at) \
             ORDER BY s.reviewed_at"
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| Ok((card_name(r)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether this database's review log holds that answer.
    pub fn has_review(&self, card: &CardName, at_ms: i64) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM reviews r JOIN cards c ON c.id = r.card_id \
                   JOIN decks d ON d.id = c.deck_id \
                 WHERE d.name = ?1 AND c.key = ?2 AND r.reviewed_at = ?3)",
            )?
            .query_row(params![card.deck, card.card, at_ms], |r| r.get(0))?)
    }

    /// Records an event of `origin`'s log. An answer already known stays
    /// as it is (reading a line twice changes nothing); an undo marks its
    /// answer, or is kept as a tombstone when read before it. `applied`:
    /// the review log holds the answer already (this device's own).
    pub fn note(&self, origin: &Token, event: &Event, applied: bool) -> Result<()> {
        match event {
            Event::Device { .. } => {}
            Event::Answer { card, answer } => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO sync_answers (deck, card, reviewed_at, utc_offset, day, \
                           grade, cram, duration_ms, origin, undone_by, applied) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10) \
                         ON CONFLICT DO NOTHING",
                    )?
                    .execute(params![
                        card.deck,
                        card.card,
                        answer.reviewed_at_ms,
                        answer.utc_offset_secs,
                        answer.day.0,
                        answer.grade.value(),
                        answer.cram,
                        answer.duration_ms,
                        origin.as_str(),
                        applied
                    ])?;
            }
            Event::State { card, at_ms, state } => self.note_state(origin, card, *at_ms, state)?,
            Event::Reset { .. }
            | Event::Delete { .. }
            | Event::Revive { .. }
            | Event::Rename { .. } => self.note_card_event(origin, event)?,
            Event::Undo { card, at_ms } => {
                // A tombstone's answer fields are never read: an undone
                // answer is only ever taken out.
                self.tx
                    .prepare_cached(
                        "INSERT INTO sync_answers (deck, card, reviewed_at, utc_offset, day, \
                           grade, cram, duration_ms, origin, undone_by, applied) \
                         VALUES (?1, ?2, ?3, 0, 0, 0, 0, 0, '', ?4, 0) \
                         ON CONFLICT DO UPDATE SET undone_by = IFNULL(undone_by, excluded.undone_by)",
                    )?
                    .execute(params![card.deck, card.card, at_ms, origin.as_str()])?;
            }
        }
        Ok(())
    }

    /// Every event `device` wrote, answers then undos in time order: its
    /// log written again when the file was lost.
    pub fn events_of(&self, device: &Token) -> Result<Vec<Event>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT deck, card, reviewed_at, utc_offset, day, grade, cram, duration_ms, \
               origin = ?1, undone_by = ?1 \
             FROM sync_answers WHERE origin = ?1 OR undone_by = ?1 ORDER BY reviewed_at",
        )?;
        let mut answers = Vec::new();
        let mut undos = Vec::new();
        let mut rows = stmt.query([device.as_str()])?;
        while let Some(r) = rows.next()? {
            let card = card_name(r)?;
            let at_ms: i64 = r.get(2)?;
            if r.get::<_, Option<bool>>(9)?.unwrap_or(false) {
                undos.push(Event::Undo {
                    card: card.clone(),
                    at_ms,
                });
            }
            if r.get(8)? {
                let answer = LoggedAnswer {
                    reviewed_at_ms: at_ms,
                    utc_offset_secs: r.get(3)?,
                    day: Day(r.get(4)?),
                    grade: Grade::new(r.get(5)?).unwrap_or(Grade::ALL[0]),
                    cram: r.get(6)?,
                    duration_ms: r.get(7)?,
                };
                answers.push(Event::Answer { card, answer });
            }
        }
        answers.extend(undos);
        let mut stmt = self.tx.prepare_cached(
            "SELECT deck, card, suspended, buried_until, changed_at FROM sync_states \
             WHERE origin = ?1 ORDER BY changed_at",
        )?;
        let states = stmt.query_map([device.as_str()], |r| {
            Ok(Event::State {
                card: card_name(r)?,
                at_ms: r.get(4)?,
                state: CardFlags {
                    suspended: r.get(2)?,
                    buried_until: r.get::<_, Option<i64>>(3)?.map(Day),
                },
            })
        })?;
        for state in states {
            answers.push(state?);
        }
        answers.extend(self.card_events_of(device)?);
        Ok(answers)
    }

    pub fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}

pub(super) fn card_name(r: &Row<'_>) -> rusqlite::Result<CardName> {
    Ok(CardName {
        deck: r.get(0)?,
        card: r.get(1)?,
    })
}

fn bytes_sql(bytes: u64) -> Result<i64> {
    i64::try_from(bytes).map_err(|_| Error::invalid(format!("a log of {bytes} bytes")))
}

/// A token column: written by recall from a checked token.
fn token(r: &Row<'_>, i: usize) -> rusqlite::Result<Token> {
    let text: String = r.get(i)?;
    Token::parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("{text:?} is not a device token").into(),
        )
    })
}

fn position(r: &Row<'_>, first: usize) -> rusqlite::Result<LogPosition> {
    Ok(LogPosition {
        bytes: u64::try_from(r.get::<_, i64>(first)?).unwrap_or(0),
        seq: r.get(first + 1)?,
        hash: r.get(first + 2)?,
    })
}

fn device_in(conn: &rusqlite::Connection) -> Result<Option<DeviceState>> {
    Ok(conn
        .prepare_cached(
            "SELECT device, incarnation, own_bytes, own_seq, own_hash, last_sync, reviews_max, \
               reviews_rows FROM sync_device WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok(DeviceState {
                device: token(r, 0)?,
                incarnation: token(r, 1)?,
                end: position(r, 2)?,
                last_sync_ms: r.get(5)?,
                reviews_max: r.get(6)?,
                reviews_rows: r.get(7)?,
            })
        })
        .optional()?)
}

fn peers_in(conn: &rusqlite::Connection) -> Result<Vec<PeerCursor>> {
    let mut stmt = conn.prepare_cached(
        "SELECT device, incarnation, bytes, seq, hash, last_event, events \
         FROM sync_peers ORDER BY device",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PeerCursor {
            device: token(r, 0)?,
            incarnation: token(r, 1)?,
            read: position(r, 2)?,
            last_event_ms: r.get(5)?,
            events: u64::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn pending_in(conn: &rusqlite::Connection) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sync_answers s WHERE undone_by IS NULL AND applied = 0 \
         AND NOT EXISTS (SELECT 1 FROM sync_deletes t WHERE t.deck = s.deck \
           AND t.card = s.card AND s.reviewed_at <= t.deleted_at)",
        [],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}
