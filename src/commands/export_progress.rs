//! `recall export progress` and `recall export reviews`: card states and the
//! review log as CSV or JSON, to stdout or written whole to a file.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::Serialize;

use super::{Context, Output};
use crate::cli::{ExportFormat, OutputArgs};
use crate::domain::Day;
use crate::domain::text::escape_controls;
use crate::error::Result;
use crate::formats::records::{Format, REVIEW_COLUMNS, RecordWriter, ReviewRecord};
use crate::storage::{Scope, Store};

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

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Json => Format::Json,
        }
    }
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

/// Card text that goes to a terminal is escaped; to a file or a pipe it is
/// written as it is, so that the export reads back exactly.
pub struct TextPolicy {
    escape: bool,
}

impl TextPolicy {
    pub fn for_output(args: &OutputArgs) -> TextPolicy {
        TextPolicy {
            escape: args.output.is_none() && std::io::stdout().is_terminal(),
        }
    }

    fn apply<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.escape {
            escape_controls(text)
        } else {
            Cow::Borrowed(text)
        }
    }
}

pub fn write_progress(
    store: &Store,
    scope: &Scope,
    format: Format,
    text: &TextPolicy,
    out: &mut dyn Write,
) -> Result<()> {
    let mut writer = RecordWriter::new(format, out, &PROGRESS_COLUMNS)?;
    store.each_progress(scope, |row| {
        let s = row.schedule;
        writer.write(&ProgressRecord {
            deck: text.apply(&row.deck),
            id: text.apply(&row.key),
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
    format: Format,
    text: &TextPolicy,
    out: &mut dyn Write,
) -> Result<()> {
    let mut writer = RecordWriter::new(format, out, &REVIEW_COLUMNS)?;
    store.each_review(scope, since, |row| {
        writer.write(&ReviewRecord {
            deck: text.apply(&row.deck),
            card: text.apply(&row.key),
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
pub fn to_output(
    ctx: &Context,
    args: &OutputArgs,
    write: impl FnOnce(&mut dyn Write, &TextPolicy) -> Result<()>,
) -> Result<()> {
    let mut out = Output::open(args.output.as_deref(), args.force, &[ctx.store.path()])?;
    write(&mut out, &TextPolicy::for_output(args))?;
    out.finish()
}

pub fn progress(
    ctx: &Context,
    format: ExportFormat,
    deck: Option<String>,
    output: &OutputArgs,
) -> Result<()> {
    let scope = Scope { deck, tag: None };
    to_output(ctx, output, |out, text| {
        write_progress(&ctx.store, &scope, format.into(), text, out)
    })
}

pub fn reviews(
    ctx: &Context,
    format: ExportFormat,
    since: Option<chrono::NaiveDate>,
    deck: Option<String>,
    output: &OutputArgs,
) -> Result<()> {
    let scope = Scope { deck, tag: None };
    let since = since.map(Day::from_date);
    to_output(ctx, output, |out, text| {
        write_reviews(&ctx.store, &scope, since, format.into(), text, out)
    })
}
