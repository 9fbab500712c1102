//! The current time and the study day. `RECALL_NOW` (RFC 3339) sets the
//! clock so that tests, and users replaying a scenario, can walk through days.
//! For a command it is frozen (the same input, the same output); the TUI makes
//! it run on from that moment with real time (`running`), so that its timer
//! and answer durations are real while the dates stay the injected ones.

use std::time::Instant;

use chrono::{DateTime, Duration, FixedOffset, Local};

use crate::domain::Day;
use crate::error::{Error, Result};

pub const NOW_VAR: &str = "RECALL_NOW";

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    fixed: Option<DateTime<FixedOffset>>,
    /// With `fixed`: the moment it stood for, so that it advances from there.
    since: Option<Instant>,
    /// Hour (local time) at which a new study day starts.
    rollover_hour: u32,
}

impl Clock {
    /// The system clock, or `RECALL_NOW` when it is set.
    pub fn from_env(rollover_hour: u32) -> Result<Clock> {
        let fixed = match std::env::var(NOW_VAR) {
            Ok(value) => Some(DateTime::parse_from_rfc3339(value.trim()).map_err(|e| {
                Error::invalid(format!(
                    "{NOW_VAR}={value:?} is not an RFC 3339 time such as 2026-03-01T09:00:00+00:00 ({e})"
                ))
            })?),
            Err(_) => None,
        };
        Ok(Clock {
            fixed,
            since: None,
            rollover_hour: rollover_hour.min(23),
        })
    }

    pub fn fixed(now: DateTime<FixedOffset>, rollover_hour: u32) -> Clock {
        Clock {
            fixed: Some(now),
            since: None,
            rollover_hour: rollover_hour.min(23),
        }
    }

    /// This clock moving on with real time from now: a time set by
    /// `RECALL_NOW` becomes a starting point rather than a frozen moment.
    /// The system clock is unchanged.
    pub fn running(self) -> Clock {
        Clock {
            since: self.fixed.map(|_| Instant::now()),
            ..self
        }
    }

    /// Now, in the user's offset (the offset `RECALL_NOW` gives, or the local one).
    pub fn now(&self) -> DateTime<FixedOffset> {
        match (self.fixed, self.since) {
            (Some(fixed), Some(since)) => {
                fixed + Duration::from_std(since.elapsed()).unwrap_or(Duration::zero())
            }
            (Some(fixed), None) => fixed,
            (None, _) => Local::now().fixed_offset(),
        }
    }

    /// The study day a moment belongs to: a review at 01:30 with a 04:00
    /// rollover counts for the day before.
    pub fn day_of(&self, moment: DateTime<FixedOffset>) -> Day {
        let shifted = moment.naive_local() - Duration::hours(i64::from(self.rollover_hour));
        Day::from_date(shifted.date())
    }

    pub fn today(&self) -> Day {
        self.day_of(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn the_day_starts_at_the_rollover_hour() {
        let clock = Clock::fixed(at("2026-03-02T01:30:00+01:00"), 4);
        assert_eq!(clock.today().to_string(), "2026-03-01");
        let clock = Clock::fixed(at("2026-03-02T04:00:00+01:00"), 4);
        assert_eq!(clock.today().to_string(), "2026-03-02");
        let clock = Clock::fixed(at("2026-03-02T01:30:00+01:00"), 0);
        assert_eq!(clock.today().to_string(), "2026-03-02");
    }

    #[test]
    fn a_fixed_clock_stays_frozen_and_a_running_one_advances_from_it() {
        let start = at("2026-03-02T09:00:00+01:00");
        let frozen = Clock::fixed(start, 4);
        let running = frozen.running();
        std::thread::sleep(std::time::Duration::from_millis(30));
        assert_eq!(frozen.now(), start);
        let later = running.now();
        assert!(later - start >= Duration::milliseconds(30), "{later}");
        assert!(later - start < Duration::hours(1), "{later}");
        assert_eq!(later.offset(), start.offset());
        assert_eq!(running.today(), frozen.today());
    }

    #[test]
    fn the_local_offset_decides_the_date() {
        // 23:30 UTC is already the next morning in Tokyo.
        let utc = Clock::fixed(at("2026-03-01T23:30:00+00:00"), 4);
        let tokyo = Clock::fixed(at("2026-03-02T08:30:00+09:00"), 4);
        assert_eq!(utc.today().to_string(), "2026-03-01");
        assert_eq!(tokyo.today().to_string(), "2026-03-02");
    }
}
