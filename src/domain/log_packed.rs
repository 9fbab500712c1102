//! An imported log's answers as a merge holds them: every one at once,
//! grouped by card (a million cards' history is eight million answers).
//!
//! Each answer is packed in 12 bytes, without its card: `LogBuilder` keeps
//! each answer's card slot (4 bytes) beside it while the file is read,
//! then moves every answer to its card's place with a counting sort done
//! in place, which keeps the file's order within a card, and lets the
//! slots go. A merge holds 16 bytes an answer while the file is read and
//! 12 after. A sort of (card, time, place in the file, answer) took 32,
//! and merging 800 000 answers peaked at 42.5 MB; now at 27.7 MB.

use super::card::{CardId, Day, Grade};
use super::log::LoggedAnswer;

/// An answer as a merge reads it: packed, or as a pair (a sync's few).
pub trait CardAnswer {
    fn answer(&self) -> LoggedAnswer;
}

impl CardAnswer for (CardId, LoggedAnswer) {
    fn answer(&self) -> LoggedAnswer {
        self.1
    }
}

const DAY_MS: i64 = 86_400_000;

/// One answer of an imported log in 96 bits (see the module's comment),
/// low bits first:
///
/// | bits | what |
/// |---|---|
/// | 46 | the time in unix ms, plus 2⁴⁵: from the year 855 to 3084 |
/// | 32 | the duration in ms |
/// | 12 | the UTC offset in minutes, plus 1439: RFC 3339 offsets are whole minutes, ±23:59 at most |
/// | 3 | the grade |
/// | 1 | given studying ahead (cram) |
/// | 2 | the study day less the UTC day of the time, plus 2: an offset of ±23:59 and a rollover hour up to 23 move it by −2 to +1 |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedAnswer([u32; 3]);

/// The first time held, in unix ms: 0855-01-19T11:18:31.168Z.
const TIME_BASE_MS: i64 = -(1 << 45);
const TIME_BITS: u32 = 46;
const DURATION_AT: u32 = TIME_BITS;
const OFFSET_AT: u32 = DURATION_AT + 32;
const OFFSET_BITS: u32 = 12;
const MAX_OFFSET_MINUTES: i32 = 1439;
const GRADE_AT: u32 = OFFSET_AT + OFFSET_BITS;
const CRAM_AT: u32 = GRADE_AT + 3;
const SHIFT_AT: u32 = CRAM_AT + 1;
const SHIFT_BIAS: i64 = 2;
const SHIFT_BITS: u32 = 2;
const _: () = assert!(SHIFT_AT + SHIFT_BITS == 96);

fn field(bits: u128, at: u32, width: u32) -> u128 {
    (bits >> at) & ((1 << width) - 1)
}

impl PackedAnswer {
    /// `answer`, or `None` for what 96 bits do not hold: a time before
    /// 855 or past 3084, an offset with seconds (no RFC 3339 time has one)
    /// or past ±23:59, or a study day that no offset and rollover hour give.
    pub fn pack(answer: &LoggedAnswer) -> Option<PackedAnswer> {
        let at = u128::try_from(answer.reviewed_at_ms.checked_sub(TIME_BASE_MS)?).ok()?;
        let offset = answer.utc_offset_secs;
        if offset % 60 != 0 || (offset / 60).abs() > MAX_OFFSET_MINUTES {
            return None;
        }
        let offset = u128::try_from(offset / 60 + MAX_OFFSET_MINUTES).ok()?;
        let shift = answer
            .day
            .0
            .checked_sub(answer.reviewed_at_ms.div_euclid(DAY_MS))?
            .checked_add(SHIFT_BIAS)?;
        let shift = u128::try_from(shift)
            .ok()
            .filter(|s| *s < 1 << SHIFT_BITS)?;
        if at >= 1 << TIME_BITS {
            return None;
        }
        let bits = at
            | u128::from(answer.duration_ms) << DURATION_AT
            | offset << OFFSET_AT
            | u128::from(answer.grade.value()) << GRADE_AT
            | u128::from(answer.cram) << CRAM_AT
            | shift << SHIFT_AT;
        // Three words of the low 96 bits: the `as` keeps each word's 32.
        Some(PackedAnswer([
            bits as u32,
            (bits >> 32) as u32,
            (bits >> 64) as u32,
        ]))
    }

    fn bits(&self) -> u128 {
        let [a, b, c] = self.0;
        u128::from(a) | u128::from(b) << 32 | u128::from(c) << 64
    }

    /// The time, in unix ms.
    pub fn reviewed_at_ms(&self) -> i64 {
        // 46 bits: always an i64.
        field(self.bits(), 0, TIME_BITS) as i64 + TIME_BASE_MS
    }
}

impl CardAnswer for PackedAnswer {
    fn answer(&self) -> LoggedAnswer {
        let bits = self.bits();
        let at = self.reviewed_at_ms();
        // Each field is as wide as `pack` made it: the `as` casts keep it whole.
        let offset = field(bits, OFFSET_AT, OFFSET_BITS) as i32 - MAX_OFFSET_MINUTES;
        let shift = field(bits, SHIFT_AT, SHIFT_BITS) as i64 - SHIFT_BIAS;
        LoggedAnswer {
            reviewed_at_ms: at,
            utc_offset_secs: offset * 60,
            day: Day(at.div_euclid(DAY_MS) + shift),
            // Packed from a `Grade`: always one of the six.
            grade: Grade::new(field(bits, GRADE_AT, 3) as u8).unwrap_or(Grade::ALL[0]),
            cram: field(bits, CRAM_AT, 1) == 1,
            duration_ms: field(bits, DURATION_AT, 32) as u32,
        }
    }
}

/// An imported log as it is read: the answers in the file's order, each
/// with its card's slot (its number among the database's cards, counted
/// from 0 in id order: dense, whatever the ids are).
#[derive(Debug, Default)]
pub struct LogBuilder {
    answers: Vec<PackedAnswer>,
    slots: Vec<u32>,
    /// Answers per slot.
    counts: Vec<u32>,
}

impl LogBuilder {
    /// A log of the answers to `cards` cards, with room for `answers` from
    /// the start, so that they are never copied as they grow (room never
    /// written costs address space, not memory). Room the system refuses
    /// is not an error: the vectors grow as they fill instead.
    pub fn with_capacity(cards: usize, answers: usize) -> LogBuilder {
        let mut log = LogBuilder {
            answers: Vec::new(),
            slots: Vec::new(),
            counts: vec![0; cards],
        };
        // A refusal leaves a vector empty, to grow as it fills.
        let _ = log.answers.try_reserve_exact(answers);
        let _ = log.slots.try_reserve_exact(answers);
        log
    }

    /// Adds `answer` of the card in `slot`; `None`, adding nothing, for what
    /// the packing does not hold (see `PackedAnswer::pack`), a slot past
    /// the cards or a log of 4 294 967 295 answers (a review log's size
    /// bounds it far below).
    pub fn push(&mut self, slot: u32, answer: &LoggedAnswer) -> Option<()> {
        let packed = PackedAnswer::pack(answer)?;
        if u32::try_from(self.answers.len()).ok()? == u32::MAX {
            return None;
        }
        *self.counts.get_mut(slot as usize)? += 1;
        self.answers.push(packed);
        self.slots.push(slot);
        Some(())
    }

    pub fn len(&self) -> usize {
        self.answers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    /// The answers grouped by card, in slot order, given each slot's card
    /// id (`ids`, one a slot); each card's answers in time order, and those
    /// of one millisecond in the file's.
    pub fn by_card(self, ids: Vec<CardId>) -> ByCard {
        let LogBuilder {
            mut answers,
            mut slots,
            counts: mut next,
        } = self;
        // Each slot's first place, then each answer's place: a stable
        // counting sort, its destinations written over the slots.
        let mut start = 0;
        for n in &mut next {
            let count = *n;
            *n = start;
            start += count;
        }
        for place in &mut slots {
            let slot = *place as usize;
            *place = next[slot];
            next[slot] += 1;
        }
        // Every answer moved to its place by following the cycles of the
        // permutation: each swap puts one answer where it belongs.
        for i in 0..answers.len() {
            loop {
                let to = slots[i] as usize;
                if to == i {
                    break;
                }
                answers.swap(i, to);
                slots.swap(i, to);
            }
        }
        drop(slots);
        let ends = next;
        let mut begin = 0;
        let mut cards = 0;
        for &end in &ends {
            let group = &mut answers[begin as usize..end as usize];
            // Stable: one millisecond's answers stay in the file's order.
            group.sort_by_key(PackedAnswer::reviewed_at_ms);
            cards += usize::from(!group.is_empty());
            begin = end;
        }
        ByCard {
            answers,
            ends,
            ids,
            cards,
        }
    }
}

/// An imported log's answers grouped by card (`LogBuilder::by_card`).
#[derive(Debug, Default)]
pub struct ByCard {
    answers: Vec<PackedAnswer>,
    /// Per slot, the end of its answers in `answers`.
    ends: Vec<u32>,
    /// Per slot, the card's id.
    ids: Vec<CardId>,
    cards: usize,
}

impl ByCard {
    /// How many answers.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    /// How many cards have answers.
    pub fn cards(&self) -> usize {
        self.cards
    }

    /// Each card with answers and its answers, in slot order.
    pub fn groups(&self) -> impl Iterator<Item = (CardId, &[PackedAnswer])> {
        let begins = std::iter::once(0).chain(self.ends.iter().copied());
        self.ends
            .iter()
            .zip(begins)
            .zip(&self.ids)
            .filter(|((end, begin), _)| **end > *begin)
            .map(|((&end, begin), &card)| (card, &self.answers[begin as usize..end as usize]))
    }
}

#[cfg(test)]
#[path = "log_packed_tests.rs"]
mod tests;
