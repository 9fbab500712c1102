//! The state of the statistics screen: which scope and period it shows, and
//! the report computed for them (by `workflows::stats`, as `recall stats`
//! computes it). Drawing is `widgets::stats`.

use std::collections::HashMap;

use crate::domain::stats::Stats;
use crate::domain::{SchedulerKind, Scope};
use crate::error::Result;
use crate::workflows::scheduling::kinds_by_deck;
use crate::workflows::stats::{compute, scope_label};

use super::app::App;

/// The periods `p` cycles through, in days; the screen opens on the last,
/// the same default as `recall stats`.
pub const PERIODS: [u32; 3] = [7, 30, 365];

pub struct StatsView {
    /// 0 is all decks, `i` is the home screen's deck `i - 1`; wraps around.
    pub scope: usize,
    /// An index into `PERIODS`; wraps around.
    pub period: usize,
    /// "all decks · last 365 days": what the heading says is shown.
    pub label: String,
    pub stats: Stats,
    /// Lines scrolled down (the deck table can be longer than the screen).
    pub scroll: u16,
    /// Each deck's algorithm, by name, for the deck table (boxed: the
    /// screen enum holds this view inline).
    pub schedulers: Box<HashMap<String, SchedulerKind>>,
}

impl StatsView {
    /// The report for scope `scope` and period `period` (indices, wrapped).
    pub fn open(app: &App, scope: usize, period: usize) -> Result<StatsView> {
        let scope = scope % (app.decks.len() + 1);
        let period = period % PERIODS.len();
        let selected = Scope {
            deck: scope
                .checked_sub(1)
                .map(|i| app.decks[i].summary.name.clone()),
            tag: None,
        };
        let days = PERIODS[period];
        Ok(StatsView {
            scope,
            period,
            label: format!("{} · last {days} days", scope_label(&selected)),
            stats: compute(&app.ctx, &selected, days)?,
            scroll: 0,
            schedulers: Box::new(kinds_by_deck(&app.ctx.store)?),
        })
    }

    /// The view the `S` key opens: all decks over the default period.
    pub fn first(app: &App) -> Result<StatsView> {
        StatsView::open(app, 0, PERIODS.len() - 1)
    }
}
