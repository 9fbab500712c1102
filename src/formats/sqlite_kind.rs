//! What program a SQLite file belongs to: from its header's
//! `application_id` (byte offset 68) and the names of its tables, read
//! through an immutable connection (`sqlite_file`).

use std::path::Path;

use super::sqlite_file::open_immutable;

/// The 16 bytes every SQLite 3 file starts with.
pub const MAGIC: &[u8] = b"SQLite format 3\0";

/// The SQLite files recall knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// Anki 2.x and later: `col`, `notes`, `cards`.
    AnkiCollection,
    /// Anki 1.x (`.anki`): `facts`, `fieldModels`, `cardModels`.
    Anki1,
    /// Mnemosyne 2: `cards` with rendered question and answer, `data_for_fact`.
    Mnemosyne,
    /// Anything else, with its application's name if the header says it,
    /// and its table names.
    Other {
        application: Option<&'static str>,
        tables: Vec<String>,
    },
}

/// Which program's database `path` is (the file's first bytes are
/// `header`, read already).
pub fn classify(path: &Path, header: &[u8]) -> Result<Database, String> {
    let tables = table_names(path).map_err(|e| format!("a damaged SQLite database ({e})"))?;
    let has = |name: &str| tables.iter().any(|t| t == name);
    Ok(if has("col") && has("notes") && has("cards") {
        Database::AnkiCollection
    } else if has("facts") && has("fieldModels") && has("cardModels") {
        Database::Anki1
    } else if has("cards") && has("data_for_fact") && has("fact_views") {
        Database::Mnemosyne
    } else {
        Database::Other {
            application: application(header),
            tables,
        }
    })
}

fn table_names(path: &Path) -> rusqlite::Result<Vec<String>> {
    let conn = open_immutable(path)?;
    let mut statement = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 50",
    )?;
    let names = statement.query_map([], |r| r.get::<_, String>(0))?;
    names.collect()
}

/// The program a SQLite header's `application_id` names, for the ids in
/// SQLite's own registry (magic.txt) that a user might hand recall.
fn application(header: &[u8]) -> Option<&'static str> {
    let id = u32::from_be_bytes(header.get(68..72)?.try_into().ok()?);
    Some(match id {
        0x0f05_5111..=0x0f05_5113 => "Fossil",
        0x4750_3130 | 0x4750_3131 | 0x4750_4b47 => "GeoPackage",
        0x4d50_4258 => "MBTiles",
        _ => return None,
    })
}

/// What to tell someone who gave recall a database it cannot read.
pub fn describe(database: &Database) -> String {
    match database {
        Database::AnkiCollection => "an Anki collection".into(),
        Database::Anki1 => "an Anki 1.x deck (.anki, from Anki 1.2 or older): current Anki \
            cannot read it either; open it in Anki 2.0 (or 2.1.49 or older) to upgrade it, \
            then export an .apkg"
            .into(),
        Database::Mnemosyne => "a Mnemosyne database".into(),
        Database::Other {
            application,
            tables,
        } => {
            let of = application.map_or_else(|| "another program".to_string(), str::to_string);
            let list = if tables.is_empty() {
                "none".to_string()
            } else {
                tables.join(", ")
            };
            format!(
                "a SQLite database of {of} (tables: {list}), not a deck; recall reads Anki \
                 collections and Mnemosyne databases"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(sql: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("odd name?#%.db");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
        drop(conn);
        (dir, path)
    }

    fn kind(sql: &str) -> Database {
        let (_dir, path) = database(sql);
        let header = std::fs::read(&path).unwrap();
        assert!(header.starts_with(MAGIC));
        classify(&path, &header).unwrap()
    }

    #[test]
    fn tables_tell_the_program() {
        assert_eq!(
            kind("CREATE TABLE col(id); CREATE TABLE notes(id); CREATE TABLE cards(id);"),
            Database::AnkiCollection
        );
        assert_eq!(
            kind(
                "CREATE TABLE facts(id); CREATE TABLE fieldModels(id); CREATE TABLE cardModels(id);"
            ),
            Database::Anki1
        );
        assert_eq!(
            kind(
                "CREATE TABLE cards(id); CREATE TABLE data_for_fact(k); CREATE TABLE fact_views(id);"
            ),
            Database::Mnemosyne
        );
        let other = kind("PRAGMA application_id = 1196444487; CREATE TABLE gpkg_contents(x);");
        let text = describe(&other);
        assert!(
            text.contains("GeoPackage (tables: gpkg_contents)"),
            "{text}"
        );
        assert!(describe(&Database::Anki1).to_lowercase().contains("anki 1"));
    }

    #[test]
    fn a_damaged_file_is_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.db");
        std::fs::write(&path, [MAGIC, &[0xff; 200]].concat()).unwrap();
        let e = classify(&path, MAGIC).unwrap_err();
        assert!(e.starts_with("a damaged SQLite database"), "{e}");
    }
}
