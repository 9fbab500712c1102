//! `recall import --reviews FILE`: merges a review log into the database and
//! recomputes the states of the cards it touches, in one transaction.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{Context, print_json};
use crate::domain::CardId;
use crate::domain::log::{LoggedAnswer, replay};
use crate::domain::plural::plural;
use crate::domain::text::escape_line;
use crate::error::{Error, Result};
use crate::formats::records::{TableFormat, read_reviews};
use crate::formats::{MAX_FILE_BYTES, input};
use crate::workflows::study;

/// How many unknown cards the report names (all are counted).
const UNKNOWN_LISTED: usize = 20;

/// The longest CSV line a review log may have (its lines are a hundred bytes).
const MAX_LINE_BYTES: u64 = 1 << 20;

#[derive(Serialize)]
struct Report {
    file: String,
    added: u64,
    skipped: u64,
    cards: u64,
    /// Answers of cards this database does not have, and how many such cards.
    unknown: u64,
    unknown_distinct: usize,
    /// The first unknown cards as "deck/card", with their answer counts.
    unknown_cards: Vec<(String, u64)>,
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

pub fn run(ctx: &mut Context, path: &Path, json: bool, out: &mut dyn Write) -> Result<()> {
    let name = path.display().to_string();
    let size = input::regular_file(path, "a review log")?;
    let format = format_of(path, &name)?;
    if size > MAX_FILE_BYTES {
        return Err(Error::File {
            file: name,
            message: format!("{size} bytes is over the limit of {MAX_FILE_BYTES} for a review log"),
        });
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    // One CSV line is one answer: a megabyte of it is no review log.
    let max_line = (format == TableFormat::Csv).then_some(MAX_LINE_BYTES);
    let file = input::Guarded::new(file, MAX_FILE_BYTES, max_line);
    let index = ctx.store.card_index()?;
    let clock = ctx.clock;
    let mut incoming: Vec<(CardId, LoggedAnswer)> = Vec::new();
    let mut unknown: BTreeMap<(String, String), u64> = BTreeMap::new();
    read_reviews(
        &name,
        format,
        std::io::BufReader::new(file),
        |record, parsed| {
            let card = index
                .get(record.deck.as_ref())
                .and_then(|cards| cards.get(record.card.as_ref()));
            match card {
                Some(&card) => incoming.push((
                    card,
                    LoggedAnswer {
                        reviewed_at_ms: parsed.at.timestamp_millis(),
                        utc_offset_secs: parsed.at.offset().local_minus_utc(),
                        day: clock.day_of(parsed.at),
                        grade: parsed.grade,
                        cram: parsed.cram,
                        duration_ms: parsed.duration_ms,
                    },
                )),
                None => {
                    *unknown
                        .entry((record.deck.to_string(), record.card.to_string()))
                        .or_default() += 1;
                }
            }
            Ok(())
        },
    )?;
    drop(index);
    let merged = ctx
        .store
        .merge_reviews(incoming, |log| replay(study::SCHEDULER, log))?;
    let report = Report {
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
    };
    if json {
        return print_json(out, &report);
    }
    writeln!(
        out,
        "{}: {} added, {} already present, {} recomputed, {} of unknown cards skipped",
        escape_line(&report.file),
        plural(report.added, "answer"),
        report.skipped,
        plural(report.cards, "card"),
        plural(report.unknown, "answer")
    )?;
    if !report.unknown_cards.is_empty() {
        let names: Vec<String> = report
            .unknown_cards
            .iter()
            .map(|(card, n)| format!("{} ({n})", escape_line(card)))
            .collect();
        let more = if report.unknown_cards.len() < report.unknown_distinct {
            ", …"
        } else {
            ""
        };
        writeln!(out, "  unknown cards: {}{more}", names.join(", "))?;
    }
    Ok(())
}
