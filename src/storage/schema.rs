//! The schema check: a database must hold exactly what recall's migrations
//! create at its version, and nothing else. A trigger, view, index, table or
//! changed column definition that recall did not write is code (or data
//! that feeds code) that would run inside recall's own transactions: a
//! trigger on `reviews` fires on the next answer and is copied into every
//! backup. So every open and every restore compares the file's
//! `sqlite_schema` with the one the migrations make, and refuses the file,
//! naming the first object that differs.
//!
//! The expected schema comes from the migration files themselves: `build.rs`
//! runs them on an in-memory database and embeds what SQLite lists after
//! each one, so a new migration is covered with no change here (and a test
//! checks that the same SQLite at run time makes the same schema).

use std::fmt;

use rusqlite::Connection;

/// One row of `sqlite_schema`, its SQL as SQLite keeps it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Object {
    kind: String,
    name: String,
    table: String,
    sql: Option<String>,
}

impl Object {
    /// The same object, its SQL the same once normalized. The text is
    /// compared as it is first: a database recall migrated holds the very
    /// text of the migrations, and normalizing is most of the check's cost.
    fn same(&self, other: &Object) -> bool {
        self.kind == other.kind
            && self.name == other.name
            && self.table == other.table
            && match (&self.sql, &other.sql) {
                (Some(a), Some(b)) => a == b || normalize(a) == normalize(b),
                (a, b) => a == b,
            }
    }
}

/// Objects SQLite makes on its own, which a recall database may hold
/// although no migration creates them, each with the exact SQL SQLite gives
/// it (the same name with any other definition is refused):
/// - `sqlite_sequence`: the counters of `AUTOINCREMENT` tables;
/// - `sqlite_stat1`..`sqlite_stat4`: statistics written by `ANALYZE` (or
///   `PRAGMA optimize`), read only by the query planner; stat2 and stat3
///   come from older SQLite versions.
///
/// Automatic indexes (`sqlite_autoindex_*`, for UNIQUE and PRIMARY KEY
/// constraints) are not listed: the migrations make the same ones, so they
/// are compared like any other object.
const SQLITE_INTERNAL: &[(&str, &str)] = &[
    ("sqlite_sequence", "CREATE TABLE sqlite_sequence(name,seq)"),
    ("sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
    (
        "sqlite_stat2",
        "CREATE TABLE sqlite_stat2(tbl,idx,sampleno,sample)",
    ),
    (
        "sqlite_stat3",
        "CREATE TABLE sqlite_stat3(tbl,idx,neq,nlt,ndlt,sample)",
    ),
    (
        "sqlite_stat4",
        "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
    ),
];

/// How a database's schema differs from what the migrations make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    Foreign { kind: String, name: String },
    Changed { kind: String, name: String },
    Missing { kind: String, name: String },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Foreign { kind, name } => write!(f, "{kind} `{name}` was not made by recall"),
            Mismatch::Changed { kind, name } => {
                write!(f, "{kind} `{name}` is not as recall made it")
            }
            Mismatch::Missing { kind, name } => {
                write!(f, "{kind} `{name}`, which recall makes, is missing")
            }
        }
    }
}

/// What `build.rs` read from SQLite after each prefix of `migrations/`:
/// `SOURCES` (the files) and `SCHEMAS[v]` (the rows of version `v`).
mod built {
    include!(concat!(env!("OUT_DIR"), "/schema_expected.rs"));
}

/// The schema of `conn`'s main database, sorted, without SQLite's internals.
pub(super) fn read(conn: &Connection) -> rusqlite::Result<Vec<Object>> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_schema")?;
    let rows = stmt.query_map([], |r| {
        Ok(Object {
            kind: r.get(0)?,
            name: r.get(1)?,
            table: r.get(2)?,
            sql: r.get(3)?,
        })
    })?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map(without_internals)
}

fn without_internals(mut objects: Vec<Object>) -> Vec<Object> {
    objects.retain(|object| {
        !SQLITE_INTERNAL.iter().any(|(name, sql)| {
            object.kind == "table" && object.name == *name && object.sql.as_deref() == Some(sql)
        })
    });
    objects.sort();
    objects
}

/// The schema that `migrations` (the first N of `MIGRATIONS`) create: the
/// one `build.rs` embedded when they are the files it read, else (a test's
/// own list) built now in a private in-memory database.
pub(super) fn expected(migrations: &[&str]) -> rusqlite::Result<Vec<Object>> {
    let n = migrations.len();
    if n <= built::SOURCES.len() && built::SOURCES[..n] == *migrations {
        let rows = built::SCHEMAS[n]
            .iter()
            .map(|&(kind, name, table, sql)| Object {
                kind: kind.into(),
                name: name.into(),
                table: table.into(),
                sql: sql.map(str::to_owned),
            });
        return Ok(without_internals(rows.collect()));
    }
    build(migrations)
}

fn build(migrations: &[&str]) -> rusqlite::Result<Vec<Object>> {
    let conn = Connection::open_in_memory()?;
    for sql in migrations {
        conn.execute_batch(sql)?;
    }
    read(&conn)
}

/// The first difference between `found` and `expected`, the most dangerous
/// kind first: foreign objects (triggers and views before tables and
/// indexes), then changed ones, then missing ones.
pub(super) fn compare(found: &[Object], expected: &[Object]) -> Result<(), Mismatch> {
    let rank = |o: &&Object| match o.kind.as_str() {
        "trigger" => 0,
        "view" => 1,
        "table" => 2,
        _ => 3,
    };
    let named =
        |o: &Object, kind: &str| expected.iter().find(|e| e.kind == kind && e.name == o.name);
    let mismatch = |o: &Object| (o.kind.clone(), o.name.clone());
    let mut foreign: Vec<&Object> = found
        .iter()
        .filter(|o| named(o, &o.kind).is_none())
        .collect();
    foreign.sort_by_key(rank);
    if let Some(o) = foreign.first() {
        let (kind, name) = mismatch(o);
        return Err(Mismatch::Foreign { kind, name });
    }
    let mut changed: Vec<&Object> = found
        .iter()
        .filter(|o| !named(o, &o.kind).is_some_and(|e| e.same(o)))
        .collect();
    changed.sort_by_key(rank);
    if let Some(o) = changed.first() {
        let (kind, name) = mismatch(o);
        return Err(Mismatch::Changed { kind, name });
    }
    let mut missing: Vec<&Object> = expected
        .iter()
        .filter(|e| !found.iter().any(|o| o.kind == e.kind && o.name == e.name))
        .collect();
    missing.sort_by_key(rank);
    match missing.first() {
        Some(o) => {
            let (kind, name) = mismatch(o);
            Err(Mismatch::Missing { kind, name })
        }
        None => Ok(()),
    }
}

/// SQL with comments dropped and each run of spaces made one space, outside
/// string literals and quoted names. SQLite keeps the text of each CREATE
/// statement as written, comments and all; normalizing means that a comment
/// or the layout of a migration can change without every database made
/// before that change being refused. Tokens never merge (a comment becomes
/// a space, as SQLite's tokenizer treats it), so the meaning is kept.
pub(super) fn normalize(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        let comment = match c {
            '-' if chars.peek() == Some(&'-') => {
                chars.by_ref().take_while(|&c| c != '\n').for_each(drop);
                true
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = '\0';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                true
            }
            _ => false,
        };
        if comment || c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
        if let Some(close) = match c {
            '\'' => Some('\''),
            '"' => Some('"'),
            '`' => Some('`'),
            '[' => Some(']'),
            _ => None,
        } {
            // Quoted: copied as it is. A doubled quote ('it''s') closes and
            // reopens, which copies the same characters.
            for q in chars.by_ref() {
                out.push(q);
                if q == close {
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::migrate::MIGRATIONS;

    #[test]
    fn normalizing_drops_comments_and_spacing_but_keeps_quoted_text() {
        assert_eq!(
            normalize("CREATE TABLE t (\n  a INT, -- why\n  b /* x */ TEXT\n)"),
            "CREATE TABLE t ( a INT, b TEXT )"
        );
        assert_eq!(
            normalize("SELECT 'a  -- b', \"x  y\", [p  q], `r  s`"),
            "SELECT 'a  -- b', \"x  y\", [p  q], `r  s`"
        );
        assert_eq!(normalize("x/**/y"), "x y", "a comment separates tokens");
        assert_eq!(normalize("'it''s  ok'  z"), "'it''s  ok' z");
        assert_eq!(normalize("a /* never closed"), "a");
    }

    #[test]
    fn the_embedded_schemas_are_what_the_migrations_make_with_this_sqlite() {
        assert_eq!(
            built::SOURCES,
            MIGRATIONS,
            "migrations/ and MIGRATIONS differ"
        );
        for version in 0..=MIGRATIONS.len() {
            let made = &MIGRATIONS[..version];
            assert_eq!(expected(made).unwrap(), build(made).unwrap(), "v{version}");
        }
    }

    #[test]
    fn each_version_matches_its_own_migrations_and_no_other() {
        for version in 0..=MIGRATIONS.len() {
            let conn = Connection::open_in_memory().unwrap();
            for sql in &MIGRATIONS[..version] {
                conn.execute_batch(sql).unwrap();
            }
            let found = read(&conn).unwrap();
            assert_eq!(
                compare(&found, &expected(&MIGRATIONS[..version]).unwrap()),
                Ok(())
            );
            if version > 0 {
                let older = expected(&MIGRATIONS[..version - 1]).unwrap();
                assert!(
                    compare(&found, &older).is_err(),
                    "v{version} passed as older"
                );
            }
        }
    }

    #[test]
    fn a_comment_or_layout_change_in_a_migration_is_not_a_schema_change() {
        let expected = expected(MIGRATIONS).unwrap();
        // The same edit in every migration: 0005 rebuilds `cards` from its
        // own copy of the definition.
        let made_with = |edit: &dyn Fn(&str) -> String| {
            let conn = Connection::open_in_memory().unwrap();
            for sql in MIGRATIONS {
                conn.execute_batch(&edit(sql)).unwrap();
            }
            compare(&read(&conn).unwrap(), &expected)
        };
        let comment = "-- the card's stable id within its deck";
        assert!(MIGRATIONS[0].contains(comment));
        let relaid = |sql: &str| sql.replace(comment, "/* its id */").replace("    ", "\t");
        assert_eq!(made_with(&relaid), Ok(()));
        let changed = |sql: &str| sql.replace("DEFAULT 2500", "DEFAULT 2400");
        assert_eq!(
            made_with(&changed).unwrap_err().to_string(),
            "table `cards` is not as recall made it"
        );
    }

    #[test]
    fn a_foreign_object_is_named_before_a_changed_or_missing_one() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "DROP INDEX cards_due; \
             ALTER TABLE cards ADD COLUMN loud TEXT GENERATED ALWAYS AS (upper(front)) VIRTUAL; \
             CREATE TRIGGER evil AFTER INSERT ON reviews BEGIN DELETE FROM reviews; END;",
        )
        .unwrap();
        let expected = expected(MIGRATIONS).unwrap();
        let err = compare(&read(&conn).unwrap(), &expected).unwrap_err();
        assert_eq!(err.to_string(), "trigger `evil` was not made by recall");
        conn.execute_batch("DROP TRIGGER evil").unwrap();
        let err = compare(&read(&conn).unwrap(), &expected).unwrap_err();
        assert_eq!(err.to_string(), "table `cards` is not as recall made it");
    }

    #[test]
    fn only_sqlite_internal_tables_with_their_own_definition_are_tolerated() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO decks (name, created_at) VALUES ('d', 0); ANALYZE; \
             CREATE TABLE auto (id INTEGER PRIMARY KEY AUTOINCREMENT);",
        )
        .unwrap();
        let expected = expected(MIGRATIONS).unwrap();
        let err = compare(&read(&conn).unwrap(), &expected).unwrap_err();
        assert_eq!(err.to_string(), "table `auto` was not made by recall");
        conn.execute_batch("DROP TABLE auto").unwrap();
        assert_eq!(compare(&read(&conn).unwrap(), &expected), Ok(()));
        // sqlite_stat1 exists after ANALYZE, and sqlite_sequence stays.
        let internals: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('sqlite_stat1', 'sqlite_sequence')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(internals, 2);
    }
}
