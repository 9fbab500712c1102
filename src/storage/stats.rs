//! The aggregates behind `recall stats`. Each query returns totals (per
//! deck, per day, per due day), never one row per review: for all decks or
//! one deck the per-day figures come from `review_days` (migration 0002),
//! which triggers keep in step with the log. Only a tag scope reads the log.

use rusqlite::params;

use super::Store;
use super::queue::SCOPE_FILTER;
use crate::domain::Scope;
use crate::domain::stats::{
    DayTotals, DeckCards, HardCard, MATURE_DAYS, RETENTION_WINDOWS, StatsInput, Tally,
};
use crate::domain::{Day, EFactor};
use crate::error::Result;

/// A count column (NULL for a sum over no rows) as an unsigned number.
fn count(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, Option<i64>>(i)?
        .unwrap_or(0)
        .max(0)
        .unsigned_abs())
}

fn day_totals_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<DayTotals> {
    Ok(DayTotals {
        day: Day(r.get(0)?),
        deck: r.get(1)?,
        reviews: count(r, 2)?,
        redrills: count(r, 3)?,
        cram: count(r, 4)?,
        duration_ms: count(r, 5)?,
        young: Tally {
            answers: count(r, 6)?,
            passed: count(r, 7)?,
        },
        mature: Tally {
            answers: count(r, 8)?,
            passed: count(r, 9)?,
        },
    })
}

impl Store {
    /// Everything `Stats::compute` needs for `scope` over the `days` ending today.
    pub fn stats_input(&self, scope: &Scope, today: Day, days: u32) -> Result<StatsInput> {
        let deck = self.deck_id(scope)?;
        let tag = scope.tag.as_deref();
        let longest = days.max(RETENTION_WINDOWS[RETENTION_WINDOWS.len() - 1]);
        let from = today.window_start(longest);
        // One state of the database for the whole report (and both readers
        // of the card pass, when there are two).
        let mut snapshot = self.stats_snapshot(deck, tag)?;
        let cards = snapshot.card_tally(today, deck, tag)?;
        let hardest = self.hardest(&cards.hardest())?;
        let decks = self
            .deck_names(deck)?
            .into_iter()
            .filter_map(|(id, name)| {
                let (counts, due_today) = cards.decks.get(&id).copied().unwrap_or_default();
                // A tag scope lists only the decks that hold tagged cards.
                (tag.is_none() || counts.cards > 0).then_some(DeckCards {
                    deck: id,
                    name,
                    counts,
                    due_today,
                })
            })
            .collect();
        let input = StatsInput {
            today,
            days,
            decks,
            day_totals: self.day_totals(from, deck, tag)?,
            active_days: self.active_days(deck, tag)?,
            due: cards.due,
            intervals: cards.intervals,
            efactors: cards.efactors,
            hardest,
        };
        drop(snapshot);
        Ok(input)
    }

    fn deck_names(&self, deck: Option<i64>) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT d.id, d.name FROM decks d WHERE ?1 IS NULL OR d.id = ?1 ORDER BY ",
            super::decks::deck_order!()
        ))?;
        let rows = stmt.query_map([deck], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn day_totals(
        &self,
        from: Day,
        deck: Option<i64>,
        tag: Option<&str>,
    ) -> Result<Vec<DayTotals>> {
        let sql = if tag.is_none() {
            "SELECT day, deck_id, reviews, redrills, cram, duration_ms, \
               young, young_passed, mature, mature_passed \
             FROM review_days WHERE day >= ?1 AND (?2 IS NULL OR deck_id = ?2) AND ?3 IS NULL"
                .to_string()
        } else {
            format!(
                "SELECT r.day, c.deck_id, SUM(r.kind = 0), SUM(r.kind = 1), SUM(r.kind = 2), \
                   SUM(r.duration_ms), \
                   SUM(r.kind = 0 AND r.interval_before < ?4), \
                   SUM(r.kind = 0 AND r.interval_before < ?4 AND r.grade >= 3), \
                   SUM(r.kind = 0 AND r.interval_before >= ?4), \
                   SUM(r.kind = 0 AND r.interval_before >= ?4 AND r.grade >= 3) \
                 FROM reviews r JOIN cards c ON c.id = r.card_id \
                 WHERE r.day >= ?1 AND {SCOPE_FILTER} GROUP BY r.day, c.deck_id"
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let bind = params![from.0, deck, tag, MATURE_DAYS];
        let bind: &[&dyn rusqlite::ToSql] = if tag.is_none() { &bind[..3] } else { bind };
        let rows = stmt.query_map(bind, day_totals_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn active_days(&self, deck: Option<i64>, tag: Option<&str>) -> Result<Vec<Day>> {
        let sql = if tag.is_none() {
            "SELECT DISTINCT day FROM review_days \
             WHERE reviews + redrills + cram > 0 AND (?2 IS NULL OR deck_id = ?2) \
               AND ?3 IS NULL AND ?1 IS NULL ORDER BY day"
                .to_string()
        } else {
            format!(
                "SELECT DISTINCT r.day FROM reviews r JOIN cards c ON c.id = r.card_id \
                 WHERE ?1 IS NULL AND {SCOPE_FILTER} ORDER BY r.day"
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![None::<i64>, deck, tag], |r| Ok(Day(r.get(0)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The rows of the hardest cards `ids` (a few), in the report's order.
    fn hardest(&self, ids: &[i64]) -> Result<Vec<HardCard>> {
        let marks = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT d.name, c.key, c.lapses, c.efactor FROM cards c JOIN decks d ON d.id = c.deck_id \
             WHERE c.id IN ({marks}) ORDER BY c.lapses DESC, c.efactor, d.name, c.key"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(ids), |r| {
            Ok(HardCard {
                deck: r.get(0)?,
                id: r.get(1)?,
                lapses: r.get(2)?,
                efactor: EFactor(r.get(3)?).as_f64(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
