//! Anki's files: packages (`.apkg`, `.colpkg`: a zip around the
//! collection) and bare collections (`collection.anki2`, `.anki21`,
//! `.anki21b`). The collection is SQLite; reading it is a format concern,
//! with its own read-only connection, so the SQL for it lives here and not
//! in `storage`. Cards are rendered through their note type's templates as
//! Anki renders them (`template`, `filters`, `render`), then turned into
//! recall's decks (`convert`).

mod collection;
mod convert;
pub mod crowdanki;
mod filters;
mod notetype;
mod package;
mod progress;
mod proto;
mod render;
mod template;

use std::path::Path;

use super::Loaded;
use crate::error::{Error, Result};

pub use convert::card_key;

/// Card `ord` of a note of a one-off note type with the given templates and
/// fields (named `F1`, `F2`, …), as recall shows it: (front, back), or why
/// it is not shown. For fuzzing and tests of the template engine.
pub fn render_card(
    front: &str,
    back: &str,
    cloze: bool,
    fields: &[&str],
    ord: u32,
) -> std::result::Result<(String, String), String> {
    let notetype = notetype::NoteType {
        name: "fuzz".into(),
        cloze,
        css: String::new(),
        fields: (1..=fields.len()).map(|i| format!("F{i}")).collect(),
        templates: vec![notetype::Template {
            ord: 0,
            name: "Card 1".into(),
            front: front.into(),
            back: back.into(),
        }],
    };
    render::Renderer::new(&notetype, fields, "a b")
        .render("A::B", 1, ord)
        .map(|card| (card.front, card.back))
        .map_err(|e| e.to_string())
}
pub use package::{MAX_COLLECTION_BYTES, parse as parse_package, unzstd};

/// A bare collection file (`collection.anki2`, `.anki21`), read in place:
/// read-only and immutable, so a collection Anki has open is never written.
pub fn parse_collection_file(file: &str, path: &Path, with_progress: bool) -> Result<Loaded> {
    let collection = collection::read_collection(path, with_progress).map_err(|e| Error::File {
        file: file.to_string(),
        message: format!("not a readable Anki collection ({e})"),
    })?;
    let mut loaded = convert::convert(file, &collection, with_progress)?;
    // Read immutable, the file is what Anki last checkpointed into it.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        loaded.warnings.push(format!(
            "{} is there: Anki has the collection open (or was not closed); what it has not yet \
             written into the collection is not imported; close Anki and import again for all of it",
            std::path::Path::new(&wal).display()
        ));
    }
    Ok(loaded)
}

/// A collection already in memory (inflated from a package, or a bare
/// `collection.anki21b`): read from a private temporary file. `entry`
/// names it in errors.
pub fn parse_collection_bytes(
    file: &str,
    entry: &str,
    sqlite: &[u8],
    with_progress: bool,
) -> Result<Loaded> {
    let mut temp = tempfile::NamedTempFile::new().map_err(|e| Error::io("temporary file", e))?;
    std::io::Write::write_all(&mut temp, sqlite)
        .map_err(|e| Error::io(temp.path().to_path_buf(), e))?;
    let collection =
        collection::read_collection(temp.path(), with_progress).map_err(|e| Error::File {
            file: file.to_string(),
            message: format!("{entry} is not a readable Anki collection ({e})"),
        })?;
    convert::convert(file, &collection, with_progress)
}
