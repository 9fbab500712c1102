//! The command line, as clap sees it. Help texts are the reference for users.
//!
//! One `Args` struct per subcommand, grouped by what they work on: deck
//! files (`deck_files`), studying and the cards (`study`), and data in and
//! out of the database (`data`). `crate::run` matches `Command` once and
//! hands each its struct.

mod data;
mod deck_files;
mod scheduling;
mod study;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use data::{
    AllExportFormat, AnkiPackageArgs, BackupArgs, ConfigArgs, DeckArgs, DeckCommand, DeleteArgs,
    ExportAllArgs, ExportArgs, ExportCommand, ExportDeckArgs, ExportProgressArgs,
    ExportReviewsArgs, OutputArgs, RenameArgs, RestoreArgs, StatsArgs, StatsFormat, StatsTable,
    SyncArgs, SyncCommand, SyncInitArgs, SyncStatusArgs,
};
pub use deck_files::{CheckArgs, DeckImport, FormatArg, ImportArgs, ImportJob, ReviewsImport};
pub use scheduling::{
    FsrsArgs, FsrsCommand, FsrsRunArgs, SchedulerArgs, SchedulerCommand, SetSchedulerArgs,
};
pub use study::{
    AnswerArgs, CardsArgs, DecksArgs, LogArgs, NextArgs, ReviewArgs, ScopeArgs, TargetCards,
    UndoArgs,
};

#[derive(Debug, Parser)]
#[command(
    name = "recall",
    version,
    about = "Spaced-repetition flashcards in the terminal (SM-2, SQLite)",
    long_about = "Spaced-repetition flashcards in the terminal.\n\n\
        Run `recall` with no command to open the deck list (the home screen), where you \
        choose a deck to study; `recall review` goes straight into today's cards. Cards are scheduled with \
        SuperMemo's SM-2 and stored in one SQLite file; every answer is saved before the \
        next card shows.\n\n\
        Environment: RECALL_DB (database path), RECALL_CONFIG (config file), RECALL_NOW \
        (the current time, RFC 3339, for scripts and tests), NO_COLOR.\n\n\
        Settings: flag > environment > config file > default; `recall config` shows \
        each value and where it came from.",
    after_help = "Examples:\n  recall                      open the deck list (home screen)\n  \
        recall import mydeck.toml   add or update a deck, keeping progress\n  \
        recall next --json          today's next card, for scripts\n  \
        recall answer 17 4          grade card 17 with quality 4"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command takes. Each limit below is also a config-file key
/// (`recall config` lists them); a flag beats its environment variable,
/// which beats the config file, which beats the default.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// The database file [default: the platform data dir, e.g. ~/.local/share/recall/recall.db]
    #[arg(long, global = true, env = "RECALL_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The config file [default: $XDG_CONFIG_HOME/recall/config.toml, e.g. ~/.config/recall/config.toml]
    #[arg(long, global = true, env = "RECALL_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Read no config file: flags, environment and defaults only
    #[arg(long, global = true)]
    pub no_config: bool,

    /// New cards introduced per deck per day [default: 20] (config: new_per_day)
    #[arg(long, global = true, env = "RECALL_NEW_LIMIT", value_name = "N")]
    pub new_limit: Option<u32>,

    /// Review (non-new) cards scheduled per day, over all decks [default: 200] (config: reviews_per_day)
    #[arg(long, global = true, env = "RECALL_REVIEW_LIMIT", value_name = "N")]
    pub review_limit: Option<u32>,

    /// Hour (0-23, local time) at which a new study day begins [default: 4] (config: day_starts_at)
    #[arg(
        long,
        global = true,
        env = "RECALL_DAY_STARTS_AT",
        value_name = "HOUR",
        value_parser = clap::value_parser!(u32).range(0..=23)
    )]
    pub day_starts_at: Option<u32>,

    /// Backups kept in the backups/ folder beside the database (one a day is
    /// made automatically, and one before each upgrade); 0 turns that off
    /// [default: 7] (config: keep_backups)
    #[arg(long, global = true, env = "RECALL_KEEP_BACKUPS", value_name = "N")]
    pub keep_backups: Option<usize>,

    /// The ids of the options above whose value came from the environment
    /// rather than a flag (see `note_sources`).
    #[arg(skip)]
    pub env_given: Vec<&'static str>,
}

impl GlobalArgs {
    /// Notes which values clap took from the environment, so that
    /// `recall config` can say so.
    pub fn note_sources(&mut self, matches: &clap::ArgMatches) {
        use clap::parser::ValueSource;
        self.env_given = ["new_limit", "review_limit", "day_starts_at", "keep_backups"]
            .into_iter()
            .filter(|id| {
                matches!(
                    matches.try_get_raw(id).map(|_| matches.value_source(id)),
                    Ok(Some(ValueSource::EnvVariable))
                )
            })
            .collect();
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every deck with its total, new, due-today and suspended counts
    Decks(DecksArgs),

    /// Import deck files, or re-import edited ones keeping progress
    #[command(long_about = "Import deck files, or re-import edited ones.\n\n\
        Formats: recall's TOML, JSON and Markdown; CSV/TSV (Anki's \"Notes in Plain Text\" \
        included); Anki packages (.apkg, .colpkg) and bare collections (collection.anki2, \
        .anki21, .anki21b); CrowdAnki's deck.json; the files of hashcards, carddown, ki, \
        hascard and vocage; \
        Mnemosyne 2 databases. Chosen by --format, else by extension, else by content: .md \
        may be recall's Markdown, hashcards, carddown or ki, .tsv vocage or plain TSV, and \
        .txt or no extension anything. A file that gives no card is an error that says what \
        recall looked for; binary files that are no deck (Anki 1.x decks, PDFs, images, …) \
        are named for what they are.\n\n\
        Cards are matched by their id within the deck: changed cards are updated and keep \
        their progress, new ones are added, and cards missing from the file are reported \
        (deleted only with --prune). All files land in one transaction: if any file is bad, \
        nothing is written (with --keep-going, the good files are imported and the bad ones \
        reported; the exit status is still 1).")]
    Import(ImportArgs),

    /// Lint deck files without importing them (exit status 1 if anything is found)
    #[command(long_about = "Lint deck files without importing them.\n\n\
        Reports files that do not parse, duplicate fronts, empty sides, cloze text without \
        a valid deletion, overlong cards and ids that collide (across the files too). \
        The exit status is 1 when anything is found.")]
    Check(CheckArgs),

    /// Write data out of recall
    Export(ExportArgs),

    /// Study today's cards in the terminal UI, skipping the home screen
    #[command(
        long_about = "Study today's cards in the terminal UI, skipping the home screen.\n\n\
        All decks unless --deck is given. Every answer is saved before the next card shows; \
        quitting and coming back the same day continues where you left off."
    )]
    Review(ReviewArgs),

    /// Show the next card of today's session
    Next(NextArgs),

    /// Record one answer (0-5) for a card and print its new schedule
    #[command(
        long_about = "Record one answer for a card and print its new state.\n\n\
        The day's first answer schedules the card with its deck's algorithm (SM-2 unless \
        `recall scheduler set` chose FSRS); later answers the same day are re-drills (SM-2 \
        step 7) that are logged but leave the due day alone.\n\n\
        Grades: 5 perfect, 4 correct after hesitation, 3 correct with serious difficulty, \
        2 wrong but familiar once seen, 1 wrong but remembered once seen, 0 blackout; 0-2 \
        are failures (a lapse), and after 0-3 the card comes back the same day (SM-2 step 7)."
    )]
    Answer(AnswerArgs),

    /// Take back the most recent answer, restoring the card's previous state
    Undo(UndoArgs),

    /// Save a consistent copy of the database (into backups/, or --output)
    #[command(
        long_about = "Save a consistent copy of the database, safe to run while \
        recall is in use.\n\n\
        Without --output the copy goes into the backups/ folder beside the database, which \
        keeps the newest --keep-backups copies. recall also makes one there automatically \
        each study day and before every database upgrade."
    )]
    Backup(BackupArgs),

    /// Replace the database with a backup (the current one is saved first)
    #[command(long_about = "Replace the database with a backup.\n\n\
        The file is checked first (an SQLite file, intact, made by a recall no newer than \
        this one). The current database is then saved into backups/ (a damaged one is moved \
        there untouched) before the backup takes its place.")]
    Restore(RestoreArgs),

    /// Search cards: deck, number, id, front, due, interval, ease, lapses, state
    #[command(
        long_about = "Search cards and list them by deck, then due day (new cards \
        first, in the order they were added).\n\n\
        The query language is Anki's: words (all must appear, anywhere in the front, back \
        or notes, ignoring case), \"quoted phrases\", deck:NAME (with * wildcards; a \
        parent deck finds its subdecks), tag:TAG, is:new|learning|review|due|suspended|\
        buried|leech, due:<7 (days from today), lapses:>3, ivl:>=21, ease:<2.0, -term to \
        leave out, OR, and parentheses. README § Searching cards has the whole grammar.",
        after_help = "Examples:\n  recall cards is:suspended\n  \
        recall cards 'deck:aws::rds \"read replica\"'\n  \
        recall cards lapses:>3 -is:suspended --json"
    )]
    Cards(CardsArgs),

    /// A card's whole review history: date, grade, kind, interval and EF before → after, time
    Log(LogArgs),

    /// Suspend cards: they leave every session until unsuspended
    Suspend(TargetCards),

    /// Bring suspended cards back into the sessions
    Unsuspend(TargetCards),

    /// Hide cards until the next study day
    Bury(TargetCards),

    /// Show buried cards again today
    Unbury(TargetCards),

    /// Make cards new again (their history is kept)
    Reset(TargetCards),

    /// Rename or delete a deck
    Deck(DeckArgs),

    /// Progress statistics: cards, reviews per day, retention, streaks, forecast
    #[command(
        long_about = "Progress statistics for all decks, one deck or one tag, over the last \
        N days (default 365): card counts, reviews per day, retention, streaks, a 30-day \
        forecast, interval and e-factor histograms, the hardest cards and a table per deck.\n\n\
        The README's Statistics section defines every figure; --format json follows \
        docs/stats.schema.json."
    )]
    Stats(StatsArgs),

    /// Which algorithm schedules each deck (sm2, fsrs), and switching it
    Scheduler(SchedulerArgs),

    /// FSRS on your own history: fit its parameters, compare it with SM-2
    Fsrs(FsrsArgs),

    /// Print every effective setting and where it came from
    #[command(
        long_about = "Print every effective setting and where it came from: a flag, \
        an environment variable, a line of the config file, or the default. Precedence: \
        flag > environment > config file > default.\n\n\
        The config file is $XDG_CONFIG_HOME/recall/config.toml (the platform's config \
        directory), or --config PATH / RECALL_CONFIG; --no-config reads none. The README's \
        Configuration section lists every key."
    )]
    Config(ConfigArgs),

    /// Sync with your other machines through a git repository or a synced folder
    #[command(
        long_about = "Sync this database with your other machines through a folder: a git \
        repository, or one that Syncthing, Dropbox or a network share copies. Each device \
        writes only its own append-only log of answers and undos in DIR/recall-sync/v1, so \
        no sync tool ever sees a conflict; a sync merges the others' logs exactly, as \
        `import --reviews` does, and appends its own.\n\n\
        In a git work tree, recall runs your `git`: pull --rebase, commit its own files, \
        push. A git failure (offline, auth) is a warning: the local part is kept, the next \
        sync catches up, and the exit status is 0. docs/sync.md has the format and every \
        fault it handles.",
        after_help = "Examples:\n  recall sync init ~/notes/recall --git   set up once per machine\n  \
        recall sync                             sync with the folder from the config file\n  \
        recall sync status                      devices seen, what is pending"
    )]
    Sync(SyncArgs),
}
