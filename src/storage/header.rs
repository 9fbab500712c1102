//! A look at the first 100 bytes of a database file before SQLite opens it.
//! SQLite would refuse garbage too, but only after creating -wal/-shm files
//! beside it; and a truncated file whose first pages survive can look fine
//! until the missing pages are read. Checking first keeps a damaged file
//! exactly as it was.

use std::io::Read;
use std::path::Path;

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Why a file is not a usable SQLite database, or `Ok` (also for a missing
/// or empty file, which SQLite treats as a new database).
pub fn check(path: &Path) -> Result<(), String> {
    let len = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(_) => return Ok(()),
    };
    if len == 0 {
        return Ok(());
    }
    let mut head = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    if len < 100 || file.read_exact(&mut head).is_err() {
        return Err(format!(
            "the file is {len} bytes long, too short for an SQLite database"
        ));
    }
    if &head[..16] != MAGIC {
        return Err("the file does not start with the SQLite header".into());
    }
    let be32 = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536,
        n if n >= 512 && n.is_power_of_two() => u64::from(n),
        n => return Err(format!("the header names an impossible page size ({n})")),
    };
    // With a non-empty WAL the file's own size can lag behind; SQLite will
    // reconcile the two when it opens it.
    if wal_len(path) > 0 {
        return Ok(());
    }
    // The page count in the header is valid only when it was written by the
    // same change as the counter beside it (SQLite's own rule).
    let pages = u64::from(be32(28));
    if pages > 0 && be32(24) == be32(92) && len < pages * page_size {
        return Err(format!(
            "the file is truncated: {len} bytes, but its header says {} ({pages} pages)",
            pages * page_size
        ));
    }
    if len % page_size != 0 {
        return Err(format!(
            "the file is {len} bytes, not a whole number of {page_size}-byte pages (truncated?)"
        ));
    }
    Ok(())
}

fn wal_len(path: &Path) -> u64 {
    std::fs::metadata(super::backup::with_suffix(path, "-wal")).map_or(0, |m| m.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_short_and_truncated_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        assert_eq!(check(&path), Ok(()));
        std::fs::write(&path, "").unwrap();
        assert_eq!(check(&path), Ok(()));
        std::fs::write(&path, "hello").unwrap();
        assert!(check(&path).unwrap_err().contains("too short"));
        std::fs::write(&path, vec![b'x'; 4096]).unwrap();
        assert!(check(&path).unwrap_err().contains("SQLite header"));

        let conn = rusqlite::Connection::open(path.with_extension("ok")).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (randomblob(20000));")
            .unwrap();
        drop(conn);
        let whole = std::fs::read(path.with_extension("ok")).unwrap();
        std::fs::write(&path, &whole).unwrap();
        assert_eq!(check(&path), Ok(()));
        std::fs::write(&path, &whole[..whole.len() - 4096]).unwrap();
        assert!(check(&path).unwrap_err().contains("truncated"));
        std::fs::write(&path, &whole[..whole.len() - 10]).unwrap();
        assert!(check(&path).unwrap_err().contains("truncated"));
    }
}
