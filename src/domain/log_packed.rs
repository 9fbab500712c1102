//! An imported log's answers as a merge holds them: every one at once,
//! while they are sorted by card (a million cards' history is eight million
//! answers). Packed in 32 bytes with the card and the file's order, where
//! `(CardId, LoggedAnswer)` took 40 and a stable sort half as much again
//! for its scratch space: the order in the file is part of the key, so the
//! sort is an unstable one, in place.

use super::card::{CardId, Day, Grade};
use super::log::LoggedAnswer;

/// An answer with the card it is for, as a merge takes them: packed, or
/// as a pair (a sync's few).
pub trait CardAnswer {
    fn card(&self) -> CardId;
    fn answer(&self) -> LoggedAnswer;
}

impl CardAnswer for (CardId, LoggedAnswer) {
    fn card(&self) -> CardId {
        self.0
    }

    fn answer(&self) -> LoggedAnswer {
        self.1
    }
}

/// One answer of an imported log (see the module's comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedAnswer {
    card: CardId,
    reviewed_at_ms: i64,
    day: i32,
    duration_ms: u32,
    /// Its place in the file: answers of one card in one millisecond keep
    /// the file's order (a frozen clock gives several, and all are real).
    seq: u32,
    /// RFC 3339 offsets are whole minutes: ±23:59 at most.
    offset_minutes: i16,
    /// The grade, and `CRAM` for an answer given studying ahead.
    grade: u8,
}

const CRAM: u8 = 0x80;

impl PackedAnswer {
    /// `answer` of `card`, the file's `seq`-th; `None` for what 32 bytes do
    /// not hold (an offset with seconds, a day past i32, a log of more
    /// than 4 294 967 295 answers): no RFC 3339 time gives the first two,
    /// and a log's size bound the third.
    pub fn pack(card: CardId, answer: &LoggedAnswer, seq: usize) -> Option<PackedAnswer> {
        let offset = answer.utc_offset_secs;
        if offset % 60 != 0 {
            return None;
        }
        Some(PackedAnswer {
            card,
            reviewed_at_ms: answer.reviewed_at_ms,
            day: i32::try_from(answer.day.0).ok()?,
            duration_ms: answer.duration_ms,
            seq: u32::try_from(seq).ok()?,
            offset_minutes: i16::try_from(offset / 60).ok()?,
            grade: answer.grade.value() | if answer.cram { CRAM } else { 0 },
        })
    }

    /// The order a merge takes them in: by card, then time, then the file's.
    pub fn order(&self) -> (CardId, i64, u32) {
        (self.card, self.reviewed_at_ms, self.seq)
    }
}

impl CardAnswer for PackedAnswer {
    fn card(&self) -> CardId {
        self.card
    }

    fn answer(&self) -> LoggedAnswer {
        LoggedAnswer {
            reviewed_at_ms: self.reviewed_at_ms,
            utc_offset_secs: i32::from(self.offset_minutes) * 60,
            day: Day(i64::from(self.day)),
            // Packed from a `Grade`: always one of the six.
            grade: Grade::new(self.grade & !CRAM).unwrap_or(Grade::ALL[0]),
            cram: self.grade & CRAM != 0,
            duration_ms: self.duration_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(offset: i32, grade: u8, cram: bool) -> LoggedAnswer {
        LoggedAnswer {
            reviewed_at_ms: 1_767_225_600_123,
            utc_offset_secs: offset,
            day: Day(20_454),
            grade: Grade::new(grade).unwrap(),
            cram,
            duration_ms: u32::MAX,
        }
    }

    #[test]
    fn an_answer_comes_back_as_it_was_packed() {
        assert_eq!(size_of::<PackedAnswer>(), 32);
        for (offset, grade, cram) in [(0, 0, false), (19_800, 5, true), (-86_340, 3, false)] {
            let a = answer(offset, grade, cram);
            let packed = PackedAnswer::pack(7, &a, 9).unwrap();
            assert_eq!((packed.card(), packed.answer()), (7, a));
        }
    }

    #[test]
    fn rfc_3339_offsets_are_whole_minutes() {
        // What `pack` counts on for the times a review log gives.
        let at = chrono::DateTime::parse_from_rfc3339("2026-01-01T09:00:00+05:45").unwrap();
        assert_eq!(at.offset().local_minus_utc() % 60, 0);
        assert!(chrono::DateTime::parse_from_rfc3339("2026-01-01T09:00:00+05:45:30").is_err());
    }

    #[test]
    fn what_32_bytes_cannot_hold_is_refused_not_changed() {
        assert_eq!(PackedAnswer::pack(1, &answer(30, 3, false), 0), None);
        let mut far = answer(0, 3, false);
        far.day = Day(i64::from(i32::MAX) + 1);
        assert_eq!(PackedAnswer::pack(1, &far, 0), None);
        assert_eq!(PackedAnswer::pack(1, &answer(0, 3, false), 1 << 32), None);
    }

    #[test]
    fn the_order_is_card_then_time_then_the_files() {
        let a = answer(0, 3, false);
        let mut later = a;
        later.reviewed_at_ms += 1;
        let mut packed = [
            PackedAnswer::pack(2, &a, 0).unwrap(),
            PackedAnswer::pack(1, &later, 1).unwrap(),
            PackedAnswer::pack(1, &a, 3).unwrap(),
            PackedAnswer::pack(1, &a, 2).unwrap(),
        ];
        packed.sort_unstable_by_key(PackedAnswer::order);
        let order: Vec<(CardId, i64, u32)> = packed.iter().map(PackedAnswer::order).collect();
        let at = a.reviewed_at_ms;
        assert_eq!(order, [(1, at, 2), (1, at, 3), (1, at + 1, 1), (2, at, 0)]);
    }
}
