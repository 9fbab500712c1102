//! Importing decks: one transaction, fed whole decks or pieces of decks (a
//! big file is written while the rest of it is still being parsed). Cards
//! are matched by id within their deck; matched cards keep their progress.

use rusqlite::{Transaction, TransactionBehavior, params};
use serde::Serialize;

use super::kept_counts::{CountsTriggers, ON_INSERT, Recount};
use super::{Store, journal};

mod deck_lookup;
mod new_cards;
use crate::domain::DeckDraft;
use crate::error::Result;
use new_cards::NewCard;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// What becomes of stored cards that the file no longer has.
    pub missing: OnMissing,
    /// Validate and report, then roll back.
    pub dry_run: bool,
}

/// What an import does with a stored card that the file no longer has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnMissing {
    /// Left as it is, and reported.
    #[default]
    Keep,
    /// Deleted, with its history (`--prune`).
    Prune,
    /// Suspended and tagged `retired`, schedule and history kept: what a
    /// release does to the bundled cards it no longer ships, since the
    /// user may have studied them for months.
    Retire,
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
    /// Missing cards retired by this import (`OnMissing::Retire`); those
    /// an earlier import retired are missing but not listed again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<String>,
    /// Cards given a schedule from another program (`--with-progress`).
    pub progress: u32,
    /// Cards suspended or buried as the other program had them.
    pub suspended: u32,
    pub buried: u32,
    /// Answers brought in from the other program's review log.
    pub answers: u32,
}

/// Past this many new cards in one import, the deck counts' insert
/// trigger is set aside and the imported decks are counted once at the end
/// (`kept_counts`), and their text waits for the first search to be indexed.
///
/// The card indexes stay. A new card enters three of them (`cards_new`,
/// `cards_stats`, `cards_browse`) at the end of its deck's cards, in id
/// order; written 32 to a statement (`new_cards`), each entry lands beside
/// the one before. Dropping them and building them again sorted every card
/// of the database instead, measured with callgrind: 10 000 cards into a
/// new database 460 M instructions dropping them against 379 M keeping
/// them, and into a database of 10 000 others 590 M against 388 M.
const BULK_CARDS: u64 = 5_000;

/// An import in progress. Dropped without `finish`, it writes nothing.
pub struct Importer<'a> {
    pub(super) tx: Transaction<'a>,
    pub(super) options: ImportOptions,
    now_ms: i64,
    /// In the order decks first appear; reports come out in this order.
    pub(super) decks: Vec<DeckState>,
    pub(super) by_name: foldhash::HashMap<String, usize>,
    inserted: u64,
    /// The deck counts' insert trigger, set aside past `BULK_CARDS`.
    counts: CountsTriggers,
    /// How many decks there were at `begin_part`.
    decks_before_part: usize,
    /// Where `add_media` writes the files (`media.rs`).
    pub(super) media: super::media_files::MediaDir,
}

pub(super) struct DeckState {
    pub(super) id: i64,
    /// Stored cards not (yet) matched by the import: what is left at the
    /// end is missing from the file.
    stored: deck_lookup::StoredCards,
    pub(super) report: ImportReport,
}

impl Store {
    /// Imports whole decks in one transaction: all land or none does.
    pub fn import(
        &mut self,
        decks: &[DeckDraft],
        options: ImportOptions,
        now_ms: i64,
    ) -> Result<Vec<ImportReport>> {
        let ((), reports) = self.import_stream(options, now_ms, false, |importer| {
            decks.iter().try_for_each(|deck| importer.add(deck))
        })?;
        Ok(reports)
    }

    /// Runs `feed` inside one import transaction and commits what it added
    /// (or rolls back: on an error, or for a dry run). `large`: the input
    /// is big (megabytes); see `journal::bulk`.
    pub fn import_stream<T>(
        &mut self,
        options: ImportOptions,
        now_ms: i64,
        large: bool,
        feed: impl FnOnce(&mut Importer<'_>) -> Result<T>,
    ) -> Result<(T, Vec<ImportReport>)> {
        self.with_bulk_cache(|store| {
            let journal = large && journal::bulk(&store.conn)?;
            let result = store.unchecked(|store| store.import_transaction(options, now_ms, feed));
            if journal {
                journal::back_to_wal(&store.conn)?;
            }
            result
        })
    }

    fn import_transaction<T>(
        &mut self,
        options: ImportOptions,
        now_ms: i64,
        feed: impl FnOnce(&mut Importer<'_>) -> Result<T>,
    ) -> Result<(T, Vec<ImportReport>)> {
        let media = self.media_dir();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut importer = Importer {
            tx,
            options,
            now_ms,
            decks: Vec::new(),
            by_name: foldhash::HashMap::default(),
            inserted: 0,
            counts: CountsTriggers::default(),
            decks_before_part: 0,
            media,
        };
        let value = feed(&mut importer)?;
        let reports = importer.finish()?;
        Ok((value, reports))
    }
}

impl Importer<'_> {
    /// Adds a deck, or the next piece of one.
    pub fn add(&mut self, piece: &DeckDraft) -> Result<()> {
        let index = self.deck(piece)?;
        self.count_new(index, piece)?;
        let deck = &mut self.decks[index];
        let mut update = self.tx.prepare_cached(
            "UPDATE cards SET front = ?2, back = ?3, notes = ?4, tags = ?5, updated_at = ?6, \
             typed = ?7 WHERE id = ?1",
        )?;
        let mut new = Vec::new();
        for card in &piece.cards {
            let stored = if deck.stored.is_empty() {
                None
            } else {
                deck.stored.take(&card.key)
            };
            let Some(stored) = stored else {
                new.push(NewCard { card });
                continue;
            };
            // The leech tag is recall's, not the file's: it stays.
            let tags = card.tags.join(" ");
            let tags = crate::domain::leech::tags_on_reimport(&tags, stored.leech);
            let text = [&card.front, &card.back, &card.notes].map(|t| t.as_bytes());
            if stored.text == deck_lookup::text_digest(text)
                && stored.tags == deck_lookup::tags_digest(tags.as_bytes())
                && stored.typed == card.typed
            {
                deck.report.unchanged += 1;
                continue;
            }
            update.execute(params![
                stored.id,
                card.front,
                card.back,
                card.notes,
                tags,
                self.now_ms,
                card.typed
            ])?;
            deck.report.updated += 1;
        }
        new_cards::insert(&self.tx, deck.id, &piece.name, &new, self.now_ms)?;
        deck.report.added += u32::try_from(new.len()).unwrap_or(u32::MAX);
        Ok(())
    }

    /// Counts the piece's new cards, and sets the card indexes and the
    /// deck counts' trigger aside once the import turns out to be a bulk one.
    fn count_new(&mut self, index: usize, piece: &DeckDraft) -> Result<()> {
        let stored = &self.decks[index].stored;
        let new = if stored.is_empty() {
            piece.cards.len() as u64
        } else {
            piece.cards.iter().filter(|c| !stored.has(&c.key)).count() as u64
        };
        self.inserted += new;
        if self.inserted >= BULK_CARDS {
            // Again after each piece: a rollback to a part's savepoint
            // may have brought the trigger back.
            self.counts.set_aside(&self.tx, &[ON_INSERT])?;
        }
        Ok(())
    }

    /// Starts a part of the import (a file) that `discard_part` can take
    /// back. Parts do not nest, and a deck belongs to one part.
    pub fn begin_part(&mut self) -> Result<()> {
        self.tx.execute_batch("SAVEPOINT part")?;
        self.decks_before_part = self.decks.len();
        Ok(())
    }

    /// Keeps what the part added.
    pub fn end_part(&mut self) -> Result<()> {
        self.tx.execute_batch("RELEASE part")?;
        Ok(())
    }

    /// Takes back everything added since `begin_part` (`--keep-going` past
    /// a file that turned out bad half-way).
    pub fn discard_part(&mut self) -> Result<()> {
        self.tx.execute_batch("ROLLBACK TO part; RELEASE part")?;
        for deck in self.decks.drain(self.decks_before_part..) {
            self.by_name.remove(&deck.report.deck);
        }
        Ok(())
    }

    /// Writes a `meta` value in the import's transaction: it lands with
    /// the cards or not at all (the bundled decks' fingerprint).
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        super::decks::set_meta(&self.tx, key, value)
    }

    /// Missing cards (pruned or retired if asked), the decks counted if
    /// their trigger was set aside, then commit — or roll back for a dry run.
    fn finish(mut self) -> Result<Vec<ImportReport>> {
        let mut reports = Vec::with_capacity(self.decks.len());
        let deck_ids: Vec<i64> = self.decks.iter().map(|d| d.id).collect();
        for deck in std::mem::take(&mut self.decks) {
            let missing = deck.stored.missing(&self.tx)?;
            let mut report = deck.report;
            match self.options.missing {
                OnMissing::Keep => {}
                OnMissing::Prune => {
                    let mut delete = self.tx.prepare_cached("DELETE FROM cards WHERE id = ?1")?;
                    for (_, id, _) in &missing {
                        delete.execute([id])?;
                    }
                }
                OnMissing::Retire => report.retired = self.retire(&missing)?,
            }
            report.missing = missing.into_iter().map(|(key, ..)| key).collect();
            reports.push(report);
        }
        std::mem::take(&mut self.counts).restore(&self.tx, Recount::These(&deck_ids))?;
        // A small import's cards are searchable at once (a fraction of a
        // second at most); a bulk one's wait for the first search, which
        // indexes them all in one go. So do a small import's after a bulk
        // one that no search has indexed yet: indexing that backlog here
        // made re-importing 100 000 unchanged cards take seconds.
        if self.inserted < BULK_CARDS && self.text_backlog()? < BULK_CARDS {
            self.tx.execute_batch(super::search::INDEX_NEW_TEXT)?;
        }
        if self.options.dry_run {
            self.tx.rollback()?;
        } else {
            self.tx.commit()?;
        }
        Ok(reports)
    }
}

impl Importer<'_> {
    /// Cards whose text the search index does not have yet (at most: ids
    /// deleted since count too).
    fn text_backlog(&self) -> Result<u64> {
        let behind: i64 = self.tx.query_row(
            "SELECT IFNULL(MAX(id), 0) - (SELECT indexed_through FROM cards_text_state) FROM cards",
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(behind).unwrap_or(0))
    }

    /// Suspends and tags `retired` the missing cards not retired yet
    /// (`(key, id, tags)`); their schedule and history stay. Returns the
    /// keys of those it retired.
    fn retire(&mut self, missing: &[(String, i64, String)]) -> Result<Vec<String>> {
        let mut update = self.tx.prepare_cached(
            "UPDATE cards SET suspended = 1, tags = ?2, updated_at = ?3 WHERE id = ?1",
        )?;
        let mut retired = Vec::new();
        for (key, id, tags) in missing {
            if let Some(tags) = crate::domain::retired::retire_tags(tags) {
                update.execute(params![id, tags, self.now_ms])?;
                retired.push(key.clone());
            }
        }
        Ok(retired)
    }
}
