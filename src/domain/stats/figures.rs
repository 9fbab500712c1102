//! The figures of the report, each a pure function of aggregated rows.

use super::{
    Bucket, DailyRow, DayTotals, FORECAST_DAYS, ForecastDay, RETENTION_WINDOWS, Retention, Streak,
    Tally,
};
use crate::domain::card::Day;

/// Scheduling answers of the window, young and mature together.
fn tally_since(totals: &[DayTotals], from: Day) -> (Tally, Tally) {
    totals
        .iter()
        .filter(|t| t.day >= from)
        .fold((Tally::default(), Tally::default()), |(y, m), t| {
            (y.add(t.young), m.add(t.mature))
        })
}

pub fn retention(totals: &[DayTotals], today: Day, days: u32) -> Retention {
    let over = |len| {
        let (y, m) = tally_since(totals, today.window_start(len));
        y.add(m).fraction()
    };
    let (young, mature) = tally_since(totals, today.window_start(days));
    let [d1, d7, d30, d365] = RETENTION_WINDOWS.map(over);
    Retention {
        overall: young.add(mature).fraction(),
        young: young.fraction(),
        mature: mature.fraction(),
        today: d1,
        last_7: d7,
        last_30: d30,
        last_365: d365,
    }
}

/// Streaks from the ascending list of days with any answer. The current
/// streak ends today, or yesterday while today has no answer yet (the day
/// is not over); the longest is over the whole history.
pub fn streak(active: &[Day], today: Day) -> Streak {
    let mut longest = 0u32;
    let mut run = 0u32;
    let mut previous: Option<Day> = None;
    for &day in active.iter().filter(|d| **d <= today) {
        run = match previous {
            Some(p) if day.days_since(p) == 1 => run + 1,
            Some(p) if p == day => run,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let current = match previous {
        Some(last) if today.days_since(last) <= 1 => run,
        _ => 0,
    };
    let days_since = |len| {
        let from = today.window_start(len);
        active
            .iter()
            .filter(|d| **d >= from && **d <= today)
            .count() as u32
    };
    Streak {
        current,
        longest,
        days_last_7: days_since(7),
        days_last_30: days_since(30),
    }
}

/// Sums the day totals of every deck into one row per day of the period,
/// days without answers included.
pub fn daily(totals: &[DayTotals], today: Day, days: u32) -> Vec<DailyRow> {
    let from = today.window_start(days);
    let mut rows: Vec<DailyRow> = from
        .through(today)
        .map(|date| DailyRow {
            date,
            reviews: 0,
            redrills: 0,
            cram: 0,
            seconds: 0.0,
        })
        .collect();
    let mut ms = vec![0u64; rows.len()];
    for t in totals.iter().filter(|t| t.day >= from && t.day <= today) {
        let i = t.day.days_since(from) as usize;
        rows[i].reviews += t.reviews;
        rows[i].redrills += t.redrills;
        rows[i].cram += t.cram;
        ms[i] += t.duration_ms;
    }
    for (row, ms) in rows.iter_mut().zip(ms) {
        row.seconds = ms as f64 / 1000.0;
    }
    rows
}

/// Cards due on each of the next `FORECAST_DAYS` days; overdue cards count today.
pub fn forecast(due: &[(Day, u64)], today: Day) -> Vec<ForecastDay> {
    let mut out: Vec<ForecastDay> = (0..FORECAST_DAYS)
        .map(|i| ForecastDay {
            date: today.plus(i),
            due: 0,
        })
        .collect();
    for &(day, n) in due {
        let i = day.days_since(today).max(0) as usize;
        if let Some(slot) = out.get_mut(i) {
            slot.due += n;
        }
    }
    out
}

/// Counts `(value, count)` rows into buckets whose lower bounds are `edges`;
/// values below the first edge join the first bucket, the last is open.
pub fn histogram(rows: &[(u32, u64)], edges: &[u32]) -> Vec<Bucket<u32>> {
    let mut out: Vec<Bucket<u32>> = edges
        .iter()
        .enumerate()
        .map(|(i, &from)| Bucket {
            from,
            below: edges.get(i + 1).copied(),
            cards: 0,
        })
        .collect();
    for &(value, n) in rows {
        let i = edges.partition_point(|&e| e <= value).saturating_sub(1);
        if let Some(bucket) = out.get_mut(i) {
            bucket.cards += n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(list: &[i64]) -> Vec<Day> {
        list.iter().map(|&d| Day(d)).collect()
    }

    fn totals(day: i64, young: (u64, u64), mature: (u64, u64)) -> DayTotals {
        DayTotals {
            day: Day(day),
            deck: 1,
            reviews: young.0 + mature.0,
            young: Tally {
                answers: young.0,
                passed: young.1,
            },
            mature: Tally {
                answers: mature.0,
                passed: mature.1,
            },
            ..DayTotals::empty(Day(day), 1)
        }
    }

    #[test]
    fn streaks_count_runs_of_days() {
        let s = streak(&days(&[1, 2, 3, 7, 8, 10, 11]), Day(11));
        assert_eq!((s.current, s.longest), (2, 3));
        assert_eq!((s.days_last_7, s.days_last_30), (4, 7));
        // Today without an answer yet keeps yesterday's streak alive.
        assert_eq!(streak(&days(&[9, 10]), Day(11)).current, 2);
        assert_eq!(streak(&days(&[8, 9]), Day(11)).current, 0);
        assert_eq!(
            streak(&[], Day(11)),
            Streak {
                current: 0,
                longest: 0,
                days_last_7: 0,
                days_last_30: 0
            }
        );
    }

    #[test]
    fn retention_windows_and_young_mature_split() {
        let t = vec![
            totals(100, (4, 3), (0, 0)),
            totals(95, (2, 0), (2, 2)),
            totals(60, (1, 1), (0, 0)),
        ];
        let r = retention(&t, Day(100), 365);
        assert_eq!(r.today, Some(0.75));
        assert_eq!(r.last_7, Some(5.0 / 8.0));
        assert_eq!(r.last_30, Some(5.0 / 8.0));
        assert_eq!(r.last_365, Some(6.0 / 9.0));
        assert_eq!(r.young, Some(4.0 / 7.0));
        assert_eq!(r.mature, Some(1.0));
        assert_eq!(retention(&t, Day(100), 1).mature, None);
    }

    #[test]
    fn forecast_puts_overdue_cards_today_and_stops_after_thirty_days() {
        let f = forecast(
            &[(Day(5), 2), (Day(10), 1), (Day(11), 4), (Day(40), 7)],
            Day(10),
        );
        assert_eq!(f.len(), 30);
        assert_eq!((f[0].date, f[0].due), (Day(10), 3));
        assert_eq!(f[1].due, 4);
        assert_eq!(f.iter().map(|d| d.due).sum::<u64>(), 7);
    }

    #[test]
    fn histogram_buckets_are_half_open() {
        let h = histogram(&[(1, 2), (3, 1), (4, 5), (400, 1)], &[1, 4, 8]);
        let cards: Vec<_> = h.iter().map(|b| (b.from, b.below, b.cards)).collect();
        assert_eq!(cards, vec![(1, Some(4), 3), (4, Some(8), 5), (8, None, 1)]);
    }

    #[test]
    fn daily_rows_cover_every_day_of_the_period() {
        let mut t = totals(10, (1, 1), (0, 0));
        t.redrills = 2;
        t.duration_ms = 1500;
        let rows = daily(&[t, totals(3, (9, 9), (0, 0))], Day(10), 3);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].date, Day(8));
        assert_eq!(
            (rows[2].reviews, rows[2].redrills, rows[2].seconds),
            (1, 2, 1.5)
        );
        assert_eq!(rows.iter().map(|r| r.reviews).sum::<u64>(), 1);
    }
}
