//! Errors written for the person at the terminal: each names the file (and
//! line, where there is one), the problem, and the way out.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input in a file the user gave us.
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    /// A problem with a whole file (unreadable, wrong kind, too big).
    #[error("{file}: {message}")]
    File { file: String, message: String },

    #[error(
        "{path}: the database schema is version {found}, newer than this recall understands ({supported}); \
         upgrade recall, or open another database with --db. The file was left untouched."
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error(
        "{path}: not a recall database, or it is damaged ({detail}). It was left untouched; \
         restore a backup with `recall restore FILE`, or use another file with --db."
    )]
    Damaged { path: PathBuf, detail: String },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Writing to stdout failed (a closed pipe is not worth an error message).
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),

    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// Something the user asked for that does not exist or cannot be done.
    #[error("{0}")]
    Invalid(String),
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
}
