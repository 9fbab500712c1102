//! Decks: their summaries, and the meta table beside them.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::Store;
use crate::domain::Day;
use crate::error::Result;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeckSummary {
    pub name: String,
    pub description: String,
    pub total: u32,
    pub new: u32,
    pub due_today: u32,
    pub suspended: u32,
    /// Cards answered today (any kind).
    pub done_today: u32,
}

impl Store {
    pub fn deck_summaries(&self, today: Day) -> Result<Vec<DeckSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.name, d.description, COUNT(c.id), \
               COALESCE(SUM(c.due IS NULL AND c.suspended = 0), 0), \
               COALESCE(SUM(c.due <= ?1 AND c.suspended = 0 \
                   AND (c.buried_until IS NULL OR c.buried_until <= ?1)), 0), \
               COALESCE(SUM(c.suspended), 0), \
               (SELECT COUNT(DISTINCT r.card_id) FROM reviews r JOIN cards c2 ON c2.id = r.card_id \
                  WHERE r.day = ?1 AND c2.deck_id = d.id) \
             FROM decks d LEFT JOIN cards c ON c.deck_id = d.id \
             GROUP BY d.id ORDER BY d.name",
        )?;
        let rows = stmt.query_map([today.0], |r| {
            Ok(DeckSummary {
                name: r.get(0)?,
                description: r.get(1)?,
                total: r.get(2)?,
                new: r.get(3)?,
                due_today: r.get(4)?,
                suspended: r.get(5)?,
                done_today: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, value])?;
        Ok(())
    }
}
