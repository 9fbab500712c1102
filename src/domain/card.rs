//! Cards and the values that describe their scheduling.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

/// The database row id of a card: what `recall answer` accepts.
pub type CardId = i64;

/// A study day, counted in days since 1970-01-01. Study days start at the
/// rollover hour (see `clock`), not at midnight, so a day is not a date of
/// the calendar until it is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");

    pub fn from_date(date: NaiveDate) -> Self {
        Day((date - Self::EPOCH).num_days())
    }

    /// The calendar date. SM-2 intervals saturate at u32::MAX days, far past
    /// the last date chrono can represent; such days render as that date
    /// instead of panicking (found by the kill-loop test answering one card
    /// every day for hundreds of days).
    pub fn date(self) -> NaiveDate {
        chrono::Duration::try_days(self.0)
            .and_then(|d| Self::EPOCH.checked_add_signed(d))
            .unwrap_or(if self.0 < 0 {
                NaiveDate::MIN
            } else {
                NaiveDate::MAX
            })
    }

    /// The day `days` later. Saturating: a day past the end of time stays
    /// there (and renders as chrono's last date, see `date`).
    pub fn plus(self, days: u32) -> Day {
        Day(self.0.saturating_add(i64::from(days)))
    }

    /// The day `days` earlier.
    pub fn minus(self, days: u32) -> Day {
        Day(self.0.saturating_sub(i64::from(days)))
    }

    /// The day `days` away, either way: for offsets that are signed by
    /// nature (a query's `due:-3`, a week back on a calendar).
    pub fn offset(self, days: i64) -> Day {
        Day(self.0.saturating_add(days))
    }

    /// How many days `earlier` lies before this day: negative when it is
    /// after, 0 on the same day.
    pub fn days_since(self, earlier: Day) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// The first day of the window of `len` days that ends on this day
    /// (inclusive): `len` 1 is this day, and 0 counts as 1.
    pub fn window_start(self, len: u32) -> Day {
        self.minus(len.max(1) - 1)
    }

    /// Every day from this one through `last`, both included (none when
    /// `last` is earlier).
    pub fn through(self, last: Day) -> impl DoubleEndedIterator<Item = Day> {
        (self.0..=last.0).map(Day)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date().format("%Y-%m-%d"))
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An SM-2 quality grade, 0 (blackout) to 5 (perfect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grade(u8);

impl Grade {
    pub const ALL: [Grade; 6] = [Grade(0), Grade(1), Grade(2), Grade(3), Grade(4), Grade(5)];

    pub fn new(q: u8) -> Option<Grade> {
        (q <= 5).then_some(Grade(q))
    }

    pub fn value(self) -> u8 {
        self.0
    }

    /// SM-2 counts 3, 4 and 5 as a successful recall.
    pub fn passed(self) -> bool {
        self.0 >= 3
    }

    /// SM-2 step 7: anything below 4 is asked again the same day.
    pub fn needs_redrill(self) -> bool {
        self.0 < 4
    }

    pub fn label(self) -> &'static str {
        match self.0 {
            0 => "blackout",
            1 => "wrong, remembered once seen",
            2 => "wrong, familiar once seen",
            3 => "right, with serious difficulty",
            4 => "right, after hesitation",
            _ => "perfect",
        }
    }
}

/// The e-factor in thousandths (2500 = 2.5). Integer on purpose: in floats
/// 2.5 + 0.1 + 0.1 + 0.1 is 2.8000000000000003 and ceil(10 × that) is 29.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EFactor(pub u32);

impl EFactor {
    pub const INITIAL: EFactor = EFactor(2500);
    pub const MIN: EFactor = EFactor(1300);

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

impl fmt::Display for EFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Shortest exact decimal: 2500 → 2.5, 2360 → 2.36, 1305 → 1.305.
        let whole = self.0 / 1000;
        let frac = format!("{:03}", self.0 % 1000);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            write!(f, "{whole}.0")
        } else {
            write!(f, "{whole}.{frac}")
        }
    }
}

/// A card's SM-2 state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub repetitions: u32,
    pub efactor: EFactor,
    pub interval: u32,
    /// `None` while the card is new (never scheduled).
    pub due: Option<Day>,
    pub lapses: u32,
}

impl Schedule {
    pub const NEW: Schedule = Schedule {
        repetitions: 0,
        efactor: EFactor::INITIAL,
        interval: 0,
        due: None,
        lapses: 0,
    };
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule::NEW
    }
}

/// How an answer was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// The day's first answer: it moves the schedule.
    Schedule,
    /// A same-day repeat (SM-2 step 7): logged, schedule untouched.
    Redrill,
    /// Studying ahead: logged, schedule untouched, never re-drilled.
    Cram,
}

impl AnswerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerKind::Schedule => "schedule",
            AnswerKind::Redrill => "redrill",
            AnswerKind::Cram => "cram",
        }
    }
}

/// A card as it comes out of a deck file, before it has any state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardDraft {
    /// Stable id within the deck; progress follows it across re-imports.
    pub key: String,
    pub front: String,
    pub back: String,
    pub notes: String,
    pub tags: Vec<String>,
    /// The answer is typed, then compared with the back (`domain::typed`).
    pub typed: bool,
}

/// A deck as it comes out of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckDraft {
    pub name: String,
    pub description: String,
    /// Where the deck is listed among the others (the file's `order`):
    /// decks with a position come first, in its order, then the rest by
    /// name. The bundled decks get their file order: the lesson's.
    pub position: Option<u32>,
    pub cards: Vec<CardDraft>,
}

/// A card's state as another program had it: suspended or buried (the
/// user's choice, always kept) and, with `--with-progress`, its schedule,
/// already mapped onto SM-2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedProgress {
    pub deck: String,
    pub key: String,
    pub schedule: Option<Schedule>,
    pub suspended: bool,
    /// Hidden until the day after the import, as Anki buries.
    pub buried: bool,
}

/// A stored card with its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: CardId,
    pub deck: String,
    pub key: String,
    pub front: String,
    pub back: String,
    pub notes: String,
    pub tags: Vec<String>,
    /// The answer is typed (`CardDraft::typed`).
    pub typed: bool,
    pub schedule: Schedule,
    pub suspended: bool,
    /// Unix milliseconds of the last scheduling answer.
    pub last_review: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_round_trips_dates() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let day = Day::from_date(date);
        assert_eq!(day.date(), date);
        assert_eq!(day.plus(1).to_string(), "2026-03-02");
        assert_eq!(Day(0).to_string(), "1970-01-01");
    }

    #[test]
    fn day_arithmetic_counts_whole_days_and_saturates() {
        let day = Day(20_513);
        assert_eq!(day.minus(1).to_string(), "2026-02-28");
        assert_eq!(day.plus(3).minus(3), day);
        assert_eq!(day.plus(7).days_since(day), 7);
        assert_eq!(day.days_since(day.plus(2)), -2);
        assert_eq!(day.offset(-3), day.minus(3));
        assert_eq!(day.offset(3), day.plus(3));
        assert_eq!(Day(i64::MAX).plus(1), Day(i64::MAX));
        assert_eq!(Day(i64::MIN).minus(1), Day(i64::MIN));
        assert_eq!(Day(i64::MIN).days_since(Day(1)), i64::MIN);
    }

    #[test]
    fn a_window_of_days_ends_on_the_day_itself() {
        let today = Day(100);
        assert_eq!(today.window_start(1), today);
        assert_eq!(today.window_start(0), today);
        assert_eq!(today.window_start(7), Day(94));
        let week: Vec<Day> = today.window_start(7).through(today).collect();
        assert_eq!(week.len(), 7);
        assert_eq!(week.last(), Some(&today));
        assert_eq!(today.through(Day(99)).count(), 0);
    }

    #[test]
    fn efactor_prints_shortest_exact_decimal() {
        assert_eq!(EFactor(2500).to_string(), "2.5");
        assert_eq!(EFactor(2360).to_string(), "2.36");
        assert_eq!(EFactor(1300).to_string(), "1.3");
        assert_eq!(EFactor(1305).to_string(), "1.305");
        assert_eq!(EFactor(3000).to_string(), "3.0");
    }

    #[test]
    fn grades_outside_zero_to_five_are_refused() {
        assert!(Grade::new(5).is_some());
        assert!(Grade::new(6).is_none());
        assert!(Grade::new(3).unwrap().passed());
        assert!(Grade::new(3).unwrap().needs_redrill());
        assert!(!Grade::new(4).unwrap().needs_redrill());
    }
}
