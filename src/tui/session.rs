//! What the review actions do to the session on screen: grade, suspend,
//! bury, undo and edit. Each write is one `Store` transaction, committed
//! before the next card shows; the queue itself comes from `crate::workflows::study`.

use crate::domain::leech::LeechAction;
use crate::domain::seen::Seen;
use crate::domain::{CardId, Grade};
use crate::error::{Error, Result};
use crate::workflows::study;

use super::app::{App, Mode, Screen};
use super::review::Undo;

impl App {
    pub(super) fn grade(&mut self, q: u8) -> Result<()> {
        if self.mode() == Mode::Front {
            self.info("Show the answer first (Space), then grade it.");
            return Ok(());
        }
        let (Screen::Review(shown), Some(study), Some(grade)) =
            (&self.screen, &mut self.study, Grade::new(q))
        else {
            return Ok(());
        };
        let now = self.ctx.clock.now();
        let millis = (now - shown.shown_at).num_milliseconds();
        let entry = shown.entry();
        // The card as shown goes with the grade: the write checks, in its
        // transaction, that the database still holds it in that state.
        let recorded = match study::answer(
            &mut self.ctx.store,
            &self.ctx.clock,
            Seen::Shown(&shown.card),
            grade,
            u32::try_from(millis.max(0)).unwrap_or(u32::MAX),
            study.cram,
        ) {
            Ok(recorded) => recorded,
            Err(Error::Changed(why)) => return self.reload_session(&why),
            Err(e) => return Err(e),
        };
        study.record(entry.card, grade, recorded.kind);
        let leech = recorded
            .leech
            .map(|action| leech_text(action, &shown.card.front));
        if recorded.leech == Some(LeechAction::Suspend) {
            study.session.remove(entry.card);
            refill(&self.ctx, study)?;
        }
        study.undo.push(Undo::Answer {
            answer: recorded.answer,
            entry,
        });
        // Another process committed since the queue was built (a restore,
        // an import, answers elsewhere): the next card comes from the
        // database as it is now. (Cram has no log to rebuild from.)
        let version = self.ctx.store.data_version()?;
        if !study.cram && version != study.version {
            let today = self.ctx.clock.today();
            study.session =
                study::todays_session(&self.ctx.store, &study.scope, today, &self.ctx.limits)?;
            study.version = version;
        }
        let text = super::review::answered_text(grade, &recorded, self.ctx.clock.today());
        let leeched = leech.is_some();
        let text = leech.unwrap_or(text);
        self.show_current()?;
        // The summary shows its own keys; the last answer's note would hide
        // them, but not a leech's.
        if leeched || matches!(self.screen, Screen::Review(_)) {
            self.info(text);
        }
        Ok(())
    }

    /// Suspends (`bury == false`) or buries the current card.
    pub(super) fn set_aside(&mut self, bury: bool) -> Result<()> {
        let (Screen::Review(shown), Some(study)) = (&self.screen, &mut self.study) else {
            return Ok(());
        };
        let entry = shown.entry();
        let today = self.ctx.clock.today();
        let done = if bury {
            self.ctx.store.bury(&shown.card, today.plus(1))
        } else {
            self.ctx.store.suspend(&shown.card)
        };
        match done {
            Ok(()) => {}
            Err(Error::Changed(why)) => return self.reload_session(&why),
            Err(e) => return Err(e),
        }
        study.undo.push(if bury {
            Undo::Bury { entry }
        } else {
            Undo::Suspend { entry }
        });
        study.session.remove(entry.card);
        refill(&self.ctx, study)?;
        self.show_current()?;
        self.info(if bury {
            "Buried until tomorrow. u brings it back."
        } else {
            "Suspended: it will not come up again. u brings it back."
        });
        Ok(())
    }

    pub(super) fn undo(&mut self) -> Result<()> {
        let Some(study) = &mut self.study else {
            return Ok(());
        };
        let Some(step) = study.undo.pop() else {
            self.info("Nothing to undo in this session.");
            return Ok(());
        };
        let entry = match step {
            Undo::Answer { answer, entry } => match self.ctx.store.undo_answer(answer) {
                Ok(_) => {
                    study.answers.pop();
                    entry
                }
                // Gone, or no longer the card's latest: nothing was undone.
                Err(Error::Changed(why)) => return self.reload_session(&why),
                Err(e) => {
                    // Busy or a full disk: the step stays for another try.
                    study.undo.push(step);
                    return Err(e);
                }
            },
            Undo::Suspend { entry } => {
                self.ctx.store.unsuspend(entry.card)?;
                entry
            }
            Undo::Bury { entry } => {
                self.ctx.store.unbury(entry.card)?;
                entry
            }
        };
        if !study.cram {
            // The log decides the queue (re-drills included); rebuild from it.
            let today = self.ctx.clock.today();
            study.session =
                study::todays_session(&self.ctx.store, &study.scope, today, &self.ctx.limits)?;
        }
        study.session.bring_forward(entry);
        self.show_current()?;
        self.info("Undone: the card has its previous state again.");
        Ok(())
    }

    /// The collection changed underneath this session (another process
    /// answered, pruned, undid or restored): nothing was written, and the
    /// queue is built again from the database as it is now. Undo keeps its
    /// answers (each is checked when used) but not its suspend and bury
    /// steps, whose card numbers may now name other cards.
    pub(super) fn reload_session(&mut self, why: &str) -> Result<()> {
        if let Some(study) = &mut self.study {
            let today = self.ctx.clock.today();
            study.session = if study.cram {
                study::cram_session(&self.ctx.store, &study.scope, today, super::app::CRAM_SIZE)?
            } else {
                study::todays_session(&self.ctx.store, &study.scope, today, &self.ctx.limits)?
            };
            study
                .undo
                .retain(|step| matches!(step, Undo::Answer { .. }));
            study.version = self.ctx.store.data_version()?;
        }
        self.show_current()?;
        let mut why = why.to_string();
        if let Some(first) = why.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        self.error(format!(
            "The collection changed underneath this session: reloaded. {why}."
        ));
        Ok(())
    }

    /// Applies an edited card snippet (`Err` is why the editor gave none).
    /// A snippet that does not parse (or breaks a rule) is kept: `e` opens
    /// it again, the problem on top, instead of the card as stored.
    pub fn finish_edit(&mut self, card: CardId, edited: std::result::Result<String, String>) {
        self.rejected_edit = None;
        let text = match edited {
            Ok(text) => text,
            Err(why) => return self.error(format!("Card not changed: {why}")),
        };
        match self.apply_edit(card, &text) {
            Ok(message) => self.info(message),
            Err(err @ (Error::Invalid(_) | Error::Parse { .. } | Error::File { .. })) => {
                let key = self.ctx.ui.keys.label(&["edit"]);
                self.rejected_edit =
                    Some((card, super::editor::with_problem(&text, &err.to_string())));
                self.error(format!(
                    "Card not changed: {err}. Press {key} to reopen the editor with your text."
                ));
            }
            Err(err) => self.error(format!("Card not changed: {err}")),
        }
    }

    fn apply_edit(&mut self, card: CardId, text: &str) -> Result<&'static str> {
        if matches!(self.screen, Screen::Browse(_)) {
            return self.browser_edit(card, text);
        }
        let Screen::Review(shown) = &mut self.screen else {
            return Ok("The card is no longer on screen; not changed.");
        };
        if shown.card.id != card {
            return Ok("The card is no longer on screen; not changed.");
        }
        if text.trim().is_empty() || text == crate::formats::card_snippet::render(&shown.card) {
            return Ok("No changes.");
        }
        let draft = crate::formats::card_snippet::parse("card.toml", text, &shown.card)?;
        let now_ms = self.ctx.clock.now().timestamp_millis();
        self.ctx
            .store
            .update_card_text(&shown.card, &draft, now_ms)?;
        if let Some(updated) = self.ctx.store.card(card)? {
            shown.card = updated;
        }
        Ok("Card saved; its progress is kept.")
    }
}

/// A card set aside leaves room under today's new-card quota (a new card
/// suspended or buried was not studied): the queue is built again from the
/// database, which holds the same order, the set-aside card left out, and
/// the next new card where there is room. (Cram has no quota.)
fn refill(ctx: &crate::workflows::Context, study: &mut super::review::Study) -> Result<()> {
    if !study.cram {
        let today = ctx.clock.today();
        study.session = study::todays_session(&ctx.store, &study.scope, today, &ctx.limits)?;
    }
    Ok(())
}

/// The status line when an answer made the card a leech (escaped where
/// the status line is drawn).
fn leech_text(action: LeechAction, front: &str) -> String {
    let mut front: String = front.chars().take(40).collect();
    if front.chars().count() == 40 {
        front.push('…');
    }
    match action {
        LeechAction::Suspend => {
            format!("Leech: “{front}” suspended (tag leech). u brings it back.")
        }
        LeechAction::Tag => format!("Leech: “{front}” tagged leech."),
    }
}
