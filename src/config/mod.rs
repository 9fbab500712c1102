//! Configure once: the config file merged with the flags, the environment
//! and the defaults. Precedence: flag > environment > config file > default,
//! value by value. Every effective value remembers where it came from, for
//! `recall config`. Reading the file is the only I/O here.

pub mod edit;
pub mod file;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::Color;
use serde_json::{Value, json};

use crate::cli::GlobalArgs;
use crate::domain::leech::{LeechAction, LeechPolicy};
use crate::domain::limits::DeckLimits;
use crate::domain::scheduler::Defaults;
use crate::domain::typed::Normalise;
use crate::domain::{Limits, SchedulerKind};
use crate::error::{Error, Result};
use crate::tui::keys::KeyMap;
use file::{At, FileConfig};

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

/// The merge in progress: the settings found so far.
struct Merge<'a> {
    g: &'a GlobalArgs,
    settings: Vec<Setting>,
}

impl Merge<'_> {
    /// `[media]`, each key listed as a setting.
    fn media(&mut self, f: file::MediaTable) -> MediaConfig {
        let images = self.file("media.images", f.images, true);
        let autoplay = self.file("media.autoplay", f.autoplay, false);
        let mut command = |key: &str, value: Option<At<String>>| {
            let origin = value
                .as_ref()
                .map_or(Origin::Default, |a| Origin::File(a.line));
            let words: Option<Vec<String>> = value
                .map(|a| a.value.split_whitespace().map(String::from).collect())
                .filter(|w: &Vec<String>| !w.is_empty());
            self.push(key, json!(words.as_ref().map(|w| w.join(" "))), origin);
            words
        };
        let opener = command("media.opener", f.opener);
        let player = command("media.player", f.player);
        MediaConfig {
            images,
            autoplay,
            opener,
            player,
        }
    }

    /// The leech rule: threshold and action.
    fn leech(
        &mut self,
        threshold: Option<At<u32>>,
        action: Option<At<LeechAction>>,
    ) -> LeechPolicy {
        let defaults = LeechPolicy::default();
        LeechPolicy {
            threshold: self.file("leech_threshold", threshold, defaults.threshold),
            action: self.file_as("leech_action", action, defaults.action, |a| {
                json!(a.as_str())
            }),
        }
    }

    /// The scheduler and desired retention of decks without their own.
    fn scheduling(
        &mut self,
        scheduler: Option<At<SchedulerKind>>,
        retention: Option<At<f32>>,
    ) -> Defaults {
        Defaults {
            scheduler: self.file_as("scheduler", scheduler, SchedulerKind::Sm2, |k| {
                json!(k.as_str())
            }),
            // Shown as written (0.9, not f32's 0.8999999761581421).
            retention: self.file_as("desired_retention", retention, 0.9, |r| {
                json!(r.to_string().parse::<f64>().ok())
            }),
        }
    }

    /// How typed answers are normalised (case, whitespace, diacritics, as
    /// the file sets them): only the file sets it.
    fn typed(&mut self, [case, whitespace, diacritics]: [Option<At<bool>>; 3]) -> Normalise {
        let d = Normalise::default();
        Normalise {
            ignore_case: self.file("typed_ignore_case", case, d.ignore_case),
            collapse_whitespace: self.file(
                "typed_collapse_whitespace",
                whitespace,
                d.collapse_whitespace,
            ),
            ignore_diacritics: self.file(
                "typed_ignore_diacritics",
                diacritics,
                d.ignore_diacritics,
            ),
        }
    }

    /// The global new and review caps.
    fn limits(&mut self, f: &FileConfig) -> (u32, u32) {
        let defaults = Limits::default();
        let new = self.pick(
            "new_per_day",
            ("new_limit", "--new-limit", "RECALL_NEW_LIMIT"),
            self.g.new_limit,
            f.new_per_day.clone(),
            defaults.new_per_deck,
        );
        let reviews = self.pick(
            "reviews_per_day",
            ("review_limit", "--review-limit", "RECALL_REVIEW_LIMIT"),
            self.g.review_limit,
            f.reviews_per_day.clone(),
            defaults.reviews_per_day,
        );
        (new, reviews)
    }

    /// A value with a flag and a variable: flag > environment > file > default.
    fn pick<T: Copy + Into<Value>>(
        &mut self,
        key: &str,
        (id, flag, var): (&'static str, &'static str, &'static str),
        given: Option<T>,
        file: Option<At<T>>,
        default: T,
    ) -> T {
        let (value, origin) = match (given, file) {
            (Some(v), _) if self.g.env_given.contains(&id) => (v, Origin::Env(var)),
            (Some(v), _) => (v, Origin::Flag(flag)),
            (None, Some(At { value, line })) => (value, Origin::File(line)),
            (None, None) => (default, Origin::Default),
        };
        self.push(key, value.into(), origin);
        value
    }

    /// A value only the file sets.
    fn file<T: Copy + Into<Value>>(&mut self, key: &str, file: Option<At<T>>, default: T) -> T {
        self.file_as(key, file, default, |v| v.into())
    }

    fn file_as<T: Copy>(
        &mut self,
        key: &str,
        file: Option<At<T>>,
        default: T,
        show: impl Fn(T) -> Value,
    ) -> T {
        let (value, origin) = file.map_or((default, Origin::Default), |a| {
            (a.value, Origin::File(a.line))
        });
        self.push(key, show(value), origin);
        value
    }

    /// `[sync]`: the folder (no default) and when the TUI syncs.
    fn sync(&mut self, f: &FileConfig) -> Sync {
        if let Some(dir) = &f.sync_dir {
            self.push("sync.dir", json!(dir.value), Origin::File(dir.line));
        }
        Sync {
            dir: f.sync_dir.as_ref().map(|d| PathBuf::from(&d.value)),
            on_open: self.file("sync.on_open", f.sync_on_open.clone(), false),
            on_quit: self.file("sync.on_quit", f.sync_on_quit.clone(), false),
        }
    }

    fn push(&mut self, key: &str, value: Value, origin: Origin) {
        self.settings.push(Setting {
            key: key.to_string(),
            value,
            origin,
        });
    }

    fn decks(&mut self, decks: Vec<(At<String>, file::DeckTable)>) -> Vec<DeckLimits> {
        let mut out = Vec::new();
        for (name, table) in decks {
            for (what, value) in [
                ("new_per_day", &table.new_per_day),
                ("reviews_per_day", &table.reviews_per_day),
            ] {
                if let Some(At { value, line }) = value {
                    let key = format!("deck.{}.{what}", json!(name.value));
                    self.push(&key, json!(value), Origin::File(*line));
                }
            }
            out.push(DeckLimits {
                pattern: name.value,
                new_per_day: table.new_per_day.map(|a| a.value),
                reviews_per_day: table.reviews_per_day.map(|a| a.value),
            });
        }
        out
    }

    fn theme(
        &mut self,
        theme: Vec<(At<String>, At<String>)>,
        name: &str,
    ) -> Result<Vec<(&'static str, Color)>> {
        let mut out = Vec::new();
        for (slot, colour) in &theme {
            let Some(&(known, _)) = THEME_SLOTS.iter().find(|(s, _)| *s == slot.value) else {
                let names: Vec<_> = THEME_SLOTS.iter().map(|(s, _)| *s).collect();
                let key = format!("theme.{}", slot.value);
                return Err(file::error(
                    name,
                    slot.line,
                    &key,
                    &format!("one of {}", names.join(", ")),
                ));
            };
            let Ok(parsed) = Color::from_str(&colour.value) else {
                let key = format!("theme.{known}");
                let what = "a colour: a name (red, light-blue, …), #rrggbb or 0-255";
                return Err(file::error(name, colour.line, &key, what));
            };
            out.push((known, parsed));
        }
        for &(slot, default) in THEME_SLOTS {
            let set = theme.iter().find(|(s, _)| s.value == slot);
            let (value, origin) = match set {
                Some((_, c)) => (json!(c.value), Origin::File(c.line)),
                None => (
                    json!(default.map_or("none".to_string(), |c| c.to_string().to_lowercase())),
                    Origin::Default,
                ),
            };
            self.push(&format!("theme.{slot}"), value, origin);
        }
        Ok(out)
    }
}
