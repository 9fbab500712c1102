//! The session on screen: starting it, showing its current card, and what
//! the review actions do to it: grade, suspend, bury, undo and edit. Each comes in two halves: the `Effect` the action
//! asks for (built from the card as shown), and the state once `effects`
//! has written it; the queue itself comes from `crate::workflows::study`.

use crate::domain::Scope;
use crate::domain::leech::LeechAction;
use crate::domain::{Card, CardId, Grade, QueueEntry, Session};
use crate::error::{Error, Result};
use crate::formats::card_snippet;
use crate::storage::Recorded;
use crate::workflows::{Context, study};

use super::app::{App, CRAM_SIZE, Mode, Screen};
use super::effects::Effect;
use super::review::{Shown, Study, Undo};

impl App {
    /// Starts a session of `scope`: today's queue, or studying ahead.
    pub fn open(&mut self, scope: Scope, cram: bool) -> Result<()> {
        let session = build_session(&self.ctx, &scope, cram)?;
        let mut study = Study::new(scope, cram, session, self.ctx.clock.now());
        study.version = self.ctx.store.data_version()?;
        self.study = Some(study);
        self.status = None;
        self.show_current()
    }

    /// Shows the session's current card, or how the session ended.
    pub(super) fn show_current(&mut self) -> Result<()> {
        let Some(study) = &mut self.study else {
            return self.load_home();
        };
        let now = self.ctx.clock.now();
        while let Some(entry) = study.session.current() {
            if let Some(card) = self.ctx.store.card(entry.card)? {
                let today = self.ctx.clock.day_of(now);
                let intervals = study::intervals(&self.ctx.store, &card, today)?;
                self.screen = Screen::Review(Shown::new(card, entry.kind, now, intervals));
                return Ok(());
            }
            // Deleted by a re-import in another process meanwhile.
            study.session.remove(entry.card);
        }
        let today = self.ctx.clock.today();
        if study.answers.is_empty() {
            let next_due = self.ctx.store.next_due_day(&study.scope, today)?;
            let ahead =
                study::cram_session(&self.ctx.store, &study.scope, today, CRAM_SIZE)?.remaining();
            self.screen = Screen::NothingDue { next_due, ahead };
        } else {
            let due_tomorrow = self.ctx.store.due_count_on(&study.scope, today.plus(1))?;
            self.screen = Screen::Summary(study.summary(now, due_tomorrow));
        }
        Ok(())
    }

    /// A grade for the card on screen, with the time it was shown for.
    pub(super) fn grade(&mut self, q: u8) -> Effect {
        if self.mode() == Mode::Front {
            self.info("Show the answer first (Space), then grade it.");
            return Effect::None;
        }
        let (Screen::Review(shown), Some(study), Some(grade)) =
            (&self.screen, &self.study, Grade::new(q))
        else {
            return Effect::None;
        };
        let millis = (self.ctx.clock.now() - shown.shown_at).num_milliseconds();
        Effect::Grade {
            shown: Box::new(shown.card.clone()),
            entry: shown.entry(),
            grade,
            millis: u32::try_from(millis.max(0)).unwrap_or(u32::MAX),
            cram: study.cram,
        }
    }

    /// The answer is recorded: the session moves on, and says what it did.
    pub(super) fn graded(
        &mut self,
        shown: &Card,
        entry: QueueEntry,
        grade: Grade,
        recorded: Recorded,
    ) -> Result<()> {
        let Some(study) = &mut self.study else {
            return Ok(());
        };
        study.record(entry.card, grade, recorded.kind);
        let leech = recorded
            .leech
            .map(|action| leech_text(action, &shown.front));
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

    /// Suspends (`bury == false`) or buries the card on screen.
    pub(super) fn set_aside(&self, bury: bool) -> Effect {
        let (Screen::Review(shown), Some(_)) = (&self.screen, &self.study) else {
            return Effect::None;
        };
        Effect::SetAside {
            shown: Box::new(shown.card.clone()),
            entry: shown.entry(),
            bury,
        }
    }

    pub(super) fn set_aside_done(&mut self, entry: QueueEntry, bury: bool) -> Result<()> {
        let Some(study) = &mut self.study else {
            return Ok(());
        };
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

    /// The last step of this session's undo stack, to be taken back.
    pub(super) fn undo(&mut self) -> Effect {
        let Some(study) = &self.study else {
            return Effect::None;
        };
        match study.undo.last() {
            Some(step) => Effect::Undo(*step),
            None => {
                self.info("Nothing to undo in this session.");
                Effect::None
            }
        }
    }

    /// The step that could not be taken back leaves the stack.
    pub(super) fn drop_undo_step(&mut self) {
        if let Some(study) = &mut self.study {
            study.undo.pop();
        }
    }

    /// `step` is taken back: its card comes up again.
    pub(super) fn undone(&mut self, step: Undo) -> Result<()> {
        let Some(study) = &mut self.study else {
            return Ok(());
        };
        study.undo.pop();
        if matches!(step, Undo::Answer { .. }) {
            study.answers.pop();
        }
        if !study.cram {
            // The log decides the queue (re-drills included); rebuild from it.
            let today = self.ctx.clock.today();
            study.session =
                study::todays_session(&self.ctx.store, &study.scope, today, &self.ctx.limits)?;
        }
        study.session.bring_forward(step.entry());
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
            study.session = build_session(&self.ctx, &study.scope, study.cram)?;
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

    /// An edited card snippet (`Err` is why the editor gave none), parsed
    /// into the save it asks for. A snippet that does not parse (or breaks
    /// a rule) is kept: `e` opens it again, the problem on top, instead of
    /// the card as stored.
    pub(super) fn edited(
        &mut self,
        card: CardId,
        edited: std::result::Result<String, String>,
    ) -> Effect {
        self.rejected_edit = None;
        let text = match edited {
            Ok(text) => text,
            Err(why) => {
                self.error(format!("Card not changed: {why}"));
                return Effect::None;
            }
        };
        let Some(shown) = self.card_being_edited(card) else {
            self.info("The card is no longer on screen; not changed.");
            return Effect::None;
        };
        if text.trim().is_empty() || text == card_snippet::render(shown) {
            self.info("No changes.");
            return Effect::None;
        }
        match card_snippet::parse("card.toml", &text, shown) {
            Ok(draft) => Effect::SaveEdit {
                shown: Box::new(shown.clone()),
                text,
                draft,
            },
            Err(err) => {
                self.edit_refused(card, &text, &err);
                Effect::None
            }
        }
    }

    /// The card `e` opened, if the screen still shows it: the review's card,
    /// or the browser's selected one.
    fn card_being_edited(&self, card: CardId) -> Option<&Card> {
        match &self.screen {
            Screen::Review(shown) => Some(&shown.card),
            Screen::Browse(b) => b.detail.as_ref().map(|d| &d.card),
            _ => None,
        }
        .filter(|shown| shown.id == card)
    }

    /// The edit is saved: the screen shows the card as stored now.
    pub(super) fn edit_saved(&mut self, card: CardId) -> Result<()> {
        let today = self.today();
        match &mut self.screen {
            Screen::Browse(b) => {
                b.changed = true;
                b.reload(&self.ctx.store, today)?;
            }
            Screen::Review(shown) => {
                if let Some(updated) = self.ctx.store.card(card)? {
                    shown.card = updated;
                }
            }
            _ => {}
        }
        self.info("Card saved; its progress is kept.");
        Ok(())
    }

    /// Why the edit was not saved; a snippet with a problem of its own is
    /// kept for `e` to reopen.
    pub(super) fn edit_refused(&mut self, card: CardId, text: &str, err: &Error) {
        if !matches!(
            err,
            Error::Invalid(_) | Error::Parse { .. } | Error::File { .. }
        ) {
            return self.error(format!("Card not changed: {err}"));
        }
        let key = self.ctx.ui.keys.label(&["edit"]);
        self.rejected_edit = Some((card, super::editor::with_problem(text, &err.to_string())));
        self.error(format!(
            "Card not changed: {err}. Press {key} to reopen the editor with your text."
        ));
    }
}

/// A session of `scope` as the database holds it now: today's queue, or
/// (`cram`) studying up to `CRAM_SIZE` cards ahead.
pub(super) fn build_session(ctx: &Context, scope: &Scope, cram: bool) -> Result<Session> {
    let today = ctx.clock.today();
    if cram {
        study::cram_session(&ctx.store, scope, today, CRAM_SIZE)
    } else {
        study::todays_session(&ctx.store, scope, today, &ctx.limits)
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
