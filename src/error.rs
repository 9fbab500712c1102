//! Errors written for the person at the terminal: each names the file (and
//! line, where there is one), the problem, and the way out.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input in a file the user gave us.
    #[error("{}:{line}:{column}: {message}", line_of(file))]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    /// A problem with a whole file (unreadable, wrong kind, too big).
    #[error("{}: {message}", line_of(file))]
    File { file: String, message: String },

    #[error(
        "{}: the database schema is version {found}, newer than this recall understands ({supported}); \
         upgrade recall, restore an older backup with `recall restore FILE`, or use another file \
         with --db. The file was left untouched.",
        shown(path)
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error(
        "{}: not a recall database, or it is damaged ({detail}). It was left untouched; \
         restore a backup with `recall restore FILE`, or use another file with --db.",
        shown(path)
    )]
    Damaged { path: PathBuf, detail: String },

    /// A database holding an object (trigger, view, index, table, column)
    /// that recall's migrations do not create: it could run foreign code.
    #[error(
        "{}: {problem}. recall opens only a database whose schema is exactly what its own \
         migrations create, since anything else could run code that recall did not write. The \
         file was left untouched; restore a backup with `recall restore FILE`, or use another \
         file with --db.",
        shown(path)
    )]
    ForeignSchema { path: PathBuf, problem: String },

    /// `--db` names something that is not a regular file (a folder, a FIFO,
    /// a device): never opened, since a FIFO would hang and a device is no place for a database.
    #[error(
        "{}: is {kind}, not a recall database. Give --db (or RECALL_DB) the path of a \
         database file; a missing one is created.",
        shown(path)
    )]
    NotAFile { path: PathBuf, kind: &'static str },

    #[error("{}: {source}", shown(path))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Writing to stdout failed (a closed pipe is not worth an error message).
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),

    /// An SQLite error with no file known yet; `in_database` adds it.
    #[error("{}", describe_sqlite(.0))]
    Sqlite(#[from] rusqlite::Error),

    /// An SQLite error on a known database file, said in words for people.
    #[error("{}: {}", shown(path), describe_sqlite(source))]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error(
        "{}: the database is read-only for you, and recall needs to write to it even to show \
         cards (it records the day's backup and installs deck updates). Check the permissions \
         of the file and its folder, or copy it elsewhere and use --db.",
        shown(path)
    )]
    ReadOnly { path: PathBuf },

    /// Something the user asked for that does not exist or cannot be done.
    #[error("{0}")]
    Invalid(String),

    /// What the user saw (a card on screen, an answer to undo) is no longer
    /// in the database as they saw it: another process answered, pruned,
    /// undid or restored meanwhile. Nothing was written; a session reloads.
    #[error("{0}")]
    Changed(String),
}

/// A file name as the first word of a one-line message: a newline in it
/// must not start a line that looks like recall's own.
fn line_of(file: &str) -> std::borrow::Cow<'_, str> {
    crate::domain::text::escape_line(file)
}

fn shown(path: &std::path::Path) -> String {
    line_of(&path.display().to_string()).into_owned()
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::Invalid(message.into())
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// This error as an `io::Error`, for a reader that checks what it reads
    /// (a deck file's UTF-8, its size): the error the person should see
    /// goes through the `Read` and `from_read` takes it back out.
    pub fn into_io(self) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, self)
    }

    /// What a read of `path` failed with: the error a checking reader
    /// carried (`into_io`), or the read error itself.
    pub fn from_read(path: impl Into<PathBuf>, e: std::io::Error) -> Error {
        e.downcast::<Error>().unwrap_or_else(|e| Error::io(path, e))
    }

    pub fn sqlite_at(path: impl Into<PathBuf>, source: rusqlite::Error) -> Error {
        Error::Database {
            path: path.into(),
            source,
        }
    }

    /// Names the database file in an SQLite error that does not yet say which.
    pub fn in_database(self, path: &std::path::Path) -> Error {
        match self {
            Error::Sqlite(source) => Error::sqlite_at(path, source),
            other => other,
        }
    }

    /// A parse error at a byte offset of `text`, turned into line and column.
    pub fn at_offset(file: &str, text: &str, offset: usize, message: impl Into<String>) -> Error {
        let offset = offset.min(text.len());
        let before = &text[..text.floor_char_boundary(offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Error::Parse {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// The SQLite failures a person can act on, in words; the rest keep
/// SQLite's own message. Every write runs in one transaction, so a failed
/// command has saved nothing: the messages can say so.
fn describe_sqlite(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => {
            "the disk is full, so nothing was saved; free some space and try again".into()
        }
        Some(ErrorCode::ReadOnly) => "the database is read-only, so nothing was saved; check \
             the permissions of the file and its folder"
            .into(),
        Some(ErrorCode::CannotOpen) => "cannot open the database file; check that its folder \
             exists and that you may read and write both"
            .into(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => format!(
            "another recall process kept the database busy for over {} seconds, so nothing was \
             saved; try again",
            crate::storage::BUSY_TIMEOUT.as_secs()
        ),
        Some(ErrorCode::SystemIoFailure) => {
            format!(
                "reading or writing the file failed ({e}), so nothing was saved; is the disk full or failing?"
            )
        }
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            format!("the database is damaged ({e}); restore a backup with `recall restore FILE`")
        }
        _ => format!("database error: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_line_and_column() {
        let text = "a = 1\nbé = 2\nc";
        let err = Error::at_offset("x.toml", text, text.find('=').unwrap(), "bad");
        assert_eq!(err.to_string(), "x.toml:1:3: bad");
        let err = Error::at_offset("x.toml", text, text.rfind('=').unwrap(), "bad");
        assert_eq!(err.to_string(), "x.toml:2:4: bad");
        let err = Error::at_offset("x.toml", text, 999, "bad");
        assert_eq!(err.to_string(), "x.toml:3:2: bad");
    }

    #[test]
    fn a_file_name_cannot_forge_a_line_of_the_message() {
        let err = Error::File {
            file: "deck\nrecall: all good\u{1b}[2J.md".into(),
            message: "bad".into(),
        };
        assert_eq!(err.to_string(), "deck\\x0arecall: all good\\x1b[2J.md: bad");
        let err = Error::io("a\rb", std::io::Error::other("gone"));
        assert_eq!(err.to_string(), "a\\x0db: gone");
    }

    #[test]
    fn sqlite_failures_read_as_advice_and_name_the_file() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let err = Error::from(full).in_database(std::path::Path::new("/d/recall.db"));
        let text = err.to_string();
        assert!(text.starts_with("/d/recall.db: the disk is full"), "{text}");
        assert!(!text.contains("database error"), "{text}");
    }

    #[test]
    fn a_busy_database_reports_the_wait_the_store_allows() {
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        let text = Error::from(busy).to_string();
        let secs = crate::storage::BUSY_TIMEOUT.as_secs();
        assert!(
            text.contains(&format!("busy for over {secs} seconds")),
            "{text}"
        );
    }
}
