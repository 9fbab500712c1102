//! The merge of the config file with the flags and the environment, value
//! by value, each effective value recorded with where it came from.

use std::path::PathBuf;
use std::str::FromStr;

use ratatui::style::Color;
use serde_json::{Value, json};

use super::file::{self, At, FileConfig};
use super::{MediaConfig, Origin, Setting, Sync, THEME_SLOTS};
use crate::cli::GlobalArgs;
use crate::domain::leech::{LeechAction, LeechPolicy};
use crate::domain::limits::DeckLimits;
use crate::domain::scheduler::Defaults;
use crate::domain::typed::Normalise;
use crate::domain::{Limits, SchedulerKind};
use crate::error::Result;

/// The merge in progress: the settings found so far.
pub(super) struct Merge<'a> {
    pub(super) g: &'a GlobalArgs,
    pub(super) settings: Vec<Setting>,
}

impl Merge<'_> {
    /// `[media]`, each key listed as a setting.
    pub(super) fn media(&mut self, f: file::MediaTable) -> MediaConfig {
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
    pub(super) fn leech(
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
    pub(super) fn scheduling(
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
    pub(super) fn typed(
        &mut self,
        [case, whitespace, diacritics]: [Option<At<bool>>; 3],
    ) -> Normalise {
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
    pub(super) fn limits(&mut self, f: &FileConfig) -> (u32, u32) {
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
    pub(super) fn pick<T: Copy + Into<Value>>(
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
    pub(super) fn file<T: Copy + Into<Value>>(
        &mut self,
        key: &str,
        file: Option<At<T>>,
        default: T,
    ) -> T {
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
    pub(super) fn sync(&mut self, f: &FileConfig) -> Sync {
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

    pub(super) fn decks(&mut self, decks: Vec<(At<String>, file::DeckTable)>) -> Vec<DeckLimits> {
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

    pub(super) fn theme(
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
