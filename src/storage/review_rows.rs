//! The two writes every answer makes, wherever it comes from (`recall
//! answer`, a merged log, another program's history): its row of the
//! review log, and the card's new state. One place for each, so the
//! log's 19 columns and the card's six are spelled once.

use rusqlite::{CachedStatement, Connection, params};

use super::cards::kind_code;
use crate::domain::log::{LoggedAnswer, Replayed};
use crate::domain::{CardId, Schedule};
use crate::error::Result;

/// One row of the log: an answer with the card's state before and after it.
pub(super) struct ReviewRow<'a> {
    pub card: CardId,
    pub answer: &'a LoggedAnswer,
    /// How it counted (`kind`), and the states around it.
    pub step: &'a Replayed,
    /// The card's previous scheduling answer (what undo gives back).
    pub last_before: Option<i64>,
    /// The mark of an answer imported from Anki (0004).
    pub anki_kind: Option<i64>,
}

/// The log's columns, in the order `bind` binds them.
const COLUMNS: &str = "card_id, reviewed_at, utc_offset, day, grade, kind, duration_ms, \
     reps_before, ef_before, interval_before, due_before, lapses_before, last_before, \
     reps_after, ef_after, interval_after, due_after, lapses_after, anki_kind";
const COLUMN_COUNT: usize = 19;

/// Rows of one `INSERT` in a batch: each statement costs SQLite a few
/// thousand instructions of its own (cursors, the AUTOINCREMENT counter read
/// and written), as much again as the row; 32 rows share them (608
/// parameters, far below SQLite's limit).
const BATCH_ROWS: usize = 32;

/// `INSERT OR ROLLBACK INTO reviews` of `rows` rows. A multi-row insert
/// (or one with a trigger) that may abort half-way keeps a statement
/// journal, a copy of each page it touches: 3 % of a bulk merge. One that
/// can only roll the whole transaction back keeps none; every write of the
/// log belongs to a transaction that is all or nothing, and its values
/// hold the constraints by construction (`Grade`, `AnswerKind`).
fn insert_sql(rows: usize) -> String {
    let row = format!("({})", vec!["?"; COLUMN_COUNT].join(", "));
    format!(
        "INSERT OR ROLLBACK INTO reviews ({COLUMNS}) VALUES {}",
        vec![row; rows].join(", ")
    )
}

/// Binds each value to the next parameter after `$skip`, each with its own
/// type's `ToSql` (no `dyn` call per value: binding was 7% of a bulk merge).
macro_rules! bind_each {
    ($stmt:expr, $skip:expr, $($value:expr),+ $(,)?) => {{
        let mut index = $skip;
        $(
            index += 1;
            $stmt.raw_bind_parameter(index, $value)?;
        )+
        debug_assert_eq!(index - $skip, COLUMN_COUNT);
    }};
}

/// Binds `row` to the parameters after the first `skip`, in `COLUMNS` order.
fn bind(stmt: &mut CachedStatement<'_>, skip: usize, row: &ReviewRow<'_>) -> Result<()> {
    let (a, b, f) = (row.answer, row.step.before, row.step.after);
    bind_each!(
        stmt,
        skip,
        row.card,
        a.reviewed_at_ms,
        a.utc_offset_secs,
        a.day.0,
        a.grade.value(),
        kind_code(row.step.kind),
        a.duration_ms,
        b.repetitions,
        b.efactor.0,
        b.interval,
        b.due.map(|d| d.0),
        b.lapses,
        row.last_before,
        f.repetitions,
        f.efactor.0,
        f.interval,
        f.due.map(|d| d.0),
        f.lapses,
        row.anki_kind,
    );
    Ok(())
}

/// Writes rows of the review log one at a time, with one prepared statement.
pub(super) struct ReviewWriter<'c> {
    conn: &'c Connection,
    insert: CachedStatement<'c>,
}

impl<'c> ReviewWriter<'c> {
    pub fn new(conn: &'c Connection) -> Result<ReviewWriter<'c>> {
        let insert = conn.prepare_cached(&insert_sql(1))?;
        Ok(ReviewWriter { conn, insert })
    }

    /// Writes `row` and gives its id.
    pub fn insert(&mut self, row: &ReviewRow<'_>) -> Result<i64> {
        bind(&mut self.insert, 0, row)?;
        self.insert.raw_execute()?;
        Ok(self.conn.last_insert_rowid())
    }
}

/// A row kept by `ReviewBatch` until its batch is written.
#[derive(Clone, Copy)]
struct Pending {
    card: CardId,
    answer: LoggedAnswer,
    step: Replayed,
    last_before: Option<i64>,
    anki_kind: Option<i64>,
}

impl Pending {
    fn row(&self) -> ReviewRow<'_> {
        ReviewRow {
            card: self.card,
            answer: &self.answer,
            step: &self.step,
            last_before: self.last_before,
            anki_kind: self.anki_kind,
        }
    }
}

/// Writes many rows of the review log, `BATCH_ROWS` to a statement, in the
/// order given (so they get the ids one at a time would). Rows are in the
/// database only after the `push` that fills a batch, or after `finish`:
/// a caller reads only rows it did not push since.
pub(super) struct ReviewBatch<'c> {
    one: ReviewWriter<'c>,
    many: CachedStatement<'c>,
    pending: Vec<Pending>,
}

impl<'c> ReviewBatch<'c> {
    pub fn new(conn: &'c Connection) -> Result<ReviewBatch<'c>> {
        Ok(ReviewBatch {
            one: ReviewWriter::new(conn)?,
            many: conn.prepare_cached(&insert_sql(BATCH_ROWS))?,
            pending: Vec::with_capacity(BATCH_ROWS),
        })
    }

    pub fn push(&mut self, row: &ReviewRow<'_>) -> Result<()> {
        self.pending.push(Pending {
            card: row.card,
            answer: *row.answer,
            step: *row.step,
            last_before: row.last_before,
            anki_kind: row.anki_kind,
        });
        if self.pending.len() < BATCH_ROWS {
            return Ok(());
        }
        for (i, p) in self.pending.iter().enumerate() {
            bind(&mut self.many, i * COLUMN_COUNT, &p.row())?;
        }
        self.many.raw_execute()?;
        self.pending.clear();
        Ok(())
    }

    /// Writes the rows of the last, partial batch.
    pub fn finish(mut self) -> Result<()> {
        for p in std::mem::take(&mut self.pending) {
            self.one.insert(&p.row())?;
        }
        Ok(())
    }
}

/// Writes cards' scheduling states, with one prepared statement for many cards.
pub(super) struct CardStates<'c> {
    update: CachedStatement<'c>,
}

impl<'c> CardStates<'c> {
    pub fn new(conn: &'c Connection) -> Result<CardStates<'c>> {
        let update = conn.prepare_cached(
            "UPDATE cards SET repetitions = ?2, efactor = ?3, interval = ?4, due = ?5, \
               lapses = ?6, last_review = ?7 WHERE id = ?1",
        )?;
        Ok(CardStates { update })
    }

    /// Gives `card` the state `s`, last scheduled at `last_review` (Unix ms).
    pub fn set(&mut self, card: CardId, s: &Schedule, last_review: Option<i64>) -> Result<()> {
        self.update.execute(params![
            card,
            s.repetitions,
            s.efactor.0,
            s.interval,
            s.due.map(|d| d.0),
            s.lapses,
            last_review
        ])?;
        Ok(())
    }
}
