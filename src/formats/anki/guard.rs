//! A collection is a file someone else made: SQLite is told how much it
//! may spend on it before recall reads a row. The connection has a length
//! limit on every string and blob (a generated column or a function could
//! otherwise build strings of gigabytes) and a time budget enforced by a
//! progress handler (a query SQLite cannot finish is stopped, not waited
//! for); and only plain tables are read: a view, a virtual table, a
//! generated column or a trigger in the file is refused, naming it, so no
//! SQL the file carries is ever evaluated.

use std::time::{Duration, Instant};

use rusqlite::Connection;
use rusqlite::limits::Limit;

/// The longest string or blob SQLite may hold for this connection: a
/// legacy collection keeps all its note types (templates, CSS) in one JSON
/// value of a few MiB; a note's fields are each at most 1 MiB.
pub const MAX_VALUE_BYTES: i32 = 32 << 20;

/// How long reading a collection may take. A real collection of 100 000
/// cards is read in about a second (debug build: a few).
pub const TIME_BUDGET: Duration = Duration::from_secs(120);

/// Virtual machine steps between two looks at the clock.
const STEPS: i32 = 10_000;

/// The tables recall reads from a collection.
pub const READ_TABLES: [&str; 8] = [
    "col",
    "notes",
    "cards",
    "revlog",
    "notetypes",
    "fields",
    "templates",
    "decks",
];

/// Why a collection could not be read.
#[derive(Debug)]
pub enum Refusal {
    /// The time budget ran out.
    TooSlow(Duration),
    Other(String),
}

impl From<rusqlite::Error> for Refusal {
    fn from(e: rusqlite::Error) -> Refusal {
        Refusal::Other(e.to_string())
    }
}

impl From<String> for Refusal {
    fn from(message: String) -> Refusal {
        Refusal::Other(message)
    }
}

/// `e`, or `TooSlow` if the progress handler stopped the query.
pub fn classify(e: rusqlite::Error, budget: Duration) -> Refusal {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::OperationInterrupted) => Refusal::TooSlow(budget),
        _ => Refusal::Other(e.to_string()),
    }
}

/// Puts the limits on `conn`: from here on, no value longer than
/// `MAX_VALUE_BYTES` and no statement past `budget` from now.
pub fn limit(conn: &mut Connection, budget: Duration) -> rusqlite::Result<()> {
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)?;
    // Nothing recall reads needs a deep expression or a long statement.
    conn.set_limit(Limit::SQLITE_LIMIT_EXPR_DEPTH, 100)?;
    conn.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, 100_000)?;
    let deadline = Instant::now() + budget;
    conn.progress_handler(STEPS, Some(move || Instant::now() > deadline))
}

/// Refuses a collection whose tables are not plain tables: a view,
/// virtual table or trigger anywhere, or a generated column in a table
/// recall reads, is named in the error. Reads only `sqlite_schema` and
/// `table_xinfo`, which evaluate nothing the file defines.
pub fn plain_tables(conn: &Connection) -> Result<(), String> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_schema \
             WHERE type IN ('view', 'trigger') \
             OR (type = 'table' AND sql LIKE 'create virtual table%') ORDER BY name LIMIT 1",
        )
        .map_err(|e| e.to_string())?;
    let found = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(|e| e.to_string())?
        .next()
        .transpose()
        .map_err(|e| e.to_string())?;
    if let Some((kind, name)) = found {
        let kind = if kind == "table" {
            "virtual table"
        } else {
            &kind
        };
        return Err(format!(
            "the collection has a {kind} {name:?}, which Anki never makes; recall reads only \
             plain tables and runs no SQL a file brings"
        ));
    }
    for table in READ_TABLES {
        let generated: Option<String> = conn
            .query_row(
                "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden <> 0 LIMIT 1",
                [table],
                |r| r.get(0),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e.to_string()),
            })?;
        if let Some(column) = generated {
            return Err(format!(
                "the collection's table {table} has a generated column {column:?}, which Anki \
                 never makes; recall reads only plain tables and runs no SQL a file brings"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(extra: &str) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE col (id INTEGER PRIMARY KEY, crt INTEGER);
             CREATE TABLE notes (id INTEGER PRIMARY KEY, flds TEXT);
             CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER); {extra}"
        ))
        .unwrap();
        conn
    }

    #[test]
    fn a_collection_with_foreign_sql_is_refused_naming_it() {
        assert_eq!(plain_tables(&collection("")), Ok(()));
        let refused = |extra: &str| plain_tables(&collection(extra)).unwrap_err();
        let e = refused("CREATE VIEW v AS SELECT 1;");
        assert!(e.starts_with("the collection has a view \"v\""), "{e}");
        let e = refused("CREATE TRIGGER t AFTER INSERT ON notes BEGIN SELECT 1; END;");
        assert!(e.starts_with("the collection has a trigger \"t\""), "{e}");
        let e = refused(
            "CREATE TABLE revlog (id INTEGER PRIMARY KEY, \
             big TEXT GENERATED ALWAYS AS (printf('%.*c', 300000000, 'x')));",
        );
        assert!(
            e.starts_with("the collection's table revlog has a generated column \"big\""),
            "{e}"
        );
    }

    #[test]
    fn a_query_past_the_budget_or_the_length_limit_is_stopped() {
        let mut conn = collection("");
        limit(&mut conn, Duration::from_millis(200)).unwrap();
        let e = conn
            .query_row(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) \
                 SELECT count(*) FROM n",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap_err();
        assert!(matches!(classify(e, TIME_BUDGET), Refusal::TooSlow(_)));
        let mut conn = collection("");
        limit(&mut conn, TIME_BUDGET).unwrap();
        let e = conn
            .query_row("SELECT length(zeroblob(40000000))", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap_err();
        assert!(e.to_string().contains("too big"), "{e}");
    }
}
