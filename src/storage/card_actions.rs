//! What the browser and `recall suspend|unsuspend|bury|unbury|reset` and
//! `recall deck rename|delete` change: each command's cards in one
//! transaction, so a bad id among them changes nothing.

use rusqlite::{OptionalExtension, TransactionBehavior, params, params_from_iter};

use super::Store;
use super::card_times::{Stamp, note_deletion, note_rename, stamp};
use crate::domain::deck_name;
use crate::domain::{CardId, Day, EFactor};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAction {
    Suspend,
    Unsuspend,
    /// Hidden until the next study day.
    Bury,
    Unbury,
    /// Back to new: the schedule starts over, the history stays.
    Reset,
}

impl CardAction {
    /// The statement, with `?1` the card, `?2` today and `?3` the initial
    /// e-factor (those it needs, in that order); it changes a row
    /// only when the card is not in that state already.
    fn sql(self) -> &'static str {
        match self {
            CardAction::Suspend => "UPDATE cards SET suspended = 1 WHERE id = ?1 AND suspended = 0",
            CardAction::Unsuspend => {
                "UPDATE cards SET suspended = 0 WHERE id = ?1 AND suspended != 0"
            }
            CardAction::Bury => {
                "UPDATE cards SET buried_until = ?2 + 1 WHERE id = ?1 \
                 AND (buried_until IS NULL OR buried_until <= ?2)"
            }
            CardAction::Unbury => {
                "UPDATE cards SET buried_until = NULL WHERE id = ?1 AND buried_until > ?2"
            }
            CardAction::Reset => {
                "UPDATE cards SET repetitions = 0, efactor = ?3, interval = 0, due = NULL, \
                   lapses = 0, last_review = NULL, stability = NULL, difficulty = NULL \
                 WHERE id = ?1 \
                   AND (due IS NOT NULL OR repetitions != 0 OR lapses != 0 OR efactor != ?3 \
                        OR stability IS NOT NULL)"
            }
        }
    }
}

/// What a deck deletion removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deleted {
    pub cards: u64,
    pub reviews: u64,
}

impl Store {
    /// Applies `action` to every card, in one transaction; returns how many
    /// changed (the others were in that state already). An unknown id
    /// changes nothing. Each change is stamped with the store's clock.
    pub fn apply_to_cards(
        &mut self,
        cards: &[CardId],
        action: CardAction,
        today: Day,
    ) -> Result<usize> {
        let now_ms = self.stamp_ms();
        let which = match action {
            CardAction::Reset => Stamp::Reset,
            _ => Stamp::Flags,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changed = 0;
        {
            let mut exists = tx.prepare_cached("SELECT 1 FROM cards WHERE id = ?1")?;
            let mut update = tx.prepare_cached(action.sql())?;
            for &card in cards {
                if !exists.exists([card])? {
                    return Err(Error::invalid(format!(
                        "no card with id {card}; nothing was changed"
                    )));
                }
                // Each statement uses the first one, two or three of these.
                let values = [card, today.0, i64::from(EFactor::INITIAL.0)];
                let used = update.parameter_count();
                if update.execute(params_from_iter(&values[..used]))? > 0 {
                    stamp(&tx, card, which, now_ms)?;
                    changed += 1;
                }
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// The deck a name typed by a person means: exactly, or ignoring case
    /// and the `·`/`::` separators when only one deck fits.
    pub fn resolve_deck(&self, typed: &str) -> Result<(i64, String)> {
        let decks = self.deck_list()?;
        let names: Vec<String> = decks.iter().map(|(_, n)| n.clone()).collect();
        let name = deck_name::resolve(typed, &names).map_err(|e| Error::invalid(e.to_string()))?;
        let id = decks
            .iter()
            .find(|(_, n)| n == name)
            .map(|(id, _)| *id)
            .unwrap_or_default();
        Ok((id, name.to_string()))
    }

    pub fn rename_deck(&mut self, deck: i64, new_name: &str) -> Result<()> {
        let now_ms = self.stamp_ms();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let taken: Option<i64> = tx
            .prepare_cached("SELECT id FROM decks WHERE name = ?1")?
            .query_row([new_name], |r| r.get(0))
            .optional()?;
        if taken.is_some_and(|id| id != deck) {
            return Err(Error::invalid(format!(
                "a deck named {new_name:?} already exists; nothing was renamed"
            )));
        }
        tx.prepare_cached("UPDATE decks SET name = ?2 WHERE id = ?1")?
            .execute(params![deck, new_name])?;
        note_rename(&tx, deck, now_ms)?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a deck with its cards and their history, in one transaction.
    pub fn delete_deck(&mut self, deck: i64) -> Result<Deleted> {
        let now_ms = self.stamp_ms();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (cards, reviews): (i64, i64) = tx.query_row(
            "SELECT (SELECT COUNT(*) FROM cards WHERE deck_id = ?1), \
                    (SELECT COUNT(*) FROM reviews r JOIN cards c ON c.id = r.card_id \
                      WHERE c.deck_id = ?1)",
            [deck],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let ids: Vec<CardId> = tx
            .prepare_cached("SELECT id FROM cards WHERE deck_id = ?1")?
            .query_map([deck], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for card in ids {
            note_deletion(&tx, card, now_ms)?;
        }
        // The cards first: their trigger takes each card's reviews (and the
        // per-day totals) while the card still names its deck.
        tx.execute("DELETE FROM cards WHERE deck_id = ?1", [deck])?;
        tx.execute("DELETE FROM decks WHERE id = ?1", [deck])?;
        tx.commit()?;
        Ok(Deleted {
            cards: cards.unsigned_abs(),
            reviews: reviews.unsigned_abs(),
        })
    }

    /// Moves cards into another deck, in one transaction: all or none. A
    /// card whose id (key) the deck already holds stops the move, as two
    /// cards of one deck cannot share an id. Their past answers stay counted
    /// in the deck they were given in.
    pub fn move_cards(&mut self, cards: &[CardId], deck: i64) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut moved = 0;
        {
            let mut key_of = tx.prepare_cached("SELECT key, deck_id FROM cards WHERE id = ?1")?;
            let mut taken =
                tx.prepare_cached("SELECT 1 FROM cards WHERE deck_id = ?1 AND key = ?2")?;
            let mut update = tx.prepare_cached("UPDATE cards SET deck_id = ?2 WHERE id = ?1")?;
            for &card in cards {
                let Some((key, from)) = key_of
                    .query_row([card], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
                    })
                    .optional()?
                else {
                    return Err(Error::invalid(format!(
                        "no card with id {card}; nothing was moved"
                    )));
                };
                if from == deck {
                    continue;
                }
                if taken.exists(params![deck, key])? {
                    return Err(Error::invalid(format!(
                        "that deck already has a card with id {key:?}; nothing was moved"
                    )));
                }
                moved += update.execute(params![card, deck])?;
            }
        }
        tx.commit()?;
        Ok(moved)
    }

    /// Deletes cards and their history, in one transaction: all or none.
    pub fn delete_cards(&mut self, cards: &[CardId]) -> Result<Deleted> {
        let now_ms = self.stamp_ms();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut deleted = Deleted {
            cards: 0,
            reviews: 0,
        };
        {
            let mut reviews =
                tx.prepare_cached("SELECT COUNT(*) FROM reviews WHERE card_id = ?1")?;
            // The card's trigger takes its reviews (and their per-day totals).
            let mut delete = tx.prepare_cached("DELETE FROM cards WHERE id = ?1")?;
            for &card in cards {
                let count: i64 = reviews.query_row([card], |r| r.get(0))?;
                note_deletion(&tx, card, now_ms)?;
                if delete.execute([card])? == 0 {
                    return Err(Error::invalid(format!(
                        "no card with id {card}; nothing was deleted"
                    )));
                }
                deleted.cards += 1;
                deleted.reviews += count.unsigned_abs();
            }
        }
        tx.commit()?;
        Ok(deleted)
    }
}

#[cfg(test)]
#[path = "card_actions_tests.rs"]
mod tests;
