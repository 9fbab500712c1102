//! `recall export progress` and `recall export reviews`: card states and the
//! review log as CSV or JSON, to stdout or written whole to a file.

use std::borrow::Cow;
use std::io::Write;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::Serialize;

use super::{Context, Output};
use crate::cli::{ExportProgressArgs, ExportReviewsArgs, OutputArgs};
use crate::domain::Day;
use crate::domain::Scope;
use crate::error::Result;
use crate::formats::records::{REVIEW_COLUMNS, RecordWriter, ReviewRecord, TableFormat};
use crate::storage::Store;

pub const PROGRESS_COLUMNS: [&str; 8] = [
    "deck",
    "id",
    "repetitions",
    "efactor",
    "interval_days",
    "due",
    "lapses",
    "last_review",
];

#[derive(Serialize)]
struct ProgressRecord<'a> {
    deck: Cow<'a, str>,
    id: Cow<'a, str>,
    repetitions: u32,
    efactor: f64,
    interval_days: u32,
    due: Option<Day>,
    lapses: u32,
    last_review: Option<String>,
}

/// Unix ms at a UTC offset, as RFC 3339 (milliseconds only when there are any).
pub fn rfc3339(ms: i64, offset_secs: i32) -> String {
    let utc = DateTime::from_timestamp_millis(ms).unwrap_or_default();
    match FixedOffset::east_opt(offset_secs) {
        Some(offset) => utc
            .with_timezone(&offset)
            .to_rfc3339_opts(SecondsFormat::AutoSi, false),
        None => utc.to_rfc3339_opts(SecondsFormat::AutoSi, false),
    }
}

pub fn write_progress(
    store: &Store,
    scope: &Scope,
    format: TableFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let mut writer = RecordWriter::new(format, out, &PROGRESS_COLUMNS)?;
    store.each_progress(scope, |row| {
        let s = row.schedule;
        writer.write(&ProgressRecord {
            deck: Cow::Borrowed(&row.deck),
            id: Cow::Borrowed(&row.key),
            repetitions: s.repetitions,
            efactor: s.efactor.as_f64(),
            interval_days: s.interval,
            due: s.due,
            lapses: s.lapses,
            last_review: row.last_review.map(|(ms, off)| rfc3339(ms, off)),
        })
    })?;
    writer.finish()?;
    Ok(())
}

pub fn write_reviews(
    store: &Store,
    scope: &Scope,
    since: Option<Day>,
    format: TableFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let mut writer = RecordWriter::new(format, out, &REVIEW_COLUMNS)?;
    store.each_review(scope, since, |row| {
        writer.write(&ReviewRecord {
            deck: Cow::Borrowed(&row.deck),
            card: Cow::Borrowed(&row.key),
            reviewed_at: Cow::Owned(rfc3339(row.reviewed_at_ms, row.utc_offset_secs)),
            grade: i64::from(row.grade),
            kind: Some(Cow::Borrowed(row.kind.as_str())),
            duration_ms: Some(row.duration_ms),
        })
    })?;
    writer.finish()?;
    Ok(())
}

/// Runs `write` against the export target of `args`, and completes it.
/// (Text is written as stored: `Output` escapes it only on a terminal.)
pub fn to_output(
    ctx: &Context,
    args: &OutputArgs,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let mut out = Output::open(args.output.as_deref(), args.force, &[ctx.store.path()])?;
    write(&mut out)?;
    out.finish()
}

/// `recall export progress`.
pub fn progress(ctx: &Context, args: &ExportProgressArgs) -> Result<()> {
    let scope = deck_scope(&args.deck);
    to_output(ctx, &args.output, |out| {
        write_progress(&ctx.store, &scope, args.format, out)
    })
}

/// `recall export reviews`.
pub fn reviews(ctx: &Context, args: &ExportReviewsArgs) -> Result<()> {
    let scope = deck_scope(&args.deck);
    let since = args.since.map(Day::from_date);
    to_output(ctx, &args.output, |out| {
        write_reviews(&ctx.store, &scope, since, args.format, out)
    })
}

fn deck_scope(deck: &Option<String>) -> Scope {
    Scope {
        deck: deck.clone(),
        tag: None,
    }
}
