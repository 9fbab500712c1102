//! The arguments of studying and of the commands on cards: `decks`,
//! `review`, `next`, `answer`, `undo`, `cards`, `log` and the card
//! commands (`suspend` …).

use clap::Args;

use crate::domain::Scope;

/// `--deck` and `--tag`: the cards a session or a report is about.
#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// Only this deck
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,

    /// Only cards with this tag
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
}

impl ScopeArgs {
    pub fn scope(&self) -> Scope {
        Scope {
            deck: self.deck.clone(),
            tag: self.tag.clone(),
        }
    }
}

/// `recall decks`.
#[derive(Debug, Args, Default)]
pub struct DecksArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `recall review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
}

/// `recall next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Print JSON: {"card": {...}} or {"card": null, "next_due": DATE}
    #[arg(long)]
    pub json: bool,
}

/// `recall answer`.
#[derive(Debug, Args)]
pub struct AnswerArgs {
    /// The card number from `recall next`, or the card's id in --deck
    pub id: String,

    /// Quality of recall, 0 (blackout) to 5 (perfect); with --typed, the
    /// suggested grade unless given
    #[arg(value_parser = clap::value_parser!(u8).range(0..=5))]
    pub grade: Option<u8>,

    /// The answer as typed: compared with the card's back, and the grade
    /// it suggests is recorded (see the README's "Typed answers")
    #[arg(long, value_name = "TEXT")]
    pub typed: Option<String>,

    /// The grade to record instead of the suggestion of --typed
    #[arg(
        long = "grade",
        id = "grade_flag",
        value_name = "G",
        value_parser = clap::value_parser!(u8).range(0..=5),
        conflicts_with = "grade"
    )]
    pub grade_flag: Option<u8>,

    /// With --typed: show the comparison and the suggestion, record nothing
    #[arg(long, requires = "typed")]
    pub dry_run: bool,

    /// Read ID as the card's id within this deck
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,

    /// Time spent on the card, in milliseconds (logged for statistics)
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub duration_ms: u32,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// `recall undo`.
#[derive(Debug, Args)]
pub struct UndoArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// `recall cards`.
#[derive(Debug, Args)]
pub struct CardsArgs {
    /// The search; several arguments are joined with spaces (after `--` when one
    /// starts with `-`: `recall cards -- -is:new`). None lists every card
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    /// Print JSON: {"cards": [...], "more": BOOL}
    #[arg(long)]
    pub json: bool,

    /// At most N cards (0: all of them)
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: u32,

    /// Skip the first N matches (the next page)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: u32,
}

/// `recall log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The card: its number (`recall cards`, `recall next`) or DECK/ID
    #[arg(value_name = "CARD")]
    pub card: String,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// The cards a card command acts on.
#[derive(Debug, Args, Clone)]
pub struct TargetCards {
    /// Cards by number (`recall cards` prints them) or as DECK/ID
    #[arg(value_name = "CARD", required_unless_present = "query")]
    pub cards: Vec<String>,

    /// Also every card this search finds (the language of `recall cards`)
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
}
