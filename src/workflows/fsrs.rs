//! `recall fsrs optimize` and `recall fsrs evaluate`: FSRS fitted to the
//! user's own review log with the crate's optimizer, and the evidence to
//! choose between SM-2 and FSRS on that same log.

use std::sync::{Arc, Mutex};

use fsrs::{CombinedProgressState, ComputeParametersInput, TrainingConfig};

use crate::domain::fsrs_history::{self, Fit, Items};
use crate::domain::log::LoggedAnswer;
use crate::domain::workload::{self, Plan, SimCard};
use crate::domain::{CardId, CardState, Day, DeckScheduler, Fsrs, Schedule};
use crate::error::{Error, Result};
use crate::storage::{FittedParams, Store};
use crate::workflows::scheduling;

/// The fewest items (answers on a later day than the card's one before)
/// the crate fits every parameter from: with fewer than 64 it returns only
/// initial stabilities (and below 8 its defaults) without training
/// (`compute_parameters` in the crate's training.rs).
pub const MIN_ITEMS: usize = 64;

/// Anki 26.9's optimizer settings (rslib scheduler/fsrs/params.rs): 8
/// epochs, short-term memory on, one relearning step (its default preset).
fn anki_input(items: &Items) -> ComputeParametersInput {
    ComputeParametersInput {
        train_set: items.items.clone(),
        card_ids: Some(items.card_ids.clone()),
        progress: None,
        enable_short_term: true,
        num_relearning_steps: Some(1),
        training_config: Some(TrainingConfig {
            num_epochs: 8,
            ..TrainingConfig::default()
        }),
    }
}

/// The deck a `--deck` names, as (id, name).
fn scope(store: &Store, deck: Option<&str>) -> Result<Option<(i64, String)>> {
    deck.map(|d| store.resolve_deck(d)).transpose()
}

/// What `optimize` fitted and stored.
#[derive(Debug, Clone)]
pub struct Optimized {
    pub fitted: FittedParams,
    pub deck: Option<String>,
    pub items: usize,
    /// Decks scheduled by FSRS with these parameters, replayed with them.
    pub replayed: Vec<String>,
}

/// Fits FSRS to the log of `deck` (or of every deck), stores the
/// parameters with `today`, and replays the FSRS decks that use them.
/// `progress` is the crate's, for a progress bar.
pub fn optimize(
    store: &mut Store,
    deck: Option<&str>,
    today: Day,
    progress: Option<Arc<Mutex<CombinedProgressState>>>,
) -> Result<Optimized> {
    let scope = scope(store, deck)?;
    let deck_id = scope.as_ref().map(|(id, _)| *id);
    let items = fsrs_history::items(&store.review_histories(deck_id)?);
    if items.items.len() < MIN_ITEMS {
        return Err(Error::invalid(format!(
            "not enough history to fit FSRS: {} usable {} (answers on a later day than the \
             card's answer before), and the fsrs crate needs at least {MIN_ITEMS}; nothing was \
             stored. Study more, or import your Anki history with `recall import --reviews`",
            items.items.len(),
            if items.items.len() == 1 {
                "review"
            } else {
                "reviews"
            },
        )));
    }
    let input = ComputeParametersInput {
        progress,
        ..anki_input(&items)
    };
    let params = fsrs::compute_parameters(input)
        .map_err(|e| Error::invalid(format!("the FSRS optimizer failed: {e}")))?;
    let fitted = FittedParams {
        deck: deck_id,
        params,
        fitted_on: today,
        reviews: u32::try_from(items.reviews).unwrap_or(u32::MAX),
    };
    store.save_params(&fitted)?;
    let replayed = scheduling::replay_users_of(store, deck_id)?;
    Ok(Optimized {
        fitted,
        deck: scope.map(|(_, name)| name),
        items: items.items.len(),
        replayed,
    })
}

/// One model's figures in `evaluate`.
#[derive(Debug, Clone)]
pub struct ModelReport {
    /// "sm2", "fsrs-default" or "fsrs-fitted".
    pub name: &'static str,
    pub fit: Fit,
    /// The crate's own `evaluate` (recency-weighted), for FSRS.
    pub crate_fit: Option<Fit>,
    /// For the fitted model: the crate's time-series cross-validation
    /// (fitted on the earlier part of the history, judged on the later).
    pub out_of_sample: Option<Fit>,
    /// Mean answers per day over the next 30 and 365 days.
    pub workload: (f64, f64),
}

#[derive(Debug, Clone)]
pub struct Evaluation {
    pub deck: Option<String>,
    pub items: usize,
    pub reviews: usize,
    pub retention: f32,
    /// When fitted parameters exist: the day they were fitted.
    pub fitted_on: Option<Day>,
    pub models: Vec<ModelReport>,
}

/// Fixed, so that the same database gives the same workload figures.
const SEED: u64 = 18;

/// SM-2, FSRS with default parameters and FSRS with the fitted ones (if
/// any) on the log of `deck` (or of every deck).
pub fn evaluate(
    store: &Store,
    deck: Option<&str>,
    today: Day,
    new_per_day: u32,
) -> Result<Evaluation> {
    let scope = scope(store, deck)?;
    let deck_id = scope.as_ref().map(|(id, _)| *id);
    let histories = store.review_histories(deck_id)?;
    let items = fsrs_history::items(&histories);
    if items.items.is_empty() {
        return Err(Error::invalid(
            "no history to evaluate on: no card has been answered on two different days",
        ));
    }
    let (retention, fitted) = retention_and_fit(store, deck_id)?;
    let make = |params: &[f32]| Fsrs::new(params, retention).map_err(Error::invalid);
    let default_fsrs = make(&[])?;
    let fitted_fsrs = fitted.as_ref().map(|f| make(&f.params)).transpose()?;
    let truth = fitted_fsrs.clone().unwrap_or_else(|| default_fsrs.clone());
    let unreviewed = store.unreviewed_cards(deck_id)?;
    let sim = Simulation {
        histories: &histories,
        unreviewed,
        truth: &truth,
        plan: Plan {
            today,
            days: 365,
            new_per_day,
            seed: SEED,
        },
    };
    Ok(Evaluation {
        deck: scope.map(|(_, name)| name),
        items: items.items.len(),
        reviews: items.reviews,
        retention,
        fitted_on: fitted.map(|f| f.fitted_on),
        models: reports(&items, &sim, default_fsrs, fitted_fsrs),
    })
}

/// The desired retention `deck` (`None`: every deck) is judged at, and the
/// parameters fitted for it: its own, else the global ones.
fn retention_and_fit(store: &Store, deck: Option<i64>) -> Result<(f32, Option<FittedParams>)> {
    let defaults = store.scheduling_defaults();
    let Some(id) = deck else {
        return Ok((defaults.retention, store.fitted_params(None)?));
    };
    let own = store.deck_settings()?.into_iter().find(|s| s.deck == id);
    let retention = own.and_then(|s| s.retention).unwrap_or(defaults.retention);
    let fitted = match store.fitted_params(Some(id))? {
        Some(f) => Some(f),
        None => store.fitted_params(None)?,
    };
    Ok((retention, fitted))
}

/// Each model's figures: SM-2, FSRS with `default`, FSRS with `fitted`.
fn reports(
    items: &Items,
    sim: &Simulation<'_>,
    default: Fsrs,
    fitted: Option<Fsrs>,
) -> Vec<ModelReport> {
    let mut models = vec![ModelReport {
        name: "sm2",
        fit: fsrs_history::fit(&items.items, &fsrs_history::sm2_predictions(items)),
        crate_fit: None,
        out_of_sample: None,
        workload: sim.run(&DeckScheduler::Sm2),
    }];
    let fsrs_models = [("fsrs-default", Some(default)), ("fsrs-fitted", fitted)];
    for (name, model) in fsrs_models {
        let Some(model) = model else { continue };
        let predicted = fsrs_history::fsrs_predictions(&model, &items.items);
        models.push(ModelReport {
            name,
            fit: fsrs_history::fit(&items.items, &predicted),
            crate_fit: crate_fit(&model, items),
            out_of_sample: (name == "fsrs-fitted")
                .then(|| out_of_sample(items))
                .flatten(),
            workload: sim.run(&DeckScheduler::Fsrs(model)),
        });
    }
    models
}

/// The crate's `evaluate`: its recency weights, its bins.
fn crate_fit(model: &Fsrs, items: &Items) -> Option<Fit> {
    let crate_model = fsrs::FSRS::new(model.params()).ok()?;
    let e = crate_model.evaluate(items.items.clone(), |_| true).ok()?;
    Some(Fit {
        log_loss: f64::from(e.log_loss),
        rmse_bins: f64::from(e.rmse_bins),
    })
}

/// The crate's `evaluate_with_time_series_splits` with the optimizer's
/// settings: five folds, each fitted on the items before it.
fn out_of_sample(items: &Items) -> Option<Fit> {
    let e = fsrs::evaluate_with_time_series_splits(anki_input(items), |_| true).ok()?;
    Some(Fit {
        log_loss: f64::from(e.log_loss),
        rmse_bins: f64::from(e.rmse_bins),
    })
}

/// The workload simulation's inputs, shared by every model.
struct Simulation<'a> {
    histories: &'a [(CardId, Vec<LoggedAnswer>)],
    unreviewed: usize,
    truth: &'a Fsrs,
    plan: Plan,
}

impl Simulation<'_> {
    /// Mean answers per day over 30 and 365 days under `scheduler`.
    fn run(&self, scheduler: &DeckScheduler) -> (f64, f64) {
        let truth = DeckScheduler::Fsrs(self.truth.clone());
        let mut cards: Vec<SimCard> = self
            .histories
            .iter()
            .map(|(_, log)| {
                let (state, _) = scheduler.replay(Schedule::NEW, log);
                let (known, _) = truth.replay(Schedule::NEW, log);
                let last = known
                    .schedule
                    .due
                    .map(|due| due.minus(known.schedule.interval));
                SimCard {
                    state,
                    truth: known.memory.zip(last),
                }
            })
            .collect();
        cards.extend((0..self.unreviewed).map(|_| SimCard {
            state: CardState::NEW,
            truth: None,
        }));
        let per_day = workload::simulate(scheduler, self.truth, &cards, self.plan);
        (workload::mean(&per_day, 30), workload::mean(&per_day, 365))
    }
}
