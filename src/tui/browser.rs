//! The card browser's state: a query as typed, a window of its matches
//! fetched a page at a time from `Store::search_page` (never every row: a
//! collection may hold 100 000 cards), a cursor, marked cards and the
//! selected card's detail. What the actions do to the collection is in
//! `browser/actions.rs`; drawing is in `widgets/browser.rs`.

mod actions;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};

use crate::domain::query::{self, ParseError, Query};
use crate::domain::{Card, CardId, Day};
use crate::error::Result;
use crate::storage::{CardAction, CardRow, HistoryRow, Store};
use crate::workflows::scheduling::{self, CardView};

use super::app::Screen;
use super::effects::Effect;

/// Rows fetched at once; the window holds up to twice this around the cursor.
pub const PAGE: usize = 100;

/// What the browser's own keys ask for (`suspend`, `bury` and `edit` are
/// the review screen's actions, and mean the same here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowserAction {
    /// A character typed into the query line or a prompt.
    Type(char),
    Erase,
    FocusList,
    FocusQuery,
    First,
    Last,
    Mark,
    Unsuspend,
    Unbury,
    Reset,
    Move,
    Delete,
    Confirm,
    Cancel,
}

/// Where the keys go: into the query line, or to the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Query,
    List,
}

/// A question under the list, answered before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// The deck name typed so far.
    Move(String),
    Delete,
}

/// The selected card in full, with every answer it was given.
pub struct Detail {
    pub card: Card,
    pub history: Vec<HistoryRow>,
    /// Its deck's algorithm and, under FSRS, its memory state today.
    pub view: CardView,
}

pub struct Browser {
    pub query: String,
    /// Why `query` does not parse; the list still shows the last good one.
    pub error: Option<ParseError>,
    parsed: Query,
    /// The window of matches: `rows[0]` is match number `start`.
    pub start: usize,
    pub rows: Vec<CardRow>,
    /// More matches follow the window.
    more: bool,
    /// How many cards match, once known (the end of the list was reached).
    pub total: Option<usize>,
    pub cursor: usize,
    /// The first match on screen.
    pub top: usize,
    /// List rows the screen has room for (for paging): set from the App's
    /// area before each of the browser's updates.
    pub view: usize,
    pub marked: BTreeSet<CardId>,
    pub focus: Focus,
    pub prompt: Option<Prompt>,
    pub detail: Option<Detail>,
    /// The review screen it was opened from (`None`: the home screen).
    pub back: Option<Box<Screen>>,
    /// When it was opened: time spent here is not the card's answer time.
    pub opened_at: Option<DateTime<FixedOffset>>,
    /// Something was written: the screen it returns to is rebuilt.
    pub changed: bool,
}

impl Browser {
    /// Every card, the query line ready for typing.
    pub fn open(store: &Store, today: Day) -> Result<Browser> {
        let mut browser = Browser {
            query: String::new(),
            error: None,
            parsed: Query::All,
            start: 0,
            rows: Vec::new(),
            more: false,
            total: None,
            cursor: 0,
            top: 0,
            view: 10,
            marked: BTreeSet::new(),
            focus: Focus::Query,
            prompt: None,
            detail: None,
            back: None,
            opened_at: None,
            changed: false,
        };
        browser.fetch(store, today, 0)?;
        browser.load_detail(store, today)?;
        Ok(browser)
    }

    /// The query as now typed: searched at once when it parses (the first
    /// page takes milliseconds), else its error is shown over the old list.
    pub fn set_query(&mut self, store: &Store, today: Day, text: String) -> Result<()> {
        self.query = text;
        match query::parse(&self.query) {
            Err(e) => self.error = Some(e),
            Ok(parsed) => {
                self.error = None;
                self.parsed = parsed;
                self.total = None;
                self.cursor = 0;
                self.top = 0;
                self.fetch(store, today, 0)?;
                self.load_detail(store, today)?;
            }
        }
        Ok(())
    }

    /// The rows from match `start` on, two pages of them.
    fn fetch(&mut self, store: &Store, today: Day, start: usize) -> Result<()> {
        let offset = u32::try_from(start).unwrap_or(u32::MAX);
        let page = store.search_page(&self.parsed, today, offset, 2 * PAGE as u32)?;
        self.start = start;
        self.rows = page.rows;
        self.more = page.more;
        if !self.more && (start == 0 || !self.rows.is_empty()) {
            self.total = Some(start + self.rows.len());
        }
        Ok(())
    }

    /// The number of matches: known at the list's end, else counted.
    fn count(&mut self, store: &Store, today: Day) -> Result<usize> {
        if let Some(total) = self.total {
            return Ok(total);
        }
        let n = usize::try_from(store.search_count(&self.parsed, today)?).unwrap_or(usize::MAX);
        self.total = Some(n);
        Ok(n)
    }

    /// Puts the cursor on match `index` (clamped to the list), fetching the
    /// rows around it when the window does not hold them.
    pub fn move_to(&mut self, store: &Store, today: Day, index: usize) -> Result<()> {
        let mut index = index;
        if let Some(total) = self.total {
            index = index.min(total.saturating_sub(1));
        }
        let end = self.start + self.rows.len();
        let short = self.more && index + self.view.max(1) > end;
        if index < self.start || index >= end && self.more || short {
            self.fetch(store, today, index.saturating_sub(PAGE / 2))?;
            if self.rows.is_empty() && self.start > 0 {
                // Past the end of a list whose length was not known yet.
                index = self.count(store, today)?.saturating_sub(1);
                self.fetch(store, today, index.saturating_sub(PAGE / 2))?;
            }
        }
        let end = self.start + self.rows.len();
        self.cursor = if self.rows.is_empty() {
            0
        } else {
            index.clamp(self.start, end - 1)
        };
        self.scroll_to_cursor();
        self.load_detail(store, today)
    }

    /// Keeps the cursor's row on screen.
    pub fn scroll_to_cursor(&mut self) {
        let view = self.view.max(1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + view {
            self.top = self.cursor + 1 - view;
        }
    }

    pub fn down(&mut self, store: &Store, today: Day, by: usize) -> Result<()> {
        self.move_to(store, today, self.cursor.saturating_add(by))
    }

    pub fn up(&mut self, store: &Store, today: Day, by: usize) -> Result<()> {
        self.move_to(store, today, self.cursor.saturating_sub(by))
    }

    pub fn last(&mut self, store: &Store, today: Day) -> Result<()> {
        let total = self.count(store, today)?;
        self.move_to(store, today, total.saturating_sub(1))
    }

    /// The list again after a write, the cursor where it was.
    pub fn reload(&mut self, store: &Store, today: Day) -> Result<()> {
        self.total = None;
        let cursor = self.cursor;
        self.fetch(store, today, self.start)?;
        if self.rows.is_empty() && self.start > 0 {
            self.fetch(store, today, 0)?;
        }
        self.marked.clear();
        self.move_to(store, today, cursor)
    }

    /// A change over the targets, if there are any.
    pub fn change(&self, action: CardAction, done: &'static str) -> Effect {
        let targets = self.targets();
        if targets.is_empty() {
            return Effect::None;
        }
        Effect::Cards {
            targets,
            action,
            done,
        }
    }

    /// The card under the cursor.
    pub fn current(&self) -> Option<&CardRow> {
        self.rows.get(self.cursor.checked_sub(self.start)?)
    }

    /// Marks or unmarks the card under the cursor.
    pub fn toggle_mark(&mut self) {
        if let Some(id) = self.current().map(|r| r.id)
            && !self.marked.remove(&id)
        {
            self.marked.insert(id);
        }
    }

    /// What an action applies to: the marked cards, else the current one.
    pub fn targets(&self) -> Vec<CardId> {
        if self.marked.is_empty() {
            self.current().map(|r| vec![r.id]).unwrap_or_default()
        } else {
            self.marked.iter().copied().collect()
        }
    }

    fn load_detail(&mut self, store: &Store, today: Day) -> Result<()> {
        self.detail = match self.current().map(|r| r.id) {
            Some(id) => match store.card(id)? {
                Some(card) => Some(Detail {
                    history: store.card_history(id)?,
                    view: scheduling::card_view(store, id, &card.deck, card.schedule, today)?,
                    card,
                }),
                None => None,
            },
            None => None,
        };
        Ok(())
    }
}

/// "1 card", "2 cards".
pub fn cards(n: usize) -> String {
    if n == 1 {
        "1 card".into()
    } else {
        format!("{n} cards")
    }
}
