//! Opening the SQLite files of other programs (an Anki collection, a
//! Mnemosyne database, a file to name for the user): read-only and
//! immutable, so recall never writes to them, never creates a journal
//! beside them and takes no lock; and the small checks every reader of
//! such a file makes before it trusts a row.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

/// Opens a foreign SQLite file read-only and immutable. Opening reads no
/// table, so limits set on the connection next come before any row.
pub fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    open_uri(&format!("file:{}?mode=ro&immutable=1", uri_path(path)))
}

/// Opens a `file:` URI read-only (its parameters say the rest).
pub fn open_uri(uri: &str) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
}

/// A path as a `file:` URI path: the characters URIs give meaning to, and
/// every byte past ASCII, are percent-encoded, so `?`, `#` or `%` in a file
/// name stay part of it, and a name that is not UTF-8 is kept byte for byte.
pub fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for &byte in path.as_os_str().as_encoded_bytes() {
        if matches!(byte, b'?' | b'#' | b'%') || !byte.is_ascii() {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push(char::from(byte));
        }
    }
    out
}

/// What `PRAGMA quick_check` found wrong with the file, if anything: damage
/// shows here rather than as a half-read deck.
pub fn damage(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    Ok((check != "ok").then_some(check))
}

/// True if the file has a real table of that name (not a view: a view of
/// the same name could be made to run for ever).
pub fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    let found = conn
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [name],
            |_| Ok(()),
        )
        .optional()?;
    Ok(found.is_some())
}

/// A file that opened but is not what it should be, as the SQLite error a
/// damaged file gives, so that callers report both alike.
pub fn corrupt(message: String) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
        Some(message),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_keep_their_special_characters() {
        assert_eq!(uri_path(Path::new("/tmp/a?b#c%d")), "/tmp/a%3Fb%23c%25d");
        assert_eq!(uri_path(Path::new("/tmp/é?")), "/tmp/%C3%A9%3F");
    }

    #[test]
    fn a_file_with_an_odd_name_opens_and_tables_are_told_from_views() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("odd name?#%é.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE cards(id); CREATE VIEW notes AS SELECT 1;")
            .unwrap();
        drop(conn);
        let conn = open_immutable(&path).unwrap();
        assert!(has_table(&conn, "cards").unwrap());
        assert!(!has_table(&conn, "notes").unwrap());
        assert_eq!(damage(&conn).unwrap(), None);
    }
}
