//! Anki's files: packages (`.apkg`, `.colpkg`: a zip around the
//! collection) and bare collections (`collection.anki2`, `.anki21`,
//! `.anki21b`). The collection is SQLite; reading it is a format concern,
//! with its own read-only connection, so the SQL for it lives here and not
//! in `storage`. Cards are rendered through their note type's templates as
//! Anki renders them (`template`, `filters`, `render`), then turned into
//! recall's decks (`convert`). `write` goes the other way: a recall deck
//! out as a package.

mod collection;
mod convert;
pub mod crowdanki;
mod filters;
mod guard;
mod notetype;
mod package;
mod package_media;
mod progress;
mod proto;
mod render;
mod template;
mod unnamed;
pub mod write;

use std::path::Path;

use super::{Loaded, file_error};
use crate::error::{Error, Result};

pub use convert::card_key;
pub use unnamed::Unnamed;

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
pub use package::{
    MAX_COLLECTION_BYTES, inflate, parse as parse_package, parse_file as parse_package_file, unzstd,
};

/// A bare collection file (`collection.anki2`, `.anki21`), read in place:
/// read-only and immutable, so a collection Anki has open is never written.
pub fn parse_collection_file(file: &str, path: &Path, with_progress: bool) -> Result<Loaded> {
    let source = collection::Source::File(path);
    let collection =
        collection::read_collection(source, with_progress).map_err(|e| refused(file, None, e))?;
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

/// A collection inflated from a package (or a bare `collection.anki21b`),
/// read from its `Unnamed` file. `entry` names it in errors.
pub fn parse_inflated(
    file: &str,
    entry: &str,
    inflated: Unnamed,
    with_progress: bool,
) -> Result<Loaded> {
    let source = collection::Source::Unnamed(inflated);
    let collection = collection::read_collection(source, with_progress)
        .map_err(|e| refused(file, Some(entry), e))?;
    convert::convert(file, &collection, with_progress)
}

/// The error for a collection `read_collection` refused: `entry` is the
/// package's entry, `None` for a bare file.
fn refused(file: &str, entry: Option<&str>, e: guard::Refusal) -> Error {
    let what = entry.map_or_else(|| "the collection".to_string(), str::to_string);
    let message = match e {
        guard::Refusal::TooSlow(budget) => format!(
            "{what} takes too long to read: SQLite was stopped after {} s (no real collection \
             needs this long; a damaged or hostile file?)",
            budget.as_secs()
        ),
        guard::Refusal::Other(e) => match entry {
            Some(entry) => format!("{entry} is not a readable Anki collection ({e})"),
            None => format!("not a readable Anki collection ({e})"),
        },
    };
    file_error(file, message)
}
