//! The config file as written: TOML read with the position of every value,
//! so that a bad one is reported by line and key. Nothing here knows the
//! defaults or the flags; `config::resolve` merges them.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::domain::SchedulerKind;
use crate::domain::leech::LeechAction;
use crate::error::Error;

/// A value from the file and the line (1-based) it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    pub value: T,
    pub line: usize,
}

/// One `[deck."…"]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeckTable {
    pub new_per_day: Option<At<u32>>,
    pub reviews_per_day: Option<At<u32>>,
}

/// Everything the file sets; what it leaves out is `None` (or empty).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileConfig {
    pub new_per_day: Option<At<u32>>,
    pub reviews_per_day: Option<At<u32>>,
    pub day_starts_at: Option<At<u32>>,
    pub keep_backups: Option<At<usize>>,
    pub leech_threshold: Option<At<u32>>,
    pub leech_action: Option<At<LeechAction>>,
    pub bury_siblings: Option<At<bool>>,
    /// How typed answers are compared (`domain::typed::Normalise`).
    pub typed_ignore_case: Option<At<bool>>,
    pub typed_collapse_whitespace: Option<At<bool>>,
    pub typed_ignore_diacritics: Option<At<bool>>,
    /// The scheduler of decks without their own (`recall scheduler set`).
    pub scheduler: Option<At<SchedulerKind>>,
    /// FSRS's desired retention for decks without their own.
    pub desired_retention: Option<At<f32>>,
    /// By the table's name (a deck name, or a prefix ending in `*`).
    pub decks: Vec<(At<String>, DeckTable)>,
    /// `[theme]`: slot name → colour as written.
    pub theme: Vec<(At<String>, At<String>)>,
    /// `[keys] preset = "…"`.
    pub preset: Option<At<String>>,
    /// `[keys]`: action name → the keys as written.
    pub keys: Vec<(At<String>, At<Vec<String>>)>,
    /// `[sync]`: the folder, and whether the TUI syncs on opening and quitting.
    pub sync_dir: Option<At<String>>,
    pub sync_on_open: Option<At<bool>>,
    pub sync_on_quit: Option<At<bool>>,
    /// `[media]`: images in the review screen, the viewer and the player.
    pub media: MediaTable,
}

/// The `[media]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaTable {
    pub images: Option<At<bool>>,
    pub autoplay: Option<At<bool>>,
    /// A command line, split at spaces; the file's path goes last.
    pub opener: Option<At<String>>,
    pub player: Option<At<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    new_per_day: Option<Spanned<u32>>,
    reviews_per_day: Option<Spanned<u32>>,
    day_starts_at: Option<Spanned<u32>>,
    keep_backups: Option<Spanned<usize>>,
    leech_threshold: Option<Spanned<u32>>,
    leech_action: Option<Spanned<RawAction>>,
    bury_siblings: Option<Spanned<bool>>,
    typed_ignore_case: Option<Spanned<bool>>,
    typed_collapse_whitespace: Option<Spanned<bool>>,
    typed_ignore_diacritics: Option<Spanned<bool>>,
    scheduler: Option<Spanned<String>>,
    desired_retention: Option<Spanned<f32>>,
    #[serde(default)]
    deck: BTreeMap<Spanned<String>, RawDeck>,
    #[serde(default)]
    theme: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<RawKeys>>,
    media: Option<RawMedia>,
    sync: Option<RawSync>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMedia {
    images: Option<Spanned<bool>>,
    autoplay: Option<Spanned<bool>>,
    opener: Option<Spanned<String>>,
    player: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSync {
    dir: Option<Spanned<String>>,
    on_open: Option<Spanned<bool>>,
    on_quit: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeck {
    new_per_day: Option<Spanned<u32>>,
    reviews_per_day: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawAction {
    Suspend,
    Tag,
}

#[derive(Deserialize)]
#[serde(untagged, expecting = "a key name or a list of key names")]
enum RawKeys {
    One(String),
    Many(Vec<String>),
}

/// Reads config text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<FileConfig, Error> {
    let raw: Raw = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let lines = Lines(text);
    let mut config = FileConfig {
        new_per_day: lines.opt(raw.new_per_day),
        reviews_per_day: lines.opt(raw.reviews_per_day),
        day_starts_at: lines.opt(raw.day_starts_at),
        leech_threshold: lines.opt(raw.leech_threshold),
        keep_backups: lines.opt(raw.keep_backups),
        leech_action: lines.opt(raw.leech_action).map(|a| At {
            line: a.line,
            value: match a.value {
                RawAction::Suspend => LeechAction::Suspend,
                RawAction::Tag => LeechAction::Tag,
            },
        }),
        bury_siblings: lines.opt(raw.bury_siblings),
        typed_ignore_case: lines.opt(raw.typed_ignore_case),
        typed_collapse_whitespace: lines.opt(raw.typed_collapse_whitespace),
        typed_ignore_diacritics: lines.opt(raw.typed_ignore_diacritics),
        desired_retention: lines.opt(raw.desired_retention),
        scheduler: scheduler(file, lines.opt(raw.scheduler))?,
        ..FileConfig::default()
    };
    if let Some(media) = raw.media {
        config.media = MediaTable {
            images: lines.opt(media.images),
            autoplay: lines.opt(media.autoplay),
            opener: lines.opt(media.opener),
            player: lines.opt(media.player),
        };
    }
    if let Some(sync) = raw.sync {
        config.sync_dir = lines.opt(sync.dir);
        config.sync_on_open = lines.opt(sync.on_open);
        config.sync_on_quit = lines.opt(sync.on_quit);
    }
    check_values(file, &config)?;
    for (name, deck) in raw.deck {
        let table = DeckTable {
            new_per_day: lines.opt(deck.new_per_day),
            reviews_per_day: lines.opt(deck.reviews_per_day),
        };
        config.decks.push((lines.at(name), table));
    }
    for (slot, colour) in raw.theme {
        config.theme.push((lines.at(slot), lines.at(colour)));
    }
    for (action, keys) in raw.keys {
        add_keys(&mut config, file, lines.at(action), lines.at(keys))?;
    }
    config.keys.sort_by_key(|(action, _)| action.line);
    Ok(config)
}

/// The `scheduler` key's algorithm, if it is one recall has.
fn scheduler(file: &str, name: Option<At<String>>) -> Result<Option<At<SchedulerKind>>, Error> {
    let Some(name) = name else {
        return Ok(None);
    };
    let Ok(kind) = name.value.parse() else {
        return Err(error(file, name.line, "scheduler", "\"sm2\" or \"fsrs\""));
    };
    Ok(Some(At {
        value: kind,
        line: name.line,
    }))
}

/// Values whose type TOML checked but whose range it cannot.
fn check_values(file: &str, config: &FileConfig) -> Result<(), Error> {
    if let Some(r) = &config.desired_retention
        && !(r.value > 0.0 && r.value < 1.0)
    {
        return Err(error(
            file,
            r.line,
            "desired_retention",
            "a probability between 0 and 1, such as 0.9",
        ));
    }
    if let Some(hour) = &config.day_starts_at
        && hour.value > 23
    {
        return Err(error(
            file,
            hour.line,
            "day_starts_at",
            "an hour from 0 to 23",
        ));
    }
    Ok(())
}

/// The text a config was read from, for the line of each value.
#[derive(Clone, Copy)]
struct Lines<'t>(&'t str);

impl Lines<'_> {
    fn at<T>(self, v: Spanned<T>) -> At<T> {
        At {
            line: line_of(self.0, v.span().start),
            value: v.into_inner(),
        }
    }

    fn opt<T>(self, v: Option<Spanned<T>>) -> Option<At<T>> {
        v.map(|v| self.at(v))
    }
}

/// One entry of `[keys]`: `preset = "vim"`, or an action's key(s).
fn add_keys(
    config: &mut FileConfig,
    file: &str,
    action: At<String>,
    keys: At<RawKeys>,
) -> Result<(), Error> {
    let line = keys.line;
    match (action.value.as_str(), keys.value) {
        ("preset", RawKeys::One(preset)) => {
            config.preset = Some(At {
                value: preset,
                line,
            });
        }
        ("preset", RawKeys::Many(_)) => {
            return Err(error(file, line, "keys.preset", "\"default\" or \"vim\""));
        }
        (_, RawKeys::One(key)) => config.keys.push((
            action,
            At {
                value: vec![key],
                line,
            },
        )),
        (_, RawKeys::Many(keys)) => config.keys.push((action, At { value: keys, line })),
    }
    Ok(())
}

/// "FILE:LINE:1: key `KEY`: expected WHAT", with the way out.
pub fn error(file: &str, line: usize, key: &str, expected: &str) -> Error {
    Error::Parse {
        file: file.to_string(),
        line,
        column: 1,
        message: format!("key `{key}`: expected {expected}{}", HINT),
    }
}

/// Every config error ends with how to run anyway.
pub const HINT: &str = " (fix the file, or run with --no-config to use the defaults)";

/// A TOML or type error, at the line and key of the value it is about.
fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> Error {
    let start = e.span().map_or(0, |s| s.start);
    let line = line_of(text, start);
    // serde names Rust's types; a person reads numbers.
    let message = e
        .message()
        .trim()
        .replace('\n', "; ")
        .replace("expected u32", "expected a whole number, 0 or more")
        .replace("expected usize", "expected a whole number, 0 or more");
    let message = match key_at(text, start) {
        Some(key) => format!("key `{key}`: {message}"),
        None => message,
    };
    Error::Parse {
        file: file.to_string(),
        line,
        column: column_of(text, start),
        message: format!("{message}{HINT}"),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

fn column_of(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or("");
    before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1
}

/// The dotted key whose line holds `offset`: the last `[table]` header
/// above it, then the name left of `=` (or the header itself).
fn key_at(text: &str, offset: usize) -> Option<String> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("").trim();
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    if line.starts_with('[') {
        return Some(
            line.trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string(),
        );
    }
    let name = line.split_once('=')?.0.trim();
    Some(match table {
        Some(table) => format!("{table}.{name}"),
        None => name.to_string(),
    })
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
