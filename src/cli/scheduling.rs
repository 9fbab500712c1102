//! The arguments of `recall scheduler` (which algorithm each deck uses)
//! and `recall fsrs` (fitting and judging FSRS on the user's history).

use clap::{Args, Subcommand};

/// `recall scheduler`.
#[derive(Debug, Args)]
pub struct SchedulerArgs {
    #[command(subcommand)]
    pub what: Option<SchedulerCommand>,

    /// Print JSON instead of a table (with no subcommand, or `show`)
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum SchedulerCommand {
    /// List each deck's algorithm, desired retention and FSRS parameters
    Show,

    /// Choose a deck's algorithm: its whole log is replayed into today's states
    #[command(long_about = "Choose a deck's algorithm: sm2 or fsrs.\n\n\
        The deck's whole review log is replayed through the chosen algorithm to compute \
        each card's state today, in one transaction; nothing is lost, and switching back \
        to sm2 gives exactly the SM-2 state the cards would have had. Decks without a \
        setting of their own follow the config file's `scheduler` key (sm2 by default).")]
    Set(SetSchedulerArgs),
}

/// `recall scheduler set`.
#[derive(Debug, Args)]
pub struct SetSchedulerArgs {
    /// The deck, as `recall decks` lists it (case and ·/:: do not matter)
    pub deck: String,

    /// sm2 or fsrs
    pub algorithm: String,

    /// FSRS's desired retention for this deck, between 0 and 1 (default: the
    /// config file's `desired_retention`, else 0.9)
    #[arg(long, value_name = "R")]
    pub retention: Option<f32>,
}

/// `recall fsrs`.
#[derive(Debug, Args)]
pub struct FsrsArgs {
    #[command(subcommand)]
    pub what: FsrsCommand,
}

#[derive(Debug, Subcommand)]
pub enum FsrsCommand {
    /// Fit FSRS's parameters to your review history (one deck, or all)
    #[command(long_about = "Fit FSRS's parameters to your review history with the \
        fsrs crate's optimizer (the one inside Anki). Answers imported from Anki count. \
        The parameters are stored for the deck (--deck) or for every deck without its \
        own, with the day they were fitted; decks scheduled by FSRS use them from the \
        next answer. Refused, with nothing stored, when the history is too short.")]
    Optimize(FsrsRunArgs),

    /// How well SM-2 and FSRS predict your answers, and the workload of each
    #[command(long_about = "On your own history: log loss and RMSE (binned, as the \
        open-spaced-repetition benchmark computes them) of SM-2, FSRS with the default \
        parameters and FSRS with the fitted ones; and the reviews per day each would ask \
        over the next 30 and 365 days at the desired retention, by the fsrs crate's \
        simulator. README › FSRS beside SM-2 defines every figure.")]
    Evaluate(FsrsRunArgs),
}

/// `recall fsrs optimize|evaluate`.
#[derive(Debug, Args)]
pub struct FsrsRunArgs {
    /// Only this deck's history (default: every deck's)
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}
