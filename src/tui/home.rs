//! The home screen's state: every deck with today's counts, and noticing
//! when another process changed the collection underneath it.

use super::app::{App, Screen};
use crate::domain::Scope;
use crate::error::Result;
use crate::storage::DeckSummary;
use crate::workflows::study;

pub struct DeckRow {
    pub summary: DeckSummary,
    /// Cards today's session of this deck holds (limits applied).
    pub to_study: usize,
}

impl App {
    /// The home screen shows decks and counts as they were before another
    /// process committed (a restore, an import, answers elsewhere).
    pub(super) fn home_is_stale(&self) -> Result<bool> {
        Ok(matches!(self.screen, Screen::Home)
            && self.ctx.store.data_version()? != self.home_version)
    }

    pub fn load_home(&mut self) -> Result<()> {
        self.home_version = self.ctx.store.data_version()?;
        let today = self.today();
        let summaries = self.ctx.store.deck_summaries(today)?;
        self.decks = Vec::with_capacity(summaries.len());
        for summary in summaries {
            let scope = Scope {
                deck: Some(summary.name.clone()),
                tag: None,
            };
            let session = study::todays_session(&self.ctx.store, &scope, today, &self.ctx.limits)?;
            self.decks.push(DeckRow {
                summary,
                to_study: session.remaining(),
            });
        }
        self.selected = self.selected.min(self.decks.len().saturating_sub(1));
        self.screen = Screen::Home;
        Ok(())
    }
}
