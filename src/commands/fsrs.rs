//! `recall fsrs optimize` and `recall fsrs evaluate`: print what the
//! workflows fitted and measured, with a progress bar on a terminal.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use ::fsrs::CombinedProgressState;
use serde::Serialize;

use super::{Context, print_json};
use crate::cli::{FsrsArgs, FsrsCommand, FsrsRunArgs};
use crate::domain::text::escape_line;
use crate::error::Result;
use crate::workflows::fsrs::{self, Evaluation, Optimized};

pub fn run(ctx: &mut Context, args: &FsrsArgs, out: &mut dyn Write) -> Result<()> {
    match &args.what {
        FsrsCommand::Optimize(a) => optimize(ctx, a, out),
        FsrsCommand::Evaluate(a) => evaluate(ctx, a, out),
    }
}

#[derive(Serialize)]
struct OptimizedJson<'a> {
    /// The deck, or null for the parameters every deck without its own uses.
    deck: Option<&'a str>,
    params: &'a [f32],
    fitted_on: String,
    /// The answers the fit rests on (of cards with an answer on a later day).
    reviews: u32,
    /// The training items: answers on a later day than the card's one before.
    items: usize,
    replayed_decks: &'a [String],
}

fn optimize(ctx: &mut Context, args: &FsrsRunArgs, out: &mut dyn Write) -> Result<()> {
    let today = ctx.clock.today();
    let progress = std::io::stderr()
        .is_terminal()
        .then(CombinedProgressState::new_shared);
    let bar = progress.clone().map(|p| thread::spawn(move || draw(&p)));
    let done = fsrs::optimize(
        &mut ctx.store,
        args.deck.as_deref(),
        today,
        progress.clone(),
    );
    if let Some(p) = &progress {
        // The crate marks the state finished on every return; this is for
        // the refusals that come before it starts.
        p.lock().map(|mut p| p.want_abort = true).ok();
    }
    if let Some(bar) = bar {
        bar.join().ok();
    }
    let done = done?;
    if args.json {
        return print_json(
            out,
            &OptimizedJson {
                deck: done.deck.as_deref(),
                params: &done.fitted.params,
                fitted_on: done.fitted.fitted_on.to_string(),
                reviews: done.fitted.reviews,
                items: done.items,
                replayed_decks: &done.replayed,
            },
        );
    }
    print_optimized(out, &done)
}

fn print_optimized(out: &mut dyn Write, done: &Optimized) -> Result<()> {
    let whose = match &done.deck {
        Some(deck) => format!("deck {}", escape_line(deck)),
        None => "every deck without its own".to_string(),
    };
    writeln!(
        out,
        "FSRS parameters for {whose}, fitted on {} from {} reviews ({} training items):",
        done.fitted.fitted_on, done.fitted.reviews, done.items
    )?;
    let shown: Vec<String> = done
        .fitted
        .params
        .iter()
        .map(|p| format!("{p:.4}"))
        .collect();
    writeln!(out, "  {}", shown.join(", "))?;
    if !done.replayed.is_empty() {
        let names: Vec<String> = done
            .replayed
            .iter()
            .map(|d| escape_line(d).into_owned())
            .collect();
        writeln!(out, "Replayed with them: {}.", names.join(", "))?;
    }
    Ok(())
}

/// A progress bar on stderr until the crate says it has finished.
fn draw(progress: &Arc<Mutex<CombinedProgressState>>) {
    let mut err = std::io::stderr();
    loop {
        thread::sleep(Duration::from_millis(100));
        let Ok(p) = progress.lock() else { return };
        let (current, total, finished) = (p.current(), p.total(), p.finished() || p.want_abort);
        drop(p);
        if let Some(filled) = (current * 30).checked_div(total) {
            let filled = filled.min(30);
            let bar = format!("{}{}", "#".repeat(filled), "-".repeat(30 - filled));
            write!(err, "\roptimizing [{bar}] {}%", filled * 100 / 30).ok();
        }
        if finished {
            writeln!(err).ok();
            return;
        }
    }
}

#[derive(Serialize)]
struct ModelJson {
    model: &'static str,
    log_loss: f64,
    rmse_bins: f64,
    /// The crate's own `evaluate` (recency-weighted), FSRS only.
    #[serde(skip_serializing_if = "Option::is_none")]
    crate_log_loss: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    crate_rmse_bins: Option<f64>,
    /// Fitted FSRS only: the crate's time-series cross-validation.
    #[serde(skip_serializing_if = "Option::is_none")]
    out_of_sample_log_loss: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    out_of_sample_rmse_bins: Option<f64>,
    reviews_per_day_30: f64,
    reviews_per_day_365: f64,
}

#[derive(Serialize)]
struct EvaluationJson<'a> {
    deck: Option<&'a str>,
    items: usize,
    reviews: usize,
    desired_retention: f32,
    fitted_on: Option<String>,
    models: Vec<ModelJson>,
}

fn evaluate(ctx: &mut Context, args: &FsrsRunArgs, out: &mut dyn Write) -> Result<()> {
    let today = ctx.clock.today();
    let decks = match &args.deck {
        Some(_) => 1,
        None => ctx.store.deck_settings()?.len().max(1) as u32,
    };
    let new_per_day = ctx.limits.new_per_deck.saturating_mul(decks);
    let e = fsrs::evaluate(&ctx.store, args.deck.as_deref(), today, new_per_day)?;
    if args.json {
        return print_json(out, &evaluation_json(&e));
    }
    print_evaluation(out, &e)
}

fn evaluation_json(e: &Evaluation) -> EvaluationJson<'_> {
    EvaluationJson {
        deck: e.deck.as_deref(),
        items: e.items,
        reviews: e.reviews,
        desired_retention: e.retention,
        fitted_on: e.fitted_on.map(|d| d.to_string()),
        models: e
            .models
            .iter()
            .map(|m| ModelJson {
                model: m.name,
                log_loss: m.fit.log_loss,
                rmse_bins: m.fit.rmse_bins,
                crate_log_loss: m.crate_fit.map(|f| f.log_loss),
                crate_rmse_bins: m.crate_fit.map(|f| f.rmse_bins),
                out_of_sample_log_loss: m.out_of_sample.map(|f| f.log_loss),
                out_of_sample_rmse_bins: m.out_of_sample.map(|f| f.rmse_bins),
                reviews_per_day_30: m.workload.0,
                reviews_per_day_365: m.workload.1,
            })
            .collect(),
    }
}

fn print_evaluation(out: &mut dyn Write, e: &Evaluation) -> Result<()> {
    let whose = e.deck.as_deref().map_or("every deck".to_string(), |d| {
        format!("deck {}", escape_line(d))
    });
    writeln!(
        out,
        "On the history of {whose}: {} reviews, {} predicted (answers on a later day than \
         the one before); desired retention {:.2}.",
        e.reviews, e.items, e.retention
    )?;
    writeln!(
        out,
        "\nmodel          log loss  RMSE (bins)  reviews/day, 30 d  365 d"
    )?;
    for m in &e.models {
        writeln!(
            out,
            "{:<13}  {:>8.4}  {:>11.4}  {:>17.1}  {:>5.1}",
            m.name, m.fit.log_loss, m.fit.rmse_bins, m.workload.0, m.workload.1
        )?;
    }
    let held_out = e.models.iter().find_map(|m| m.out_of_sample);
    match e.fitted_on {
        Some(day) => {
            writeln!(
                out,
                "\nfsrs-fitted: the parameters fitted on {day}, judged on the history they were fitted on."
            )?;
            if let Some(f) = held_out {
                writeln!(
                    out,
                    "Fitted on the earlier part and judged on the later (the crate's time-series \
                     cross-validation, recency-weighted): log loss {:.4}, RMSE (bins) {:.4}.",
                    f.log_loss, f.rmse_bins
                )?;
            }
        }
        // Without --deck only the parameters of every deck count: a deck's
        // own would judge the other decks' history by one deck's fit.
        None => writeln!(
            out,
            "\nNo fitted parameters for this history yet: `recall fsrs optimize{}` fits \
             them, then this compares them too.",
            e.deck
                .as_deref()
                .map_or(String::new(), |d| format!(" --deck {d:?}"))
        )?,
    }
    writeln!(
        out,
        "Lower is better for both measures. Workload: answers that schedule per day, \
         simulated with FSRS (fitted if any) as your memory; README › FSRS beside SM-2 explains."
    )?;
    Ok(())
}
