//! `recall stats`: the statistics report as text, JSON or one CSV table.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use super::export_progress::{to_output, write_progress, write_reviews};
use super::{columns, pad, print_json};
use crate::cli::{StatsArgs, StatsFormat, StatsTable};
use crate::domain::plural::plural;
use crate::domain::stats::{Bucket, Stats, percent};
use crate::domain::text::escape_line;
use crate::domain::{SchedulerKind, Scope};
use crate::error::Result;
use crate::formats::records::{RecordWriter, TableFormat};
use crate::workflows::Context;
use crate::workflows::stats::{compute, scope_label};

#[derive(Serialize)]
struct StatsJson<'a> {
    #[serde(flatten)]
    stats: &'a Stats,
    scope: &'a ScopeJson<'a>,
}

#[derive(Serialize)]
struct ScopeJson<'a> {
    deck: Option<&'a str>,
    tag: Option<&'a str>,
}

const DAILY_COLUMNS: [&str; 5] = ["date", "reviews", "redrills", "cram", "seconds"];
const DECK_COLUMNS: [&str; 10] = [
    "name",
    "cards",
    "new",
    "learning",
    "mature",
    "suspended",
    "buried",
    "mature_share",
    "due_today",
    "retention",
];

pub fn run(ctx: &Context, args: &StatsArgs) -> Result<()> {
    let scope = args.scope.scope();
    to_output(ctx, &args.output, |out| {
        write(ctx, &scope, args.days, args.format, args.table, out)
    })
}

fn write(
    ctx: &Context,
    scope: &Scope,
    days: u32,
    format: StatsFormat,
    table: StatsTable,
    out: &mut dyn Write,
) -> Result<()> {
    match (format, table) {
        (StatsFormat::Csv, StatsTable::Cards) => {
            write_progress(&ctx.store, scope, TableFormat::Csv, out)?
        }
        (StatsFormat::Csv, StatsTable::Reviews) => {
            let since = ctx.clock.today().window_start(days);
            write_reviews(&ctx.store, scope, Some(since), TableFormat::Csv, out)?
        }
        (StatsFormat::Csv, table) => {
            let stats = compute(ctx, scope, days)?;
            if table == StatsTable::Daily {
                write_csv(out, &DAILY_COLUMNS, &stats.reviews_by_day)?
            } else {
                write_csv(out, &DECK_COLUMNS, &stats.decks)?
            }
        }
        (StatsFormat::Json, _) => {
            let stats = compute(ctx, scope, days)?;
            let scope_json = ScopeJson {
                deck: scope.deck.as_deref(),
                tag: scope.tag.as_deref(),
            };
            print_json(
                out,
                &StatsJson {
                    stats: &stats,
                    scope: &scope_json,
                },
            )?
        }
        (StatsFormat::Text, _) => {
            let stats = compute(ctx, scope, days)?;
            let schedulers = crate::workflows::scheduling::kinds_by_deck(&ctx.store)?;
            write_text(out, &stats, &scope_label(scope), &schedulers)?
        }
    }
    Ok(())
}

fn write_csv(out: &mut dyn Write, columns: &[&str], rows: &[impl Serialize]) -> Result<()> {
    let mut writer = RecordWriter::new(TableFormat::Csv, out, columns)?;
    for row in rows {
        writer.write(row)?;
    }
    writer.finish()?;
    Ok(())
}

fn buckets<T: std::fmt::Display>(list: &[Bucket<T>], unit: &str) -> String {
    list.iter()
        .map(|b| match &b.below {
            Some(below) => format!("{}–<{below}{unit} {}", b.from, b.cards),
            None => format!("{}{unit}+ {}", b.from, b.cards),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The report as text: the figures line by line, then a table of decks.
fn write_text(
    out: &mut dyn Write,
    s: &Stats,
    label: &str,
    schedulers: &HashMap<String, SchedulerKind>,
) -> Result<()> {
    writeln!(
        out,
        "Statistics for {label}, last {} days (today {})",
        s.days, s.today
    )?;
    write_figures(out, s)?;
    write_distributions(out, s)?;
    write_decks(out, s, schedulers)
}

/// Cards, answers, retention, streak and forecast, a line each.
fn write_figures(out: &mut dyn Write, s: &Stats) -> Result<()> {
    let t = &s.totals;
    let p = &s.period;
    let r = &s.retention;
    let k = &s.streak;
    writeln!(
        out,
        "Cards: {} ({} new, {} learning, {} mature, {} suspended, {} buried)",
        t.cards, t.new, t.learning, t.mature, t.suspended, t.buried
    )?;
    writeln!(
        out,
        "Answers: {}, {}, {} cram; {} s on {}",
        plural(p.reviews, "review"),
        plural(p.redrills, "re-drill"),
        p.cram,
        p.seconds,
        plural(p.days_studied, "day")
    )?;
    writeln!(
        out,
        "Retention: {} overall ({} young, {} mature); today {}, 7 days {}, 30 days {}, 365 days {}",
        percent(r.overall),
        percent(r.young),
        percent(r.mature),
        percent(r.today),
        percent(r.last_7),
        percent(r.last_30),
        percent(r.last_365)
    )?;
    writeln!(
        out,
        "Streak: {} (longest {}); studied {} of the last 7 days, {} of the last 30",
        plural(k.current, "day"),
        k.longest,
        k.days_last_7,
        k.days_last_30
    )?;
    let week: u64 = s.forecast.iter().take(7).map(|f| f.due).sum();
    let month: u64 = s.forecast.iter().map(|f| f.due).sum();
    let tomorrow = s.forecast.get(1).map_or(0, |f| f.due);
    writeln!(
        out,
        "Forecast: {} due today, {tomorrow} tomorrow, {week} in 7 days, {month} in 30 days",
        s.forecast.first().map_or(0, |f| f.due)
    )?;
    Ok(())
}

/// Intervals and e-factors in buckets, and the hardest cards.
fn write_distributions(out: &mut dyn Write, s: &Stats) -> Result<()> {
    writeln!(out, "Intervals: {}", buckets(&s.intervals, " d"))?;
    writeln!(out, "E-factors: {}", buckets(&s.efactors, ""))?;
    if !s.hardest.is_empty() {
        let hard: Vec<String> = s
            .hardest
            .iter()
            .map(|h| {
                format!(
                    "{}/{} ({}, EF {})",
                    escape_line(&h.deck),
                    escape_line(&h.id),
                    plural(h.lapses, "lapse"),
                    h.efactor
                )
            })
            .collect();
        writeln!(out, "Hardest: {}", hard.join(", "))?;
    }
    Ok(())
}

/// A line per deck under a heading, the names padded to the longest, with
/// the algorithm that schedules it.
fn write_decks(
    out: &mut dyn Write,
    s: &Stats,
    schedulers: &HashMap<String, SchedulerKind>,
) -> Result<()> {
    let width = s
        .decks
        .iter()
        .map(|d| columns(&escape_line(&d.name)))
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "\n{}  cards  mature  due  retention  scheduler",
        pad("deck", width)
    )?;
    for d in &s.decks {
        writeln!(
            out,
            "{}  {:>5}  {:>6}  {:>3}  {:>9}  {}",
            pad(&escape_line(&d.name), width),
            d.cards,
            percent(d.mature_share),
            d.due_today,
            percent(d.retention),
            schedulers.get(&d.name).copied().unwrap_or_default()
        )?;
    }
    Ok(())
}
