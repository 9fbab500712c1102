//! `recall answer` and `recall undo`: one entry of the review log at a time.

use std::io::Write;

use serde::Serialize;

use super::{Context, print_json};
use crate::cli::{AnswerArgs, UndoArgs};
use crate::domain::seen::Seen;
use crate::domain::text::escape_line;
use crate::domain::{Card, CardId, Grade, Schedule};
use crate::error::{Error, Result};
use crate::storage::Recorded;
use crate::workflows::scheduling::{self, CardView};
use crate::workflows::study;

use super::scheduler::MemoryJson;
use super::typed_answer::{self, TypedJson};
use crate::domain::typed::{self, Comparison};

#[derive(Serialize)]
struct StateJson<'a> {
    id: CardId,
    deck: &'a str,
    card_id: &'a str,
    /// How the answer counted: "schedule", "redrill" (or "undone" for undo).
    kind: &'static str,
    scheduled: bool,
    grade: Option<u8>,
    repetitions: u32,
    efactor: f64,
    interval_days: u32,
    due: Option<String>,
    lapses: u32,
    last_review: Option<String>,
    /// The answer made the card a leech: "suspend" (tagged and suspended)
    /// or "tag" (tagged only); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    leech: Option<&'static str>,
    /// The deck's algorithm: "sm2" or "fsrs".
    scheduler: &'static str,
    /// Under FSRS: the memory state after the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    memory: Option<MemoryJson>,
    /// With `--typed`: the comparison and the suggested grade.
    #[serde(skip_serializing_if = "Option::is_none")]
    typed: Option<TypedJson<'a>>,
}

impl<'a> StateJson<'a> {
    fn new(
        card: &'a Card,
        s: &Schedule,
        kind: &'static str,
        grade: Option<u8>,
        view: CardView,
    ) -> Self {
        StateJson {
            id: card.id,
            deck: &card.deck,
            card_id: &card.key,
            kind,
            scheduled: kind == "schedule",
            grade,
            repetitions: s.repetitions,
            efactor: s.efactor.as_f64(),
            interval_days: s.interval,
            due: s.due.map(|d| d.to_string()),
            lapses: s.lapses,
            last_review: card
                .last_review
                .and_then(|ms| chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339())),
            leech: None,
            scheduler: view.scheduler.as_str(),
            memory: view.memory.map(MemoryJson::from),
            typed: None,
        }
    }
}

/// The card's scheduler and memory state, as `--json` shows them.
fn view_of(ctx: &Context, card: &Card) -> Result<CardView> {
    let today = ctx.clock.today();
    scheduling::card_view(&ctx.store, card.id, &card.deck, card.schedule, today)
}

/// Finds the card an `answer` argument names.
fn resolve(ctx: &Context, id: &str, deck: Option<&str>) -> Result<CardId> {
    match deck {
        Some(typed) => {
            let (_, deck) = ctx.store.resolve_deck(typed)?;
            ctx.store
                .card_by_key(&deck, id)?
                .ok_or_else(|| Error::invalid(format!("deck {deck:?} has no card with id {id:?}")))
        }
        None => id.parse().map_err(|_| {
            Error::invalid(format!(
                "{id:?} is not a card number; to name a card by its id in a deck, add --deck NAME"
            ))
        }),
    }
}

pub fn run(ctx: &mut Context, args: &AnswerArgs, out: &mut dyn Write) -> Result<()> {
    let card = resolve(ctx, &args.id, args.deck.as_deref())?;
    // The card the arguments name now is what this answer is for: the write
    // checks that its number still names it, so a prune and re-import in
    // between is refused instead of landing on whatever holds the number.
    let named = ctx.store.card(card)?.ok_or_else(|| {
        Error::invalid(format!(
            "no card with id {card}; `recall next` shows the ids"
        ))
    })?;
    let typed = (args.typed.as_deref()).map(|t| typed::compare_card(t, &named, ctx.typed));
    // A grade given beats the suggestion of --typed.
    let grade = match (args.grade.or(args.grade_flag), &typed) {
        (Some(q), _) => Grade::new(q),
        (None, Some(c)) => Some(c.suggested),
        (None, None) => None,
    }
    .ok_or_else(|| Error::invalid("give a grade from 0 to 5, or the answer with --typed"))?;
    if let (true, Some(c)) = (args.dry_run, &typed) {
        if args.json {
            return print_json(out, &TypedJson::from(c));
        }
        typed_answer::print(out, c)?;
        return Ok(writeln!(out, "Nothing was recorded (--dry-run).")?);
    }
    let recorded = study::answer(
        &mut ctx.store,
        &ctx.clock,
        Seen::Named(&named),
        grade,
        args.duration_ms,
        false,
    )?;
    let card = ctx
        .store
        .card(card)?
        .ok_or_else(|| Error::invalid(format!("card {card} vanished")))?;
    let view = view_of(ctx, &card)?;
    if let (false, Some(c)) = (args.json, &typed) {
        typed_answer::print(out, c)?;
        let whose = if grade == c.suggested {
            "the suggestion"
        } else {
            "given"
        };
        writeln!(out, "graded:    {} ({whose})", grade.value())?;
    }
    let answer = Answer {
        grade: Some(grade.value()),
        typed: typed.as_ref(),
    };
    report(out, &card, &recorded, answer, args.json, view)
}

/// What the user gave: the grade, and the typed answer it came from.
struct Answer<'a> {
    grade: Option<u8>,
    typed: Option<&'a Comparison>,
}

pub fn undo(ctx: &mut Context, args: &UndoArgs, out: &mut dyn Write) -> Result<()> {
    let card = ctx.store.undo_last_answer()?;
    let card = ctx
        .store
        .card(card)?
        .ok_or_else(|| Error::invalid(format!("card {card} vanished")))?;
    if args.json {
        let view = view_of(ctx, &card)?;
        return print_json(
            out,
            &StateJson::new(&card, &card.schedule, "undone", None, view),
        );
    }
    writeln!(
        out,
        "Undid the last answer to card {} ({}); it is back to its previous state.",
        card.id,
        escape_line(&card.key)
    )?;
    Ok(())
}

fn report(
    out: &mut dyn Write,
    card: &Card,
    recorded: &Recorded,
    answer: Answer<'_>,
    json: bool,
    view: CardView,
) -> Result<()> {
    let s = &recorded.after;
    if json {
        let mut state = StateJson::new(card, s, recorded.kind.as_str(), answer.grade, view);
        state.leech = recorded.leech.map(|a| a.as_str());
        state.typed = answer.typed.map(TypedJson::from);
        return print_json(out, &state);
    }
    let how = match recorded.kind {
        crate::domain::AnswerKind::Schedule => "scheduled",
        // Under FSRS a re-drill moves the memory state, not the due day.
        crate::domain::AnswerKind::Redrill if view.memory.is_some() => {
            "re-drill, due day unchanged"
        }
        crate::domain::AnswerKind::Redrill => "re-drill, schedule unchanged",
        crate::domain::AnswerKind::Cram => "cram, schedule unchanged",
    };
    let due = s.due.map_or_else(|| "-".to_string(), |d| d.to_string());
    match view.memory {
        Some(m) => writeln!(
            out,
            "card {} ({how}, FSRS): due {due}, interval {} d, stability {:.2} d, difficulty {:.2}, \
             repetitions {}, lapses {}",
            card.id, s.interval, m.stability, m.difficulty, s.repetitions, s.lapses
        )?,
        None => writeln!(
            out,
            "card {} ({how}): due {due}, interval {} d, EF {}, repetitions {}, lapses {}",
            card.id, s.interval, s.efactor, s.repetitions, s.lapses
        )?,
    }
    match recorded.leech {
        Some(crate::domain::leech::LeechAction::Suspend) => writeln!(
            out,
            "Leech: card {} lapsed {}; suspended and tagged leech.",
            card.id,
            crate::domain::plural::plural(s.lapses, "time")
        )?,
        Some(crate::domain::leech::LeechAction::Tag) => writeln!(
            out,
            "Leech: card {} lapsed {}; tagged leech.",
            card.id,
            crate::domain::plural::plural(s.lapses, "time")
        )?,
        None => {}
    }
    Ok(())
}
