//! `recall scheduler`: each deck's algorithm, and switching it.

use std::io::Write;

use serde::Serialize;

use super::{Context, pad, print_json};
use crate::cli::{SchedulerArgs, SchedulerCommand, SetSchedulerArgs};
use crate::domain::SchedulerKind;
use crate::domain::text::escape_line;
use crate::error::{Error, Result};
use crate::storage::FittedParams;
use crate::workflows::scheduling::{self, DeckChoice, MemoryView};

/// What `next --json` and `answer --json` say of a card's scheduler.
#[derive(Serialize)]
pub struct MemoryJson {
    pub stability: f32,
    pub difficulty: f32,
    pub retrievability: Option<f32>,
}

impl From<MemoryView> for MemoryJson {
    fn from(m: MemoryView) -> Self {
        MemoryJson {
            stability: m.stability,
            difficulty: m.difficulty,
            retrievability: m.retrievability,
        }
    }
}

#[derive(Serialize)]
struct ChoiceJson<'a> {
    deck: &'a str,
    scheduler: &'static str,
    /// Set for the deck itself (else the config file's default).
    own_setting: bool,
    desired_retention: f32,
    /// "deck", "global" or "default" (the crate's).
    params_from: &'static str,
    params: &'a [f32],
    #[serde(skip_serializing_if = "Option::is_none")]
    fitted_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fitted_reviews: Option<u32>,
}

pub fn run(ctx: &mut Context, args: &SchedulerArgs, out: &mut dyn Write) -> Result<()> {
    match &args.what {
        None | Some(SchedulerCommand::Show) => show(ctx, args.json, out),
        Some(SchedulerCommand::Set(set)) => switch(ctx, set, out),
    }
}

fn show(ctx: &Context, json: bool, out: &mut dyn Write) -> Result<()> {
    let choices = scheduling::choices(&ctx.store)?;
    let mut rows = Vec::new();
    for c in &choices {
        let fitted = match c.params_from {
            "deck" => ctx.store.fitted_params(Some(c.setting.deck))?,
            "global" => ctx.store.fitted_params(None)?,
            _ => None,
        };
        rows.push((c, fitted));
    }
    if json {
        return print_json(
            out,
            &rows
                .iter()
                .map(|(c, f)| choice_json(c, f.as_ref()))
                .collect::<Vec<_>>(),
        );
    }
    print_table(out, &rows)
}

fn choice_json<'c>(c: &'c DeckChoice, fitted: Option<&FittedParams>) -> ChoiceJson<'c> {
    ChoiceJson {
        deck: &c.setting.name,
        scheduler: c.kind.as_str(),
        own_setting: c.setting.scheduler.is_some(),
        desired_retention: c.retention,
        params_from: c.params_from,
        params: c.fsrs.params(),
        fitted_on: fitted.map(|f| f.fitted_on.to_string()),
        fitted_reviews: fitted.map(|f| f.reviews),
    }
}

/// Each deck's algorithm, retention and parameters, one line a deck.
fn print_table(out: &mut dyn Write, rows: &[(&DeckChoice, Option<FittedParams>)]) -> Result<()> {
    let width = rows
        .iter()
        .map(|(c, _)| super::columns(&escape_line(&c.setting.name)))
        .chain([4])
        .max()
        .unwrap_or(4);
    writeln!(
        out,
        "{}  algorithm       retention  FSRS parameters",
        pad("deck", width)
    )?;
    for (c, fitted) in rows {
        let algorithm = match c.setting.scheduler {
            Some(k) => k.to_string(),
            None => format!("{} (config)", c.kind),
        };
        let params = match fitted {
            Some(f) => format!(
                "fitted {} on {} reviews ({})",
                f.fitted_on,
                f.reviews,
                if c.params_from == "deck" {
                    "this deck"
                } else {
                    "all decks"
                }
            ),
            None => "the crate's defaults".to_string(),
        };
        writeln!(
            out,
            "{}  {}  {:<9}  {params}",
            pad(&escape_line(&c.setting.name), width),
            pad(&algorithm, 14),
            format!("{:.2}", c.retention),
        )?;
    }
    Ok(())
}

fn switch(ctx: &mut Context, args: &SetSchedulerArgs, out: &mut dyn Write) -> Result<()> {
    let kind: SchedulerKind = args.algorithm.parse().map_err(Error::invalid)?;
    let (choice, cards) = scheduling::set(&mut ctx.store, &args.deck, kind, args.retention)?;
    describe(out, &choice, cards)
}

fn describe(out: &mut dyn Write, c: &DeckChoice, cards: usize) -> Result<()> {
    let how = match c.kind {
        SchedulerKind::Sm2 => "SM-2".to_string(),
        SchedulerKind::Fsrs => format!(
            "FSRS (desired retention {:.2}, {} parameters)",
            c.retention,
            match c.params_from {
                "deck" => "the deck's fitted",
                "global" => "the fitted",
                _ => "the default",
            }
        ),
    };
    writeln!(
        out,
        "Deck {} is now scheduled by {how}: {} replayed from the review log.",
        escape_line(&c.setting.name),
        crate::domain::plural::plural(cards as u32, "card")
    )?;
    Ok(())
}
