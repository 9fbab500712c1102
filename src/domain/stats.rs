//! Progress statistics, computed from the totals the storage layer
//! aggregates (per day and deck, per due day, per interval). Pure: the
//! definitions the README gives live here, and are unit-tested here.

use serde::Serialize;

use super::card::Day;

/// Bumped whenever a field of the JSON output changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;
/// A card is mature once its interval reaches this many days.
pub const MATURE_DAYS: u32 = 21;
pub const FORECAST_DAYS: u32 = 30;
/// Retention windows are fixed; the longest one is read whatever `--days` says.
pub const RETENTION_WINDOWS: [u32; 4] = [1, 7, 30, 365];
/// Interval buckets, in days (lower bounds).
pub const INTERVAL_EDGES: [u32; 9] = [1, 2, 4, 8, 15, 31, 91, 181, 366];
/// E-factor buckets, in thousandths (lower bounds).
pub const EFACTOR_EDGES: [u32; 8] = [1300, 1500, 1700, 1900, 2100, 2300, 2500, 2700];

/// Scheduling answers and how many of them were graded 3 or more.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub answers: u64,
    pub passed: u64,
}

impl Tally {
    fn add(self, other: Tally) -> Tally {
        Tally {
            answers: self.answers + other.answers,
            passed: self.passed + other.passed,
        }
    }

    /// The passed share, or `None` when there was nothing to grade.
    pub fn fraction(self) -> Option<f64> {
        (self.answers > 0).then(|| self.passed as f64 / self.answers as f64)
    }
}

/// The log's totals for one study day of one deck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTotals {
    pub day: Day,
    pub deck: i64,
    /// Scheduling answers (the day's first answer to a card).
    pub reviews: u64,
    pub redrills: u64,
    pub cram: u64,
    pub duration_ms: u64,
    /// Scheduling answers to cards whose interval was below 21 days.
    pub young: Tally,
    /// Scheduling answers to cards whose interval was 21 days or more.
    pub mature: Tally,
}

impl DayTotals {
    pub fn empty(day: Day, deck: i64) -> DayTotals {
        DayTotals {
            day,
            deck,
            reviews: 0,
            redrills: 0,
            cram: 0,
            duration_ms: 0,
            young: Tally::default(),
            mature: Tally::default(),
        }
    }

    fn scheduled(&self) -> Tally {
        self.young.add(self.mature)
    }
}

/// Cards by state. The classes do not overlap: suspended first, then buried,
/// then new, learning and mature, so they add up to `cards`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CardCounts {
    pub cards: u64,
    pub new: u64,
    pub learning: u64,
    pub mature: u64,
    pub suspended: u64,
    pub buried: u64,
}

impl CardCounts {
    fn add(self, o: CardCounts) -> CardCounts {
        CardCounts {
            cards: self.cards + o.cards,
            new: self.new + o.new,
            learning: self.learning + o.learning,
            mature: self.mature + o.mature,
            suspended: self.suspended + o.suspended,
            buried: self.buried + o.buried,
        }
    }
}

/// One deck's cards as the store counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckCards {
    pub deck: i64,
    pub name: String,
    pub counts: CardCounts,
    pub due_today: u64,
}

/// One card's scheduling columns, as the card pass streams them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardState {
    pub deck: i64,
    pub suspended: bool,
    pub buried_until: Option<Day>,
    pub due: Option<Day>,
    pub repetitions: u32,
    pub interval: u32,
    /// In thousandths.
    pub efactor: u32,
}

/// Cards folded one at a time into everything the report needs from them,
/// in memory that does not grow with the collection.
#[derive(Debug, Clone, Default)]
pub struct CardTally {
    /// deck id → (counts, due today).
    pub decks: std::collections::BTreeMap<i64, (CardCounts, u64)>,
    pub due: Vec<(Day, u64)>,
    pub intervals: Vec<(u32, u64)>,
    pub efactors: Vec<(u32, u64)>,
}

impl CardTally {
    pub fn new(today: Day) -> CardTally {
        CardTally {
            decks: Default::default(),
            due: (0..FORECAST_DAYS).map(|i| (today.plus(i), 0)).collect(),
            intervals: INTERVAL_EDGES.iter().map(|&e| (e, 0)).collect(),
            efactors: EFACTOR_EDGES.iter().map(|&e| (e, 0)).collect(),
        }
    }

    /// Counts one card by the README's definitions.
    pub fn add(&mut self, card: &CardState, today: Day) {
        let (counts, due_today) = self.decks.entry(card.deck).or_default();
        counts.cards += 1;
        let buried = card.buried_until.is_some_and(|until| until > today);
        if card.suspended {
            counts.suspended += 1;
            return;
        }
        // The forecast and the histograms see buried cards too: they are due.
        if let Some(due) = card.due {
            let i = usize::try_from((due.0 - today.0).max(0)).unwrap_or(usize::MAX);
            if let Some(slot) = self.due.get_mut(i) {
                slot.1 += 1;
            }
            bump(&mut self.intervals, card.interval);
            bump(&mut self.efactors, card.efactor);
        }
        match card.due {
            _ if buried => counts.buried += 1,
            None => counts.new += 1,
            Some(due) => {
                if card.repetitions >= 2 && card.interval >= MATURE_DAYS {
                    counts.mature += 1;
                } else {
                    counts.learning += 1;
                }
                if due <= today {
                    *due_today += 1;
                }
            }
        }
    }
}

/// Adds one to the bucket (lower bound, count) that holds `value`.
fn bump(buckets: &mut [(u32, u64)], value: u32) {
    let i = buckets
        .partition_point(|&(e, _)| e <= value)
        .saturating_sub(1);
    if let Some(b) = buckets.get_mut(i) {
        b.1 += 1;
    }
}

/// One of the hardest cards: most lapses, then lowest e-factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HardCard {
    pub deck: String,
    pub id: String,
    pub lapses: u32,
    pub efactor: f64,
}

/// Everything the store reads for one `Stats`.
#[derive(Debug, Clone)]
pub struct StatsInput {
    pub today: Day,
    /// The period, in days ending today.
    pub days: u32,
    pub decks: Vec<DeckCards>,
    /// Day totals from at least `max(days, 365)` days back to today.
    pub day_totals: Vec<DayTotals>,
    /// Every day with at least one answer, ascending.
    pub active_days: Vec<Day>,
    /// Cards due per day up to the forecast's end, overdue ones included.
    pub due: Vec<(Day, u64)>,
    /// (interval in days, cards) and (e-factor in thousandths, cards).
    pub intervals: Vec<(u32, u64)>,
    pub efactors: Vec<(u32, u64)>,
    pub hardest: Vec<HardCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyRow {
    pub date: Day,
    pub reviews: u64,
    pub redrills: u64,
    pub cram: u64,
    pub seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodTotals {
    pub reviews: u64,
    pub redrills: u64,
    pub cram: u64,
    pub seconds: f64,
    pub days_studied: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Retention {
    pub overall: Option<f64>,
    pub young: Option<f64>,
    pub mature: Option<f64>,
    pub today: Option<f64>,
    pub last_7: Option<f64>,
    pub last_30: Option<f64>,
    pub last_365: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Streak {
    pub current: u32,
    pub longest: u32,
    pub days_last_7: u32,
    pub days_last_30: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ForecastDay {
    pub date: Day,
    pub due: u64,
}

/// A histogram bar: values from `from` up to (not including) `below`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bucket<T> {
    pub from: T,
    pub below: Option<T>,
    pub cards: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeckStats {
    pub name: String,
    pub cards: u64,
    pub new: u64,
    pub learning: u64,
    pub mature: u64,
    pub suspended: u64,
    pub buried: u64,
    pub mature_share: Option<f64>,
    pub due_today: u64,
    pub retention: Option<f64>,
}

/// The whole statistics report; its JSON form is `docs/stats.schema.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub schema_version: u32,
    pub today: Day,
    pub days: u32,
    pub totals: CardCounts,
    pub period: PeriodTotals,
    pub reviews_by_day: Vec<DailyRow>,
    pub retention: Retention,
    pub streak: Streak,
    pub forecast: Vec<ForecastDay>,
    pub intervals: Vec<Bucket<u32>>,
    pub efactors: Vec<Bucket<f64>>,
    pub hardest: Vec<HardCard>,
    pub decks: Vec<DeckStats>,
}

/// The first day of a window of `len` days that ends today.
fn window_start(today: Day, len: u32) -> Day {
    Day(today.0 - i64::from(len.max(1)) + 1)
}

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
        let (y, m) = tally_since(totals, window_start(today, len));
        y.add(m).fraction()
    };
    let (young, mature) = tally_since(totals, window_start(today, days));
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
            Some(p) if p.0 + 1 == day.0 => run + 1,
            Some(p) if p == day => run,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let current = match previous {
        Some(last) if today.0 - last.0 <= 1 => run,
        _ => 0,
    };
    let days_since = |len| {
        let from = window_start(today, len);
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
    let from = window_start(today, days);
    let mut rows: Vec<DailyRow> = (from.0..=today.0)
        .map(|d| DailyRow {
            date: Day(d),
            reviews: 0,
            redrills: 0,
            cram: 0,
            seconds: 0.0,
        })
        .collect();
    let mut ms = vec![0u64; rows.len()];
    for t in totals.iter().filter(|t| t.day >= from && t.day <= today) {
        let i = (t.day.0 - from.0) as usize;
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
        let i = (day.0 - today.0).max(0) as usize;
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

impl Stats {
    pub fn compute(input: StatsInput) -> Stats {
        let StatsInput {
            today,
            days,
            decks,
            day_totals,
            active_days,
            due,
            intervals,
            efactors,
            hardest,
        } = input;
        let reviews_by_day = daily(&day_totals, today, days);
        let from = window_start(today, days);
        let in_period = || day_totals.iter().filter(|t| t.day >= from);
        let period = PeriodTotals {
            reviews: reviews_by_day.iter().map(|r| r.reviews).sum(),
            redrills: reviews_by_day.iter().map(|r| r.redrills).sum(),
            cram: reviews_by_day.iter().map(|r| r.cram).sum(),
            seconds: in_period().map(|t| t.duration_ms).sum::<u64>() as f64 / 1000.0,
            days_studied: reviews_by_day
                .iter()
                .filter(|r| r.reviews + r.redrills + r.cram > 0)
                .count() as u64,
        };
        let deck_stats = decks
            .iter()
            .map(|d| {
                let tally = in_period()
                    .filter(|t| t.deck == d.deck)
                    .fold(Tally::default(), |acc, t| acc.add(t.scheduled()));
                let c = d.counts;
                DeckStats {
                    name: d.name.clone(),
                    cards: c.cards,
                    new: c.new,
                    learning: c.learning,
                    mature: c.mature,
                    suspended: c.suspended,
                    buried: c.buried,
                    mature_share: (d.counts.cards > 0)
                        .then(|| d.counts.mature as f64 / d.counts.cards as f64),
                    due_today: d.due_today,
                    retention: tally.fraction(),
                }
            })
            .collect();
        Stats {
            schema_version: SCHEMA_VERSION,
            today,
            days,
            totals: decks
                .iter()
                .fold(CardCounts::default(), |acc, d| acc.add(d.counts)),
            period,
            reviews_by_day,
            retention: retention(&day_totals, today, days),
            streak: streak(&active_days, today),
            forecast: forecast(&due, today),
            intervals: histogram(&intervals, &INTERVAL_EDGES),
            efactors: histogram(&efactors, &EFACTOR_EDGES)
                .into_iter()
                .map(|b| Bucket {
                    from: f64::from(b.from) / 1000.0,
                    below: b.below.map(|v| f64::from(v) / 1000.0),
                    cards: b.cards,
                })
                .collect(),
            hardest,
            decks: deck_stats,
        }
    }
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
