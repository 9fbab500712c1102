//! Today's session: which cards come up, in which order, and how each answer
//! counts. The CLI (`next`/`answer`) and the TUI both go through this.

use std::collections::{HashMap, HashSet, VecDeque};

use super::card::{AnswerKind, Card, CardId, Day, Grade, Schedule};
use super::sm2::Scheduler;

/// Daily caps, as in Anki: new cards per deck, reviews over all decks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub new_per_deck: u32,
    pub reviews_per_day: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            new_per_deck: 20,
            reviews_per_day: 200,
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

    /// New cards of `deck` that may still be introduced today.
    pub fn remaining_new(&self, deck: i64, today: &[TodayAnswer]) -> u32 {
        let done = today
            .iter()
            .filter(|a| a.kind == AnswerKind::Schedule && a.was_new && a.deck == deck)
            .count();
        self.new_per_deck
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

/// One answer of the log as the one who recorded it knows it. An undo
/// looks for all three: a review id alone could, in a restored older copy
/// of the collection, belong to some other answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerRef {
    pub review_id: i64,
    pub card: CardId,
    pub reviewed_at_ms: i64,
}

/// The card an answer is for, as the one answering knows it. Its number,
/// deck and id within the deck are always held against the database in the
/// answer's transaction; the scheduling state too when the card was shown.
#[derive(Debug, Clone, Copy)]
pub enum Seen<'a> {
    /// On screen (the TUI): the card in the state it was shown in, so an
    /// answer given elsewhere meanwhile, or a restored older copy, is noticed.
    Shown(&'a Card),
    /// Named by a script (`recall answer`), which showed nothing: the card
    /// in whatever state it is in now.
    Named(&'a Card),
}

/// How the card an answer finds under the seen card's number stands to
/// the card seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Same,
    /// No card has that number any more.
    Gone,
    /// The number names a card of another deck or id within the deck.
    Other,
    /// The same card, but it was shown in another state.
    Changed,
}

/// What the database holds under a card number: deck, id within the deck,
/// scheduling state and last scheduling answer.
pub type FoundCard<'a> = (&'a str, &'a str, &'a Schedule, Option<i64>);

impl<'a> Seen<'a> {
    pub fn card(self) -> &'a Card {
        match self {
            Seen::Shown(card) | Seen::Named(card) => card,
        }
    }

    /// Whether `found` is the card seen (and, if it was shown, in the
    /// state shown).
    pub fn compare(self, found: Option<FoundCard<'_>>) -> Match {
        let seen = self.card();
        match found {
            None => Match::Gone,
            Some((deck, key, _, _)) if deck != seen.deck || key != seen.key => Match::Other,
            Some((_, _, schedule, last_review))
                if matches!(self, Seen::Shown(_))
                    && (*schedule != seen.schedule || last_review != seen.last_review) =>
            {
                Match::Changed
            }
            Some(_) => Match::Same,
        }
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
        };
        let today = vec![
            answer(1, 1, 5, AnswerKind::Schedule, true),
            answer(2, 2, 5, AnswerKind::Schedule, true),
            answer(2, 2, 5, AnswerKind::Redrill, false),
            answer(3, 1, 4, AnswerKind::Schedule, false),
            answer(4, 1, 4, AnswerKind::Cram, false),
        ];
        assert_eq!(limits.remaining_new(1, &today), 1);
        assert_eq!(limits.remaining_new(2, &today), 1);
        assert_eq!(limits.remaining_new(3, &today), 2);
        assert_eq!(limits.remaining_reviews(&today), 2);
    }

    #[test]
    fn an_answer_is_for_the_card_seen_and_a_shown_card_also_in_its_state() {
        let seen = Card {
            id: 7,
            deck: "geo".into(),
            key: "france".into(),
            front: "Capital of France?".into(),
            back: "Paris".into(),
            notes: String::new(),
            tags: vec![],
            schedule: Schedule::NEW,
            suspended: false,
            last_review: None,
        };
        let answered = Schedule {
            repetitions: 1,
            interval: 1,
            due: Some(Day(11)),
            ..Schedule::NEW
        };
        let (shown, named) = (Seen::Shown(&seen), Seen::Named(&seen));
        let same = Some(("geo", "france", &Schedule::NEW, None));
        for seen in [shown, named] {
            assert_eq!(seen.compare(same), Match::Same);
            assert_eq!(seen.compare(None), Match::Gone);
            let other = Some(("geo", "jupiter", &Schedule::NEW, None));
            assert_eq!(seen.compare(other), Match::Other);
            let other_deck = Some(("space", "france", &Schedule::NEW, None));
            assert_eq!(seen.compare(other_deck), Match::Other);
        }
        // Answered elsewhere since: a shown card no longer matches, a card
        // a script names by number still does.
        let since = Some(("geo", "france", &answered, Some(1)));
        assert_eq!(shown.compare(since), Match::Changed);
        assert_eq!(named.compare(since), Match::Same);
        let only_time = Some(("geo", "france", &Schedule::NEW, Some(1)));
        assert_eq!(shown.compare(only_time), Match::Changed);
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
