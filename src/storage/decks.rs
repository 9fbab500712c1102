//! Decks: their summaries and the import that keeps progress.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use super::Store;
use crate::domain::{Day, DeckDraft, ImportedProgress};
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

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Delete cards that the file no longer has (and their history).
    pub prune: bool,
    /// Validate and report, then roll back.
    pub dry_run: bool,
}

/// What an import did (or would do) to one deck.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportReport {
    pub deck: String,
    pub added: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Ids in the database that the file no longer has.
    pub missing: Vec<String>,
    pub pruned: bool,
    /// Cards given a schedule from another program (`--with-progress`).
    pub progress: u32,
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

    /// Imports decks in one transaction: all land or none does. Cards are
    /// matched by id within their deck; matched cards keep their progress.
    pub fn import(
        &mut self,
        decks: &[DeckDraft],
        options: ImportOptions,
        now_ms: i64,
    ) -> Result<Vec<ImportReport>> {
        self.import_with_progress(decks, &[], options, now_ms)
    }

    /// `import`, then schedules from another program (`--with-progress`)
    /// in the same transaction. A schedule is only given to a card recall
    /// has never scheduled: progress made here is never overwritten.
    pub fn import_with_progress(
        &mut self,
        decks: &[DeckDraft],
        progress: &[ImportedProgress],
        options: ImportOptions,
        now_ms: i64,
    ) -> Result<Vec<ImportReport>> {
        self.with_bulk_cache(|store| store.import_in_transaction(decks, progress, options, now_ms))
    }

    fn import_in_transaction(
        &mut self,
        decks: &[DeckDraft],
        progress: &[ImportedProgress],
        options: ImportOptions,
        now_ms: i64,
    ) -> Result<Vec<ImportReport>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut reports = Vec::with_capacity(decks.len());
        for deck in decks {
            let existing_id: Option<i64> = tx
                .prepare_cached("SELECT id FROM decks WHERE name = ?1")?
                .query_row([&deck.name], |r| r.get(0))
                .optional()?;
            let deck_id = match existing_id {
                Some(id) => {
                    tx.prepare_cached(
                        "UPDATE decks SET description = ?2 WHERE id = ?1 AND description <> ?2",
                    )?
                    .execute(params![id, deck.description])?;
                    id
                }
                None => {
                    tx.prepare_cached(
                        "INSERT INTO decks (name, description, created_at) VALUES (?1, ?2, ?3)",
                    )?
                    .execute(params![deck.name, deck.description, now_ms])?;
                    tx.last_insert_rowid()
                }
            };

            let mut stored: HashMap<String, (i64, [String; 4])> = HashMap::new();
            {
                let mut stmt = tx.prepare_cached(
                    "SELECT id, key, front, back, notes, tags FROM cards WHERE deck_id = ?1",
                )?;
                let rows = stmt.query_map([deck_id], |r| {
                    Ok((
                        r.get::<_, String>(1)?,
                        (r.get(0)?, [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?]),
                    ))
                })?;
                for row in rows {
                    let (key, value) = row?;
                    stored.insert(key, value);
                }
            }

            let mut report = ImportReport {
                deck: deck.name.clone(),
                pruned: options.prune,
                ..ImportReport::default()
            };
            let mut insert = tx.prepare_cached(
                "INSERT INTO cards (deck_id, key, front, back, notes, tags, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE cards SET front = ?2, back = ?3, notes = ?4, tags = ?5, updated_at = ?6 \
                 WHERE id = ?1",
            )?;
            let mut seen = HashSet::with_capacity(deck.cards.len());
            for card in &deck.cards {
                seen.insert(card.key.as_str());
                let tags = card.tags.join(" ");
                match stored.get(&card.key) {
                    Some((_, [front, back, notes, old_tags]))
                        if *front == card.front
                            && *back == card.back
                            && *notes == card.notes
                            && *old_tags == tags =>
                    {
                        report.unchanged += 1;
                    }
                    Some((id, _)) => {
                        update.execute(params![
                            id, card.front, card.back, card.notes, tags, now_ms
                        ])?;
                        report.updated += 1;
                    }
                    None => {
                        insert.execute(params![
                            deck_id, card.key, card.front, card.back, card.notes, tags, now_ms
                        ])?;
                        report.added += 1;
                    }
                }
            }
            let mut missing: Vec<(&String, i64)> = stored
                .iter()
                .filter(|(key, _)| !seen.contains(key.as_str()))
                .map(|(key, (id, _))| (key, *id))
                .collect();
            missing.sort();
            if options.prune {
                let mut delete = tx.prepare_cached("DELETE FROM cards WHERE id = ?1")?;
                for (_, id) in &missing {
                    delete.execute([id])?;
                }
            }
            report.missing = missing.into_iter().map(|(k, _)| k.clone()).collect();
            reports.push(report);
        }
        let mut set = tx.prepare_cached(
            "UPDATE cards SET repetitions = ?3, efactor = ?4, interval = ?5, due = ?6, \
               lapses = ?7, suspended = ?8 \
             WHERE deck_id = (SELECT id FROM decks WHERE name = ?1) AND key = ?2 \
               AND due IS NULL AND NOT EXISTS (SELECT 1 FROM reviews WHERE card_id = cards.id) \
               AND (?6 IS NOT NULL OR suspended <> ?8)",
        )?;
        for p in progress {
            let s = &p.schedule;
            let changed = set.execute(params![
                p.deck,
                p.key,
                s.repetitions,
                s.efactor.0,
                s.interval,
                s.due.map(|d| d.0),
                s.lapses,
                p.suspended
            ])?;
            if changed > 0
                && let Some(report) = reports.iter_mut().find(|r| r.deck == p.deck)
            {
                report.progress += 1;
            }
        }
        drop(set);
        if options.dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(reports)
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
