//! Anki's files: packages (`.apkg`, `.colpkg`: a zip around the
//! collection) and bare collections (`collection.anki2`, `.anki21`,
//! `.anki21b`). The collection is SQLite; reading it is a format concern,
//! with its own read-only connection, so the SQL for it lives here and not
//! in `storage`.

mod collection;
mod package;
mod progress;

pub use package::{MAX_COLLECTION_BYTES, parse as parse_package};
