//! The media files a deck file brings along (an Anki package's `media`
//! members, the pictures beside a Markdown or TOML deck), checked and held
//! until the import stores them: spooled one after another into a single
//! anonymous temporary file, so a package with thousands of pictures holds
//! one descriptor and no picture in memory.
//!
//! Limits, so a crafted package cannot fill the disk through recall:
//! `MAX_MEDIA_FILE_BYTES` for one file (as declared, and again as read),
//! `MAX_MEDIA_BYTES` for a package's media together. A file past either is
//! refused by name (a warning) and its cards show its name instead.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::Arc;

use crate::domain::media::mime_of;

/// The most one media file may hold: the largest pictures and recordings of
/// real shared decks are a few MiB; a video clip tens.
pub const MAX_MEDIA_FILE_BYTES: u64 = 100 << 20;

/// The most one file's media may hold together.
pub const MAX_MEDIA_BYTES: u64 = 1 << 30;

/// Media files, checked, waiting to be stored.
#[derive(Debug, Clone)]
pub struct MediaBundle {
    /// Shared so that `Loaded` stays `Clone`; read through `&File`.
    spool: Arc<File>,
    files: Vec<Bundled>,
    total: u64,
}

/// One file in a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundled {
    /// As the cards' text names it.
    pub name: String,
    pub mime: &'static str,
    pub size: u64,
    /// The decks whose cards name it (`assign`): its rows go to these.
    pub decks: Vec<String>,
    offset: u64,
}

impl MediaBundle {
    pub fn new() -> Result<MediaBundle, String> {
        let spool = tempfile::tempfile()
            .map_err(|e| format!("no temporary file for the media files: {e}"))?;
        Ok(MediaBundle {
            spool: Arc::new(spool),
            files: Vec::new(),
            total: 0,
        })
    }

    pub fn files(&self) -> &[Bundled] {
        &self.files
    }

    /// Takes `name`'s bytes from `reader`, refused (with why, naming it)
    /// past the limits: as `declared` (a zip entry's stated size) before
    /// any is read, and as read.
    pub fn add(&mut self, name: &str, declared: u64, reader: impl Read) -> Result<(), String> {
        self.add_within(name, declared, reader, MAX_MEDIA_FILE_BYTES)
    }

    /// `add` with a limit per file of `per_file` (the tests' small one).
    fn add_within(
        &mut self,
        name: &str,
        declared: u64,
        reader: impl Read,
        per_file: u64,
    ) -> Result<(), String> {
        let room = MAX_MEDIA_BYTES.saturating_sub(self.total);
        let limit = per_file.min(room);
        let over = |size: String| {
            if limit < per_file {
                format!(
                    "media file {name:?} ({size}) is past the limit of {MAX_MEDIA_BYTES} \
                     bytes for one file's media together: not imported"
                )
            } else {
                format!(
                    "media file {name:?} ({size}) is over the limit of \
                     {per_file} bytes: not imported"
                )
            }
        };
        if declared > limit {
            return Err(over(format!("{declared} bytes declared")));
        }
        let mut spool: &File = &self.spool;
        let offset = spool
            .seek(SeekFrom::End(0))
            .map_err(|e| format!("the media spool: {e}"))?;
        let copied = io::copy(&mut reader.take(limit + 1), &mut spool);
        let size = match copied {
            Ok(size) if size > limit => Err(over(format!("over {limit} bytes read"))),
            Ok(size) => Ok(size),
            Err(e) => Err(format!("media file {name:?} cannot be read: {e}")),
        };
        let size = match size {
            Ok(size) => size,
            Err(e) => {
                // Take back what was spooled of it.
                let _ = spool.set_len(offset);
                return Err(e);
            }
        };
        spool.flush().map_err(|e| format!("the media spool: {e}"))?;
        self.total += size;
        self.files.push(Bundled {
            name: name.to_string(),
            mime: mime_of(name),
            size,
            decks: Vec::new(),
            offset,
        });
        Ok(())
    }

    /// Gives each file the decks whose cards name it, by the decks' final
    /// names (after `--deck`).
    pub fn assign(&mut self, decks: &[crate::domain::DeckDraft]) {
        let naming = crate::domain::media::decks_naming(decks);
        for file in &mut self.files {
            file.decks = naming
                .get(&file.name)
                .map(|d| d.iter().cloned().collect())
                .unwrap_or_default();
        }
    }

    /// The bytes of `file` (one of `files()`).
    pub fn reader(&self, file: &Bundled) -> io::Result<impl Read + '_> {
        let mut spool: &File = &self.spool;
        spool.seek(SeekFrom::Start(file.offset))?;
        Ok(spool.take(file.size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_come_back_as_given_and_oversized_ones_are_refused_by_name() {
        let mut bundle = MediaBundle::new().unwrap();
        bundle.add("a.png", 3, &b"abc"[..]).unwrap();
        let err = bundle.add("huge.png", 2 << 30, &b"x"[..]).unwrap_err();
        assert!(
            err.contains("huge.png") && err.contains("declared"),
            "{err}"
        );
        // Lying about its size does not help.
        let err = bundle
            .add_within("liar.png", 1, io::repeat(7).take(100), 10)
            .unwrap_err();
        assert!(err.contains("liar.png"), "{err}");
        bundle.add("b.mp3", 2, &b"de"[..]).unwrap();
        let files = bundle.files().to_vec();
        assert_eq!(files.len(), 2);
        assert_eq!(
            (files[1].name.as_str(), files[1].mime),
            ("b.mp3", "audio/mpeg")
        );
        let mut text = String::new();
        for file in &files {
            bundle
                .reader(file)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
        }
        assert_eq!(text, "abcde");
    }
}
