//! The review log as FSRS's training and test data, and the measures that
//! compare SM-2 and FSRS on it. Pure: the logs come in, numbers go out.
//!
//! Items are built as Anki builds them for its optimizer (rslib
//! `scheduler/fsrs/params.rs`, `reviews_for_fsrs`): a card's answers in
//! time order, cram answers left out (they never schedule), each rated 1–4
//! with `rating`, `delta_t` the study days since the answer before (0 on
//! the same day); one item per answer after the first that comes on a
//! later day, holding the card's answers up to it. Items are ordered by
//! the time of that answer, with the card id of each beside it.
//!
//! Measures, as the open-spaced-repetition benchmark (srs-benchmark)
//! computes them, the same for every model so the numbers compare:
//! - log loss: the mean of −(y·ln p + (1−y)·ln(1−p)) over the items, y = 1
//!   when the item's last answer passed (grade 3–5), p clamped to
//!   [1e-4, 1 − 1e-4];
//! - RMSE (bins): items grouped by the benchmark's bins of elapsed days,
//!   number of long-term reviews and lapses; the root of the mean squared
//!   difference between mean p and mean y per bin, weighted by the bin's
//!   size.
//!
//! SM-2's prediction, as srs-benchmark defines it for SM-2: R = 0.9^(t/I),
//! t the days elapsed and I the interval SM-2 had scheduled (SM-2 aims each
//! review at the day recall falls to 90%). I comes from replaying the
//! card's log through SM-2, whatever scheduled the card at the time.

use std::collections::HashMap;

use fsrs::{FSRSItem, FSRSReview};

use super::card::CardId;
use super::fsrs::{Fsrs, rating};
use super::log::{LoggedAnswer, replay};
use super::sm2::Sm2;

/// The training data of all cards: items, their card ids, and how many
/// answers they rest on (those of the cards that gave an item).
#[derive(Debug, Clone, Default)]
pub struct Items {
    pub items: Vec<FSRSItem>,
    pub card_ids: Vec<i64>,
    /// For each item, SM-2's scheduled interval before its last answer.
    pub sm2_intervals: Vec<u32>,
    pub reviews: usize,
}

/// `histories`: each card's log in time order.
pub fn items(histories: &[(CardId, Vec<LoggedAnswer>)]) -> Items {
    let mut found: Vec<(i64, i64, FSRSItem, u32)> = Vec::new();
    let mut reviews = 0;
    for (card, log) in histories {
        let answers: Vec<&LoggedAnswer> = log.iter().filter(|a| !a.cram).collect();
        let sm2 = replay(&Sm2, log);
        let sm2_before: Vec<u32> = log
            .iter()
            .zip(&sm2)
            .filter(|(a, _)| !a.cram)
            .map(|(_, step)| step.before.interval)
            .collect();
        let mut so_far: Vec<FSRSReview> = Vec::with_capacity(answers.len());
        let before = found.len();
        for (i, a) in answers.iter().enumerate() {
            let delta_t = match i {
                0 => 0,
                _ => u32::try_from(a.day.0 - answers[i - 1].day.0).unwrap_or(0),
            };
            so_far.push(FSRSReview {
                rating: rating(a.grade),
                delta_t,
            });
            if i >= 1 && delta_t > 0 {
                let item = FSRSItem {
                    reviews: so_far.clone(),
                };
                found.push((a.reviewed_at_ms, *card, item, sm2_before[i].max(1)));
            }
        }
        if found.len() > before {
            reviews += answers.len();
        }
    }
    found.sort_by_key(|(at, card, _, _)| (*at, *card));
    let mut out = Items {
        reviews,
        ..Items::default()
    };
    for (_, card, item, interval) in found {
        out.items.push(item);
        out.card_ids.push(card);
        out.sm2_intervals.push(interval);
    }
    out
}

/// How well one model predicted the items.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub log_loss: f64,
    pub rmse_bins: f64,
}

/// Whether an item's last answer passed (FSRS rating Hard or better).
fn recalled(item: &FSRSItem) -> bool {
    item.reviews.last().is_some_and(|r| r.rating > 1)
}

/// The benchmark's bin of an item: elapsed days, long-term reviews, lapses.
fn bin(item: &FSRSItem) -> (i64, i64, i64) {
    let Some((last, history)) = item.reviews.split_last() else {
        return (0, 0, 0);
    };
    let round_log = |x: f64, scale: f64, base: f64, digits: f64| {
        let v = scale * base.powf((x.ln() / base.ln()).floor());
        (v * digits).round() as i64
    };
    let delta = round_log(f64::from(last.delta_t), 2.48, 3.62, 100.0);
    let length = history.iter().filter(|r| r.delta_t > 0).count() as f64 + 1.0;
    let length = round_log(length, 1.99, 1.89, 1.0);
    let lapses = history
        .iter()
        .filter(|r| r.rating == 1 && r.delta_t > 0)
        .count();
    let lapses = match lapses {
        0 => 0,
        n => round_log(n as f64, 1.65, 1.73, 1.0),
    };
    (delta, length, lapses)
}

/// Log loss and binned RMSE of the predictions `p` (one per item).
pub fn fit(items: &[FSRSItem], p: &[f64]) -> Fit {
    let mut loss = 0.0;
    let mut bins: HashMap<(i64, i64, i64), (f64, f64, f64)> = HashMap::new();
    for (item, &p) in items.iter().zip(p) {
        let y = if recalled(item) { 1.0 } else { 0.0 };
        let q = p.clamp(1e-4, 1.0 - 1e-4);
        loss -= y * q.ln() + (1.0 - y) * (1.0 - q).ln();
        let b = bins.entry(bin(item)).or_default();
        b.0 += p;
        b.1 += y;
        b.2 += 1.0;
    }
    let n = items.len().max(1) as f64;
    // Summed in a fixed order, so the same input gives the same last digit.
    let mut sums: Vec<_> = bins.into_iter().collect();
    sums.sort_by_key(|(k, _)| *k);
    let squared: f64 = sums
        .iter()
        .map(|(_, (p, y, c))| (p / c - y / c).powi(2) * c)
        .sum();
    Fit {
        log_loss: loss / n,
        rmse_bins: (squared / n).sqrt(),
    }
}

/// SM-2's recall probability for each item: 0.9^(t/I).
pub fn sm2_predictions(items: &Items) -> Vec<f64> {
    items
        .items
        .iter()
        .zip(&items.sm2_intervals)
        .map(|(item, &interval)| {
            let t = item.reviews.last().map_or(0, |r| r.delta_t);
            0.9f64.powf(f64::from(t) / f64::from(interval.max(1)))
        })
        .collect()
}

/// FSRS's recall probability for each item: the crate's memory state
/// after the answers before the last, and its forgetting curve.
pub fn fsrs_predictions(fsrs: &Fsrs, items: &[FSRSItem]) -> Vec<f64> {
    items
        .iter()
        .map(|item| f64::from(fsrs.predict(item)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::log::answer_on as at;

    #[test]
    fn items_are_built_as_anki_builds_them() {
        let mut cram = at(3, 0);
        cram.cram = true;
        let log = vec![at(0, 4), at(0, 2), at(1, 5), cram, at(7, 1)];
        let built = items(&[(9, log)]);
        let shapes: Vec<Vec<(u32, u32)>> = built
            .items
            .iter()
            .map(|i| i.reviews.iter().map(|r| (r.rating, r.delta_t)).collect())
            .collect();
        assert_eq!(
            shapes,
            vec![
                vec![(3, 0), (1, 0), (4, 1)],
                vec![(3, 0), (1, 0), (4, 1), (1, 6)]
            ]
        );
        assert_eq!(built.card_ids, vec![9, 9]);
        assert_eq!(built.reviews, 4);
        // SM-2 after grades 4 (then a re-drill) had I = 1; after 5, I = 6.
        assert_eq!(built.sm2_intervals, vec![1, 6]);
    }

    #[test]
    fn a_card_with_one_day_of_answers_gives_no_item() {
        let built = items(&[(1, vec![at(0, 4), at(0, 5)])]);
        assert!(built.items.is_empty());
        assert_eq!(built.reviews, 0);
    }

    #[test]
    fn measures_are_the_benchmarks() {
        let item = |rating, delta_t| FSRSItem {
            reviews: vec![
                FSRSReview {
                    rating: 3,
                    delta_t: 0,
                },
                FSRSReview { rating, delta_t },
            ],
        };
        // Two items in one bin: mean p 0.7, mean y 0.5.
        let items = [item(3, 1), item(1, 1)];
        let f = fit(&items, &[0.8, 0.6]);
        let expected_loss = -(0.8f64.ln() + 0.4f64.ln()) / 2.0;
        assert!((f.log_loss - expected_loss).abs() < 1e-12);
        assert!((f.rmse_bins - 0.2).abs() < 1e-12);
        // In different bins (1 and 5 days): each bin's own error.
        let f = fit(&[item(3, 1), item(1, 5)], &[0.8, 0.6]);
        assert!((f.rmse_bins - ((0.04 + 0.36) / 2.0f64).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn sm2_predicts_ninety_percent_on_the_scheduled_day() {
        let built = items(&[(1, vec![at(0, 5), at(1, 5), at(7, 5), at(31, 5)])]);
        let p = sm2_predictions(&built);
        assert!((p[0] - 0.9).abs() < 1e-12);
        assert!((p[1] - 0.9).abs() < 1e-12);
        // Answered 24 days after I = 17: later than scheduled, lower.
        assert!((p[2] - 0.9f64.powf(24.0 / 17.0)).abs() < 1e-12);
    }
}
