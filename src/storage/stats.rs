//! The aggregates behind `recall stats`. Each query returns totals (per
//! deck, per day, per due day), never one row per review: for all decks or
//! one deck the per-day figures come from `review_days` (migration 0002),
//! which triggers keep in step with the log. Only a tag scope reads the log.

use rusqlite::params;

use super::Store;
use super::cards::SCOPE_FILTER;
use crate::domain::stats::{
    CardCounts, DayTotals, DeckCards, EFACTOR_EDGES, FORECAST_DAYS, HardCard, INTERVAL_EDGES,
    MATURE_DAYS, RETENTION_WINDOWS, StatsInput, Tally,
};
use crate::domain::{Day, EFactor};
use crate::error::Result;
use crate::storage::Scope;

/// How many of the hardest cards the report lists.
const HARDEST: u32 = 10;

/// Buried while `?1` (today) is before `buried_until`.
const BURIED: &str = "(c.buried_until IS NOT NULL AND c.buried_until > ?1)";

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
        let from = Day(today.0 - i64::from(longest) + 1);
        let (intervals, efactors) = self.histograms(deck, tag)?;
        Ok(StatsInput {
            today,
            days,
            decks: self.deck_cards(today, deck, tag)?,
            day_totals: self.day_totals(from, deck, tag)?,
            active_days: self.active_days(deck, tag)?,
            due: self.due_counts(today.plus(FORECAST_DAYS - 1), deck, tag)?,
            intervals,
            efactors,
            hardest: self.hardest(deck, tag)?,
        })
    }

    fn deck_cards(
        &self,
        today: Day,
        deck: Option<i64>,
        tag: Option<&str>,
    ) -> Result<Vec<DeckCards>> {
        let visible = format!("c.suspended = 0 AND NOT {BURIED}");
        let sql = format!(
            "SELECT d.id, d.name, COUNT(c.id), \
               COALESCE(SUM({visible} AND c.due IS NULL), 0), \
               COALESCE(SUM({visible} AND c.due IS NOT NULL \
                   AND (c.repetitions < 2 OR c.interval < ?4)), 0), \
               COALESCE(SUM({visible} AND c.due IS NOT NULL \
                   AND c.repetitions >= 2 AND c.interval >= ?4), 0), \
               COALESCE(SUM(c.suspended = 1), 0), \
               COALESCE(SUM(c.suspended = 0 AND {BURIED}), 0), \
               COALESCE(SUM({visible} AND c.due <= ?1), 0) \
             FROM decks d LEFT JOIN cards c ON c.deck_id = d.id AND {SCOPE_FILTER} \
             WHERE ?2 IS NULL OR d.id = ?2 \
             GROUP BY d.id HAVING ?3 IS NULL OR COUNT(c.id) > 0 ORDER BY d.name"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![today.0, deck, tag, MATURE_DAYS], |r| {
            Ok(DeckCards {
                deck: r.get(0)?,
                name: r.get(1)?,
                counts: CardCounts {
                    cards: count(r, 2)?,
                    new: count(r, 3)?,
                    learning: count(r, 4)?,
                    mature: count(r, 5)?,
                    suspended: count(r, 6)?,
                    buried: count(r, 7)?,
                },
                due_today: count(r, 8)?,
            })
        })?;
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

    /// Cards due on or before `until` (not suspended), per due day.
    fn due_counts(
        &self,
        until: Day,
        deck: Option<i64>,
        tag: Option<&str>,
    ) -> Result<Vec<(Day, u64)>> {
        let sql = format!(
            "SELECT c.due, COUNT(*) FROM cards c \
             WHERE c.due <= ?1 AND c.suspended = 0 AND {SCOPE_FILTER} GROUP BY c.due"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![until.0, deck, tag], |r| {
            Ok((Day(r.get(0)?), count(r, 1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Scheduled, unsuspended cards counted into the interval and e-factor
    /// buckets in one pass (a sum per bucket: no sort, nothing per card),
    /// each returned as (lower bound, cards) for `histogram`.
    #[allow(clippy::type_complexity)]
    fn histograms(
        &self,
        deck: Option<i64>,
        tag: Option<&str>,
    ) -> Result<(Vec<(u32, u64)>, Vec<(u32, u64)>)> {
        let sums = |column: &str, edges: &[u32]| -> Vec<String> {
            edges
                .iter()
                .enumerate()
                .map(|(i, from)| match edges.get(i + 1) {
                    Some(below) => format!("SUM({column} >= {from} AND {column} < {below})"),
                    None => format!("SUM({column} >= {from})"),
                })
                .collect()
        };
        let mut columns = sums("c.interval", &INTERVAL_EDGES);
        columns.extend(sums("c.efactor", &EFACTOR_EDGES));
        let sql = format!(
            "SELECT {} FROM cards c WHERE c.due IS NOT NULL AND c.suspended = 0 \
               AND ?1 IS NULL AND {SCOPE_FILTER}",
            columns.join(", ")
        );
        let counts: Vec<u64> = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![None::<i64>, deck, tag], |r| {
                (0..columns.len()).map(|i| count(r, i)).collect()
            })?;
        let (intervals, efactors) = counts.split_at(INTERVAL_EDGES.len());
        let pair = |edges: &[u32], counts: &[u64]| {
            edges.iter().copied().zip(counts.iter().copied()).collect()
        };
        Ok((
            pair(&INTERVAL_EDGES, intervals),
            pair(&EFACTOR_EDGES, efactors),
        ))
    }

    fn hardest(&self, deck: Option<i64>, tag: Option<&str>) -> Result<Vec<HardCard>> {
        let sql = format!(
            "SELECT d.name, c.key, c.lapses, c.efactor FROM cards c JOIN decks d ON d.id = c.deck_id \
             WHERE c.due IS NOT NULL AND (c.lapses > 0 OR c.efactor < ?1) AND {SCOPE_FILTER} \
             ORDER BY c.lapses DESC, c.efactor, d.name, c.key LIMIT ?4"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![EFactor::INITIAL.0, deck, tag, HARDEST], |r| {
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
