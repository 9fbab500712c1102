//! The state of a study session in the TUI: the queue (from
//! `crate::workflows::study`), the card on screen, this sitting's answers
//! and the undo stack.

use chrono::{DateTime, FixedOffset};

use crate::domain::Scope;
use crate::domain::seen::AnswerRef;
use crate::domain::{AnswerKind, Card, CardId, Day, Grade, QueueEntry, QueueKind, Session};
use crate::storage::Recorded;

use super::app::Summary;
use super::typed::TypedState;

/// One step `u` can take back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undo {
    Answer {
        answer: AnswerRef,
        entry: QueueEntry,
    },
    Suspend {
        entry: QueueEntry,
    },
    Bury {
        entry: QueueEntry,
    },
}

impl Undo {
    /// The queue entry the step brings back.
    pub fn entry(&self) -> QueueEntry {
        match *self {
            Undo::Answer { entry, .. } | Undo::Suspend { entry } | Undo::Bury { entry } => entry,
        }
    }
}

pub struct Study {
    pub scope: Scope,
    pub cram: bool,
    pub session: Session,
    pub started: DateTime<FixedOffset>,
    /// This sitting's answers, for the progress bar and the summary.
    pub answers: Vec<(CardId, Grade)>,
    pub undo: Vec<Undo>,
    /// `Store::data_version` when the queue was last built from the database.
    pub version: i64,
}

/// The card on screen.
pub struct Shown {
    pub card: Card,
    pub kind: QueueKind,
    pub revealed: bool,
    pub scroll: u16,
    pub shown_at: DateTime<FixedOffset>,
    /// The interval each grade would give it under its deck's scheduler
    /// (from `study::intervals`).
    pub intervals: [u32; 6],
    /// A card that asks for a typed answer: its text field, then the
    /// comparison (`None` for other cards, and after Esc).
    pub typed: Option<TypedState>,
}

impl Shown {
    pub fn new(
        card: Card,
        kind: QueueKind,
        now: DateTime<FixedOffset>,
        intervals: [u32; 6],
    ) -> Shown {
        Shown {
            intervals,
            typed: TypedState::for_card(card.typed),
            card,
            kind,
            revealed: false,
            scroll: 0,
            shown_at: now,
        }
    }

    pub fn entry(&self) -> QueueEntry {
        QueueEntry {
            card: self.card.id,
            kind: self.kind,
        }
    }

    /// The text field is on screen: keys type into it.
    pub fn typing(&self) -> bool {
        matches!(self.typed, Some(TypedState::Typing(_)))
    }

    /// Whether a grade now moves the schedule (re-drills and cram do not).
    pub fn schedules(&self) -> bool {
        matches!(self.kind, QueueKind::Review | QueueKind::New)
    }
}

impl Study {
    pub fn new(scope: Scope, cram: bool, session: Session, now: DateTime<FixedOffset>) -> Study {
        Study {
            scope,
            cram,
            session,
            started: now,
            answers: Vec::new(),
            undo: Vec::new(),
            version: 0,
        }
    }

    pub fn record(&mut self, card: CardId, grade: Grade, kind: AnswerKind) {
        self.session.record(card, grade, kind);
        self.answers.push((card, grade));
    }

    pub fn summary(&self, now: DateTime<FixedOffset>, due_tomorrow: u32) -> Summary {
        let mut cards: Vec<CardId> = self.answers.iter().map(|(c, _)| *c).collect();
        cards.sort_unstable();
        cards.dedup();
        let passing = |min: u8| {
            self.answers
                .iter()
                .filter(|(_, g)| g.value() >= min)
                .count()
        };
        Summary {
            cards: cards.len(),
            answers: self.answers.len(),
            passed3: passing(3),
            passed4: passing(4),
            seconds: (now - self.started).num_seconds().max(0),
            due_tomorrow,
            cram: self.cram,
        }
    }
}

/// "17d", "5mo", "1.4y": an interval short enough for the grade bar.
pub fn short_days(days: u32) -> String {
    match days {
        0..=59 => format!("{days}d"),
        60..=729 => format!("{}mo", (days + 15) / 30),
        _ => format!("{:.1}y", f64::from(days) / 365.0),
    }
}

/// The status line after an answer: what it did to the schedule.
pub fn answered_text(grade: Grade, recorded: &Recorded, today: Day) -> String {
    let g = grade.value();
    match (recorded.kind, recorded.after.due) {
        (AnswerKind::Schedule, Some(due)) => {
            let again = if grade.needs_redrill() {
                "; it comes back at the end of today's queue"
            } else {
                ""
            };
            let days = due.days_since(today);
            format!("Graded {g}: next review in {days}d ({due}){again}.")
        }
        (AnswerKind::Redrill, _) if grade.needs_redrill() => {
            format!("Re-drill graded {g}: schedule unchanged; it comes back again.")
        }
        (AnswerKind::Redrill, _) => format!("Re-drill graded {g}: schedule unchanged."),
        _ => format!("Studied ahead, graded {g}: schedule unchanged."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_shorten_to_fit_the_grade_bar() {
        assert_eq!(short_days(1), "1d");
        assert_eq!(short_days(59), "59d");
        assert_eq!(short_days(75), "3mo");
        assert_eq!(short_days(800), "2.2y");
    }
}
