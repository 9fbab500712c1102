//! Progress statistics, computed from the totals the storage layer
//! aggregates (per day and deck, per due day, per interval). Pure: the
//! definitions the README gives live here, and are unit-tested here.

use serde::Serialize;

use crate::domain::card::Day;

mod cards;
mod figures;

pub use cards::{CardState, CardTally, HARDEST};
pub use figures::{daily, forecast, histogram, retention, streak};

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
        let from = today.window_start(days);
        let in_period: Vec<&DayTotals> = day_totals.iter().filter(|t| t.day >= from).collect();
        let period = period_totals(&reviews_by_day, &in_period);
        let deck_stats = decks.iter().map(|d| deck_stats(d, &in_period)).collect();
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
            efactors: efactor_histogram(&efactors),
            hardest,
            decks: deck_stats,
        }
    }
}

/// The period's answers by kind, time spent and days studied.
fn period_totals(reviews_by_day: &[DailyRow], in_period: &[&DayTotals]) -> PeriodTotals {
    PeriodTotals {
        reviews: reviews_by_day.iter().map(|r| r.reviews).sum(),
        redrills: reviews_by_day.iter().map(|r| r.redrills).sum(),
        cram: reviews_by_day.iter().map(|r| r.cram).sum(),
        seconds: in_period.iter().map(|t| t.duration_ms).sum::<u64>() as f64 / 1000.0,
        days_studied: reviews_by_day
            .iter()
            .filter(|r| r.reviews + r.redrills + r.cram > 0)
            .count() as u64,
    }
}

/// One deck's row: its card counts and its retention over the period.
fn deck_stats(d: &DeckCards, in_period: &[&DayTotals]) -> DeckStats {
    let tally = in_period
        .iter()
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
        mature_share: (c.cards > 0).then(|| c.mature as f64 / c.cards as f64),
        due_today: d.due_today,
        retention: tally.fraction(),
    }
}

/// E-factors are kept in thousandths; the report shows them as numbers.
fn efactor_histogram(efactors: &[(u32, u64)]) -> Vec<Bucket<f64>> {
    histogram(efactors, &EFACTOR_EDGES)
        .into_iter()
        .map(|b| Bucket {
            from: f64::from(b.from) / 1000.0,
            below: b.below.map(|v| f64::from(v) / 1000.0),
            cards: b.cards,
        })
        .collect()
}

/// A fraction as a percentage with one decimal, or "-" when there is none:
/// how `recall stats` and the statistics screen both write a rate.
pub fn percent(fraction: Option<f64>) -> String {
    fraction.map_or_else(|| "-".to_string(), |f| format!("{:.1}%", f * 100.0))
}
