//! The arguments of the commands that move data in and out of the
//! database: `export`, `backup`, `restore`, `stats`, `config` and `deck`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::ScopeArgs;

/// `recall export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: ExportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write one deck as a file that `recall import` reads back
    Deck(ExportDeckArgs),

    /// Write every deck as one Anki file (`--format apkg`, `colpkg` or `anki-txt`)
    All(ExportAllArgs),

    /// Every card with its SM-2 state: deck, id, repetitions, efactor, interval_days, due, lapses, last_review
    Progress(ExportProgressArgs),

    /// The review log: deck, card, reviewed_at, grade, kind, duration_ms
    Reviews(ExportReviewsArgs),
}

/// `recall export deck`.
#[derive(Debug, Args)]
pub struct ExportDeckArgs {
    /// The deck's name (see `recall decks`)
    pub name: String,

    /// toml, json, md, csv, apkg (an Anki package: needs --output) or anki-txt
    /// (Anki's "Notes in Plain Text")
    #[arg(
        long,
        value_name = "F",
        ignore_case = true,
        hide_possible_values = true
    )]
    pub format: crate::formats::export::DeckExportFormat,

    /// Write to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub anki: AnkiPackageArgs,
}

/// What an Anki package carries besides the cards.
#[derive(Debug, Clone, Copy, Args)]
pub struct AnkiPackageArgs {
    /// apkg: each card's schedule and the whole review log go along, as
    /// Anki's review state and revlog
    #[arg(long)]
    pub with_progress: bool,

    /// apkg: Anki's older collection.anki21 layout, for old AnkiDroid
    #[arg(long)]
    pub legacy: bool,
}

/// `recall export all`.
#[derive(Debug, Args)]
pub struct ExportAllArgs {
    /// apkg (an Anki deck package: needs --output), colpkg (a whole Anki
    /// collection, with progress: needs --output) or anki-txt (Anki's
    /// "Notes in Plain Text", a deck column on every note)
    #[arg(
        long,
        value_name = "F",
        ignore_case = true,
        hide_possible_values = true
    )]
    pub format: AllExportFormat,

    /// The file to write (anki-txt: stdout without it)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub anki: AnkiPackageArgs,
}

/// The formats `export all` writes: one file holding every deck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AllExportFormat {
    /// An Anki deck package: added to the user's collection.
    Apkg,
    /// An Anki collection package: replaces the user's collection on
    /// import, so it always carries progress.
    Colpkg,
    /// Anki's "Notes in Plain Text": every deck's notes, each row naming
    /// its deck.
    #[value(name = "anki-txt")]
    AnkiTxt,
}

/// `recall export progress`.
#[derive(Debug, Args)]
pub struct ExportProgressArgs {
    #[arg(long, value_enum)]
    pub format: crate::formats::records::TableFormat,

    /// Only this deck
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `recall export reviews`.
#[derive(Debug, Args)]
pub struct ExportReviewsArgs {
    #[arg(long, value_enum)]
    pub format: crate::formats::records::TableFormat,

    /// Only answers from this study day on (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<chrono::NaiveDate>,

    /// Only this deck
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where an export goes.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Write to this file (whole or not at all) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace --output FILE if it exists
    #[arg(long)]
    pub force: bool,
}

/// `recall backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Write the copy to this file instead
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace --output if it exists
    #[arg(long)]
    pub force: bool,
}

/// `recall restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore, e.g. one from the backups/ folder
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// `recall stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// The period, in study days ending today
    #[arg(long, default_value_t = 365, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=36500))]
    pub days: u32,

    #[arg(long, value_enum, default_value_t = StatsFormat::Text)]
    pub format: StatsFormat,

    /// The table --format csv writes
    #[arg(long, value_enum, default_value_t = StatsTable::Daily)]
    pub table: StatsTable,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsTable {
    /// One row per day of the period
    Daily,
    /// Every card with its SM-2 state (as `export progress`)
    Cards,
    /// The review log of the period (as `export reviews`)
    Reviews,
    /// One row per deck
    Decks,
}

/// `recall sync`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub command: Option<SyncCommand>,

    /// The sync folder [default: the config file's `[sync] dir`]
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Make DIR this database's sync folder (the config file's `[sync] dir`) and sync once
    Init(SyncInitArgs),
    /// This device, the devices seen and the last event of each, what is pending
    Status(SyncStatusArgs),
}

#[derive(Debug, Args)]
pub struct SyncInitArgs {
    /// The folder: a git work tree, or one that Syncthing, Dropbox or a share copies
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// `git init` DIR if it is not a git work tree yet
    #[arg(long)]
    pub git: bool,
}

#[derive(Debug, Args)]
pub struct SyncStatusArgs {
    /// The sync folder [default: the config file's `[sync] dir`]
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// `recall config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// `recall deck`.
#[derive(Debug, Args)]
pub struct DeckArgs {
    #[command(subcommand)]
    pub what: DeckCommand,
}

#[derive(Debug, Subcommand)]
pub enum DeckCommand {
    /// Give a deck another name (its cards and their progress stay)
    Rename(RenameArgs),

    /// Delete a deck, its cards and their history (a backup is saved first)
    #[command(long_about = "Delete a deck, its cards and their history.\n\n\
        The database is first saved into the backups/ folder beside it (`recall restore` \
        brings it back). On a terminal recall asks first; elsewhere --yes is required.")]
    Delete(DeleteArgs),
}

/// `recall deck rename`.
#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The deck, as `recall decks` lists it (case and ·/:: do not matter)
    pub old: String,
    /// The new name
    pub new: String,
}

/// `recall deck delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The deck, as `recall decks` lists it (case and ·/:: do not matter)
    pub name: String,
    /// Delete without asking
    #[arg(long)]
    pub yes: bool,
}
