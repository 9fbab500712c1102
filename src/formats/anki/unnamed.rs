//! The temporary copy of a collection inflated from a package: a file
//! that has a name only for as long as SQLite takes to open it.

use rusqlite::Connection;

use crate::formats::sqlite_file::{open_uri, uri_path};

/// A temporary collection file that has no name while it holds anything:
/// created in the temporary folder, opened by SQLite, and unlinked before
/// a byte is written into it; SQLite reads it through the descriptor it
/// holds. A killed import leaves nothing behind (read-only, no journal,
/// `-wal` or `-shm` either), and the collection is never in memory whole.
pub struct Unnamed {
    conn: Connection,
    file: std::fs::File,
}

impl Unnamed {
    pub fn new() -> Result<Unnamed, String> {
        let temp = tempfile::Builder::new()
            .prefix(".recall-collection-")
            .tempfile()
            .map_err(|e| format!("no temporary file for the collection: {e}"))?;
        // Not `immutable`: SQLite would take the empty file's size as
        // final. Nothing else has the file, so no lock is needed.
        let conn = open_uri(&format!("file:{}?mode=ro&nolock=1", uri_path(temp.path())))
            .map_err(|e| e.to_string())?;
        // Gone from the folder now; both descriptors stay on the file.
        let (file, path) = temp.into_parts();
        path.close()
            .map_err(|e| format!("cannot remove the temporary collection file: {e}"))?;
        Ok(Unnamed { conn, file })
    }

    /// Where the collection is written, before it is read.
    pub fn file(&mut self) -> &mut std::fs::File {
        &mut self.file
    }

    /// Called once the collection is written. A collection in WAL mode
    /// (current Anki's) is marked as one with a rollback journal, as a
    /// copy checkpointed and closed would be: SQLite would otherwise look
    /// for its `-wal` and `-shm` files, which do not exist.
    pub fn written(&mut self) -> std::io::Result<()> {
        use std::io::{Read, Seek, SeekFrom, Write};
        let mut modes = [0; 2];
        self.file.seek(SeekFrom::Start(18))?;
        if self.file.read_exact(&mut modes).is_ok() && modes == [2, 2] {
            self.file.seek(SeekFrom::Start(18))?;
            self.file.write_all(&[1, 1])?;
        }
        self.file.flush()
    }

    /// The connection to read the collection with, once it is written.
    pub(super) fn into_connection(self) -> Connection {
        self.conn
    }
}
