//! `recall next`: the next card of today's session.

use std::io::Write;

use serde::Serialize;

use super::{Context, print_json};
use crate::cli::NextArgs;
use crate::domain::math_text;
use crate::domain::text::{escape_controls, escape_line};
use crate::domain::{Card, Day, QueueKind};
use crate::error::Result;
use crate::workflows::{scheduling, study};

use super::scheduler::MemoryJson;

#[derive(Serialize)]
struct CardJson<'a> {
    id: i64,
    deck: &'a str,
    card_id: &'a str,
    front: &'a str,
    back: &'a str,
    notes: &'a str,
    tags: &'a [String],
    /// The card asks for its answer typed (`recall answer ID --typed`).
    typed: bool,
    kind: &'static str,
    /// The deck's algorithm: "sm2" or "fsrs".
    scheduler: &'static str,
    /// Under FSRS: the card's memory state (absent for a new card).
    #[serde(skip_serializing_if = "Option::is_none")]
    memory: Option<MemoryJson>,
}

#[derive(Serialize)]
struct NextJson<'a> {
    card: Option<CardJson<'a>>,
    /// Cards left in today's session, this one included.
    remaining: usize,
    /// With no card left today: the day the next card is due.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_due: Option<Day>,
}

pub fn run(ctx: &Context, args: &NextArgs, out: &mut dyn Write) -> Result<()> {
    let scope = &args.scope.scope();
    let today = ctx.clock.today();
    let session = study::todays_session(&ctx.store, scope, today, &ctx.limits)?;
    let current = match session.current() {
        Some(entry) => ctx.store.card(entry.card)?.map(|card| (card, entry.kind)),
        None => None,
    };
    let next_due = match current {
        Some(_) => None,
        None => ctx.store.next_due_day(scope, today)?,
    };
    if args.json {
        let view = match &current {
            Some((c, _)) => Some(scheduling::card_view(
                &ctx.store, c.id, &c.deck, c.schedule, today,
            )?),
            None => None,
        };
        let card = current
            .as_ref()
            .zip(view)
            .map(|((c, kind), view)| CardJson {
                id: c.id,
                deck: &c.deck,
                card_id: &c.key,
                front: &c.front,
                back: &c.back,
                notes: &c.notes,
                tags: &c.tags,
                typed: c.typed,
                kind: kind.as_str(),
                scheduler: view.scheduler.as_str(),
                memory: view.memory.map(MemoryJson::from),
            });
        let value = NextJson {
            card,
            remaining: session.remaining(),
            next_due,
        };
        return print_json(out, &value);
    }
    match current {
        Some((card, kind)) => print_card(out, &card, kind, session.remaining()),
        None => {
            match next_due {
                Some(day) => writeln!(out, "Nothing left today. The next card is due on {day}.")?,
                None => writeln!(out, "Nothing left today, and nothing scheduled.")?,
            }
            Ok(())
        }
    }
}

fn print_card(out: &mut dyn Write, card: &Card, kind: QueueKind, remaining: usize) -> Result<()> {
    writeln!(
        out,
        "card {} · {} · {} · {remaining} left today",
        card.id,
        escape_line(&card.deck),
        kind.as_str()
    )?;
    // Formulas as Unicode, then escaped: the text shown, not the text stored.
    let shown = |text: &str| escape_controls(&math_text::display(text)).into_owned();
    writeln!(out, "\nQ: {}", shown(&card.front))?;
    writeln!(out, "\nA: {}", shown(&card.back))?;
    if !card.notes.is_empty() {
        writeln!(out, "\nNotes: {}", shown(&card.notes))?;
    }
    if card.typed {
        writeln!(out, "\nType it: recall answer {} --typed TEXT", card.id)?;
    }
    writeln!(out, "\nGrade it: recall answer {} 0-5", card.id)?;
    Ok(())
}
