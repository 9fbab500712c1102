//! `recall log CARD`: a card's whole review history.

use std::io::Write;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::{Context, print_json};
use crate::cli::LogArgs;
use crate::domain::text::escape_line;
use crate::domain::{Day, Schedule};
use crate::error::Result;
use crate::storage::{CardRow, HistoryRow};
use crate::workflows::study;

#[derive(Serialize)]
struct StateJson {
    repetitions: u32,
    efactor: f64,
    interval_days: u32,
    due: Option<Day>,
    lapses: u32,
}

impl From<&Schedule> for StateJson {
    fn from(s: &Schedule) -> Self {
        StateJson {
            repetitions: s.repetitions,
            efactor: s.efactor.as_f64(),
            interval_days: s.interval,
            due: s.due,
            lapses: s.lapses,
        }
    }
}

#[derive(Serialize)]
struct ReviewJson {
    /// RFC 3339, in the offset the answer was given at.
    reviewed_at: String,
    day: Day,
    grade: u8,
    kind: &'static str,
    duration_ms: u32,
    /// Brought in from Anki's review log.
    imported: bool,
    before: StateJson,
    after: StateJson,
}

#[derive(Serialize)]
struct CardJson<'a> {
    id: i64,
    deck: &'a str,
    card_id: &'a str,
    front: &'a str,
    state: &'static str,
    due: Option<Day>,
    interval_days: u32,
    efactor: f64,
    lapses: u32,
}

#[derive(Serialize)]
struct LogJson<'a> {
    card: CardJson<'a>,
    reviews: Vec<ReviewJson>,
}

fn answered_at(r: &HistoryRow) -> Option<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(r.utc_offset_secs)?;
    Some(DateTime::from_timestamp_millis(r.reviewed_at_ms)?.with_timezone(&offset))
}

pub fn run(ctx: &Context, args: &LogArgs, out: &mut dyn Write) -> Result<()> {
    let id = study::find_card(&ctx.store, &args.card)?;
    let Some(card) = ctx.store.card_row(id, ctx.clock.today())? else {
        return Err(crate::error::Error::invalid(format!(
            "no card with number {id}"
        )));
    };
    let history = ctx.store.card_history(id)?;
    if args.json {
        return print_json(out, &log_json(&card, &history));
    }
    print_text(&card, &history, out)
}

fn log_json<'a>(card: &'a CardRow, history: &[HistoryRow]) -> LogJson<'a> {
    let reviews = history
        .iter()
        .map(|r| ReviewJson {
            reviewed_at: answered_at(r).map(|t| t.to_rfc3339()).unwrap_or_default(),
            day: r.day,
            grade: r.grade,
            kind: r.kind.as_str(),
            duration_ms: r.duration_ms,
            imported: r.imported,
            before: (&r.before).into(),
            after: (&r.after).into(),
        })
        .collect();
    let card = CardJson {
        id: card.id,
        deck: &card.deck,
        card_id: &card.key,
        front: &card.front,
        state: card.status.as_str(),
        due: card.due,
        interval_days: card.interval,
        efactor: card.efactor.as_f64(),
        lapses: card.lapses,
    };
    LogJson { card, reviews }
}

fn print_text(card: &CardRow, history: &[HistoryRow], out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "card {} · {} / {} · {}{}",
        card.id,
        escape_line(&card.deck),
        escape_line(&card.key),
        card.status.as_str(),
        card.due.map(|d| format!(" · due {d}")).unwrap_or_default()
    )?;
    if history.is_empty() {
        writeln!(out, "\nNo answers yet.")?;
        return Ok(());
    }
    writeln!(
        out,
        "\n{:<16}  {:>5}  {:<9}  {:>19}  {:>13}  {:>7}",
        "ANSWERED", "GRADE", "KIND", "INTERVAL", "EF", "TIME"
    )?;
    for r in history {
        let when = answered_at(r).map_or("?".into(), |t| t.format("%Y-%m-%d %H:%M").to_string());
        let kind = if r.imported {
            "imported"
        } else {
            r.kind.as_str()
        };
        writeln!(
            out,
            "{when:<16}  {:>5}  {kind:<9}  {:>19}  {:>13}  {:>7}",
            r.grade,
            format!("{} → {}", days(r.before.interval), days(r.after.interval)),
            format!("{} → {}", r.before.efactor, r.after.efactor),
            seconds(r.duration_ms),
        )?;
    }
    let n = history.len();
    writeln!(out, "\n{}.", crate::domain::plural::plural(n, "answer"))?;
    Ok(())
}

fn days(n: u32) -> String {
    crate::domain::plural::plural(n, "day")
}

/// "12.3s"; "-" when no time was logged.
fn seconds(ms: u32) -> String {
    match ms {
        0 => "-".into(),
        ms => format!("{:.1}s", f64::from(ms) / 1000.0),
    }
}
