//! The arguments of the commands on deck files: `import` (deck files, or
//! a review log with `--reviews`) and `check`.

use std::path::PathBuf;

use clap::Args;

use crate::formats::LoadOptions;
use crate::storage::{ImportOptions, OnMissing};
use crate::workflows::import::Plan;

/// `recall import`: deck files, or with `--reviews` a review log (see `job`).
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Deck files to import
    #[arg(required_unless_present = "reviews", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Put the cards into this deck instead of the one the file names
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,

    #[command(flatten)]
    pub format: FormatArg,

    /// Merge a review log (CSV or JSON, as `recall export reviews` writes it)
    /// and recompute the states of its cards
    #[arg(long, value_name = "FILE", conflicts_with_all = ["files", "prune", "dry_run"])]
    pub reviews: Option<PathBuf>,

    /// Delete cards (and their history) that a file no longer has
    #[arg(long)]
    pub prune: bool,

    /// Check the files and report what would change, writing nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Import the good files even if some are bad (exit status still 1)
    #[arg(long)]
    pub keep_going: bool,

    /// Anki packages: carry each card's interval and ease over onto SM-2
    #[arg(long)]
    pub with_progress: bool,

    /// Markdown decks: write the derived id of each card without one back into the file
    #[arg(long)]
    pub write_ids: bool,

    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

/// What `recall import` is asked to do: the two share a command name
/// (`recall import --reviews FILE` is what users type) and nothing else.
#[derive(Debug)]
pub enum ImportJob {
    Decks(DeckImport),
    Reviews(ReviewsImport),
}

/// `recall import FILE…`.
#[derive(Debug)]
pub struct DeckImport {
    pub files: Vec<PathBuf>,
    pub plan: Plan,
    pub write_ids: bool,
    pub json: bool,
}

/// `recall import --reviews FILE`.
#[derive(Debug)]
pub struct ReviewsImport {
    pub log: PathBuf,
    pub json: bool,
}

impl ImportArgs {
    /// The job the flags ask for. clap has already refused `--reviews`
    /// with deck files, `--prune` or `--dry-run`.
    pub fn job(self) -> ImportJob {
        if let Some(log) = self.reviews {
            return ImportJob::Reviews(ReviewsImport {
                log,
                json: self.json,
            });
        }
        let missing = if self.prune {
            OnMissing::Prune
        } else {
            OnMissing::Keep
        };
        ImportJob::Decks(DeckImport {
            files: self.files,
            plan: Plan {
                load: LoadOptions {
                    format: self.format.format,
                    deck: self.deck,
                    with_progress: self.with_progress,
                },
                store: ImportOptions {
                    missing,
                    dry_run: self.dry_run,
                },
                keep_going: self.keep_going,
            },
            write_ids: self.write_ids,
            json: self.json,
        })
    }
}

/// `--format`, for the commands that read deck files.
#[derive(Debug, Args)]
pub struct FormatArg {
    /// Read the files as this format: toml, json, md, csv, tsv, apkg, anki2,
    /// crowdanki, hashcards, carddown, ki, hascard, vocage, mnemosyne
    #[arg(
        long,
        value_name = "F",
        ignore_case = true,
        hide_possible_values = true
    )]
    pub format: Option<crate::formats::Format>,
}

/// `recall check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Deck files to check
    #[arg(required_unless_present = "media", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Check the database's media instead: every picture or sound a card
    /// names that recall has no file for (never imported, or gone from
    /// `media/` beside the database)
    #[arg(long)]
    pub media: bool,

    /// With --media: also delete the files in `media/` that no deck names
    /// (left by a rolled-back import or a deleted deck)
    #[arg(long, requires = "media")]
    pub fix: bool,

    #[command(flatten)]
    pub format: FormatArg,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cli::{Cli, Command, ImportArgs};
    use crate::formats::Format;

    fn import_format(name: &str) -> Result<Option<Format>, String> {
        match Cli::try_parse_from(["recall", "import", "--format", name, "x"]) {
            Ok(Cli {
                command: Some(Command::Import(ImportArgs { format, .. })),
                ..
            }) => Ok(format.format),
            Ok(other) => Err(format!("parsed as {other:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn format_names_ignore_case_and_a_wrong_one_lists_the_right_ones() {
        assert_eq!(import_format("MD"), Ok(Some(Format::Markdown)));
        assert_eq!(import_format("Colpkg"), Ok(Some(Format::Anki)));
        assert_eq!(import_format("text"), Ok(Some(Format::Delimited)));
        let e = import_format("pdf").unwrap_err();
        assert!(
            e.contains("hashcards, carddown, ki, hascard, vocage, mnemosyne"),
            "{e}"
        );
        // Aliases are accepted, not offered.
        assert!(!e.contains("colpkg"), "{e}");
    }
}
