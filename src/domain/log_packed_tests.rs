use super::*;

fn answer(at_ms: i64, offset: i32, day: i64, grade: u8, cram: bool) -> LoggedAnswer {
    LoggedAnswer {
        reviewed_at_ms: at_ms,
        utc_offset_secs: offset,
        day: Day(day),
        grade: Grade::new(grade).unwrap(),
        cram,
        duration_ms: u32::MAX,
    }
}

/// 2026-01-01T00:00:00.123Z: day 20 454 since 1970 in UTC.
const AT: i64 = 1_767_225_600_123;
const UTC_DAY: i64 = 20_454;
/// The last millisecond the packing holds, in December 3084.
const LAST_MS: i64 = TIME_BASE_MS + (1 << 46) - 1;

#[test]
fn an_answer_comes_back_as_it_was_packed() {
    assert_eq!(size_of::<PackedAnswer>(), 12);
    let cases = [
        answer(AT, 0, UTC_DAY, 0, false),
        // East of UTC, its local day is the UTC one.
        answer(AT, 19_800, UTC_DAY, 5, true),
        // West of UTC and before a 4 o'clock rollover: two days back.
        answer(AT, -86_340, UTC_DAY - 2, 3, false),
        // Before 1970: the UTC day rounds down, not toward zero.
        answer(-1, 0, -1, 4, false),
        // The ends of the range, in 855 and 3084.
        answer(
            TIME_BASE_MS,
            -86_340,
            TIME_BASE_MS.div_euclid(DAY_MS) - 2,
            1,
            true,
        ),
        answer(LAST_MS, 86_340, LAST_MS.div_euclid(DAY_MS) + 1, 2, false),
        answer(AT, 0, UTC_DAY + 1, 5, true),
    ];
    for a in cases {
        assert_eq!(PackedAnswer::pack(&a).unwrap().answer(), a);
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
fn what_96_bits_cannot_hold_is_refused_not_changed() {
    let refused = |a: LoggedAnswer| PackedAnswer::pack(&a).is_none();
    assert!(
        refused(answer(AT, 30, UTC_DAY, 3, false)),
        "seconds in the offset"
    );
    assert!(
        refused(answer(AT, 86_400, UTC_DAY + 1, 3, false)),
        "a 24-hour offset"
    );
    assert!(
        refused(answer(AT, 0, UTC_DAY + 2, 3, false)),
        "a day too far on"
    );
    assert!(
        refused(answer(AT, 0, UTC_DAY - 3, 3, false)),
        "a day too far back"
    );
    assert!(refused(answer(AT, 0, i64::MIN, 3, false)));
    let before = TIME_BASE_MS - 1;
    assert!(
        refused(answer(before, 0, before.div_euclid(DAY_MS), 3, false)),
        "before 855"
    );
    let end = LAST_MS + 1;
    assert!(
        refused(answer(end, 0, end.div_euclid(DAY_MS), 3, false)),
        "past 3084"
    );
    // Four cards: slots 0 to 3.
    let mut log = LogBuilder::with_capacity(4, 0);
    assert_eq!(
        log.push(4, &answer(AT, 0, UTC_DAY, 3, false)),
        None,
        "no such slot"
    );
    assert!(log.is_empty());
}

/// Slot `slot`'s card id: anything but the slot, to tell the two apart.
fn id_of(slot: u32) -> CardId {
    CardId::from(slot) * 10 + 7
}

/// A log of answers to `cards` cards, as (slot, time, grade) in file order.
fn log_of(cards: u32, file: &[(u32, i64, u8)]) -> ByCard {
    let mut log = LogBuilder::with_capacity(cards as usize, file.len());
    for &(slot, at, grade) in file {
        log.push(slot, &answer(at, 0, UTC_DAY, grade, false))
            .unwrap();
    }
    assert_eq!(log.len(), file.len());
    log.by_card((0..cards).map(id_of).collect())
}

/// The groups of `log` as (card, [(time, grade)]).
fn grouped(log: &ByCard) -> Vec<(CardId, Vec<(i64, u8)>)> {
    log.groups()
        .map(|(card, answers)| {
            let answers = answers.iter().map(|a| a.answer());
            let answers = answers.map(|a| (a.reviewed_at_ms, a.grade.value()));
            (card, answers.collect())
        })
        .collect()
}

#[test]
fn answers_are_grouped_by_card_in_time_order_and_ties_keep_the_files_order() {
    // Ten cards, three of them answered: slots 5, 2 and 9.
    let log = log_of(
        10,
        &[
            (5, AT + 2, 1),
            (2, AT + 1, 2),
            (5, AT, 3),
            (2, AT + 1, 4),
            (9, AT, 5),
            (5, AT + 2, 0),
            (2, AT, 1),
        ],
    );
    let expected = vec![
        (id_of(2), vec![(AT, 1), (AT + 1, 2), (AT + 1, 4)]),
        (id_of(5), vec![(AT, 3), (AT + 2, 1), (AT + 2, 0)]),
        (id_of(9), vec![(AT, 5)]),
    ];
    assert_eq!((log.len(), log.cards()), (7, 3));
    assert_eq!(grouped(&log), expected);
}

#[test]
fn a_long_shuffled_log_is_grouped_like_a_stable_sort_would() {
    // Answers to 50 cards in an order that scatters each card's, with
    // many answers in one millisecond (grades tell those apart).
    let file: Vec<(u32, i64, u8)> = (0..5_000u32)
        .map(|i| ((i * 37) % 50, AT + i64::from(i * 13 % 11), (i % 6) as u8))
        .collect();
    let mut sorted = file.clone();
    sorted.sort_by_key(|&(slot, at, _)| (slot, at));
    let log = log_of(50, &file);
    assert_eq!((log.len(), log.cards()), (5_000, 50));
    let flat: Vec<(CardId, i64, u8)> = grouped(&log)
        .into_iter()
        .flat_map(|(card, answers)| answers.into_iter().map(move |(at, g)| (card, at, g)))
        .collect();
    let expected: Vec<(CardId, i64, u8)> = sorted
        .into_iter()
        .map(|(slot, at, g)| (id_of(slot), at, g))
        .collect();
    assert_eq!(flat, expected);
}

#[test]
fn an_empty_log_has_no_groups() {
    let log = log_of(3, &[]);
    assert!(log.is_empty());
    assert_eq!(log.groups().count(), 0);
}
