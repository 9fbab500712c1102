//! Anki's files: packages (`.apkg`, `.colpkg`: a zip around the
//! collection) and bare collections (`collection.anki2`, `.anki21`,
//! `.anki21b`). The collection is SQLite; reading it is a format concern,
//! with its own read-only connection, so the SQL for it lives here and not
//! in `storage`.

mod collection;
mod package;
mod progress;

pub use package::{MAX_COLLECTION_BYTES, parse as parse_package};

use std::path::Path;

use super::Loaded;
use crate::error::{Error, Result};

/// A bare collection file (`collection.anki2`, `.anki21`), read in place.
pub fn parse_collection_file(file: &str, path: &Path, with_progress: bool) -> Result<Loaded> {
    let collection = collection::read_collection(path).map_err(|e| Error::File {
        file: file.to_string(),
        message: format!("not a readable Anki collection ({e})"),
    })?;
    package::convert(file, &collection, with_progress)
}
