//! `recall cards [QUERY]`: the cards a search finds, as a table or JSON.

use std::io::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

use super::{Context, columns, pad, pad_left, print_json};
use crate::cli::CardsArgs;
use crate::domain::Day;
use crate::domain::query::parse;
use crate::domain::text::escape_line;
use crate::error::{Error, Result};
use crate::storage::{CardRow, Page};

/// How many columns of the front a table row shows.
const FRONT_COLUMNS: usize = 40;

#[derive(Serialize)]
struct CardJson<'a> {
    /// The number `recall answer`, `recall log` and the card commands take.
    id: i64,
    deck: &'a str,
    card_id: &'a str,
    front: &'a str,
    due: Option<Day>,
    interval_days: u32,
    efactor: f64,
    lapses: u32,
    repetitions: u32,
    state: &'static str,
}

#[derive(Serialize)]
struct CardsJson<'a> {
    cards: Vec<CardJson<'a>>,
    /// More cards match than were listed (see --limit and --offset).
    more: bool,
}

/// From this many cards whose text is not indexed yet, a search says on
/// stderr that it indexes them first: about 25 µs a card, so a second at
/// 40 000 cards and 14 s at a million, once, after a large import.
const INDEXING_NOTICE_FROM: u64 = 40_000;

/// Why the first search after a large import takes a while, when it does.
fn indexing_notice(cards: u64) -> Option<String> {
    (cards >= INDEXING_NOTICE_FROM).then(|| {
        format!(
            "recall: indexing the text of {} for search (once, after a large import)…",
            crate::domain::plural::plural(cards, "card")
        )
    })
}

fn say_indexing(cards: u64) -> Result<()> {
    if let Some(notice) = indexing_notice(cards) {
        writeln!(crate::terminal::Screen::stderr(), "{notice}")?;
    }
    Ok(())
}

/// Parses the joined query words, naming the query in the error.
pub fn parse_query(text: &str) -> Result<crate::domain::query::Query> {
    parse(text).map_err(|e| Error::invalid(format!("in the query {text:?} at {e}")))
}

pub fn run(ctx: &Context, args: &CardsArgs, out: &mut dyn Write) -> Result<()> {
    let (json, limit, offset) = (args.json, args.limit, args.offset);
    let text = args.query.join(" ");
    let query = parse_query(&text)?;
    let today = ctx.clock.today();
    let limit = if limit == 0 { u32::MAX - 1 } else { limit };
    say_indexing(ctx.store.text_to_index(&query)?)?;
    let page = ctx.store.search_page(&query, today, offset, limit)?;
    if json {
        let cards = page.rows.iter().map(card_json).collect();
        return print_json(
            out,
            &CardsJson {
                cards,
                more: page.more,
            },
        );
    }
    if page.rows.is_empty() {
        match text.trim() {
            "" => writeln!(out, "No cards yet. Add some with `recall import FILE`.")?,
            _ => writeln!(out, "No card matches {}.", escape_line(&text))?,
        }
        return Ok(());
    }
    table(&page, out)?;
    let shown = page.rows.len();
    if page.more {
        let total = ctx.store.search_count(&query, today)?;
        writeln!(
            out,
            "\nCards {}-{} of {total}; --offset {} shows the next, --limit 0 all.",
            offset + 1,
            u64::from(offset) + shown as u64,
            u64::from(offset) + shown as u64,
        )?;
    } else {
        writeln!(
            out,
            "\n{shown} {}.",
            if shown == 1 { "card" } else { "cards" }
        )?;
    }
    Ok(())
}

fn card_json(r: &CardRow) -> CardJson<'_> {
    CardJson {
        id: r.id,
        deck: &r.deck,
        card_id: &r.key,
        front: &r.front,
        due: r.due,
        interval_days: r.interval,
        efactor: r.efactor.as_f64(),
        lapses: r.lapses,
        repetitions: r.repetitions,
        state: r.status.as_str(),
    }
}

fn table(page: &Page, out: &mut dyn Write) -> Result<()> {
    let rows: Vec<[String; 9]> = page
        .rows
        .iter()
        .map(|r| {
            let [due, interval, ease, lapses, state] = r.schedule_columns("-");
            [
                escape_line(&r.deck).into_owned(),
                r.id.to_string(),
                escape_line(&r.key).into_owned(),
                one_line(&r.front, FRONT_COLUMNS),
                due,
                interval,
                ease,
                lapses,
                state,
            ]
        })
        .collect();
    let head = [
        "DECK", "NO", "ID", "FRONT", "DUE", "IVL", "EASE", "LAPSES", "STATE",
    ];
    let mut widths = head.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(columns(cell));
        }
    }
    let line = |cells: &[&str]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (c, w))| match i {
                1 | 5 | 6 | 7 => pad_left(c, w),
                _ => pad(c, w),
            })
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(&head))?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    Ok(())
}

/// The text on one line (newlines as spaces, controls escaped), cut to
/// `max` columns with an ellipsis.
fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = escape_line(&flat).into_owned();
    if columns(&flat) <= max {
        return flat;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in flat.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_front_is_one_line_cut_at_its_columns() {
        assert_eq!(one_line("What is\nMulti-AZ?", 40), "What is Multi-AZ?");
        assert_eq!(one_line("abcdefghij", 5), "abcd…");
        assert_eq!(columns(&one_line("東京東京東京", 5)), 5);
        assert_eq!(one_line("a\u{1b}[2Jb", 40), "a\\x1b[2Jb");
    }

    #[test]
    fn a_large_backlog_of_text_is_announced_a_small_one_is_not() {
        assert_eq!(indexing_notice(INDEXING_NOTICE_FROM - 1), None);
        assert_eq!(
            indexing_notice(100_000).as_deref(),
            Some(
                "recall: indexing the text of 100000 cards for search \
                 (once, after a large import)…"
            )
        );
    }
}
