//! The deck a piece of an import belongs to: found by name or created, and
//! its stored cards loaded once, to match the file's cards against.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{DeckState, ImportReport, Importer, OnMissing};
use crate::domain::DeckDraft;
use crate::error::Result;

/// A deck's stored cards, to match the file's against: sorted by the
/// digest of their key and found by binary search, each marked once the
/// file has it. Neither the keys nor the text are kept: with a hash map of
/// keys and entries (half its buckets empty, and a second table while it
/// grew), re-importing a million cards peaked at 540 MB; with this, 64
/// bytes a card, at 323 MB.
#[derive(Default)]
pub(super) struct StoredCards {
    cards: Vec<StoredCard>,
}

/// A stored card as a re-import compares it with the file's.
pub(super) struct StoredCard {
    /// Its key as a digest (`key_digest`); `missing` reads the keys of
    /// those left over.
    key: u128,
    pub id: i64,
    /// Its front, back and notes as a digest (`text_digest`), not the text:
    /// the text of every stored card was two thirds of re-importing a
    /// 100 000-card deck's peak memory (89 MB).
    pub text: u128,
    /// Its tags as a digest (`tags_digest`); `missing` reads those left
    /// over, which a retirement adds to.
    pub tags: u128,
    /// Its tags hold `leech`, which a re-import keeps.
    pub leech: bool,
    pub typed: bool,
    /// The file has it: matched, or left as it was.
    matched: bool,
}

/// A card's front, back and notes as 128 bits (`digest128`), compared
/// within one import. An edited card whose digest is that of its old text
/// would be reported unchanged: for two different texts that is a chance
/// of about one in 2¹²⁸. Bytes, not `str`: the stored text is hashed as
/// SQLite gives it, without checking it is UTF-8 again (a tenth of loading
/// a deck's stored cards).
pub(super) fn text_digest([front, back, notes]: [&[u8]; 3]) -> u128 {
    crate::digest::digest128((front, back, notes))
}

/// A card's tags as 128 bits, as `text_digest`.
pub(super) fn tags_digest(tags: &[u8]) -> u128 {
    crate::digest::digest128(tags)
}

/// A card's key as 128 bits: two keys of a deck share one with a chance
/// of about one in 2¹²⁸ (see `text_digest`).
fn key_digest(key: &str) -> u128 {
    crate::digest::digest128(key)
}

impl StoredCards {
    fn new(mut cards: Vec<StoredCard>) -> StoredCards {
        cards.sort_unstable_by_key(|c| c.key);
        StoredCards { cards }
    }

    pub fn is_empty(&self) -> bool {
        self.cards.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        let key = key_digest(key);
        self.cards
            .binary_search_by_key(&key, |c| c.key)
            .ok()
            .filter(|&i| !self.cards[i].matched)
    }

    /// Whether a card of this key is stored and not yet matched.
    pub fn has(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// The stored card of this key, now matched: a later call for the same
    /// key gives `None`, as for a key the deck does not have.
    pub fn take(&mut self, key: &str) -> Option<&StoredCard> {
        let i = self.position(key)?;
        self.cards[i].matched = true;
        Some(&self.cards[i])
    }

    /// The cards the file did not have, as (key, id, tags), by key.
    pub fn missing(self, tx: &Transaction<'_>) -> Result<Vec<(String, i64, String)>> {
        let mut read = tx.prepare_cached("SELECT key, tags FROM cards WHERE id = ?1")?;
        let mut missing = self
            .cards
            .into_iter()
            .filter(|c| !c.matched)
            .map(|c| Ok(read.query_row([c.id], |r| Ok((r.get(0)?, c.id, r.get(1)?)))?))
            .collect::<Result<Vec<_>>>()?;
        missing.sort();
        Ok(missing)
    }
}

impl Importer<'_> {
    /// The deck a piece belongs to, created or loaded on first sight.
    pub(super) fn deck(&mut self, piece: &DeckDraft) -> Result<usize> {
        if let Some(&index) = self.by_name.get(&piece.name) {
            return Ok(index);
        }
        let id = self.find_or_create(piece)?;
        let stored = self.stored_cards(id)?;
        self.decks.push(DeckState {
            id,
            stored,
            report: ImportReport {
                deck: piece.name.clone(),
                pruned: self.options.missing == OnMissing::Prune,
                ..ImportReport::default()
            },
        });
        self.by_name
            .insert(piece.name.clone(), self.decks.len() - 1);
        Ok(self.decks.len() - 1)
    }

    /// The deck's id; an existing deck takes the file's description and
    /// position (written only when they changed).
    fn find_or_create(&self, piece: &DeckDraft) -> Result<i64> {
        let existing: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM decks WHERE name = ?1")?
            .query_row([&piece.name], |r| r.get(0))
            .optional()?;
        if let Some(id) = existing {
            self.tx
                .prepare_cached(
                    "UPDATE decks SET description = ?2, position = ?3 \
                     WHERE id = ?1 AND (description <> ?2 OR position IS NOT ?3)",
                )?
                .execute(params![id, piece.description, piece.position])?;
            return Ok(id);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO decks (name, description, position, created_at) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                piece.name,
                piece.description,
                piece.position,
                self.now_ms
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn stored_cards(&self, deck: i64) -> Result<StoredCards> {
        // Counted first: the vector is made at its size, not grown by doubling.
        let (count, largest): (i64, i64) = self
            .tx
            .prepare_cached(
                "SELECT (SELECT COUNT(*) FROM cards WHERE deck_id = ?1), \
                        (SELECT IFNULL(MAX(id), 0) FROM cards)",
            )?
            .query_row([deck], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut cards = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        // A deck of a quarter of the cards or more (ids only grow, 0005:
        // the largest is at least their number) is read from the table as
        // it lies, not card by card through the key index: reading
        // 100 000 cards took half as many instructions so.
        let sql = if count.saturating_mul(4) >= largest {
            "SELECT id, key, front, back, notes, tags, typed FROM cards NOT INDEXED \
             WHERE deck_id = ?1"
        } else {
            "SELECT id, key, front, back, notes, tags, typed FROM cards WHERE deck_id = ?1"
        };
        let mut stmt = self.tx.prepare_cached(sql)?;
        // Each page is read once: re-importing 100 000 unchanged cards
        // peaked at 31.6 MB with the pages kept, 28.5 MB without.
        crate::storage::with_default_cache(&self.tx, || {
            let mut rows = stmt.query([deck])?;
            while let Some(r) = rows.next()? {
                let bytes = |i: usize| -> rusqlite::Result<&[u8]> {
                    r.get_ref(i)?.as_bytes().map_err(Into::into)
                };
                let text = |i: usize| -> rusqlite::Result<&str> {
                    r.get_ref(i)?.as_str().map_err(Into::into)
                };
                let tags = text(5)?;
                cards.push(StoredCard {
                    key: key_digest(text(1)?),
                    id: r.get(0)?,
                    text: text_digest([bytes(2)?, bytes(3)?, bytes(4)?]),
                    tags: tags_digest(tags.as_bytes()),
                    leech: crate::domain::leech::has_leech_tag(tags),
                    typed: r.get(6)?,
                    matched: false,
                });
            }
            Ok(())
        })?;
        Ok(StoredCards::new(cards))
    }
}

#[cfg(test)]
mod tests {
    use super::{StoredCard, StoredCards, key_digest, tags_digest, text_digest};

    fn stored(keys: &[&str]) -> StoredCards {
        let card = |(id, key): (usize, &&str)| StoredCard {
            key: key_digest(key),
            id: id as i64,
            text: text_digest([key.as_bytes(), b"", b""]),
            tags: tags_digest(b""),
            leech: false,
            typed: false,
            matched: false,
        };
        StoredCards::new(keys.iter().enumerate().map(card).collect())
    }

    #[test]
    fn a_stored_card_is_found_by_its_key_once() {
        let mut cards = stored(&["b", "a", "c", "d"]);
        assert!(cards.has("c") && !cards.has("e"));
        assert_eq!(cards.take("c").map(|c| c.id), Some(2));
        assert!(!cards.has("c"), "matched: the file has it");
        assert!(cards.take("c").is_none());
        for (key, id) in [("a", 1), ("d", 3), ("b", 0)] {
            assert_eq!(cards.take(key).map(|c| c.id), Some(id), "{key}");
        }
        assert!(cards.take("e").is_none());
        assert!(cards.cards.iter().all(|c| c.matched));
    }

    #[test]
    fn the_digest_tells_fields_apart_and_is_the_same_for_the_same_text() {
        let digest = text_digest([b"front", b"back", b"notes"]);
        assert_eq!(digest, text_digest([b"front", b"back", b"notes"]));
        for other in [
            text_digest([b"fron", b"tback", b"notes"]),
            text_digest([b"front", b"back", b""]),
            text_digest([b"front", b"", b"backnotes"]),
            text_digest([b"front", b"back", b"notes "]),
            text_digest([b"back", b"front", b"notes"]),
        ] {
            assert_ne!(digest, other);
        }
    }
}
