//! Merging a review log (`recall import --reviews FILE`): the file read,
//! its answers matched to this database's cards, merged, and the states of
//! the cards they touch recomputed, in one transaction.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Context, study};
use crate::domain::log::{LoggedAnswer, replay};
use crate::domain::log_packed::{ByCard, LogBuilder};
use crate::error::{Error, Result};
use crate::formats::input;
use crate::formats::records::{TableFormat, read_reviews};

/// How many unknown cards the report names (all are counted).
const UNKNOWN_LISTED: usize = 20;

/// The largest review log. It is read in pieces, never whole (a deck
/// file's 256 MiB bound is for files held in memory): what stays is its
/// answers, 16 bytes each while it is read (12 after) against some 60 of
/// CSV. A million cards' history (8 million answers) is 465 MiB of CSV and
/// some 130 MB of answers; this leaves it room to double.
pub const MAX_LOG_BYTES: u64 = 1 << 30;

/// The longest CSV line a review log may have (its lines are a hundred bytes).
const MAX_LINE_BYTES: u64 = 1 << 20;

/// What a merge did.
#[derive(Debug, serde::Serialize)]
pub struct Merged {
    pub file: String,
    pub added: u64,
    pub skipped: u64,
    pub cards: u64,
    /// Answers of cards this database does not have, and how many such cards.
    pub unknown: u64,
    pub unknown_distinct: usize,
    /// The first unknown cards as "deck/card", with their answer counts.
    pub unknown_cards: Vec<(String, u64)>,
}

/// The answers of a review log, matched to this database's cards.
struct Matched {
    incoming: ByCard,
    /// Answers of cards this database lacks, by (deck, card).
    unknown: BTreeMap<(String, String), u64>,
}

fn format_of(path: &Path, name: &str) -> Result<TableFormat> {
    match path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
    {
        Some(e) if e == "csv" => Ok(TableFormat::Csv),
        Some(e) if e == "json" => Ok(TableFormat::Json),
        _ => Err(Error::File {
            file: name.to_string(),
            message:
                "a review log must be a .csv or .json file (as `recall export reviews` writes)"
                    .into(),
        }),
    }
}

/// Merges the review log at `path` into the database.
pub fn merge_file(ctx: &mut Context, path: &Path) -> Result<Merged> {
    let name = path.display().to_string();
    let matched = read_matched(ctx, path, &name)?;
    if matched.incoming.is_empty() {
        return Err(nothing_to_merge(&name, &matched.unknown));
    }
    let merged = ctx
        .store
        .merge_reviews(matched.incoming, |log| replay(study::SCHEDULER, log))?;
    let unknown = matched.unknown;
    Ok(Merged {
        file: name,
        added: merged.added,
        skipped: merged.skipped,
        cards: merged.cards,
        unknown: unknown.values().sum(),
        unknown_distinct: unknown.len(),
        unknown_cards: unknown
            .into_iter()
            .take(UNKNOWN_LISTED)
            .map(|((deck, card), n)| (format!("{deck}/{card}"), n))
            .collect(),
    })
}

/// How many unknown cards an error for a log of nothing but unknown cards names.
const UNKNOWN_NAMED: usize = 5;

/// A log with no answer, or none for a card of this database: nothing of
/// it can be merged, which is a mistake (another database, another deck's
/// name), not an import of nothing.
fn nothing_to_merge(name: &str, unknown: &BTreeMap<(String, String), u64>) -> Error {
    let answers: u64 = unknown.values().sum();
    let message = if answers == 0 {
        "no answers in it: a review log has a header line, then one answer a line (as `recall \
         export reviews` writes it)"
            .to_string()
    } else {
        let named: Vec<String> = unknown
            .iter()
            .take(UNKNOWN_NAMED)
            .map(|((deck, card), n)| format!("{deck}/{card} ({n})"))
            .collect();
        let more = unknown.len().saturating_sub(UNKNOWN_NAMED);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let which = if answers == 1 {
            "its one answer is not".to_string()
        } else {
            format!("none of its {answers} answers is")
        };
        format!(
            "{which} for a card of this database (cards are matched by deck name and card \
             id): {}{more}; nothing was imported",
            named.join(", ")
        )
    };
    Error::File {
        file: name.to_string(),
        message,
    }
}

/// Reads the log (size and line length bounded), each answer given the
/// card it is for and its study day.
fn read_matched(ctx: &Context, path: &Path, name: &str) -> Result<Matched> {
    let size = input::regular_file(path, "a review log")?;
    let format = format_of(path, name)?;
    if size > MAX_LOG_BYTES {
        return Err(Error::File {
            file: name.to_string(),
            message: format!("{size} bytes is over the limit of {MAX_LOG_BYTES} for a review log"),
        });
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    // One CSV line is one answer: a megabyte of it is no review log.
    let max_line = (format == TableFormat::Csv).then_some(MAX_LINE_BYTES);
    let file = input::Guarded::new(file, MAX_LOG_BYTES, max_line);
    let index = ctx.store.card_index()?;
    let clock = ctx.clock;
    let mut answers = 0;
    // Room for as many answers as the file can hold: a line of the log (a
    // deck, a card, an RFC 3339 time, a grade) is 24 bytes at least.
    let room = usize::try_from(size / 24).unwrap_or(0);
    let mut incoming = LogBuilder::with_capacity(index.len(), room);
    let mut unknown = BTreeMap::new();
    read_reviews(
        name,
        format,
        std::io::BufReader::new(file),
        |record, parsed| {
            // The answer's place in the file, for its error.
            let seq = answers;
            answers += 1;
            match index.slot(&record.deck, &record.card) {
                Some(slot) => {
                    let answer = LoggedAnswer {
                        reviewed_at_ms: parsed.at.timestamp_millis(),
                        utc_offset_secs: parsed.at.offset().local_minus_utc(),
                        day: clock.day_of(parsed.at),
                        grade: parsed.grade,
                        cram: parsed.cram,
                        duration_ms: parsed.duration_ms,
                    };
                    incoming.push(slot, &answer).ok_or_else(|| Error::File {
                        file: name.to_string(),
                        message: format!(
                            "answer {}: its time ({}) is out of the range recall holds",
                            seq + 1,
                            parsed.at.to_rfc3339()
                        ),
                    })?;
                }
                None => {
                    *unknown
                        .entry((record.deck.to_string(), record.card.to_string()))
                        .or_default() += 1;
                }
            }
            Ok(())
        },
    )?;
    Ok(Matched {
        incoming: incoming.by_card(index.into_ids()),
        unknown,
    })
}
