//! Today's session: which cards come up, in which order, and how each answer
//! counts. The CLI (`next`/`answer`) and the TUI both go through this.

use std::collections::{HashMap, HashSet, VecDeque};

use super::card::{AnswerKind, CardId, Day, Grade, Schedule};
use super::sm2::Scheduler;

/// What decides the size of today's queue, as in Anki: new cards per deck,
/// reviews over all decks, the config's per-deck caps (see `limits`), and
/// whether siblings wait for another day (see `siblings`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub new_per_deck: u32,
    pub reviews_per_day: u32,
    pub decks: Vec<super::limits::DeckLimits>,
    pub bury_siblings: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            new_per_deck: 20,
            reviews_per_day: 200,
            decks: Vec::new(),
            bury_siblings: true,
        }
    }
}

/// One answer from today's log, in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TodayAnswer {
    pub card: CardId,
    pub deck: i64,
    pub grade: Grade,
    pub kind: AnswerKind,
    /// The card was new before this answer.
    pub was_new: bool,
    /// The card is in the session's scope and neither suspended nor buried.
    pub eligible: bool,
}

impl Limits {
    /// Review (non-new) cards that may still be scheduled today.
    pub fn remaining_reviews(&self, today: &[TodayAnswer]) -> u32 {
        let done = today
            .iter()
            .filter(|a| a.kind == AnswerKind::Schedule && !a.was_new)
            .count();
        self.reviews_per_day
            .saturating_sub(u32::try_from(done).unwrap_or(u32::MAX))
    }
}

/// SM-2 step 7, derived from today's log so that it survives a restart:
/// every card whose latest answer today is below 4 comes back, in the order
/// of that latest answer. Cram answers never ask for a re-drill.
pub fn pending_redrills(today: &[TodayAnswer]) -> Vec<CardId> {
    let mut latest: HashMap<CardId, (usize, Grade)> = HashMap::new();
    for (i, a) in today.iter().enumerate() {
        if a.kind != AnswerKind::Cram && a.eligible {
            latest.insert(a.card, (i, a.grade));
        }
    }
    let mut pending: Vec<(usize, CardId)> = latest
        .into_iter()
        .filter(|(_, (_, g))| g.needs_redrill())
        .map(|(card, (i, _))| (i, card))
        .collect();
    pending.sort_unstable();
    pending.into_iter().map(|(_, card)| card).collect()
}

/// Whether an answer schedules the card: only the day's first one does.
pub fn answer_kind(scheduled_today: bool, cram: bool) -> AnswerKind {
    if cram {
        AnswerKind::Cram
    } else if scheduled_today {
        AnswerKind::Redrill
    } else {
        AnswerKind::Schedule
    }
}

/// The card's state after an answer of `kind`.
pub fn state_after(
    scheduler: &dyn Scheduler,
    state: &Schedule,
    grade: Grade,
    today: Day,
    kind: AnswerKind,
) -> Schedule {
    match kind {
        AnswerKind::Schedule => scheduler.schedule(state, grade, today),
        AnswerKind::Redrill | AnswerKind::Cram => *state,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueKind {
    Review,
    New,
    Redrill,
    Cram,
}

impl QueueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueKind::Review => "review",
            QueueKind::New => "new",
            QueueKind::Redrill => "redrill",
            QueueKind::Cram => "cram",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueEntry {
    pub card: CardId,
    pub kind: QueueKind,
}

/// The ordered queue of a session: due reviews (oldest first), then new
/// cards, then re-drills; answers below 4 go to the back as re-drills.
#[derive(Debug, Clone, Default)]
pub struct Session {
    queue: VecDeque<QueueEntry>,
    answered: u32,
}

impl Session {
    pub fn new(due: Vec<CardId>, new: Vec<CardId>, redrills: Vec<CardId>) -> Session {
        let mut seen = HashSet::new();
        let queue = due
            .into_iter()
            .map(|card| (card, QueueKind::Review))
            .chain(new.into_iter().map(|card| (card, QueueKind::New)))
            .chain(redrills.into_iter().map(|card| (card, QueueKind::Redrill)))
            .filter(|(card, _)| seen.insert(*card))
            .map(|(card, kind)| QueueEntry { card, kind })
            .collect();
        Session { queue, answered: 0 }
    }

    /// Studying ahead: the given cards once each, no re-drills.
    pub fn cram(cards: Vec<CardId>) -> Session {
        Session {
            queue: cards
                .into_iter()
                .map(|card| QueueEntry {
                    card,
                    kind: QueueKind::Cram,
                })
                .collect(),
            answered: 0,
        }
    }

    pub fn current(&self) -> Option<QueueEntry> {
        self.queue.front().copied()
    }

    pub fn remaining(&self) -> usize {
        self.queue.len()
    }

    pub fn answered(&self) -> u32 {
        self.answered
    }

    pub fn is_cram(&self) -> bool {
        self.queue
            .front()
            .is_some_and(|e| e.kind == QueueKind::Cram)
    }

    /// Takes `card` out of the queue after an answer, and queues it again as
    /// a re-drill when SM-2 step 7 asks for it.
    pub fn record(&mut self, card: CardId, grade: Grade, kind: AnswerKind) {
        self.remove(card);
        self.answered += 1;
        if kind != AnswerKind::Cram && grade.needs_redrill() {
            self.queue.push_back(QueueEntry {
                card,
                kind: QueueKind::Redrill,
            });
        }
    }

    /// Puts `entry` first (an undone answer, an unsuspended card), dropping
    /// any other place the card had in the queue.
    pub fn bring_forward(&mut self, entry: QueueEntry) {
        self.remove(entry.card);
        self.queue.push_front(entry);
    }

    /// Drops `card` from today's queue (suspended, buried).
    pub fn remove(&mut self, card: CardId) {
        self.queue.retain(|e| e.card != card);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::card::EFactor;
    use crate::domain::sm2::Sm2;

    fn g(q: u8) -> Grade {
        Grade::new(q).unwrap()
    }

    fn answer(card: CardId, deck: i64, q: u8, kind: AnswerKind, was_new: bool) -> TodayAnswer {
        TodayAnswer {
            card,
            deck,
            grade: g(q),
            kind,
            was_new,
            eligible: true,
        }
    }

    #[test]
    fn queue_order_is_due_then_new_then_redrills() {
        let s = Session::new(vec![3, 1], vec![7, 8], vec![9]);
        let order: Vec<_> = std::iter::successors(Some(s), |s| {
            let mut s = s.clone();
            let c = s.current()?.card;
            s.record(c, g(5), AnswerKind::Schedule);
            s.current().map(|_| s)
        })
        .filter_map(|s| s.current())
        .map(|e| (e.card, e.kind))
        .collect();
        assert_eq!(
            order,
            vec![
                (3, QueueKind::Review),
                (1, QueueKind::Review),
                (7, QueueKind::New),
                (8, QueueKind::New),
                (9, QueueKind::Redrill)
            ]
        );
    }

    #[test]
    fn a_card_is_queued_once_even_if_listed_twice() {
        let s = Session::new(vec![1], vec![1, 2], vec![2]);
        assert_eq!(s.remaining(), 2);
    }

    #[test]
    fn grades_below_four_come_back_until_four_or_five() {
        let mut s = Session::new(vec![], vec![1, 2], vec![]);
        s.record(1, g(3), AnswerKind::Schedule);
        assert_eq!(s.current().map(|e| e.card), Some(2));
        s.record(2, g(5), AnswerKind::Schedule);
        assert_eq!(
            s.current(),
            Some(QueueEntry {
                card: 1,
                kind: QueueKind::Redrill
            })
        );
        s.record(1, g(2), AnswerKind::Redrill);
        assert_eq!(s.current().map(|e| e.card), Some(1));
        s.record(1, g(4), AnswerKind::Redrill);
        assert_eq!(s.current(), None);
        assert_eq!(s.answered(), 4);
    }

    #[test]
    fn cram_answers_are_never_redrilled() {
        let mut s = Session::cram(vec![4, 5]);
        assert!(s.is_cram());
        s.record(4, g(0), AnswerKind::Cram);
        s.record(5, g(1), AnswerKind::Cram);
        assert_eq!(s.current(), None);
    }

    #[test]
    fn redrills_are_derived_from_todays_log() {
        let today = vec![
            answer(1, 1, 2, AnswerKind::Schedule, true),
            answer(2, 1, 5, AnswerKind::Schedule, true),
            answer(3, 1, 3, AnswerKind::Schedule, false),
            answer(1, 1, 4, AnswerKind::Redrill, false),
            answer(4, 1, 1, AnswerKind::Cram, false),
            answer(3, 1, 1, AnswerKind::Redrill, false),
        ];
        assert_eq!(pending_redrills(&today), vec![3]);
        let mut ineligible = today.clone();
        ineligible[5].eligible = false;
        ineligible[2].eligible = false;
        assert_eq!(pending_redrills(&ineligible), Vec::<CardId>::new());
    }

    #[test]
    fn limits_count_only_scheduling_answers() {
        let limits = Limits {
            new_per_deck: 2,
            reviews_per_day: 3,
            ..Limits::default()
        };
        let today = vec![
            answer(1, 1, 5, AnswerKind::Schedule, true),
            answer(2, 2, 5, AnswerKind::Schedule, true),
            answer(2, 2, 5, AnswerKind::Redrill, false),
            answer(3, 1, 4, AnswerKind::Schedule, false),
            answer(4, 1, 4, AnswerKind::Cram, false),
        ];
        let caps = limits.for_deck("any");
        assert_eq!(caps.remaining_new(1, &today), 1);
        assert_eq!(caps.remaining_new(2, &today), 1);
        assert_eq!(caps.remaining_new(3, &today), 2);
        assert_eq!(limits.remaining_reviews(&today), 2);
    }

    #[test]
    fn only_the_first_answer_of_the_day_schedules() {
        assert_eq!(answer_kind(false, false), AnswerKind::Schedule);
        assert_eq!(answer_kind(true, false), AnswerKind::Redrill);
        assert_eq!(answer_kind(false, true), AnswerKind::Cram);
        let state = Schedule {
            repetitions: 2,
            efactor: EFactor(2500),
            interval: 6,
            due: Some(Day(10)),
            lapses: 0,
        };
        assert_eq!(
            state_after(&Sm2, &state, g(1), Day(10), AnswerKind::Redrill),
            state
        );
        assert_eq!(
            state_after(&Sm2, &state, g(5), Day(10), AnswerKind::Schedule).interval,
            15
        );
    }
}
