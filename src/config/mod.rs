//! Configure once: the config file merged with the flags, the environment
//! and the defaults. Precedence: flag > environment > config file > default,
//! value by value. Every effective value remembers where it came from, for
//! `recall config`. Reading the file is the only I/O here.

pub mod edit;
pub mod file;
mod merge;

use std::path::{Path, PathBuf};

use ratatui::style::Color;
use serde_json::{Value, json};

use crate::cli::GlobalArgs;
use crate::domain::Limits;
use crate::domain::leech::LeechPolicy;
use crate::domain::scheduler::Defaults;
use crate::domain::typed::Normalise;
use crate::error::{Error, Result};
use crate::tui::keys::KeyMap;
use file::FileConfig;
use merge::Merge;

/// `[sync]` (docs/sync.md): `recall sync`'s folder when none is given, and
/// whether the TUI syncs in the background on opening and on quitting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sync {
    pub dir: Option<PathBuf>,
    pub on_open: bool,
    pub on_quit: bool,
}

/// Where an effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Flag(&'static str),
    Env(&'static str),
    File(usize),
    Default,
}

/// One effective value, for `recall config`.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub key: String,
    pub value: Value,
    pub origin: Origin,
}

/// The study day's first hour, and the automatic backups kept, by default.
const DAY_STARTS_AT: u32 = 4;
const KEEP_BACKUPS: usize = 7;

/// The theme's colour slots (see `tui::Theme`) and their default colours.
pub const THEME_SLOTS: &[(&str, Option<Color>)] = &[
    ("title", None),
    ("accent", Some(Color::Cyan)),
    ("dim", Some(Color::Gray)),
    ("key", Some(Color::Yellow)),
    ("selected", None),
    ("redrill", Some(Color::Magenta)),
    ("error", Some(Color::Red)),
];

/// The file that was read, or why none was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Read(PathBuf),
    /// The default location holds no file (or there is no home directory).
    Missing(Option<PathBuf>),
    /// `--no-config`.
    Skipped,
}

/// What the TUI takes from the config.
#[derive(Debug, Clone, Default)]
pub struct Ui {
    pub keys: KeyMap,
    /// Colours the file sets, by slot; `NO_COLOR` still turns all off.
    pub theme: Vec<(&'static str, Color)>,
    /// Backups kept when the browser deletes cards (0: no rotation).
    pub keep_backups: usize,
    pub media: MediaConfig,
}

/// `[media]`: images in the review screen, and the programs `o` and `r` run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaConfig {
    /// Images drawn in the review screen (still off under `NO_COLOR`).
    pub images: bool,
    /// Sound played as each card shows, without `r`.
    pub autoplay: bool,
    /// The viewer's command line (`None`: `xdg-open`, `open` on macOS).
    pub opener: Option<Vec<String>>,
    /// The player's (`None`: the first of mpv, ffplay, afplay, paplay).
    pub player: Option<Vec<String>>,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            images: true,
            autoplay: false,
            opener: None,
            player: None,
        }
    }
}

/// Every setting recall runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub limits: Limits,
    pub day_starts_at: u32,
    pub keep_backups: usize,
    pub leech: LeechPolicy,
    /// How typed answers are compared before a grade is suggested.
    pub typed: Normalise,
    /// The scheduler and retention of decks without their own.
    pub scheduling: Defaults,
    pub ui: Ui,
    pub sync: Sync,
    pub source: Source,
    pub settings: Vec<Setting>,
}

/// The default place: `$XDG_CONFIG_HOME/recall/config.toml` on Linux, the
/// platform's config directory elsewhere.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "recall").map(|d| d.config_dir().join("config.toml"))
}

impl Config {
    /// The effective config for these arguments: the file they name (or the
    /// default one, if it exists) under the flags and the environment.
    pub fn resolve(global: &GlobalArgs) -> Result<Config> {
        if global.no_config {
            return Config::merge(global, FileConfig::default(), Source::Skipped, "");
        }
        let (path, required) = match &global.config {
            Some(path) => (Some(path.clone()), true),
            None => (default_path(), false),
        };
        let Some(path) = path else {
            return Config::merge(global, FileConfig::default(), Source::Missing(None), "");
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            // Not there, or in a folder this user cannot look into (a
            // program run as another user with $HOME unchanged): no file.
            // A file that is there but unreadable is an error.
            Err(_) if !required && std::fs::symlink_metadata(&path).is_err() => {
                let source = Source::Missing(Some(path));
                return Config::merge(global, FileConfig::default(), source, "");
            }
            Err(e) => {
                return Err(Error::File {
                    file: path.display().to_string(),
                    message: format!("cannot read the config file: {e}{}", file::HINT),
                });
            }
        };
        let name = path.display().to_string();
        let parsed = file::parse(&name, &text)?;
        Config::merge(global, parsed, Source::Read(path), &name)
    }

    fn merge(g: &GlobalArgs, f: FileConfig, source: Source, name: &str) -> Result<Config> {
        let mut m = Merge {
            g,
            settings: Vec::new(),
        };
        let (new_per_deck, reviews_per_day) = m.limits(&f);
        let sync = m.sync(&f);
        let day_starts_at = m.pick(
            "day_starts_at",
            ("day_starts_at", "--day-starts-at", "RECALL_DAY_STARTS_AT"),
            g.day_starts_at,
            f.day_starts_at,
            DAY_STARTS_AT,
        );
        let keep_backups = m.pick(
            "keep_backups",
            ("keep_backups", "--keep-backups", "RECALL_KEEP_BACKUPS"),
            g.keep_backups,
            f.keep_backups,
            KEEP_BACKUPS,
        );
        let leech = m.leech(f.leech_threshold, f.leech_action);
        let bury_siblings = m.file("bury_siblings", f.bury_siblings, true);
        let typed = m.typed([
            f.typed_ignore_case,
            f.typed_collapse_whitespace,
            f.typed_ignore_diacritics,
        ]);
        let scheduling = m.scheduling(f.scheduler, f.desired_retention);
        let decks = m.decks(f.decks);
        let theme = m.theme(f.theme, name)?;
        let media = m.media(f.media);
        let keys = KeyMap::build(f.preset.as_ref(), &f.keys)
            .map_err(|e| file::error(name, e.line, &format!("keys.{}", e.key), &e.expected))?;
        for (action, keys, line) in keys.describe() {
            let origin = line.map_or(Origin::Default, Origin::File);
            m.settings.push(Setting {
                key: format!("keys.{action}"),
                value: json!(keys),
                origin,
            });
        }
        Ok(Config {
            limits: Limits {
                new_per_deck,
                reviews_per_day,
                decks,
                bury_siblings,
            },
            day_starts_at,
            keep_backups,
            leech,
            typed,
            scheduling,
            ui: Ui {
                keys,
                theme,
                keep_backups,
                media,
            },
            sync,
            source,
            settings: m.settings,
        })
    }

    /// The file and line a setting's `Origin::File` points into.
    pub fn file(&self) -> Option<&Path> {
        match &self.source {
            Source::Read(path) => Some(path),
            _ => None,
        }
    }
}
