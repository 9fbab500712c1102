//! The `media` table (migration 0011): each deck's media names → the hash,
//! size and type of a file in `media_files::MediaDir`. Rows are written by
//! an import, in its transaction; the files before it commits (a rollback
//! leaves files no row names: harmless, and `recall check --fix` removes
//! them).

use std::io::Read;
use std::path::PathBuf;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Store;
use super::import::Importer;
use super::media_files::MediaDir;
use crate::domain::media::references;
use crate::error::{Error, Result};

/// A deck's media file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMedia {
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    pub mime: String,
}

/// A reference in a card's text whose file recall does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingMedia {
    pub deck: String,
    pub card: String,
    pub name: String,
    /// Never imported, or imported and its file gone from `media/`.
    pub file_lost: bool,
}

impl Importer<'_> {
    /// Stores one media file for the named decks (those of this import that
    /// the file fed): the file now (unless a dry run), the rows in the
    /// import's transaction. At most `limit` bytes are read.
    pub fn add_media(
        &mut self,
        decks: &[String],
        name: &str,
        mime: &str,
        reader: &mut dyn Read,
        limit: u64,
    ) -> Result<()> {
        let ids: Vec<i64> = decks
            .iter()
            .filter_map(|d| self.by_name.get(d).map(|&i| self.decks[i].id))
            .collect();
        if ids.is_empty() || self.options.dry_run {
            return Ok(());
        }
        let stored = self.media.store(name, reader, limit)?;
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO media (deck_id, name, sha256, size, mime) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (deck_id, name) DO UPDATE \
             SET sha256 = excluded.sha256, size = excluded.size, mime = excluded.mime",
        )?;
        for id in ids {
            insert.execute(params![id, name, stored.sha256, stored.size as i64, mime])?;
        }
        Ok(())
    }
}

impl Store {
    /// The media folder beside this database.
    pub fn media_dir(&self) -> MediaDir {
        MediaDir::beside(&self.path)
    }

    /// The file `name` stands for in `deck`'s cards, if it was imported
    /// (its file may since have gone: the caller opens it and sees). A
    /// card moved to another deck keeps its pictures: without a row of its
    /// deck, another deck's file of that name is taken.
    pub fn media_file(&self, deck: &str, name: &str) -> Result<Option<StoredMedia>> {
        let row: Option<(String, i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT m.sha256, m.size, m.mime FROM media m JOIN decks d ON d.id = m.deck_id \
                 WHERE m.name = ?2 ORDER BY d.name = ?1 DESC, d.id LIMIT 1",
            )?
            .query_row(params![deck, name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let dir = self.media_dir();
        Ok(row.and_then(|(sha256, size, mime)| {
            Some(StoredMedia {
                path: dir.path_of(&sha256)?,
                sha256,
                size: u64::try_from(size).unwrap_or(0),
                mime,
            })
        }))
    }

    /// Every media reference in the cards' text that has no file: never
    /// imported, or its file gone from `media/`. By deck, card, name.
    pub fn missing_media(&self) -> Result<Vec<MissingMedia>> {
        let mut cards = self.conn.prepare(
            "SELECT d.name, c.key, c.front || char(10) || c.back || char(10) || c.notes \
             FROM cards c JOIN decks d ON d.id = c.deck_id \
             WHERE instr(c.front || c.back || c.notes, '[image: ') \
                OR instr(c.front || c.back || c.notes, '[sound:') \
                OR instr(c.front || c.back || c.notes, '![') \
             ORDER BY d.name, c.key",
        )?;
        let rows = cards.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut missing = Vec::new();
        for row in rows {
            let (deck, card, text) = row?;
            for reference in references(&text) {
                let file_lost = match self.media_file(&deck, reference.name)? {
                    Some(file) if file.path.is_file() => continue,
                    Some(_) => true,
                    None => false,
                };
                missing.push(MissingMedia {
                    deck: deck.clone(),
                    card: card.clone(),
                    name: reference.name.to_string(),
                    file_lost,
                });
            }
        }
        Ok(missing)
    }

    /// Files in `media/` that no row names (a rolled-back import's, a
    /// deleted deck's): their hashes, and with `remove` they are deleted.
    pub fn unreferenced_media(&self, remove: bool) -> Result<Vec<String>> {
        let dir = self.media_dir();
        let mut named = self
            .conn
            .prepare_cached("SELECT 1 FROM media WHERE sha256 = ?1 LIMIT 1")?;
        let mut stray = Vec::new();
        for hash in dir.hashes()? {
            if !named.exists([&hash])? {
                stray.push(hash);
            }
        }
        if remove {
            for hash in &stray {
                dir.remove(hash)?;
            }
        }
        Ok(stray)
    }

    /// How many media rows and distinct files the database has.
    pub fn media_counts(&self) -> Result<(u64, u64)> {
        self.conn
            .query_row(
                "SELECT count(*), count(DISTINCT sha256) FROM media",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .map(|(rows, files)| (rows as u64, files as u64))
            .map_err(Error::from)
    }
}
